"""The other records behind the annual tables: appeals (table 四) and the registers (table 二).

* ``Appeal`` — a 行政复议 or 行政诉讼 case about the agency's disclosure work: filed when, decided
  when, with which result (结果维持 / 结果纠正 / 其他结果), and the requests it concerns.
* ``RegisteredDocument`` — a 规章 or 行政规范性文件 with its 文号, date of issue and, once repealed,
  date of repeal.
* ``DecisionCount`` — a month's count of 行政许可 / 行政处罚 / 行政强制 decisions.
* ``FeeIncome`` — a month's 行政事业性收费 in 万元 (Decimal; not the 信息处理费 of the 费办法).

Each has a stable ``id`` (the drill-down of the table cell it is counted in lists it) and a plain
dict form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .events import LedgerError, format_date

__all__ = [
    "APPEAL_KINDS",
    "APPEAL_RESULTS",
    "DECISION_KINDS",
    "DOCUMENT_KINDS",
    "Appeal",
    "DecisionCount",
    "FeeIncome",
    "RegisteredDocument",
    "Registers",
    "parse_month",
]

#: table 四 row → label
APPEAL_KINDS: dict[str, str] = {
    "review": "行政复议",
    "suit_direct": "行政诉讼（未经复议直接起诉）",
    "suit_after_review": "行政诉讼（复议后起诉）",
}
#: table 四 column (a concluded case) → label; a case not concluded by 31 December is ``pending``
APPEAL_RESULTS: dict[str, str] = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果"}
#: table 二 row → label
DOCUMENT_KINDS: dict[str, str] = {"rules": "规章", "normative_documents": "行政规范性文件"}
DECISION_KINDS: dict[str, str] = {"licensing": "行政许可", "punishment": "行政处罚", "coercion": "行政强制"}


def _date(raw: object, name: str, where: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise LedgerError(f"“{name}”不是有效日期（应为 YYYY-MM-DD）：{raw!r}", where=where) from None


def _opt_date(raw: object, name: str, where: str) -> dt.date | None:
    return None if raw in (None, "") else _date(raw, name, where)


_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(raw: object, where: str = "") -> tuple[int, int]:
    """``2025-03`` / ``2025年3月`` / a date → (2025, 3)."""
    if isinstance(raw, dt.date):
        return raw.year, raw.month
    m = _MONTH.match(str(raw))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise LedgerError(f"月份应写成 YYYY-MM（如 2025-03）：{raw!r}", where=where or None)
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True, slots=True)
class Appeal:
    id: str
    #: ``APPEAL_KINDS`` key (the table 四 row)
    kind: str
    filed: dt.date
    decided: dt.date | None = None
    #: ``APPEAL_RESULTS`` key once decided
    result: str | None = None
    #: ids of the requests it concerns
    requests: tuple[str, ...] = ()
    ref: str | None = None

    def __post_init__(self) -> None:
        where = f"复议诉讼{self.id}"
        if not self.id:
            raise LedgerError("复议诉讼案件编号不能为空")
        if self.kind not in APPEAL_KINDS:
            raise LedgerError(f"类别“{self.kind}”应为 {'、'.join(APPEAL_KINDS.values())}", where=where)
        if (self.decided is None) != (self.result is None):
            raise LedgerError("审结日期和结果应同时填写（尚未审结的两项都不填）", where=where)
        if self.result is not None and self.result not in APPEAL_RESULTS:
            raise LedgerError(f"结果“{self.result}”应为 {'、'.join(APPEAL_RESULTS.values())}", where=where)
        if self.decided is not None and self.decided < self.filed:
            raise LedgerError(f"审结日期{format_date(self.decided)}早于收到日期{format_date(self.filed)}",
                              where=where)

    def column(self, year_end: dt.date) -> str:
        """The table 四 column on ``year_end``: its result, or ``pending`` when not yet concluded."""
        if self.decided is not None and self.decided <= year_end and self.result is not None:
            return self.result
        return "pending"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "filed": self.filed.isoformat()}
        if self.decided is not None:
            d["decided"] = self.decided.isoformat()
            d["result"] = self.result
        if self.requests:
            d["requests"] = list(self.requests)
        if self.ref is not None:
            d["ref"] = self.ref
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Appeal:
        where = f"复议诉讼{raw.get('id', '')}"
        return cls(str(raw.get("id") or ""), str(raw.get("kind") or ""), _date(raw.get("filed"), "filed", where),
                   _opt_date(raw.get("decided"), "decided", where), raw.get("result"),
                   tuple(str(x) for x in raw.get("requests") or ()), raw.get("ref"))


@dataclass(frozen=True, slots=True)
class RegisteredDocument:
    id: str
    #: ``rules`` (规章) or ``normative_documents`` (行政规范性文件)
    kind: str
    title: str
    #: 文号, e.g. 某府规〔2025〕3号
    number: str
    issued: dt.date
    repealed: dt.date | None = None
    ref: str | None = None

    def __post_init__(self) -> None:
        where = f"文件{self.number or self.title or self.id}"
        if not self.id:
            raise LedgerError("文件编号不能为空", where=where)
        if self.kind not in DOCUMENT_KINDS:
            raise LedgerError(f"类别“{self.kind}”应为 {'、'.join(DOCUMENT_KINDS.values())}", where=where)
        if not self.title.strip():
            raise LedgerError("文件名称不能为空", where=where)
        if self.repealed is not None and self.repealed < self.issued:
            raise LedgerError(f"废止日期{format_date(self.repealed)}早于印发日期{format_date(self.issued)}",
                              where=where)

    def in_force_on(self, day: dt.date) -> bool:
        return self.issued <= day and (self.repealed is None or self.repealed > day)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "title": self.title, "number": self.number,
                             "issued": self.issued.isoformat()}
        if self.repealed is not None:
            d["repealed"] = self.repealed.isoformat()
        if self.ref is not None:
            d["ref"] = self.ref
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RegisteredDocument:
        where = f"文件{raw.get('number') or raw.get('id', '')}"
        return cls(str(raw.get("id") or ""), str(raw.get("kind") or ""), str(raw.get("title") or ""),
                   str(raw.get("number") or ""), _date(raw.get("issued"), "issued", where),
                   _opt_date(raw.get("repealed"), "repealed", where), raw.get("ref"))


@dataclass(frozen=True, slots=True)
class DecisionCount:
    id: str
    #: ``licensing`` / ``punishment`` / ``coercion``
    kind: str
    year: int
    month: int
    count: int
    ref: str | None = None

    def __post_init__(self) -> None:
        where = f"{self.year}年{self.month}月{DECISION_KINDS.get(self.kind, self.kind)}"
        if self.kind not in DECISION_KINDS:
            raise LedgerError(f"类别“{self.kind}”应为 {'、'.join(DECISION_KINDS.values())}", where=where)
        if not 1 <= self.month <= 12:
            raise LedgerError(f"月份应为1—12：{self.month}", where=where)
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0:
            raise LedgerError(f"处理决定数量应为非负整数：{self.count!r}", where=where)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "month": f"{self.year}-{self.month:02d}",
                             "count": self.count}
        if self.ref is not None:
            d["ref"] = self.ref
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> DecisionCount:
        y, m = parse_month(raw.get("month"), where=str(raw.get("id", "")))
        count = raw.get("count")
        if isinstance(count, str) and count.strip().isdigit():
            count = int(count)
        return cls(str(raw.get("id") or ""), str(raw.get("kind") or ""), y, m,
                   count if isinstance(count, int) else -1, raw.get("ref"))


@dataclass(frozen=True, slots=True)
class FeeIncome:
    id: str
    year: int
    month: int
    #: 万元
    amount: Decimal
    ref: str | None = None

    def __post_init__(self) -> None:
        where = f"{self.year}年{self.month}月行政事业性收费"
        if not 1 <= self.month <= 12:
            raise LedgerError(f"月份应为1—12：{self.month}", where=where)
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount < 0:
            raise LedgerError(f"收费金额应为非负数（万元）：{self.amount!r}", where=where)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "month": f"{self.year}-{self.month:02d}",
                             "amount": format(self.amount, "f")}
        if self.ref is not None:
            d["ref"] = self.ref
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> FeeIncome:
        y, m = parse_month(raw.get("month"), where=str(raw.get("id", "")))
        try:
            amount = Decimal(str(raw.get("amount")))
        except InvalidOperation:
            raise LedgerError(f"收费金额应为数字（万元）：{raw.get('amount')!r}") from None
        return cls(str(raw.get("id") or ""), y, m, amount, raw.get("ref"))


@dataclass
class Registers:
    """The registers table 二 is counted from.  An empty register counts as none (0)."""

    documents: list[RegisteredDocument] = field(default_factory=list)
    decisions: list[DecisionCount] = field(default_factory=list)
    fees: list[FeeIncome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.documents],
                "decisions": [d.to_dict() for d in self.decisions], "fees": [f.to_dict() for f in self.fees]}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Registers:
        if not isinstance(raw, dict):
            raise LedgerError("登记簿应为对象（documents、decisions、fees）")
        return cls([RegisteredDocument.from_dict(d) for d in raw.get("documents") or []],
                   [DecisionCount.from_dict(d) for d in raw.get("decisions") or []],
                   [FeeIncome.from_dict(d) for d in raw.get("fees") or []])
