"""信息处理费 by the 费办法: marginal tiers, every boundary, the month of one applicant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.ledger import FeeNotice, FeePaid, LedgerError, Received, Request
from gongkai.ledger.fees import (
    fee_by_pages,
    fee_by_pieces,
    fee_statement,
    month_positions,
    payment_deadline,
    piece_fees,
    piece_rate,
)

D = date.fromisoformat


def test_forty_five_requests_in_a_month_cost_5500() -> None:
    # 1–10 free; 11–30: 20 × 100; 31–40: 10 × 200; 41–45: 5 × 300 = 2000 + 2000 + 1500
    w = fee_by_pieces(1, 45)
    assert w.amount == Decimal(5500)
    assert [(b.first, b.last, b.rate) for b in w.bands] == [(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 45, 300)]
    assert w.explain() == ("按件计收（当月第1—45件）：第1—10件免费；第11—30件20件×100元＝2000元；"
                           "第31—40件10件×200元＝2000元；第41—45件5件×300元＝1500元；合计5500元")


def test_150_pages_cost_1700() -> None:
    # 1–30 free; 31–100: 70 × 10; 101–150: 50 × 20 = 700 + 1000
    w = fee_by_pages(150)
    assert w.amount == Decimal(1700)
    assert w.explain() == "按量计收（共150页）：第1—30页免费；第31—100页70页×10元＝700元；第101—150页50页×20元＝1000元；合计1700元"


@pytest.mark.parametrize(("pieces", "amount"), [
    (10, 0),                      # all free
    (11, 100),                    # the 11th is the first to pay, 100
    (30, 2000),                   # 20 × 100
    (31, 2200),                   # + 200 for the 31st
    (40, 4000),                   # 2000 + 10 × 200
    (41, 4300),                   # + 300 for the 41st
    (50, 7000), (51, 7400),       # 4000 + 10 × 300; the 51st starts the 400 band
])
def test_per_piece_boundaries(pieces: int, amount: int) -> None:
    assert fee_by_pieces(1, pieces).amount == amount


@pytest.mark.parametrize(("k", "rate"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                         (50, 300), (51, 400), (61, 500)])
def test_rate_of_the_kth_piece(k: int, rate: int) -> None:
    assert piece_rate(k) == rate


@pytest.mark.parametrize(("pages", "amount"), [
    (30, 0), (31, 10),            # free up to 30; the 31st page 10
    (100, 700), (101, 720),       # 70 × 10; the 101st page 20
    (200, 2700), (201, 2740),     # 700 + 100 × 20; the 201st page 40
    (1, 0), (250, 4700),          # 2700 + 50 × 40
])
def test_per_page_boundaries(pages: int, amount: int) -> None:
    assert fee_by_pages(pages).amount == amount
    assert fee_by_pages(pages).chargeable is (amount > 0)


def test_the_marginal_fee_of_one_request_in_the_month() -> None:
    # the 45th request alone pays the 41–50 band rate; the 10th pays nothing
    assert fee_by_pieces(45).amount == 300 and fee_by_pieces(10).amount == 0
    # a two-item request split under 一事一申请 at places 30 and 31: 100 + 200
    assert fee_by_pieces(30, 2).amount == 300


def test_all_requests_of_an_applicant_month_count_together() -> None:
    def r(rid: str, day: str, who: str | None = "张三", pieces: int = 1) -> Request:
        return Request(rid, "natural_person", [Received(D(day), channel="online")], applicant=who, pieces=pieces)

    reqs = [r(f"m{i:02d}", f"2025-03-{i:02d}") for i in range(1, 13)]          # 12 in March
    reqs += [r("apr", "2025-04-01"), r("other", "2025-03-05", who="李四"), r("anon", "2025-03-05", who=None)]
    reqs.insert(0, r("split", "2025-03-01", pieces=3))                          # 3 pieces on 3/1
    pos = month_positions(reqs)
    # by date, ties in the order given: split (3/1, given first) → pieces 1–3, m01 (3/1) → 4,
    # m02 → 5, …, m12 → 15
    assert pos["split"] == (1, 3) and pos["m01"] == (4, 1) and pos["m02"] == (5, 1) and pos["m12"] == (15, 1)
    assert pos["apr"] == (1, 1) and pos["other"] == (1, 1) and "anon" not in pos
    fees = piece_fees(reqs)
    total = sum(fees[rid].amount for rid in pos if rid.startswith("m") or rid == "split")
    assert total == fee_by_pieces(1, 15).amount == Decimal(500)      # pieces 11–15 × 100


def test_payment_deadline_runs_from_the_day_after_service() -> None:
    # served Thu 2025-09-25: 9/26 (1) Sun 9/28 (2, 调休) 9/29 (3) 9/30 (4); 10/1–10/8 off;
    # 10/9 (5) 10/10 (6) Sat 10/11 (7) 10/13–17 (8–12) 10/20–24 (13–17) 10/27 (18) 10/28 (19) 10/29 (20)
    n = FeeNotice(D("2025-09-24"), method="page", amount=Decimal(10), pages=31, served=D("2025-09-25"))
    assert payment_deadline(n) == D("2025-10-29")


def test_year_fee_statement() -> None:
    a = Request("a", "natural_person", [Received(D("2025-03-03"), channel="online"),
                                        FeeNotice(D("2025-03-05"), method="page", amount=Decimal(1700), pages=150),
                                        FeePaid(D("2025-03-10"))])
    b = Request("b", "natural_person", [Received(D("2025-03-03"), channel="online"),
                                        FeeNotice(D("2025-03-05"), method="piece", amount=Decimal(100), position=11)])
    s = fee_statement([a, b], 2025)
    assert (s.notices, s.paid, s.collected) == (2, 1, Decimal(1700))
    assert s.text == "2025年度发出政府信息公开信息处理费收费通知2件，收取信息处理费1件、共1700元。"
    assert fee_statement([a, b], 2024).text == "2024年度未收取政府信息公开信息处理费。"


@pytest.mark.parametrize("call", [lambda: fee_by_pages(0), lambda: fee_by_pieces(0), lambda: piece_rate(0),
                                  lambda: fee_by_pages(10**9)])
def test_nonsense_units_are_refused(call) -> None:
    with pytest.raises(LedgerError):
        call()
