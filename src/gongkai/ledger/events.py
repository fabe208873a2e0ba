"""What happens to a request, as dated events.

A request is its list of events, never an edited due date: every date the clock shows is computed
from these (see ``clock``).  Each event is a small frozen dataclass with a stable ``type`` key, a
Chinese ``label`` and plain-dict serialisation (dates as ``YYYY-MM-DD``, money as a decimal
string), so a database can store them and replay them through the engine.

| type | label | what it records |
|---|---|---|
| received | 收到申请 | channel and the date of receipt under 条例第三十一条 |
| correction_requested | 告知补正 | the notice asking for a clearer request, and the period given |
| corrected | 收到补正 | the corrected request; the reply period restarts |
| no_correction | 逾期未补正 | closes: other.no_correction |
| consultation_started | 征求意见 | a third party or another agency consulted (15 working days) |
| consultation_answered | 收到意见 | the answer |
| extended | 延期答复 | approved by whom, why, how many working days (at most 20) |
| fee_notice | 发出收费通知 | method (per piece or per page), basis and amount |
| fee_paid | 缴纳费用 | |
| fee_not_paid | 逾期未缴费 | closes: other.no_fee |
| reasons_asked | 要求说明理由 | 条例第三十五条 |
| longer_period | 另行确定答复期限 | 条例第三十五条, until a date |
| decided | 作出答复 | exactly one outcome (a table 三 row) with its legal ground |
| delivered | 送达 | the reply reached the applicant |
| withdrawn | 申请人撤回 | closes: other.other |
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Literal

from ..errors import GongkaiError

__all__ = [
    "CLOSING",
    "EVENT_TYPES",
    "ConsultationAnswered",
    "ConsultationStarted",
    "Corrected",
    "CorrectionRequested",
    "Decided",
    "Delivered",
    "Event",
    "Extended",
    "FeeNotPaid",
    "FeeNotice",
    "FeePaid",
    "LedgerError",
    "LongerPeriod",
    "NoCorrection",
    "ReasonsAsked",
    "Received",
    "Withdrawn",
    "event_from_dict",
    "format_date",
]


class LedgerError(GongkaiError):
    """A ledger record that cannot be accepted: an impossible date, an unknown outcome, a step the
    law does not allow.  The message is Chinese and names the request and the event."""


_WEEKDAYS = "一二三四五六日"


def format_date(d: dt.date, weekday: bool = False, year: bool = True) -> str:
    """``2025年9月26日`` (``（周五）`` appended when ``weekday``)."""
    s = f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"
    return f"{s}（周{_WEEKDAYS[d.weekday()]}）" if weekday else s


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event: the day it happened."""

    type: ClassVar[str] = ""
    label: ClassVar[str] = ""
    #: the outcome (table 三 row) an event that closes the request stands for
    closes_as: ClassVar[str | None] = None

    date: dt.date

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None or (v == "" and f.name != "date"):
                continue
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif isinstance(v, Decimal):
                v = format(v, "f")
            d[f.name] = v
        return d

    def describe(self) -> str:
        """One line for a person: ``2025年3月5日 延期答复``."""
        return f"{format_date(self.date)} {self.label}"


