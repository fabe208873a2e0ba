"""The ledger pages: an agency's requests, intake, a request with its clock and steps, the due-soon
and overdue lists (an agency's, or a supervisor's across the subtree).  Writes go through
``actions``; a refused step is shown with the engine's Chinese message and nothing is stored."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.ledger import (
    CHANNELS,
    CONSULTED,
    FEE_METHODS,
    OUTCOMES,
    ConsultationAnswered,
    ConsultationStarted,
    CorrectionRequested,
    Decided,
    Delivered,
    Event,
    Extended,
    FeeNotice,
    LongerPeriod,
    Received,
    clock,
)
from gongkai.ledger import Request as LibRequest
from gongkai.ledger.events import format_date
from gongkai_web.orgs.models import Agency, Role, User
from gongkai_web.registers.queries import ledger_stamp

from . import actions, letters, queries, rows, workcal
from .forms import STEPS, IntakeForm
from .models import DisclosureRequest, RequestEvent
from .privacy import mask_id, mask_phone


def request_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def readable_agency(request: HttpRequest, agency_id: int, agencies: QuerySet[Agency] | None = None) -> Agency:
    agency = get_object_or_404(Agency if agencies is None else agencies, pk=agency_id)
    if not request.user.has_perm("cases.view_request", agency):
        raise Http404
    return agency


def readable(request: HttpRequest, pk: int) -> DisclosureRequest:
    """The request if this user may read it; 404 otherwise (its existence is not disclosed)."""
    row = get_object_or_404(DisclosureRequest.objects.select_related("agency", "duplicate_of"), pk=pk)
    if not request.user.has_perm("cases.view_request", row):
        raise Http404
    return row


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if user.role in (Role.DRAFTER, Role.APPROVER) and user.agency_id is not None:
        return redirect("cases:list", agency_id=user.agency_id)
    return redirect("cases:due")


FILTERS = {"open": "未办结", "due": "即将到期和已逾期", "closed": "已办结", "all": "全部"}


@login_required
def agency_requests(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = readable_agency(request, agency_id)
    user = request_user(request)
    show = request.GET.get("show", "open")
    qs = DisclosureRequest.objects.filter(agency=agency)
    if show == "open":
        qs = qs.filter(closed_on__isnull=True).order_by("due", "pk")
    elif show == "due":
        qs = qs.filter(closed_on__isnull=True, status__in=("due_soon", "late", "lapsed")).order_by("due", "pk")
    elif show == "closed":
        qs = qs.filter(closed_on__isnull=False)
    else:
        show = "all"
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(number__icontains=q) | qs.filter(applicant_name__icontains=q) | qs.filter(subject__icontains=q)
    page = Paginator(qs.values(*rows.FIELDS), 50).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {
        "agency": agency, "page": page, "rows": rows.table_html(list(page.object_list)),
        "show": show, "filters": FILTERS, "q": q,
        "today_year": timezone.localdate().year,
        "can_handle": user.has_perm("cases.handle_request", agency),
        "can_import": user.has_perm("cases.import_ledger", agency),
        "can_templates": user.has_perm("cases.edit_templates", agency)})


#: rows of each due list on one page
DUE_PAGE = 25
#: how long an agency's due lists are kept (under its ledger stamp, so never stale)
DUE_CACHE_SECONDS = 24 * 60 * 60


def _page(rows: QuerySet[Any], count: int, number: str | None) -> Page:
    """One page of a list whose length is already known (the paginator's own count is a query)."""
    paginator = Paginator(rows, DUE_PAGE)
    paginator.count = count  # a cached_property: set, not asked again
    return paginator.get_page(number)


def _due_lists(agencies: QuerySet[Agency] | Agency, late_page: str | None, soon_page: str | None) -> str:
    """The two lists (paged, 25 rows each: the same cost at 100,000 requests): both lengths in one
    query, the rows as plain values (only the columns shown) written by ``rows``."""
    counts = queries.open_requests(agencies).aggregate(
        late=Count("pk", filter=Q(status__in=queries.OVERDUE)), soon=Count("pk", filter=Q(status__in=queries.DUE_SOON)))
    late = _page(queries.overdue(agencies).values(*rows.FIELDS_WITH_AGENCY), counts["late"], late_page)
    soon = _page(queries.due_soon(agencies).values(*rows.FIELDS_WITH_AGENCY), counts["soon"], soon_page)
    return render_to_string("cases/_due_lists.html", {
        "late": late, "soon": soon, "late_rows": rows.table_html(list(late.object_list), with_agency=True),
        "soon_rows": rows.table_html(list(soon.object_list), with_agency=True)})


def _pages_key(late_page: str | None, soon_page: str | None) -> str | None:
    """The page numbers asked, for a key (None — not kept — for anything but short digit strings)."""
    pages = (late_page or "", soon_page or "")
    return f"{pages[0]}:{pages[1]}" if all(len(p) <= 6 and (p.isdigit() or not p) for p in pages) else None


def _kept(key: str, compute: Callable[[], str]) -> str:
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, DUE_CACHE_SECONDS)
    return str(found)


