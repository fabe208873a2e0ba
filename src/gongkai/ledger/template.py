"""The blank 台账 workbook (``gongkai ledger template``): headers, drop-down lists, date checks and an
instructions sheet, written deterministically (same bytes every time)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..writers.zipfix import FIXED_DATE, FixedZipFile
from .layout import INSTRUCTIONS, OPTIONS, SHEETS, Sheet, SheetColumn

__all__ = ["VALIDATED_ROWS", "template_xlsx"]

#: rows below the header that carry the drop-down lists and date checks
VALIDATED_ROWS = 20000
_FORMATS = {"date": "yyyy-mm-dd", "month": "@", "int": "0", "decimal": "0.00##"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _instructions(ws: Worksheet) -> None:
    lines: list[tuple[str, bool]] = [
        ("政府信息公开工作台账 填写说明", True),
        ("本工作簿按 gongkai 台账格式填写，可用 gongkai ledger tally 统计年度报告表二、表三、表四，"
         "用 gongkai ledger due 列出未办结申请的答复期限。", False),
        ("通用规则：每行一件；日期写成 YYYY-MM-DD（如 2025-03-08）；带下拉框的列只能选列表中的值；"
         "标为浅橙色的列必须填写；空行会被跳过；不要改动第一行的列名。", False),
        ("答复期限按工作日计算：收到申请当日不计入，节假日和调休按国务院放假安排；补正后重新计算；"
         "征求意见、缴费期间不计入。", False),
        ("", False),
    ]
    for sheet in SHEETS:
        lines.append((f"“{sheet.title}”：每行是{sheet.row}", True))
        for c in sheet.columns:
            need = "（必填）" if c.required else ""
            choices = f"可选：{'、'.join(c.choices)}。" if c.choices and len(c.choices) <= 8 else ""
            note = f"{c.note}。{choices}" if c.note and choices else c.note or choices or "—"
            lines.append((f"  {c.header}{need}：{note}", False))
        lines.append(("", False))
    ws.column_dimensions["A"].width = 90
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    for i, (text, bold) in enumerate(lines, 1):
        cell = ws.cell(i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)


def _options(ws: Worksheet) -> dict[tuple[str, str], str]:
    """One column per choice list; (sheet key, header) → the range a drop-down refers to."""
    refs: dict[tuple[str, str], str] = {}
    col = 1
    for sheet in SHEETS:
        for c in sheet.columns:
            if not c.choices:
                continue
            ws.cell(1, col, f"{sheet.title}/{c.header}")
            for i, choice in enumerate(c.choices, 2):
                ws.cell(i, col, choice)
            letter = get_column_letter(col)
            refs[(sheet.key, c.header)] = f"{OPTIONS}!${letter}$2:${letter}${len(c.choices) + 1}"
            col += 1
    ws.sheet_state = "hidden"
    return refs


def _validation(c: SheetColumn, ref: str | None) -> DataValidation | None:
    if c.kind == "choice" and ref:
        dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
        dv.error = f"请从下拉列表中选择“{c.header}”"
    elif c.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                            formula2="DATE(2100,12,31)", allow_blank=True)
        dv.error = "请填写日期，格式 YYYY-MM-DD（如 2025-03-08）"
    elif c.kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请填写非负整数"
    elif c.kind == "decimal":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请填写非负数"
    else:
        return None
    dv.errorTitle = "输入有误"
    dv.showErrorMessage = True
    return dv


def _data_sheet(ws: Worksheet, sheet: Sheet, refs: dict[tuple[str, str], str]) -> None:
    for i, c in enumerate(sheet.columns, 1):
        letter = get_column_letter(i)
        cell = ws.cell(1, i, c.header)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if c.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dim = ws.column_dimensions[letter]
        dim.width = c.width
        if c.kind in _FORMATS:
            dim.number_format = _FORMATS[c.kind]
        dv = _validation(c, refs.get((sheet.key, c.header)))
        if dv is not None:
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 32
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def template_xlsx() -> bytes:
    """The blank 台账 workbook, as bytes."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    sheets = [first] + [wb.create_sheet() for _ in SHEETS[1:]]
    guide = wb.create_sheet(INSTRUCTIONS)
    options = wb.create_sheet(OPTIONS)
    refs = _options(options)
    for ws, sheet in zip(sheets, SHEETS, strict=True):
        ws.title = sheet.title
        _data_sheet(ws, sheet, refs)
    _instructions(guide)
    props = wb.properties
    props.title = "政府信息公开工作台账"
    props.creator = props.lastModifiedBy = "gongkai"
    props.created = props.modified = FIXED_DATE
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not wb.save(): that stamps the time into docProps/core.xml
    # openpyxl dates some members with the time of writing: re-pack them all dated 1980-01-01
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, FixedZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    return out.getvalue()
