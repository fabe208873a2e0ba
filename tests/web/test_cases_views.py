"""Every ledger page: allowed and denied (403/404, nothing changed), and what the pages show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai_web.cases.models import DisclosureRequest, PersonalDataView, RequestEvent
from gongkai_web.cases.testing import make_request
from gongkai_web.orgs.models import User
from gongkai_web.testing import People, Tree

FRI = date(2025, 9, 26)
Clients = Callable[[User], Client]


@pytest.fixture
def row(tree: Tree, people: People) -> DisclosureRequest:
    return make_request(people.drafter_a, tree.town_a, FRI, id_type="resident_id", id_number="230124199001011234",
                        phone="13812345678")


def test_request_page_shows_the_due_date_with_its_working(row: DisclosureRequest, people: People,
                                                          client_for: Clients) -> None:
    for user in (people.drafter_a, people.approver_a, people.supervisor, people.city_supervisor, people.admin):
        r = client_for(user).get(reverse("cases:request", args=[row.pk]))
        assert r.status_code == 200, user
        html = r.content.decode()
        assert "2025年10月30日" in html and "收到申请：2025年9月26日（周五）" in html
        assert "13812345678" not in html and "138****5678" in html
        assert "230124199001011234" not in html and "230***********1234" in html
    for user in (people.drafter_b, people.dept_drafter):
        assert client_for(user).get(reverse("cases:request", args=[row.pk])).status_code == 404


def test_personal_data_only_for_the_agencys_handlers_and_logged(row: DisclosureRequest, people: People,
                                                                client_for: Clients) -> None:
    r = client_for(people.approver_a).post(reverse("cases:personal", args=[row.pk]))
    assert r.status_code == 200 and "13812345678" in r.content.decode()
    assert PersonalDataView.objects.filter(user=people.approver_a, request=row).count() == 1
    log = client_for(people.drafter_a).get(reverse("cases:request", args=[row.pk])).content.decode()
    assert "个人信息查看记录（1）" in log and people.approver_a.display in log
    assert "个人信息查看记录" not in client_for(people.supervisor).get(
        reverse("cases:request", args=[row.pk])).content.decode()
    assert client_for(people.supervisor).post(reverse("cases:personal", args=[row.pk])).status_code == 403
    assert client_for(people.drafter_b).post(reverse("cases:personal", args=[row.pk])).status_code == 404
    assert PersonalDataView.objects.count() == 1


def test_steps_allowed_and_denied(row: DisclosureRequest, people: People, client_for: Clients) -> None:
    url = reverse("cases:step", args=[row.pk, "decide"])
    data = {"on": "2025-10-09", "outcome": "granted"}
    assert client_for(people.supervisor).post(url, data).status_code == 403
    assert client_for(people.drafter_b).post(url, data).status_code == 404
    assert RequestEvent.objects.filter(request=row).count() == 1
    r = client_for(people.drafter_a).post(url, {"on": "2025-09-20", "outcome": "granted"})
    assert r.status_code == 400 and "早于上一事件" in r.content.decode()
    r = client_for(people.drafter_a).post(url, {"on": "2025-10-09", "outcome": "other.other"})
    assert r.status_code == 400 and "须写明答复依据" in r.content.decode()
    assert RequestEvent.objects.filter(request=row).count() == 1
    r = client_for(people.drafter_a).post(url, data)
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.outcome == "granted"


def test_intake_allowed_and_denied(tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:intake", args=[tree.town_a.pk])
    data = {"channel": "in_person", "day": "2025-09-26", "applicant_kind": "natural_person", "applicant_name": "张三",
            "subject": "本镇2025年财政预算", "delivery": "paper", "collect": "pickup", "pieces": "1"}
    assert client_for(people.drafter_a).get(url).status_code == 200
    for user in (people.supervisor, people.drafter_b, people.admin):
        assert client_for(user).post(url, data).status_code == 403
    assert DisclosureRequest.objects.count() == 0
    r = client_for(people.drafter_a).post(url, data)
    assert r.status_code == 302
    assert DisclosureRequest.objects.get().received_on == date(2025, 9, 26)


def test_lists_allowed_and_denied(row: DisclosureRequest, tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:list", args=[tree.town_a.pk])
    for user in (people.drafter_a, people.supervisor, people.admin):
        r = client_for(user).get(url + "?show=all")
        assert r.status_code == 200 and row.number in r.content.decode()
        assert "13812345678" not in r.content.decode()
    assert client_for(people.drafter_b).get(url).status_code == 404
    assert client_for(people.drafter_b).get(reverse("cases:agency_due", args=[tree.town_a.pk])).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_due_lists_per_agency_and_across_a_supervisors_subtree(row: DisclosureRequest, tree: Tree, people: People,
                                                                client_for: Clients) -> None:
    from gongkai_web.cases import actions

    other = make_request(people.drafter_b, tree.town_b, FRI, applicant_name="李四")
    actions.refresh_open(today=date(2025, 10, 31))  # both one working day late
    r = client_for(people.supervisor).get(reverse("cases:due"))
    html = r.content.decode()
    assert r.status_code == 200 and tree.town_a.name in html and tree.town_b.name in html
    assert html.count("已逾期</span>") == 2
    r = client_for(people.drafter_a).get(reverse("cases:due"))
    assert tree.town_a.name in r.content.decode() and tree.town_b.name not in r.content.decode()
    r = client_for(people.drafter_a).get(reverse("cases:agency_due", args=[tree.town_b.pk]))
    assert r.status_code == 404
    assert other.pk  # listed above only for the supervisor
    assert client_for(people.drafter_a).get(reverse("cases:home")).status_code == 302
    assert Client().get(reverse("cases:due")).status_code == 302


def test_appeals_allowed_and_denied(row: DisclosureRequest, tree: Tree, people: People, client_for: Clients) -> None:
    from gongkai_web.cases.models import Appeal

    url = reverse("cases:appeals", args=[tree.town_a.pk])
    data = {"number": "方复〔2025〕2号", "kind": "review", "filed": "2025-11-03", "requests": row.number}
    assert client_for(people.supervisor).get(url).status_code == 200
    assert client_for(people.supervisor).post(url, data).status_code == 403
    assert client_for(people.drafter_b).post(url, data).status_code == 404
    r = client_for(people.drafter_a).post(url, {**data, "requests": "2025-9999"})
    assert r.status_code == 400 and "没有编号为2025-9999的申请" in r.content.decode()
    assert Appeal.objects.count() == 0
    assert client_for(people.drafter_a).post(url, data).status_code == 302
    appeal = Appeal.objects.get()
    assert list(appeal.requests.all()) == [row]
    done = reverse("cases:conclude_appeal", args=[appeal.pk])
    assert client_for(people.supervisor).post(done, {"decided": "2025-12-01", "result": "upheld"}).status_code == 403
    assert client_for(people.drafter_b).post(done, {"decided": "2025-12-01", "result": "upheld"}).status_code == 404
    client_for(people.drafter_a).post(done, {"decided": "2025-10-01", "result": "upheld"})  # before it was filed
    appeal.refresh_from_db()
    assert appeal.decided is None
    client_for(people.drafter_a).post(done, {"decided": "2025-12-01", "result": "upheld"})
    appeal.refresh_from_db()
    assert (appeal.decided, appeal.result) == (date(2025, 12, 1), "upheld")


def test_fees_through_the_views(row: DisclosureRequest, tree: Tree, people: People, client_for: Clients) -> None:
    c = client_for(people.drafter_a)
    r = c.get(reverse("cases:fee_preview", args=[row.pk]) + "?method=page&pages=150")
    assert r.status_code == 200 and "1700" in r.content.decode()
    assert client_for(people.supervisor).get(reverse("cases:fee_preview", args=[row.pk])).status_code == 403
    assert client_for(people.drafter_b).get(reverse("cases:fee_preview", args=[row.pk])).status_code == 404
    step = reverse("cases:step", args=[row.pk, "fee"])
    r = c.post(step, {"on": "2025-09-29", "method": "page", "pages": "20"})
    assert r.status_code == 400 and "未达到收费标准" in r.content.decode()  # 1–30 pages are free
    r = c.post(step, {"on": "2025-09-29", "method": "piece"})
    assert r.status_code == 400 and "未达到收费标准" in r.content.decode()  # the applicant's first piece
    assert c.post(step, {"on": "2025-09-29", "method": "page", "pages": "150"}).status_code == 302
    row.refresh_from_db()
    # the 20 working days to pay ran out long before today: waiting period over, to be handled
    assert row.status == "lapsed" and row.pause_reason == "fee" and row.due is not None
    assert c.post(reverse("cases:step", args=[row.pk, "not_paid"]), {"on": "2025-10-31"}).status_code == 302
    row.refresh_from_db()
    assert row.outcome == "other.no_fee"
    r = client_for(people.supervisor).get(reverse("cases:fees", args=[tree.town_a.pk, 2025]))
    assert r.status_code == 200 and "2025年度发出政府信息公开信息处理费收费通知1件，收取信息处理费0件、共0元。" in \
        r.content.decode()
    assert client_for(people.drafter_b).get(reverse("cases:fees", args=[tree.town_a.pk, 2025])).status_code == 404


def test_export_masks_personal_data(row: DisclosureRequest, tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:export", args=[tree.town_a.pk])
    for user in (people.drafter_a, people.supervisor):
        r = client_for(user).get(url)
        text = r.content.decode("utf-8-sig")
        assert r.status_code == 200 and row.number in text and "2025-10-30" in text
        assert "230***********1234" in text and "138****5678" in text
        assert "230124199001011234" not in text and "13812345678" not in text
    assert client_for(people.drafter_b).get(url).status_code == 404
    assert PersonalDataView.objects.count() == 0


def test_template_files_allowed_and_denied(tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:template_file", args=[tree.town_a.pk, "correction"])
    r = client_for(people.approver_a).get(url)
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert client_for(people.drafter_a).get(url).status_code == 403
    assert client_for(people.supervisor).get(url).status_code == 403
    assert client_for(people.approver_b).get(url).status_code == 404
    assert client_for(people.approver_a).get(reverse("cases:template_file", args=[tree.town_a.pk, "x"])).status_code \
        == 404


def test_the_fee_on_the_request_page(row: DisclosureRequest, people: People, client_for: Clients) -> None:
    c = client_for(people.drafter_a)
    c.post(reverse("cases:step", args=[row.pk, "fee"]), {"on": "2025-09-29", "method": "page", "pages": "150"})
    html = c.get(reverse("cases:request", args=[row.pk])).content.decode()
    assert "按量计收，1700元" in html and "第31—100页70页×10元＝700元；第101—150页50页×20元＝1000元" in html


def test_an_administrator_loads_an_arrangement_and_sees_what_moved(tree: Tree, people: People,
                                                                   client_for: Clients) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai_web.cases.models import CalendarArrangement

    from .test_cases import ARRANGEMENT_2027

    # received Friday 2026-12-04: 12/7–11 (5), 12/14–18 (10), 12/21–25 (15), 12/28–31 (19), 1/1 元旦,
    # 2027-01-04 the 20th under the fixed-date fallback; with 1/4 off as well, 1/5
    open_row = make_request(people.drafter_a, tree.town_a, date(2026, 12, 4))
    assert open_row.due == date(2027, 1, 4)
    url = reverse("cases:calendar")

    def upload(text: str) -> SimpleUploadedFile:
        return SimpleUploadedFile("2027.toml", text.encode(), content_type="text/plain")

    for user in (people.drafter_a, people.supervisor):
        assert client_for(user).post(url, {"file": upload(ARRANGEMENT_2027)}).status_code == 403
    r = client_for(people.admin).post(url, {"file": upload("year = 2027\n[off]\n\"元旦\" = [\"2027-02-30\"]\n")})
    assert r.status_code == 400 and "2027-02-30" in r.content.decode()
    assert CalendarArrangement.objects.count() == 0
    r = client_for(people.admin).post(url, {"file": upload(ARRANGEMENT_2027)})
    html = r.content.decode()
    assert r.status_code == 200 and "答复期限变动的申请（1件）" in html
    assert f"申请{open_row.number}：答复期限由2027年1月4日改为2027年1月5日（推后1天）" in html
    open_row.refresh_from_db()
    assert open_row.due == date(2027, 1, 5)


def test_delivery_after_the_decision_and_a_reply_for_no_correction(row: DisclosureRequest, tree: Tree,
                                                                    people: People, client_for: Clients) -> None:
    import io

    from docx import Document

    c = client_for(people.drafter_a)
    c.post(reverse("cases:step", args=[row.pk, "decide"]), {"on": "2025-10-09", "outcome": "granted"})
    html = c.get(reverse("cases:request", args=[row.pk])).content.decode()
    assert 'id="step-deliver"' in html and 'id="step-decide"' not in html
    r = c.post(reverse("cases:step", args=[row.pk, "deliver"]), {"on": "2025-10-08", "how": "邮寄"})
    assert r.status_code == 400 and "早于上一事件" in r.content.decode()
    assert c.post(reverse("cases:step", args=[row.pk, "deliver"]), {"on": "2025-10-10", "how": "邮寄"}).status_code == 302
    assert 'id="step-deliver"' not in c.get(reverse("cases:request", args=[row.pk])).content.decode()
    assert RequestEvent.objects.filter(request=row).count() == 3

    other = make_request(people.drafter_a, tree.town_a, FRI, applicant_name="李四", subject="低保名单")
    c.post(reverse("cases:step", args=[other.pk, "correction"]), {"on": "2025-09-29", "days": "10", "items": "写明村名"})
    assert c.post(reverse("cases:step", args=[other.pk, "no_correction"]), {"on": "2025-10-24"}).status_code == 302
    other.refresh_from_db()
    assert other.outcome == "other.no_correction"
    data = c.get(reverse("cases:letter", args=[other.pk, "reply"])).content
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "申请人逾期不补正" in text and "《中华人民共和国政府信息公开条例》第三十条" in text
