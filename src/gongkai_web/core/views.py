"""The workbench (home page) and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai_web.orgs.models import Agency, Role, User
from gongkai_web.reports.forms import report_years, working_year
from gongkai_web.reports.models import Report


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("public:index")
    return workbench(request)


#: agencies of a supervisor's subtree listed on the workbench (the rest on the 年报监督 page)
WORKBENCH_ROWS = 100


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """A person's own agency by year; a supervisor's subtree for one year."""
    user = request.user
    assert isinstance(user, User)
    years = report_years()
    try:
        year = int(request.GET.get("year", working_year()))
    except ValueError:
        year = working_year()
    ctx: dict[str, Any] = {"years": years, "year": year}
    if user.agency_id and user.role in (Role.DRAFTER, Role.APPROVER):
        reports = {r.year: r for r in Report.objects.filter(agency_id=user.agency_id)}
        ctx["own"] = [{"year": y, "report": reports.get(y)} for y in years]
        ctx["agency"] = user.agency
        ctx["can_create"] = user.has_perm("reports.create_report", user.agency)
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        # the first agencies of the subtree in tree order, by the supervision app's queries (a few
        # SQL queries whatever the subtree's size); the whole list is on the 年报监督 page
        from gongkai_web.supervision import overview

        every = overview.annotated(Agency.objects.for_user(user), year, timezone.localdate())
        ctx["subtree"] = overview.rows(overview.select(every, overview.Query())[:WORKBENCH_ROWS])
        ctx["subtree_total"] = every.count()
    return render(request, "core/workbench.html", ctx)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