def _agency_due_lists(agency: Agency, late_page: str | None, soon_page: str | None) -> str:
    """One agency's lists, kept under its ledger stamp (read with the agency): every write to its
    requests changes the stamp in the writing transaction — the daily status refresh too — so a
    kept answer is never stale; the agency's name (shown in every row) is part of the key."""
    stamp = getattr(agency, "stamp", None)
    pages = _pages_key(late_page, soon_page)
    if stamp is None or pages is None:
        return _due_lists(agency, late_page, soon_page)
    key = f"cases:due:{agency.pk}:{stamp}:{zlib.crc32(agency.name.encode())}:{pages}"
    return _kept(key, lambda: _due_lists(agency, late_page, soon_page))


def _subtree_due_lists(user: User, late_page: str | None, soon_page: str | None) -> str:
    """The lists across every agency this person may see, kept under what they depend on: which
    agencies, their names and their ledger stamps (one query).  A stamp that was never set means no
    request of that agency was ever written, so it is as good a part of the key as any other."""
    agencies = Agency.objects.for_user(user)
    pages = _pages_key(late_page, soon_page)
    if pages is None:
        return _due_lists(agencies, late_page, soon_page)
    seen = list(agencies.annotate(stamp=ledger_stamp()).order_by("pk").values_list("pk", "name", "stamp"))
    digest = hashlib.sha256(repr(seen).encode()).hexdigest()
    return _kept(f"cases:due:many:{digest}:{pages}", lambda: _due_lists(agencies, late_page, soon_page))


