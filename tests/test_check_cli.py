"""``gongkai check`` / ``gongkai rules`` / ``gongkai deadline`` as a user runs them."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from check_support import SEED, busy, good
from gongkai.check import registry
from gongkai.cli import main


def _write_json(path: Path, report: object) -> Path:
    path.write_text(report.to_json(), encoding="utf-8")  # type: ignore[attr-defined]
    return path


def _corpus(tmp: Path) -> Path:
    d = tmp / "reports"
    d.mkdir()
    (d / "a-2021.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    bad = good("测试县财政局")
    bad.table("appeals").set("review", "upheld", 2)
    _write_json(d / "b-2021.json", bad)
    _write_json(d / "c-2021.json", busy(good("测试县人民政府", overview="本县围绕优化营商环境开展专项公开，重点公开"
                                                                 "行政许可办理流程和收费目录清单，在办事大厅设置查阅点，"
                                                                 "组织政策解读会三场，邀请企业代表参加并现场答疑。")))
    (d / "d-broken.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    (d / "notes.md").write_text("不是年报", encoding="utf-8")  # not a report extension: skipped in a folder
    return d


def test_batch_with_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _corpus(tmp_path)
    out_json = tmp_path / "out.json"
    rc = main(["check", "-j", "1", "--no-hints", str(d), "--json", str(out_json)])
    out = capsys.readouterr().out
    assert rc == 1
    assert f"{d / 'd-broken.docx'}: 无法读取：文件像是 Word/Excel 文件，但已损坏，无法打开" in out
    assert (f"{d / 'b-2021.json'}:表四/行政复议: t4.E001 表四“行政复议”：总计 0 ≠ 结果维持 2 + 结果纠正 0 + "
            "其他结果 0 + 尚未审结 0") in out
    assert f"{d / 'notes.md'}: 跳过：不是可读取的年报格式" in out
    assert out.strip().splitlines()[-1] == "发现 1 个错误，1 个警告；1 个文件无法读取；跳过 1 个不是年报格式的文件"
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["summary"]["reports"] == 3
    assert data["summary"]["error"] == 1 and data["summary"]["unreadable"] == 1
    assert [(r["source"], r["unreadable"]) for r in data["reports"] if r["unreadable"]] == [
        (str(d / "d-broken.docx"), "文件像是 Word/Excel 文件，但已损坏，无法打开")]
    assert sorted(f["id"] for r in data["reports"] for f in r["findings"]) == ["content.W002", "t4.E001"]
    assert data["skipped"] == [{"source": str(d / "notes.md"), "reason": "不是可读取的年报格式（可读取："
                                ".docx、.htm、.html、.json、.pdf、.shtml、.txt、.xlsx）"}]


def test_check_json_is_the_check_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``gongkai check --json`` writes ``CheckResult.to_dict()`` of the same run: one document."""
    import gongkai

    d = _corpus(tmp_path)
    extra = tmp_path / "reports" / "e-2022.json"
    nxt = good("测试县财政局", 2022)
    nxt.table("requests").set("carried_over", "total", 5)  # does not follow on from 2021: across-report
    _write_json(extra, nxt)
    out_json = tmp_path / "out.json"
    main(["check", "-j", "2", str(d), "--json", str(out_json)])
    capsys.readouterr()
    written = json.loads(out_json.read_text(encoding="utf-8"))
    expected = gongkai.check_files([d], workers=1).result().to_dict()
    assert written == json.loads(json.dumps(expected, ensure_ascii=False, default=str))
    assert any(f["id"].startswith("xyear") for r in written["reports"] for f in r["findings"])


def test_parallel_run_gives_the_same_results_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _corpus(tmp_path)
    main(["check", "-j", "1", str(d)])
    serial = capsys.readouterr().out
    main(["check", "-j", "2", str(d)])
    assert capsys.readouterr().out == serial


def test_single_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.4 garbage")
    assert main(["check", str(p)]) == 2
    assert "无法读取" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "missing.txt")]) == 2
    assert "文件不存在" in capsys.readouterr().out


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes()), encoding="utf-8"))
    assert main(["check", "-"]) == 0
    assert "<标准输入>:五、存在的主要问题及改进情况: content.W002" in capsys.readouterr().out


