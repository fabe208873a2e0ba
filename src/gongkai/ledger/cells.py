"""Cell values of a 台账 row: text, dates, counts, money and choices, read strictly.

Each reader returns the value or None for a blank cell, and raises ``BadCell`` with a Chinese
message naming the column for anything else; a choice is matched on its label or a known alias,
never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .catalogue import APPLICANT_KINDS, CHANNELS, CONSULTED
from .events import FEE_METHODS
from .layout import Sheet
from .records import APPEAL_KINDS, APPEAL_RESULTS, DOCUMENT_KINDS

__all__ = [
    "APPEAL_KIND_NAMES",
    "APPEAL_RESULT_NAMES",
    "CHANNEL_NAMES",
    "CONSULTED_NAMES",
    "DOCUMENT_KIND_NAMES",
    "FEE_NAMES",
    "KINDS",
    "BadCell",
    "Row",
    "cell_date",
    "cell_decimal",
    "cell_int",
    "cell_text",
    "choice",
    "choice_map",
    "norm",
]


class BadCell(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    return " ".join(str(v).split())


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_date(v: object, header: str) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        if v.time() != dt.time(0):
            raise BadCell(f"“{header}”应只填日期：{cell_text(v)}")
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, int | float):
        raise BadCell(f"“{header}”是数字 {cell_text(v)}，不是日期（请写成 YYYY-MM-DD，或把单元格设为日期格式）")
    m = _DATE.match(str(v).strip())
    if not m:
        raise BadCell(f"“{header}”“{cell_text(v)}”不是日期（应为 YYYY-MM-DD）")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise BadCell(f"“{header}”“{cell_text(v)}”不是存在的日期") from None


def cell_int(v: object, header: str) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise BadCell(f"“{header}”应为整数")
    if isinstance(v, int):
        n = v
    elif isinstance(v, float) and v.is_integer():
        n = int(v)
    elif isinstance(v, str) and v.strip().isdigit():
        n = int(v.strip())
    else:
        raise BadCell(f"“{header}”应为整数：{cell_text(v)}")
    if n < 0:
        raise BadCell(f"“{header}”不能为负数：{n}")
    return n


def cell_decimal(v: object, header: str) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise BadCell(f"“{header}”应为数字")
    try:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v).strip().replace(",", ""))
    except InvalidOperation:
        raise BadCell(f"“{header}”应为数字：{cell_text(v)}") from None
    if not d.is_finite() or d < 0:
        raise BadCell(f"“{header}”应为非负数：{cell_text(v)}")
    return d


def norm(s: str) -> str:
    return "".join(s.split()).replace("(", "（").replace(")", "）").replace(":", "：")


def choice(v: object, header: str, choices: dict[str, str], labels: tuple[str, ...]) -> str | None:
    """The key of the choice named (its label or an alias), never a guess."""
    t = norm(cell_text(v))
    if not t:
        return None
    if t in choices:
        return choices[t]
    listed = f"可选：{'、'.join(labels)}" if len(labels) <= 8 else "见下拉列表"
    raise BadCell(f"“{header}”为“{cell_text(v)}”，不是可选的值（{listed}）")


def choice_map(d: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    out = {norm(label): key for key, label in d.items()}
    out.update({norm(k): v for k, v in (extra or {}).items()})
    return out


KINDS = choice_map(APPLICANT_KINDS, {"其他": "other_org", "其他组织": "other_org", "法人或其他组织": "other_org"})
CHANNEL_NAMES = {norm(a): c.key for c in CHANNELS.values() for a in (c.label, *c.aliases)}
CONSULTED_NAMES = choice_map(CONSULTED, {"其他行政机关": "agency"})
FEE_NAMES = choice_map(FEE_METHODS, {"按件": "piece", "按量": "page", "按页": "page"})
APPEAL_KIND_NAMES = choice_map(APPEAL_KINDS, {"未经复议直接起诉": "suit_direct", "复议后起诉": "suit_after_review"})
APPEAL_RESULT_NAMES = choice_map(APPEAL_RESULTS, {"维持": "upheld", "纠正": "corrected", "其他": "other"})
DOCUMENT_KIND_NAMES = choice_map(DOCUMENT_KINDS, {"规范性文件": "normative_documents"})


class Row:
    """One spreadsheet row, its cells by header."""

    def __init__(self, sheet: Sheet, cells: dict[str, object]) -> None:
        self.sheet, self.cells = sheet, cells

    def raw(self, header: str) -> object:
        return self.cells.get(header)

    def text(self, header: str) -> str:
        t = cell_text(self.cells.get(header))
        if not t and self.sheet.column(header).required:
            raise BadCell(f"缺少“{header}”")
        return t

    def date(self, header: str) -> dt.date | None:
        d = cell_date(self.cells.get(header), header)
        if d is None and self.sheet.column(header).required:
            raise BadCell(f"缺少“{header}”")
        return d

    def req_date(self, header: str) -> dt.date:
        d = self.date(header)
        if d is None:
            raise BadCell(f"缺少“{header}”")
        return d

    def int(self, header: str) -> int | None:
        return cell_int(self.cells.get(header), header)

    def choice(self, header: str, choices: dict[str, str]) -> str | None:
        c = choice(self.cells.get(header), header, choices, self.sheet.column(header).choices)
        if c is None and self.sheet.column(header).required:
            raise BadCell(f"缺少“{header}”")
        return c
