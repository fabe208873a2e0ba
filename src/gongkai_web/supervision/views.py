"""The supervisor's pages: the overview of a subtree for a year (filter, sort, drill in), its
Excel export, the subtree's summed tables and the trend charts.  Read only: nothing here writes.

Who: a 主管部门 user over the subtree of their agency (or any agency in it, ``?root=``) and a
系统管理员 over every agency; everyone else is refused (403), and a root outside the user's
subtree is not disclosed (404)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from gongkai.agency import AGENCY_KINDS
from gongkai_web.orgs.models import Agency, User
from gongkai_web.reports import workspace
from gongkai_web.reports.forms import report_years, working_year

from . import charts, compiled, export, overview, sums, table, uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Scope:
    """Whose reports a page shows: the subtree under ``root`` (every agency when None)."""

    user: User
    root: Agency | None
    agencies: QuerySet[Agency]
    year: int
    years: list[int]

    @property
    def title(self) -> str:
        return f"{self.root.name}及下辖机关" if self.root is not None else "全部机关"

    def query(self, **extra: object) -> str:
        values = {"year": str(self.year), **({"root": str(self.root.pk)} if self.root is not None else {})}
        values.update({k: str(v) for k, v in extra.items() if v not in ("", None)})
        return urlencode(values)

    @property
    def whole(self) -> bool:
        """The user's own scope (their agency's subtree; everything for an administrator), where the
        uploaded reports of agencies not in the app are listed too."""
        return self.root is None or self.root.pk == self.user.agency_id

    def uploads(self, every: Callable[[], QuerySet[Agency]], q: overview.Query) -> uploads.Uploads:
        return uploads.collect(self.user, self.year, every, q, whole=self.whole)

    def ancestors(self) -> list[Agency]:
        """The roots above this one the user may also take (for the way back up)."""
        if self.root is None:
            return []
        return [a for a in Agency.objects.get_ancestors(self.root) if self.user.has_perm("supervision.view_subtree", a)]


def scope_of(request: HttpRequest) -> Scope:
    user = request.user
    assert isinstance(user, User)
    if not user.has_perm("supervision.view_overview"):
        raise PermissionDenied
    root: Agency | None = user.agency
    if request.GET.get("root"):
        try:
            root = Agency.objects.get(pk=int(request.GET["root"]))
        except (ValueError, Agency.DoesNotExist):
            raise Http404 from None
    if root is not None and not user.has_perm("supervision.view_subtree", root):
        raise Http404
    agencies = Agency.objects.subtree(root) if root is not None else Agency.objects.all()
    years = report_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = working_year()
    if year not in years:
        year = working_year()
    return Scope(user, root, agencies, year, years)


@lru_cache(maxsize=8)
def _path(name: str) -> str:
    return reverse(name)


def _tabs(scope: Scope, active: str) -> list[dict[str, Any]]:
    q = scope.query()
    return [{"label": label, "url": f"{_path(name)}?{q}", "active": key == active}
            for key, label, name in (("overview", "报告进度", "supervision:overview"),
                                     ("sums", "汇总表", "supervision:sums"),
                                     ("trends", "历年趋势", "supervision:trends"))]


@dataclass(frozen=True)
class Page:
    """Page ``number`` (1-based, clamped) of ``total`` rows, ``overview.PAGE_SIZE`` a page."""

    asked: int
    total: int

    @property
    def count(self) -> int:
        return max(1, -(-self.total // overview.PAGE_SIZE))

    @property
    def number(self) -> int:
        return min(max(1, self.asked), self.count)

    @property
    def start(self) -> int:
        return (self.number - 1) * overview.PAGE_SIZE

    @property
    def end(self) -> int:
        return min(self.total, self.start + overview.PAGE_SIZE)


@login_required
def overview_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    q = overview.Query.from_params(request.GET)
    today = timezone.localdate()

    def every() -> QuerySet[Agency]:
        return overview.annotated(scope.agencies, scope.year, today)

    # the queries are compiled once per key: everything they depend on (scope_of's subtree is the root's)
    key = (scope.root.path if scope.root is not None else None, scope.year, today,
           q.status, q.kind, q.text, q.errors_only)
    summary = overview.tally(compiled.fetch(Agency, ("summary", *key),
                                            lambda: overview.groups(every(), overview.where(q))))
    uploaded = scope.uploads(every, q)
    page = Page(q.page, summary.shown)
    base = scope.query()
    top = scope.root.depth if scope.root is not None else 1
    tree_order = q.sort == "tree" and not q.desc
    root_id = scope.root.pk if scope.root is not None else None
    uploaded_rows = uploaded.page(request.GET.get("uploads") == "all")
    found = compiled.fetch(Agency, ("rows", *key, q.sort, q.desc, page.start, page.end),
                           lambda: overview.values(overview.select(every(), q)[page.start:page.end]))
    items = [table.item(r, (r.depth - top) if tree_order else 0, year=scope.year, root_id=root_id,
                        up=uploaded.by_agency.get(r.agency_id))
             for r in overview.rows_of(found, parents=False)]
    ctx = {"items": items, "scope": scope, "q": q, "page": page, "summary": summary, "shown": summary.shown,
           "stages": overview.STATUS_FILTERS, "kinds": AGENCY_KINDS, "base": base,
           "stats": [(k, label, summary.overdue if k == "overdue" else summary.stages[k])
                     for k, label in overview.STATUS_FILTERS.items()],
           "rows": table.rows_html(items), "heads": {key: _heading(base, q, key) for key in table.HEADINGS},
           "pages": {"prev": _qs(base, q.params(page=page.number - 1)) if page.number > 1 else None,
                     "next": _qs(base, q.params(page=page.number + 1)) if page.number < page.count else None},
           "export": _qs(base, q.params(page=1)), "tabs": _tabs(scope, "overview"), "uploaded": uploaded,
           "filtered": bool(q.status or q.kind), "uploaded_rows": uploaded_rows, "uploaded_html": table.uploaded_html(uploaded_rows),
           "uploaded_all": _qs(base, {**q.params(), "uploads": "all"}) + "#uploaded"}
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "overview-results":
        # the filter form's sort fields follow the order chosen by a column heading
        return render(request, "supervision/_results.html", {**ctx, "oob": True})
    return render(request, "supervision/overview.html", ctx)


def _qs(base: str, params: dict[str, str]) -> str:
    extra = urlencode(params)
    return f"{base}&{extra}" if extra else base


def _heading(base: str, q: overview.Query, key: str) -> str:
    desc = not q.desc if q.sort == key else overview.SORTS[key][1]
    return table.heading(table.HEADINGS[key], _qs(base, q.params(sort=key, dir="desc" if desc else "asc", page=1)),
                         q.sort == key, q.desc if q.sort == key else None)


@login_required
def export_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    q = overview.Query.from_params(request.GET)
    every = overview.annotated(scope.agencies, scope.year, timezone.localdate())
    chosen = overview.rows(overview.select(every, q))
    title = f"{scope.title}{scope.year}年度政府信息公开工作年度报告进度"
    data = export.workbook(chosen, title=title, year=scope.year, uploaded=scope.uploads(lambda: every, q))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


@login_required
def sums_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    which = request.GET.get("scope", "published")
    which = which if which in sums.SCOPES else "published"
    root_name = scope.root.name if scope.root is not None else "全部机关"
    kind = scope.root.kind if scope.root is not None else "government"
    agg = sums.aggregate(scope.agencies, root_name, kind, scope.year, which)
    ws = workspace.build(agg.report, agg.outcome)
    tables = [s for s in ws.sections if s.table is not None]
    return render(request, "supervision/sums.html", {
        "scope": scope, "agg": agg, "tables": tables, "findings": agg.findings, "which": which,
        "scopes": {k: v[0] for k, v in sums.SCOPES.items()}, "tabs": _tabs(scope, "sums")})


def _thousands(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


@login_required
def trends_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    which = request.GET.get("scope", "published")
    which = which if which in sums.SCOPES else "published"
    trend = sums.trend(scope.agencies, sorted(scope.years), which)
    years = trend.years
    drawn = [{"title": title, "svg": mark_safe(charts.line_chart(title, years, lines)),
              "lines": lines, "legend": charts.legend(lines), "rows": [(y, [_thousands(vs[i]) for _, vs in lines]) for i, y in enumerate(years)]}
             for title, lines in trend.charts.items()]
    return render(request, "supervision/trends.html", {
        "scope": scope, "trend": trend, "charts": drawn, "which": which, "years": years,
        "scopes": {k: v[0] for k, v in sums.SCOPES.items()}, "tabs": _tabs(scope, "trends"),
        "heading": f"{scope.title} · 历年趋势"})
