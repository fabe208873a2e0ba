"""XLSX reader: workbooks laid out as provinces collect the tables, and bad input."""

from __future__ import annotations

import io
import random
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from gongkai import ParseError, read_document
from gongkai.readers.blocks import Block, Document
from gongkai.readers.xlsx import cell_string, xlsx_document


def saved(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def tables(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "table"]


def texts(block: Block) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows]


def one_sheet_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年报数据"
    ws["B1"] = "某县财政局2023年政府信息公开工作年度报告"
    ws["B3"] = "二、主动公开政府信息情况"
    ws["B4"] = "第二十条第（一）项"
    ws.merge_cells("B4:E4")
    for col, text in zip("BCDE", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), strict=True):
        ws[f"{col}5"] = text
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = "规章", 0, 0, 2
    ws["B7"], ws["C7"], ws["D7"], ws["E7"] = "行政规范性文件", 3.0, "1", None
    ws["B8"] = "第二十条第（八）项"
    ws.merge_cells("B8:E8")
    ws["B9"], ws["C9"] = "行政事业性收费", 12.35
    ws.merge_cells("C9:E9")
    ws["B11"] = "四、政府信息公开行政复议、行政诉讼情况"
    ws["B12"] = "行政复议"
    ws.merge_cells("B12:F12")
    ws["G12"] = "行政诉讼"
    ws["B13"] = "结\n果\n维\n持"
    ws.merge_cells("B13:B14")
    ws["C13"] = "=1+1"  # a formula without a cached value reads as empty, never as its source
    ws["B15"] = 1
    ws["B17"] = "某县财政局"
    ws["B18"] = "2024年1月20日"
    return saved(wb)


def test_all_tables_on_one_sheet_are_split_at_blank_rows_and_headings():
    doc = xlsx_document(one_sheet_workbook(), name="a.xlsx")
    kinds = [(b.kind, b.text if b.kind == "para" else len(b.rows)) for b in doc.blocks]
    assert kinds == [("para", "某县财政局2023年政府信息公开工作年度报告"), ("para", "二、主动公开政府信息情况"),
                     ("table", 6), ("para", "四、政府信息公开行政复议、行政诉讼情况"), ("table", 4),
                     ("para", "某县财政局"), ("para", "2024年1月20日")]


def test_cells_numbers_merges_and_locations():
    t2, t4 = tables(xlsx_document(one_sheet_workbook()))
    assert texts(t2) == [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                         ["规章", "0", "0", "2"], ["行政规范性文件", "3", "1", ""],
                         ["第二十条第（八）项"], ["行政事业性收费", "12.35"]]
    assert t2.rows[0][0].colspan == 4 and t2.rows[5][1].colspan == 3
    loc = t2.rows[2][3].loc
    assert (loc.sheet, loc.row, loc.col, loc.table) == ("年报数据", 6, 5, 1)
    # table 四: the vertical header is one word; columns limited to the ones the table uses
    assert texts(t4)[1][0] == "结果维持" and t4.rows[1][0].rowspan == 2
    assert texts(t4)[0] == ["行政复议", "行政诉讼"] and t4.rows[0][0].colspan == 5
    assert texts(t4)[3][0] == "1"


def test_one_sheet_per_table_keeps_sheet_names():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    ws.append(["一、本年新收政府信息公开申请数量", 1, 2])
    ws2 = wb.create_sheet("表四")
    ws2.append(["行政复议"])
    ws2["A1"].value = "行政复议"
    ws2.merge_cells("A1:B1")
    ws2.append([0, 0])
    hidden = wb.create_sheet("说明")
    hidden.append(["不应读取"])
    hidden.sheet_state = "hidden"
    doc = xlsx_document(saved(wb))
    assert [(b.loc.sheet, texts(b)) for b in tables(doc)] == [
        ("表三", [["一、本年新收政府信息公开申请数量", "1", "2"]]), ("表四", [["行政复议"], ["0", "0"]])]
    assert not any(b.kind == "para" and "不应读取" in b.text for b in doc.blocks)


@pytest.mark.parametrize(("value", "text"), [(None, ""), (0, "0"), (12.0, "12"), (0.35, "0.35"), (1e-7, "0.0000001"),
                                            (Decimal("2.50"), "2.5"), ("  1 2 ", "1 2"), ("自\n然\n人", "自然人"),
                                            (float("nan"), "")])
def test_cell_strings(value, text):
    assert cell_string(value) == text


def test_broken_and_bomb_workbooks():
    good = one_sheet_workbook()
    with pytest.raises(ParseError, match="损坏"):
        read_document(good[:-200], name="cut.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (70 * 1024 * 1024))
    with pytest.raises(ParseError, match="压缩炸弹"):
        read_document(buf.getvalue(), name="bomb.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook")
    with pytest.raises(ParseError, match="Excel"):
        read_document(buf.getvalue(), name="bad.xlsx")


def test_wrong_extension_is_sniffed(tmp_path):
    p = tmp_path / "report.html"
    p.write_bytes(one_sheet_workbook())
    assert read_document(p).kind == "xlsx"


def test_a_huge_sheet_is_refused_before_openpyxl_reads_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        rng = random.Random(1)
        rows = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, rng.getrandbits(64)) for i in range(600_000))
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    with pytest.raises(ParseError, match="工作表"):
        read_document(buf.getvalue(), name="huge.xlsx")


def test_formulas_saved_without_their_values_are_named():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一、本年新收政府信息公开申请数量", 1, 2, "=B1+C1"])
    doc = xlsx_document(saved(wb))  # openpyxl never computes formulas: no value is saved
    # the formula's column holds no value: read as blank (and, being the last, outside the table's columns)
    assert texts(tables(doc)[0]) == [["一、本年新收政府信息公开申请数量", "1", "2"]]
    assert [code for code, _ in doc.notices] == ["xlsx.formula"]
    assert "1 个公式" in doc.notices[0][1]
    assert not xlsx_document(one_sheet_workbook_without_formula()).notices


def one_sheet_workbook_without_formula() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["规章", 0, 0, 0])
    return saved(wb)
