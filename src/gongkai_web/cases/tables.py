"""The annual tables from the case ledger (issue 12 item 7; owned by the registers work).

Table 三 at any size is one SQL ``GROUP BY`` over the request rows' denormalised columns
(``received_on``, ``closed_on``, ``outcome``, ``applicant_kind``, kept by ``actions.refresh`` from the
engine), counted exactly as ``gongkai.ledger.tally`` counts (a test proves the two equal on a
generated year):

* 本年新收: received in the year; 上年结转: received before it and open on 1 January;
* a request closed in the year: the row of its outcome; open on 31 December: 结转下年度继续办理;
* the column: the applicant kind; totals completed and verified by the format's identity evaluator.

``cell_requests`` is the same filter for one cell (its drill-down, linking to ``cases:request``).
The lock after publication and the draft's fill live in ``gongkai_web.registers.annual`` and are
re-exported here for the ledger's actions.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from gongkai.errors import GongkaiError
from gongkai.ledger import APPLICANT_KINDS
from gongkai.ledger.catalogue import LEDGER_FORMAT
from gongkai.ledger.tally import complete_identities
from gongkai.model import Report, Table
from gongkai_web.orgs.models import Agency
from gongkai_web.registers.annual import (
    ActionError,
    cases_locked,
    fill_draft,
    locked_years,
    record_late_change,
    request_years,
    require_reason,
    year_tally,
)

from .models import DisclosureRequest
from .queries import year_requests

__all__ = [
    "ActionError",
    "cases_locked",
    "cell_requests",
    "fill_draft",
    "locked_years",
    "record_late_change",
    "request_years",
    "require_reason",
    "table_three",
    "year_tally",
]

_FORMAT = LEDGER_FORMAT.id


def _spec_rows() -> tuple[tuple[str, ...], tuple[str, ...]]:
    table = Report.blank(_FORMAT).table("requests")
    return table.spec.result_rows, tuple(APPLICANT_KINDS)


RESULT_ROWS, KINDS = _spec_rows()


def table_three(agency: Agency | int, year: int) -> Table:
    """The year's table 三 by SQL (two grouped queries), totals completed and every identity verified."""
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = year_requests(agency, year)
    counts: dict[tuple[str, str], int] = {}
    for g in qs.values("applicant_kind").annotate(
            new=Count("pk", filter=Q(received_on__gte=jan1)),
            carried_over=Count("pk", filter=Q(received_on__lt=jan1)),
            carried_forward=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=dec31))).order_by():
        for row in ("new", "carried_over", "carried_forward"):
            counts[(row, g["applicant_kind"])] = g[row]
    for g in (qs.filter(closed_on__lte=dec31).values("outcome", "applicant_kind").annotate(n=Count("pk"))
              .order_by()):
        counts[(g["outcome"], g["applicant_kind"])] = g["n"]
    known = {("new", k) for k in KINDS} | {(r, k) for r in (*RESULT_ROWS, "carried_over", "carried_forward")
                                             for k in KINDS}
    stray = [key for key, n in counts.items() if n and key not in known]
    if stray:
        raise ActionError(f"有{sum(counts[k] for k in stray)}件申请的办理结果或申请人类型不是表三的行或列"
                          f"（如“{stray[0][0]}”“{stray[0][1]}”），请先核对这些申请")
    report = Report.blank(_FORMAT, year=year)
    table = report.table("requests")
    drill: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for row in ("new", "carried_over", *RESULT_ROWS, "carried_forward"):
        for kind in KINDS:
            table.set(row, kind, counts.get((row, kind), 0))
            drill[("requests", row, kind)] = ()
    try:
        complete_identities(table, drill)
    except GongkaiError as e:
        raise ActionError(str(e)) from None
    return table


def cell_requests(agency: Agency | int, year: int, row: str, col: str) -> QuerySet[DisclosureRequest]:
    """The requests counted in one cell of the year's table 三 (a total: those of its parts)."""
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = year_requests(agency, year)
    if col != "total":
        qs = qs.filter(applicant_kind=col)
    if row == "new":
        qs = qs.filter(received_on__gte=jan1)
    elif row == "carried_over":
        qs = qs.filter(received_on__lt=jan1)
    elif row == "carried_forward":
        qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=dec31))
    elif row == "results_total":
        qs = qs.filter(closed_on__lte=dec31)
    else:
        qs = qs.filter(closed_on__lte=dec31, outcome=row)
    return qs.order_by("received_on", "seq")
