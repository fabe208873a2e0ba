"""The agency tree a person may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai_web.reports.models import Report

from .models import Agency, User


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/agencies.html", {"agencies": Agency.objects.for_user(request.user)})


@login_required
def agency(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Agency, pk=pk)
    if not request.user.has_perm("orgs.view_agency", obj):
        raise Http404
    return render(request, "orgs/agency.html", {
        "agency": obj,
        "members": User.objects.for_user(request.user).filter(agency=obj, is_active=True),
        "reports": Report.objects.filter(agency=obj).order_by("-year"),
        "can_create": request.user.has_perm("reports.create_report", obj),
    })
