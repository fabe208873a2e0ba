"""The overview's queries are compiled once per key (``supervision.compiled``) and run again: the
rows read are those the ORM reads (values converted alike: dates, times, booleans, on SQLite and
PostgreSQL), the SQL runs anew on every call (a change is seen at once), and a key names the query."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from gongkai_web.orgs.models import Agency
from gongkai_web.reports import actions
from gongkai_web.reports.models import Report
from gongkai_web.supervision import compiled, overview
from gongkai_web.testing import People, Tree

from .test_supervision import reports  # noqa: F401  (fixture)

TODAY = date(2024, 3, 1)  # the departments' and offices' deadline (01-31) has passed, the governments' not


def build(tree: Tree, q: overview.Query, calls: list[int] | None = None) -> object:
    def make() -> object:
        if calls is not None:
            calls.append(1)
        every = overview.annotated(Agency.objects.subtree(tree.county), 2023, TODAY)
        return overview.values(overview.select(every, q)[0:50])
    return make


@pytest.mark.parametrize("q", [overview.Query(), overview.Query(sort="errors", desc=True),
                               overview.Query(status="overdue"), overview.Query(text="镇", sort="updated"),
                               overview.Query(kind="nonesuch")])
def test_the_rows_read_are_the_orms(tree: Tree, reports: dict[str, Report], q: overview.Query) -> None:  # noqa: F811
    expected = list(build(tree, q)())  # type: ignore[operator]
    token = object()
    for _ in range(2):  # compiled, then run again
        assert compiled.fetch(Agency, (token, q), build(tree, q)) == expected  # type: ignore[arg-type]
    if q == overview.Query():
        by_name = {r[1]: r for r in expected}
        dept, town_b, county, office = (by_name[a.name] for a in (tree.dept, tree.town_b, tree.county, tree.office))
        assert isinstance(dept[10], datetime) and timezone.is_aware(dept[10])
        assert dept[11] == date(2024, 1, 31) and dept[13] is True  # a department's draft, late
        assert town_b[11] == date(2024, 4, 1) and town_b[13] is False  # 03-31 a Sunday: rolled forward
        assert county[6] is None and county[13] is False and office[6] is None and office[13] is True


def test_the_groups_counted_are_the_orms(tree: Tree, reports: dict[str, Report]) -> None:  # noqa: F811
    every = overview.annotated(Agency.objects.subtree(tree.county), 2023, TODAY)
    q = overview.Query(status="draft")
    found = compiled.fetch(Agency, (object(), q), lambda: overview.groups(every, overview.where(q)))
    assert overview.tally(found) == overview.summary(every, overview.where(q))
    s = overview.tally(found)
    # one draft (the finance bureau's); late: that draft and the county office's report not begun
    assert (s.total, s.shown, s.overdue) == (5, 1, 2)


def test_compiled_once_run_every_time(tree: Tree, people: People, reports: dict[str, Report]) -> None:  # noqa: F811
    calls: list[int] = []
    q = overview.Query(status="pending")
    token = object()  # keys of this test alone (what is compiled stays for the connection)
    key = (token, q)
    first = compiled.fetch(Agency, key, build(tree, q, calls))  # type: ignore[arg-type]
    assert [r[1] for r in first] == [tree.town_b.name] and calls == [1]
    # town B's report returned: the same compiled query now finds no report waiting
    actions.return_report(people.supervisor, reports["b"], "表三不平衡，请核对")
    assert compiled.fetch(Agency, key, build(tree, q, calls)) == [] and calls == [1]  # type: ignore[arg-type]
    # another key is another query
    other = overview.Query(status="draft")
    names = {r[1] for r in compiled.fetch(Agency, (token, other), build(tree, other, calls))}  # type: ignore[arg-type]
    assert names == {tree.town_b.name, tree.dept.name} and calls == [1, 1]


def test_only_the_latest_keys_are_kept(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "SIZE", 2)
    calls: list[int] = []
    token = object()
    qs = [overview.Query(sort=s) for s in ("name", "due", "updated")]
    for q in qs:
        compiled.fetch(Agency, (token, q), build(tree, q, calls))  # type: ignore[arg-type]
    compiled.fetch(Agency, (token, qs[2]), build(tree, qs[2], calls))  # type: ignore[arg-type]
    assert len(calls) == 3
    compiled.fetch(Agency, (token, qs[0]), build(tree, qs[0], calls))  # type: ignore[arg-type]
    assert len(calls) == 4  # the oldest was dropped
