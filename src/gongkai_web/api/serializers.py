"""What the API reads and writes.  Output fields are documented by these serializers (and the
OpenAPI schema generated from them); the report document is the library's JSON model
(``gongkai.schema.model_schema``, component ``ReportModel``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongkai.agency import AGENCY_KINDS
from gongkai.formats import SECTION_KEYS
from gongkai_web.orgs.models import Level
from gongkai_web.reports.models import EventKind, Status


class RawJSONField(serializers.JSONField):
    """JSON as the parser read it (exact Decimals); checked by ``api.documents``, not here."""

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class DocumentField(RawJSONField):
    """A report in the library's JSON model (keys as in FORMAT.md); documented as ``ReportModel``."""


class TablesField(RawJSONField):
    """Cells to change: ``{"requests": {"new": {"total": 5}}}`` (table → row → column → value)."""


@extend_schema_field({"type": "object", "propertyNames": {"enum": list(SECTION_KEYS)},
                      "additionalProperties": {"type": "string"}})
class SectionsField(RawJSONField):
    """Section texts to change: ``{"problems": "…"}``."""


@extend_schema_field(OpenApiTypes.OBJECT)
class LooseObjectField(serializers.JSONField):
    pass


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明（指明出错的键）")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
                                   help_text="按键路径列出的错误，如 tables.requests.new.total")
    revision = serializers.IntegerField(required=False, help_text="409：报告现在的修改次数")
    errors_count = serializers.IntegerField(required=False, help_text="409：阻止发布的错误数")


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="机关名称（报告上署名的全称）")
    kind = serializers.ChoiceField(choices=list(AGENCY_KINDS.items()), help_text="机关类别（决定发布期限和必备内容）")
    kind_label = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True, help_text="上级机关的 id（根为 null）")  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    active = serializers.BooleanField()


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="第几版")
    published_at = serializers.DateTimeField()
    errors = serializers.IntegerField(help_text="发布时的错误数")  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    warnings = serializers.IntegerField()
    override_reason = serializers.CharField(allow_blank=True, help_text="带错误发布的理由")


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    format = serializers.CharField(help_text="全国统一格式的版本（2019、2021）")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    view = serializers.ChoiceField(choices=[("working", "工作稿"), ("published", "已发布版本")],
                                   help_text="working：您可以查看的工作稿；published：最新的已发布版本（公开）")
    revision = serializers.IntegerField(allow_null=True, help_text="工作稿的修改次数（修改时须提交；公开视图为 null）")
    updated_at = serializers.DateTimeField(allow_null=True)
    errors = serializers.IntegerField(help_text="核查发现的错误数")  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    warnings = serializers.IntegerField(help_text="核查发现的警告数")
    version = serializers.IntegerField(allow_null=True, help_text="最新发布版本的编号（未发布为 null）")
    published_at = serializers.DateTimeField(allow_null=True)


class ReportDetailSerializer(ReportSerializer):
    document = DocumentField(help_text="报告数据（gongkai 数据模型，键见 FORMAT.md）")
    versions = VersionSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("cell", "单元格"), ("section", "章节"), ("meta", "基本信息")])
    label = serializers.CharField(help_text="如 表三/（一）予以公开/自然人")  # type: ignore[assignment]  # a field named like a Field attribute (DRF takes it out of the class)
    old = serializers.CharField(allow_blank=True, help_text="原来的文字（空白为 \"\"）")
    new = serializers.CharField(allow_blank=True)
    table = serializers.CharField(required=False)
    row = serializers.CharField(required=False)
    col = serializers.CharField(required=False)
    key = serializers.CharField(required=False)


class VersionDetailSerializer(VersionSerializer):
    changes = ChangeSerializer(many=True, help_text="与上一版相比改了什么（第一版为空）")
    document = DocumentField(help_text="该版本的报告数据")


class EventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    kind_label = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="操作人：姓名（角色，机关）")
    at = serializers.DateTimeField()
    revision = serializers.IntegerField(help_text="操作后的修改次数")
    comment = serializers.CharField(allow_blank=True)
    changes = ChangeSerializer(many=True)


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, help_text="意见", error_messages={
        "required": "意见不能为空", "blank": "意见不能为空"})


class ReportCreateSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, help_text="机关 id")
    year = serializers.IntegerField(min_value=1900, max_value=2999, required=False,
                                    help_text="年度（给出 document 时可省略，取 document.year）")
    start = serializers.ChoiceField(choices=[("blank", "空白报告"), ("previous", "以上一年度报告的文字为起点")],
                                    required=False, help_text="不给 document 时：blank（默认）或 previous")
    document = DocumentField(required=False, help_text="报告数据（gongkai 数据模型）；必须含 format")


class ImportSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, help_text="机关 id")
    year = serializers.IntegerField(min_value=1900, max_value=2999, help_text="年度")
    file = serializers.FileField(help_text="已发布的年报：.docx、.pdf、.html、.xlsx 或 .txt，不超过 20 MB",
                                 error_messages={"required": "请选择要导入的文件", "empty": "文件是空的",
                                                 "invalid": "请以 multipart/form-data 上传文件"})


class ReportUpdateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=1, help_text="读取报告时的 revision（防止覆盖别人的修改）")
    tables = TablesField(required=False, help_text="要修改的单元格：表 → 行 → 列 → 值（数字、\"NA\" 不适用、null 空白）")
    sections = SectionsField(required=False, help_text=f"要修改的章节文字（键：{'、'.join(SECTION_KEYS)}）")
    preamble = serializers.CharField(allow_blank=True, trim_whitespace=False, required=False, help_text="报告开头的说明")


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, help_text="审核意见（可选）")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, help_text="退回意见（必填）",
                                    error_messages={"required": "退回修改须写明意见，告诉填报人要改什么",
                                                    "blank": "退回修改须写明意见，告诉填报人要改什么"})


class PublishSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                            help_text="核查仍有错误时，带错误发布的理由（随版本公开保存）")


class EmptySerializer(serializers.Serializer):
    pass


class ReportFilterSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, required=False, help_text="机关 id")
    under = serializers.IntegerField(min_value=1, required=False, help_text="机关 id：该机关及其下所有机关")
    year = serializers.IntegerField(min_value=1900, max_value=2999, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    changed_since = serializers.DateTimeField(required=False, help_text=(
        "只列出此时刻以后有变化的年报（工作稿：最后修改时间；公开视图：发布时间），"
        "如 2025-03-01T00:00:00+08:00，用于增量同步"))


class AgencyFilterSerializer(serializers.Serializer):
    under = serializers.IntegerField(min_value=1, required=False, help_text="机关 id：该机关及其下所有机关")
    level = serializers.ChoiceField(choices=Level.choices, required=False)


class LocationSerializer(serializers.Serializer):
    table = serializers.CharField(required=False)
    row = serializers.CharField(required=False)
    column = serializers.CharField(required=False)
    label = serializers.CharField(required=False, help_text="如 表三/自然人")  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    section = serializers.CharField(required=False)
    sentence = serializers.CharField(required=False)
    loc = LooseObjectField(required=False)
    source_place = serializers.CharField(required=False)


class FindingSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="规则或提示的编号，如 t3.E001")
    stage = serializers.ChoiceField(choices=["read", "check", "render"])
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()
    about = serializers.ChoiceField(choices=["document", "reading"],
                                    help_text="document：报告本身的问题；reading：读取不确定（不是机关的错误）")
    hint = serializers.CharField(required=False)
    location = LocationSerializer()
    report = serializers.CharField(allow_null=True)
    ref = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    related = serializers.ListField(child=serializers.CharField(), required=False)


class CountsSerializer(serializers.Serializer):
    error = serializers.IntegerField()
    warning = serializers.IntegerField()
    info = serializers.IntegerField()
    reading = serializers.IntegerField()


class FindingsSerializer(serializers.Serializer):
    """The checker on the report's working copy (last year's report linked), in the shape of
    ``gongkai.check.ReportResult.to_dict``."""

    report = serializers.IntegerField(help_text="报告 id")
    ref = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    agency = serializers.CharField()
    year = serializers.IntegerField()
    revision = serializers.IntegerField()
    valid = serializers.BooleanField(help_text="没有错误")
    counts = CountsSerializer()
    findings = FindingSerializer(many=True)
    notices = FindingSerializer(many=True, help_text="导入时读取程序的提示（尚未被核查结果转述的）")


def unknown_keys(data: Any, serializer: serializers.Serializer) -> None:
    """400 naming the first key the endpoint does not take."""
    from .errors import BadInput

    if not isinstance(data, dict):
        raise BadInput(None, "请求内容应为 JSON 对象")
    allowed = list(serializer.fields)
    for key in data:
        if key not in allowed:
            hint = f"（可用的键：{'、'.join(allowed)}）" if allowed else "（这项操作不需要请求内容）"
            raise BadInput(str(key), f"未知的键“{str(key)[:40]}”{hint}")