@dataclass(frozen=True, slots=True)
class Received(Event):
    type: ClassVar[str] = "received"
    label: ClassVar[str] = "收到申请"

    #: a ``CHANNELS`` key; ``date`` is the date of receipt that channel's rule names
    channel: str = ""
    #: the day the request reached the agency, when that differs from the date of receipt
    #: (a letter or an online request confirmed later)
    arrived: dt.date | None = None

    @classmethod
    def on_channel(cls, channel: str, *, submitted: dt.date | None = None, signed: dt.date | None = None,
                   confirmed: dt.date | None = None, arrived: dt.date | None = None) -> Received:
        """The receipt under 条例第三十一条 from the dates an intake form records: handed in
        (``submitted``, 当面), signed for (``signed``, 邮寄), or confirmed by both sides
        (``confirmed``: 平常信函, 网络, 传真, 电子邮件); ``arrived`` when the request reached the
        agency before that."""
        from .catalogue import CHANNELS

        ch = CHANNELS.get(channel)
        if ch is None:
            names = "、".join(f"{k}（{c.label}）" for k, c in CHANNELS.items())
            raise LedgerError(f"未知的提交渠道“{channel}”（应为 {names}）")
        need = {"in_person": "submitted", "post": "signed"}.get(channel, "confirmed")
        given = {"submitted": submitted, "signed": signed, "confirmed": confirmed}
        label = {"submitted": "提交日期", "signed": "签收日期", "confirmed": "确认日期"}
        day = given[need]
        if day is None:
            raise LedgerError(f"{ch.label}提交的申请须填写{label[need]}（条例第三十一条：{ch.receipt_rule}）")
        for k, v in given.items():
            if k != need and v is not None:
                raise LedgerError(f"{ch.label}提交的申请不适用{label[k]}（条例第三十一条：{ch.receipt_rule}）")
        if arrived is not None and arrived > day:
            raise LedgerError(f"到达日期{format_date(arrived)}晚于{label[need]}{format_date(day)}")
        return cls(day, channel=channel, arrived=arrived if arrived != day else None)


@dataclass(frozen=True, slots=True)
class CorrectionRequested(Event):
    type: ClassVar[str] = "correction_requested"
    label: ClassVar[str] = "告知补正"

    #: the period given to the applicant, in working days from the day after the notice
    days: int = 0
    #: what is to be corrected
    items: str = ""


@dataclass(frozen=True, slots=True)
class Corrected(Event):
    type: ClassVar[str] = "corrected"
    label: ClassVar[str] = "收到补正"


@dataclass(frozen=True, slots=True)
class NoCorrection(Event):
    type: ClassVar[str] = "no_correction"
    label: ClassVar[str] = "逾期未补正"
    closes_as: ClassVar[str | None] = "other.no_correction"


@dataclass(frozen=True, slots=True)
class ConsultationStarted(Event):
    type: ClassVar[str] = "consultation_started"
    label: ClassVar[str] = "征求意见"

    #: ``third_party`` (条例第三十二条) or ``agency`` (第三十四条)
    party: str = "third_party"
    whom: str = ""


@dataclass(frozen=True, slots=True)
class ConsultationAnswered(Event):
    type: ClassVar[str] = "consultation_answered"
    label: ClassVar[str] = "收到意见"

    #: who answered (matches the consultation's ``whom``; may be left out when only one is open)
    whom: str = ""


@dataclass(frozen=True, slots=True)
class Extended(Event):
    type: ClassVar[str] = "extended"
    label: ClassVar[str] = "延期答复"

    days: int = 0
    approver: str = ""
    reason: str = ""


FeeMethod = Literal["piece", "page"]
FEE_METHODS: dict[str, str] = {"piece": "按件计收", "page": "按量计收"}


@dataclass(frozen=True, slots=True)
class FeeNotice(Event):
    type: ClassVar[str] = "fee_notice"
    label: ClassVar[str] = "发出收费通知"

    #: ``piece`` (按件计收) or ``page`` (按量计收): one method per request, never both
    method: str = ""
    #: 元, as the notice states it
    amount: Decimal = Decimal(0)
    #: 按量计收: the pages (of paper, e-mail or copied data)
    pages: int | None = None
    #: 按件计收: this request's place among the applicant's requests of the month (its first piece)
    position: int | None = None
    #: the day the applicant received the notice (the payment period runs from the day after)
    served: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FeePaid(Event):
    type: ClassVar[str] = "fee_paid"
    label: ClassVar[str] = "缴纳费用"


@dataclass(frozen=True, slots=True)
class FeeNotPaid(Event):
    type: ClassVar[str] = "fee_not_paid"
    label: ClassVar[str] = "逾期未缴费"
    closes_as: ClassVar[str | None] = "other.no_fee"


