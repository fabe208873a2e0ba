"""The registers of table 二: documents, monthly decision counts and fees, entered through the
pages and imported from the 台账 workbook; every page allowed and denied; bad input refused in
Chinese with nothing stored.  Expected figures are worked out by hand from the entries."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.ledger.template import template_xlsx
from gongkai_web.orgs.models import User
from gongkai_web.registers import actions, annual
from gongkai_web.registers.actions import MonthValues
from gongkai_web.registers.models import Document, Month, RegisterEvent
from gongkai_web.registers.queries import registers_for
from gongkai_web.testing import People, Tree

YEAR = 2025


def add(people: People, tree: Tree, number: str, issued: dt.date, repealed: dt.date | None = None,
        kind: str = "normative_documents") -> Document:
    return actions.add_document(people.drafter_a, tree.town_a, kind=kind, title=f"关于{number}的通知",
                                number=number, issued=issued, repealed=repealed)


@pytest.fixture
def registered(tree: Tree, people: People) -> None:
    add(people, tree, "甲政规〔2023〕1号", dt.date(2023, 5, 1))                          # in force
    add(people, tree, "甲政规〔2023〕2号", dt.date(2023, 6, 1), dt.date(2025, 3, 1))     # repealed 2025
    add(people, tree, "甲政规〔2025〕1号", dt.date(2025, 2, 10))                         # issued 2025
    add(people, tree, "甲政规〔2025〕2号", dt.date(2025, 12, 31), dt.date(2026, 1, 5))   # in force on 31 Dec
    add(people, tree, "甲政规〔2024〕9号", dt.date(2024, 1, 2), dt.date(2024, 12, 31))   # gone before 2025
    add(people, tree, "甲府令〔2025〕1号", dt.date(2025, 7, 1), kind="rules")
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {
        1: MonthValues(licensing=12, punishment=3, coercion=0, fee=Decimal("1.234567")),
        2: MonthValues(licensing=8, fee=Decimal("0.000001")),
        12: MonthValues(punishment=4, coercion=1, fee=Decimal("10")),
    })


def table2(tree: Tree, year: int = YEAR) -> dict[tuple[str, str], object]:
    t = annual.year_tally(tree.town_a, year, requests=[]).report.table("proactive")
    return {(r, c): t.value(r, c) for r, c, _cell in t.items()}


def test_table_two_counted_from_the_registers(registered: None, tree: Tree) -> None:
    v = table2(tree)
    # normative documents: issued in 2025 — 〔2025〕1号 and 2号; repealed in 2025 — 〔2023〕2号;
    # in force on 31 Dec 2025 — 〔2023〕1号, 〔2025〕1号, 〔2025〕2号 (repealed only in 2026)
    assert (v[("normative_documents", "issued")], v[("normative_documents", "repealed")],
            v[("normative_documents", "in_force")]) == (2, 1, 3)
    assert (v[("rules", "issued")], v[("rules", "repealed")], v[("rules", "in_force")]) == (1, 0, 1)
    assert v[("licensing", "decisions")] == 20 and v[("punishment", "decisions")] == 7
    assert v[("coercion", "decisions")] == 1
    assert v[("fees", "amount")] == Decimal("11.234568")  # exact: 1.234567 + 0.000001 + 10
    # the next year: 〔2025〕2号 repealed in 2026, nothing entered for the months
    v26 = table2(tree, 2026)
    assert (v26[("normative_documents", "issued")], v26[("normative_documents", "repealed")],
            v26[("normative_documents", "in_force")]) == (0, 1, 2)
    assert v26[("licensing", "decisions")] == 0
    assert len(registers_for(tree.town_a, YEAR).decisions) == 6  # the months' non-blank counts: 3 + 1 + 2
    assert registers_for(tree.town_a, YEAR).fees[2].amount.as_tuple().exponent == 0  # 10, not 10.000000


def test_without_registers_table_two_stays_blank(tree: Tree) -> None:
    t = annual.year_tally(tree.town_b, YEAR, requests=[]).report.table("proactive")
    assert t.value("rules", "issued") is None and t.value("fees", "amount") is None


def test_the_registers_page_and_its_drill_down(registered: None, tree: Tree, people: People,
                                               client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    page = c.get(reverse("registers:index", args=[tree.town_a.pk, YEAR])).content.decode()
    assert "甲政规〔2025〕1号" in page and 'name="m1-fee" value="1.234567"' in page
    cell = c.get(reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "normative_documents",
                                                 "in_force"])).content.decode()
    assert "甲政规〔2023〕1号" in cell and "甲政规〔2025〕2号" in cell and "甲政规〔2023〕2号" not in cell
    fee = c.get(reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "fees", "amount"])).content.decode()
    assert "2025年12月行政事业性收费（万元）" in fee and "11.234568" in fee
    assert c.get(reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "nope", "x"])).status_code == 404
    doc = Document.objects.get(number="甲政规〔2025〕1号")
    for junk in ("abc", "２０２５", "99999"):  # a year that is not one: the page still opens
        assert c.get(reverse("registers:document", args=[doc.pk]) + f"?year={junk}").status_code == 200


# -- permissions: allowed and denied, nothing changed -------------------------------------------------
def test_reading_pages_allowed_and_denied(registered: None, tree: Tree, people: People,
                                          client_for: Callable[[User], Client]) -> None:
    doc = Document.objects.get(number="甲政规〔2025〕1号")
    urls = [reverse("registers:index", args=[tree.town_a.pk, YEAR]),
            reverse("registers:tables", args=[tree.town_a.pk, YEAR]),
            reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "licensing", "decisions"]),
            reverse("registers:document", args=[doc.pk])]
    for user in (people.drafter_a, people.approver_a, people.supervisor, people.admin):
        for url in urls:
            assert client_for(user).get(url).status_code == 200, (user, url)
    for user in (people.drafter_b, people.dept_drafter):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
    anonymous = Client().get(urls[0])
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # a year outside the report years is no page
    assert client_for(people.drafter_a).get(reverse("registers:index", args=[tree.town_a.pk, 1999])).status_code == 404


def test_changes_allowed_only_to_the_agencys_staff(registered: None, tree: Tree, people: People,
                                                    client_for: Callable[[User], Client]) -> None:
    doc = Document.objects.get(number="甲政规〔2025〕1号")
    new_doc = {"kind": "rules", "title": "新规章", "number": "甲府令〔2025〕2号", "issued": "2025-09-01"}
    months = {"m3-licensing": "5"}
    edit = {"kind": doc.kind, "title": doc.title, "number": doc.number, "issued": "2025-02-10",
            "repealed": "2025-11-30"}
    writes = [(reverse("registers:add_document", args=[tree.town_a.pk, YEAR]), new_doc),
              (reverse("registers:months", args=[tree.town_a.pk, YEAR]), months),
              (reverse("registers:document", args=[doc.pk]), edit),
              (reverse("registers:delete_document", args=[doc.pk]), {}),
              (reverse("registers:import", args=[tree.town_a.pk, YEAR]), {}),
              (reverse("registers:fill", args=[tree.town_a.pk, YEAR]), {})]
    before = (Document.objects.count(), list(Month.objects.values_list("pk", "licensing")),
              RegisterEvent.objects.count())
    for user, status in ((people.supervisor, 403), (people.admin, 403), (people.drafter_b, 404),
                         (people.city_supervisor, 403)):
        for url, data in writes:
            assert client_for(user).post(url, data).status_code == status, (user, url)
    assert (Document.objects.count(), list(Month.objects.values_list("pk", "licensing")),
            RegisterEvent.objects.count()) == before
    doc.refresh_from_db()
    assert doc.repealed is None
    # the agency's own staff
    c = client_for(people.approver_a)
    assert c.post(writes[0][0], new_doc).status_code == 302
    assert Document.objects.filter(number="甲府令〔2025〕2号", agency=tree.town_a).exists()
    assert c.post(writes[1][0], months).status_code == 302
    assert Month.objects.get(agency=tree.town_a, year=YEAR, month=3).licensing == 5
    assert c.post(writes[2][0], edit).status_code == 302
    doc.refresh_from_db()
    assert doc.repealed == dt.date(2025, 11, 30)
    assert RegisterEvent.objects.filter(agency=tree.town_a, text__contains="废止日期由（未填）改为2025年11月30日").exists()


# -- bad input -------------------------------------------------------------------------------------
def test_bad_months_are_refused_in_chinese_and_nothing_is_stored(
        registered: None, tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    url = reverse("registers:months", args=[tree.town_a.pk, YEAR])
    before = list(Month.objects.order_by("pk").values())
    r = c.post(url, {"m1-licensing": "十二", "m1-fee": "1.234567", "m2-fee": "abc", "m5-coercion": "-3"})
    body = r.content.decode()
    assert r.status_code == 400
    assert "1月“行政许可”应为不小于0的整数（件数）；现在是“十二”" in body
    assert "2月“行政事业性收费（万元）”应为数字" in body and "5月“行政强制”应为不小于0的整数" in body
    assert 'value="十二"' in body  # what was typed is still there
    r = c.post(url, {"m4-fee": "0.0000001"})
    assert r.status_code == 400 and "小数超过6位" in r.content.decode()
    next_year = dt.date.today().year + 1
    with pytest.raises(actions.ActionError, match=f"{next_year}年1月还没有到"):
        actions.save_months(people.drafter_a, tree.town_a, next_year, {1: MonthValues(licensing=1)})
    assert list(Month.objects.order_by("pk").values()) == before


def test_bad_documents_are_refused_in_chinese(registered: None, tree: Tree, people: People,
                                              client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    url = reverse("registers:add_document", args=[tree.town_a.pk, YEAR])
    count = Document.objects.count()
    cases = [
        ({"kind": "rules", "title": "甲", "number": "甲政规〔2023〕1号", "issued": "2025-01-01"}, "已经登记"),
        ({"kind": "rules", "title": "甲", "number": "X1", "issued": "2025-05-01", "repealed": "2025-04-01"},
         "废止日期2025年4月1日早于印发日期2025年5月1日"),
        ({"kind": "rules", "title": "甲", "number": "X2", "issued": "2099-01-01"}, "晚于今天"),
        ({"kind": "rules", "title": "甲", "number": "X3", "issued": "2025-02-30"}, "请填写有效的日期"),
        ({"kind": "rules", "title": "", "number": "X4", "issued": "2025-02-03"}, "请填写文件名称"),
    ]
    for data, message in cases:
        r = c.post(url, data)
        assert r.status_code == 400 and message in r.content.decode(), (data, message)
    assert Document.objects.count() == count


# -- import from the 台账 workbook --------------------------------------------------------------------
def workbook(docs: list[list[object]], months: list[list[object]]) -> bytes:
    wb = load_workbook(io.BytesIO(template_xlsx()))
    for title, rows in (("规章和规范性文件", docs), ("处理决定和收费", months)):
        ws = wb[title]
        header = [c.value for c in ws[1]]
        for i, row in enumerate(rows, 2):
            for col, value in zip(header, row, strict=False):
                ws.cell(i, header.index(col) + 1, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DOC_HEADER = ["类别", "名称", "文号", "印发日期", "废止日期", "备注"]
MONTH_HEADER = ["月份", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"]


def _ordered(header: list[str], values: dict[str, object]) -> list[object]:
    return [values.get(h) for h in header]


def _sheet(rows: list[dict[str, object]], header: list[str]) -> list[list[object]]:
    return [_ordered(header, r) for r in rows]


def test_import_previews_every_bad_row_and_stores_nothing(tree: Tree, people: People,
                                                          client_for: Callable[[User], Client]) -> None:
    data = _bad_and_good_book()
    c = client_for(people.drafter_a)
    url = reverse("registers:import", args=[tree.town_a.pk, YEAR])
    assert c.get(url).status_code == 200
    r = c.post(url, {"file": _upload(data)})
    body = r.content.decode()
    assert r.status_code == 400
    assert "“规章和规范性文件”第3行" in body and "不是存在的日期" in body
    assert "“规章和规范性文件”第4行" in body and "缺少“文号”" in body
    assert "“处理决定和收费”第3行" in body and "应为整数" in body
    assert "确认导入" not in body
    # a confirmation forged with the same bad data is refused too (what is posted is checked again)
    import json

    forged = {"documents": [{"id": "x", "kind": "rules", "title": "伪造", "number": "X1", "issued": "2099-01-01"}],
              "decisions": [{"id": "y", "kind": "licensing", "month": "2025-02", "count": -3}]}
    r = c.post(url, {"upload": json.dumps(forged), "confirm": "1"})
    assert r.status_code == 400
    r = c.post(url, {"upload": "not json", "confirm": "1"})
    assert r.status_code == 400 and "请选择要导入的台账文件" in r.content.decode()
    assert Document.objects.count() == 0 and Month.objects.count() == 0


def _bad_and_good_book() -> bytes:
    docs = [{"类别": "行政规范性文件", "名称": "好文件", "文号": "甲政规〔2025〕7号", "印发日期": "2025-03-01"},
            {"类别": "规章", "名称": "日期错", "文号": "甲府令〔2025〕3号", "印发日期": "2025-02-30"},
            {"类别": "规章", "名称": "没有文号", "印发日期": "2025-04-01"}]
    months = [{"月份": "2025-01", "行政许可": 3, "行政事业性收费（万元）": "2.5"},
              {"月份": "2025-02", "行政许可": "三件"}]
    return workbook(_sheet(docs, DOC_HEADER), _sheet(months, MONTH_HEADER))


def test_import_names_a_number_too_long_and_a_future_date(tree: Tree, people: People) -> None:
    docs = [{"类别": "规章", "名称": "文号太长", "文号": "甲" * 101, "印发日期": "2025-03-01"},
            {"类别": "规章", "名称": "未来的文件", "文号": "甲府令〔2099〕1号", "印发日期": "2099-03-01"}]
    preview = actions.preview_import(tree.town_a, workbook(_sheet(docs, DOC_HEADER), []))
    assert "“规章和规范性文件”第2行：名称最长300字、文号最长100字" in preview.problems
    assert "“规章和规范性文件”第3行：《未来的文件》的印发或废止日期晚于今天" in preview.problems
    assert not preview.documents


def _upload(data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("台账.xlsx", data)


def test_import_a_good_workbook_after_preview(tree: Tree, people: People,
                                              client_for: Callable[[User], Client]) -> None:
    docs = [{"类别": "行政规范性文件", "名称": "好文件", "文号": "甲政规〔2025〕7号", "印发日期": "2025-03-01"},
            {"类别": "规章", "名称": "旧规章", "文号": "甲府令〔2020〕1号", "印发日期": "2020-04-01",
             "废止日期": "2025-06-30"}]
    months = [{"月份": "2025-01", "行政许可": 3, "行政事业性收费（万元）": "2.5"},
              {"月份": "2025-02", "行政处罚": 2, "行政强制": 1, "行政事业性收费（万元）": "0.125"}]
    data = workbook(_sheet(docs, DOC_HEADER), _sheet(months, MONTH_HEADER))
    c = client_for(people.drafter_a)
    url = reverse("registers:import", args=[tree.town_a.pk, YEAR])
    r = c.post(url, {"file": _upload(data)})
    assert r.status_code == 200 and "确认导入" in r.content.decode()
    assert Document.objects.count() == 0  # the preview stores nothing
    r = c.post(url, {"upload": r.context["data"], "confirm": "1"})
    assert r.status_code == 302
    v = table2(tree)
    assert v[("normative_documents", "issued")] == 1 and v[("rules", "repealed")] == 1
    assert v[("rules", "in_force")] == 0 and v[("licensing", "decisions")] == 3
    assert v[("fees", "amount")] == Decimal("2.625")
    assert RegisterEvent.objects.filter(text__contains="新登记文件2件").exists()


def test_a_file_that_is_not_a_workbook(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(reverse("registers:import", args=[tree.town_a.pk, YEAR]),
               {"file": SimpleUploadedFile("x.xlsx", b"not a zip at all")})
    assert r.status_code == 400 and "不是 Excel（.xlsx）文件" in r.content.decode()
    r = c.post(reverse("registers:import", args=[tree.town_a.pk, YEAR]), {})
    assert r.status_code == 400 and "请选择要导入的台账文件" in r.content.decode()
    assert Document.objects.count() == 0


def test_template_download(people: People, client_for: Callable[[User], Client]) -> None:
    r = client_for(people.drafter_a).get(reverse("registers:template"))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert Client().get(reverse("registers:template")).status_code == 302


def test_the_cached_tables_page_follows_every_change(registered: None, tree: Tree, people: People,
                                                      client_for: Callable[[User], Client]) -> None:
    c = client_for(people.supervisor)
    url = reverse("registers:tables", args=[tree.town_a.pk, YEAR])
    cell = reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "licensing", "decisions"])
    assert f'<a href="{cell}" title="查看计入这个数字的登记">20</a>' in c.get(url).content.decode()
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {5: MonthValues(licensing=3)})
    assert f'<a href="{cell}" title="查看计入这个数字的登记">23</a>' in c.get(url).content.decode()
    doc = Document.objects.get(number="甲政规〔2025〕1号")
    in_force = reverse("registers:cell", args=[tree.town_a.pk, YEAR, "proactive", "normative_documents", "in_force"])
    assert f'<a href="{in_force}" title="查看计入这个数字的登记">3</a>' in c.get(url).content.decode()
    actions.change_document(people.drafter_a, doc, kind=doc.kind, title=doc.title, number=doc.number,
                            issued=doc.issued, repealed=dt.date(2025, 6, 30))
    assert f'<a href="{in_force}" title="查看计入这个数字的登记">2</a>' in c.get(url).content.decode()


def test_home_goes_to_ones_own_registers(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    from gongkai_web.reports.forms import working_year

    r = client_for(people.drafter_b).get(reverse("registers:home"))
    assert r.status_code == 302 and r["Location"] == reverse("registers:index", args=[tree.town_b.pk, working_year()])
    r = client_for(people.admin).get(reverse("registers:home"), follow=True)
    assert "您的账号没有所属机关" in r.content.decode()
    assert Client().get(reverse("registers:home")).status_code == 302  # to the login page


def test_a_supervisor_picks_any_agency_of_the_subtree(tree: Tree, people: People,
                                                      client_for: Callable[[User], Client]) -> None:
    page = client_for(people.supervisor).get(reverse("registers:index", args=[tree.county.pk, YEAR])).content.decode()
    for agency in (tree.county, tree.town_a, tree.town_b, tree.dept):
        assert f'value="{reverse("registers:index", args=[agency.pk, YEAR])}"' in page
    assert tree.city.name not in page  # above the supervisor's agency
    own = client_for(people.drafter_a).get(reverse("registers:index", args=[tree.town_a.pk, YEAR])).content.decode()
    assert 'id="agency-pick"' not in own  # one agency: no choice offered
