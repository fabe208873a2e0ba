"""The report workspace and its workflow (login required; permissions from ``permissions``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Func, IntegerField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai_web.orgs.models import Agency, User

from . import actions, library, workspace
from .forms import ImportForm, NewReportForm, ReturnForm, working_year
from .models import Report, ReportEvent


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def readable(request: HttpRequest, pk: int, *, editor: bool = True, document: bool = True,
             stored_check: bool = False) -> Report:
    """The report if this user may read it; 404 otherwise (its existence is not disclosed).
    ``editor``: read who changed it last too (the page shows it; the live check does not);
    ``document``: read the stored document now (the live check reads it only when this process
    has not read that revision before: ``actions.lib_report``)."""
    related = ("agency", "updated_by") if editor else ("agency",)
    if stored_check:  # the report page shows the check outcome stored with it (actions.checked)
        related = (*related, "stored_check")
    rows = Report.objects.select_related(*related)
    report = get_object_or_404(rows if document else rows.defer("document"), pk=pk)
    if not request.user.has_perm("reports.view_report", report):
        raise Http404
    return report


@login_required
def new_report(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    user = _user(request)
    if not user.has_perm("reports.create_report", agency):
        raise PermissionDenied
    form = NewReportForm(request.POST or None, request.FILES or None,
                         initial={"year": request.GET.get("year") or working_year()})
    if request.method == "POST" and form.is_valid():
        year, start = form.cleaned_data["year"], form.cleaned_data["start"]
        try:
            if start == "import":
                f = form.cleaned_data["file"]
                report = actions.import_report(user, agency, year, f.read(), f.name or "上传的文件")
                messages.success(request, f"已从文件“{f.name}”导入{year}年度报告，请核对读取提示和核查结果")
            else:
                report = actions.create_report(user, agency, year, start=start)
                messages.success(request, f"已创建{agency.name}{year}年度报告")
            return redirect("reports:detail", pk=report.pk)
        except (actions.ActionError, library.Refusal) as e:
            form.add_error("file" if start == "import" else None, e.message)
    return render(request, "reports/new.html", {"agency": agency, "form": form}, status=400 if form.errors else 200)


@login_required
def import_into(request: HttpRequest, pk: int) -> HttpResponse:
    report = readable(request, pk)
    user = _user(request)
    if not user.has_perm("reports.change_report", report):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            actions.import_report(user, report.agency, report.year, f.read(), f.name or "上传的文件")
            messages.success(request, f"已从文件“{f.name}”导入，原有内容的每处改动都记入了修改记录")
            return redirect("reports:detail", pk=report.pk)
        except (actions.ActionError, library.Refusal) as e:
            form.add_error("file", e.message)
    return render(request, "reports/import.html", {"report": report, "form": form},
                  status=400 if form.errors else 200)


def _previous(report: Report) -> Report | None:
    """Last year's report of the agency: only what the page and the check's key read of it (its
    agency is this report's, already read)."""
    previous = (Report.objects.filter(agency_id=report.agency_id, year=report.year - 1)
                .only("pk", "agency_id", "year", "status", "revision", "updated_at").order_by().first())
    if previous is not None:
        previous.agency = report.agency
    return previous


def _context(request: HttpRequest, report: Report, ws: workspace.Workspace, *, previous: Report | bool | None = True,
             **extra: Any) -> dict[str, Any]:
    user = _user(request)
    perms = {p: user.has_perm(f"reports.{p}_report", report)
             for p in ("change", "submit", "approve", "publish", "return", "reopen", "comment", "download")}
    # the changes themselves are not shown here, only how many (an import's event holds hundreds)
    events = list(ReportEvent.objects.filter(report=report).select_related("actor").defer("changes")
                  .annotate(changed=JSONLength("changes"))[:50])
    if previous is True:
        previous = _previous(report)
    if previous and not user.has_perm("reports.view_report", previous):
        previous = None
    return {"report": report, "ws": ws, "perms": perms, "events": events, "previous": previous,
            "versions": list(report.versions.only("pk", "report_id", "number", "published_at").order_by("-number")),
            "downloads": _download_links(report.pk), **_ledger_links(report), **extra}


def _ledger_links(report: Report) -> dict[str, str]:
    """From a year the ledger counts (2021 format on): the prefix of each number's link to its cases
    (``drill``) and the ledger's tables of the year (reversed once a page, not once per table)."""
    if report.year < 2021:
        return {"drill": "", "ledger_tables": ""}
    cell = reverse("registers:cell_by_name", args=[report.agency_id, report.year, "x"])
    return {"drill": cell[:-2], "ledger_tables": reverse("registers:tables", args=[report.agency_id, report.year])}


class JSONLength(Func):
    """The length of a JSON list, in the database (SQLite ``json_array_length``, PostgreSQL
    ``jsonb_array_length``)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


def _download_links(pk: int) -> list[tuple[str, str]]:
    """(name, URL) of each download (one URL reversed, not one per format)."""
    url = reverse("reports:download", args=[pk, "FORMAT"])
    return [(d[0], url.replace("FORMAT", key)) for key, d in library.DOWNLOADS.items()]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The workspace: the form when the user may edit, the report with its findings otherwise.
    POST saves the form."""
    report = readable(request, pk, stored_check=request.method != "POST")
    user = _user(request)
    lib = actions.lib_report(report)
    if request.method != "POST":
        previous = _previous(report)
        ws = workspace.build(lib, actions.checked(report, lib, previous=previous))
        return render(request, "reports/detail.html", _context(request, report, ws, previous=previous))
    if not user.has_perm("reports.change_report", report):
        raise PermissionDenied
    edit, typed, errors = workspace.parse_form(request.POST, lib)
    texts = {k: str(v) for k, v in request.POST.items() if k.startswith("s:") or k == "preamble"}
    try:
        seen = int(request.POST.get("revision", ""))
    except ValueError:
        seen = -1
    if errors:
        ws = workspace.build(actions.apply_edit(lib, edit), actions.run_check(report, lib), typed=typed,
                             errors=errors, texts=texts)
        messages.error(request, f"有{len(errors)}处填写有误，报告未保存；请按标红处改正后再保存。您填写的内容都还在。")
        return render(request, "reports/detail.html", _context(request, report, ws, revision=seen), status=400)
    try:
        report = actions.save_report(user, report, revision=seen, edit=edit)
    except actions.StaleRevision as e:
        merged, conflicts = actions.merge_stale(e.report, seen, edit)
        ws = workspace.build(merged, actions.run_check(e.report, merged))
        newer = ReportEvent.objects.filter(report=report, revision__gt=seen).select_related("actor")
        messages.error(request, e.message)
        return render(request, "reports/detail.html",
                      _context(request, e.report, ws, revision=e.report.revision, stale=list(newer),
                               conflicts=conflicts), status=409)
    messages.success(request, f"已保存（第{report.revision}次修改）")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def live_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The checker on the form as typed (nothing saved): the findings panel and, out of band, the
    marker beside every cell and section."""
    report = readable(request, pk, editor=False, document=False)
    data = workspace.posted(request)
    if data is None:
        return HttpResponse("核查请求的内容无法读取（应为表单各栏的名称和填写内容）；请刷新页面后再填写。", status=400,
                            content_type="text/plain; charset=utf-8")
    lib = actions.lib_report(report)
    edit, typed, errors = workspace.parse_form(data, lib)
    lib = actions.apply_edit(lib, edit)
    ws = workspace.build(lib, actions.run_check(report, lib), typed=typed, errors=errors)
    return render(request, "reports/_check.html", {"report": report, "ws": ws, "oob": True})


def _workflow(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = readable(request, pk)
    user = _user(request)
    try:
        if step == "submit":
            actions.submit_report(user, report)
            messages.success(request, "已提交审核")
        elif step == "approve":
            actions.approve_report(user, report, request.POST.get("comment", ""))
            messages.success(request, "已审核通过，可以发布")
        elif step == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise actions.ActionError("退回修改须写明意见，告诉填报人要改什么")
            actions.return_report(user, report, form.cleaned_data["comment"])
            messages.success(request, "已退回修改")
        elif step == "publish":
            version = actions.publish_report(user, report, override_reason=request.POST.get("override_reason", ""))
            messages.success(request, f"已发布（第{version.number}版），公众可在公开页面查看")
        elif step == "reopen":
            actions.reopen_report(user, report)
            messages.success(request, "已开始修订；发布前，公众看到的仍是已发布的版本")
        elif step == "comment":
            actions.comment_report(user, report, request.POST.get("text", ""))
            messages.success(request, "意见已记录")
        else:  # pragma: no cover - the URLs name the steps
            raise Http404
    except actions.ActionError as e:
        messages.error(request, e.message)
        return redirect("reports:detail", pk=report.pk)
    except Exception as e:
        from django_fsm import TransitionNotAllowed

        if isinstance(e, TransitionNotAllowed):
            messages.error(request, f"报告当前状态为“{report.get_status_display()}”，不能进行这项操作")
            return redirect("reports:detail", pk=report.pk)
        raise
    return redirect("reports:detail", pk=report.pk)


def workflow_view(step: str) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _workflow(request, pk, step)

    view.__name__ = f"{step}_view"
    return view


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    report = readable(request, pk)
    if not request.user.has_perm("reports.view_history", report):
        raise Http404
    events = ReportEvent.objects.filter(report=report).select_related("actor")
    snapshots = report.history.select_related("history_user").order_by("-history_date")[:200]
    return render(request, "reports/history.html", {"report": report, "events": events, "snapshots": snapshots})


@login_required
def download(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    report = readable(request, pk)
    if target not in library.DOWNLOADS:
        raise Http404
    if not request.user.has_perm("reports.download_report", report):
        raise Http404
    return file_response(actions.lib_report(report), target, f"{report.agency.name}{report.year}年度报告（工作稿）")


def file_response(lib: library.LibReport, target: str, stem: str) -> HttpResponse:
    name, ext, ctype = library.DOWNLOADS[target]
    try:
        data = library.render(lib, target)
    except library.Refusal as e:
        return HttpResponse(f"无法生成{name}文件：{e.message}", status=422, content_type="text/plain; charset=utf-8")
    from urllib.parse import quote

    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{stem}.{ext}')}"
    return response
