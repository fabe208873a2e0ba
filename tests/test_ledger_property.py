"""Property tests: random valid histories over two years.

* the computed tables satisfy every identity of the format, year 1's 结转下年度 equals year 2's
  上年结转, and every cell's drill-down lists exactly the cases counted in it (checked against a
  classification written out independently here);
* the reply due date equals a naive day-by-day count on the calendar (no index, no bisection).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.calendar import default_calendar
from gongkai.formats import identities
from gongkai.ledger import (
    APPLICANT_KINDS,
    OUTCOMES,
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Event,
    Extended,
    FeeNotice,
    FeeNotPaid,
    FeePaid,
    NoCorrection,
    Received,
    Request,
    Withdrawn,
    clock,
)
from gongkai.ledger.fees import fee_by_pages
from gongkai.ledger.records import Appeal
from gongkai.ledger.tally import tally

D = dt.date
days = st.integers(0, 25).map(lambda n: dt.timedelta(days=n))
_PLAIN = [k for k in OUTCOMES if k not in ("other.no_correction", "other.no_fee", "unavailable.unclear")]


@st.composite
def history(draw: st.DrawFn, rid: str) -> Request:
    received = draw(st.dates(D(2024, 1, 1), D(2025, 12, 31)))
    events: list[Event] = [Received(received, channel=draw(st.sampled_from(["in_person", "post", "online"])))]
    cur = received
    corrected = False
    closing: Event | None = None
    if draw(st.booleans()):
        cur += draw(days)
        events.append(CorrectionRequested(cur, days=draw(st.integers(1, 20))))
        cur += draw(days)
        if draw(st.booleans()):
            events.append(Corrected(cur))
            corrected = True
        elif draw(st.booleans()):
            closing = NoCorrection(cur)
    if closing is None and draw(st.booleans()):
        cur += draw(days)
        events.append(ConsultationStarted(cur, party=draw(st.sampled_from(["third_party", "agency"]))))
        if draw(st.booleans()):
            cur += draw(days)
            events.append(ConsultationAnswered(cur))
    if closing is None and draw(st.booleans()):
        cur += draw(days)
        events.append(Extended(cur, days=draw(st.integers(1, 20)), approver="负责人", reason="信息较多"))
    if closing is None and draw(st.booleans()):
        cur += draw(days)
        pages = draw(st.integers(31, 400))
        events.append(FeeNotice(cur, method="page", amount=fee_by_pages(pages).amount, pages=pages))
        cur += draw(days)
        if draw(st.booleans()):
            events.append(FeePaid(cur))
        elif draw(st.booleans()):
            closing = FeeNotPaid(cur)
    if closing is None:
        end = draw(st.sampled_from(["open", "decided", "decided", "withdrawn"]))
        cur += draw(days) + draw(days)
        if end == "withdrawn":
            closing = Withdrawn(cur)
        elif end == "decided":
            key = draw(st.sampled_from(_PLAIN + (["unavailable.unclear"] if corrected else [])))
            closing = Decided(cur, outcome=key, ground="依据" if OUTCOMES[key].ground is None else None)
    if closing is not None:
        events.append(closing)
    return Request(rid, draw(st.sampled_from(list(APPLICANT_KINDS))), events)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[Request], list[Appeal]]:
    n = draw(st.integers(0, 40))
    requests = [draw(history(f"R{i}")) for i in range(n)]
    appeals = []
    for i in range(draw(st.integers(0, 8))):
        filed = draw(st.dates(D(2024, 1, 1), D(2025, 12, 31)))
        kind = draw(st.sampled_from(["review", "suit_direct", "suit_after_review"]))
        if draw(st.booleans()):
            appeals.append(Appeal(f"A{i}", kind, filed, filed + draw(days) * 20,
                                  draw(st.sampled_from(["upheld", "corrected", "other"]))))
        else:
            appeals.append(Appeal(f"A{i}", kind, filed))
    return requests, appeals


def expected_cells(requests: list[Request], year: int) -> dict[tuple[str, str], set[str]]:
    """Which cell of table 三 each case belongs to, worked out plainly from its dates."""
    jan1, dec31 = D(year, 1, 1), D(year, 12, 31)
    out: dict[tuple[str, str], set[str]] = {}
    for r in requests:
        got, closed = r.events[0].date, r.closed_on
        if got > dec31 or (closed is not None and closed < jan1):
            continue
        rows = ["new" if got.year == year else "carried_over"]
        rows.append(r.outcome if closed is not None and closed.year == year else "carried_forward")  # type: ignore[arg-type]
        for row in rows:
            out.setdefault((row, r.applicant_kind), set()).add(r.id)
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ledgers())
def test_tables_from_random_histories(ledger: tuple[list[Request], list[Appeal]]) -> None:
    requests, appeals = ledger
    results = {y: tally(requests, year=y, appeals=appeals) for y in (2024, 2025, 2026)}
    for year, t in results.items():
        for key in ("requests", "appeals"):
            table = t.report.table(key)
            evaluations = list(identities.evaluate(table))
            assert evaluations and all(ev.holds is True for ev in evaluations), (year, key)
        t3 = t.report.table("requests")
        want = expected_cells(requests, year)
        for row, col in t3.spec.cells():
            ids = t.cases("requests", row, col)
            assert len(ids) == len(set(ids)) == t3.value(row, col), (year, row, col)
            if col != "total" and row != "results_total":
                assert set(ids) == want.get((row, col), set()), (year, row, col)
        for col in APPLICANT_KINDS:
            counted = set().union(*(want.get((r, col), set()) for r in t3.spec.result_rows))
            assert set(t.cases("requests", "results_total", col)) == counted
        for row in (r.key for r in t3.spec.rows if r.key != "results_total"):
            assert set(t.cases("requests", row, "total")) == set().union(
                *(want.get((row, c), set()) for c in APPLICANT_KINDS))
        t4 = t.report.table("appeals")
        for row, col in t4.spec.cells():
            assert len(t.cases("appeals", row, col)) == t4.value(row, col)
    for y1, y2 in ((2024, 2025), (2025, 2026)):
        assert results[y1].report.table("requests").to_dict()["carried_forward"] == \
            results[y2].report.table("requests").to_dict()["carried_over"]
        assert set(results[y1].cases("requests", "carried_forward", "total")) == \
            set(results[y2].cases("requests", "carried_over", "total"))


def naive_due(r: Request) -> dt.date | None:
    """20 (+ extension) working days after the receipt (or the corrected request), skipping each
    pause day by day, with the calendar's own nth_working_day for the lawful ends."""
    cal = default_calendar()
    st_ = r.state
    if st_.correction is not None:
        return None
    start = st_.corrected.date if st_.corrected else r.events[0].date
    end = r.closed_on
    pauses = []
    for c in st_.consultations:
        lawful = cal.nth_working_day(c.started.date, 15).date
        stop = min(c.answered.date, lawful) if c.answered else min(lawful, end) if end else lawful
        pauses.append((c.started.date, stop))
    if st_.fee is not None:
        lawful = cal.nth_working_day(st_.fee.date, 20).date
        stop = min(st_.fee_paid.date, lawful) if st_.fee_paid else min(lawful, end) if end else lawful
        pauses.append((st_.fee.date, stop))
    n = 20 + sum(e.days for e in st_.extensions)
    d, count = start, 0
    while count < n:
        d += dt.timedelta(days=1)
        if cal.is_working_day(d) and not any(a < d <= b for a, b in pauses if d > start):
            count += 1
    return d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history("X"))
def test_due_date_matches_a_day_by_day_count(r: Request) -> None:
    c = clock(r, today=D(2026, 6, 30))
    assert c.due == naive_due(r)

