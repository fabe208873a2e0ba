"""Sums over a subtree, by SQL over the derived ``ReportCell`` rows, handed back to the library.

* ``aggregate`` — tables 二/三/四 of every report of a year in the subtree summed cell by cell
  (one ``GROUP BY`` query), made into a library ``Report`` and re-checked with the library's
  identity rules (``gongkai.validate`` with the ``identity`` tag): each agency's report balancing
  makes the sums balance, so a failing identity on the sums says some report does not.
* ``trend`` — a few cells summed per year (one query) for the charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

import gongkai
from gongkai.check import Finding
from gongkai.values import NA
from gongkai_web.orgs.models import Agency
from gongkai_web.reports import library
from gongkai_web.reports.models import Report, ReportCell, Status

#: the tables summed (二、三、四)
TABLES = ("proactive", "requests", "appeals")

#: which reports count: key → (Chinese name, the statuses)
SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "published": ("仅已发布的报告", (Status.PUBLISHED,)),
    "all": ("全部报告（含草稿、待审核）", tuple(Status.values)),
}


def reports_of(agencies: QuerySet[Agency], scope: str) -> QuerySet[Report]:
    statuses = SCOPES.get(scope, SCOPES["published"])[1]
    return Report.objects.filter(agency__in=agencies.filter(active=True), status__in=statuses)


@dataclass
class Aggregate:
    year: int
    #: reports summed
    count: int
    report: library.LibReport
    findings: list[Finding] = field(default_factory=list)

    @property
    def outcome(self) -> library.CheckOutcome:
        return library.CheckOutcome(findings=list(self.findings))


def aggregate(agencies: QuerySet[Agency], root_name: str, kind: str, year: int, scope: str) -> Aggregate:
    """The sums of tables 二/三/四 of the subtree's reports of ``year`` as one library report."""
    reports = reports_of(agencies, scope).filter(year=year)
    count = reports.count()
    sums = (ReportCell.objects.filter(report__in=reports, table__in=TABLES)
            .values_list("table", "row", "col")
            .annotate(total=Sum("value"), numbers=Count("value"), na=Count("pk", filter=Q(na=True)))
            .order_by())
    lib = library.blank(f"{root_name}及下辖机关（合计）", kind, year)
    for t in lib.tables.values():
        t.cells.clear()  # a cell no report has stays out of the sums (blank, not 0)
    for tkey, row, col, total, numbers, na in sums:
        table = lib.table(tkey)
        spec = table.spec
        if row not in {r.key for r in spec.rows} | {c.key for c in spec.collapsed}:
            continue  # a key of another edition's format
        if col not in {c.key for c in spec.columns}:
            continue
        if numbers:
            value: library.Value = _number(total, spec.column(col).kind)
        elif na:
            value = NA
        else:
            value = None
        table.set(row, col, value)
    for key in TABLES:
        lib.table(key).present = bool(lib.table(key).cells)
    findings = list(gongkai.validate(lib, select="identity").findings) if count else []
    return Aggregate(year, count, lib, findings)


def _number(total: Decimal, kind: str) -> int | Decimal:
    """A sum as the table holds it: counts as integers; amounts exact to the stored four decimal
    places (SQLite adds decimals as floating point: rounding to the scale they were stored
    with gives the exact sum back)."""
    exact = Decimal(total).quantize(_SCALE)
    if exact == exact.to_integral_value():
        return int(exact) if kind in ("count", "delta") else Decimal(int(exact))
    return exact.normalize()


_SCALE = Decimal("0.0001")


@dataclass(frozen=True)
class Series:
    label: str
    #: (table, row, column) cells added together
    cells: tuple[tuple[str, str, str], ...]


def _rows(prefix: str) -> tuple[tuple[str, str, str], ...]:
    """The 总计 cells of table 三's rows under one heading (（三）不予公开 …), from the format's data."""
    spec = library.format_for(2021).table("requests")
    return tuple(("requests", r.key, "total") for r in spec.rows if r.key.startswith(prefix))


#: the trend charts: title → series
CHARTS: dict[str, tuple[Series, ...]] = {
    "依申请公开": (
        Series("本年新收申请", (("requests", "new", "total"),)),
        Series("办理结果总计", (("requests", "results_total", "total"),)),
        Series("予以公开", (("requests", "granted", "total"),)),
        Series("部分公开", (("requests", "partial", "total"),)),
        Series("不予公开", _rows("denied.")),
    ),
    "行政复议和行政诉讼": (
        Series("行政复议", (("appeals", "review", "total"),)),
        Series("行政诉讼", (("appeals", "suit_direct", "total"), ("appeals", "suit_after_review", "total"))),
        Series("复议、诉讼结果纠正", (("appeals", "review", "corrected"), ("appeals", "suit_direct", "corrected"),
                                      ("appeals", "suit_after_review", "corrected"))),
    ),
}


@dataclass
class Trend:
    years: list[int]
    #: chart title → [(series label, value per year or None)]
    charts: dict[str, list[tuple[str, list[int | None]]]]
    #: reports counted per year
    reports: dict[int, int]


def trend(agencies: QuerySet[Agency], years: Sequence[int], scope: str) -> Trend:
    """The charts' series summed per year over the subtree's reports (two queries); the years
    before the first report and after the last are left out."""
    reports = reports_of(agencies, scope).filter(year__in=list(years))
    wanted = {c for series in CHARTS.values() for s in series for c in s.cells}
    cond = Q()
    for t, r, c in wanted:
        cond |= Q(table=t, row=r, col=c)
    rows = (ReportCell.objects.filter(cond, report__in=reports, value__isnull=False)
            .values_list("report__year", "table", "row", "col").annotate(total=Sum("value")).order_by())
    got: dict[tuple[int, str, str, str], Decimal] = {(y, t, r, c): v for y, t, r, c, v in rows}
    counts = dict(reports.values_list("year").annotate(n=Count("pk")).order_by())
    if counts:  # from the first year with a report to the last
        years = [y for y in years if min(counts) <= y <= max(counts)]
    charts: dict[str, list[tuple[str, list[int | None]]]] = {}
    for title, series in CHARTS.items():
        lines = []
        for s in series:
            values: list[int | None] = []
            for y in years:
                found = [got[(y, *cell)] for cell in s.cells if (y, *cell) in got]
                values.append(int(sum(found)) if found else None)
            lines.append((s.label, values))
        charts[title] = lines
    return Trend(list(years), charts, {y: counts.get(y, 0) for y in years})
