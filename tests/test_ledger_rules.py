"""Checker rules about the ledger: late replies, late 补正 notices, extensions, fees below the threshold."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongkai.cli import main
from gongkai.ledger import (
    Corrected,
    CorrectionRequested,
    Decided,
    Extended,
    FeeNotice,
    Received,
    Request,
)
from gongkai.ledger.layout import REQUESTS
from gongkai.ledger.rules import LEDGER_RULES, check_ledger
from gongkai.ledger.template import template_xlsx

D = date.fromisoformat
TODAY = D("2025-12-31")


def req(rid: str, day: str, *events, applicant: str | None = None, strict: bool = True) -> Request:
    return Request(rid, "natural_person", [Received(D(day), channel="in_person"), *events], applicant=applicant,
                   strict=strict, ref=f"第{rid}行")


def ids(findings) -> list[tuple[str, str]]:
    return [(f.id, f.message) for f in findings]


def test_a_reply_after_its_due_date() -> None:
    # received Mon 2025-03-03, due Mon 3/31 (see test_ledger_clock); replied Wed 4/2: 4/1, 4/2 → 2 days late
    late = req("1", "2025-03-03", Decided(D("2025-04-02"), outcome="granted"))
    on_time = req("2", "2025-03-03", Decided(D("2025-03-31"), outcome="granted"))
    open_late = req("3", "2025-03-03")
    out = check_ledger([late, on_time, open_late], today=D("2025-04-03"))
    assert ids(out) == [
        ("ledger.E001", "2025年4月2日作出答复，超过答复期限（2025年3月31日）2个工作日"),
        ("ledger.E001", "尚未答复，已超过答复期限（2025年3月31日）3个工作日"),
    ]
    f = out[0]
    assert f.severity == "error" and f.about == "document" and f.source == "第1行" and f.at.label == "申请1"
    assert f.hint and "延期" in f.hint
    assert f.line() == "第1行:申请1: ledger.E001 2025年4月2日作出答复，超过答复期限（2025年3月31日）2个工作日"


def test_a_correction_notice_after_seven_working_days() -> None:
    # received Mon 2025-06-09; the 7th working day is Wed 6/18; a notice on Thu 6/19 is the 8th
    r = req("4", "2025-06-09", CorrectionRequested(D("2025-06-19"), days=10), Corrected(D("2025-06-25")),
            Decided(D("2025-07-10"), outcome="granted"))
    in_time = req("5", "2025-06-09", CorrectionRequested(D("2025-06-18"), days=10))
    assert ids(check_ledger([r, in_time], today=TODAY)) == [
        ("ledger.E002", "2025年6月19日告知补正，是收到申请后的第8个工作日，超过7个工作日（应在2025年6月18日前）")]


def test_extensions_more_than_once_or_longer_than_twenty_days() -> None:
    twice = req("6", "2025-03-03", Extended(D("2025-03-20"), days=10, approver="张", reason="多"),
                Extended(D("2025-04-01"), days=10, approver="张", reason="多"), strict=False)
    long = req("7", "2025-03-03", Extended(D("2025-03-20"), days=25, approver="张", reason="多"), strict=False)
    fine = req("8", "2025-03-03", Extended(D("2025-03-20"), days=20, approver="张", reason="多"))
    out = check_ledger([twice, long, fine], today=D("2025-03-25"), select=["ledger.E003"])
    assert ids(out) == [("ledger.E003", "延期2次（2025年3月20日、2025年4月1日），延长答复期限只能一次"),
                        ("ledger.E003", "2025年3月20日延期25个工作日，超过20个工作日")]


def test_an_extension_after_the_twenty_days() -> None:
    # received Mon 2025-03-03: the 20th working day is Mon 3/31; an extension on Wed 4/2 comes two
    # working days (4/1, 4/2) after it; one on 3/31 is in time
    late = req("13", "2025-03-03", Extended(D("2025-04-02"), days=10, approver="张", reason="多"))
    in_time = req("14", "2025-03-03", Extended(D("2025-03-31"), days=10, approver="张", reason="多"))
    assert ids(check_ledger([late, in_time], today=D("2025-04-03"), select=["ledger.E005"])) == [
        ("ledger.E005", "2025年4月2日才延期，原答复期限（2025年3月31日）已届满2个工作日")]


def test_a_fee_below_the_threshold() -> None:
    pages_30 = req("9", "2025-03-03", FeeNotice(D("2025-03-05"), method="page", amount=Decimal(10), pages=30))
    pages_31 = req("10", "2025-03-03", FeeNotice(D("2025-03-05"), method="page", amount=Decimal(10), pages=31))
    pages_wrong = req("11", "2025-03-03", FeeNotice(D("2025-03-05"), method="page", amount=Decimal(1500), pages=150))
    # one applicant's March: the 3rd request charged (below 10), the 11th charged 100 (right), the 12th 200 (wrong)
    month = [req(f"m{i}", f"2025-03-{i + 2:02d}", applicant="王五") for i in range(1, 13)]
    month[2] = req("m3", "2025-03-05", FeeNotice(D("2025-03-06"), method="piece", amount=Decimal(100)),
                   applicant="王五")
    month[10] = req("m11", "2025-03-13", FeeNotice(D("2025-03-14"), method="piece", amount=Decimal(100)),
                    applicant="王五")
    month[11] = req("m12", "2025-03-14", FeeNotice(D("2025-03-17"), method="piece", amount=Decimal(200)),
                    applicant="王五")
    out = check_ledger([pages_30, pages_31, pages_wrong, *month], today=D("2025-03-20"), select=["ledger.E004", "ledger.W001"])
    assert ids(out) == [
        ("ledger.E004", "按量计收30页，未超过30页，不应收费（收费通知10元）"),
        ("ledger.W001", "收费通知1500元，按费办法应为1700元（按量计收（共150页）：第1—30页免费；第31—100页70页×10元＝700元；"
                        "第101—150页50页×20元＝1000元；合计1700元）"),
        ("ledger.E004", "申请人王五当月第3件申请，未超过10件，不应收费（收费通知100元）"),
        ("ledger.W001", "收费通知200元，按费办法应为100元（按件计收（当月第12件）：第12件1件×100元＝100元；合计100元）"),
    ]


def test_a_second_correction_notice() -> None:
    r = req("12", "2025-03-03", CorrectionRequested(D("2025-03-04"), days=5), Corrected(D("2025-03-06")),
            CorrectionRequested(D("2025-03-07"), days=5), strict=False)
    assert ids(check_ledger([r], today=TODAY, select=["ledger.W002"])) == [
        ("ledger.W002", "告知补正2次（2025年3月4日、2025年3月7日），补正应一次性告知")]


def test_every_rule_has_a_chinese_title_hint_and_doc() -> None:
    assert set(LEDGER_RULES) == {"ledger.E001", "ledger.E002", "ledger.E003", "ledger.E004", "ledger.E005",
                                 "ledger.W001", "ledger.W002"}
    for r in LEDGER_RULES.values():
        assert r.title and r.hint and ("条例" in r.doc or "办法" in r.doc)


def test_ledger_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = wb[REQUESTS.title]
    headers = [c.value for c in ws[1]]
    rows = [{"编号": "1", "申请人类型": "自然人", "渠道": "当面", "收到日期": D("2025-03-03"),
             "办理结果": "予以公开", "答复日期": D("2025-04-02")},
            {"编号": "2", "申请人类型": "自然人", "渠道": "当面", "收到日期": D("2025-03-03"),
             "办理结果": "予以公开", "答复日期": D("2025-03-31")}]
    for i, values in enumerate(rows, 2):
        for k, v in values.items():
            ws.cell(i, headers.index(k) + 1, v)
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    assert main(["ledger", "check", str(path), "--today", "2025-12-31"]) == 1
    cap = capsys.readouterr()
    assert f"{path}:依申请公开台账第2行:申请1: ledger.E001 2025年4月2日作出答复" in cap.out
    assert "发现 1 个错误，0 个警告" in cap.err
    rows[0]["答复日期"] = D("2025-03-28")
    for k, v in rows[0].items():
        ws.cell(2, headers.index(k) + 1, v)
    wb.save(path)
    assert main(["ledger", "check", str(path), "--today", "2025-12-31"]) == 0


def test_ledger_rules_are_in_the_checkers_registry(capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.check.catalogue import registry

    rules = registry()
    assert {k for k, r in rules.items() if r.scope == "ledger"} == set(LEDGER_RULES)
    assert rules["ledger.E001"].title == "超过答复期限" and "条例第三十三条" in rules["ledger.E001"].doc
    assert main(["rules", "ledger"]) == 0
    out = capsys.readouterr().out
    assert "ledger.E004" in out and "共 7 条规则" in out


def test_ignore_and_unknown_selection() -> None:
    from gongkai.check.engine import SelectionError

    late = req("1", "2025-03-03", Decided(D("2025-04-02"), outcome="granted"))
    assert check_ledger([late], today=TODAY, ignore=["ledger.E001"]) == []
    with pytest.raises(SelectionError):
        check_ledger([late], today=TODAY, select=["ledger.E999"])
