"""XLSX: the report as an Excel workbook.

Sheets, in order:

* ``年度报告`` — the whole report in reading order (title, preamble, headings, paragraphs, the three
  tables in place, agency and date), so the workbook alone is the report;
* ``表二``, ``表三``, ``表四`` — one sheet per table laid out like the national template (merged
  header cells, group labels spanning their rows, table 四's narrow headers in vertical text);
* ``数据`` — the tidy table: one row per cell with table/row/column keys and labels, the value
  and the printed text (the same columns as the CSV target).

Numbers are written as numbers (``0.35`` as a decimal), ``/`` for not applicable, blank cells stay
empty.  Workbook dates come from the report's publication date (or a fixed date) and the ZIP
entries are dated 1980-01-01, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from copy import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..model import NA, Report
from .layout import Grid, GridCell, Layout, xml_safe
from .tidy import TIDY_HEADER, tidy_rows
from .zipfix import FIXED_DATE, FixedZipFile

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TABLE_FONT = Font(name="宋体", size=10.5)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F2")
_BODY_FONT = Font(name="仿宋_GB2312", size=12)
_TITLE_FONT = Font(name="方正小标宋简体", size=18)
_HEADING_FONT = Font(name="黑体", size=12)
#: characters across the printed width of a table
_TABLE_CHARS = 120


def _number(cell: GridCell, report: Report, key: str) -> Any:
    """A value cell as Excel should hold it: a number, '/', or None for blank."""
    if cell.row is None or cell.col is None:
        return None
    c = report.tables[key].cell(cell.row, cell.col)
    if c is None or c.value is None:
        return None
    if c.value == NA:
        return "/"
    if c.unit:
        return cell.text  # a number printed with its unit (2019 procurement) stays text
    return excel_number(c.value)


def excel_number(value: int | Decimal) -> int | Decimal | str:
    """A number as an Excel cell holds it.  Excel keeps numbers as binary doubles: a value a double
    cannot hold exactly (``12345678901234.56789``; an integer beyond 2**53) is written as text, which
    the XLSX reader reads back as the same ``Decimal`` — never a rounded number."""
    if isinstance(value, Decimal):
        return value if value.is_finite() and Decimal(repr(float(value))) == value else format(value, "f")
    return value if abs(value) <= 2**53 else str(value)


class _Styles:
    """Cell styles by name, applied by copying a style array (openpyxl hashes every style object
    assigned, which dominates the time when done per cell)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[Any, ...], Any] = {}

    def apply(self, xc: Any, key: tuple[Any, ...]) -> None:
        cached = self.cache.get(key)
        if cached is not None:
            xc._style = copy(cached)
            return
        kind, vertical, decimal, border_only = key
        xc.border = _BORDER
        if not border_only:
            left = kind in ("row", "caption", "corner")
            xc.alignment = Alignment(horizontal="left" if left else "center", vertical="center",
                                     wrap_text=True, text_rotation=255 if vertical else 0)
            xc.font = _TABLE_FONT
            if kind == "caption":
                xc.fill = _HEAD_FILL
            if decimal:
                xc.number_format = "0.00##"
        self.cache[key] = copy(xc._style)


def _merge(ws: Worksheet, r0: int, c0: int, r1: int, c1: int) -> None:
    """A merged range, registered directly: ``ws.merge_cells`` (and ``MergedCellRange``) re-format
    the borders of every covered cell, which we have styled already, at most of the writer's time."""
    ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
    ws.merged_cells.add(CellRange(ref))


def _put_grid(ws: Worksheet, grid: Grid, top: int, report: Report, styles: _Styles) -> int:
    """Write ``grid`` with its top-left corner at row ``top``, column A; the next free row."""
    for i, j, c in grid.positions():
        r, col = top + i, 1 + j
        xc = ws.cell(row=r, column=col)
        xc.value = _number(c, report, grid.key) if c.kind == "value" else (c.text or None)
        styles.apply(xc, (c.kind, c.vertical, isinstance(xc.value, Decimal), False))
        if c.rowspan > 1 or c.colspan > 1:
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    if di or dj:
                        styles.apply(ws.cell(row=r + di, column=col + dj), ("", False, False, True))
            _merge(ws, r, col, r + c.rowspan - 1, col + c.colspan - 1)
    # row heights: vertical headers need room; wrapped labels need lines
    chars = _grid_chars(grid)
    for i, mrow in enumerate(grid.matrix()):
        lines = 1
        for j, c in ((j, c) for j, c in enumerate(mrow) if c is not None):
            if c.vertical:
                lines = max(lines, len(c.text))
            elif c.rowspan == 1:
                width = sum(chars[j:j + c.colspan])
                lines = max(lines, math.ceil(len(c.text) * 2 / max(width, 1)))
        ws.row_dimensions[top + i].height = 15 * lines
    return top + len(grid.rows)


