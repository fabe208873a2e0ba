"""A generated year of 2,000 requests (plus last year's still open and this year's appeals) stored
through the case ledger's models: the draft filled from the ledger satisfies every identity, the
checker finds no error, table 三 by SQL equals the engine's tally cell for cell, every number's
drill-down lists exactly its requests, and next year's 上年结转 equals this year's 结转下年度."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.formats import identities
from gongkai.ledger import APPLICANT_KINDS, Request, tally
from gongkai.ledger.generate import random_appeals, random_requests
from gongkai_web.orgs.models import User
from gongkai_web.registers import annual
from gongkai_web.registers.generated import store_appeals, store_requests
from gongkai_web.reports import actions as report_actions
from gongkai_web.testing import People, Tree

pytest.importorskip("gongkai_web.cases.tables")
from gongkai_web.cases import queries, tables
from gongkai_web.cases.models import DisclosureRequest

TODAY = dt.date(2026, 1, 15)  # some of December's requests still open: carried forward


@pytest.fixture
def year(tree: Tree) -> tuple[list[Request], list[Request]]:
    rng = random.Random(2025)
    last = random_requests(rng, 300, first=dt.date(2024, 9, 2), last=dt.date(2024, 12, 31), today=TODAY,
                           prefix="2024-")
    this = random_requests(rng, 2000, first=dt.date(2025, 1, 2), last=dt.date(2025, 12, 31), today=TODAY,
                           prefix="2025-")
    store_requests(tree.town_a, last + this, today=TODAY)
    store_appeals(tree.town_a, random_appeals(rng, last + this, rate=0.02, today=TODAY))
    return last, this


def cells(table: object) -> dict[tuple[str, str], object]:
    return {(r, c): cell.value for r, c, cell in table.items()}  # type: ignore[attr-defined]


def test_a_generated_year_fills_a_draft_that_checks_clean(year: tuple[list[Request], list[Request]], tree: Tree,
                                                          people: People) -> None:
    last, this = year
    assert DisclosureRequest.objects.filter(agency=tree.town_a).count() == 2300
    report = annual.fill_draft(people.drafter_a, tree.town_a, 2025)
    lib = report_actions.lib_report(report)
    for key in ("requests", "appeals"):
        evaluations = list(identities.evaluate(lib.table(key)))
        assert evaluations and all(e.holds is True for e in evaluations), key
    t3 = lib.table("requests")
    # counted from the generated histories directly (the engine's own objects, not the database)
    assert t3.value("new", "total") == 2000
    open_jan1 = [r for r in last if r.closed_on is None or r.closed_on >= dt.date(2025, 1, 1)]
    assert t3.value("carried_over", "total") == len(open_jan1) > 0
    open_dec31 = [r for r in last + this if r.closed_on is None or r.closed_on > dt.date(2025, 12, 31)]
    open_dec31 = [r for r in open_dec31 if r.closed_on is None or r.received_on <= dt.date(2025, 12, 31)]
    assert t3.value("carried_forward", "total") == len(open_dec31) > 0
    granted = [r for r in last + this if r.closed_on and r.closed_on.year == 2025 and r.outcome == "granted"
               and r.applicant_kind == "natural_person"]
    assert t3.value("granted", "natural_person") == len(granted) > 0
    outcome = report_actions.run_check(report)
    assert outcome.errors == 0, [f.message for f in outcome.findings if f.severity == "error"]
    rules = {f.id for f in outcome.findings + outcome.reading}
    assert not {r for r in rules if r.startswith(("text.", "t3.", "t4."))}, rules  # text and tables agree
    assert report.errors == 0
    # the narrative's first draft states the table's numbers
    assert f"本年度新收政府信息公开申请2000件，上年结转{len(open_jan1)}件" in lib.sections["overview"]
    assert f"结转下年度继续办理{len(open_dec31)}件" in lib.sections["overview"]


def test_table_three_by_sql_equals_the_engines_tally(year: tuple[list[Request], list[Request]],
                                                     tree: Tree) -> None:
    for y in (2024, 2025, 2026):
        engine = tally(queries.library_requests(tree.town_a, y), year=y).report.table("requests")
        sql = tables.table_three(tree.town_a, y)
        assert cells(sql) == cells(engine), y
    # and every cell's drill-down lists exactly the requests the engine counted in it
    t = tally(queries.library_requests(tree.town_a, 2025), year=2025)
    for row in ("new", "carried_over", "granted", "partial", "unavailable.not_held", "other.other",
                "results_total", "carried_forward"):
        for col in (*APPLICANT_KINDS, "total"):
            numbers = set(tables.cell_requests(tree.town_a, 2025, row, col).values_list("number", flat=True))
            assert numbers == set(t.cases("requests", row, col)), (row, col)


def test_next_years_carried_over_equals_this_years_carried_forward(
        year: tuple[list[Request], list[Request]], tree: Tree, people: People) -> None:
    this_year = tables.table_three(tree.town_a, 2025)
    next_year = tables.table_three(tree.town_a, 2026)
    for col in (*APPLICANT_KINDS, "total"):
        assert next_year.value("carried_over", col) == this_year.value("carried_forward", col), col
    assert this_year.value("carried_forward", "total")
    # the same through the drafts the ledger fills
    d25 = report_actions.lib_report(annual.fill_draft(people.drafter_a, tree.town_a, 2025))
    d26 = report_actions.lib_report(annual.fill_draft(people.drafter_a, tree.town_a, 2026))
    assert d26.table("requests").value("carried_over", "total") == d25.table("requests").value(
        "carried_forward", "total")


def test_every_number_links_to_its_requests(year: tuple[list[Request], list[Request]], tree: Tree,
                                            people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    page = c.get(reverse("registers:tables", args=[tree.town_a.pk, 2025])).content.decode()
    url = reverse("registers:cell", args=[tree.town_a.pk, 2025, "requests", "partial", "natural_person"])
    assert f'href="{url}"' in page
    cell = c.get(url).content.decode()
    rows = tables.cell_requests(tree.town_a, 2025, "partial", "natural_person")
    assert rows.count() > 0
    for r in rows:
        assert f'href="{reverse("cases:request", args=[r.pk])}"' in cell
        assert f"申请{r.number}" in cell
    # people of another township see neither the table nor the cases
    assert client_for(people.drafter_b).get(url).status_code == 404


def test_table_three_is_cached_under_the_ledger_stamp_and_never_stale(tree: Tree, people: People) -> None:
    from gongkai_web.cases.testing import make_closed, make_request

    assert tables.ledger_version(tree.town_a) is None
    make_request(people.drafter_a, tree.town_a, dt.date(2025, 3, 3))
    first = tables.ledger_version(tree.town_a)
    assert first is not None
    assert tables.table_three(tree.town_a, 2025).value("new", "total") == 1
    # every write moves the stamp (the database's trigger), so the next reading counts again
    make_closed(people.drafter_a, tree.town_a, dt.date(2025, 3, 4), dt.date(2025, 3, 20), outcome="partial")
    assert tables.ledger_version(tree.town_a) != first
    t = tables.table_three(tree.town_a, 2025)
    assert t.value("new", "total") == 2 and t.value("partial", "natural_person") == 1
    assert t.value("carried_forward", "total") == 1
    assert cells(t) == cells(tables.table_three(tree.town_a, 2025, cached=False))
    # another agency's writes leave this one's stamp alone
    version = tables.ledger_version(tree.town_a)
    make_request(people.drafter_b, tree.town_b, dt.date(2025, 3, 3))
    assert tables.ledger_version(tree.town_a) == version


def test_the_due_lists_are_paged(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    from gongkai_web.cases import actions
    from gongkai_web.cases.testing import make_request

    for i in range(55):
        make_request(people.drafter_a, tree.town_a, dt.date(2025, 3, 3), applicant_name=f"申请人{i:02d}")
    actions.refresh_open(today=dt.date(2025, 6, 2))  # every one long past its 20 working days
    c = client_for(people.drafter_a)
    url = reverse("cases:agency_due", args=[tree.town_a.pk])
    first = c.get(url).content.decode()
    assert "已逾期（55件）" in first and "第1页，共3页" in first
    assert first.count("已逾期</span>") == 25
    last = c.get(url + "?late=3").content.decode()
    assert last.count("已逾期</span>") == 5 and "第3页，共3页" in last
    assert client_for(people.drafter_b).get(url + "?late=3").status_code == 404


def test_an_appeals_number_lists_its_cases(year: tuple[list[Request], list[Request]], tree: Tree, people: People,
                                            client_for: Callable[[User], Client]) -> None:
    t = tally(queries.library_requests(tree.town_a, 2025), year=2025,
              appeals=queries.library_appeals(tree.town_a, 2025))
    ids = t.cases("appeals", "review", "total")
    assert ids
    page = client_for(people.supervisor).get(
        reverse("registers:cell", args=[tree.town_a.pk, 2025, "appeals", "review", "total"])).content.decode()
    for i in ids:
        assert f"案件{i}" in page
    assert f'href="{reverse("cases:appeals", args=[tree.town_a.pk])}"' in page


def test_a_closed_request_without_an_outcome_is_named_not_counted_as_open(tree: Tree, people: People) -> None:
    from gongkai_web.cases.testing import make_closed

    row = make_closed(people.drafter_a, tree.town_a, dt.date(2025, 3, 3), dt.date(2025, 3, 20))
    DisclosureRequest.objects.filter(pk=row.pk).update(outcome="")  # a damaged row
    with pytest.raises(tables.ActionError, match="不是表三的行或列"):
        tables.table_three(tree.town_a, 2025)