@login_required
def due(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    """即将到期和已逾期的申请: one agency's, or every agency this user may see (a supervisor's subtree)."""
    user = request_user(request)
    late_page, soon_page = request.GET.get("late"), request.GET.get("soon")
    agency: Agency | None = None
    if agency_id is not None:
        agency = readable_agency(request, agency_id, Agency.objects.annotate(stamp=ledger_stamp()))
        lists = _agency_due_lists(agency, late_page, soon_page)
    else:
        lists = _subtree_due_lists(user, late_page, soon_page)
    return render(request, "cases/due.html", {
        "agency": agency, "lists": mark_safe(lists),
        # = perms.orgs.manage_agencies without Django's model-permission queries (no such model permission exists)
        "can_calendar": user.is_active and (user.is_superuser or rules.has_perm("orgs.manage_agencies", user))})


@login_required
def intake(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    user = request_user(request)
    if not user.has_perm("cases.handle_request", agency):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.intake(user, agency, **form.cleaned_data)
        except actions.ActionError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记申请{row.number}，收到申请日期为{format_date(row.received_on)}")
            if row.duplicate_of is not None:
                messages.warning(request, f"该申请人曾于{format_date(row.duplicate_of.received_on)}提出内容相同的申请"
                                          f"{row.duplicate_of.number}，请核对是否属于重复申请")
            return redirect("cases:request", pk=row.pk)
    return render(request, "cases/intake.html", {"agency": agency, "form": form},
                  status=400 if form.errors else 200)


def event_line(e: Event) -> str:
    """One step for a person: the date, what, and its particulars."""
    parts: list[str] = []
    if isinstance(e, Received):
        parts.append(CHANNELS[e.channel].label if e.channel in CHANNELS else e.channel)
    elif isinstance(e, CorrectionRequested):
        parts.append(f"补正期限{e.days}个工作日；需补正：{e.items}")
    elif isinstance(e, ConsultationStarted):
        parts.append(f"{CONSULTED.get(e.party, e.party)}：{e.whom}")
    elif isinstance(e, ConsultationAnswered) and e.whom:
        parts.append(e.whom)
    elif isinstance(e, Extended):
        parts.append(f"延长{e.days}个工作日，批准人{e.approver}，理由：{e.reason}")
    elif isinstance(e, FeeNotice):
        how = f"{e.pages}页" if e.method == "page" else f"第{e.position}件起" if e.position else ""
        parts.append(f"{FEE_METHODS.get(e.method, e.method)}{how}，{e.amount}元")
    elif isinstance(e, LongerPeriod) and e.until:
        parts.append(f"至{format_date(e.until)}；{e.reason}")
    elif isinstance(e, Decided):
        o = OUTCOMES.get(e.outcome)
        parts.append(f"{o.label if o else e.outcome}；依据：{e.ground or (o.ground if o else '')}")
    elif isinstance(e, Delivered) and e.how:
        parts.append(e.how)
    return e.describe() + (f"（{'；'.join(p for p in parts if p)}）" if any(parts) else "")


def _context(request: HttpRequest, row: DisclosureRequest, *, forms: dict[str, Any] | None = None,
             show_personal: bool = False, failed: str = "") -> dict[str, Any]:
    user = request_user(request)
    lib = queries.library_request(row)
    today = timezone.localdate()
    c = clock(lib, workcal.current(), today=today)
    can_handle = user.has_perm("cases.handle_request", row)
    steps = {}
    if can_handle and row.closed_on is None:
        for key, (label, form_cls, _fn) in STEPS.items():
            if key == "deliver":
                continue
            steps[key] = (label, (forms or {}).get(key) or form_cls(initial={"on": today}, auto_id=f"id_{key}_%s"))
    elif can_handle and row.outcome and not lib.state.delivered:
        label, form_cls, _fn = STEPS["deliver"]
        steps["deliver"] = (label, (forms or {}).get("deliver") or form_cls(initial={"on": today},
                                                                             auto_id="id_deliver_%s"))
    events = list(RequestEvent.objects.filter(request=row).select_related("actor"))
    dups = queries.duplicates(row.agency, row.applicant_name, row.id_number, row.subject, exclude=row.pk)
    dups = [d for d in dups if d.received_on <= row.received_on]
    return {
        "row": row, "lib": lib, "clock": c, "steps": steps, "failed": failed, "events": events,
        "event_labels": [(e, event_line(lib.events[i]) if i < len(lib.events) else e.type)
                         for i, e in enumerate(events)],
        "can_handle": can_handle, "can_personal": user.has_perm("cases.view_personal", row),
        "show_personal": show_personal, "masked_id": mask_id(row.id_number), "masked_phone": mask_phone(row.phone),
        "duplicates": dups, "letters": letters.available(lib), "outcome": OUTCOMES.get(row.outcome),
        "ground": lib.ground, "appeals": list(row.appeals.all()), "fee": _fee(lib),
        "views_log": (list(row.personal_views.select_related("user")[:20])
                      if user.has_perm("cases.view_personal", row) else []),
    }


def _fee(lib: LibRequest) -> dict[str, str] | None:
    """The fee notice's amount and the engine's working (what the notice states)."""
    notice = lib.state.fee
    if notice is None:
        return None
    return {"method": FEE_METHODS.get(notice.method, notice.method), "amount": format(notice.amount, "f"),
            "working": letters.fee_explained(lib)}


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = readable(request, pk)
    return render(request, "cases/request.html", _context(request, row))


@login_required
@require_POST
def personal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the applicant's ID and phone numbers (the agency's handlers only; logged)."""
    row = readable(request, pk)
    actions.view_personal(request_user(request), row)
    return render(request, "cases/request.html", _context(request, row, show_personal=True))


@login_required
@require_POST
def step(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    row = readable(request, pk)
    if key not in STEPS:
        raise Http404
    label, form_cls, fn = STEPS[key]
    user = request_user(request)
    if not user.has_perm("cases.handle_request", row):
        raise PermissionDenied
    form = form_cls(request.POST, auto_id=f"id_{key}_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            getattr(actions, fn)(user, row, **data)
        except actions.ActionError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已记录：{label}")
            return redirect("cases:request", pk=row.pk)
    messages.error(request, f"“{label}”未记录：请按提示改正")
    return render(request, "cases/request.html", _context(request, row, forms={key: form}, failed=key), status=400)
