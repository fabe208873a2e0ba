"""Forms of the ledger pages (Chinese labels and messages).  Forms only read what was typed; the
engine (through ``actions``) decides whether a step may be taken."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.ledger import CHANNELS, CONSULTED, FEE_METHODS, OUTCOMES
from gongkai.ledger.records import APPEAL_KINDS, APPEAL_RESULTS

from .models import KIND_CHOICES, Collect, Delivery, IdType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}应为有效日期（年-月-日）"})


def int_field(label: str, *, required: bool = True, min_value: int = 1, max_value: int | None = None,
              initial: int | None = None, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=min_value, max_value=max_value,
                              initial=initial, help_text=help_text,
                              error_messages={"required": f"请填写{label}", "invalid": f"{label}应为整数",
                                              "min_value": f"{label}不能小于%(limit_value)s",
                                              "max_value": f"{label}不能大于%(limit_value)s"})


def text_field(label: str, *, required: bool = True, max_length: int = 200, area: bool = False,
               help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput(),
                           error_messages={"required": f"请填写{label}",
                                           "max_length": f"{label}不能超过%(limit_value)d个字"})


LOCK_HELP = ("登记申请、办结（答复、逾期未补正、逾期未缴费、撤回）或收费的日期在已发布年报的年度内时必填："
             "该年度报告将转为修订稿，重新发布为新版本")


def reason_field() -> forms.CharField:
    return text_field("修改理由", required=False, max_length=500, help_text=LOCK_HELP)


RECEIPT_HELP = "；".join(f"{c.label}：{c.date_name}" for c in CHANNELS.values())


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label="提交渠道", choices=[("", "请选择")] + [(k, c.label) for k, c in CHANNELS.items()],
                                error_messages={"required": "请选择提交渠道"})
    day = date_field("收到申请的日期依据", help_text=f"条例第三十一条：{RECEIPT_HELP}")
    arrived = date_field("到达日期", required=False, help_text="申请到达本机关之日早于确认日期时填写（可不填）")
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=[("", "请选择"), *KIND_CHOICES],
                                       error_messages={"required": "请选择申请人类型"})
    applicant_name = text_field("申请人姓名或名称", max_length=100)
    id_type = forms.ChoiceField(label="身份证明", choices=[("", "未提供"), *IdType.choices], required=False)
    id_number = text_field("证件号码", required=False, max_length=40)
    phone = text_field("联系电话", required=False, max_length=32)
    address = text_field("通信地址", required=False)
    email = text_field("电子邮箱", required=False, max_length=100)
    subject = text_field("所需政府信息的名称、文号或者便于查询的其他特征性描述", max_length=2000, area=True)
    delivery = forms.ChoiceField(label="提供形式", choices=Delivery.choices, initial=Delivery.PAPER)
    collect = forms.ChoiceField(label="获取方式", choices=Collect.choices, initial=Collect.POST)
    pieces = int_field("计件数", initial=1, max_value=999, help_text="按件计收时本申请计为几件（一般为1）")
    change_reason = reason_field()


class StepForm(forms.Form):
    on = date_field("日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change_reason"] = reason_field()  # always last


class CorrectionForm(StepForm):
    days = int_field("补正期限（工作日）", initial=15, max_value=60)
    items = text_field("需要补正的事项", max_length=2000, area=True, help_text="应一次性告知需要补正的全部事项")


class ConsultForm(StepForm):
    party = forms.ChoiceField(label="征求对象", choices=list(CONSULTED.items()))
    whom = text_field("征求意见的单位或个人")


class AnsweredForm(StepForm):
    whom = text_field("答复方", required=False, help_text="只有一项征求意见未答复时可不填")


class ExtendForm(StepForm):
    days = int_field("延长的工作日数", initial=20, max_value=60, help_text="最长20个工作日")
    approver = text_field("批准人（政府信息公开工作机构负责人）", required=False)
    reason = text_field("延期理由", required=False, max_length=500)


class FeeForm(StepForm):
    method = forms.ChoiceField(label="收费方式", choices=list(FEE_METHODS.items()))
    pages = int_field("页数", required=False, help_text="按量计收时填写")
    served = date_field("申请人收到通知的日期", required=False)


class LongerForm(StepForm):
    until = date_field("另行确定的答复期限")
    reason = text_field("理由", required=False, max_length=500)


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label="办理结果（表三）", choices=[("", "请选择")] + [
        (k, o.label) for k, o in OUTCOMES.items() if k not in ("other.no_correction", "other.no_fee")],
        required=False)
    ground = text_field("答复依据", required=False, max_length=500,
                        help_text="不填则引用该结果的法定条文；没有统一条文的结果必须填写")


class DeliverForm(StepForm):
    how = text_field("送达方式", required=False, max_length=100)


#: step key → (button label, form class, action function name, article or hint)
STEPS: dict[str, tuple[str, type[StepForm], str]] = {
    "correction": ("告知补正", CorrectionForm, "request_correction"),
    "corrected": ("收到补正", StepForm, "receive_correction"),
    "no_correction": ("逾期未补正", StepForm, "no_correction"),
    "consult": ("征求意见", ConsultForm, "start_consultation"),
    "answered": ("收到意见", AnsweredForm, "consultation_answered"),
    "extend": ("延期答复", ExtendForm, "extend"),
    "fee": ("发出收费通知", FeeForm, "send_fee_notice"),
    "paid": ("缴纳费用", StepForm, "fee_paid"),
    "not_paid": ("逾期未缴费", StepForm, "fee_not_paid"),
    "reasons": ("要求说明理由", StepForm, "ask_reasons"),
    "longer": ("另行确定答复期限", LongerForm, "set_longer_period"),
    "decide": ("作出答复", DecideForm, "decide"),
    "deliver": ("送达", DeliverForm, "deliver"),
    "withdraw": ("申请人撤回", StepForm, "withdraw"),
}


class AppealForm(forms.Form):
    number = text_field("案件编号", max_length=60)
    kind = forms.ChoiceField(label="类别", choices=list(APPEAL_KINDS.items()))
    filed = date_field("收到复议申请书或起诉状副本的日期")
    requests = text_field("涉及的申请编号", required=False, help_text="多个用顿号或逗号分隔，如 2026-0003、2026-0007")
    note = text_field("备注", required=False, max_length=1000, area=True)
    change_reason = reason_field()


class ConcludeForm(forms.Form):
    decided = date_field("审结日期")
    result = forms.ChoiceField(label="结果", choices=list(APPEAL_RESULTS.items()))
    change_reason = reason_field()


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", error_messages={"required": "请选择文件", "empty": "文件是空的"})
