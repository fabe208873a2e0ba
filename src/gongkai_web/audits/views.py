"""Batch checks: upload, progress (htmx polling), results per report, a report's findings.

Views read; writes go through ``actions``.  A batch the user may not see answers 404 (its existence
is not disclosed); uploading without the role answers 403.
"""

from __future__ import annotations

import json
import posixpath
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai_web.orgs.models import User

from . import actions, exports
from .models import Audit, AuditEntry
from .unpack import size_text

#: how often the page asks for progress while the job runs
POLL_SECONDS = 2
#: a batch queued this long without a worker taking it: the page says so
STALLED = timedelta(minutes=1)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _readable(request: HttpRequest, pk: int) -> Audit:
    audit = get_object_or_404(Audit.objects.select_related("created_by"), pk=pk)
    if not request.user.has_perm("audits.view_audit", audit):
        raise Http404
    return audit


def _limits() -> dict[str, Any]:
    return {"max_file": size_text(settings.GONGKAI_AUDIT_MAX_FILE),
            "max_batch": size_text(settings.GONGKAI_AUDIT_MAX_BATCH),
            "max_files": settings.GONGKAI_AUDIT_MAX_FILES,
            "max_unpacked": size_text(settings.GONGKAI_AUDIT_MAX_UNPACKED)}


def _folder_names(files: list[UploadedFile], raw: str) -> list[str]:
    """The folder paths the browser knows (``webkitRelativePath``, posted by the page's script
    beside the files; Django keeps only the last part of an uploaded file's name)."""
    try:
        paths = json.loads(raw) if raw else []
    except ValueError:
        paths = []
    names = [f.name or "未命名文件" for f in files]
    if not isinstance(paths, list) or len(paths) != len(files):
        return names
    return [p if isinstance(p, str) and posixpath.basename(p.replace("\\", "/")) == n else n
            for p, n in zip(paths, names, strict=True)]


def _uploads(request: HttpRequest) -> list[actions.Upload]:
    files = request.FILES.getlist("files")
    folder = request.FILES.getlist("folder")
    names = [f.name or "未命名文件" for f in files] + _folder_names(folder, request.POST.get("folder_paths", ""))
    return [actions.Upload(name, f.size or 0, f) for name, f in zip(names, [*files, *folder], strict=True)]


