"""Forms of the report pages (Chinese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from gongkai.formats import FORMATS


def report_years() -> list[int]:
    """Years a report can be written for, newest first: from the first national format to this
    year (drafted as the year's figures come in, published after 31 December)."""
    first = min(f.first_year for f in FORMATS.values())
    return list(range(timezone.localdate().year, first - 1, -1))


def working_year() -> int:
    """The report year being written now: this year's once last year's deadline (31 March) has passed."""
    today = timezone.localdate()
    return today.year if (today.month, today.day) > (3, 31) else today.year - 1


START_CHOICES = [
    ("blank", "空白报告（按该年度适用的全国统一格式）"),
    ("previous", "以上一年度报告的文字为起点"),
    ("import", "导入已发布的年报文件（Word、PDF、网页、Excel、文本）"),
]


def validate_upload(f: UploadedFile | None) -> UploadedFile:
    if f is None:
        raise forms.ValidationError("请选择要导入的文件")
    limit = int(getattr(settings, "GONGKAI_MAX_UPLOAD", 20 * 1024 * 1024))
    if f.size is not None and f.size > limit:
        raise forms.ValidationError(f"文件过大（{f.size / 1024 / 1024:.1f} MB），导入的年报文件不能超过 "
                                    f"{limit // 1024 // 1024} MB；请压缩图片或只上传年报本身")
    if not f.size:
        raise forms.ValidationError("文件是空的")
    return f


class NewReportForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int)
    start = forms.ChoiceField(label="起点", choices=START_CHOICES, widget=forms.RadioSelect, initial="blank")
    file = forms.FileField(label="年报文件", required=False,
                           help_text="选择“导入”时上传：.docx、.pdf、.html、.xlsx 或 .txt，不超过 20 MB")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年度") for y in report_years()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == "import":
            try:
                validate_upload(data.get("file"))
            except forms.ValidationError as e:
                self.add_error("file", e)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="年报文件", help_text="上传已发布的年报（.docx、.pdf、.html、.xlsx、.txt），将替换草稿内容")

    def clean_file(self) -> UploadedFile:
        return validate_upload(self.cleaned_data.get("file"))


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                              error_messages={"required": "退回修改须写明意见，告诉填报人要改什么"})


class PublishForm(forms.Form):
    override_reason = forms.CharField(label="带错误发布的理由", required=False, max_length=4000,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text="仅在核查仍有错误、确需发布时填写，理由将随版本公开保存")


class CommentForm(forms.Form):
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                           error_messages={"required": "意见不能为空"})
