"""Importing an Excel 台账 (the engine's layout): a preview lists every bad row and stores nothing;
a good workbook is stored after confirmation, each request replayed from its events."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.ledger.template import template_xlsx
from gongkai_web.cases.models import Appeal, DisclosureRequest, RequestEvent
from gongkai_web.cases.testing import make_request
from gongkai_web.orgs.models import User
from gongkai_web.testing import People, Tree

Clients = Callable[[User], Client]


def workbook(rows: list[dict[str, object]], appeals: list[dict[str, object]] = ()) -> bytes:  # type: ignore[assignment]
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    for sheet, items in (("依申请公开台账", rows), ("行政复议和行政诉讼", appeals)):
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for n, values in enumerate(items, 2):
            for k, v in values.items():
                ws.cell(n, headers.index(k) + 1, v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    {"编号": "2025-001", "申请人类型": "自然人", "申请人": "张三", "渠道": "网络", "收到日期": date(2025, 3, 3),
     "办理结果": "予以公开", "答复日期": date(2025, 3, 20)},
    {"编号": "2025-002", "申请人类型": "商业企业", "申请人": "某公司", "渠道": "邮寄", "收到日期": date(2025, 9, 26),
     "补正告知日期": date(2025, 9, 29), "补正期限（工作日）": 15, "收到补正日期": date(2025, 10, 13),
     "办理结果": "部分公开", "答复日期": date(2025, 10, 24)},
    {"编号": "2025-003", "申请人类型": "自然人", "申请人": "李四", "渠道": "当面", "收到日期": date(2025, 12, 29)},
]


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_a_good_ledger_is_previewed_then_stored(tree: Tree, people: People, client_for: Clients) -> None:
    c = client_for(people.drafter_a)
    url = reverse("cases:import", args=[tree.town_a.pk])
    data = workbook(GOOD, [{"编号": "方复〔2025〕1号", "类别": "行政复议", "收到日期": date(2025, 11, 3),
                            "涉及申请编号": "2025-002"}])
    r = c.post(url, {"file": upload(data)})
    assert r.status_code == 200 and "可以导入" in r.content.decode() and "申请3件" in r.content.decode()
    assert DisclosureRequest.objects.count() == 0  # a preview stores nothing
    sha = r.context["sha"]
    r = c.post(url, {"confirm": "1", "sha": sha})
    assert r.status_code == 302
    rows = {r.number: r for r in DisclosureRequest.objects.filter(agency=tree.town_a)}
    assert set(rows) == {"2025-001", "2025-002", "2025-003"}
    assert (rows["2025-002"].outcome, rows["2025-002"].closed_on) == ("partial", date(2025, 10, 24))
    assert rows["2025-002"].received_on == date(2025, 9, 26) and rows["2025-002"].applicant_kind == "commercial"
    assert rows["2025-003"].closed_on is None and rows["2025-003"].status == "late"
    assert [e.type for e in RequestEvent.objects.filter(request=rows["2025-002"])] == [
        "received", "correction_requested", "corrected", "decided"]
    appeal = Appeal.objects.get()
    assert list(appeal.requests.all()) == [rows["2025-002"]]
    # a new intake does not take an imported number
    new = make_request(people.drafter_a, tree.town_a, date(2025, 12, 30))
    assert new.number == "2025-0004"


def test_broken_rows_are_each_named_and_nothing_is_stored(tree: Tree, people: People, client_for: Clients) -> None:
    make_request(people.drafter_a, tree.town_a, date(2025, 3, 3))  # 2025-0001 exists already
    bad = [
        dict(GOOD[0]),
        {**GOOD[1], "办理结果": "基本公开"},                         # row 3: not a table 三 outcome
        {**GOOD[2], "收到日期": "2025-02-30"},                       # row 4: no such date
        {"编号": "2025-004", "申请人类型": None, "渠道": "网络", "收到日期": date(2025, 5, 6)},  # row 5: blank kind
        {"编号": "2025-0001", "申请人类型": "自然人", "渠道": "网络", "收到日期": date(2025, 5, 6)},  # row 6: taken
        {"编号": "2099-001", "申请人类型": "自然人", "渠道": "网络", "收到日期": date(2099, 5, 6)},  # row 7: future
    ]
    c = client_for(people.drafter_a)
    r = c.post(reverse("cases:import", args=[tree.town_a.pk]), {"file": upload(workbook(bad))})
    assert r.status_code == 400
    html = r.content.decode()
    for n in (3, 4, 5, 6, 7):
        assert f"“依申请公开台账”第{n}行" in html, n
    assert "第2行" not in html and "未导入：5处问题" in html
    assert "基本公开" in html and "2025-02-30" in html and "晚于今天" in html and "已经存在" in html
    assert DisclosureRequest.objects.count() == 1 and "sha" not in r.context
    # and a file that is not a workbook at all
    r = c.post(reverse("cases:import", args=[tree.town_a.pk]), {"file": upload(b"PK\x03\x04garbage", "坏.xlsx")})
    assert r.status_code == 400 and "无法读取" in r.content.decode()
    assert DisclosureRequest.objects.count() == 1


def test_import_allowed_and_denied(tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:import", args=[tree.town_a.pk])
    assert client_for(people.approver_a).get(url).status_code == 200
    assert client_for(people.supervisor).post(url, {"file": upload(workbook(GOOD))}).status_code == 403
    assert client_for(people.drafter_b).post(url, {"file": upload(workbook(GOOD))}).status_code == 404
    # a confirmation without this user's own preview stores nothing
    assert client_for(people.drafter_a).post(url, {"confirm": "1", "sha": "0" * 64}).status_code == 302
    assert DisclosureRequest.objects.count() == 0


def test_the_previewed_workbook_waits_in_the_database_not_in_the_session(
        tree: Tree, people: People, client_for: Clients) -> None:
    """Between preview and confirmation the file is kept as one row per person and agency (the
    session holds only its id: every request of the session would carry the file otherwise);
    someone else, or a stale page, cannot confirm it; the import removes it."""
    from gongkai_web.cases.models import StagedImport

    c = client_for(people.drafter_a)
    url = reverse("cases:import", args=[tree.town_a.pk])
    data = workbook(GOOD)
    first = c.post(url, {"file": upload(data, "旧台账.xlsx")}).context["sha"]
    sha = c.post(url, {"file": upload(data)}).context["sha"]
    staged = StagedImport.objects.get()  # the second preview replaced the first
    assert (staged.staged_by, staged.agency, bytes(staged.data), staged.sha) == (people.drafter_a, tree.town_a, data, sha)
    assert first == sha and len(c.session.encode(dict(c.session))) < 1000
    other = client_for(people.approver_a)  # same agency, but not this person's preview
    r = other.post(url, {"confirm": "1", "sha": sha}, follow=True)
    assert "预览已失效" in r.content.decode() and DisclosureRequest.objects.count() == 0
    r = c.post(url, {"confirm": "1", "sha": "0" * 64}, follow=True)  # a page from another file
    assert "预览已失效" in r.content.decode() and DisclosureRequest.objects.count() == 0
    assert c.post(url, {"confirm": "1", "sha": sha}).status_code == 302
    assert DisclosureRequest.objects.filter(agency=tree.town_a).count() == 3
    assert not StagedImport.objects.exists()
