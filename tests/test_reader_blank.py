"""A blank report reads as blank, not as missing tables (issue 8 item 9): the national template
(../shared/samples/docx/年度报告格式模板（空白）.docx) and a report written out with every cell blank have
their three tables present with blank cells; checking them says the tables and sections are empty —
one finding, no “缺少表格”, no row-by-row notices."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.writers import render

TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "docx" / "年度报告格式模板（空白）.docx"


def _assert_blank(report: gongkai.Report) -> None:
    for key in ("proactive", "requests", "appeals"):
        table = report.tables[key]
        assert table.present, key
        assert table.cells and all(c.value is None for c in table.cells.values()), key
    assert not [w for w in report.warnings if w.id in ("row.short", "table.missing", "table.rows_missing")]


def _findings(report: gongkai.Report) -> list[str]:
    return [f"{f.id} {f.message}" for f in gongkai.validate(report).findings if f.id.startswith("struct.")]


def test_the_national_template_reads_as_a_blank_report() -> None:
    if not TEMPLATE.exists():
        pytest.skip("shared samples absent")
    report = gongkai.parse(TEMPLATE)
    _assert_blank(report)
    # the template's table 二 has 3 + 3 + 1 + 2 + 1 cells, 三 25 rows × 7, 四 15 (the format's 200)
    assert sum(len(t.cells) for t in report.tables.values()) == 200
    found = _findings(report)
    assert "struct.W003 空白年报：表二、表三、表四没有填写任何数字（共200个单元格），“一、总体情况”“五、存在的主要问题及改进情况”" \
           "“六、其他需要报告的事项”都没有文字" in found
    assert not [f for f in found if f.startswith("struct.E003")]  # no “缺少表格”


@pytest.mark.parametrize("to", ["docx", "html"])
def test_a_report_written_blank_reads_back_blank(to: str) -> None:
    blank = gongkai.Report.blank("2021", agency="某县交通运输局", year=2023)
    blank.title = "某县交通运输局2023年政府信息公开工作年度报告"
    report = gongkai.parse(render(blank, to), name=f"blank.{to}")
    _assert_blank(report)
    assert [f for f in _findings(report) if f.startswith("struct.W003")]
    assert not [f for f in _findings(report) if f.startswith("struct.E003")]