def test_xlsx_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    d = _corpus(tmp_path)
    x, h = tmp_path / "out.xlsx", tmp_path / "out.html"
    main(["check", "-j", "1", str(d), "--xlsx", str(x), "--html", str(h)])
    capsys.readouterr()
    wb = load_workbook(x)
    assert wb.sheetnames == ["问题清单", "读取提示", "报告清单", "机关汇总", "规则汇总", "跳过的文件"]
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "机关", "年度", "规则", "级别")
    assert ws.auto_filter.ref == f"A1:K{len(rows)}"
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    # the file name column shows the longest name whole (CJK characters take two columns)
    longest = max(len(str(r[0])) for r in rows[1:])
    assert ws.column_dimensions["A"].width >= longest
    reports = list(wb["报告清单"].iter_rows(values_only=True))
    assert [r[3] for r in reports[1:]] == ["有警告", "有错误", "通过", "无法读取"]
    assert sorted(r[3] for r in rows[1:]) == ["content.W002", "read", "t4.E001"]
    t4 = next(r for r in rows[1:] if r[3] == "t4.E001")
    assert t4[1:3] == ("测试县财政局", 2021) and t4[4] == "错误"
    agencies = {r[0]: r[1:] for r in wb["机关汇总"].iter_rows(min_row=2, values_only=True)}
    assert agencies["测试县财政局"] == (1, 1, 0, 0, 0)
    assert agencies["方正县会发镇人民政府"] == (1, 0, 1, 0, 0)
    page = h.read_text(encoding="utf-8")
    assert page.count("<svg") >= 3 and "<script" not in page and "http" not in page.split("<body>")[1]
    assert "t4.E001 复议、诉讼总计等于各结果之和" in page
    # a list of the reports with their status, each linking to its findings
    assert f'<a href="#r1">{d / "b-2021.json"}</a>' in page and 'id="r1"' in page
    assert '<td class="st-有错误">有错误</td>' in page and 'class="sev-error"' in page


def test_select_ignore_and_bad_selection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _corpus(tmp_path)
    assert main(["check", "-j", "1", "--ignore", "t4", str(d / "b-2021.json")]) == 0
    assert "t4.E001" not in capsys.readouterr().out
    assert main(["check", "--select", "content", str(d / "b-2021.json")]) == 0
    assert main(["check", "--select", "t9", str(d / "b-2021.json")]) == 2
    assert "“t9”不匹配任何规则" in capsys.readouterr().err


def test_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    d = _corpus(tmp_path)
    cfg = tmp_path / "gongkai.toml"
    cfg.write_text('ignore = ["arithmetic"]\n[deadlines.jurisdictions."方正县"]\ngovernment = "01-14"\n',
                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-hints", str(d / "b-2021.json"), str(d / "a-2021.txt")]) == 1
    out = capsys.readouterr().out
    assert "t4.E001" not in out
    # the seed was published 2022-01-20; the local rule says 1月14日 (a Friday)
    # (a township: no township rule is set, so the government's applies)
    assert ("time.E001 发布日期 2022年1月20日，晚于乡镇、街道年报的公布期限 2022年1月14日（“方正县”的本地规定；"
            "按名称推断为乡镇人民政府、街道办事处）") in out
    (tmp_path / "gongkai.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.gongkai]\nselect = ["time"]\n', encoding="utf-8")
    assert main(["check", str(d / "b-2021.json")]) == 0
    cfg.write_text("select = [", encoding="utf-8")
    assert main(["check", "--config", str(cfg), str(d / "b-2021.json")]) == 2
    assert "设置文件不是有效的 TOML" in capsys.readouterr().err


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rid in registry():
        assert rid in out
    assert f"共 {len(registry())} 条规则" in out
    assert main(["rules", "t3.E001"]) == 0
    out = capsys.readouterr().out
    assert "t3.E001  申请数量收支平衡" in out and "级别：错误" in out
    assert "示例：\n  t3.E001 表三“总计”列：新收 12 + 上年结转 3 ≠ 办理结果总计 13 + 结转下年度 1" in out
    assert main(["rules", "copying"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["xyear.W002    警告  正文与本机关上年报告雷同",
                                                      "xagency.W001  警告  正文与其他机关报告雷同"]


def test_deadline_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["deadline", "2025-09-26"]) == 0
    assert capsys.readouterr().out.strip() == "2025-10-30"
    assert main(["deadline", "2026-12-15", "--days", "20"]) == 0
    assert capsys.readouterr().out.strip() == (
        "2027-01-13  暂定：2027年的放假安排尚未载入，按周末和固定日期的法定节日推算")
    assert main(["deadline", "2026-12-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["provisional"] is True
    assert main(["deadline", "2025-02-30"]) == 2
    assert "日期“2025-02-30”应为 YYYY-MM-DD 格式" in capsys.readouterr().err


def test_a_file_that_takes_too_long_is_reported_and_the_run_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that hangs on one file (simulated: it sleeps far past the limit) costs that file
    only; the other reports are checked."""
    import time

    from gongkai.check import batch

    real = batch.read_report

    def slow(label: str, src: str | bytes) -> object:
        if "slow" in label:
            time.sleep(60)
        return real(label, src)

    monkeypatch.setattr(batch, "read_report", slow)
    monkeypatch.setattr(batch, "FILE_SECONDS", 1)
    (tmp_path / "a-slow.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b-seed.txt").write_bytes(SEED.read_bytes())
    rc = main(["check", "-j", "1", "--no-hints", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1  # a file could not be read
    assert f"{tmp_path / 'a-slow.txt'}: 无法读取：读取超过 1 秒仍未完成，已跳过此文件" in out
    assert out.strip().splitlines()[-1] == "发现 0 个错误，1 个警告；1 个文件无法读取"