def _grid_chars(grid: Grid) -> list[float]:
    total = sum(grid.widths)
    return [_TABLE_CHARS * w / total for w in grid.widths]


def _widths(ws: Worksheet, per_col: list[float]) -> None:
    for j, w in enumerate(per_col):
        ws.column_dimensions[get_column_letter(j + 1)].width = round(max(w, 4), 1)


def _table_sheet(wb: Workbook, grid: Grid, report: Report, styles: _Styles) -> None:
    ws = wb.create_sheet(f"表{grid.number}")
    ws.cell(row=1, column=1, value=f"{grid.number}、{grid.title}").font = _HEADING_FONT
    _put_grid(ws, grid, 3, report, styles)
    _widths(ws, _grid_chars(grid))
    if grid.header_rows:
        ws.print_title_rows = f"3:{2 + grid.header_rows}"
        ws.freeze_panes = f"A{3 + grid.header_rows}"
    _page(ws)


def _page(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _document_sheet(ws: Worksheet, layout: Layout, report: Report, styles: _Styles) -> None:
    grids = [it.grid for it in layout.items if it.grid is not None]
    ncols = max([g.ncols for g in grids] + [4])
    # the tables share the sheet's columns: size them for the table with row labels and the most
    # columns (table 三), the columns beyond it for narrow number columns
    main = max(grids, key=lambda g: (g.header_rows > 0 and g.rows[-1].cells[0].kind != "value", g.ncols),
               default=None)
    per_col = _grid_chars(main) if main is not None else [_TABLE_CHARS / ncols] * ncols
    per_col = per_col + [_TABLE_CHARS / 15] * (ncols - len(per_col))
    _widths(ws, per_col)
    width = sum(per_col)
    row = 1
    for item in layout.items:
        if item.kind == "table" and item.grid is not None:
            row = _put_grid(ws, item.grid, row, report, styles) + 1
            continue
        text = item.text
        cell = ws.cell(row=row, column=1, value=text)
        font = {"title": _TITLE_FONT, "heading": _HEADING_FONT}.get(item.kind, _BODY_FONT)
        cell.font = font
        horizontal = {"title": "center", "sign": "right", "note": "center"}.get(item.kind, "left")
        cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
        _merge(ws, row, 1, row, ncols)
        lines = max(1, math.ceil(len(text) * 2 * (font.size or 12) / 10.5 / max(width, 1)))
        ws.row_dimensions[row].height = (font.size or 12) * 1.6 * lines
        row += 2  # a blank row separates blocks
    _page(ws)


def _tidy_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("数据")
    ws.append(list(TIDY_HEADER))
    for rec, cell in zip(tidy_rows(report), report.cells(), strict=True):
        row: list[Any] = list(rec)
        row[1] = report.year
        row[10] = excel_number(cell.value) if isinstance(cell.value, int | Decimal) else (rec[10] or None)
        ws.append(row)
    for j, w in enumerate((24, 8, 6, 10, 28, 14, 24, 40, 12, 18, 10, 10), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write(report: Report, to: str, layout: Layout, **_: Any) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "年度报告"
    styles = _Styles()
    _document_sheet(ws, layout, report, styles)
    for item in layout.items:
        if item.grid is not None:
            _table_sheet(wb, item.grid, report, styles)
    _tidy_sheet(wb, report)
    when = datetime.combine(report.published, datetime.min.time()) if report.published else FIXED_DATE
    props = wb.properties
    props.title = layout.title
    props.creator = props.lastModifiedBy = xml_safe(report.agency or "") or "gongkai"
    props.subject = "政府信息公开工作年度报告"
    props.created = props.modified = when
    buf = io.BytesIO()
    with FixedZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        _MemoryExcelWriter(wb, archive).save()
    return buf.getvalue()


class _MemoryExcelWriter(ExcelWriter):
    """openpyxl's writer with worksheets serialised in memory (it otherwise writes each sheet to a
    temporary file and deletes it, a fifth of the time on a busy disk)."""

    def write_worksheet(self, ws: Any) -> None:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.worksheet._writer import WorksheetWriter

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)
