"""The statutory clock of a request, computed from its events and the working-day calendar.

    c = clock(request, today=date(2025, 10, 9))
    c.due, c.status, c.days_left          # 2025-10-30, "open", 15
    print(c.explain())                    # the working, for a clerk

Rules (LAW.md): the day of receipt is not counted; the reply is due on the 20th working day after
it (条例第三十三条), plus one extension of at most 20 working days; a 补正 notice is due within 7
working days of receipt, and the reply period restarts from the day the corrected request arrives
(第三十条); the time a third party or another agency takes to answer a consultation — at most 15
working days — does not count (第三十二条、第三十四条); nor does the fee payment period (20 working
days from the day after the applicant receives the notice, 费办法); 第三十五条 may set a longer
period.  A pause runs from the day after its event to the day it ended (the answer, the payment,
or the end of its lawful period); a pause still running is assumed to last to its lawful end, so
the due date shown is the latest it can become.

``due_list`` dates every open request at once; ``redate`` recomputes the open requests under a
new calendar (a 国务院 notice loaded, a local adjustment) and says which due dates moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..calendar import WorkCalendar
from .catalogue import CONSULTED
from .days import WorkingDays, working_days
from .events import Decided, LedgerError, format_date
from .request import Request

__all__ = [
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "PAUSE_ZH",
    "PAYMENT_DAYS",
    "REPLY_DAYS",
    "STATUS_ZH",
    "Clock",
    "Moved",
    "Pause",
    "clock",
    "due_list",
    "redate",
]

REPLY_DAYS = 20               # 条例第三十三条
CORRECTION_NOTICE_DAYS = 7    # 条例第三十条
CONSULTATION_DAYS = 15        # 条例第三十二条、第三十四条
PAYMENT_DAYS = 20             # 费办法

Status = Literal["closed", "paused", "lapsed", "open", "due_soon", "late"]
STATUS_ZH: dict[str, str] = {
    "closed": "已办结",
    "paused": "依法暂停计时",
    "lapsed": "等待期已满，待处理",
    "open": "办理中",
    "due_soon": "即将到期",
    "late": "已逾期",
}
PauseKind = Literal["consultation", "correction", "fee"]
PAUSE_ZH: dict[str, str] = {"consultation": "征求意见", "correction": "等待补正", "fee": "等待缴费"}


@dataclass(frozen=True, slots=True)
class Pause:
    """Working days that do not count: ``(start, end]`` (the event day itself counts)."""

    kind: PauseKind
    start: dt.date
    end: dt.date
    #: working days in (start, end]
    days: int
    #: still running today (``end`` is then its lawful end, not a known date)
    running: bool = False
    #: how it ended: ``answered``/``paid`` (a known date), ``lapsed`` (its lawful period ran out),
    #: ``closed`` (the request closed first), ``running``
    ended: str = ""
    whom: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "days": self.days, "running": self.running, "ended": self.ended, "whom": self.whom}


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a request stands on ``today``: its due date with the working behind it."""

    request_id: str
    today: dt.date
    status: Status
    #: the pause that holds the clock (``paused``/``lapsed``), else None
    reason: PauseKind | None
    #: the date of receipt (条例第三十一条)
    received: dt.date
    #: the day the reply period runs from (the corrected request's arrival after a 补正)
    start: dt.date
    #: working days allowed: 20 plus the extension
    period: int
    extension: int
    #: the reply's due date; None while a 补正 is awaited (the period restarts on its arrival)
    due: dt.date | None
    #: the last day to send a 补正 notice (7 working days after receipt)
    correction_notice_due: dt.date
    #: the applicant's last day to correct, when a 补正 notice was sent
    correction_deadline: dt.date | None
    #: the applicant's last day to pay, when a fee notice was sent
    payment_deadline: dt.date | None
    pauses: tuple[Pause, ...]
    #: working days of the period used by ``today`` (pauses excluded)
    days_used: int
    #: working days left by ``today`` (negative: overdue); None without a due date
    days_left: int | None
    closed_on: dt.date | None
    outcome: str | None
    #: closed by a reply after its due date (None when not replied, or no due date)
    replied_late: bool | None
    #: a longer period set under 条例第三十五条
    longer_until: dt.date | None
    #: the due date the 20 working days alone give (before any extension); the extension must be
    #: approved by then
    base_due: dt.date | None
    #: some date rests on a year whose holiday arrangement is not loaded
    provisional: bool
    assumed_years: tuple[int, ...]
    #: the calendar version used (``calendar_version``)
    calendar: str
    _request: Request = field(repr=False, compare=False)
    _days: WorkingDays = field(repr=False, compare=False)

    @property
    def status_label(self) -> str:
        label = STATUS_ZH[self.status]
        return f"{label}（{PAUSE_ZH[self.reason]}）" if self.reason and self.status == "paused" else label

    @property
    def late_by(self) -> int:
        """Working days overdue (0 when not late)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def explain(self) -> str:
        """The working, in Chinese, for a clerk."""
        return "\n".join(self.steps())

    def steps(self) -> list[str]:
        from .explain import steps

        return steps(self, self._request, self._days)

    def to_dict(self, explain: bool = True) -> dict[str, Any]:
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        d: dict[str, Any] = {
            "request": self.request_id, "today": iso(self.today), "status": self.status,
            "status_label": self.status_label, "reason": self.reason, "received": iso(self.received),
            "start": iso(self.start), "period": self.period, "extension": self.extension, "due": iso(self.due),
            "correction_notice_due": iso(self.correction_notice_due),
            "correction_deadline": iso(self.correction_deadline), "payment_deadline": iso(self.payment_deadline),
            "pauses": [p.to_dict() for p in self.pauses], "days_used": self.days_used,
            "days_left": self.days_left, "late_by": self.late_by, "closed_on": iso(self.closed_on),
            "outcome": self.outcome, "replied_late": self.replied_late, "longer_until": iso(self.longer_until),
            "base_due": iso(self.base_due),
            "provisional": self.provisional, "assumed_years": list(self.assumed_years), "calendar": self.calendar,
        }
        if explain:
            d["explanation"] = self.steps()
        return d


def _merge(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _walk(wd: WorkingDays, start: dt.date, n: int, spans: list[tuple[dt.date, dt.date]]) -> dt.date:
    """The n-th working day after ``start`` not inside a pause."""
    cur, left = start, n
    for a, b in spans:
        if b <= cur:
            continue
        if a > cur:
            k = wd.count(cur, a)
            if k >= left:
                return wd.nth(cur, left)
            left -= k
        cur = b
    return wd.nth(cur, left)


def _count(wd: WorkingDays, a: dt.date, b: dt.date, spans: list[tuple[dt.date, dt.date]]) -> int:
    """Working days in (a, b] outside the pauses."""
    if b <= a:
        return 0
    n = wd.count(a, b)
    for s, e in spans:
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            n -= wd.count(lo, hi)
    return n


def clock(request: Request, calendar: WorkCalendar | WorkingDays | None = None, *, today: dt.date,
          soon: int = 5) -> Clock:
    """The clock of ``request`` on ``today`` (``soon``: working days left that make it due soon)."""
    return clock_with(request, working_days(calendar), today, soon)


def clock_with(req: Request, wd: WorkingDays, today: dt.date, soon: int) -> Clock:
    st = req.state
    if st.received is None:
        raise LedgerError("尚未记录收到申请，无法计算期限", where=req.label)
    r0 = st.received.date
    notice_due = wd.nth(r0, CORRECTION_NOTICE_DAYS)
    start = st.corrected.date if st.corrected is not None else r0
    closing = st.closing
    end = closing.date if closing is not None else None
    ext = sum(e.days for e in st.extensions)
    period = REPLY_DAYS + ext
    last_corr = st.corrections[-1] if st.corrections else None
    corr_deadline = wd.nth(last_corr.date, last_corr.days) if last_corr is not None else None
    waiting_correction = st.correction is not None

    pauses: list[Pause] = []
    running: PauseKind | None = None
    lapsed: PauseKind | None = None
    for c in st.consultations:
        s = c.started.date
        lawful = wd.nth(s, CONSULTATION_DAYS)
        if c.answered is not None and c.answered.date <= lawful:
            e, how = c.answered.date, "answered"
        elif c.answered is not None or (end is None and today > lawful) or (end is not None and end >= lawful):
            e, how = lawful, "lapsed"
        elif end is not None:
            e, how = end, "closed"
        else:
            e, how = lawful, "running"
            running = running or "consultation"
        pauses.append(Pause("consultation", s, e, 0, how == "running", how,
                            c.started.whom or CONSULTED[c.started.party]))
    pay_deadline = None
    if st.fee is not None:
        f = st.fee
        pay_deadline = wd.nth(f.served or f.date, PAYMENT_DAYS)
        if st.fee_paid is not None and st.fee_paid.date <= pay_deadline:
            e, how = st.fee_paid.date, "paid"
        elif st.fee_paid is not None or (end is not None and end >= pay_deadline):
            e, how = pay_deadline, "lapsed"
        elif end is not None:
            e, how = end, "closed"
        else:
            e, how = pay_deadline, "running"
            if today > pay_deadline:
                lapsed = "fee"
            else:
                running = "fee"
        pauses.append(Pause("fee", f.date, e, 0, how == "running" and today <= pay_deadline, how))

    # pauses before the period's start (a 补正 restarted it) do not count
    spans = _merge([(max(p.start, start), p.end) for p in pauses if p.end > max(p.start, start)])
    pauses = [Pause(p.kind, p.start, p.end, _count(wd, max(p.start, start), p.end, []) if p.end > start else 0,
                    p.running, p.ended, p.whom) for p in pauses]

    due: dt.date | None
    base_due: dt.date | None = None
    if not waiting_correction:
        base_due = _walk(wd, start, REPLY_DAYS, spans)
    if waiting_correction:
        due = None
    elif st.longer is not None and st.longer.until is not None:
        due = st.longer.until
    else:
        due = _walk(wd, start, period, spans) if ext else base_due

    status: Status
    reason: PauseKind | None = None
    upto = today if due is None else min(today, due)
    used = _count(wd, start, upto, spans) if not waiting_correction else 0
    left: int | None = None
    replied_late: bool | None = None
    if due is not None:
        if closing is None and today > due:
            left = -_count(wd, due, today, spans)
        elif closing is None:
            left = _count(wd, today, due, spans) if st.longer is not None else period - used
    if closing is not None:
        status = "closed"
        if isinstance(closing, Decided) and due is not None:
            replied_late = closing.date > due
    elif waiting_correction:
        reason = "correction"
        assert corr_deadline is not None
        status = "paused" if today <= corr_deadline else "lapsed"
    elif lapsed is not None:
        status, reason = "lapsed", lapsed
    elif running is not None:
        status, reason = "paused", running
    elif left is not None and left < 0:
        status = "late"
    elif left is not None and left <= soon:
        status = "due_soon"
    else:
        status = "open"

    latest = max(d for d in (notice_due, due, corr_deadline, pay_deadline, *(p.end for p in pauses))
                 if d is not None)
    assumed = wd.assumed(r0, latest)
    return Clock(req.id, today, status, reason, r0, start, period, ext, due, notice_due, corr_deadline,
                 pay_deadline, tuple(pauses), used, left, end, req.outcome, replied_late,
                 st.longer.until if st.longer is not None else None, base_due, bool(assumed), assumed, wd.version,
                 req, wd)


_ORDER = {"late": 0, "lapsed": 1, "due_soon": 2, "open": 3, "paused": 4, "closed": 5}


def due_list(requests: Iterable[Request], calendar: WorkCalendar | WorkingDays | None = None, *,
             today: dt.date, soon: int = 5) -> list[Clock]:
    """The clocks of every request open on ``today`` (received by then, not closed): overdue first,
    then those whose waiting period ran out, due soon, running, paused — each by due date."""
    wd = working_days(calendar)
    out = [clock_with(r, wd, today, soon) for r in requests
           if r.closed_on is None and r.state.received is not None and r.received_on <= today]
    far = dt.date.max
    out.sort(key=lambda c: (_ORDER[c.status], c.due or far, c.request_id))
    return out


@dataclass(frozen=True, slots=True)
class Moved:
    """An open request whose due date a calendar change moved."""

    request_id: str
    old: dt.date | None
    new: dt.date | None
    #: calendar days (positive: later)
    days: int
    old_calendar: str
    new_calendar: str

    def describe(self) -> str:
        if self.old is None or self.new is None:
            return f"申请{self.request_id}：答复期限由{_d(self.old)}改为{_d(self.new)}"
        way = f"推后{self.days}天" if self.days > 0 else f"提前{-self.days}天"
        return f"申请{self.request_id}：答复期限由{format_date(self.old)}改为{format_date(self.new)}（{way}）"

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request_id, "old": _iso(self.old), "new": _iso(self.new), "days": self.days,
                "old_calendar": self.old_calendar, "new_calendar": self.new_calendar}


def _d(d: dt.date | None) -> str:
    return format_date(d) if d else "（待补正后确定）"


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def redate(requests: Iterable[Request], old: WorkCalendar | WorkingDays, new: WorkCalendar | WorkingDays, *,
           today: dt.date) -> list[Moved]:
    """Recompute every open request under the ``new`` calendar: the due dates that moved, and by how
    much.  Closed requests keep the dates they were handled under and are not listed."""
    wo, wn = working_days(old), working_days(new)
    moved = []
    for r in requests:
        if r.closed_on is not None or r.state.received is None or r.received_on > today:
            continue
        a, b = clock_with(r, wo, today, 0).due, clock_with(r, wn, today, 0).due
        if a != b:
            days = (b - a).days if a is not None and b is not None else 0
            moved.append(Moved(r.id, a, b, days, wo.version, wn.version))
    return moved
