"""Forms of the registers pages (Chinese labels and messages)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from gongkai.ledger.records import DOCUMENT_KINDS

from .actions import MonthValues
from .models import Month
from .queries import DECISION_FIELDS

REASON_HELP = "该年度的年度报告已发布时必填：修改会改变已发布的数字，报告转为修订稿，重新发布即成为新版本"
#: the largest 台账 accepted for import (bytes)
MAX_IMPORT = 10 * 1024 * 1024

DATE_MESSAGES = {"invalid": "请填写有效的日期，如 2025-03-08", "required": "请填写日期"}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=list(DOCUMENT_KINDS.items()))
    title = forms.CharField(label="名称", max_length=300, error_messages={"required": "请填写文件名称"})
    number = forms.CharField(label="文号", max_length=100, help_text="如 某府规〔2025〕1号",
                             error_messages={"required": "请填写文号"})
    issued = forms.DateField(label="印发日期", error_messages=DATE_MESSAGES,
                             widget=forms.DateInput(attrs={"type": "date"}))
    repealed = forms.DateField(label="废止日期", required=False, error_messages=DATE_MESSAGES,
                               widget=forms.DateInput(attrs={"type": "date"}), help_text="仍然有效的不填")
    note = forms.CharField(label="备注", max_length=300, required=False)
    reason = forms.CharField(label="修改理由", max_length=1000, required=False, help_text=REASON_HELP)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=1000, required=False, help_text=REASON_HELP)


class ImportForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx）", required=False,
                           help_text="按台账模板填写的“规章和规范性文件”“处理决定和收费”两张工作表；其他工作表不导入")
    #: what the preview read (``Registers.to_dict()`` as JSON), carried to the confirmation and checked again
    upload = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label="修改理由", max_length=1000, required=False, help_text=REASON_HELP)

    def clean_file(self) -> UploadedFile | None:
        f = self.cleaned_data.get("file")
        if f is not None and f.size is not None and f.size > MAX_IMPORT:
            raise forms.ValidationError(f"文件过大（{f.size / 1024 / 1024:.1f} MB），台账文件不能超过 "
                                        f"{MAX_IMPORT // 1024 // 1024} MB")
        if f is not None and not f.size:
            raise forms.ValidationError("文件是空的")
        return f


MONTH_FIELDS = (*(k for k, _l in DECISION_FIELDS), "fee")
MONTH_LABELS = {**dict(DECISION_FIELDS), "fee": "行政事业性收费（万元）"}


def month_key(month: int, field: str) -> str:
    return f"m{month}-{field}"


def parse_months(post: Any) -> tuple[dict[int, MonthValues], dict[str, str], dict[str, str]]:
    """The twelve months of the form: (month → values, typed text by input name, errors by input name)."""
    values: dict[int, MonthValues] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for month in range(1, 13):
        v = MonthValues()
        for field in MONTH_FIELDS:
            name = month_key(month, field)
            text = str(post.get(name, "")).strip()
            typed[name] = text
            if not text:
                continue
            where = f"{month}月“{MONTH_LABELS[field]}”"
            clean = text.replace(",", "").replace("，", "")
            if field == "fee":
                try:
                    amount = Decimal(clean)
                except InvalidOperation:
                    errors[name] = f"{where}应为数字（单位万元），如 12.35；现在是“{text}”"
                    continue
                if not amount.is_finite() or amount < 0:
                    errors[name] = f"{where}应为非负数（单位万元）；现在是“{text}”"
                    continue
                v.fee = amount
            else:
                if not clean.isdigit() or not clean.isascii():
                    errors[name] = f"{where}应为不小于0的整数（件数）；现在是“{text}”"
                    continue
                if len(clean) > 9:
                    errors[name] = f"{where}“{text}”过大，请核对"
                    continue
                setattr(v, field, int(clean))
        values[month] = v
    return values, typed, errors


def months_typed(stored: list[Month]) -> dict[str, str]:
    """The form's text for the stored months."""
    out: dict[str, str] = {}
    for m in stored:
        for field in MONTH_FIELDS:
            value = getattr(m, field)
            if value is not None:
                out[month_key(m.month, field)] = format(value.normalize(), "f") if field == "fee" else str(value)
    return out