def _index(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    audits = (Audit.objects.for_user(request.user).select_related("created_by")
              .annotate(reports=Count("entries", filter=~Q(entries__status__in=["skipped", "unreadable"])),
                        errors=Sum("entries__errors"), warnings=Sum("entries__warnings")))
    return render(request, "audits/index.html", {"audits": audits, "error": error, "limits": _limits()},
                  status=status)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("audits.upload_audit"):
        raise PermissionDenied
    if request.method != "POST":
        return _index(request)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.GONGKAI_AUDIT_MAX_BATCH + (1 << 20):
        return _index(request, f"本次上传共 {size_text(length)}，超过一次上传 {size_text(settings.GONGKAI_AUDIT_MAX_BATCH)} "
                               "的上限，未保存任何文件；请分批上传", status=413)
    try:
        uploads = _uploads(request)
    except TooManyFilesSent:
        return _index(request, f"一次最多上传 {settings.GONGKAI_AUDIT_MAX_FILES} 个文件，未保存任何文件；"
                               "请分批上传，或把文件夹压缩成 ZIP 后上传", status=400)
    try:
        audit = actions.create_audit(user, request.POST.get("title", ""), uploads)
    except actions.ActionError as e:
        return _index(request, e.message, status=400)
    messages.success(request, f"已上传 {audit.files.count()} 个文件，正在后台核查；本页会自动显示进度")
    return redirect("audits:detail", pk=audit.pk)


#: results shown while the job runs (the latest ones; the whole list once it is done)
RUNNING_ROWS = 20
#: the result filters of a finished batch: (query value, label, statuses)
FILTERS = (("errors", "有错误", (AuditEntry.Status.ERRORS,)), ("warnings", "有警告", (AuditEntry.Status.WARNINGS,)),
           ("ok", "未发现问题", (AuditEntry.Status.OK,)), ("unreadable", "无法读取", (AuditEntry.Status.UNREADABLE,)))


def _results(audit: Audit, show: str = "") -> dict[str, Any]:
    rows = audit.entries.defer("findings")
    reports_qs = rows.exclude(status=AuditEntry.Status.SKIPPED)
    totals = reports_qs.aggregate(errors=Sum("errors"), warnings=Sum("warnings"), notices=Sum("notices"),
                                  count=Count("pk"))
    by_status = dict(reports_qs.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    filters = [{"key": key, "label": label, "n": sum(by_status.get(s, 0) for s in statuses), "active": key == show}
               for key, label, statuses in FILTERS]
    latest_only = not audit.finished and totals["count"] > RUNNING_ROWS
    if latest_only:
        reports = list(reports_qs.order_by("-position")[:RUNNING_ROWS])[::-1]
    else:
        chosen = next((statuses for key, _, statuses in FILTERS if key == show), None)
        reports = list((reports_qs.filter(status__in=chosen) if chosen else reports_qs).order_by("position"))
    return {"reports": reports, "latest_only": latest_only, "report_count": totals["count"],
            "filters": filters if audit.finished and totals["count"] else [], "show": show,
            "skipped": list(rows.filter(status=AuditEntry.Status.SKIPPED).order_by("position")),
            "errors": totals["errors"] or 0, "warnings": totals["warnings"] or 0, "notices": totals["notices"] or 0}


def _stalled(audit: Audit) -> bool:
    """Queued for more than a minute: no worker seems to be running."""
    since = audit.heartbeat or audit.created_at
    return audit.status == Audit.Status.QUEUED and since is not None and timezone.now() - since > STALLED


def _context(request: HttpRequest, audit: Audit) -> dict[str, Any]:
    return {"audit": audit, "poll": POLL_SECONDS, "stalled": _stalled(audit),
            **_results(audit, request.GET.get("show", "")),
            "can_rerun": request.user.has_perm("audits.rerun_audit", audit) and actions.can_rerun(audit)}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _readable(request, pk)
    # the years of the reports read: each is listed in the supervisor's overview of that year (上传核查)
    years: list[int] = []
    if audit.finished and request.user.has_perm("supervision.view_overview"):
        read = audit.entries.filter(year__isnull=False).values_list("year", flat=True)
        years = sorted({y for y in read if y is not None}, reverse=True)
    return render(request, "audits/detail.html", {**_context(request, audit), "files": audit.files.defer("content"),
                                                  "events": audit.events.select_related("actor"),
                                                  "overview_years": years})


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the page that changes while the job runs (htmx asks for it every few seconds;
    it stops asking once the batch is finished)."""
    audit = _readable(request, pk)
    return render(request, "audits/_progress.html", _context(request, audit))


@login_required
def entry(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    audit = _readable(request, pk)
    item = get_object_or_404(AuditEntry, audit=audit, position=position)
    return render(request, "audits/entry.html", {"audit": audit, "entry": item})


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The finished batch as the library's XLSX workbook or HTML summary."""
    audit = _readable(request, pk)
    if fmt not in exports.FORMATS or audit.status != Audit.Status.DONE:
        raise Http404
    media_type, _ = exports.FORMATS[fmt]
    response = HttpResponse(exports.export(audit, fmt), content_type=media_type)
    name = f"批量核查结果-{audit.created_at:%Y%m%d}-{audit.pk}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=fmt == "xlsx", filename=name) or ""
    if fmt == "html":  # a page of its own, shown from this site: nothing in it may run or load
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


@login_required
@require_POST
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _readable(request, pk)
    try:
        actions.rerun_audit(_user(request), audit)
        messages.success(request, "已重新排队核查这批文件")
    except actions.ActionError as e:
        messages.error(request, e.message)
    return redirect("audits:detail", pk=audit.pk)
