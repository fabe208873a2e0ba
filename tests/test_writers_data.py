"""XLSX (template-like sheets + tidy sheet), Markdown, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongkai import Report, parse, render
from gongkai.writers import load_report
from gongkai.writers.tidy import TIDY_HEADER

SEED = Path(__file__).resolve().parent / "corpus/seed-2021-huifa/source.txt"


@pytest.fixture(scope="module")
def seed() -> Report:
    return parse(SEED)


def _sample() -> Report:
    r = Report.blank("2021", agency="某市某局", year=2023, fill=0)
    r.table("proactive").set("fees", "amount", Decimal("0.35"))
    r.table("requests").set("new", "natural_person", 12)
    r.table("requests").set("new", "total", None)
    r.table("appeals").set("review", "other", "NA")
    return r


def _merged(ws) -> set[str]:
    return {str(m) for m in ws.merged_cells.ranges}


def test_xlsx_sheets_merges_and_values():
    wb = openpyxl.load_workbook(io.BytesIO(render(_sample(), "xlsx")))
    assert wb.sheetnames == ["年度报告", "表二", "表三", "表四", "数据"]
    t3 = wb["表三"]
    # title in row 1, the grid from row 3: corner 3×3, 申请人情况 over 7, 法人或其他组织 over 5
    assert {"A3:C5", "D3:J3", "E4:I4", "D4:D5", "J4:J5", "A8:A29", "B10:B17", "A6:C6"} <= _merged(t3)
    assert t3["A3"].value.startswith("（本列数据的勾稽关系为")
    assert t3["A8"].value == "三、本年度办理结果"
    assert t3["D6"].value == 12 and isinstance(t3["D6"].value, int)
    assert t3["J6"].value is None  # blank stays blank, never 0
    assert t3.freeze_panes == "A6" and t3.print_title_rows == "$3:$5"
    t4 = wb["表四"]
    assert {"A3:E3", "F3:O3", "A4:A5", "F4:J4", "K4:O4"} <= _merged(t4)
    assert t4["F5"].value == "结果维持" and t4["F5"].alignment.text_rotation == 255
    assert t4["C6"].value == "/"
    t2 = wb["表二"]
    assert t2["A3"].value == "第二十条第（一）项" and "A3:D3" in _merged(t2)
    fee = next(row for row in t2.iter_rows(values_only=True) if row[0] == "行政事业性收费")
    assert fee[1] == pytest.approx(0.35)
    assert wb.properties.title == "某市某局2023年政府信息公开工作年度报告"


def test_xlsx_tidy_sheet_has_one_row_per_cell():
    r = _sample()
    wb = openpyxl.load_workbook(io.BytesIO(render(r, "xlsx")))
    rows = list(wb["数据"].iter_rows(values_only=True))
    assert rows[0] == TIDY_HEADER
    body = rows[1:]
    assert len(body) == len(r.format.table("proactive").cells()) + 175 + 15 == 200
    rec = {(x[3], x[5], x[8]): x for x in body}
    new_np = rec[("requests", "new", "natural_person")]
    assert new_np[6] == "一、本年新收政府信息公开申请数量" and new_np[9] == "自然人" and new_np[10] == 12
    assert rec[("requests", "new", "total")][10] is None
    assert rec[("proactive", "fees", "amount")][10] == pytest.approx(0.35)
    assert body[0][1] == 2023
    assert rec[("appeals", "review", "other")][10] == "NA"
    assert rec[("requests", "denied.state_secret", "total")][7] == "（三）不予公开"


def test_xlsx_document_sheet_holds_the_whole_report(seed):
    wb = openpyxl.load_workbook(io.BytesIO(render(seed, "xlsx")))
    texts = [c for row in wb["年度报告"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert texts[0] == "方正县会发镇2021年政府信息公开工作年度报告"
    assert "六、其他需要报告的事项" in texts and texts[-2:] == ["方正县会发镇人民政府", "2022年1月20日"]
    assert "（七）总计" in texts


def test_xlsx_deterministic():
    r = _sample()
    a = render(r, "xlsx")
    assert a == render(r, "xlsx")
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(a)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"<dcterms:created" in zipfile.ZipFile(io.BytesIO(a)).read("docProps/core.xml")
    assert b"2000-01-01T00:00:00Z" in zipfile.ZipFile(io.BytesIO(a)).read("docProps/core.xml")


def test_csv_tidy_cells():
    r = _sample()
    data = render(r, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == TIDY_HEADER and len(rows) == 201
    by = {(x[3], x[5], x[8]): x for x in rows[1:]}
    assert by[("proactive", "fees", "amount")][10:] == ["0.35", "0.35"]
    assert by[("requests", "new", "total")][10:] == ["", ""]
    assert by[("appeals", "review", "other")][10:] == ["NA", "/"]
    assert rows[1][:3] == ["某市某局", "2023", "2021"]
    assert render(r, "csv") == data


def test_json_is_the_model_and_loads_back(seed):
    data = render(seed, "json")
    assert json.loads(data)["tables"]["requests"]["new"]["total"] == 0
    assert load_report(data) == seed
    assert Report.from_json(data.decode()) == seed
    lean = json.loads(render(seed, "json", provenance=False))
    assert "provenance" not in lean


def test_markdown_headings_and_pipe_tables(seed):
    md = render(seed, "md").decode()
    lines = md.splitlines()
    assert lines[0] == "# 方正县会发镇2021年政府信息公开工作年度报告"
    assert "## 三、收到和处理政府信息公开申请情况" in lines
    t3 = [ln for ln in lines if ln.startswith("| ")]
    assert "| 三、本年度办理结果 | （一）予以公开 |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in t3
    assert "|  | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in t3
    widths = {ln.count(" | ") for ln in t3 if ln.startswith("| 一、本年新收")}
    assert widths == {9}  # 10 columns
    r = Report.blank("2021", agency="某局", year=2022, fill=0)
    r.sections["other"] = "# 不是标题 | 也不是表格"
    md2 = render(r, "md").decode()
    assert "\\# 不是标题 | 也不是表格" in md2
    # a value spanning two grid columns stands in the first one; the blank cell before it stays empty
    r19 = Report.blank("2019", agency="某局", year=2020, fill=0)
    r19.table("proactive").set("procurement", "projects", None)
    r19.table("proactive").set("procurement", "amount", 866003)
    md3 = render(r19, "md").decode()
    assert "| 信息内容 | 采购项目数量 | 采购总金额 |  |" in md3
    assert "| 政府集中采购 |  | 866003 |  |" in md3
