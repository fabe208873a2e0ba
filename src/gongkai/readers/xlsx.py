"""XLSX source step: a workbook filled in Excel/WPS → ``Document``.

Provinces that collect the report tables as spreadsheets lay them out either one sheet per table
or all tables on one sheet.  Each sheet is read row by row (cached values of formulas):

* a blank row ends a table; a row holding only a title or a section heading (一、… 四、) is a
  ``para`` block, as is a lone unmerged text outside a table (the signature, a note);
* the other rows form ``table`` blocks, restricted to the columns the table uses; a merged range
  is one cell (first position, rowspan/colspan), the cells it covers are left out;
* a number is written as Excel shows it without grouping (12, 0.35), a text cell with line breaks
  (vertical headers) is joined into one word; every cell's ``Loc`` names the sheet, row and column.

The archive is checked for zip bombs before openpyxl decompresses anything.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ..errors import ParseError
from ..model import Loc
from .blocks import Block, Document, TextCell
from .html import cell_text, norm
from .ooxml import open_zip, read_member

__all__ = ["cell_string", "xlsx_document"]

#: the part of a sheet we read; a report table is a few dozen rows and columns
MAX_ROWS = 5000
MAX_COLS = 200
#: a sheet (or the shared strings) larger than this uncompressed is not a report's table
MAX_SHEET_XML = 16 * 1024 * 1024

#: a formula cell saved without its computed value
_UNCACHED = re.compile(rb"</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>|<f[^>]*/>\s*</c>")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|"
                      r"第[一二三四五六七八九十]+部分)")
_TITLE = re.compile(r"(年度报告|工作年度|政府信息公开工作)")


def cell_string(value: Any) -> str:
    """A cell value as printed text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        d = Decimal(repr(value)).normalize()
        return format(d, "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value)
    if "\n" in text or "\r" in text:
        return cell_text(text.splitlines())
    return cell_text([text])


def xlsx_document(data: bytes, name: str | None = None) -> Document:
    """Blocks of an Excel (.xlsx) workbook (see the module docstring)."""
    what = "Excel 文件"
    try:
        with open_zip(data, what, name) as z:
            uncached = 0
            for info in z.infolist():
                if info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")) and info.file_size > MAX_SHEET_XML:
                    raise ParseError(f"工作表“{info.filename}”解压后 {info.file_size // 1024 // 1024} MB，远超年度报告"
                                     f"数据表的规模（上限 {MAX_SHEET_XML // 1024 // 1024} MB），拒绝读取", where=name)
                if info.filename.startswith("xl/worksheets/sheet"):
                    uncached += len(_UNCACHED.findall(read_member(z, info.filename, what, name) or b""))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise ParseError("Excel 文件已损坏或不完整，无法打开", where=name) from None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise ParseError("Excel 文件已损坏或格式不受支持（工作簿的内容无法解析）", where=name) from None
    doc = Document(blocks=[], name=name, kind="xlsx")
    if uncached:
        doc.notices.append(("xlsx.formula", f"有 {uncached} 个公式单元格没有保存计算结果（文件可能由程序生成、未在 "
                                            "Excel/WPS 中打开保存过），这些单元格按空白读取"))
    tables = 0
    sheets: list[tuple[str, list[Block]]] = []
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            continue
        start = len(doc.blocks)
        tables = _sheet(ws, doc, tables)
        sheets.append((ws.title, doc.blocks[start:]))
    wb.close()
    # a workbook holding the whole report on one sheet and, besides, its tables again (one sheet
    # per table, a tidy data sheet): read the whole report only, not the copies
    whole = [(t, b) for t, b in sheets if _is_whole_report(b)]
    if len(whole) == 1 and len(sheets) > 1:
        doc.blocks = whole[0][1]
        others = "、".join(f"“{t}”" for t, _ in sheets if t != whole[0][0])
        doc.notices.append(("xlsx.sheets", f"工作表“{whole[0][0]}”包含完整年报，只读取该表；其他工作表{others}未读取"))
    title = (wb.properties.title or "").strip() if wb.properties else ""
    if title:
        doc.meta["title"] = title
    return doc


def _sheet(ws: Any, doc: Document, tables: int) -> int:
    sheet = ws.title
    nrows = min(ws.max_row or 0, MAX_ROWS)
    ncols = min(ws.max_column or 0, MAX_COLS)
    if ws.max_row and ws.max_row > MAX_ROWS:
        doc.notices.append(("xlsx.rows", f"工作表“{sheet}”超过 {MAX_ROWS} 行，只读取了前 {MAX_ROWS} 行"))
    # merged ranges: top-left → (rowspan, colspan); covered positions skipped
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    #: rows crossed by a merged cell that started in an earlier row (so they are inside a table)
    crossed: set[int] = set()
    for rng in ws.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row, rng.min_col, min(rng.max_row, nrows), min(rng.max_col, ncols)
        if r0 > nrows or c0 > ncols:
            continue
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        crossed.update(range(r0 + 1, r1 + 1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    grid: list[list[str]] = []
    for row in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols, values_only=True):
        grid.append([cell_string(v) for v in row] + [""] * (ncols - len(row)))
    run: list[int] = []  # sheet rows (1-based) of the table being collected

    def flush() -> None:
        nonlocal tables
        if not run:
            return
        cols = [c for r in run for c in range(1, ncols + 1)
                if (r, c) not in covered and (grid[r - 1][c - 1] or (r, c) in spans)]
        lo, hi = min(cols), max(c + spans.get((r, c), (1, 1))[1] - 1
                                  for r in run for c in range(1, ncols + 1) if c in cols and (r, c) not in covered)
        tables += 1
        rows: list[list[TextCell]] = []
        for r in run:
            cells = []
            for c in range(lo, hi + 1):
                if (r, c) in covered:
                    continue
                rs, cs = spans.get((r, c), (1, 1))
                cells.append(TextCell(grid[r - 1][c - 1], Loc(table=tables, row=r, col=c, sheet=sheet), rs,
                                      min(cs, hi - c + 1)))
            if cells:
                rows.append(cells)
        doc.blocks.append(Block.table(rows, Loc(table=tables, row=run[0], sheet=sheet)))
        run.clear()

    for r in range(1, nrows + 1):
        texts = [(c, grid[r - 1][c - 1]) for c in range(1, ncols + 1)
                 if grid[r - 1][c - 1] and (r, c) not in covered]
        if not texts:
            # a blank row ends a table, unless a vertical merge runs through it
            if run and r in crossed:
                run.append(r)
            else:
                flush()
            continue
        lone = len(texts) == 1 and r not in crossed and spans.get((r, texts[0][0]), (1, 1))[1] == 1
        if lone and (_is_para(texts[0][1]) or (not run and not _is_table_text(texts[0][1]))):
            flush()
            doc.blocks.append(Block.para(norm(texts[0][1]), Loc(row=r, col=texts[0][0], sheet=sheet)))
            continue
        run.append(r)
    flush()
    return tables


_SECTION = re.compile(r"^\s*([一二三四五六])[、.．]")


def _is_whole_report(blocks: list[Block]) -> bool:
    """A sheet with the report's section headings (five or more of 一 … 六; a table 三 alone shows 一 … 四) and its tables."""
    texts = [b.text for b in blocks if b.kind == "para"]
    texts += [row[0].text for b in blocks if b.kind == "table" for row in b.rows if row]
    found = {m.group(1) for t in texts for m in [_SECTION.match(t)] if m}
    return len(found) >= 5 and any(b.kind == "table" for b in blocks)


def _is_table_text(text: str) -> bool:
    """Texts that only a table prints (captions, headers, row labels that look like headings)."""
    return text.startswith(("第二十条", "信息内容", "申请人情况", "行政复议", "行政诉讼", "（本列数据",
                            "一、本年新收", "二、上年结转", "三、本年度办理结果", "四、结转下年度"))


def _is_para(text: str) -> bool:
    """A lone text that is a heading or title, not a table's caption or label."""
    if _is_table_text(text):
        return False
    if _TITLE.search(text) and len(text) <= 60:
        return True
    m = _HEADING.match(text)
    return m is not None and len(text) <= 60 and not text[m.end():m.end() + 1].isdigit()
