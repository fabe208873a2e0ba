"""The seed report (a real township report, all cells 0) through the reader and the checker.

The positions of the cells in the seed text are found here by reading the text layout (one cell
per line after each row label), not from the reader's provenance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from check_support import SEED
from gongkai.cli import main
from gongkai.formats import get_format

F = get_format("2021")
REQ, APP = F.table("requests"), F.table("appeals")
TEXT = SEED.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def _requests_lines() -> dict[tuple[str, str], int]:
    start = next(i for i, line in enumerate(LINES) if line.strip() == "收到和处理政府信息公开申请情况")
    out = {}
    for row in REQ.rows:
        idx = next(i for i in range(start, len(LINES)) if LINES[i].strip() == row.label)
        for j, col in enumerate(REQ.columns):
            assert LINES[idx + 1 + j].strip() == "0"
            out[(row.key, col.key)] = idx + 1 + j
    return out


def _appeals_lines() -> dict[tuple[str, str], int]:
    end = next(i for i, line in enumerate(LINES) if line.startswith("五、"))
    zeros = [i for i in range(end - 1, 0, -1) if LINES[i].strip() == "0"][:15][::-1]
    assert len(zeros) == 15
    keys = [(r.key, c.key) for r in APP.rows for c in APP.columns]
    return dict(zip(keys, zeros, strict=True))


REQ_LINES = _requests_lines()
APP_LINES = _appeals_lines()


def test_seed_reads_as_the_2021_township_report() -> None:
    r = gongkai.parse(SEED)
    assert (r.agency, r.year, r.format.id) == ("方正县会发镇人民政府", 2021, "2021")


def test_seed_has_no_errors() -> None:
    res = gongkai.validate(gongkai.parse(SEED))
    assert res.errors == []
    assert res.valid
    # by reading the seed: 一（五） mentions 考核, nothing mentions 社会评议 or 责任追究
    assert [(f.id, f.message) for f in res.findings] == [
        ("content.W002", "人民政府年报未写明 社会评议、责任追究结果 情况（条例第五十条；按名称推断为乡镇人民政府、街道办事处）")]


def test_seed_cli_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("发现 0 个错误，1 个警告")


def _row_name(row: str) -> str:
    r = REQ.row(row)
    return f"{r.group}{r.label}" if r.group and r.group.startswith("（") else r.label


def _expected_requests(row: str, col: str, v: int) -> list[str]:
    """Messages the three table 三 identities must give when (row, col) alone is v, all else 0."""
    col_label = REQ.column(col).label
    out = []
    vals = {k: (v if k == row else 0) for k in ("new", "carried_over", "results_total", "carried_forward")}
    if row in vals:
        out.append(f"t3.E001 表三“{col_label}”列：新收 {vals['new']} + 上年结转 {vals['carried_over']} ≠ "
                   f"办理结果总计 {vals['results_total']} + 结转下年度 {vals['carried_forward']}")
    if REQ.row(row).result:
        out.append(f"t3.E002 表三“{col_label}”列：（七）总计 0 ≠ 各项之和 {v}（共21项，其中{_row_name(row)} {v}）")
    if row == "results_total":
        out.append(f"t3.E002 表三“{col_label}”列：（七）总计 {v} ≠ 各项之和 0（共21项）")
    if col == "total":
        out.append(f"t3.E003 表三“{_row_name(row)}”行：总计 {v} ≠ 各项之和 0（共6项）")
    else:
        out.append(f"t3.E003 表三“{_row_name(row)}”行：总计 0 ≠ 各项之和 {v}（共6项，其中{col_label} {v}）")
    return out


def _expected_appeals(row: str, col: str, v: int) -> list[str]:
    r = APP.row(row)
    label = f"{r.group}·{r.label}" if r.group else r.label
    parts = [f"{APP.column(c).label} {v if c == col else 0}" for c in ("upheld", "corrected", "other", "pending")]
    total = v if col == "total" else 0
    return [f"t4.E001 表四“{label}”：总计 {total} ≠ " + " + ".join(parts)]


def _edited(line_no: int, value: str) -> str:
    lines = list(LINES)
    lines[line_no] = lines[line_no].replace("0", value)
    return "\n".join(lines)


@pytest.mark.parametrize("cell", sorted(REQ_LINES), ids=lambda c: f"{c[0]}/{c[1]}")
def test_changing_a_table3_number_is_an_error(cell: tuple[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "2021年度报告.txt"
    path.write_text(_edited(REQ_LINES[cell], "7"), encoding="utf-8")
    assert main(["check", "--select", "t3,t4", str(path)]) == 1
    out = capsys.readouterr().out
    for msg in _expected_requests(*cell, 7):
        assert msg in out


@pytest.mark.parametrize("cell", sorted(APP_LINES), ids=lambda c: f"{c[0]}/{c[1]}")
def test_changing_a_table4_number_is_an_error(cell: tuple[str, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "2021年度报告.txt"
    path.write_text(_edited(APP_LINES[cell], "7"), encoding="utf-8")
    assert main(["check", "--select", "t3,t4", str(path)]) == 1
    out = capsys.readouterr().out
    for msg in _expected_appeals(*cell, 7):
        assert msg in out


def _synthetic_2022() -> str:
    """The seed moved to 2022 with 3 requests carried over from 2021 (and granted), identities holding."""
    text = TEXT.replace("2022年1月20日", "2023年1月20日").replace("2021", "2022")
    lines = text.split("\n")
    for row in ("carried_over", "granted", "results_total"):
        for col in ("natural_person", "total"):
            i = REQ_LINES[(row, col)]
            assert lines[i].strip() == "0"
            lines[i] = lines[i].replace("0", "3")
    return "\n".join(lines)


def test_seed_then_2022_with_wrong_carry_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "2021.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "2022.txt").write_text(_synthetic_2022(), encoding="utf-8")
    assert main(["check", "--no-hints", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "xyear.E001" in x)
    assert line == (f"{tmp_path / '2022.txt'}:表三/上年结转: xyear.E001 “上年结转”自然人 3 ≠ "
                    "方正县会发镇人民政府2021年度报告的“结转下年度继续办理”自然人 0（逐列：自然人 3 ≠ 0；总计 3 ≠ 0）")
    # the 2022 text is the 2021 text: the copying warning names last year's report
    assert "xyear.W002 “一、总体情况”与本机关上年报告（方正县会发镇人民政府2021年度报告）相似度约 100%" in out
    assert "t3.E" not in out
