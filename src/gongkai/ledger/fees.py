"""信息处理费 under the 费办法 (国办函〔2020〕109号), with its working.

Requests are free by default; only above a volume threshold may an agency charge, choosing ONE
method per request.  Both methods are marginal (超额累进: only the part above a threshold pays
that tier's rate):

* 按件计收 — per applicant per calendar month, all that applicant's requests of the month
  together: the 1st–10th free, 11th–30th 100 元 each, and from the 31st each further band of 10
  costs 100 元 more (31st–40th 200 元, 41st–50th 300 元, …).  45 requests → 5 500 元.
* 按量计收 — per request, by pages: 1–30 free, 31–100 10 元/page, 101–200 20 元/page, 201 and
  more 40 元/page.  150 pages → 1 700 元.

The applicant has 20 working days from the day after receiving the notice to pay
(``payment_deadline``); not paying in time closes the request as ``other.no_fee``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..calendar import WorkCalendar
from .days import WorkingDays, working_days
from .events import FEE_METHODS, FeeNotice, LedgerError
from .request import Request

__all__ = [
    "FREE_PAGES",
    "FREE_PIECES",
    "PAGE_TIERS",
    "Band",
    "FeeStatement",
    "FeeWorking",
    "fee_by_pages",
    "fee_by_pieces",
    "fee_statement",
    "month_positions",
    "payment_deadline",
    "piece_fees",
    "piece_rate",
]

FREE_PIECES = 10
FREE_PAGES = 30
#: 按量计收: (first page, last page or None, 元 per page)
PAGE_TIERS: tuple[tuple[int, int | None, int], ...] = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))
_MAX_UNITS = 10_000_000


def piece_rate(k: int) -> int:
    """元 for the k-th request of an applicant's month under 按件计收."""
    if k < 1:
        raise LedgerError(f"件次应为正整数：{k}")
    if k <= FREE_PIECES:
        return 0
    if k <= 30:
        return 100
    return 100 * (2 + (k - 31) // 10)


@dataclass(frozen=True, slots=True)
class Band:
    """One tier of a fee's working: units ``first``–``last`` at ``rate`` 元 each."""

    first: int
    last: int
    rate: int

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.units * self.rate


@dataclass(frozen=True, slots=True)
class FeeWorking:
    """A fee and how it was worked out."""

    method: str
    #: the units charged for: pieces ``first``..``last`` of the month, or pages 1..``last``
    first: int
    last: int
    bands: tuple[Band, ...]

    @property
    def amount(self) -> Decimal:
        return Decimal(sum(b.subtotal for b in self.bands))

    @property
    def chargeable(self) -> bool:
        """Above the threshold: some unit pays."""
        return self.amount > 0

    def explain(self) -> str:
        unit = "件" if self.method == "piece" else "页"
        parts = []
        for b in self.bands:
            span = f"第{b.first}{unit}" if b.first == b.last else f"第{b.first}—{b.last}{unit}"
            if b.rate == 0:
                parts.append(f"{span}免费")
            else:
                parts.append(f"{span}{b.units}{unit}×{b.rate}元＝{b.subtotal}元")
        head = FEE_METHODS[self.method]
        what = (f"当月第{self.first}—{self.last}件" if self.first != self.last else f"当月第{self.first}件") \
            if self.method == "piece" else f"共{self.last}页"
        return f"{head}（{what}）：{'；'.join(parts)}；合计{self.amount}元"

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "first": self.first, "last": self.last, "amount": format(self.amount, "f"),
                "bands": [{"first": b.first, "last": b.last, "rate": b.rate, "subtotal": b.subtotal}
                          for b in self.bands], "explanation": self.explain()}


def _bands(first: int, last: int, tiers: Iterable[tuple[int, int | None, int]]) -> tuple[Band, ...]:
    out = []
    for lo, hi, rate in tiers:
        a, b = max(first, lo), last if hi is None else min(last, hi)
        if a <= b:
            out.append(Band(a, b, rate))
    return tuple(out)


def _piece_tiers(last: int) -> list[tuple[int, int | None, int]]:
    tiers: list[tuple[int, int | None, int]] = [(1, FREE_PIECES, 0), (11, 30, 100)]
    lo = 31
    while lo <= last:
        tiers.append((lo, lo + 9, piece_rate(lo)))
        lo += 10
    return tiers


def fee_by_pieces(first: int, pieces: int = 1) -> FeeWorking:
    """按件计收 for the pieces ``first`` .. ``first + pieces - 1`` of an applicant's month
    (``fee_by_pieces(1, 45)`` is the whole month of 45 requests)."""
    if first < 1 or pieces < 1 or first + pieces > _MAX_UNITS:
        raise LedgerError(f"件次应为正整数：第{first}件起{pieces}件")
    last = first + pieces - 1
    return FeeWorking("piece", first, last, _bands(first, last, _piece_tiers(last)))


def fee_by_pages(pages: int) -> FeeWorking:
    """按量计收 for one request of ``pages`` pages."""
    if pages < 1 or pages > _MAX_UNITS:
        raise LedgerError(f"页数应为正整数：{pages}")
    return FeeWorking("page", 1, pages, _bands(1, pages, PAGE_TIERS))


def month_positions(requests: Iterable[Request]) -> dict[str, tuple[int, int]]:
    """Each request's place in its applicant's month under 按件计收: request id → (first piece,
    pieces).  Requests are ordered by date of receipt, then as given; a request without a named
    applicant cannot be counted with others and is left out."""
    groups: dict[tuple[str, int, int], list[Request]] = defaultdict(list)
    for r in requests:
        if r.applicant and r.state.received is not None:
            d = r.received_on
            groups[(r.applicant, d.year, d.month)].append(r)
    out: dict[str, tuple[int, int]] = {}
    for rs in groups.values():
        rs.sort(key=lambda r: r.received_on)
        k = 1
        for r in rs:
            out[r.id] = (k, r.pieces)
            k += r.pieces
    return out


def piece_fees(requests: Iterable[Request]) -> dict[str, FeeWorking]:
    """按件计收 for every request with a named applicant: request id → its fee with the working."""
    return {rid: fee_by_pieces(first, n) for rid, (first, n) in month_positions(requests).items()}


def payment_deadline(notice: FeeNotice, calendar: WorkCalendar | WorkingDays | None = None) -> dt.date:
    """The last day to pay: the 20th working day after the applicant received the notice (the
    sending date when that is not recorded)."""
    return working_days(calendar).nth(notice.served or notice.date, 20)


@dataclass(frozen=True, slots=True)
class FeeStatement:
    """The year's 信息处理费 for 六、其他需要报告的事项."""

    year: int
    notices: int
    paid: int
    #: 元 collected (fees paid in the year)
    collected: Decimal

    @property
    def text(self) -> str:
        if self.notices == 0 and self.paid == 0:
            return f"{self.year}年度未收取政府信息公开信息处理费。"
        return (f"{self.year}年度发出政府信息公开信息处理费收费通知{self.notices}件，"
                f"收取信息处理费{self.paid}件、共{self.collected}元。")

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "notices": self.notices, "paid": self.paid,
                "collected": format(self.collected, "f"), "text": self.text}


def fee_statement(requests: Iterable[Request], year: int) -> FeeStatement:
    notices = paid = 0
    collected = Decimal(0)
    for r in requests:
        st = r.state
        if st.fee is not None and st.fee.date.year == year:
            notices += 1
        if st.fee is not None and st.fee_paid is not None and st.fee_paid.date.year == year:
            paid += 1
            collected += st.fee.amount
    return FeeStatement(year, notices, paid, collected)
