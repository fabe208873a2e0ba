"""The neighbouring year settles glued cells in a batch (issue 8 item 2, the third kind of evidence).

A batch checks each report in a worker and keeps only its small digest, so the same agency's other
years are not at hand while a report is checked.  A report whose table 二 stock row (规章,
行政规范性文件) a glued run left open therefore waits (``waits``) until every report of the run is
read.  Then the waiting reports that a neighbouring year settles — stock: last year's 现行有效 +
本年制发 − 本年废止 = this year's 现行有效, taken only when every split that fits agrees on the cell —
are read again and their cells set by ``readers.evidence.settle_by_years`` (``Cell.evidence``
``previous_year`` / ``next_year``, a ``glued.settled`` reading notice); the batch checks them again.
A settled row may settle the next one (a chain of years); the other waiting reports come out as
they were.  Only the reports settled are read twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ..formats.identities import Number
from ..model import Report
from ..readers.evidence import (
    NEXT_YEAR,
    PREVIOUS_YEAR,
    YearStock,
    agency_key,
    settle_by_years,
    stock_fits,
    sure_stock,
)
from .digest import Digest
from .result import ReportResult


def waits(res: ReportResult) -> bool:
    """The result's report has a stock row left open that a neighbouring year might settle."""
    d = res.digest
    return d is not None and bool(d.open_stock) and bool(d.agency) and d.year is not None and not d.year_guessed


def sure_rows(d: Digest) -> dict[str, list[Number]]:
    """The stock rows of a digest every cell of which was read and is not in doubt."""
    out: dict[str, list[Number]] = {}
    for row, vals in d.stock.items():
        nums = [v for v in vals if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
        if len(nums) == len(vals) and not any(k.startswith(f"proactive.{row}.") for k in d.unsure):
            out[row] = nums
    return out


def _settles(cands: Sequence[Sequence[int]], prev: Sequence[Number] | None, nxt: Sequence[Number] | None) -> bool:
    """Some cell the candidates leave open is the same in every split the neighbouring rows fit."""
    for fits in (stock_fits(cands, prev_in_force=prev[2]) if prev else [],
                 stock_fits(cands, this_year=nxt) if nxt else []):
        if fits and any(len({f[i] for f in fits}) == 1 and len({c[i] for c in cands}) > 1 for i in range(3)):
            return True
    return False


def settled_by_years(report: Report) -> bool:
    """Some cell of the report was settled by a neighbouring year."""
    t = report.tables.get("proactive")
    return t is not None and any(c.evidence in (PREVIOUS_YEAR, NEXT_YEAR) for c in t.cells.values())


def settle_waiting(waiting: Sequence[ReportResult], digests: Sequence[Digest],
                   read: Callable[[ReportResult], Report | None]) -> dict[int, Report]:
    """The waiting reports a neighbouring year settles, read again by ``read`` with those cells set
    (index → report).  ``digests``: every report of the run (the waiting ones included), for the
    neighbours' sure rows and so that an agency's year printed twice pairs with nothing."""
    pairable = [d for d in digests if d.agency and d.year is not None and not d.year_guessed]
    by_year: dict[tuple[str, int], list[Digest]] = {}
    for d in pairable:
        by_year.setdefault((agency_key(d.agency or ""), d.year or 0), []).append(d)
    single = {k: v[0] for k, v in by_year.items() if len(v) == 1}
    waiting_at = {r.index for r in waiting}
    held: dict[int, Report] = {}
    tried: set[int] = set()

    def row_of(d: Digest | None, row: str) -> Sequence[Number] | None:
        if d is None:
            return None
        if d.index in held:
            return sure_stock(held[d.index], row)
        return None if d.index in waiting_at else sure_rows(d).get(row)

    while True:
        new: list[ReportResult] = []
        for res in waiting:
            mine = res.digest
            if mine is None or res.index in tried or not waits(res):
                continue
            agency, year = agency_key(mine.agency or ""), mine.year or 0
            if single.get((agency, year)) is not mine:
                continue
            prev, nxt = single.get((agency, year - 1)), single.get((agency, year + 1))
            if any(_settles(cands, row_of(prev, row), row_of(nxt, row)) for row, cands in mine.open_stock.items()):
                new.append(res)
        if not new:
            break
        for res in new:
            tried.add(res.index)
            rep = read(res)
            if rep is not None:
                held[res.index] = rep
        others = [YearStock(d.agency or "", d.year or 0, d.label, sure_rows(d)) for d in pairable
                  if d.index not in held]
        settle_by_years(list(held.values()), others)
    return {i: rep for i, rep in held.items() if settled_by_years(rep)}
