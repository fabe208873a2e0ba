"""The overview of a subtree for one year: one row per agency with its report's stage, the
deadline the library gives its kind, error and warning counts and the last change.

Everything is computed by the database, so a subtree of thousands of agencies costs a few small
queries whatever its size: every agency is joined with its report of the year (a LEFT JOIN through
``FilteredRelation``), its stage, deadline and lateness are SQL expressions (``annotate``), the
counts one ``aggregate``, and filtering, sorting and paging happen in SQL; only the page's rows
reach Python.

The deadlines are the library's (``library.deadline_for``: 条例第四十九条 by the agency's kind,
rolled forward past rest days), asked once per kind and year and written into the query as a
``CASE`` on the kind.  The app checks with the library's national settings, where the deadline
depends on the kind alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from gongkai.agency import AGENCY_KINDS
from gongkai_web.orgs.models import Agency
from gongkai_web.reports import library
from gongkai_web.reports.models import Status

#: the stages a supervisor sees, in the order of the workflow (逾期 is said apart: it is a stage
#: that is late, not a stage of its own)
STAGES: dict[str, str] = {"none": "未开始", "draft": "草稿", "pending": "待审核", "published": "已发布"}
#: what the overview's status filter offers
STATUS_FILTERS: dict[str, str] = {**STAGES, "overdue": "逾期"}
_STATUS_LABEL: dict[str, str] = {str(k): str(v) for k, v in Status.choices}

#: sort keys the overview offers: key → (Chinese name, default descending)
SORTS: dict[str, tuple[str, bool]] = {
    "tree": ("机关层级", False), "name": ("机关名称", False), "status": ("状态", False),
    "due": ("公布期限", False), "errors": ("错误", True), "warnings": ("警告", True),
    "updated": ("最后修改", True),
}
PAGE_SIZE = 50


@lru_cache(maxsize=1024)
def deadline(kind: str, year: int) -> date | None:
    """The day a report of ``year`` by an agency of ``kind`` must be published by (the library's rule)."""
    return library.deadline_for("", kind, year)


@dataclass(slots=True)
class Row:
    agency_id: int
    name: str
    kind: str
    depth: int
    path: str
    has_children: bool
    report_id: int | None
    status: str | None
    errors: int | None
    warnings: int | None
    updated_at: datetime | None
    due: date | None
    stage: str
    overdue: bool
    parent_name: str = ""

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def status_label(self) -> str:
        """The report's own state (退回修改, 已审核待发布 …), or 未开始."""
        return STAGES["none"] if self.status is None else _STATUS_LABEL.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return AGENCY_KINDS.get(self.kind, self.kind)


_FIELDS = ("pk", "name", "kind", "depth", "path", "numchild", "r__pk", "r__status", "r__errors", "r__warnings",
           "r__updated_at", "due", "stage", "overdue")


def annotated(agencies: QuerySet[Agency], year: int, today: date) -> QuerySet[Agency]:
    """Every active agency of ``agencies`` with its report of ``year`` (``r``), its ``due`` date,
    ``stage`` and whether it is ``overdue`` — all in SQL."""
    dues = [When(kind=k, then=Value(d)) for k in AGENCY_KINDS if (d := deadline(k, year)) is not None]
    due = Case(*dues, default=Value(None), output_field=DateField())
    stage = Case(When(r__pk__isnull=True, then=Value("none")),
                 When(r__status__in=(Status.DRAFT, Status.RETURNED), then=Value("draft")),
                 When(r__status__in=(Status.SUBMITTED, Status.APPROVED), then=Value("pending")),
                 default=Value("published"), output_field=CharField())
    unpublished = Q(r__pk__isnull=True) | ~Q(r__status=Status.PUBLISHED)
    late = Case(When(Q(due__lt=today) & unpublished, then=Value(True)), default=Value(False),
                output_field=BooleanField())
    return (agencies.filter(active=True)
            .annotate(r=FilteredRelation("reports", condition=Q(reports__year=year)))
            .annotate(due=due, stage=stage).annotate(overdue=late))


def rows(qs: QuerySet[Agency]) -> list[Row]:
    """The rows of an ``annotated`` (filtered, ordered, sliced) queryset, with their parents' names."""
    return rows_of(values(qs))


def values(qs: QuerySet[Agency]) -> QuerySet[Agency, tuple[Any, ...]]:
    """What ``rows_of`` reads of an ``annotated`` queryset."""
    return qs.values_list(*_FIELDS)


def rows_of(found: Iterable[tuple[Any, ...]], *, parents: bool = True) -> list[Row]:
    """The rows ``values`` found, with their parents' names when ``parents`` (one more query;
    the export shows them, the overview's table does not)."""
    out = [Row(pk, name, kind, depth, path, numchild > 0, rid, status, errors, warnings, updated, due, stage,
               bool(overdue))
           for pk, name, kind, depth, path, numchild, rid, status, errors, warnings, updated, due, stage, overdue
           in found]
    if not parents:
        return out
    paths = {r.path[:-Agency.steplen] for r in out if r.depth > 1}
    names = dict(Agency.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    for r in out:
        r.parent_name = names.get(r.path[:-Agency.steplen], "")
    return out


@dataclass(frozen=True)
class Query:
    """What the overview was asked for (from the query string; anything unknown is ignored)."""

    status: str = ""
    kind: str = ""
    text: str = ""
    errors_only: bool = False
    sort: str = "tree"
    desc: bool = False
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Query:
        status = params.get("status", "")
        kind = params.get("kind", "")
        sort = params.get("sort", "tree")
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(status=status if status in STATUS_FILTERS else "",
                   kind=kind if kind in AGENCY_KINDS else "",
                   text=params.get("q", "").strip()[:50],
                   errors_only=params.get("errors") == "1",
                   sort=sort if sort in SORTS else "tree",
                   desc=params.get("dir", "") == "desc" if "dir" in params else SORTS.get(sort, ("", False))[1],
                   page=page)

    def params(self, **change: object) -> dict[str, str]:
        """The query string of this query with ``change`` applied (for links)."""
        values = {"status": self.status, "kind": self.kind, "q": self.text,
                  "errors": "1" if self.errors_only else "", "sort": self.sort,
                  "dir": "desc" if self.desc else "asc", "page": str(self.page)}
        values.update({k: str(v) for k, v in change.items()})
        return {k: v for k, v in values.items() if v and not (k == "page" and v == "1")}


_STAGE_ORDER = Case(*[When(stage=k, then=Value(i)) for i, k in enumerate(STAGES)], output_field=IntegerField())


def where(q: Query) -> Q:
    """The condition on ``annotated`` rows that ``q`` asks for."""
    cond = Q()
    if q.status == "overdue":
        cond &= Q(overdue=True)
    elif q.status:
        cond &= Q(stage=q.status)
    if q.kind:
        cond &= Q(kind=q.kind)
    if q.text:
        cond &= Q(name__contains=q.text)
    if q.errors_only:
        cond &= Q(r__errors__gt=0)
    return cond


def select(qs: QuerySet[Agency], q: Query) -> QuerySet[Agency]:
    """``annotated`` rows that ``q`` asks for, in its order (the tree order breaking ties)."""
    qs = qs.filter(where(q))
    if q.sort == "tree":
        return qs.order_by("-path" if q.desc else "path")
    key: Any = {"name": F("name"), "status": _STAGE_ORDER, "due": F("due"), "errors": F("r__errors"),
                "warnings": F("r__warnings"), "updated": F("r__updated_at")}[q.sort]
    order = key.desc(nulls_last=True) if q.desc else key.asc(nulls_last=True)
    if q.sort == "status":
        late = F("overdue").desc() if not q.desc else F("overdue").asc()
        return qs.order_by(order, late, "path")
    return qs.order_by(order, "path")


@dataclass(frozen=True)
class Summary:
    total: int
    stages: dict[str, int]
    overdue: int
    errors: int
    warnings: int
    with_errors: int
    #: the rows the query chose
    shown: int


def summary(qs: QuerySet[Agency], chosen: Q | None = None) -> Summary:
    """The counts of an ``annotated`` queryset and how many rows ``chosen`` keeps."""
    return tally(groups(qs, chosen))


def groups(qs: QuerySet[Agency], chosen: Q | None = None) -> QuerySet[Agency, tuple[Any, ...]]:
    """The query ``tally`` counts: one query grouped by stage, lateness and choice (at most 16
    groups; grouping resolves each expression once, where a conditional count per figure would
    resolve the stage's CASE again each time)."""
    picked = (Case(When(chosen, then=Value(True)), default=Value(False), output_field=BooleanField())
              if chosen else Value(True, output_field=BooleanField()))
    return (qs.annotate(chosen=picked).values_list("stage", "overdue", "chosen")
            .annotate(n=Count("pk"), errors=Sum("r__errors"), warnings=Sum("r__warnings"),
                      with_errors=Count("pk", filter=Q(r__errors__gt=0)))
            .order_by())


def tally(found: Iterable[tuple[Any, ...]]) -> Summary:
    """The ``Summary`` of the groups ``groups`` found."""
    stages = dict.fromkeys(STAGES, 0)
    total = overdue = errors = warnings = with_errors = shown = 0
    for stage, late, picked_, n, e, w, we in found:
        stages[stage] += n
        total += n
        overdue += n if late else 0
        shown += n if picked_ else 0
        errors += e or 0
        warnings += w or 0
        with_errors += we
    return Summary(total=total, stages=stages, overdue=overdue, errors=errors, warnings=warnings,
                   with_errors=with_errors, shown=shown)
