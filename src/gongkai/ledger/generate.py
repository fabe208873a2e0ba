"""Random valid request histories, for tests, benchmarks and demonstration data.

    requests = random_requests(random.Random(7), 2000, first=date(2025, 1, 1), last=date(2025, 12, 31),
                               today=date(2026, 1, 20))

Only what the spreadsheet layout carries is filled in (so a history written into a 台账 reads back
equal).  Each history is one a clerk could have recorded step by step (``strict`` mode accepts it): one
补正 at most, one extension of at most 20 working days, a fee only above the threshold, decisions
mostly within the period (some late, as in life), events after ``today`` not yet happened.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from ..calendar import WorkCalendar
from .catalogue import APPLICANT_KINDS, CHANNELS, OUTCOMES
from .days import WorkingDays, working_days
from .events import (
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
    NoCorrection,
    Received,
    Withdrawn,
)
from .fees import fee_by_pages
from .records import Appeal
from .request import Request

__all__ = ["random_appeals", "random_requests"]

_KINDS = list(APPLICANT_KINDS)
_KIND_WEIGHTS = [70, 12, 3, 4, 6, 5]
_PLAIN = [k for k in OUTCOMES if k not in ("other.no_correction", "other.no_fee", "unavailable.unclear")]
_PLAIN_WEIGHTS = [40 if k == "granted" else 12 if k in ("partial", "unavailable.not_held") else 2 for k in _PLAIN]
_GROUNDS = {"not_processed.confirmation": "申请人要求确认已获取的信息，告知不再重复出具",
            "other.other": "申请人所需信息已通过其他途径获取，经沟通终止办理"}


def _one(rng: random.Random, wd: WorkingDays, rid: str, received: dt.date, today: dt.date,
         applicants: Sequence[str]) -> Request:
    kind = rng.choices(_KINDS, _KIND_WEIGHTS)[0]
    events: list[Event] = [Received(received, channel=rng.choice(list(CHANNELS)))]
    cur = start = received
    period = 20
    outcome: str | None = None
    closing: Event | None = None
    if rng.random() < 0.1:                                     # 补正
        notice = wd.nth(received, rng.randint(1, 7))
        days = rng.choice((10, 15))
        events.append(CorrectionRequested(notice, days=days))
        if rng.random() < 0.8:
            cur = start = wd.nth(notice, rng.randint(1, days))
            events.append(Corrected(cur))
            if rng.random() < 0.15:
                outcome = "unavailable.unclear"
        else:
            closing = NoCorrection(wd.nth(notice, days + rng.randint(1, 5)))
    if closing is None and rng.random() < 0.08:                # consultation
        s = wd.nth(cur, rng.randint(1, 5))
        events.append(ConsultationStarted(s, party=rng.choice(("third_party", "agency"))))
        cur = s
        if rng.random() < 0.7:
            cur = wd.nth(s, rng.randint(1, 14))
            events.append(ConsultationAnswered(cur))
            period += wd.count(s, cur)
        else:
            period += 15
    if closing is None and rng.random() < 0.05:                # extension, approved in time
        e = wd.nth(cur, rng.randint(1, 3))
        ext = rng.randint(5, 20)
        events.append(Extended(e, days=ext, approver="信息公开办负责人", reason="需要检索、汇总的信息较多"))
        cur, period = e, period + ext
    if closing is None and rng.random() < 0.03:                # fee above the threshold
        pages = rng.randint(31, 250)
        f = wd.nth(cur, rng.randint(1, 3))
        events.append(FeeNotice(f, method="page", amount=fee_by_pages(pages).amount, pages=pages))
        cur = f
        if rng.random() < 0.8:
            cur = wd.nth(f, rng.randint(1, 15))
            events.append(FeePaid(cur))
            period += wd.count(f, cur)
        else:
            closing = FeeNotPaid(wd.nth(f, 20 + rng.randint(1, 5)))
    if closing is None:
        if rng.random() < 0.02:
            closing = Withdrawn(wd.nth(cur, rng.randint(0, 5)))
        else:
            used = wd.count(start, cur)
            left = max(period - used, 0)
            late = rng.random() < 0.04
            step = left + rng.randint(1, 5) if late else rng.randint(0, left)
            key = outcome or rng.choices(_PLAIN, _PLAIN_WEIGHTS)[0]
            closing = Decided(wd.nth(cur, step), outcome=key, ground=_GROUNDS.get(key))
    events.append(closing)
    if isinstance(closing, Decided):
        events.append(Delivered(wd.nth(closing.date, rng.randint(0, 3))))
    happened = [e for e in events if e.date <= today]
    return Request(rid, kind, happened, applicant=rng.choice(applicants))


def random_requests(rng: random.Random, n: int, *, first: dt.date, last: dt.date, today: dt.date,
                    calendar: WorkCalendar | WorkingDays | None = None, prefix: str = "",
                    applicants: int = 200) -> list[Request]:
    """``n`` requests received on working days between ``first`` and ``last`` (ids ``prefix``0001 …),
    each with a valid history up to ``today``."""
    wd = working_days(calendar)
    span = wd.count(first - dt.timedelta(days=1), last)
    if span < 1:
        raise ValueError("no working day between first and last")
    names = [f"申请人{i:04d}" for i in range(applicants)]
    width = max(4, len(str(n)))
    out = []
    for i in range(n):
        received = wd.nth(first - dt.timedelta(days=1), rng.randint(1, span))
        out.append(_one(rng, wd, f"{prefix}{i + 1:0{width}d}", received, today, names))
    return out


def random_appeals(rng: random.Random, requests: Sequence[Request], rate: float = 0.02,
                   today: dt.date | None = None) -> list[Appeal]:
    """Appeals against some closed requests: filed after the reply, decided (or not) later."""
    out = []
    for r in requests:
        if r.closed_on is None or rng.random() >= rate:
            continue
        filed = r.closed_on + dt.timedelta(days=rng.randint(5, 55))
        kind = rng.choices(("review", "suit_direct", "suit_after_review"), (6, 3, 1))[0]
        decided = filed + dt.timedelta(days=rng.randint(30, 200))
        if today is not None and filed > today:
            continue
        if rng.random() < 0.2 or (today is not None and decided > today):
            out.append(Appeal(f"A{r.id}", kind, filed, requests=(r.id,)))
        else:
            out.append(Appeal(f"A{r.id}", kind, filed, decided, rng.choices(("upheld", "corrected", "other"),
                                                                           (7, 2, 1))[0], (r.id,)))
    return out

