"""A disclosure request: who asked, and its events, replayed through the rules of the 条例.

``Request.add`` is one staff step: it checks the event against what has happened so far and
refuses, with a Chinese message, anything that cannot be (a decision before receipt, dates going
backwards, an outcome that is not a table 三 row, a step after the request closed) — and, in
``strict`` mode (the default, for recording steps as they are taken), anything the law does not
allow a clerk to do (a second extension, an extension of more than 20 working days, a second
补正 notice).  History imported from elsewhere (a spreadsheet 台账) is replayed with
``strict=False``: what really happened is kept, and the ledger rules report the breaches.

A refused event changes nothing.  The checks never depend on the calendar, so a stored request
always replays, whatever holiday arrangement is loaded later; lateness is the clock's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import APPLICANT_KINDS, CHANNELS, CONSULTED, OUTCOMES
from .events import (
    CLOSING,
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Delivered,
    Event,
    Extended,
    FeeNotice,
    FeeNotPaid,
    FeePaid,
    LedgerError,
    LongerPeriod,
    NoCorrection,
    ReasonsAsked,
    Received,
    event_from_dict,
    format_date,
)
from .events import FEE_METHODS as _FEE_METHODS

__all__ = ["MAX_EXTENSION", "Consultation", "Request", "State"]

#: 条例第三十三条: one extension, of at most 20 working days
MAX_EXTENSION = 20


@dataclass(slots=True)
class Consultation:
    started: ConsultationStarted
    answered: ConsultationAnswered | None = None


@dataclass(slots=True)
class State:
    """What the events so far add up to (kept up to date by ``Request.add``)."""

    received: Received | None = None
    corrections: list[CorrectionRequested] = field(default_factory=list)
    corrected: Corrected | None = None
    consultations: list[Consultation] = field(default_factory=list)
    extensions: list[Extended] = field(default_factory=list)
    fee: FeeNotice | None = None
    fee_paid: FeePaid | None = None
    reasons: ReasonsAsked | None = None
    longer: LongerPeriod | None = None
    closing: Event | None = None
    delivered: Delivered | None = None
    last: Event | None = None

    @property
    def correction(self) -> CorrectionRequested | None:
        """The 补正 notice whose answer is awaited (None once corrected or if none was sent)."""
        if self.corrections and self.corrected is None:
            return self.corrections[-1]
        return None


class Request:
    """One 政府信息公开申请.  ``events`` is the whole truth; everything else is derived."""

    __slots__ = ("_closed", "_events", "_outcome", "_received", "_state", "applicant", "applicant_kind",
                 "id", "pieces", "ref", "subject")

    def __init__(self, id: str, applicant_kind: str, events: Iterable[Event] = (), *,
                 applicant: str | None = None, subject: str | None = None, pieces: int = 1,
                 ref: str | None = None, strict: bool = True) -> None:
        self.id = str(id).strip()
        if not self.id:
            raise LedgerError("申请编号不能为空")
        if applicant_kind not in APPLICANT_KINDS:
            kinds = "、".join(f"{k}（{v}）" for k, v in APPLICANT_KINDS.items())
            raise LedgerError(f"申请人类型“{applicant_kind}”不是表三的列（应为 {kinds}）", where=self.id)
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 1:
            raise LedgerError(f"计件数应为正整数：{pieces!r}", where=self.id)
        self.applicant_kind = applicant_kind
        self.applicant = applicant or None
        self.subject = subject or None
        #: pieces this request counts as under 按件计收 (一事一申请: a multi-item request may be split)
        self.pieces = pieces
        #: the caller's reference (a database id, a spreadsheet row), carried into findings
        self.ref = ref
        self._events: list[Event] = []
        self._state = State()
        self._received: dt.date | None = None
        self._closed: dt.date | None = None
        self._outcome: str | None = None
        for e in events:
            self.add(e, strict=strict)

    # -- derived ------------------------------------------------------------------------------
    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def state(self) -> State:
        return self._state

    @property
    def received_on(self) -> dt.date:
        """The date of receipt (the first one: a 补正 restarts the clock, not the request)."""
        if self._received is None:
            raise LedgerError("尚未记录收到申请", where=self.id)
        return self._received

    @property
    def closed_on(self) -> dt.date | None:
        return self._closed

    @property
    def outcome(self) -> str | None:
        """The table 三 row the request is counted in once closed."""
        return self._outcome

    @property
    def ground(self) -> str | None:
        c = self._state.closing
        if isinstance(c, Decided):
            return c.ground or OUTCOMES[c.outcome].ground
        return OUTCOMES[c.closes_as].ground if c is not None and c.closes_as else None

    def is_open_on(self, day: dt.date) -> bool:
        """Received on or before ``day`` and not closed by the end of it."""
        return self._received is not None and self._received <= day and (self._closed is None
                                                                         or self._closed > day)

    @property
    def label(self) -> str:
        return f"申请{self.id}"

    # -- recording ----------------------------------------------------------------------------
    def add(self, event: Event, *, strict: bool = True, today: dt.date | None = None) -> Request:
        """Record one event (a staff step).  Refuses with ``LedgerError`` and changes nothing when
        the event cannot follow what happened so far."""
        _apply(self._state, event, strict, today, self)
        self._events.append(event)
        if isinstance(event, Received):
            self._received = event.date
        if event.type in CLOSING:
            self._closed = event.date
            self._outcome = event.outcome if isinstance(event, Decided) else event.closes_as
        return self

    # -- plain dicts --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "applicant_kind": self.applicant_kind}
        for k in ("applicant", "subject", "ref"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.pieces != 1:
            d["pieces"] = self.pieces
        d["events"] = [e.to_dict() for e in self._events]
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, strict: bool = True) -> Request:
        if not isinstance(raw, dict):
            raise LedgerError("申请应为对象（键→值）")
        rid = str(raw.get("id") or "").strip()
        unknown = set(raw) - {"id", "applicant_kind", "applicant", "subject", "pieces", "ref", "events"}
        if unknown:
            raise LedgerError(f"申请没有这些项：{'、'.join(sorted(unknown))}", where=rid or None)
        events = raw.get("events") or []
        if not isinstance(events, list):
            raise LedgerError("“events”应为列表", where=rid or None)
        evs = [event_from_dict(e, where=f"{rid or '申请'}第{i}项事件") for i, e in enumerate(events, 1)]
        return cls(rid, str(raw.get("applicant_kind") or ""), evs, applicant=raw.get("applicant"),
                   subject=raw.get("subject"), pieces=raw.get("pieces", 1), ref=raw.get("ref"), strict=strict)

    def __repr__(self) -> str:
        return f"<Request {self.id} {self.applicant_kind} {len(self._events)} events>"


def _refuse(req: Request, event: Event, message: str) -> LedgerError:
    return LedgerError(f"“{event.label}”（{format_date(event.date)}）：{message}", where=req.label)


def _apply(st: State, e: Event, strict: bool, today: dt.date | None, req: Request) -> None:
    """Check ``e`` against the state and fold it in.  Every check comes before anything changes
    (in each branch, every ``raise`` precedes the first assignment), so a refusal leaves the state
    as it was."""
    if not isinstance(e, Event) or not isinstance(getattr(e, "date", None), dt.date):
        raise LedgerError("不是有效的事件", where=req.label)
    if today is not None and e.date > today:
        raise _refuse(req, e, f"日期晚于今天（{format_date(today)}），不能记录尚未发生的事")
    if st.received is None and not isinstance(e, Received):
        raise _refuse(req, e, "应先记录“收到申请”")
    if st.last is not None and e.date < st.last.date:
        raise _refuse(req, e, f"日期早于上一事件“{st.last.label}”（{format_date(st.last.date)}），"
                              "事件应按发生的先后记录")
    if st.closing is not None and not isinstance(e, Delivered):
        raise _refuse(req, e, f"申请已于{format_date(st.closing.date)}办结（{st.closing.label}），不能再记录")

    if isinstance(e, Received):
        if st.received is not None:
            raise _refuse(req, e, "已经记录过收到申请")
        if e.channel not in CHANNELS:
            names = "、".join(f"{k}（{c.label}）" for k, c in CHANNELS.items())
            raise _refuse(req, e, f"未知的提交渠道“{e.channel}”（应为 {names}）")
        if e.arrived is not None and e.arrived > e.date:
            raise _refuse(req, e, f"到达日期{format_date(e.arrived)}晚于收到申请之日")
        st.received = e
    elif isinstance(e, CorrectionRequested):
        if st.corrections and strict:
            raise _refuse(req, e, "补正只能告知一次，应一次性告知需要补正的事项（条例第三十条）")
        if st.correction is not None:
            raise _refuse(req, e, "前一次补正告知尚未得到补正")
        if e.days < 1:
            raise _refuse(req, e, f"补正期限应为正整数个工作日：{e.days}")
        st.corrections.append(e)
    elif isinstance(e, Corrected | NoCorrection):
        if st.correction is None:
            raise _refuse(req, e, "没有等待补正的告知")
        if isinstance(e, Corrected):
            st.corrected = e
    elif isinstance(e, ConsultationStarted):
        if e.party not in CONSULTED:
            raise _refuse(req, e, f"征求意见对象应为 {'、'.join(f'{k}（{v}）' for k, v in CONSULTED.items())}")
        st.consultations.append(Consultation(e))
    elif isinstance(e, ConsultationAnswered):
        waiting = [c for c in st.consultations if c.answered is None]
        if e.whom:
            waiting = [c for c in waiting if c.started.whom == e.whom] or [
                c for c in waiting if not c.started.whom]
        if not waiting:
            raise _refuse(req, e, "没有等待答复的征求意见" + (f"（征求对象“{e.whom}”）" if e.whom else ""))
        if len(waiting) > 1 and not e.whom:
            raise _refuse(req, e, "有多项征求意见尚未答复，请写明答复方")
        waiting[0].answered = e
    elif isinstance(e, Extended):
        if e.days < 1:
            raise _refuse(req, e, f"延期应为正整数个工作日：{e.days}")
        if strict:
            if st.extensions:
                raise _refuse(req, e, f"已于{format_date(st.extensions[0].date)}延期，延长答复期限只能一次"
                                      "（条例第三十三条）")
            if e.days > MAX_EXTENSION:
                raise _refuse(req, e, f"延长的期限最长不得超过{MAX_EXTENSION}个工作日（条例第三十三条）：{e.days}")
            if not e.approver.strip():
                raise _refuse(req, e, "请写明批准延期的负责人（条例第三十三条：经政府信息公开工作机构负责人同意）")
            if not e.reason.strip():
                raise _refuse(req, e, "请写明延期的理由")
        st.extensions.append(e)
    elif isinstance(e, FeeNotice):
        if st.fee is not None:
            raise _refuse(req, e, f"已于{format_date(st.fee.date)}发出收费通知：一件申请只能按一种方式收费一次")
        if e.method not in _FEE_METHODS:
            raise _refuse(req, e, f"收费方式应为 {'、'.join(f'{k}（{v}）' for k, v in _FEE_METHODS.items())}")
        if e.amount < 0:
            raise _refuse(req, e, f"收费金额不能为负数：{e.amount}")
        if e.method == "page" and (e.pages is None or e.pages < 1):
            raise _refuse(req, e, "按量计收须写明页数")
        if e.method == "piece" and e.position is not None and e.position < 1:
            raise _refuse(req, e, f"按件计收的件次应为正整数：{e.position}")
        if e.served is not None and e.served < e.date:
            raise _refuse(req, e, "申请人收到通知的日期早于发出日期")
        st.fee = e
    elif isinstance(e, FeePaid | FeeNotPaid):
        if st.fee is None or st.fee_paid is not None:
            raise _refuse(req, e, "没有等待缴费的收费通知")
        if isinstance(e, FeePaid):
            st.fee_paid = e
    elif isinstance(e, ReasonsAsked):
        if st.reasons is not None:
            raise _refuse(req, e, "已经要求说明过理由")
        st.reasons = e
    elif isinstance(e, LongerPeriod):
        if st.reasons is None:
            raise _refuse(req, e, "应先要求申请人说明理由（条例第三十五条）")
        if st.longer is not None:
            raise _refuse(req, e, "已经另行确定过答复期限")
        if e.until is None or e.until <= e.date:
            raise _refuse(req, e, "另行确定的答复期限应晚于确定之日")
        st.longer = e
    elif isinstance(e, Decided):
        _decided(st, e, strict, req)
    elif isinstance(e, Delivered):
        if not isinstance(st.closing, Decided):
            raise _refuse(req, e, "尚未作出答复")
        if st.delivered is not None:
            raise _refuse(req, e, "已经记录过送达")
        st.delivered = e
    elif e.type not in CLOSING:  # pragma: no cover - every event type is handled above
        raise _refuse(req, e, "不支持的事件")
    if e.type in CLOSING:
        st.closing = e
    st.last = e


def _decided(st: State, e: Decided, strict: bool, req: Request) -> None:
    outcome = OUTCOMES.get(e.outcome)
    if outcome is None:
        raise _refuse(req, e, f"“{e.outcome}”不是表三的办理结果（应为 {'、'.join(OUTCOMES)} 之一）")
    if e.outcome == "other.no_correction":
        raise _refuse(req, e, "逾期不补正请记录“逾期未补正”事件")
    if e.outcome == "other.no_fee":
        raise _refuse(req, e, "逾期未缴费请记录“逾期未缴费”事件")
    if e.outcome == "other.other" and strict and not (e.ground or "").strip():
        raise _refuse(req, e, "“其他处理：其他”须写明答复依据（申请人撤回请记录“申请人撤回”事件）")
    if e.outcome == "unavailable.unclear" and st.corrected is None:
        raise _refuse(req, e, "“补正后申请内容仍不明确”须先有补正告知和补正后的申请")
    if outcome.ground is None and strict and not (e.ground or "").strip():
        raise _refuse(req, e, f"“{outcome.label}”没有统一的法定依据条文，请写明答复依据")
