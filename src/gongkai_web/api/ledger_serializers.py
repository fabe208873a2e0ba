"""What the ledger endpoints answer (read only): requests with their clock and steps, the due
lists, and the year's annual tables counted from the ledger.  Keys are the engine's and
FORMAT.md's (``channel``: ``online``; ``applicant_kind``: ``natural_person``; ``outcome``:
``denied.third_party``; tables ``requests.new.natural_person``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongkai.ledger import APPLICANT_KINDS, CHANNELS, OUTCOMES, STATUS_ZH
from gongkai.ledger.clock import PAUSE_ZH

STATES = [("open", "未办结"), ("closed", "已办结")]
DUE_STATUSES = list(STATUS_ZH.items())


@extend_schema_field(OpenApiTypes.OBJECT)
class EventDataField(serializers.JSONField):
    """The engine's event as stored (``Event.to_dict()``)."""


@extend_schema_field({"type": "object", "description": "表 → 行 → 列 → 值（键见 FORMAT.md）",
                      "additionalProperties": {"type": "object", "additionalProperties": {
                          "type": "object", "additionalProperties": {"$ref": "#/components/schemas/ReportModelValue"}}}})
class LedgerTablesField(serializers.JSONField):
    """``{"requests": {"new": {"natural_person": 3}}}`` (``Table.to_dict()`` of each table)."""


class LedgerRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField(help_text="机关 id")
    agency_name = serializers.CharField()
    number = serializers.CharField(help_text="申请编号（机关内唯一，如 2025-0007）")
    year = serializers.IntegerField(help_text="收到申请的年度")
    channel = serializers.ChoiceField(choices=[(k, c.label) for k, c in CHANNELS.items()], help_text="提交渠道")
    channel_label = serializers.CharField()
    applicant_kind = serializers.ChoiceField(choices=list(APPLICANT_KINDS.items()),
                                             help_text="申请人类型（表三的列）")
    applicant_kind_label = serializers.CharField()
    received_on = serializers.DateField(help_text="收到申请日期（条例第三十一条）")
    due = serializers.DateField(allow_null=True, help_text="答复期限（等待补正时为 null）")
    days_left = serializers.IntegerField(allow_null=True, help_text="剩余工作日（负数：已逾期的工作日数）")
    provisional = serializers.BooleanField(help_text="期限所依据的年度放假安排尚未公布，期限为暂定")
    state = serializers.ChoiceField(choices=STATES, help_text="open：未办结；closed：已办结")
    due_status = serializers.ChoiceField(choices=DUE_STATUSES, help_text="办理状态（期限）")
    due_status_label = serializers.CharField()
    pause_reason = serializers.ChoiceField(choices=list(PAUSE_ZH.items()), allow_blank=True,
                                           help_text="依法暂停计时的原因（未暂停为空）")
    computed_on = serializers.DateField(allow_null=True, help_text="办理状态的计算日期（每日更新）")
    closed_on = serializers.DateField(allow_null=True, help_text="办结日期")
    outcome = serializers.ChoiceField(choices=[(k, o.label) for k, o in OUTCOMES.items()], allow_null=True,
                                      help_text="办理结果：表三的行（键见 FORMAT.md），未办结为 null")
    outcome_label = serializers.CharField(allow_blank=True)


class RequestEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="第几步")
    type = serializers.CharField(help_text="事件（received、correction_requested、decided……）")
    date = serializers.DateField()
    text = serializers.CharField(help_text="这一步的说明（与网页相同）")
    data = EventDataField(help_text="事件数据（台账引擎的记录）")  # type: ignore[assignment]  # a field named like a Serializer attribute (DRF takes it out of the class)
    note = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_null=True, help_text="经办人")
    recorded_at = serializers.DateTimeField()


class PauseSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="consultation 征求意见、correction 等待补正、fee 等待缴费")
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField(help_text="不计入答复期限的工作日数")
    running = serializers.BooleanField()
    ended = serializers.CharField(allow_blank=True)
    whom = serializers.CharField(allow_blank=True)


class ClockSerializer(serializers.Serializer):
    """The engine's clock on ``today`` (``gongkai.ledger.Clock.to_dict``)."""

    today = serializers.DateField(help_text="计算日期（今天）")
    status = serializers.CharField(help_text="办理状态（取值同 due_status），按今天计算")
    status_label = serializers.CharField()
    reason = serializers.CharField(allow_null=True, help_text="暂停原因（取值同 pause_reason）")
    received = serializers.DateField()
    start = serializers.DateField(help_text="答复期限的起算日（补正后为收到补正之日）")
    period = serializers.IntegerField(help_text="答复期限的工作日数（20 个工作日加延长）")
    extension = serializers.IntegerField()
    due = serializers.DateField(allow_null=True)
    base_due = serializers.DateField(allow_null=True, help_text="不延长时的答复期限")
    correction_notice_due = serializers.DateField(help_text="告知补正的最后一日（收到申请后 7 个工作日）")
    correction_deadline = serializers.DateField(allow_null=True)
    payment_deadline = serializers.DateField(allow_null=True)
    longer_until = serializers.DateField(allow_null=True)
    pauses = PauseSerializer(many=True)
    days_used = serializers.IntegerField()
    days_left = serializers.IntegerField(allow_null=True)
    late_by = serializers.IntegerField(help_text="已逾期的工作日数")
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    replied_late = serializers.BooleanField(allow_null=True, help_text="超过答复期限才答复")
    provisional = serializers.BooleanField()
    assumed_years = serializers.ListField(child=serializers.IntegerField())
    calendar = serializers.CharField(help_text="所用日历")
    explanation = serializers.ListField(child=serializers.CharField(), help_text="答复期限的计算过程（与网页相同）")


class LedgerRequestDetailSerializer(LedgerRequestSerializer):
    applicant_name = serializers.CharField(help_text="申请人")
    id_type = serializers.CharField(allow_blank=True, help_text="证件类型")
    id_number = serializers.CharField(allow_blank=True, help_text="证件号码（一律部分隐去，如 230***********1234）")
    phone = serializers.CharField(allow_blank=True, help_text="联系电话（一律部分隐去，如 138****5678）")
    subject = serializers.CharField(help_text="所需信息的内容描述")
    delivery = serializers.CharField(help_text="提供形式")
    collect = serializers.CharField(help_text="获取方式")
    pieces = serializers.IntegerField(help_text="计件数")
    imported = serializers.BooleanField(help_text="由台账导入")
    duplicate_of = serializers.CharField(allow_null=True, help_text="疑似重复的此前申请的编号")
    ground = serializers.CharField(allow_null=True, help_text="答复依据")
    clock = ClockSerializer(help_text="答复期限及其计算过程")
    events = RequestEventSerializer(many=True, help_text="办理过程（按记录顺序）")


class LedgerRequestFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2999, required=False, help_text="收到申请的年度")
    state = serializers.ChoiceField(choices=STATES, required=False, help_text="open：未办结；closed：已办结")
    due_status = serializers.ChoiceField(choices=DUE_STATUSES, required=False, help_text="办理状态（期限）")


class DueFilterSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, required=False, help_text="机关 id（只看这个机关）")
    under = serializers.IntegerField(min_value=1, required=False, help_text="机关 id：该机关及其下所有机关")


class AnnualTablesSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    format = serializers.CharField(help_text="表格所用的全国统一格式（2021）")
    tables = LedgerTablesField(help_text="proactive（表二，登记簿有记录时才有）、requests（表三）、appeals（表四）")
