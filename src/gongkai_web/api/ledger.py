"""The case ledger in the API, read only, with the pages' permissions (``cases.view_request``,
``registers.view_tables``: the agency's own people, a supervisor above it, an administrator) and
the pages' queries:

    GET agencies/{agency_id}/requests/        an agency's requests (year, state, due_status)
    GET agencies/{agency_id}/tables/{year}/   the year's tables 二/三/四 counted from the ledger
    GET requests/{id}/                        one request: its clock (due date with its working), its steps
    GET requests/overdue/, requests/due-soon/ the due lists (every agency one may read, or agency/under)

Someone who may not read the agency gets 404 (its existence is not disclosed); a call without a
token 401.  Applicants' ID and phone numbers are always masked here: the unmasked numbers are
shown only on the request page to the agency's own handlers, and each view is logged there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.ledger import clock
from gongkai.ledger.catalogue import LEDGER_FORMAT
from gongkai_web.cases import queries, workcal
from gongkai_web.cases import tables as case_tables
from gongkai_web.cases.models import DisclosureRequest, RequestEvent
from gongkai_web.cases.privacy import mask_id, mask_phone
from gongkai_web.cases.views import event_line
from gongkai_web.orgs.models import Agency
from gongkai_web.registers import annual
from gongkai_web.registers.queries import has_registers
from gongkai_web.reports.forms import report_years

from . import ledger_serializers as ls
from . import serializers as s
from .errors import Conflict
from .views import Pages

ERRORS = {400: s.ErrorSerializer, 401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer}

#: the columns a list row shows
LIST_FIELDS = ("pk", "agency_id", "agency__name", "number", "year", "channel", "applicant_kind", "received_on", "due",
               "days_left", "provisional", "status", "pause_reason", "computed_on", "closed_on", "outcome")


def _int(raw: str, what: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:  # "²".isdigit() too
        raise NotFound(f"没有这个{what}：编号应为正整数")
    return int(raw)


def readable_agency(request: Request, raw: str, perm: str = "cases.view_request") -> Agency:
    agency = Agency.objects.filter(pk=_int(raw, "机关")).first()
    if agency is None or not request.user.has_perm(perm, agency):
        raise NotFound("没有这个机关，或您无权查看它的台账")
    return agency


def _params(request: Request, serializer_class: Any) -> dict[str, Any]:
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def request_row(r: DisclosureRequest) -> dict[str, Any]:
    """A list row: no personal data beyond the applicant's kind."""
    return {
        "id": r.pk, "agency": r.agency_id, "agency_name": r.agency.name, "number": r.number, "year": r.year,
        "channel": r.channel, "channel_label": r.get_channel_display(),
        "applicant_kind": r.applicant_kind, "applicant_kind_label": r.get_applicant_kind_display(),
        "received_on": r.received_on, "due": r.due, "days_left": r.days_left, "provisional": r.provisional,
        "state": "closed" if r.closed_on else "open", "due_status": r.status,
        "due_status_label": r.status_label, "pause_reason": r.pause_reason, "computed_on": r.computed_on,
        "closed_on": r.closed_on, "outcome": r.outcome or None, "outcome_label": r.outcome_label,
    }


def request_detail(r: DisclosureRequest) -> dict[str, Any]:
    """One request as its page shows it — the clock on today, every step — with the ID and phone
    numbers masked (there is no unmasked form in the API)."""
    events = list(RequestEvent.objects.filter(request=r).select_related("actor").order_by("seq"))
    lib = queries.build_request(r, [e.data for e in events])
    c = clock(lib, workcal.current(), today=timezone.localdate())
    return {
        **request_row(r),
        "applicant_name": r.applicant_name, "id_type": r.get_id_type_display() if r.id_type else "",
        "id_number": mask_id(r.id_number), "phone": mask_phone(r.phone), "subject": r.subject,
        "delivery": r.get_delivery_display(), "collect": r.get_collect_display(), "pieces": r.pieces,
        "imported": r.imported, "duplicate_of": r.duplicate_of.number if r.duplicate_of else None,
        "ground": lib.ground or None, "clock": c.to_dict(explain=True),
        "events": [{"seq": e.seq, "type": e.type, "date": e.date,
                    "text": event_line(lib.events[i]) if i < len(lib.events) else e.type,
                    "data": e.data, "note": e.note, "actor": e.actor.display if e.actor else None,
                    "recorded_at": e.recorded_at} for i, e in enumerate(events)],
    }


def _page(view: viewsets.GenericViewSet[Any], qs: QuerySet[DisclosureRequest]) -> Response:
    rows = view.paginate_queryset(qs.select_related("agency").only(*LIST_FIELDS))
    return view.get_paginated_response(ls.LedgerRequestSerializer([request_row(r) for r in rows or []],
                                                                  many=True).data)


# -- an agency's requests ---------------------------------------------------------------------
@extend_schema_view(list=extend_schema(
    summary="机关的依申请公开台账", tags=["ledger"], parameters=[ls.LedgerRequestFilterSerializer],
    responses={200: ls.LedgerRequestSerializer(many=True), **ERRORS},
    description="一个机关的政府信息公开申请，按收到日期从新到旧（分页）。可按收到申请的年度（year）、"
                "是否办结（state）、办理状态（due_status）筛选。权限与台账页面相同。"))
