"""The ledger's other pages: letters (DOCX), letter templates, the import of an Excel 台账 with its
preview, appeals (table 四), the year's fee statement and a fee's working."""

from __future__ import annotations

import hashlib
import io
import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.ledger import fees

from . import actions, importing, letters, queries
from .forms import AppealForm, ConcludeForm, UploadForm
from .models import Appeal, DisclosureRequest, LetterTemplate, StagedImport
from .views import readable, readable_agency, request_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(data: bytes, filename: str, ctype: str = DOCX) -> HttpResponse:
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def letter(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A letter of this request as DOCX (the agency's handlers: it names the applicant)."""
    row = readable(request, pk)
    if not request_user(request).has_perm("cases.handle_request", row):
        raise PermissionDenied
    lib = queries.library_request(row)
    if kind not in dict(letters.available(lib)):
        raise Http404
    try:
        data = letters.letter(row, lib, kind)
    except letters.TemplateProblem as e:
        return HttpResponse(f"无法生成文书：{e.message}。请在“文书模板”中改正本机关的模板，或恢复系统模板。",
                            status=422, content_type="text/plain; charset=utf-8")
    return _attachment(data, f"{letters.KINDS[kind].title}（{row.number}）.docx")


@login_required
def fee_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The fee the engine would charge, with its working (for the fee notice form)."""
    row = readable(request, pk)
    if not request_user(request).has_perm("cases.handle_request", row):
        raise PermissionDenied
    method = request.GET.get("method", "piece")
    try:
        pages = int(request.GET["pages"]) if request.GET.get("pages") else None
        w = queries.fee_working(row, method, pages)
        text = w.explain()
    except (ValueError, queries.FeeRefused) as e:
        text = getattr(e, "message", "页数应为正整数")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@login_required
def templates(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = readable_agency(request, agency_id)
    user = request_user(request)
    if not user.has_perm("cases.edit_templates", agency):
        raise PermissionDenied
    form = UploadForm()
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if request.POST.get("reset"):
            actions.reset_template(user, agency, kind)
            messages.success(request, "已恢复系统模板")
            return redirect("cases:templates", agency_id=agency.pk)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                actions.upload_template(user, agency, kind, f.read(), f.name or "模板.docx")
            except actions.ActionError as e:
                form.add_error("file", e.message)
            else:
                messages.success(request, f"已保存本机关的“{letters.KINDS[kind].title}”模板")
                return redirect("cases:templates", agency_id=agency.pk)
        status = 400
    own = {t.kind: t for t in LetterTemplate.objects.filter(agency=agency).only("kind", "name", "uploaded_at")}
    kinds = [(k, v.title, own.get(k)) for k, v in letters.KINDS.items()]
    return render(request, "cases/templates.html", {"agency": agency, "kinds": kinds, "form": form}, status=status)


@login_required
def template_file(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    agency = readable_agency(request, agency_id)
    if not request_user(request).has_perm("cases.edit_templates", agency):
        raise PermissionDenied
    if kind not in letters.KINDS:
        raise Http404
    return _attachment(letters.template_for(agency.pk, kind), f"{letters.KINDS[kind].title}模板.docx")


_SESSION = "cases_import"


@login_required
def import_ledger(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Upload → preview (every bad row listed, nothing stored) → confirm (stored)."""
    agency = readable_agency(request, agency_id)
    user = request_user(request)
    if not user.has_perm("cases.import_ledger", agency):
        raise PermissionDenied
    today = timezone.localdate()
    form = UploadForm(request.POST or None, request.FILES or None)
    pre = None
    name = ""
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.get(_SESSION) or {}
        staged = StagedImport.objects.filter(pk=int(stash.get("staged") or 0), agency=agency, staged_by=user,
                                             sha=request.POST.get("sha") or "-").first()
        if stash.get("agency") != agency.pk or staged is None:
            messages.error(request, "预览已失效，请重新选择台账文件")
            return redirect("cases:import", agency_id=agency.pk)
        data, name = bytes(staged.data), staged.name
        try:
            pre = actions.import_ledger(user, agency, data, name, today=today,
                                        change_reason=request.POST.get("change_reason", ""))
        except actions.ActionError as e:
            messages.error(request, e.message)
            return render(request, "cases/import.html", {"agency": agency, "form": UploadForm(), "name": name,
                                                         "pre": importing.preview(agency, data, name, today),
                                                         "sha": staged.sha}, status=400)
        if pre.ok:
            request.session.pop(_SESSION, None)
            messages.success(request, f"已从“{name}”导入{pre.requests}件申请、{pre.appeals}件复议诉讼案件")
            return redirect("cases:list", agency_id=agency.pk)
        form = UploadForm()
    elif request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        data, name = f.read(), f.name or "台账.xlsx"
        pre = importing.preview(agency, data, name, today)
        if pre.ok:
            sha = hashlib.sha256(data).hexdigest()
            staged = actions.stage_import(user, agency, data, name, sha)
            request.session[_SESSION] = {"agency": agency.pk, "staged": staged.pk}
            return render(request, "cases/import.html", {"agency": agency, "form": form, "pre": pre, "name": name,
                                                         "sha": sha})
    status = 400 if (pre is not None and not pre.ok) or form.errors else 200
    return render(request, "cases/import.html", {"agency": agency, "form": form, "pre": pre, "name": name},
                  status=status)


_SPLIT = re.compile(r"[、,，;；\s]+")


@login_required
def appeals(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = readable_agency(request, agency_id)
    user = request_user(request)
    can = user.has_perm("cases.handle_appeal", agency)
    form = AppealForm(request.POST or None)
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            numbers = [n for n in _SPLIT.split(d["requests"] or "") if n]
            found = list(DisclosureRequest.objects.filter(agency=agency, number__in=numbers))
            missing = sorted(set(numbers) - {r.number for r in found})
            try:
                if missing:
                    raise actions.ActionError(f"本机关没有编号为{'、'.join(missing)}的申请")
                actions.add_appeal(user, agency, number=d["number"], kind=d["kind"], filed=d["filed"],
                                   requests=found, note=d["note"] or "", change_reason=d["change_reason"] or "")
            except actions.ActionError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已登记案件{d['number']}")
                return redirect("cases:appeals", agency_id=agency.pk)
    rows = Appeal.objects.filter(agency=agency).prefetch_related("requests")
    return render(request, "cases/appeals.html", {"agency": agency, "appeals": rows, "form": form, "can": can,
                                                  "conclude_form": ConcludeForm()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def conclude_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("agency"), pk=pk)
    user = request_user(request)
    if not user.has_perm("cases.view_appeal", appeal):
        raise Http404
    if not user.has_perm("cases.handle_appeal", appeal):
        raise PermissionDenied
    form = ConcludeForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.ActionError("；".join(str(e) for errs in form.errors.values() for e in errs))
        actions.conclude_appeal(user, appeal, **form.cleaned_data)
        messages.success(request, f"已记录案件{appeal.number}的结果")
    except actions.ActionError as e:
        messages.error(request, f"案件{appeal.number}的结果未记录：{e.message}")
    return redirect("cases:appeals", agency_id=appeal.agency_id)


@login_required
def fee_statement(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """The year's 信息处理费 (for 六、其他需要报告的事项) and the requests behind it."""
    agency = readable_agency(request, agency_id)
    libs = queries.library_requests(agency, year)
    st = fees.fee_statement(libs, year)
    charged = [r for r in libs if r.state.fee is not None and r.state.fee.date.year == year]
    pks = queries.pks_for_numbers(agency, [r.id for r in charged])
    rows = [(r, pks.get(r.id)) for r in charged]
    return render(request, "cases/fees.html", {"agency": agency, "year": year, "statement": st, "rows": rows})



@login_required
def export(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's ledger as CSV (UTF-8 with BOM, opens in Excel); ID and phone numbers masked."""
    import csv

    from .privacy import mask_id, mask_phone

    agency = readable_agency(request, agency_id)
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    w.writerow(["编号", "收到日期", "渠道", "申请人类型", "申请人", "证件号码", "联系电话", "所需信息", "状态",
                "答复期限", "办理结果", "办结日期"])
    for r in DisclosureRequest.objects.filter(agency=agency).order_by("received_on", "seq").iterator(2000):
        w.writerow([r.number, r.received_on.isoformat(), r.get_channel_display(), r.get_applicant_kind_display(),
                    r.applicant_name, mask_id(r.id_number), mask_phone(r.phone), r.subject, r.status_label,
                    r.due.isoformat() if r.due else "", r.outcome_label,
                    r.closed_on.isoformat() if r.closed_on else ""])
    return _attachment(out.getvalue().encode("utf-8"), f"{agency.name}依申请公开台账.csv", "text/csv; charset=utf-8")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """放假安排: an administrator loads a year's arrangement (TOML, as docs/calendar.md describes);
    the open requests are re-dated by the engine and the ones whose due date moved are listed."""
    from .models import CalendarArrangement
    from .workcal import current

    user = request_user(request)
    if not user.has_perm("orgs.manage_agencies"):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    moved = None
    status = 200
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
            _, moved = actions.load_arrangement(user, text)
        except UnicodeDecodeError:
            form.add_error("file", "放假安排文件应为 UTF-8 编码的文本（TOML）")
        except actions.ActionError as e:
            form.add_error("file", e.message)
        else:
            messages.success(request, f"已载入放假安排，答复期限变动的申请{len(moved)}件")
        status = 400 if form.errors else 200
    return render(request, "cases/calendar.html", {
        "form": form, "moved": moved, "version": current().version,
        "loaded": CalendarArrangement.objects.select_related("loaded_by").order_by("-loaded_at")}, status=status)
