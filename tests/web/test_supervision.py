"""The supervisor's overview: who may open it, what each agency's row says (stage, deadline from
the library, counts, overdue), filtering, sorting, paging and the Excel export."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongkai_web.orgs.models import User
from gongkai_web.reports.models import Report
from gongkai_web.supervision import overview
from gongkai_web.testing import People, Tree, make_report, valid_report

URL = "/supervision/"

ClientFor = Callable[[User], Client]


@pytest.fixture
def reports(tree: Tree, people: People) -> dict[str, Report]:
    """2023: town A published (balanced), town B submitted with a broken balance, the county's
    finance bureau a draft; the county, its office: nothing."""
    broken = valid_report(tree.town_b, 2023)
    broken.table("requests").set("new", "total", 999)
    return {
        "a": make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023),
                         stage="published", approver=people.approver_a),
        "b": make_report(people.drafter_b, tree.town_b, 2023, lib=broken, stage="submitted"),
        "dept": make_report(people.dept_drafter, tree.dept, 2023, lib=valid_report(tree.dept, 2023)),
    }


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r for r in body.split("<tr")[1:]]


def row_for(html: str, name: str) -> str:
    found = [r for r in rows_of(html) if f">{name}<" in r]
    assert len(found) == 1, f"{name}: {len(found)} rows"
    return found[0]


def test_a_supervisor_sees_every_agency_of_the_subtree_with_its_state(
        client_for: ClientFor, tree: Tree, people: People, reports: dict[str, Report]) -> None:
    r = client_for(people.supervisor).get(URL, {"year": 2023})
    assert r.status_code == 200
    html = r.content.decode()
    for a in (tree.county, tree.office, tree.dept, tree.town_a, tree.town_b):
        assert f">{a.name}<" in html
    assert tree.city.name not in html.split("<tbody>", 1)[1]  # above the supervisor: not in the list
    # town A: published before nothing was late; the 2023 deadline of a township is 2024-03-31 → 2024-04-01
    a = row_for(html, tree.town_a.name)
    assert "已发布" in a and "逾期" not in a
    # town B: submitted (待审核), not published although the deadline passed long ago → 逾期; its errors counted
    b = row_for(html, tree.town_b.name)
    assert "待审核" in b and "逾期" in b
    assert reports["b"].errors > 0 and f">{reports['b'].errors}</a>" in b
    assert f"/reports/{reports['b'].pk}/" in b  # drill into the report page
    # the finance bureau (a department): draft, deadline 31 January
    d = row_for(html, tree.dept.name)
    assert "草稿" in d and "2024-01-31" in d and "逾期" in d
    # the county government itself: no report yet
    c = row_for(html, tree.county.name)
    assert "未开始" in c and "逾期" in c and "2024-04-01" in c  # 31 March 2024 a Sunday: the next working day


def test_deadlines_are_the_librarys() -> None:
    assert overview.deadline("department", 2023) == date(2024, 1, 31)
    assert overview.deadline("government", 2023) == date(2024, 4, 1)


def test_summary_counts_and_filters(client_for: ClientFor, people: People, tree: Tree,
                                     reports: dict[str, Report]) -> None:
    c = client_for(people.supervisor)
    html = c.get(URL, {"year": 2023}).content.decode()
    # five agencies: 2 not started, 1 draft, 1 pending, 1 published; 4 overdue
    assert "<b>5</b>全部机关" in html
    assert "<b>2</b>未开始" in html and "<b>1</b>草稿" in html and "<b>1</b>待审核" in html
    assert "<b>1</b>已发布" in html and "<b>4</b>逾期" in html
    late = c.get(URL, {"year": 2023, "status": "overdue"}).content.decode()
    assert len(rows_of(late)) == 4 and tree.town_a.name not in late.split("<tbody>", 1)[1]
    towns = c.get(URL, {"year": 2023, "kind": "township"}).content.decode()
    assert {tree.town_a.name, tree.town_b.name} == {n for n in (tree.town_a.name, tree.town_b.name, tree.dept.name)
                                                     if f">{n}<" in towns}
    text = c.get(URL, {"year": 2023, "q": "乙乡"}).content.decode()
    assert len(rows_of(text)) == 1 and tree.town_b.name in text
    errs = c.get(URL, {"year": 2023, "errors": "1"}).content.decode()
    assert [n for n in (tree.town_a.name, tree.town_b.name, tree.dept.name) if f">{n}<" in errs] == [tree.town_b.name]


def test_sorting_by_errors_puts_the_worst_first(client_for: ClientFor, people: People, tree: Tree,
                                                reports: dict[str, Report]) -> None:
    html = client_for(people.supervisor).get(URL, {"year": 2023, "sort": "errors"}).content.decode()
    assert f">{tree.town_b.name}<" in rows_of(html)[0]
    html = client_for(people.supervisor).get(URL, {"year": 2023, "sort": "name", "dir": "desc"}).content.decode()
    names = [a.name for a in (tree.county, tree.office, tree.dept, tree.town_a, tree.town_b)]
    shown = [next(n for n in names if f">{n}<" in r) for r in rows_of(html)]
    assert shown == sorted(names, reverse=True)


def test_htmx_filter_answers_with_the_results_only(client_for: ClientFor, people: People, tree: Tree,
                                                   reports: dict[str, Report]) -> None:
    r = client_for(people.supervisor).get(URL, {"year": 2023, "status": "pending"},
                                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="overview-results")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and "<h1>" not in html
    assert len(rows_of(html)) == 1 and tree.town_b.name in html


def test_bad_query_values_are_ignored_not_errors(client_for: ClientFor, people: People,
                                                 reports: dict[str, Report]) -> None:
    r = client_for(people.supervisor).get(URL, {"year": "abc", "sort": "x;drop", "page": "-3", "status": "<b>"})
    assert r.status_code == 200


def test_paging(client_for: ClientFor, people: People, tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "PAGE_SIZE", 2)
    c = client_for(people.supervisor)
    first = c.get(URL, {"year": 2023}).content.decode()
    assert len(rows_of(first)) == 2 and "第 1 / 3 页" in first and "下一页" in first
    last = c.get(URL, {"year": 2023, "page": 3}).content.decode()
    assert len(rows_of(last)) == 1 and tree.town_b.name in last


def test_a_city_supervisor_may_narrow_to_a_county(client_for: ClientFor, people: People, tree: Tree,
                                                  reports: dict[str, Report]) -> None:
    c = client_for(people.city_supervisor)
    whole = c.get(URL, {"year": 2023}).content.decode()
    assert len(rows_of(whole)) == 6
    county = c.get(URL, {"year": 2023, "root": tree.county.pk}).content.decode()
    assert len(rows_of(county)) == 5 and f"root={tree.city.pk}" in county  # the way back up


def test_an_administrator_sees_every_agency(client_for: ClientFor, people: People) -> None:
    html = client_for(people.admin).get(URL, {"year": 2023}).content.decode()
    assert len(rows_of(html)) == 6


@pytest.mark.parametrize("who", ["drafter_a", "approver_a", "dept_drafter"])
def test_agency_staff_are_refused(client_for: ClientFor, people: People, who: str) -> None:
    c = client_for(getattr(people, who))
    for url in (URL, f"{URL}export.xlsx", f"{URL}sums/", f"{URL}trends/"):
        assert c.get(url, {"year": 2023}).status_code == 403


def test_anonymous_is_sent_to_log_in(reports: dict[str, Report]) -> None:
    for url in (URL, f"{URL}export.xlsx", f"{URL}sums/", f"{URL}trends/"):
        r = Client().get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_root_outside_the_subtree_is_not_disclosed(client_for: ClientFor, people: People, tree: Tree) -> None:
    c = client_for(people.supervisor)
    for url in (URL, f"{URL}export.xlsx", f"{URL}sums/", f"{URL}trends/"):
        assert c.get(url, {"root": tree.city.pk}).status_code == 404
        assert c.get(url, {"root": "999999"}).status_code == 404
        assert c.get(url, {"root": "x"}).status_code == 404


def test_the_overview_exports_to_excel(client_for: ClientFor, people: People, tree: Tree,
                                       reports: dict[str, Report]) -> None:
    r = client_for(people.supervisor).get(f"{URL}export.xlsx", {"year": 2023, "status": "overdue"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert header[:4] == ["机关名称", "上级机关", "机关类别", "状态"]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    body = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert set(body) == {tree.county.name, tree.office.name, tree.dept.name, tree.town_b.name}  # whole names
    b = body[tree.town_b.name]
    assert b[1] == tree.county.name and b[3] == "逾期" and b[4] == "待审核" and b[6] == "是"
    assert b[7] == reports["b"].errors
    assert b[5].date() == date(2024, 4, 1)


def test_the_overview_asks_the_database_the_same_whatever_the_number_of_agencies(
        client_for: ClientFor, people: People, tree: Tree, reports: dict[str, Report]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai_web.testing import make_agency, make_user

    c = client_for(people.supervisor)
    with CaptureQueriesContext(connection) as few:
        assert c.get(URL, {"year": 2023}).status_code == 200
    for i in range(8):
        town = make_agency(f"某县新设{i}镇人民政府", "township", "township", tree.county)
        make_report(make_user(f"d_new{i}", "drafter", town), town, 2023, lib=valid_report(town, 2023))
    with CaptureQueriesContext(connection) as more:
        html = c.get(URL, {"year": 2023}).content.decode()
    assert len(rows_of(html)) == 13
    assert len(more.captured_queries) == len(few.captured_queries) <= 10


def test_the_subtree_rule_and_the_agency_queryset_agree(people: People, tree: Tree) -> None:
    """Who may open a subtree (``supervision.view_subtree``) is who may see its root
    (``Agency.objects.for_user``), for everyone who may open the overview at all."""
    from gongkai_web.orgs.models import Agency

    for user in people.all():
        visible = set(Agency.objects.for_user(user))
        may = user.has_perm("supervision.view_overview")
        assert may == (user.role in ("supervisor", "admin")), user.username
        for agency in tree.all():
            allowed = user.has_perm("supervision.view_subtree", agency)
            assert allowed == (may and agency in visible), (user.username, agency.name)


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client_for: ClientFor, people: People,
                                                              tree: Tree) -> None:
    from gongkai_web.testing import make_agency

    make_agency('=HYPERLINK("http://example.com","点此")镇人民政府', "township", "township", tree.county)
    r = client_for(people.supervisor).get(f"{URL}export.xlsx", {"year": 2023, "q": "HYPERLINK"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    cell = ws["A2"]
    assert cell.value == '=HYPERLINK("http://example.com","点此")镇人民政府' and cell.data_type == "s"


def test_the_menu_offers_the_overview_to_those_who_may_open_it(client_for: ClientFor, people: People) -> None:
    for user in people.all():
        html = client_for(user).get("/workbench/").content.decode()
        menu = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
        assert ('href="/supervision/"' in menu) == user.has_perm("supervision.view_overview"), user.username
        assert ('href="/admin/"' in menu) == (user.role == "admin"), user.username
