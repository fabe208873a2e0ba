"""The spreadsheet 台账's documented layout, as data.

One workbook, four data sheets and an instructions sheet.  ``docs/ledger.md`` prints these tables
(a test keeps it in step), the template (``template.py``) draws them, the reader (``sheet.py``)
finds each column by its header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .catalogue import APPLICANT_KINDS, CHANNELS, CONSULTED, OUTCOMES
from .events import FEE_METHODS
from .records import APPEAL_KINDS, APPEAL_RESULTS, DOCUMENT_KINDS

__all__ = ["SHEETS", "WITHDRAWN", "ColumnKind", "Sheet", "SheetColumn", "layout_markdown", "outcome_choices"]

ColumnKind = Literal["text", "date", "int", "decimal", "choice", "month"]

#: the 办理结果 choice for a request the applicant withdrew (counted in 其他处理：其他)
WITHDRAWN = "申请人撤回"


def outcome_choices() -> tuple[str, ...]:
    return (*(o.label for o in OUTCOMES.values()), WITHDRAWN)


@dataclass(frozen=True, slots=True)
class SheetColumn:
    header: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""
    width: int = 14


@dataclass(frozen=True, slots=True)
class Sheet:
    key: str
    title: str
    #: what one row is
    row: str
    columns: tuple[SheetColumn, ...]

    def column(self, header: str) -> SheetColumn:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(header)


_C = SheetColumn

REQUESTS = Sheet("requests", "依申请公开台账", "一件政府信息公开申请", (
    _C("编号", required=True, note="每件申请一个编号，整本台账内不重复，如 2025-001", width=12),
    _C("申请人类型", "choice", True, tuple(APPLICANT_KINDS.values()), "自然人，或法人或其他组织的五类之一（表三的列）"),
    _C("申请人", note="姓名或名称；按件计收时据此合并计算同一申请人当月的申请"),
    _C("申请内容", note="所申请公开的信息", width=30),
    _C("渠道", "choice", True, tuple(c.label for c in CHANNELS.values()), "提交申请的方式", 10),
    _C("收到日期", "date", True, note="条例第三十一条：当面提交为提交之日；邮寄为签收之日；平常信函、网络、传真、"
                                   "电子邮件为双方确认之日"),
    _C("补正告知日期", "date", note="发出补正通知之日（应在收到申请后7个工作日内一次性告知）"),
    _C("补正期限（工作日）", "int", note="给申请人的补正期限，工作日数"),
    _C("收到补正日期", "date", note="收到补正后申请之日；答复期限自该日重新计算"),
    _C("征求意见日期", "date", note="向第三方或其他机关发出征求意见之日"),
    _C("征求意见对象", "choice", choices=tuple(CONSULTED.values()), note="第三方（条例第三十二条）或其他机关（第三十四条）"),
    _C("收到意见日期", "date", note="收到答复之日；未答复的不填（15个工作日期满恢复计时）"),
    _C("延期日期", "date", note="经政府信息公开工作机构负责人同意延期之日"),
    _C("延期工作日数", "int", note="延长的期限，最长20个工作日"),
    _C("延期批准人", note="批准延期的负责人"),
    _C("延期理由"),
    _C("收费方式", "choice", choices=tuple(FEE_METHODS.values()), note="按件计收或按量计收，只能选一种"),
    _C("收费页数", "int", note="按量计收的页数"),
    _C("收费金额（元）", "decimal", note="收费通知所列金额"),
    _C("收费通知日期", "date", note="发出收费通知之日"),
    _C("缴费日期", "date", note="申请人缴费之日；逾期未缴费的在“办理结果”选“其他处理：申请人逾期未缴纳费用”"),
    _C("办理结果", "choice", choices=outcome_choices(), width=34,
       note="表三的办理结果之一；尚未办结的不填。申请人撤回的选“申请人撤回”（计入“其他处理：其他”）"),
    _C("答复日期", "date", note="办结之日：作出答复，或按逾期不补正、逾期未缴费处理，或申请人撤回之日"),
    _C("答复依据", note="答复引用的法律依据；不填则按办理结果的法定条文", width=24),
    _C("送达日期", "date"),
    _C("备注", width=20),
))

APPEALS = Sheet("appeals", "行政复议和行政诉讼", "一件因政府信息公开工作引起的行政复议或行政诉讼案件", (
    _C("编号", required=True, note="案件编号，整本台账内不重复"),
    _C("类别", "choice", True, tuple(APPEAL_KINDS.values()), width=28),
    _C("收到日期", "date", True, note="收到复议申请书或起诉状副本之日；表四按此计入年度"),
    _C("审结日期", "date", note="尚未审结的不填"),
    _C("结果", "choice", choices=tuple(APPEAL_RESULTS.values()), note="审结的填写；年底未审结的计入“尚未审结”"),
    _C("涉及申请编号", note="所涉申请在“依申请公开台账”中的编号，多个用顿号分隔", width=20),
    _C("备注", width=20),
))

DOCUMENTS = Sheet("documents", "规章和规范性文件", "一件规章或行政规范性文件", (
    _C("类别", "choice", True, tuple(DOCUMENT_KINDS.values())),
    _C("名称", required=True, width=36),
    _C("文号", required=True, note="如 某府规〔2025〕1号；整本台账内不重复", width=22),
    _C("印发日期", "date", True),
    _C("废止日期", "date", note="仍然有效的不填；现行有效件数按12月31日计算"),
    _C("备注", width=20),
))

MONTHLY = Sheet("monthly", "处理决定和收费", "一个月的行政许可、处罚、强制决定数量和行政事业性收费", (
    _C("月份", "month", True, note="YYYY-MM，如 2025-03；每月一行"),
    _C("行政许可", "int", note="本月作出的行政许可决定数量"),
    _C("行政处罚", "int", note="本月作出的行政处罚决定数量"),
    _C("行政强制", "int", note="本月作出的行政强制决定数量"),
    _C("行政事业性收费（万元）", "decimal", note="本月收取的行政事业性收费，单位万元（不是信息处理费）", width=22),
))

SHEETS: tuple[Sheet, ...] = (REQUESTS, APPEALS, DOCUMENTS, MONTHLY)
INSTRUCTIONS = "填写说明"
OPTIONS = "选项"


_KIND_ZH = {"text": "文字", "date": "日期", "int": "整数", "decimal": "数字", "choice": "选择", "month": "月份"}


def layout_markdown() -> str:
    """The layout as Markdown tables (``docs/ledger.md`` carries this text; a test keeps it in step)."""
    out: list[str] = []
    for sheet in SHEETS:
        out.append(f"### 工作表“{sheet.title}”（每行：{sheet.row}）")
        out.append("")
        out.append("| 列 | 类型 | 必填 | 说明 |")
        out.append("|---|---|---|---|")
        for c in sheet.columns:
            note = c.note
            if c.choices and len(c.choices) <= 8:
                note = f"{note}（可选：{'、'.join(c.choices)}）" if note else f"可选：{'、'.join(c.choices)}"
            elif c.choices:
                note = f"{note}（可选值见下拉列表）"
            out.append(f"| {c.header} | {_KIND_ZH[c.kind]} | {'是' if c.required else ''} | {note} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
