"""The API's endpoints.  Every read is scoped like the pages (``for_user`` querysets, the
``permissions`` rules); every write calls ``reports.actions`` — the same functions the pages
call — and nothing here writes a model.

A report someone may read (``reports.view_report``) shows its working copy (``view: working``);
anyone else, anonymous included, sees only its latest published version (``view: published``),
and a report never published does not exist for them (404).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai_web.orgs.models import Agency, User
from gongkai_web.reports import actions, library
from gongkai_web.reports.models import Report, ReportEvent, ReportVersion, Status

from . import documents, presenters
from . import serializers as s
from .errors import BadInput
from .jsonio import UploadParser


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "“page”：没有这一页（页码应为从 1 开始、不超过总页数的整数）"


def _params(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _body(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    ser = serializer_class(data=request.data)
    s.unknown_keys(request.data, ser)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


ERRORS = {400: s.ErrorSerializer, 401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer}
READ_ERRORS = {400: s.ErrorSerializer, 404: s.ErrorSerializer}


# -- agencies ---------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="机关列表", parameters=[s.AgencyFilterSerializer],
                       responses={200: s.AgencySerializer(many=True), **READ_ERRORS},
                       description="您可以查看的机关（本机关；主管部门：所辖范围；系统管理员：全部），"
                                   "以及有已发布年报的机关。"),
    retrieve=extend_schema(summary="机关", responses={200: s.AgencySerializer, 404: s.ErrorSerializer}),
)
class AgencyViewSet(viewsets.GenericViewSet[Agency]):
    serializer_class = s.AgencySerializer
    pagination_class = Pages
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers 404 in JSON
    http_method_names = ["get", "head"]
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Agency]:
        published = Report.objects.filter(agency=OuterRef("pk"), versions__isnull=False)
        visible = Q(pk__in=Agency.objects.for_user(self.request.user).values("pk")) | Q(Exists(published))
        return Agency.objects.filter(visible).order_by("path")

    def list(self, request: Request) -> Response:
        params = _params(request, s.AgencyFilterSerializer)
        qs = self.get_queryset()
        if "under" in params:
            root = qs.filter(pk=params["under"]).first()
            qs = qs.filter(path__startswith=root.path) if root is not None else qs.none()
        if "level" in params:
            qs = qs.filter(level=params["level"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.AgencySerializer(presenters.agencies(page or []), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        agency = self.get_queryset().filter(pk=_pk(pk)).first()
        if agency is None:
            raise NotFound("没有这个机关，或您无权查看")
        return Response(s.AgencySerializer(presenters.agencies([agency])[0]).data)


def index(request: Any) -> JsonResponse:
    """``/api/`` and ``/api/v1/``: where things are."""
    base = request.build_absolute_uri("/api/v1/")
    return JsonResponse({"agencies": f"{base}agencies/", "reports": f"{base}reports/",
                         "overdue": f"{base}requests/overdue/", "due_soon": f"{base}requests/due-soon/",
                         "schema": f"{base}schema/",
                         "说明": "令牌认证：请求头 Authorization: Token <令牌>；令牌由系统管理员签发。详见 docs/api.md"},
                        json_dumps_params={"ensure_ascii": False})


def not_found(request: Any, path: str = "") -> JsonResponse:
    """Any other path under /api/: a 404 in JSON, not the pages' HTML."""
    return JsonResponse({"detail": "没有这个接口地址，请对照 /api/v1/schema/"}, status=404,
                        json_dumps_params={"ensure_ascii": False})


