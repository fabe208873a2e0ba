"""The spreadsheet bridge: the template, a filled 台账 read back, bad rows named, the CLI round trip."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import gongkai
from gongkai.cli import main
from gongkai.ledger import OUTCOMES, Request
from gongkai.ledger.catalogue import APPLICANT_KINDS, CHANNELS, CONSULTED
from gongkai.ledger.events import FEE_METHODS
from gongkai.ledger.generate import random_appeals, random_requests
from gongkai.ledger.layout import APPEALS, DOCUMENTS, MONTHLY, REQUESTS, SHEETS, WITHDRAWN
from gongkai.ledger.records import APPEAL_KINDS, APPEAL_RESULTS, Appeal
from gongkai.ledger.sheet import read_ledger
from gongkai.ledger.template import template_xlsx

D = date.fromisoformat


def _workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_xlsx()))


def _put(ws, row: int, values: dict[str, object]) -> None:
    headers = [c.value for c in ws[1]]
    for k, v in values.items():
        ws.cell(row, headers.index(k) + 1, v)


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def test_template_has_every_sheet_header_list_and_the_instructions() -> None:
    data = template_xlsx()
    assert data == template_xlsx()                      # deterministic
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [s.title for s in SHEETS] + ["填写说明", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    for sheet in SHEETS:
        ws = wb[sheet.title]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        choice_cols = [i for i, c in enumerate(sheet.columns, 1) if c.kind == "choice"]
        assert len(lists) == len(choice_cols)
    # the outcome drop-down lists exactly the table 三 rows, plus withdrawal
    opts = wb["选项"]
    col = next(c for c in opts[1] if c.value == "依申请公开台账/办理结果").column
    choices = [opts.cell(r, col).value for r in range(2, opts.max_row + 1) if opts.cell(r, col).value]
    assert choices == [o.label for o in OUTCOMES.values()] + [WITHDRAWN]
    guide = "\n".join(str(c.value or "") for c in wb["填写说明"]["A"])
    assert "条例第三十一条" in guide and "YYYY-MM-DD" in guide
    assert all(f"  {c.header}" in guide for s in SHEETS for c in s.columns)


def _row_for(r: Request) -> dict[str, object]:
    """A request written into the sheet the way a clerk fills it in."""
    st = r.state
    assert st.received is not None
    row: dict[str, object] = {"编号": r.id, "申请人类型": APPLICANT_KINDS[r.applicant_kind], "申请人": r.applicant,
                              "渠道": CHANNELS[st.received.channel].label, "收到日期": st.received.date}
    if st.corrections:
        row.update({"补正告知日期": st.corrections[0].date, "补正期限（工作日）": st.corrections[0].days})
    if st.corrected:
        row["收到补正日期"] = st.corrected.date
    if st.consultations:
        c = st.consultations[0]
        row.update({"征求意见日期": c.started.date, "征求意见对象": CONSULTED[c.started.party]})
        if c.answered:
            row["收到意见日期"] = c.answered.date.isoformat()          # a date typed as text
    if st.extensions:
        e = st.extensions[0]
        row.update({"延期日期": e.date, "延期工作日数": e.days, "延期批准人": e.approver, "延期理由": e.reason})
    if st.fee:
        row.update({"收费方式": FEE_METHODS[st.fee.method], "收费页数": st.fee.pages,
                    "收费金额（元）": float(st.fee.amount), "收费通知日期": st.fee.date})
    if st.fee_paid:
        row["缴费日期"] = st.fee_paid.date
    if st.closing is not None:
        row["办理结果"] = WITHDRAWN if st.closing.type == "withdrawn" else OUTCOMES[r.outcome or ""].label
        row["答复日期"] = st.closing.date
        if st.closing.type == "decided" and getattr(st.closing, "ground", None):
            row["答复依据"] = st.closing.ground  # type: ignore[attr-defined]
    if st.delivered:
        row["送达日期"] = st.delivered.date
    return row


def _fill(n: int, seed: int = 11) -> tuple[openpyxl.Workbook, list[Request], list[Appeal]]:
    rng = random.Random(seed)
    reqs = random_requests(rng, n, first=D("2024-11-01"), last=D("2025-12-31"), today=D("2026-01-15"))
    appeals = random_appeals(rng, reqs, rate=0.05, today=D("2026-01-15"))
    wb = _workbook()
    for i, r in enumerate(reqs, 2):
        _put(wb[REQUESTS.title], i, _row_for(r))
    for i, a in enumerate(appeals, 2):
        values: dict[str, object] = {"编号": a.id, "类别": APPEAL_KINDS[a.kind], "收到日期": a.filed,
                                     "涉及申请编号": "、".join(a.requests)}
        if a.decided:
            values.update({"审结日期": a.decided, "结果": APPEAL_RESULTS[a.result or ""]})
        _put(wb[APPEALS.title], i, values)
    docs = wb[DOCUMENTS.title]
    _put(docs, 2, {"类别": "规章", "名称": "某市物业管理办法", "文号": "某府令第3号", "印发日期": D("2019-05-01")})
    _put(docs, 3, {"类别": "行政规范性文件", "名称": "关于某事的通知", "文号": "某府规〔2025〕1号", "印发日期": "2025-03-01"})
    monthly = wb[MONTHLY.title]
    for m in range(1, 13):
        _put(monthly, m + 1, {"月份": f"2025-{m:02d}", "行政许可": 10 + m, "行政处罚": m, "行政强制": 0,
                              "行政事业性收费（万元）": 0.25})
    return wb, reqs, appeals


def test_a_filled_ledger_reads_back_as_the_same_cases(tmp_path: Path) -> None:
    wb, reqs, appeals = _fill(200)
    book = read_ledger(_save(wb, tmp_path / "台账.xlsx"))
    assert book.problems == []
    assert [r.id for r in book.requests] == [r.id for r in reqs]
    for got, want in zip(book.requests, reqs, strict=True):
        assert got.events == want.events, want.id
        assert (got.applicant_kind, got.applicant, got.outcome) == (want.applicant_kind, want.applicant, want.outcome)
    assert [a.to_dict() | {"ref": None} for a in book.appeals] == [a.to_dict() | {"ref": None} for a in appeals]
    assert len(book.registers.documents) == 2 and len(book.registers.decisions) == 36
    assert sum(f.amount for f in book.registers.fees) == Decimal("3.00")
    assert book.rows[reqs[0].id] == 2 and book.requests[0].ref == "依申请公开台账第2行"


def test_template_round_trip_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "模板.xlsx"
    assert main(["ledger", "template", "-o", str(template)]) == 0
    assert template.read_bytes() == template_xlsx()
    # a script fills 200 rows into the template
    wb = openpyxl.load_workbook(template)
    _, reqs, appeals = _fill(200)
    for i, r in enumerate(reqs, 2):
        _put(wb[REQUESTS.title], i, _row_for(r))
    for i, a in enumerate(appeals, 2):
        values: dict[str, object] = {"编号": a.id, "类别": APPEAL_KINDS[a.kind], "收到日期": a.filed}
        if a.decided:
            values.update({"审结日期": a.decided, "结果": APPEAL_RESULTS[a.result or ""]})
        _put(wb[APPEALS.title], i, values)
    sheet = _save(wb, tmp_path / "台账.xlsx")
    out, cases = tmp_path / "2025.json", tmp_path / "cases.json"
    assert main(["ledger", "tally", str(sheet), "--agency", "某县人民政府办公室", "--year", "2025",
                 "--kind", "government_office", "-o", str(out), "--cases", str(cases)]) == 0
    err = capsys.readouterr().err
    assert "已统计2025年度" in err
    report = gongkai.Report.from_json(out.read_text(encoding="utf-8"))
    t3 = report.table("requests")
    counted = [r for r in reqs if r.received_on <= D("2025-12-31") and (r.closed_on is None or r.closed_on >= D("2025-01-01"))]
    assert t3.value("new", "total") + t3.value("carried_over", "total") == len(counted)  # type: ignore[operator]
    drill = json.loads(cases.read_text(encoding="utf-8"))
    assert sorted(drill["requests.results_total.total"] + drill.get("requests.carried_forward.total", [])) == \
        sorted(r.id for r in counted)
    # check gives no errors (in a fresh process, as a user would run it)
    proc = subprocess.run([sys.executable, "-m", "gongkai", "check", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "发现 0 个错误" in proc.stderr + proc.stdout


def test_bad_rows_are_each_named_and_nothing_is_counted(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    wb, _, _ = _fill(5)
    ws = wb[REQUESTS.title]
    bad = {
        8: {"编号": "B1", "申请人类型": "自然人", "渠道": "网络", "收到日期": "2025-02-30"},
        9: {"编号": "B2", "申请人类型": None, "渠道": "网络", "收到日期": D("2025-03-03")},
        10: {"编号": "B3", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03"),
             "办理结果": "同意公开", "答复日期": D("2025-03-10")},
        11: {"编号": "B4", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03"),
             "办理结果": "予以公开", "答复日期": D("2025-03-01")},
        12: {"编号": "B5", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03"), "办理结果": "予以公开"},
        13: {"编号": "B6", "申请人类型": "自然人", "渠道": "飞鸽", "收到日期": D("2025-03-03")},
        14: {"编号": "B1x", "申请人类型": "自然人", "渠道": "网络", "收到日期": 45000},
        15: {"编号": "B7", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03"),
             "收到补正日期": D("2025-03-05")},
        16: {"编号": "B8", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03"),
             "延期日期": D("2025-03-10"), "延期工作日数": "十"},
        17: {"编号": "0001", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-03-03")},
    }
    for row, values in bad.items():
        _put(ws, row, values)
    _put(wb[APPEALS.title], 30, {"编号": "X1", "类别": "行政复议", "收到日期": D("2025-05-01"), "结果": "结果维持"})
    _put(wb[APPEALS.title], 31, {"编号": "X2", "类别": "行政复议", "收到日期": D("2025-05-01"), "涉及申请编号": "0002、9999"})
    _put(wb[MONTHLY.title], 20, {"月份": "2025年13月", "行政许可": 1})
    path = _save(wb, tmp_path / "坏台账.xlsx")
    book = read_ledger(path)
    lines = [p.line() for p in book.problems]
    assert lines == [
        "“依申请公开台账”第8行：“收到日期”“2025-02-30”不是存在的日期",
        "“依申请公开台账”第9行：缺少“申请人类型”",
        "“依申请公开台账”第10行：“办理结果”为“同意公开”，不是表三的办理结果（见下拉列表）",
        "“依申请公开台账”第11行：“答复日期”2025-03-01早于“收到日期”2025-03-03",
        "“依申请公开台账”第12行：填写了“办理结果”，但缺少“答复日期”",
        "“依申请公开台账”第13行：“渠道”为“飞鸽”，不是可选的值（可选：当面、邮寄、平常信函、网络、传真、电子邮件）",
        "“依申请公开台账”第14行：“收到日期”是数字 45000，不是日期（请写成 YYYY-MM-DD，或把单元格设为日期格式）",
        "“依申请公开台账”第15行：填写了“收到补正日期”，但缺少“补正告知日期”",
        "“依申请公开台账”第16行：“延期工作日数”应为整数：十",
        "“依申请公开台账”第17行：编号“0001”与第2行重复",
        "“行政复议和行政诉讼”第30行：填写了“结果”，但缺少“审结日期”",
        "“行政复议和行政诉讼”第31行：涉及申请编号“9999”在“依申请公开台账”中找不到（或该行填写有误）",
        "“处理决定和收费”第20行：“月份”“2025年13月”应写成 YYYY-MM（如 2025-03）",
    ]
    assert main(["ledger", "tally", str(path), "--agency", "某局", "--year", "2025", "-o",
                 str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert "第8行" in err and "第17行" in err and "台账有 13 处填写错误" in err
    assert not (tmp_path / "out.json").exists()


def test_not_a_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "x.xlsx"
    text.write_text("不是表格", encoding="utf-8")
    assert main(["ledger", "due", str(text)]) == 2
    assert "不是 Excel（.xlsx）文件" in capsys.readouterr().err
    assert main(["ledger", "due", str(tmp_path / "无.xlsx")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    other = openpyxl.Workbook()
    other.active.title = "别的表"  # type: ignore[union-attr]
    other.save(tmp_path / "other.xlsx")
    book = read_ledger(tmp_path / "other.xlsx")
    assert [p.line() for p in book.problems] == ["“依申请公开台账”：找不到这张工作表（请用 gongkai ledger template 生成的模板）"]


def test_due_lists_open_requests_with_working(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = _workbook()
    ws = wb[REQUESTS.title]
    # received Fri 2025-09-26 (due 2025-10-30, see test_ledger_clock); Mon 2025-09-01 (due 9/29:
    # 9/2–5 (4) 9/8–12 (9) 9/15–19 (14) 9/22–26 (19) Sun 9/28 (20, 调休)); one closed
    _put(ws, 2, {"编号": "A", "申请人类型": "自然人", "渠道": "网络", "收到日期": D("2025-09-26")})
    _put(ws, 3, {"编号": "B", "申请人类型": "商业企业", "渠道": "当面", "收到日期": D("2025-09-01")})
    _put(ws, 4, {"编号": "C", "申请人类型": "自然人", "渠道": "当面", "收到日期": D("2025-09-01"),
                 "办理结果": "予以公开", "答复日期": D("2025-09-10")})
    path = _save(wb, tmp_path / "台账.xlsx")
    assert main(["ledger", "due", str(path), "--today", "2025-10-09"]) == 0
    out = capsys.readouterr().out.splitlines()
    # overdue by the working days after 9/28 up to 10/9: 9/29, 9/30 (10/1–10/8 off), 10/9 = 3
    assert out[0].startswith("B\t已逾期\t答复期限 2025年9月28日（周日）\t已逾期3个工作日\t第3行")
    assert out[1].startswith("A\t办理中\t答复期限 2025年10月30日（周四）\t尚余16个工作日")
    assert len(out) == 2
    assert main(["ledger", "due", str(path), "--today", "2025-10-09", "--json", "--explain"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["request"] for r in data["requests"]] == ["B", "A"]
    assert any("第20个工作日为2025年10月30日" in s for s in data["requests"][1]["explanation"])


def test_fee_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "fee", "--pieces", "45"]) == 0
    assert capsys.readouterr().out.strip().endswith("合计5500元")
    assert main(["ledger", "fee", "--pages", "150"]) == 0
    assert capsys.readouterr().out.strip().endswith("合计1700元")
    assert main(["ledger", "fee", "--pages", "0"]) == 2
    assert "页数应为正整数" in capsys.readouterr().err


def test_ledger_without_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger"]) == 2
    assert "请指定子命令" in capsys.readouterr().err


JUNK: list[object] = [None, "", " ", "？？", "2025-13-45", "2025/2/29", "1900-01-01", "9999-12-31", -5, 0, 3.7, 1e308,
                      True, "x" * 5000, "=SUM(A1:A2)", "予以公开", "自然人", "网络", D("2025-03-03"), "按量计收", "二十",
                      "2025年3月3日", "\u3000", "0001", "行政复议", "2025-03"]


def test_junk_in_any_cell_is_a_listed_problem_never_a_crash(tmp_path: Path) -> None:
    rng = random.Random(5)
    wb, _, _ = _fill(30)
    for sheet in SHEETS:
        ws = wb[sheet.title]
        for row in range(2, 40):
            for col in range(1, len(sheet.columns) + 1):
                if rng.random() < 0.3:
                    ws.cell(row, col, rng.choice(JUNK))
    path = _save(wb, tmp_path / "乱.xlsx")
    book = read_ledger(path)            # any exception here fails the test
    assert book.problems
    assert all(p.row >= 1 and p.message for p in book.problems)
    proc = subprocess.run([sys.executable, "-m", "gongkai", "ledger", "tally", str(path), "--agency", "某局",
                           "--year", "2025", "-o", str(tmp_path / "o.json")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 2 and "内部错误" not in proc.stderr and "Traceback" not in proc.stderr
    assert "处填写错误" in proc.stderr