class AgencyRequestViewSet(viewsets.GenericViewSet[DisclosureRequest]):
    serializer_class = ls.LedgerRequestSerializer
    pagination_class = Pages
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[DisclosureRequest]:
        return DisclosureRequest.objects.none()  # every action scopes its own rows

    def list(self, request: Request, agency_id: str) -> Response:
        agency = readable_agency(request, agency_id)
        params = _params(request, ls.LedgerRequestFilterSerializer)
        qs = DisclosureRequest.objects.filter(agency=agency)
        if "year" in params:
            qs = qs.filter(year=params["year"])
        if params.get("state") == "open":
            qs = qs.filter(closed_on__isnull=True)
        elif params.get("state") == "closed":
            qs = qs.filter(closed_on__isnull=False)
        if "due_status" in params:
            qs = qs.filter(status=params["due_status"])
        return _page(self, qs.order_by("-received_on", "-seq"))


# -- one request and the due lists ------------------------------------------------------------
@extend_schema_view(retrieve=extend_schema(
    summary="一件申请：答复期限及其计算过程、办理过程", tags=["ledger"],
    responses={200: ls.LedgerRequestDetailSerializer, **ERRORS},
    description="答复期限按今天计算（与申请页面相同），附计算过程和每一步办理记录。"
                "申请人的证件号码和联系电话一律部分隐去。"))
class LedgerRequestViewSet(viewsets.GenericViewSet[DisclosureRequest]):
    serializer_class = ls.LedgerRequestDetailSerializer
    pagination_class = Pages
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[DisclosureRequest]:
        return DisclosureRequest.objects.for_user(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        row = (DisclosureRequest.objects.select_related("agency", "duplicate_of")
               .filter(pk=_int(pk, "申请")).first())
        if row is None or not request.user.has_perm("cases.view_request", row):
            raise NotFound("没有这件申请，或您无权查看")
        return Response(ls.LedgerRequestDetailSerializer(request_detail(row)).data)

    def _agencies(self, request: Request) -> QuerySet[Agency]:
        params = _params(request, ls.DueFilterSerializer)
        agencies = Agency.objects.for_user(request.user)
        if "agency" in params:
            agencies = agencies.filter(pk=params["agency"])
        if "under" in params:
            root = agencies.filter(pk=params["under"]).first()
            agencies = agencies.filter(path__startswith=root.path) if root is not None else agencies.none()
        if ("agency" in params or "under" in params) and not agencies.exists():
            raise NotFound("没有这个机关，或您无权查看它的台账")
        return agencies

    @extend_schema(summary="已逾期的申请", tags=["ledger"], parameters=[ls.DueFilterSerializer],
                   responses={200: ls.LedgerRequestSerializer(many=True), **ERRORS},
                   description="未办结且已超过答复期限的申请，按答复期限先后（分页）：您可以查看的全部机关"
                               "（主管部门：所辖范围），或 agency（一个机关）、under（某机关及其下级）。"
                               "状态由每日任务计算（computed_on）。")
    @action(detail=False, methods=["get"])
    def overdue(self, request: Request) -> Response:
        return _page(self, queries.overdue(self._agencies(request)))

    @extend_schema(summary="即将到期的申请", tags=["ledger"], parameters=[ls.DueFilterSerializer],
                   responses={200: ls.LedgerRequestSerializer(many=True), **ERRORS},
                   description="未办结、答复期限将至（或依法暂停的等待期已满、待处理）的申请，按答复期限先后"
                               "（分页）；范围同“已逾期的申请”。")
    @action(detail=False, methods=["get"], url_path="due-soon")
    def due_soon(self, request: Request) -> Response:
        return _page(self, queries.due_soon(self._agencies(request)))


# -- the year's tables ------------------------------------------------------------------------
@extend_schema_view(retrieve=extend_schema(
    summary="台账统计的年度报告表格", tags=["ledger"],
    responses={200: ls.AnnualTablesSerializer, **ERRORS, 409: s.ErrorSerializer},
    description="从依申请公开台账和登记簿统计的表二、表三、表四（键见 FORMAT.md），与“年度表格”页面的数字相同"
                "（同一组查询）。表二只在登记簿有记录时给出。台账中有无法归入表三的申请时返回 409 并说明。"))
class AnnualTablesViewSet(viewsets.GenericViewSet[Agency]):
    serializer_class = ls.AnnualTablesSerializer
    lookup_field = "year"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.none()

    def retrieve(self, request: Request, agency_id: str, year: str) -> Response:
        agency = readable_agency(request, agency_id, "registers.view_tables")
        y = int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None
        if y is None or y not in report_years():
            raise NotFound(f"没有{year[:20]}年度的表格（年度应为{min(report_years())}年至今）")
        return Response(ls.AnnualTablesSerializer(annual_tables(agency, y)).data)


def annual_tables(agency: Agency, year: int) -> dict[str, Any]:
    """Tables 二 and 四 from ``annual.year_tally`` over the appeals and registers, table 三 from the
    SQL of ``cases.tables.table_three`` — the functions the registers' tables page uses."""
    try:
        t = annual.year_tally(agency, year, requests=[])
        t.report.tables["requests"] = case_tables.table_three(agency, year)
    except annual.ActionError as e:
        raise Conflict(e.message) from None
    keys = ("proactive", "requests", "appeals") if has_registers(agency, year) else ("requests", "appeals")
    return {"agency": agency.pk, "agency_name": agency.name, "year": year, "format": LEDGER_FORMAT.id,
            "tables": {k: t.report.table(k).to_dict() for k in keys}}


__all__ = ["AgencyRequestViewSet", "AnnualTablesViewSet", "LedgerRequestViewSet", "annual_tables"]