@dataclass(frozen=True, slots=True)
class ReasonsAsked(Event):
    type: ClassVar[str] = "reasons_asked"
    label: ClassVar[str] = "要求说明理由"


@dataclass(frozen=True, slots=True)
class LongerPeriod(Event):
    type: ClassVar[str] = "longer_period"
    label: ClassVar[str] = "另行确定答复期限"

    until: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Decided(Event):
    type: ClassVar[str] = "decided"
    label: ClassVar[str] = "作出答复"

    #: a result row of table 三 (``OUTCOMES``)
    outcome: str = ""
    #: the legal ground cited; defaults to the outcome's article
    ground: str | None = None


@dataclass(frozen=True, slots=True)
class Delivered(Event):
    type: ClassVar[str] = "delivered"
    label: ClassVar[str] = "送达"

    how: str = ""


@dataclass(frozen=True, slots=True)
class Withdrawn(Event):
    type: ClassVar[str] = "withdrawn"
    label: ClassVar[str] = "申请人撤回"
    closes_as: ClassVar[str | None] = "other.other"


EVENT_TYPES: dict[str, type[Event]] = {c.type: c for c in (
    Received, CorrectionRequested, Corrected, NoCorrection, ConsultationStarted, ConsultationAnswered,
    Extended, FeeNotice, FeePaid, FeeNotPaid, ReasonsAsked, LongerPeriod, Decided, Delivered, Withdrawn,
)}

#: event types that close a request
CLOSING = frozenset({"decided", "no_correction", "fee_not_paid", "withdrawn"})

# field name → how a dict value becomes the field's value
_DATE_FIELDS = frozenset({"date", "arrived", "served", "until"})
_INT_FIELDS = frozenset({"days", "pages", "position"})
_FIELDS: dict[type[Event], frozenset[str]] = {}


def _date(raw: object, where: str, name: str) -> dt.date:
    if type(raw) is str:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise LedgerError(f"“{name}”不是有效日期（应为 YYYY-MM-DD）：{raw!r}", where=where) from None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise LedgerError(f"“{name}”不是有效日期（应为 YYYY-MM-DD）：{raw!r}", where=where) from None


def event_from_dict(raw: dict[str, Any], where: str = "事件") -> Event:
    """An event from its plain-dict form (as ``Event.to_dict`` wrote it)."""
    if not isinstance(raw, dict):
        raise LedgerError("事件应为对象（键→值）", where=where)
    kind = raw.get("type")
    cls = EVENT_TYPES.get(str(kind))
    if cls is None:
        known = "、".join(f"{k}（{c.label}）" for k, c in EVENT_TYPES.items())
        raise LedgerError(f"未知的事件类型“{kind}”（应为 {known}）", where=where)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls)) | {"type"}
    unknown = raw.keys() - names
    if unknown:
        raise LedgerError(f"“{cls.label}”没有这些项：{'、'.join(sorted(unknown))}", where=where)
    if raw.get("date") in (None, ""):
        raise LedgerError(f"“{cls.label}”缺少日期", where=where)
    kwargs: dict[str, Any] = {}
    for name, v in raw.items():
        if name == "type" or v is None:
            continue
        if name in _DATE_FIELDS:
            kwargs[name] = _date(v, where, name)
        elif name in _INT_FIELDS:
            if isinstance(v, bool) or not isinstance(v, int):
                try:
                    v = int(str(v))
                except ValueError:
                    raise LedgerError(f"“{name}”应为整数：{v!r}", where=where) from None
            kwargs[name] = v
        elif name == "amount":
            try:
                kwargs[name] = Decimal(str(v))
            except InvalidOperation:
                raise LedgerError(f"“amount”应为金额（元）：{v!r}", where=where) from None
            if not kwargs[name].is_finite():
                raise LedgerError(f"“amount”应为金额（元）：{v!r}", where=where)
        else:
            kwargs[name] = str(v)
    return cls(**kwargs)
