"""The subtree's summed tables (re-checked with the library's identity rules) and the trend charts."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from gongkai_web.orgs.models import User
from gongkai_web.reports import library
from gongkai_web.supervision import charts
from gongkai_web.testing import People, Tree, make_report, valid_report

ClientFor = Callable[[User], Client]


def value_cell(html: str, name: str) -> str:
    """What the read-only grid shows for the cell whose marker is ``name``."""
    before = html.split(f'id="{name}"', 1)[0]
    return before.rsplit('<span class="val">', 1)[1].split("</span>", 1)[0]


@pytest.fixture
def libs(tree: Tree, people: People) -> dict[str, library.LibReport]:
    """Published 2022 and 2023 reports of both towns; the 2023 ones balanced."""
    out = {}
    for year in (2022, 2023):
        for key, town, drafter, approver in (("a", tree.town_a, people.drafter_a, people.approver_a),
                                             ("b", tree.town_b, people.drafter_b, people.approver_b)):
            lib = valid_report(town, year)
            make_report(drafter, town, year, lib=lib, stage="published", approver=approver)
            out[f"{key}{year}"] = lib
    return out


def test_the_sums_are_the_reports_cells_added_and_balance(client_for: ClientFor, people: People,
                                                         libs: dict[str, library.LibReport]) -> None:
    r = client_for(people.supervisor).get("/supervision/sums/", {"year": 2023})
    assert r.status_code == 200
    html = r.content.decode()
    a, b = libs["a2023"], libs["b2023"]
    for row, col in (("new", "total"), ("granted", "natural_person"), ("results_total", "total")):
        expected = a.table("requests").value(row, col) + b.table("requests").value(row, col)  # type: ignore[operator]
        assert value_cell(html, f"m-requests-{row}-{col}") == str(expected)
    review = a.table("appeals").value("review", "total") + b.table("appeals").value("review", "total")  # type: ignore[operator]
    assert value_cell(html, "m-appeals-review-total") == str(review)
    assert "2</b>份报告" in html
    assert "各项等式全部成立" in html


def test_an_unbalanced_report_shows_in_the_sums(client_for: ClientFor, people: People, tree: Tree,
                                                libs: dict[str, library.LibReport]) -> None:
    broken = valid_report(tree.dept, 2023)
    new = broken.table("requests").value("new", "total")
    assert isinstance(new, int)
    broken.table("requests").set("new", "total", new + 7)
    make_report(people.dept_drafter, tree.dept, 2023, lib=broken)  # a draft: only in the “all” scope
    c = client_for(people.supervisor)
    assert "各项等式全部成立" in c.get("/supervision/sums/", {"year": 2023}).content.decode()
    html = c.get("/supervision/sums/", {"year": 2023, "scope": "all"}).content.decode()
    assert "3</b>份报告" in html and "汇总数不平衡" in html and "t3.E001" in html
    assert 'sev-error' in html  # the failing cells are marked in the grid


def test_no_reports_no_sums(client_for: ClientFor, people: People) -> None:
    html = client_for(people.supervisor).get("/supervision/sums/", {"year": 2021}).content.decode()
    assert "还没有可汇总的报告" in html


def test_a_supervisor_sees_only_the_subtrees_sums(client_for: ClientFor, people: People, tree: Tree,
                                                  libs: dict[str, library.LibReport]) -> None:
    from gongkai_web.testing import make_agency, make_user

    other = make_agency("某县丙镇人民政府", "township", "township", tree.county)
    lone = make_agency("另一县人民政府", "government", "county", tree.city)
    boss = make_user("lone_sup", "supervisor", lone)
    drafter = make_user("other_d", "drafter", other)
    make_report(drafter, other, 2023, lib=valid_report(other, 2023))
    html = client_for(boss).get("/supervision/sums/", {"year": 2023, "scope": "all"}).content.decode()
    assert "还没有可汇总的报告" in html  # nothing of the county's reaches another county's supervisor


def test_trend_charts_sum_each_year(client_for: ClientFor, people: People,
                                    libs: dict[str, library.LibReport]) -> None:
    r = client_for(people.supervisor).get("/supervision/trends/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<svg") == 2 and "cdn" not in html.lower()
    for year in (2022, 2023):
        total = sum(libs[f"{k}{year}"].table("requests").value("new", "total") for k in "ab")  # type: ignore[misc]
        assert f"本年新收申请 {year}年度：{total:,}</title>" in html
    assert "本年新收申请 2021年度" not in html  # no reports: no point


def test_chart_scale_and_gaps() -> None:
    assert charts.nice_max(0) == 1 and charts.nice_max(7) == 10 and charts.nice_max(180) == 200
    assert charts.nice_max(2300) == 2500
    svg = charts.line_chart("t", [2020, 2021, 2022], [("甲<", [1, None, 3])])
    assert svg.count("<polyline") == 2 and "甲&lt;" in svg  # a gap splits the line; labels escaped


def test_amounts_stay_exact(client_for: ClientFor, people: People, tree: Tree) -> None:
    for town, drafter, approver, amount in ((tree.town_a, people.drafter_a, people.approver_a, "0.1"),
                                            (tree.town_b, people.drafter_b, people.approver_b, "0.2")):
        lib = valid_report(town, 2023)
        lib.table("proactive").set("fees", "amount", Decimal(amount))
        make_report(drafter, town, 2023, lib=lib, stage="published", approver=approver)
    html = client_for(people.supervisor).get("/supervision/sums/", {"year": 2023}).content.decode()
    assert value_cell(html, "m-proactive-fees-amount") == "0.3"


@pytest.mark.django_db
def test_the_demo_supervisor_sees_the_county(client_for: ClientFor) -> None:
    from django.core.management import call_command

    from gongkai_web.orgs.models import Agency
    from gongkai_web.reports.models import Report

    call_command("demo", stdout=io.StringIO())
    boss = User.objects.get(username="zhuguan")
    county = Agency.objects.get(name="方正县人民政府")
    c = client_for(boss)
    year = 2021
    html = c.get("/supervision/", {"year": year}).content.decode()
    n = Agency.objects.subtree(county).count()
    assert f"<b>{n}</b>全部机关" in html and "方正县会发镇人民政府" in html
    published = Report.objects.filter(agency__path__startswith=county.path, year=year, status="published").count()
    assert f"<b>{published}</b>已发布" in html
    sums = c.get("/supervision/sums/", {"year": year}).content.decode()
    assert f"{published}</b>份报告" in sums
    trends = c.get("/supervision/trends/").content.decode()
    years = sorted(set(Report.objects.filter(status="published").values_list("year", flat=True)))
    for y in years:
        assert f"<th scope=\"row\">{y}</th>" in trends


def test_the_denied_line_adds_every_ground_for_refusal(client_for: ClientFor, people: People,
                                                      libs: dict[str, library.LibReport]) -> None:
    html = client_for(people.supervisor).get("/supervision/trends/").content.decode()
    t = libs["a2023"].table("requests"), libs["b2023"].table("requests")
    grounds = [r.key for r in t[0].spec.rows if r.key.startswith("denied.")]
    assert len(grounds) == 8
    total = sum(x.value(g, "total") for x in t for g in grounds)  # type: ignore[misc]
    assert f"不予公开 2023年度：{total:,}</title>" in html
