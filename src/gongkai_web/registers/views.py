"""The registers pages and the annual tables (login required; permissions from ``registers.rules``).

A person who may not read the agency gets 404 (its existence is not disclosed); one who may read
but not change it gets 403 on a change.  Every change goes through ``actions`` / ``annual``.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.errors import GongkaiError
from gongkai.ledger import Registers
from gongkai.ledger.layout import DOCUMENTS, MONTHLY
from gongkai_web.orgs.models import Agency, Role, User
from gongkai_web.reports.forms import report_years, working_year

from . import actions, annual, drill
from .forms import (
    MONTH_FIELDS,
    MONTH_LABELS,
    DocumentForm,
    ImportForm,
    ReasonForm,
    month_key,
    months_typed,
    parse_months,
)
from .models import Document, Month, RegisterEvent
from .queries import ledger_stamp


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _agency(request: HttpRequest, agency_id: int, agencies: QuerySet[Agency] | None = None) -> Agency:
    agency = get_object_or_404(Agency if agencies is None else agencies, pk=agency_id)
    if not request.user.has_perm("registers.view_registers", agency):
        raise Http404
    return agency


def _visible(request: HttpRequest) -> list[Agency]:
    """The agencies this person may open (a supervisor's subtree, everyone for an administrator);
    an agency's own staff see only their agency, so no choice (and no query)."""
    user = _user(request)
    if user.role in (Role.DRAFTER, Role.APPROVER):
        return []
    return list(Agency.objects.for_user(_user(request)).filter(active=True).only("pk", "name", "path"))


def _links(target: str, agencies: list[Agency], agency: Agency, year: int) -> dict[str, Any]:
    """The agency and year pickers' options (``_years.html``): one ``reverse`` for them all, written
    here rather than by a template loop of twenty years on every page."""
    url = reverse(target, args=[_PK, _YEAR])

    def option(pk: int, y: int, selected: bool, label: str) -> str:
        href = escape(url.replace(str(_PK), str(pk)).replace(str(_YEAR), str(y)))
        return f'<option value="{href}"{" selected" if selected else ""}>{escape(label)}</option>'

    # every text escaped in ``option``
    agency_options = "".join(option(a.pk, year, a.pk == agency.pk, a.name) for a in agencies)
    year_options = "".join(option(agency.pk, y, y == year, f"{y}年度") for y in report_years())
    return {"agency_options": mark_safe(agency_options) if len(agencies) > 1 else "",
            "year_options": mark_safe(year_options)}


#: stand-ins to put a picker's URLs together (no URL of the app holds them otherwise)
_PK, _YEAR = 987654321, 9876


def _year(year: int) -> int:
    if year not in report_years():
        raise Http404
    return year


def _may_change(request: HttpRequest, agency: Agency) -> None:
    if not request.user.has_perm("registers.change_registers", agency):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One's own agency's registers for the working year (others choose from the agency page)."""
    user = _user(request)
    if user.agency_id is None:
        messages.error(request, "您的账号没有所属机关；请从“机关”页面选择要查看的机关")
        return redirect("orgs:agencies")
    return redirect("registers:index", agency_id=user.agency_id, year=working_year())


def _index_context(request: HttpRequest, agency: Agency, year: int, **extra: Any) -> dict[str, Any]:
    docs = list(Document.objects.filter(agency=agency).select_related("created_by").order_by("-issued", "number"))
    stored = list(Month.objects.filter(agency=agency, year=year))
    typed = extra.pop("typed", None) or months_typed(stored)
    errors = extra.pop("month_errors", {})
    months = [{"month": m, "cells": [{"name": month_key(m, f), "label": MONTH_LABELS[f], "value": typed.get(
        month_key(m, f), ""), "error": errors.get(month_key(m, f)), "fee": f == "fee"} for f in MONTH_FIELDS]}
              for m in range(1, 13)]
    dec31 = datetime.date(year, 12, 31)
    for d in docs:
        d.in_force = d.issued <= dec31 and (d.repealed is None or d.repealed > dec31)  # type: ignore[attr-defined]
        d.this_year = year in (d.issued.year, d.repealed.year if d.repealed else None)  # type: ignore[attr-defined]
    ctx = {"agency": agency, "year": year, "documents": docs, "months": months,
           **_links("registers:index", _visible(request), agency, year),
           "month_labels": [MONTH_LABELS[f] for f in MONTH_FIELDS],
           "can_change": request.user.has_perm("registers.change_registers", agency),
           "locked": annual.cases_locked(agency, year),
           "document_form": extra.pop("document_form", None) or DocumentForm(),
           "events": RegisterEvent.objects.filter(agency=agency).select_related("actor")[:30],
           "table2": drill.registers_table(agency, year) if year >= annual.FIRST_YEAR else None}
    ctx.update(extra)
    return ctx


@login_required
def index(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    return render(request, "registers/index.html", _index_context(request, agency, _year(year)))


@login_required
@require_POST
def add_document(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    year = _year(year)
    _may_change(request, agency)
    form = DocumentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            doc = actions.add_document(_user(request), agency, kind=d["kind"], title=d["title"], number=d["number"],
                                       issued=d["issued"], repealed=d["repealed"], note=d["note"],
                                       reason=d["reason"])
            messages.success(request, f"已登记《{doc.title}》（{doc.number}）")
            return redirect("registers:index", agency_id=agency.pk, year=year)
        except actions.ActionError as e:
            form.add_error(None, e.message)
    messages.error(request, "文件没有登记，请按提示改正后再提交；您填写的内容都还在")
    return render(request, "registers/index.html", _index_context(request, agency, year, document_form=form),
                  status=400)


def _document(request: HttpRequest, pk: int) -> Document:
    doc = get_object_or_404(Document.objects.select_related("agency"), pk=pk)
    if not request.user.has_perm("registers.view_registers", doc.agency):
        raise Http404
    return doc


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A registered document: corrected, or its repeal recorded (POST)."""
    doc = _document(request, pk)
    asked = request.GET.get("year", "")
    back = reverse("registers:index", args=[doc.agency_id, int(asked) if asked.isdigit() and len(asked) == 4
                                            else working_year()])
    if request.method == "POST":
        _may_change(request, doc.agency)
        form = DocumentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.change_document(_user(request), doc, kind=d["kind"], title=d["title"], number=d["number"],
                                        issued=d["issued"], repealed=d["repealed"], note=d["note"],
                                        reason=d["reason"])
                messages.success(request, f"已保存《{d['title']}》（{d['number']}）")
                return redirect(back)
            except actions.ActionError as e:
                form.add_error(None, e.message)
        status = 400
    else:
        form = DocumentForm(initial={"kind": doc.kind, "title": doc.title, "number": doc.number,
                                     "issued": doc.issued, "repealed": doc.repealed, "note": doc.note})
        status = 200
    return render(request, "registers/document.html",
                  {"doc": doc, "form": form, "back": back, "delete_form": ReasonForm(),
                   "can_change": request.user.has_perm("registers.change_registers", doc.agency)}, status=status)


@login_required
@require_POST
def delete_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    _may_change(request, doc.agency)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.delete_document(_user(request), doc, reason=reason)
        messages.success(request, f"已删除误登记的《{doc.title}》（{doc.number}）")
    except actions.ActionError as e:
        messages.error(request, e.message)
        return redirect("registers:document", pk=doc.pk)
    return redirect("registers:index", agency_id=doc.agency_id, year=working_year())


@login_required
@require_POST
def save_months(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    year = _year(year)
    _may_change(request, agency)
    values, typed, errors = parse_months(request.POST)
    reason = str(request.POST.get("reason", ""))[:1000]
    if not errors:
        try:
            changes = actions.save_months(_user(request), agency, year, values, reason=reason)
            messages.success(request, f"已保存{len(changes)}个月的修改" if changes else "没有改动")
            return redirect("registers:index", agency_id=agency.pk, year=year)
        except actions.ActionError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, f"有{len(errors)}处填写有误，没有保存；请按标红处改正。您填写的内容都还在")
    return render(request, "registers/index.html",
                  _index_context(request, agency, year, typed=typed, month_errors=errors, reason=reason), status=400)


@login_required
def import_registers(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Upload → preview (every bad row listed, nothing stored) → confirm → stored."""
    agency = _agency(request, agency_id)
    year = _year(year)
    _may_change(request, agency)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    ctx: dict[str, Any] = {"agency": agency, "year": year, "form": form, "sheets": (DOCUMENTS, MONTHLY)}
    if request.method != "POST":
        return render(request, "registers/import.html", ctx)
    if not form.is_valid():
        return render(request, "registers/import.html", ctx, status=400)
    f = form.cleaned_data.get("file")
    data: bytes | Registers
    if f is not None:
        data = f.read()
    else:  # the confirmation: what the preview read, checked again in full
        try:
            data = Registers.from_dict(json.loads(form.cleaned_data.get("upload") or ""))
        except (ValueError, TypeError, GongkaiError):
            form.add_error("file", "请选择要导入的台账文件（.xlsx）")
            return render(request, "registers/import.html", ctx, status=400)
    preview = actions.preview_import(agency, data)
    carried = preview.registers.to_dict() if preview.registers is not None else {}
    ctx.update(preview=preview, data=json.dumps(carried, ensure_ascii=False))
    if f is not None or preview.problems or request.POST.get("confirm") != "1":
        return render(request, "registers/import.html", ctx, status=400 if preview.problems else 200)
    try:
        actions.import_registers(_user(request), agency, data, reason=form.cleaned_data.get("reason") or "")
    except actions.ActionError as e:
        ctx["error"] = e.message
        return render(request, "registers/import.html", ctx, status=400)
    messages.success(request, f"已导入：新登记文件{len(preview.documents)}件，处理决定和收费{len(preview.months)}个月")
    return redirect("registers:index", agency_id=agency.pk, year=year)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    from urllib.parse import quote

    from gongkai.ledger.template import template_xlsx

    response = HttpResponse(template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('政府信息公开工作台账模板.xlsx')}"
    return response


# -- the annual tables ------------------------------------------------------------------------
@login_required
def tables(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    # the agency with its ledger stamp in one query (the cached tables are kept under the stamp)
    agency = _agency(request, agency_id, Agency.objects.annotate(stamp=ledger_stamp()))
    year = _year(year)
    from gongkai_web.reports.models import Report, ReportVersion

    # only what the page shows of the report (not its document, which can be large)
    report = (Report.objects.filter(agency=agency, year=year).only("pk", "status")
              .annotate(published=Exists(ReportVersion.objects.filter(report=OuterRef("pk")))).first())
    error = None
    try:
        found = drill.tables_html_at(agency, year, agency.stamp)
    except actions.ActionError as e:
        found, error = "", e.message
    return render(request, "registers/tables.html", {
        "agency": agency, "year": year, "tables_html": found, "error": error,
        **_links("registers:tables", _visible(request), agency, year),
        "report": report,
        "locked": annual.cases_locked(agency, year, published=bool(getattr(report, "published", False))),
        "can_fill": error is None and request.user.has_perm("registers.fill_tables", agency)})


@login_required
@require_POST
def fill(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    year = _year(year)
    if not request.user.has_perm("registers.fill_tables", agency):
        raise PermissionDenied
    try:
        report = annual.fill_draft(_user(request), agency, year)
    except actions.ActionError as e:
        messages.error(request, e.message)
        return redirect("registers:tables", agency_id=agency.pk, year=year)
    messages.success(request, f"已按台账和登记簿统计{year}年度的表格，填入年度报告草稿（第{report.revision}次修改）")
    return redirect("reports:detail", pk=report.pk)


@login_required
def cell(request: HttpRequest, agency_id: int, year: int, table: str, row: str, col: str) -> HttpResponse:
    """The cases behind one number of the year's tables."""
    agency = _agency(request, agency_id)
    year = _year(year)
    try:
        found = drill.cell_cases(agency, year, table, row, col)
    except actions.ActionError:
        raise Http404 from None
    if found is None:
        raise Http404
    return render(request, "registers/cell.html", {"agency": agency, "year": year, "cell": found})


@login_required
def cell_by_name(request: HttpRequest, agency_id: int, year: int, name: str) -> HttpResponse:
    """The same page for a cell named as the report workspace names it (``c:requests:partial:natural_person``)."""
    parts = name.split(":")
    if len(parts) != 4 or parts[0] != "c":
        raise Http404
    return cell(request, agency_id, year, parts[1], parts[2], parts[3])
