"""The one identity evaluator (gongkai.formats.identities): terms with collapsed rows, evaluation
per line with blanks and "NA", holds/failures, complete, and the vector forms the glued-digit search
uses.  Expected values come from the arithmetic of FORMAT.md's tables, written out by hand."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import gongkai
from gongkai import NA, Report, Table
from gongkai.formats import Identity, TableSpec, get_format
from gongkai.formats.identities import columns_hold, complete, evaluate, failures, holds, row_predicate, terms
from gongkai.model import Value
from gongkai.testing import identity_failures, random_report

REQ21 = get_format("2021").table("requests")
REQ19 = get_format("2019").table("requests")
APPEALS = get_format("2021").table("appeals")
APPLICANTS = [c.key for c in REQ21.columns]
OTHER21 = ("other.no_correction", "other.no_fee", "other.other")


def _ident(spec: TableSpec, key: str) -> Identity:
    return next(i for i in spec.identities if i.key == key)


def _requests(rows: dict[str, list[Value]], spec: TableSpec = REQ21) -> Table:
    t = Table(spec)
    for r, vals in rows.items():
        for c, v in zip(APPLICANTS, vals, strict=True):
            t.set(r, c, v)
    return t


# -- terms ----------------------------------------------------------------------------------------


def test_terms_of_a_fully_printed_2021_table_are_the_declared_rows() -> None:
    results = _ident(REQ21, "results")
    rows = {r.key for r in REQ21.rows}
    left, right = terms(REQ21, results, rows)
    assert left == ("results_total",)
    assert len(right) == 21 and right[-3:] == OTHER21


def test_a_collapsed_row_stands_in_for_the_rows_it_replaces() -> None:
    # a 2021 report printing （六）其他处理 as one row: `other` present, other.* absent
    results = _ident(REQ21, "results")
    rows = {r.key for r in REQ21.rows if r.key not in OTHER21} | {"other"}
    _, right = terms(REQ21, results, rows)
    assert len(right) == 19 and right[-1] == "other" and not set(OTHER21) & set(right)


def test_a_row_the_table_lacks_altogether_leaves_the_identity_unevaluated() -> None:
    results = _ident(REQ21, "results")
    rows = {r.key for r in REQ21.rows} - {"denied.query_matter"}
    assert terms(REQ21, results, rows) is None
    # a row identity's terms are columns, taken as declared
    row_total = _ident(REQ21, "row_total")
    assert terms(REQ21, row_total, set()) == (("total",), tuple(APPLICANTS[:-1]))


# -- evaluate, holds, failures ---------------------------------------------------------------------


def test_each_line_is_evaluated_with_its_sums() -> None:
    t = _requests({"new": [3, 1, 0, 0, 0, 0, 4], "carried_over": [1, 0, 0, 0, 0, 0, 1],
                   "results_total": [2, 1, 0, 0, 0, 0, 3], "carried_forward": [1, 0, 0, 0, 0, 0, 2]})
    balance = list(evaluate(t, "balance"))
    assert [e.line for e in balance] == APPLICANTS  # one evaluation per column
    np = balance[0]
    assert (np.left_sum, np.right_sum, np.holds) == (4, 3, False)  # 3 + 1 ≠ 2 + 1
    assert balance[1].holds is True  # 1 + 0 = 1 + 0
    total = balance[-1]
    assert (total.left_sum, total.right_sum, total.holds) == (5, 5, True)
    assert np.cells() == [("new", "natural_person"), ("carried_over", "natural_person"),
                          ("results_total", "natural_person"), ("carried_forward", "natural_person")]
    assert [e.line for e in failures(t, "balance")] == ["natural_person"]
    # the row totals: each row's 总计 against its six applicant columns
    rows = {e.line: e.holds for e in evaluate(t, "row_total")}
    assert rows == {"new": True, "carried_over": True, "results_total": True, "carried_forward": False}


def test_blanks_and_na_are_reported_and_not_counted_against_the_identity() -> None:
    t = _requests({"new": [None, 0, 0, 0, 0, 0, 2], "carried_over": [0, NA, 0, 0, 0, 0, 0],
                   "results_total": [5, 0, 0, 0, 0, 0, 2], "carried_forward": [0, 0, 0, 0, 0, 0, 0]})
    by_col = {e.line: e for e in evaluate(t, "balance")}
    np, com = by_col["natural_person"], by_col["commercial"]
    assert np.blanks == ("new",) and np.not_applicable == () and not np.checked and np.holds is None
    assert com.not_applicable == ("carried_over",) and com.blanks == () and com.holds is None
    assert np.left_sum is None and np.right_sum == 5
    assert by_col["total"].holds is True
    assert holds(t, "balance")  # nothing checked fails
    by_row = {e.line: e for e in evaluate(t, "row_total")}
    assert by_row["new"].blanks == ("natural_person",)


def test_decimals_are_summed_exactly() -> None:
    t = Table(APPEALS)
    for c, v in zip(["upheld", "corrected", "other", "pending", "total"], [1, 0, 0, 0, 1], strict=True):
        t.set("review", c, v)
    assert holds(t)
    t.set("review", "total", Decimal("1.0"))
    assert holds(t)
    t.set("review", "total", Decimal("1.1"))
    assert [(e.line, e.left_sum, e.right_sum) for e in failures(t)] == [("review", Decimal("1.1"), 1)]


def test_a_collapsed_other_row_is_summed_into_the_results() -> None:
    rows: dict[str, list[Value]] = {r: [0] * 7 for r in REQ21.result_rows if r not in OTHER21}
    rows["granted"] = [2, 0, 0, 0, 0, 0, 2]
    rows["other"] = [1, 0, 0, 0, 0, 0, 1]
    rows["results_total"] = [3, 0, 0, 0, 0, 0, 3]
    t = _requests(rows)
    assert holds(t, "results")
    t.set("other", "natural_person", 2)
    assert [e.line for e in failures(t, "results")] == ["natural_person"]


def test_generated_reports_hold_and_a_changed_cell_fails_where_it_should() -> None:
    for seed in range(40):
        rng = random.Random(seed)
        r = random_report(rng, "2019" if seed % 4 == 0 else "2021", collapse_other=seed % 3 == 0)
        for t in r.tables.values():
            assert holds(t), (seed, t.spec.key)
        t = r.table("requests")
        t.set("granted", "research", int(t.value("granted", "research") or 0) + 1)
        got = sorted((e.identity.key, e.line) for e in failures(t))
        assert got == [("results", "research"), ("row_total", "granted")], seed
        assert sorted(identity_failures(r)) == ["requests.results[research]", "requests.row_total[granted]"]


def test_the_checker_reports_exactly_the_evaluator_s_failures() -> None:
    ids = {"balance": "t3.E001", "results": "t3.E002", "row_total": "t3.E003", "total": "t4.E001"}
    for seed in range(30):
        rng = random.Random(1000 + seed)
        r = random_report(rng, "2021", collapse_other=seed % 2 == 0)
        t = r.table("requests" if seed % 3 else "appeals")
        row, col = rng.choice(list(t.cells))
        t.set(row, col, int(t.value(row, col) or 0) + 2)
        expected = sorted(ids[e.identity.key] for e in failures(t))
        assert expected, seed
        found = sorted(f.id for f in gongkai.validate(r).findings if f.id in ids.values())
        assert found == expected, (seed, row, col)


# -- complete ----------------------------------------------------------------------------------


def _totals(r: Report) -> list[tuple[str, str, str]]:
    out = [("requests", row, "total") for row in r.table("requests").row_keys()]
    out += [("requests", "results_total", c) for c in APPLICANTS[:-1]]
    out += [("appeals", row, "total") for row in r.table("appeals").row_keys()]
    return out


def test_complete_fills_every_total_from_its_parts() -> None:
    for seed in range(30):
        r = random_report(random.Random(seed), "2021" if seed % 2 else "2019", collapse_other=seed % 4 == 1)
        want = {(tk, row, col): r.value(tk, row, col) for tk, row, col in _totals(r)}
        for tk, row, col in want:
            r.table(tk).set(row, col, None)
        filled = {(tk, rc[0], rc[1]) for tk in ("requests", "appeals") for rc in complete(r.table(tk))}
        assert filled == set(want), seed
        assert {k: r.value(*k) for k in want} == want, seed
        assert not identity_failures(r)


def test_complete_leaves_a_printed_total_alone_unless_told() -> None:
    t = Table(APPEALS)
    for row in ("review", "suit_direct", "suit_after_review"):
        for c, v in zip(["upheld", "corrected", "other", "pending"], [2, 1, 0, 0], strict=True):
            t.set(row, c, v)
    t.set("review", "total", 0)  # printed wrong
    assert complete(t) == [("suit_direct", "total"), ("suit_after_review", "total")]
    assert t.value("review", "total") == 0 and t.value("suit_direct", "total") == 3
    assert complete(t, overwrite=True) == [("review", "total")]
    assert t.value("review", "total") == 3


def test_complete_does_not_fill_from_blank_parts_or_balance() -> None:
    t = _requests({"new": [1, 0, 0, 0, 0, 0, None], "carried_over": [0, 0, 0, 0, None, 0, None],
                   "carried_forward": [None] * 7})
    assert complete(t) == [("new", "total")]
    assert t.value("new", "total") == 1
    assert t.value("carried_over", "total") is None  # a part is blank
    assert t.value("carried_forward", "natural_person") is None  # balance defines no total


# -- vectors ----------------------------------------------------------------------------------


def test_row_predicate_tests_a_partial_row_once_its_terms_are_there() -> None:
    check = row_predicate(REQ21, APPLICANTS)
    assert check([71, 3, 0, 0, 0, 0, 74])
    assert not check([71, 3, 0, 0, 0, 0, 73])
    assert check([71, 3, 0])  # 总计 not read yet: nothing to test
    # table 四's fifteen values, three rows of five
    four = row_predicate(APPEALS, [c.key for c in APPEALS.columns])
    assert four([1, 0, 0, 0, 1] + [0] * 5 + [2, 1, 0, 0, 3])
    assert not four([1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    assert four([1, 0, 0, 0, 1, 5, 5])  # second row incomplete
    # identities naming a column the vector does not carry are not tested
    assert row_predicate(REQ21, APPLICANTS[:-1])([1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("spec", [REQ21, REQ19])
def test_columns_hold_over_vectors(spec: TableSpec) -> None:
    rows: dict[str, list[int | Decimal | None]] = {
        "new": [11, 0], "carried_over": [0, 0], "results_total": [11, 0], "carried_forward": [0, 0]}
    assert columns_hold(spec, rows, 2)
    rows["results_total"] = [1, 1]
    assert not columns_hold(spec, rows, 2)
    rows["carried_forward"] = [None, 0]
    assert not columns_hold(spec, rows, 2)  # column 2: 0 ≠ 1
    rows["results_total"] = [1, 0]
    assert columns_hold(spec, rows, 2)  # column 1 has a blank: not tested
