"""The overview of a subtree for one year: one row per agency with its report's stage, the
deadline the library gives its kind, error and warning counts and the last change.

One SQL query reads every agency of the subtree with its report of the year (a LEFT JOIN through
``FilteredRelation``, no query per agency); the deadline comes from the library once per
(name, kind, year); filtering and sorting run over those plain rows, so a subtree of thousands of
agencies costs one query and a sort.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.db.models import FilteredRelation, Q, QuerySet

from gongkai.agency import AGENCY_KINDS
from gongkai_web.orgs.models import Agency
from gongkai_web.reports import library
from gongkai_web.reports.models import Status

#: the stages a supervisor sees, in the order of the workflow (逾期 is said apart: it is a stage
#: that is late, not a stage of its own)
STAGES: dict[str, str] = {"none": "未开始", "draft": "草稿", "pending": "待审核", "published": "已发布"}
#: what the overview's status filter offers
STATUS_FILTERS: dict[str, str] = {**STAGES, "overdue": "逾期"}
_STAGE_OF: dict[str, str] = {Status.DRAFT: "draft", Status.RETURNED: "draft", Status.SUBMITTED: "pending",
             Status.APPROVED: "pending", Status.PUBLISHED: "published"}
_STATUS_LABEL: dict[str, str] = {str(k): str(v) for k, v in Status.choices}

#: sort keys the overview offers: key → (Chinese name, default descending)
SORTS: dict[str, tuple[str, bool]] = {
    "tree": ("机关层级", False), "name": ("机关名称", False), "status": ("状态", False),
    "due": ("公布期限", False), "errors": ("错误", True), "warnings": ("警告", True),
    "updated": ("最后修改", True),
}
PAGE_SIZE = 50


@lru_cache(maxsize=65536)
def deadline(name: str, kind: str, year: int) -> date | None:
    """The day ``name``'s report for ``year`` must be published by (the library's rule for its kind)."""
    return library.deadline_for(name, kind, year)


@dataclass(frozen=True, slots=True)
class Row:
    agency_id: int
    name: str
    kind: str
    depth: int
    path: str
    parent_name: str
    has_children: bool
    report_id: int | None
    status: str | None
    errors: int | None
    warnings: int | None
    updated_at: datetime | None
    due: date | None
    overdue: bool

    @property
    def stage(self) -> str:
        return "none" if self.status is None else _STAGE_OF.get(self.status, "draft")

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def status_label(self) -> str:
        """The report's own state (退回修改, 已审核待发布 …), or 未开始."""
        return STAGES["none"] if self.status is None else str(_STATUS_LABEL.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return AGENCY_KINDS.get(self.kind, self.kind)


def rows(agencies: QuerySet[Agency], year: int, today: date) -> list[Row]:
    """Every active agency of ``agencies`` with its report of ``year``, in tree order (one query)."""
    qs = (agencies.filter(active=True)
          .annotate(r=FilteredRelation("reports", condition=Q(reports__year=year)))
          .order_by("path")
          .values_list("pk", "name", "kind", "depth", "path", "numchild",
                       "r__pk", "r__status", "r__errors", "r__warnings", "r__updated_at"))
    out: list[Row] = []
    names: dict[str, str] = {}
    for pk, name, kind, depth, path, numchild, rid, status, errors, warnings, updated in qs:
        names[path] = name
        due = deadline(name, kind, year)
        overdue = due is not None and today > due and status != Status.PUBLISHED
        out.append(Row(pk, name, kind, depth, path, names.get(path[:-Agency.steplen], ""), numchild > 0,
                       rid, status, errors, warnings, updated, due, overdue))
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


_STAGE_ORDER = {k: i for i, k in enumerate(STAGES)}


def select(all_rows: Iterable[Row], q: Query) -> list[Row]:
    """The rows ``q`` asks for, in its order."""
    out = list(all_rows)
    if q.status == "overdue":
        out = [r for r in out if r.overdue]
    elif q.status:
        out = [r for r in out if r.stage == q.status]
    if q.kind:
        out = [r for r in out if r.kind == q.kind]
    if q.text:
        out = [r for r in out if q.text in r.name]
    if q.errors_only:
        out = [r for r in out if (r.errors or 0) > 0]
    if q.sort == "tree":
        return out[::-1] if q.desc else out
    never = date.max if not q.desc else date.min
    keys = {
        "name": lambda r: r.name,
        "status": lambda r: (_STAGE_ORDER[r.stage], not r.overdue),
        "due": lambda r: r.due or never,
        "errors": lambda r: r.errors if r.errors is not None else -1,
        "warnings": lambda r: r.warnings if r.warnings is not None else -1,
        "updated": lambda r: r.updated_at.timestamp() if r.updated_at else 0.0,
    }
    return sorted(out, key=keys[q.sort], reverse=q.desc)


@dataclass(frozen=True)
class Summary:
    total: int
    stages: dict[str, int]
    overdue: int
    errors: int
    warnings: int
    with_errors: int


def summary(all_rows: list[Row]) -> Summary:
    stages = Counter(r.stage for r in all_rows)
    return Summary(total=len(all_rows), stages={k: stages.get(k, 0) for k in STAGES},
                   overdue=sum(1 for r in all_rows if r.overdue),
                   errors=sum(r.errors or 0 for r in all_rows), warnings=sum(r.warnings or 0 for r in all_rows),
                   with_errors=sum(1 for r in all_rows if (r.errors or 0) > 0))
