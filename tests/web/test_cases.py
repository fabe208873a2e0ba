"""The case ledger's actions and queries: intake by 第三十一条, tracking numbers, steps through the
engine (refusals store nothing), the columns lists read, the year's requests and appeals rebuilt
for the engine's tally, re-dating after a calendar change, personal data.

Expected dates are counted by hand from the 2025 arrangement (国庆、中秋 10月1日—8日 off; 9月28日
(Sunday) and 10月11日 (Saturday) working) and the fixed-date fallback for 2027."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.ledger import tally
from gongkai_web.cases import actions, queries
from gongkai_web.cases.models import Appeal, CalendarArrangement, DisclosureRequest, PersonalDataView, RequestEvent
from gongkai_web.cases.testing import make_closed, make_request
from gongkai_web.orgs.models import Agency
from gongkai_web.testing import People, Tree, make_report

FRI = date(2025, 9, 26)  # the Friday before 国庆 2025


def test_intake_dates_receipt_by_channel_and_numbers_per_agency_and_year(tree: Tree, people: People) -> None:
    a1 = make_request(people.drafter_a, tree.town_a, FRI)
    # 邮寄: the day the agency signed for it (a Saturday), whatever day it was posted
    a2 = actions.intake(people.drafter_a, tree.town_a, channel="post", day=date(2025, 9, 27),
                        applicant_kind="commercial", applicant_name="某公司", subject="某项目环评批复",
                        today=date(2025, 9, 29))
    b1 = make_request(people.drafter_b, tree.town_b, FRI, applicant_name="李四")
    a3 = make_request(people.drafter_a, tree.town_a, date(2026, 1, 5))
    assert [a1.number, a2.number, b1.number, a3.number] == ["2025-0001", "2025-0002", "2025-0001", "2026-0001"]
    assert a2.received_on == date(2025, 9, 27)
    # 20 working days after Friday 26 September 2025 (not counted): 9/28 (调休 Sunday), 9/29, 9/30,
    # then 10/9, 10/10, 10/11 (调休 Saturday) … the 20th is Thursday 30 October
    assert a1.due == date(2025, 10, 30) and a1.status == "open" and a1.days_left == 20
    assert a2.due == date(2025, 10, 30)
    ev = RequestEvent.objects.get(request=a2)
    assert ev.data == {"type": "received", "date": "2025-09-27", "channel": "post"}


def test_intake_refusals_store_nothing(tree: Tree, people: People) -> None:
    today = timezone.localdate()
    with pytest.raises(actions.ActionError, match="晚于今天"):
        make_request(people.drafter_a, tree.town_a, today + timedelta(days=3), today=today)
    with pytest.raises(actions.ActionError, match="签收日期"):  # 邮寄 needs the signing date, not a confirmation
        actions.intake(people.drafter_a, tree.town_a, channel="post", day=None, applicant_kind="natural_person",
                       applicant_name="张三", subject="x")
    with pytest.raises(actions.ActionError, match="申请人类型"):
        actions.intake(people.drafter_a, tree.town_a, channel="online", day=FRI, applicant_kind="",
                       applicant_name="张三", subject="x", today=FRI)
    with pytest.raises(PermissionDenied):
        make_request(people.supervisor, tree.town_a, FRI)
    with pytest.raises(PermissionDenied):
        make_request(people.drafter_b, tree.town_a, FRI)
    assert DisclosureRequest.objects.count() == 0 and RequestEvent.objects.count() == 0


def test_steps_move_the_clock_and_refusals_change_nothing(tree: Tree, people: People) -> None:
    u = people.drafter_a
    row = make_request(u, tree.town_a, FRI)
    row = actions.request_correction(u, row, on=date(2025, 9, 29), days=15, items="请写明项目名称", today=date(2025, 9, 29))
    assert row.status == "paused" and row.pause_reason == "correction" and row.due is None
    assert row.status_label == "依法暂停计时（等待补正）"
    row = actions.receive_correction(u, row, on=date(2025, 10, 13), today=date(2025, 10, 13))
    # restarts from Monday 13 October: 10/14–17 (4), 10/20–24 (9), 10/27–31 (14), 11/3–7 (19), 11/10
    assert row.due == date(2025, 11, 10) and row.status == "open"
    row = actions.start_consultation(u, row, on=date(2025, 10, 15), party="third_party", whom="某建设公司",
                                     today=date(2025, 10, 15))
    assert row.status == "paused" and row.pause_reason == "consultation"
    row = actions.consultation_answered(u, row, on=date(2025, 10, 22), today=date(2025, 10, 22))
    # 10/16, 10/17, 10/20, 10/21, 10/22 do not count: five working days later, 17 November
    assert row.due == date(2025, 11, 17)
    row = actions.extend(u, row, on=date(2025, 11, 3), days=10, approver="王主任", reason="信息量大",
                         today=date(2025, 11, 3))
    assert row.due == date(2025, 12, 1)  # 11/18–21 (4), 11/24–28 (9), 12/1 (10)
    n = RequestEvent.objects.filter(request=row).count()
    with pytest.raises(actions.ActionError, match="延长答复期限只能一次"):
        actions.extend(u, row, on=date(2025, 11, 4), days=5, approver="王主任", reason="再延", today=date(2025, 11, 4))
    with pytest.raises(actions.ActionError, match="早于上一事件"):
        actions.decide(u, row, on=date(2025, 9, 20), outcome="granted", today=date(2025, 11, 4))
    with pytest.raises(actions.ActionError, match="须写明答复依据"):
        actions.decide(u, row, on=date(2025, 11, 5), outcome="other.other", today=date(2025, 11, 5))
    with pytest.raises(actions.ActionError, match="请选择一个办理结果"):
        actions.decide(u, row, on=date(2025, 11, 5), outcome="", today=date(2025, 11, 5))
    with pytest.raises(actions.ActionError, match="不是表三的办理结果"):
        actions.decide(u, row, on=date(2025, 11, 5), outcome="granted.maybe", today=date(2025, 11, 5))
    with pytest.raises(PermissionDenied):
        actions.decide(people.supervisor, row, on=date(2025, 11, 5), outcome="granted", today=date(2025, 11, 5))
    assert RequestEvent.objects.filter(request=row).count() == n
    row.refresh_from_db()
    assert row.due == date(2025, 12, 1) and row.closed_on is None
    row = actions.decide(u, row, on=date(2025, 11, 5), outcome="partial", today=date(2025, 11, 5))
    assert (row.status, row.outcome, row.closed_on) == ("closed", "partial", date(2025, 11, 5))
    assert queries.library_request(row).ground == "《中华人民共和国政府信息公开条例》第三十七条"


def test_the_years_requests_and_appeals_rebuilt_for_the_engine(tree: Tree, people: People) -> None:
    u = people.drafter_a
    a = make_closed(u, tree.town_a, date(2025, 3, 3), date(2025, 3, 20), "granted")
    b = make_request(u, tree.town_a, date(2025, 12, 22), applicant_kind="commercial", applicant_name="某公司",
                     today=date(2025, 12, 22))
    b = actions.decide(u, b, on=date(2026, 1, 9), outcome="partial", today=date(2026, 1, 9))
    c = make_request(u, tree.town_a, date(2026, 2, 2), applicant_name="王五")
    elsewhere = make_request(people.drafter_b, tree.town_b, date(2026, 2, 2))  # another agency's: never counted
    assert {r.id for r in queries.library_requests(tree.town_a, 2025)} == {a.number, b.number}
    assert {r.id for r in queries.library_requests(tree.town_a, 2026)} == {b.number, c.number}
    assert len(queries.library_requests(tree.town_a, None)) == 3
    lib_b = next(r for r in queries.library_requests(tree.town_a, 2026) if r.id == b.number)
    assert lib_b.ref == str(b.pk) and lib_b.outcome == "partial" and lib_b.applicant_kind == "commercial"

    appeal = actions.add_appeal(u, tree.town_a, number="方复〔2026〕3号", kind="review", filed=date(2026, 3, 2),
                                requests=[b], today=date(2026, 3, 2))
    actions.conclude_appeal(u, appeal, decided=date(2026, 5, 6), result="corrected", today=date(2026, 5, 6))
    assert queries.library_appeals(tree.town_a, 2025) == []
    (lib_appeal,) = queries.library_appeals(tree.town_a, 2026)
    assert (lib_appeal.kind, lib_appeal.result, lib_appeal.requests) == ("review", "corrected", (b.number,))

    t25 = tally(queries.library_requests(tree.town_a, 2025), year=2025, agency=tree.town_a.name)
    assert t25.cases("requests", "granted", "natural_person") == (a.number,)
    assert t25.cases("requests", "carried_forward", "commercial") == (b.number,)
    t26 = tally(queries.library_requests(tree.town_a, 2026), year=2026, agency=tree.town_a.name,
                appeals=queries.library_appeals(tree.town_a, 2026))
    assert t26.cases("requests", "carried_over", "commercial") == (b.number,)
    assert t26.cases("requests", "partial", "commercial") == (b.number,)
    assert t26.cases("requests", "carried_forward", "natural_person") == (c.number,)
    assert t26.cases("appeals", "review", "corrected") == (appeal.number,)
    assert queries.pks_for_numbers(tree.town_a, [b.number, c.number]) == {b.number: b.pk, c.number: c.pk}
    county = Agency.objects.get(pk=tree.county.pk)
    assert set(queries.open_requests(Agency.objects.subtree(county))) == {c, elsewhere}
    assert list(queries.open_requests(Agency.objects.filter(pk=tree.town_a.pk))) == [c]


def test_add_appeal_refusals(tree: Tree, people: People) -> None:
    other = make_request(people.drafter_b, tree.town_b, FRI)
    with pytest.raises(actions.ActionError, match="本机关的申请"):
        actions.add_appeal(people.drafter_a, tree.town_a, number="1", kind="review", filed=FRI, requests=[other])
    with pytest.raises(actions.ActionError, match="晚于今天"):
        actions.add_appeal(people.drafter_a, tree.town_a, number="1", kind="review",
                           filed=timezone.localdate() + timedelta(days=2))
    with pytest.raises(PermissionDenied):
        actions.add_appeal(people.supervisor, tree.town_a, number="1", kind="review", filed=FRI)
    assert Appeal.objects.count() == 0


ARRANGEMENT_2027 = """year = 2027
notice = "测试用放假安排（非实际安排）"
[off]
"元旦" = ["2027-01-01", "2027-01-04"]
"""


def test_loading_a_calendar_redates_open_requests_only(tree: Tree, people: People) -> None:
    u = people.drafter_a
    today = date(2026, 12, 16)
    open_row = make_request(u, tree.town_a, date(2026, 12, 15), today=today)
    # 12/16–18 (3), 12/21–25 (8), 12/28–31 (12), 1/1 元旦 (fixed), 1/4–8 (17), 1/11, 1/12, 1/13
    assert open_row.due == date(2027, 1, 13) and open_row.provisional
    closed = make_closed(u, tree.town_a, date(2026, 12, 1), date(2026, 12, 10), "granted", applicant_name="赵六")
    with pytest.raises(PermissionDenied):
        actions.load_arrangement(people.supervisor, ARRANGEMENT_2027, today=today)
    with pytest.raises(actions.ActionError, match="TOML"):
        actions.load_arrangement(people.admin, "year = ", today=today)
    assert CalendarArrangement.objects.count() == 0
    _, moved = actions.load_arrangement(people.admin, ARRANGEMENT_2027, today=today)
    assert [(r.pk, m.old, m.new, m.days) for r, m in moved] == [
        (open_row.pk, date(2027, 1, 13), date(2027, 1, 14), 1)]
    assert "推后1天" in moved[0][1].describe()
    open_row.refresh_from_db()
    closed.refresh_from_db()
    assert open_row.due == date(2027, 1, 14) and not open_row.provisional
    assert closed.closed_on == date(2026, 12, 10)


def test_daily_refresh_updates_status(tree: Tree, people: People) -> None:
    row = make_request(people.drafter_a, tree.town_a, FRI)
    also = make_request(people.drafter_a, tree.town_a, FRI, applicant_name="李四")  # one statement, two rows
    assert actions.refresh_open(today=date(2025, 10, 27)) == 2  # 10/28, 10/29, 10/30 left
    also.refresh_from_db()
    assert also.status == "due_soon"
    row.refresh_from_db()
    assert (row.status, row.days_left, row.computed_on) == ("due_soon", 3, date(2025, 10, 27))
    assert list(queries.due_soon(Agency.objects.all())) == [row, also]
    actions.refresh_open(today=date(2025, 10, 31))
    row.refresh_from_db()
    assert (row.status, row.days_left) == ("late", -1)
    assert list(queries.overdue(Agency.objects.all())) == [row, also]


def test_duplicates_and_personal_data(tree: Tree, people: People) -> None:
    first = make_request(people.drafter_a, tree.town_a, FRI, id_type="resident_id", id_number="230124199001011234",
                         phone="13812345678")
    again = make_request(people.drafter_a, tree.town_a, date(2025, 10, 9), id_type="resident_id",
                         id_number="230124199001011234", subject="2025年本镇农村道路建设项目的招标文件。")
    other = make_request(people.drafter_a, tree.town_a, date(2025, 10, 9), subject="本镇低保名单")
    assert again.duplicate_of == first and other.duplicate_of is None
    actions.view_personal(people.approver_a, first)
    with pytest.raises(PermissionDenied):
        actions.view_personal(people.supervisor, first)
    with pytest.raises(PermissionDenied):
        actions.view_personal(people.drafter_b, first)
    (log,) = PersonalDataView.objects.all()
    assert (log.user, log.request) == (people.approver_a, first)


def test_a_step_dated_in_a_published_year_needs_a_reason_and_reopens_that_report(tree: Tree, people: People) -> None:
    u = people.drafter_a
    row = make_request(u, tree.town_a, FRI)
    report = make_report(u, tree.town_a, 2025, stage="published", approver=people.approver_a)
    # a 补正 notice changes none of 2025's numbers: no reason asked, the report stays published
    actions.request_correction(u, row, on=date(2025, 9, 29), days=10, items="写明项目", today=date(2026, 1, 20))
    actions.receive_correction(u, row, on=date(2025, 10, 9), today=date(2026, 1, 20))
    report.refresh_from_db()
    assert report.status == "published"
    with pytest.raises(actions.ActionError, match="须写明修改理由"):
        actions.decide(u, row, on=date(2025, 10, 9), outcome="granted", today=date(2026, 1, 20))
    with pytest.raises(actions.ActionError, match="须写明修改理由"):
        make_request(u, tree.town_a, date(2025, 12, 1), today=date(2026, 1, 20), applicant_name="补登")
    assert RequestEvent.objects.count() == 3 and DisclosureRequest.objects.count() == 1
    report.refresh_from_db()
    assert report.status == "published"
    actions.decide(u, row, on=date(2025, 10, 9), outcome="granted", today=date(2026, 1, 20),
                   change_reason="补录遗漏的答复")
    report.refresh_from_db()
    assert report.status != "published" and report.versions.count() == 1
    # a step dated in an unpublished year needs no reason
    later = make_request(u, tree.town_a, date(2026, 1, 5), applicant_name="王五")
    actions.decide(u, later, on=date(2026, 1, 9), outcome="granted", today=date(2026, 1, 9))


def test_the_daily_command_loads_an_arrangement_and_lists_what_moved(tree: Tree, people: People, tmp_path) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    a = make_request(people.drafter_a, tree.town_a, date(2026, 12, 15), today=date(2026, 12, 16))
    b = make_request(people.drafter_b, tree.town_b, date(2026, 12, 15), today=date(2026, 12, 16))
    assert a.number == b.number  # the same tracking number in two agencies
    f = tmp_path / "2027.toml"
    f.write_text(ARRANGEMENT_2027, encoding="utf-8")
    out = StringIO()
    call_command("cases_refresh", "--load", str(f), "--today", "2026-12-16", stdout=out)
    text = out.getvalue()
    assert "答复期限变动的申请2件" in text and "已重算2件" in text
    assert f"{tree.town_a.name}申请{a.number}：答复期限由2027年1月13日改为2027年1月14日（推后1天）" in text
    assert f"{tree.town_b.name}申请{b.number}" in text
    b.refresh_from_db()
    assert b.due == date(2027, 1, 14)
    with pytest.raises(CommandError, match="无法读取"):
        call_command("cases_refresh", "--load", str(tmp_path / "none.toml"), stdout=StringIO())
    bad = tmp_path / "bad.toml"
    bad.write_text("year = 2027\n[off]\n\"元旦\" = [\"2027-13-01\"]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="2027-13-01"):
        call_command("cases_refresh", "--load", str(bad), stdout=StringIO())
    assert CalendarArrangement.objects.count() == 1
