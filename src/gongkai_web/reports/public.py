"""Public pages (no login): published versions only — a draft is never public."""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai_web.orgs.models import Agency

from . import library, workspace
from .diff import describe
from .models import Report, ReportVersion
from .views import file_response


def index(request: HttpRequest) -> HttpResponse:
    """Every agency with published reports, and their years."""
    rows = (ReportVersion.objects.values("report__agency_id", "report__agency__name", "report__agency__path",
                                         "report__year")
            .annotate(last=Max("published_at")).order_by("report__agency__path", "-report__year"))
    agencies: dict[int, dict[str, object]] = {}
    for r in rows:
        a = agencies.setdefault(r["report__agency_id"], {"id": r["report__agency_id"],
                                                          "name": r["report__agency__name"],
                                                          "depth": len(r["report__agency__path"]) // Agency.steplen,
                                                          "years": []})
        a["years"].append(r["report__year"])  # type: ignore[attr-defined]
    return render(request, "public/index.html", {"agencies": list(agencies.values())})


def agency_reports(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    reports = (Report.objects.filter(agency=agency, versions__isnull=False).distinct().order_by("-year")
               .prefetch_related("versions"))
    if not reports:
        raise Http404
    return render(request, "public/agency.html", {"agency": agency, "reports": reports})


def _version(agency_id: int, year: int, number: int | None) -> tuple[Report, ReportVersion, list[ReportVersion]]:
    report = get_object_or_404(Report.objects.select_related("agency"), agency_id=agency_id, year=year)
    versions = list(report.versions.order_by("number"))
    if not versions:
        raise Http404  # drafted but never published: not public
    if number is None:
        return report, versions[-1], versions
    for v in versions:
        if v.number == number:
            return report, v, versions
    raise Http404


def report_page(request: HttpRequest, agency_id: int, year: int, number: int | None = None) -> HttpResponse:
    report, version, versions = _version(agency_id, year, number)
    lib = library.load(version.document, kind=report.agency.kind)
    ws = workspace.build(lib, library.CheckOutcome())
    changes = [{"version": v, "lines": [describe(c) for c in v.changes]} for v in versions]
    return render(request, "public/report.html", {
        "report": report, "version": version, "versions": versions, "ws": ws, "lib": lib,
        "latest": version.number == versions[-1].number, "changes": changes, "downloads": library.DOWNLOADS})


def version_download(request: HttpRequest, agency_id: int, year: int, number: int, target: str) -> HttpResponse:
    if target not in library.DOWNLOADS:
        raise Http404
    report, version, _ = _version(agency_id, year, number)
    lib = library.load(version.document, kind=report.agency.kind)
    return file_response(lib, target, f"{report.agency.name}{report.year}年度报告（第{version.number}版）")