def _pk(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotFound("没有这份数据：编号应为整数") from None


def _target_agency(user: User, pk: int, doing: str) -> Agency:
    """The agency a new or imported report is for: one the person may see (else 403, naming it)."""
    agency = Agency.objects.for_user(user).filter(pk=pk).first()
    if agency is None:
        raise PermissionDenied(f"“agency”：您不能为编号为 {pk} 的机关{doing}年报（机关不存在，或不在您可以查看的范围内）")
    return agency


# -- reports ----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="年报列表", parameters=[s.ReportFilterSerializer],
                       responses={200: s.ReportSerializer(many=True), **READ_ERRORS},
                       description="您可以查看的年报（工作稿），以及所有已发布的年报（最新发布版本）。"),
    retrieve=extend_schema(summary="年报（含报告数据）", responses={200: s.ReportDetailSerializer, **READ_ERRORS}),
    create=extend_schema(summary="新建年报", request=s.ReportCreateSerializer,
                         responses={201: s.ReportDetailSerializer, **ERRORS},
                         description="填报人、审核人为本机关新建年报：空白、以上一年度为起点，或提交整份报告数据。"),
    partial_update=extend_schema(summary="修改年报", request=s.ReportUpdateSerializer,
                                 responses={200: s.ReportDetailSerializer, **ERRORS, 409: s.ErrorSerializer},
                                 description="修改单元格、章节文字和开头说明。须提交读取时的 revision；"
                                             "期间别人已保存过则返回 409，报告不变。"),
)
class ReportViewSet(viewsets.GenericViewSet[Report]):
    serializer_class = s.ReportSerializer
    pagination_class = Pages
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head"]

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve", "version"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Report]:
        user = self.request.user
        has_version = Exists(ReportVersion.objects.filter(report=OuterRef("pk")))
        readable: Case | Value
        if user.is_authenticated and user.is_active:
            readable = Case(When(agency__in=Agency.objects.for_user(user).values("pk"), then=Value(True)),
                            default=Value(False), output_field=BooleanField())
        else:
            readable = Value(False, output_field=BooleanField())
        return (Report.objects.annotate(readable=readable, public=has_version)
                .filter(Q(readable=True) | Q(public=True))
                .select_related("agency")
                .prefetch_related(Prefetch("versions", ReportVersion.objects.defer("document").order_by("number"))))

    def list(self, request: Request) -> Response:
        params = _params(request, s.ReportFilterSerializer)
        qs = self.get_queryset().defer("document")
        if "agency" in params:
            qs = qs.filter(agency_id=params["agency"])
        if "under" in params:
            root = Agency.objects.filter(pk=params["under"]).first()
            qs = qs.filter(agency__path__startswith=root.path) if root is not None else qs.none()
        if "year" in params:
            qs = qs.filter(year=params["year"])
        if "status" in params:
            shown = Q(readable=True, status=params["status"])
            if params["status"] == Status.PUBLISHED:
                shown |= Q(readable=False)
            qs = qs.filter(shown)
        if "changed_since" in params:
            since = params["changed_since"]
            published = Exists(ReportVersion.objects.filter(report=OuterRef("pk"), published_at__gte=since))
            qs = qs.filter(Q(readable=True, updated_at__gte=since) | Q(Q(readable=False) & Q(published)))
        page = self.paginate_queryset(qs.order_by("agency__path", "-year", "pk"))
        data = [presenters.report(r, bool(getattr(r, "readable", False))) for r in page or []]
        return self.get_paginated_response(s.ReportSerializer(data, many=True).data)

    def _get(self, pk: str) -> tuple[Report, bool]:
        report = self.get_queryset().filter(pk=_pk(pk)).first()
        if report is None:
            raise NotFound("没有这份报告，或您无权查看")
        return report, bool(getattr(report, "readable", False))

    def _detail(self, report: Report, readable: bool, status: int = 200) -> Response:
        data = presenters.report(report, readable, document=True)
        return Response(s.ReportDetailSerializer(data).data, status=status)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(*self._get(pk))

    def create(self, request: Request) -> Response:
        data = _body(request, s.ReportCreateSerializer)
        user = _user(request)
        agency = _target_agency(user, data["agency"], "新建")
        if "document" in data:
            if "start" in data:
                raise BadInput("start", "提交 document 时不用 start")
            lib, year = documents.read_document(data["document"], agency=agency.name, kind=agency.kind,
                                                year=data.get("year"))
            report = actions.create_from(user, agency, year, lib, "通过数据接口提交")
        else:
            if "year" not in data:
                raise BadInput("year", "缺少年度（year）")
            report = actions.create_report(user, agency, data["year"], start=data.get("start", "blank"))
        return self._detail(*self._get(str(report.pk)), status=201)

    def partial_update(self, request: Request, pk: str) -> Response:
        report, _ = self._get(pk)
        user = _user(request)
        if not user.has_perm("reports.change_report", report):
            raise PermissionDenied("您不能修改这份报告（只有本机关的填报人、审核人能修改草稿或退回修改的报告）")
        data = _body(request, s.ReportUpdateSerializer)
        edit = documents.edit_from(library.get_format_spec(report.format_id), data)
        actions.save_report(user, report, revision=data["revision"], edit=edit)
        return self._detail(*self._get(pk))

    @extend_schema(summary="导入已发布的年报文件", request={"multipart/form-data": s.ImportSerializer},
                   responses={201: s.ReportDetailSerializer, 200: s.ReportDetailSerializer, **ERRORS},
                   description="用读取程序读出已发布的年报（Word、PDF、网页、Excel、文本），新建该年度的年报（201），"
                               "或替换该年度草稿的内容（200，每处改动记入操作记录）。读取提示在 document.warnings 中。")
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[UploadParser])
    def import_file(self, request: Request) -> Response:
        data = _body(request, s.ImportSerializer)
        user = _user(request)
        agency = _target_agency(user, data["agency"], "导入")
        upload = data["file"]
        limit = int(getattr(settings, "GONGKAI_MAX_UPLOAD", 20 * 1024 * 1024))
        if upload.size is not None and upload.size > limit:
            raise BadInput("file", f"文件过大（{upload.size / 1024 / 1024:.1f} MB），导入的年报文件不能超过 "
                                   f"{limit // 1024 // 1024} MB")
        existed = Report.objects.filter(agency=agency, year=data["year"]).exists()
        try:
            report = actions.import_report(user, agency, data["year"], upload.read(), upload.name or "上传的文件")
        except library.Refusal as e:
            raise BadInput("file", e.message) from None
        return self._detail(*self._get(str(report.pk)), status=200 if existed else 201)

    @extend_schema(summary="核查结果", responses={200: s.FindingsSerializer, **ERRORS},
                   description="对工作稿运行核查（链接上一年度报告），结果的结构同 gongkai check --json 的每份报告。")
    @action(detail=True, methods=["get"])
    def findings(self, request: Request, pk: str) -> Response:
        report, readable = self._get(pk)
        if not readable:
            raise PermissionDenied("只有能查看工作稿的人能看核查结果")
        return Response(s.FindingsSerializer(presenters.findings(report)).data)

    @extend_schema(summary="操作记录", responses={200: s.EventSerializer(many=True), **ERRORS},
                   description="谁、何时、做了什么（改了哪个单元格、从什么改成什么），最新的在前（分页）。")
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        report, _ = self._get(pk)
        if not request.user.has_perm("reports.view_history", report):
            raise PermissionDenied("只有能查看工作稿的人能看操作记录")
        events = ReportEvent.objects.filter(report=report).select_related("actor", "actor__agency")
        rows = self.paginate_queryset(events)  # type: ignore[arg-type]  # the viewset's model is Report
        return self.get_paginated_response(s.EventSerializer(presenters.events(rows or []), many=True).data)

    @extend_schema(summary="某一发布版本", responses={200: s.VersionDetailSerializer, **READ_ERRORS},
                   description="已发布的每个版本都公开（含发布时间和与上一版相比的修改）。")
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[^/]+)")
    def version(self, request: Request, pk: str, number: str) -> Response:
        report, _ = self._get(pk)
        found = report.versions.filter(number=_pk(number)).first() if number.isdigit() else None
        if found is None:
            raise NotFound(f"这份报告没有第{number[:20]}版")
        return Response(s.VersionDetailSerializer(presenters.version(found)).data)

    @extend_schema(summary="提意见", request=s.CommentSerializer, responses={201: s.EventSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str) -> Response:
        report, _ = self._get(pk)
        if not request.user.has_perm("reports.comment_report", report):
            raise PermissionDenied("只有本机关的人员和主管部门能对这份报告提意见")
        data = _body(request, s.CommentSerializer)
        event = actions.comment_report(_user(request), report, data["text"])
        return Response(s.EventSerializer(presenters.events([event])[0]).data, status=201)

    # -- workflow -------------------------------------------------------------------------------
    def _step(self, request: Request, pk: str, body: type[serializers.Serializer], do: Any) -> Response:
        report, _ = self._get(pk)
        perm = f"reports.{'return' if self.action == 'send_back' else self.action}_report"
        if not request.user.has_perm(perm, report):
            raise PermissionDenied(f"您不能对这份报告进行这项操作（报告现在的状态：{report.get_status_display()}）")
        data = _body(request, body)
        do(_user(request), report, data)
        return self._detail(*self._get(pk))

    @extend_schema(summary="提交审核", request=s.EmptySerializer,
                   responses={200: s.ReportDetailSerializer, **ERRORS, 409: s.ErrorSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, s.EmptySerializer, lambda u, r, d: actions.submit_report(u, r))

    @extend_schema(summary="审核通过", request=s.ApproveSerializer,
                   responses={200: s.ReportDetailSerializer, **ERRORS, 409: s.ErrorSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, s.ApproveSerializer,
                          lambda u, r, d: actions.approve_report(u, r, d.get("comment", "")))

    @extend_schema(summary="退回修改", request=s.ReturnSerializer,
                   responses={200: s.ReportDetailSerializer, **ERRORS, 409: s.ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, s.ReturnSerializer, lambda u, r, d: actions.return_report(u, r, d["comment"]))

    @extend_schema(summary="发布", request=s.PublishSerializer,
                   responses={200: s.ReportDetailSerializer, **ERRORS,
                              409: OpenApiResponse(s.ErrorSerializer, description="核查仍有错误且未写理由")})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, s.PublishSerializer,
                          lambda u, r, d: actions.publish_report(u, r, override_reason=d.get("override_reason", "")))

    @extend_schema(summary="修订已发布的报告", request=s.EmptySerializer,
                   responses={200: s.ReportDetailSerializer, **ERRORS, 409: s.ErrorSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, s.EmptySerializer, lambda u, r, d: actions.reopen_report(u, r))
