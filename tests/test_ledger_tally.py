"""The annual tables computed from cases: rows, columns, carry-over, drill-down, a Report others accept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import gongkai
from gongkai.ledger import (
    CorrectionRequested,
    Decided,
    FeeNotice,
    FeePaid,
    LedgerError,
    NoCorrection,
    Received,
    Request,
    Withdrawn,
)
from gongkai.ledger.records import Appeal, DecisionCount, FeeIncome, RegisteredDocument, Registers
from gongkai.ledger.tally import tally

D = date.fromisoformat


def req(rid: str, kind: str, day: str, *events) -> Request:
    return Request(rid, kind, [Received(D(day), channel="online"), *events])


def _cases() -> list[Request]:
    return [
        # open on 2024-12-31 → 2025 carried_over; closed in 2025 as granted
        req("24-9", "natural_person", "2024-12-20", Decided(D("2025-01-06"), outcome="granted")),
        # received and closed in 2024: not in 2025 at all
        req("24-1", "natural_person", "2024-03-01", Decided(D("2024-03-20"), outcome="granted")),
        # 2025 cases
        req("25-1", "commercial", "2025-02-03", Decided(D("2025-02-20"), outcome="partial")),
        req("25-2", "natural_person", "2025-03-03", Decided(D("2025-03-10"), outcome="denied.third_party")),
        req("25-3", "research", "2025-05-06", CorrectionRequested(D("2025-05-07"), days=10),
            NoCorrection(D("2025-05-30"))),
        req("25-4", "natural_person", "2025-06-02", Withdrawn(D("2025-06-05"))),
        req("25-5", "legal_service", "2025-07-01",
            FeeNotice(D("2025-07-03"), method="page", amount=Decimal(1700), pages=150), FeePaid(D("2025-07-08")),
            Decided(D("2025-07-20"), outcome="granted")),
        # still open on 2025-12-31 → carried_forward
        req("25-6", "natural_person", "2025-12-26"),
        req("25-7", "other_org", "2025-12-29", Decided(D("2026-01-05"), outcome="unavailable.not_held")),
        # received in 2026: not counted
        req("26-1", "natural_person", "2026-01-04"),
    ]


def test_table_three_from_cases() -> None:
    t = tally(_cases(), year=2025, agency="某县人民政府办公室", agency_kind="government_office")
    t3 = t.report.table("requests")
    assert t3.to_dict()["new"] == {"natural_person": 3, "commercial": 1, "research": 1, "social_welfare": 0,
                                   "legal_service": 1, "other_org": 1, "total": 7}
    assert t3.value("carried_over", "total") == 1 and t3.value("carried_over", "natural_person") == 1
    assert t3.value("granted", "natural_person") == 1 and t3.value("granted", "legal_service") == 1
    assert t3.value("granted", "total") == 2
    assert t3.value("partial", "commercial") == 1
    assert t3.value("denied.third_party", "natural_person") == 1
    assert t3.value("other.no_correction", "research") == 1
    assert t3.value("other.other", "natural_person") == 1
    assert t3.value("results_total", "total") == 6
    assert t3.value("carried_forward", "total") == 2
    assert t3.value("carried_forward", "other_org") == 1
    # drill-down: exactly the cases counted
    assert t.cases("requests", "carried_over", "natural_person") == ("24-9",)
    assert set(t.cases("requests", "granted", "total")) == {"24-9", "25-5"}
    assert set(t.cases("requests", "carried_forward", "total")) == {"25-6", "25-7"}
    assert len(t.cases("requests", "results_total", "total")) == 6
    assert t.cases("requests", "denied.state_secret", "total") == ()


def test_the_computed_report_is_one_the_checker_and_writers_accept() -> None:
    t = tally(_cases(), year=2025, agency="某县人民政府办公室", agency_kind="government_office",
              registers=Registers())
    r = t.report
    assert r.title == "某县人民政府办公室2025年政府信息公开工作年度报告"
    assert r.period == (D("2025-01-01"), D("2025-12-31"))
    result = gongkai.validate(r)
    assert not result.errors, [f.message for f in result.errors]
    assert not [f for f in result.findings if f.id.startswith(("t2", "t3", "t4", "text", "content"))]
    # the overview states the same numbers (text.E001 would say otherwise)
    assert "本年度新收政府信息公开申请7件，上年结转1件" in r.sections["overview"]
    assert r.sections["other"] == "2025年度发出政府信息公开信息处理费收费通知1件，收取信息处理费1件、共1700元。"
    back = gongkai.Report.from_json(r.to_json())
    assert back == r
    assert gongkai.render(r, "xlsx")[:2] == b"PK"


def test_carried_forward_becomes_next_years_carried_over() -> None:
    cases = _cases()
    y1, y2 = tally(cases, year=2025), tally(cases, year=2026)
    assert y1.report.table("requests").to_dict()["carried_forward"] == \
        y2.report.table("requests").to_dict()["carried_over"]
    assert set(y2.cases("requests", "carried_over", "total")) == {"25-6", "25-7"}


def test_table_four_from_appeals() -> None:
    appeals = [
        Appeal("F1", "review", D("2025-03-01"), D("2025-05-01"), "upheld", requests=("25-2",)),
        Appeal("F2", "review", D("2025-11-01")),                                   # pending at year end
        Appeal("F3", "suit_after_review", D("2025-06-01"), D("2026-02-01"), "corrected"),  # decided next year
        Appeal("S1", "suit_direct", D("2025-04-01"), D("2025-09-01"), "other"),
        Appeal("S0", "suit_direct", D("2024-04-01"), D("2025-09-01"), "corrected"),  # filed 2024: not counted
    ]
    t = tally([], year=2025, appeals=appeals)
    t4 = t.report.table("appeals").to_dict()
    assert t4["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert t4["suit_direct"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert t4["suit_after_review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert t.cases("appeals", "review", "total") == ("F1", "F2")
    assert "被申请行政复议2件、被提起行政诉讼2件" in t.report.sections["overview"]


def test_table_two_from_registers() -> None:
    reg = Registers(
        documents=[
            RegisteredDocument("d1", "rules", "某市物业管理办法", "某府令第3号", D("2019-05-01")),
            RegisteredDocument("d2", "rules", "某市旧办法", "某府令第1号", D("2015-01-01"), repealed=D("2025-06-30")),
            RegisteredDocument("d3", "normative_documents", "关于加强某事的通知", "某府规〔2025〕1号", D("2025-03-01")),
            RegisteredDocument("d4", "normative_documents", "关于某事的意见", "某府规〔2025〕2号", D("2025-12-31")),
            RegisteredDocument("d5", "normative_documents", "明年的文件", "某府规〔2026〕1号", D("2026-01-10")),
        ],
        decisions=[DecisionCount("L1", "licensing", 2025, 1, 12), DecisionCount("L2", "licensing", 2025, 2, 8),
                   DecisionCount("P1", "punishment", 2025, 3, 5), DecisionCount("L0", "licensing", 2024, 12, 99)],
        fees=[FeeIncome("f1", 2025, 1, Decimal("12.3456")), FeeIncome("f2", 2025, 7, Decimal("0.0044"))],
    )
    t = tally([], year=2025, registers=reg)
    t2 = t.report.table("proactive")
    assert t2.to_dict()["rules"] == {"issued": 0, "repealed": 1, "in_force": 1}
    assert t2.to_dict()["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 2}
    assert t2.value("licensing", "decisions") == 20 and t2.value("punishment", "decisions") == 5
    assert t2.value("coercion", "decisions") == 0
    assert t2.value("fees", "amount") == Decimal("12.3500")
    assert t.cases("proactive", "rules", "in_force") == ("d1",)
    assert t.cases("proactive", "licensing", "decisions") == ("L1", "L2")
    # without registers table 二 stays blank (unknown), never zero
    assert tally([], year=2025).report.table("proactive").value("rules", "issued") is None


def test_refusals() -> None:
    with pytest.raises(LedgerError, match="申请编号重复：25-1"):
        tally([req("25-1", "natural_person", "2025-01-02"), req("25-1", "commercial", "2025-01-03")], year=2025)
    with pytest.raises(LedgerError, match="2021年度及以后"):
        tally([], year=2020)
    with pytest.raises(LedgerError, match="审结日期和结果应同时填写"):
        Appeal("x", "review", D("2025-01-01"), D("2025-02-01"))
    with pytest.raises(LedgerError, match="废止日期"):
        RegisteredDocument("x", "rules", "某办法", "令1号", D("2025-01-01"), repealed=D("2024-01-01"))
