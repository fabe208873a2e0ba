"""A request is a list of dated events: what is refused, what is kept, and the plain-dict form."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from gongkai.errors import GongkaiError
from gongkai.ledger import (
    APPLICANT_KINDS,
    OUTCOMES,
    REMEDIES,
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Delivered,
    Extended,
    FeeNotice,
    FeeNotPaid,
    FeePaid,
    LedgerError,
    LongerPeriod,
    NoCorrection,
    ReasonsAsked,
    Received,
    Request,
    Withdrawn,
    event_from_dict,
    outcome_for,
)
from gongkai.ledger.catalogue import LEDGER_FORMAT

D = date.fromisoformat


def received(day: str = "2025-03-03", channel: str = "in_person") -> Received:
    return Received(D(day), channel=channel)


def test_outcomes_are_exactly_the_result_rows_of_table_three() -> None:
    spec = LEDGER_FORMAT.table("requests")
    assert tuple(OUTCOMES) == spec.result_rows
    assert set(APPLICANT_KINDS) == {c.key for c in spec.columns} - {"total"}
    # the grounds LAW.md names
    assert OUTCOMES["partial"].ground == "《中华人民共和国政府信息公开条例》第三十七条"
    assert OUTCOMES["denied.third_party"].ground.endswith("第十五条")  # type: ignore[union-attr]
    assert OUTCOMES["unavailable.needs_creation"].ground.endswith("第三十八条")  # type: ignore[union-attr]
    assert OUTCOMES["other.no_fee"].ground == "《政府信息公开信息处理费管理办法》"
    assert OUTCOMES["not_processed.confirmation"].ground is None
    assert "60日内依法申请行政复议" in REMEDIES and "6个月内依法向人民法院提起行政诉讼" in REMEDIES


@pytest.mark.parametrize(("text", "key"), [
    ("granted", "granted"), ("予以公开", "granted"), ("部分公开", "partial"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    ("不予公开：属于国家秘密", "denied.state_secret"), ("属于国家秘密", "denied.state_secret"),
    ("1.属于国家秘密", "denied.state_secret"), ("重复申请", "not_processed.duplicate"),
    ("其他处理：其他", "other.other"), ("本机关不掌握相关政府信息", "unavailable.not_held"),
])
def test_outcome_named_by_a_clerk(text: str, key: str) -> None:
    o = outcome_for(text)
    assert o is not None and o.key == key


@pytest.mark.parametrize("text", ["", "公开", "results_total", "new", "不予公开", "同意"])
def test_outcome_never_guessed(text: str) -> None:
    assert outcome_for(text) is None


def test_a_simple_request_closes_in_its_outcome_row() -> None:
    r = Request("2025-001", "natural_person", [received(), Decided(D("2025-03-20"), outcome="granted")])
    assert r.closed_on == D("2025-03-20") and r.outcome == "granted"
    assert r.ground == OUTCOMES["granted"].ground
    r.add(Delivered(D("2025-03-21"), how="邮寄"))
    assert r.closed_on == D("2025-03-20")
    assert not r.is_open_on(D("2025-03-20")) and r.is_open_on(D("2025-03-19"))


@pytest.mark.parametrize(("events", "message"), [
    ([Decided(D("2025-03-20"), outcome="granted")], "应先记录“收到申请”"),
    ([received(), Decided(D("2025-03-01"), outcome="granted")], "日期早于上一事件“收到申请”"),
    ([received(), Decided(D("2025-03-20"), outcome="approved")], "“approved”不是表三的办理结果"),
    ([received(), Decided(D("2025-03-20"), outcome="results_total")], "不是表三的办理结果"),
    ([received(), Decided(D("2025-03-20"), outcome="carried_forward")], "不是表三的办理结果"),
    ([received(), Decided(D("2025-03-20"), outcome="other.no_fee")], "请记录“逾期未缴费”事件"),
    ([received(), Decided(D("2025-03-20"), outcome="unavailable.unclear")], "须先有补正告知"),
    ([received(), Decided(D("2025-03-20"), outcome="not_processed.confirmation")], "请写明答复依据"),
    ([received(), received()], "已经记录过收到申请"),
    ([Received(D("2025-03-03"), channel="pigeon")], "未知的提交渠道“pigeon”"),
    ([Received(D("2025-03-03"), channel="letter", arrived=D("2025-03-04"))], "到达日期"),
    ([received(), Extended(D("2025-03-20"), days=10, approver="张主任", reason="材料多"),
      Extended(D("2025-03-25"), days=5, approver="张主任", reason="仍需时间")], "延长答复期限只能一次"),
    ([received(), Extended(D("2025-03-20"), days=21, approver="张主任", reason="材料多")], "最长不得超过20个工作日"),
    ([received(), Extended(D("2025-03-20"), days=10, approver="", reason="材料多")], "批准延期的负责人"),
    ([received(), Extended(D("2025-03-20"), days=0, approver="张", reason="x")], "正整数个工作日"),
    ([received(), Corrected(D("2025-03-05"))], "没有等待补正的告知"),
    ([received(), NoCorrection(D("2025-03-05"))], "没有等待补正的告知"),
    ([received(), CorrectionRequested(D("2025-03-04"), days=10), Corrected(D("2025-03-06")),
      CorrectionRequested(D("2025-03-07"), days=5)], "补正只能告知一次"),
    ([received(), ConsultationAnswered(D("2025-03-05"))], "没有等待答复的征求意见"),
    ([received(), ConsultationStarted(D("2025-03-04"), party="third_party", whom="甲公司"),
      ConsultationStarted(D("2025-03-04"), party="agency", whom="某局"),
      ConsultationAnswered(D("2025-03-06"))], "请写明答复方"),
    ([received(), ConsultationStarted(D("2025-03-04"), party="neighbour")], "征求意见对象应为"),
    ([received(), FeeNotice(D("2025-03-05"), method="page", amount=Decimal(10), pages=31),
      FeeNotice(D("2025-03-06"), method="piece", amount=Decimal(100), position=11)], "只能按一种方式收费一次"),
    ([received(), FeeNotice(D("2025-03-05"), method="page", amount=Decimal(10))], "按量计收须写明页数"),
    ([received(), FeeNotice(D("2025-03-05"), method="both", amount=Decimal(10))], "收费方式应为"),
    ([received(), FeePaid(D("2025-03-05"))], "没有等待缴费的收费通知"),
    ([received(), LongerPeriod(D("2025-03-05"), until=D("2025-05-01"))], "应先要求申请人说明理由"),
    ([received(), ReasonsAsked(D("2025-03-04")), LongerPeriod(D("2025-03-05"), until=D("2025-03-05"))],
     "应晚于确定之日"),
    ([received(), Withdrawn(D("2025-03-05")), Decided(D("2025-03-06"), outcome="granted")], "不能再记录"),
    ([received(), Delivered(D("2025-03-05"))], "尚未作出答复"),
])
def test_impossible_or_unlawful_steps_are_refused(events: list, message: str) -> None:
    with pytest.raises(LedgerError) as e:
        Request("2025-007", "natural_person", events)
    assert message in str(e.value)
    assert str(e.value).startswith("申请2025-007：")
    assert isinstance(e.value, GongkaiError)
    # the same step refused on a recorded request changes nothing
    r = Request("2025-007", "natural_person", events[:-1])
    before, state = r.to_dict(), repr(r.state)
    with pytest.raises(LedgerError):
        r.add(events[-1])
    assert r.to_dict() == before and repr(r.state) == state


def test_a_refused_step_changes_nothing() -> None:
    r = Request("2025-008", "commercial", [received(), Extended(D("2025-03-20"), days=10, approver="张主任",
                                                                    reason="需调取档案")])
    before = r.to_dict()
    state = r.state
    with pytest.raises(LedgerError, match="只能一次"):
        r.add(Extended(D("2025-03-25"), days=5, approver="张主任", reason="再延"))
    with pytest.raises(LedgerError, match="早于上一事件"):
        r.add(Decided(D("2025-03-10"), outcome="granted"))
    assert r.to_dict() == before and r.state is state and r.closed_on is None


def test_a_future_date_is_refused_when_today_is_known() -> None:
    r = Request("2025-009", "natural_person", [received("2025-03-03")])
    with pytest.raises(LedgerError, match="日期晚于今天（2025年3月5日）"):
        r.add(Decided(D("2025-03-06"), outcome="granted"), today=D("2025-03-05"))
    with pytest.raises(LedgerError, match="日期晚于今天"):
        Request("x", "natural_person").add(received("2030-01-01"), today=D("2025-03-05"))


def test_history_keeps_what_the_law_forbids_for_the_rules_to_report() -> None:
    events = [received(), Extended(D("2025-03-20"), days=10, approver="张主任", reason="材料多"),
              Extended(D("2025-03-25"), days=25, approver="", reason=""),
              Decided(D("2025-05-20"), outcome="other.other")]
    r = Request("2024-100", "research", events, strict=False)
    assert len(r.state.extensions) == 2 and r.outcome == "other.other"
    # impossible things stay refused even for history
    with pytest.raises(LedgerError, match="早于上一事件"):
        Request("2024-101", "research", [received(), Decided(D("2025-01-01"), outcome="granted")], strict=False)


@pytest.mark.parametrize(("event", "outcome"), [
    (NoCorrection(D("2025-03-25")), "other.no_correction"),
    (Withdrawn(D("2025-03-25")), "other.other"),
])
def test_closing_events_stand_for_their_rows(event, outcome: str) -> None:
    r = Request("a", "legal_service", [received(), CorrectionRequested(D("2025-03-05"), days=10), event])
    assert r.outcome == outcome and r.closed_on == D("2025-03-25")


def test_fee_not_paid_closes_as_no_fee() -> None:
    r = Request("b", "natural_person", [received(), FeeNotice(D("2025-03-05"), method="page", amount=Decimal(700),
                                                              pages=100), FeeNotPaid(D("2025-04-10"))])
    assert r.outcome == "other.no_fee"


def test_bad_request_fields() -> None:
    with pytest.raises(LedgerError, match="申请编号不能为空"):
        Request(" ", "natural_person")
    with pytest.raises(LedgerError, match="申请人类型“person”不是表三的列"):
        Request("1", "person")
    with pytest.raises(LedgerError, match="申请人类型“total”"):
        Request("1", "total")


def _full() -> Request:
    return Request("2025-010", "social_welfare", [
        Received(D("2025-03-03"), channel="letter", arrived=D("2025-03-01")),
        CorrectionRequested(D("2025-03-05"), days=10, items="写明文件名称"),
        Corrected(D("2025-03-10")),
        ConsultationStarted(D("2025-03-11"), party="agency", whom="某局"),
        ConsultationAnswered(D("2025-03-20"), whom="某局"),
        Extended(D("2025-03-28"), days=15, approver="李主任", reason="需汇总多个部门材料"),
        FeeNotice(D("2025-03-31"), method="page", amount=Decimal("1700"), pages=150, served=D("2025-04-02")),
        FeePaid(D("2025-04-08")),
        ReasonsAsked(D("2025-04-09")),
        LongerPeriod(D("2025-04-10"), until=D("2025-06-30"), reason="数量大"),
        Decided(D("2025-06-20"), outcome="partial"),
        Delivered(D("2025-06-23"), how="电子邮件"),
    ], applicant="某协会", subject="2024年资助项目名单", ref="db:77")


def test_request_and_events_round_trip_through_plain_dicts() -> None:
    r = _full()
    d = r.to_dict()
    text = json.dumps(d, ensure_ascii=False)  # plain data, storable as is
    back = Request.from_dict(json.loads(text))
    assert back.to_dict() == d
    assert back.events == r.events
    assert d["events"][6] == {"type": "fee_notice", "date": "2025-03-31", "method": "page", "amount": "1700",
                              "pages": 150, "served": "2025-04-02"}
    assert back.outcome == "partial" and back.ref == "db:77"


@pytest.mark.parametrize(("raw", "message"), [
    ({"type": "teleported", "date": "2025-01-01"}, "未知的事件类型“teleported”"),
    ({"type": "decided", "date": "2025-02-30", "outcome": "granted"}, "“date”不是有效日期"),
    ({"type": "decided", "outcome": "granted"}, "缺少日期"),
    ({"type": "decided", "date": "2025-02-03", "outcome": "granted", "colour": "red"}, "没有这些项：colour"),
    ({"type": "extended", "date": "2025-02-03", "days": "ten"}, "“days”应为整数"),
    ({"type": "fee_notice", "date": "2025-02-03", "method": "page", "amount": "lots"}, "“amount”应为金额"),
    ("decided", "事件应为对象"),
])
def test_bad_event_dicts(raw: object, message: str) -> None:
    with pytest.raises(LedgerError, match=message):
        event_from_dict(raw)  # type: ignore[arg-type]


def test_bad_request_dict_names_the_event() -> None:
    raw = {"id": "2025-3", "applicant_kind": "natural_person",
           "events": [{"type": "received", "date": "2025-03-03", "channel": "online"},
                      {"type": "decided", "date": "2025-13-01", "outcome": "granted"}]}
    with pytest.raises(LedgerError, match="2025-3第2项事件"):
        Request.from_dict(raw)


@pytest.mark.parametrize(("channel", "dates", "receipt"), [
    ("in_person", {"submitted": "2025-03-03"}, "2025-03-03"),
    ("post", {"signed": "2025-03-04", "arrived": "2025-03-04"}, "2025-03-04"),
    ("letter", {"confirmed": "2025-03-05", "arrived": "2025-03-04"}, "2025-03-05"),
    ("online", {"confirmed": "2025-03-06", "arrived": "2025-03-01"}, "2025-03-06"),
    ("fax", {"confirmed": "2025-03-07"}, "2025-03-07"),
    ("email", {"confirmed": "2025-03-08"}, "2025-03-08"),
])
def test_receipt_date_by_article_31(channel: str, dates: dict[str, str], receipt: str) -> None:
    r = Received.on_channel(channel, **{k: D(v) for k, v in dates.items()})
    assert r.date == D(receipt) and r.channel == channel
    arrived = dates.get("arrived")
    assert r.arrived == (D(arrived) if arrived and arrived != receipt else None)


@pytest.mark.parametrize(("channel", "dates", "message"), [
    ("post", {"confirmed": "2025-03-04"}, "邮寄提交的申请须填写签收日期（条例第三十一条：以行政机关签收之日为收到申请之日）"),
    ("online", {"submitted": "2025-03-04"}, "网络提交的申请须填写确认日期"),
    ("in_person", {"submitted": "2025-03-04", "signed": "2025-03-04"}, "当面提交的申请不适用签收日期"),
    ("letter", {"confirmed": "2025-03-04", "arrived": "2025-03-05"}, "到达日期2025年3月5日晚于确认日期2025年3月4日"),
    ("pigeon", {"confirmed": "2025-03-04"}, "未知的提交渠道“pigeon”"),
])
def test_receipt_dates_that_do_not_fit_the_channel(channel: str, dates: dict[str, str], message: str) -> None:
    with pytest.raises(LedgerError, match=re.escape(message)):
        Received.on_channel(channel, **{k: D(v) for k, v in dates.items()})
