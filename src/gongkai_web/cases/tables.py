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

from django.core.cache import cache
from django.db.models import BooleanField, Case, CharField, Count, F, Q, QuerySet, Value, When

from gongkai.errors import GongkaiError
from gongkai.formats import get_format
from gongkai.ledger import APPLICANT_KINDS
from gongkai.ledger.catalogue import LEDGER_FORMAT
from gongkai.ledger.tally import complete_identities
from gongkai.model import Table
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
from gongkai_web.registers.queries import ledger_version

from .models import DisclosureRequest
from .queries import year_requests

__all__ = [
    "ActionError",
    "cached_counts",
    "cases_locked",
    "cell_requests",
    "fill_draft",
    "ledger_version",
    "locked_years",
    "record_late_change",
    "request_years",
    "require_reason",
    "table_three",
    "year_tally",
]


_SPEC = get_format(LEDGER_FORMAT.id).table("requests")
RESULT_ROWS, KINDS = _SPEC.result_rows, tuple(APPLICANT_KINDS)
#: how long a year's counts stay cached (they are keyed by the ledger stamp, so never stale)
CACHE_SECONDS = 24 * 60 * 60


def _counts(agency: Agency | int, year: int) -> dict[tuple[str, str], int]:
    """(row, column) → count of the leaf cells, in one grouped query over the year's rows."""
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    closed_in_year = Q(closed_on__lte=dec31)
    rows = (year_requests(agency, year)
            .annotate(result=Case(When(closed_in_year, then=F("outcome")), default=Value(""),
                                  output_field=CharField()),
                      closed=Case(When(closed_in_year, then=Value(True)), default=Value(False),
                                  output_field=BooleanField()),
                      is_new=Case(When(received_on__gte=jan1, then=Value(True)), default=Value(False),
                                  output_field=BooleanField()))
            .values("applicant_kind", "result", "closed", "is_new").annotate(n=Count("pk")).order_by())
    counts: dict[tuple[str, str], int] = {}
    for g in rows:
        kind, n = g["applicant_kind"], g["n"]
        first = "new" if g["is_new"] else "carried_over"
        # closed in the year: its outcome's row (a closed row without an outcome is named as stray)
        last = (g["result"] or "（无办理结果）") if g["closed"] else "carried_forward"
        counts[(first, kind)] = counts.get((first, kind), 0) + n
        counts[(last, kind)] = counts.get((last, kind), 0) + n
    return counts


def cached_counts(agency: Agency | int, year: int) -> dict[tuple[str, str], int]:
    """``_counts``, kept per (agency, year, ledger stamp): exact whoever writes (the stamp changes
    in the writing transaction); read the stamp first, so a cached entry is never older than its key."""
    version = ledger_version(agency)
    if version is None:
        return _counts(agency, year)
    pk = agency.pk if isinstance(agency, Agency) else agency
    key = f"registers:t3:{pk}:{year}:{version}"
    found = cache.get(key)
    if found is None:
        found = _counts(agency, year)
        cache.set(key, found, CACHE_SECONDS)
    return dict(found)


def table_three(agency: Agency | int, year: int, *, cached: bool = True) -> Table:
    """The year's table 三 by SQL, totals completed and every identity verified."""
    counts = cached_counts(agency, year) if cached else _counts(agency, year)
    known = {(r, k) for r in ("new", "carried_over", *RESULT_ROWS, "carried_forward") for k in KINDS}
    stray = [key for key, n in counts.items() if n and key not in known]
    if stray:
        raise ActionError(f"有{sum(counts[k] for k in stray)}件申请的办理结果或申请人类型不是表三的行或列"
                          f"（如“{stray[0][0]}”“{stray[0][1]}”），请先核对这些申请")
    table = Table(_SPEC)
    for r, c in _SPEC.cells():  # every declared cell, in reading order (as Report.blank)
        table.set(r, c, None)
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
