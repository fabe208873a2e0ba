"""Print a ``Report`` as the Word and Excel files agencies really publish, in varied layouts.

The random-report property tests feed these to the DOCX and XLSX readers and expect every cell
back.  The tables come from ``writers.layout`` (the official grids derived from the format
declaration); what varies is how an agency's copy of Word or Excel happened to store them:

DOCX (``DocxStyle``): merged cells as ``gridSpan`` or old-style ``hMerge``; vertical headers
written one character per paragraph; numbers split over several runs; the six section headings
as automatic list numbers (一、 from ``numbering.xml``, not in the text); the title inside a text
box (with the VML fallback copy Word writes); tables cut in two where no merged cell crosses;
a table wrapped in a content control; the signature on one paragraph with a soft line break.

XLSX (``XlsxStyle``): one sheet per table or every table on one sheet (with heading rows and
blank rows between the tables, or the grids stacked with nothing between them); the grid shifted
right or down; numbers stored as numbers or as text; vertical headers with line breaks in a cell.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..model import Report
from ..writers.layout import Grid, GridCell, Item, document_layout

__all__ = ["DocxStyle", "XlsxStyle", "random_docx_style", "random_xlsx_style", "report_docx", "report_xlsx"]

_CN = "一二三四五六"


@dataclass(frozen=True, slots=True)
class DocxStyle:
    hmerge: bool = False
    vertical_headers: bool = True
    split_runs: bool = False
    numbered_headings: bool = False
    title_textbox: bool = False
    split_tables: bool = False
    sdt_table: bool = False
    soft_break_signature: bool = False


def random_docx_style(rng: random.Random) -> DocxStyle:
    return DocxStyle(*(rng.random() < p for p in (0.3, 0.6, 0.4, 0.4, 0.2, 0.3, 0.15, 0.3)))


@dataclass(frozen=True, slots=True)
class XlsxStyle:
    one_sheet: bool = False
    col_offset: int = 0
    row_offset: int = 0
    numbers_as_text: bool = False
    vertical_headers: bool = False
    title_row: bool = True
    #: a heading row (二、主动公开政府信息情况 …) above each table, and a blank row after it
    headings: bool = True


def random_xlsx_style(rng: random.Random) -> XlsxStyle:
    one_sheet = rng.random() < 0.5
    return XlsxStyle(one_sheet, rng.choice((0, 0, 1, 2)), rng.choice((0, 0, 1)), rng.random() < 0.3,
                     rng.random() < 0.4, True, True)


# -- DOCX -------------------------------------------------------------------------------------------

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" mc:Ignorable="wps"')

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'numbering" Target="numbering.xml"/></Relationships>')
_NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
    '<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def _run(text: str, bold: bool = False) -> str:
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/><w:b/></w:rPr>' if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _p(text: str, *, ppr: str = "", runs: list[str] | None = None) -> str:
    body = "".join(runs) if runs is not None else (_run(text) if text else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


def _textbox(text: str) -> str:
    centered = _p(text, ppr='<w:jc w:val="center"/>')
    inner = f"<w:txbxContent>{centered}</w:txbxContent>"
    return ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5000000" cy="600000"/>'
            '<wp:docPr id="1" name="标题框"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:shape style="width:400pt;height:48pt"><v:textbox>{inner}</v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r></w:p>')


def _split(text: str, rng: random.Random) -> list[str]:
    if len(text) < 2:
        return [text]
    cut = sorted(rng.sample(range(1, len(text)), rng.randint(1, len(text) - 1)))
    return [text[a:b] for a, b in zip([0, *cut], [*cut, len(text)], strict=True)]


def _cell_paras(cell: GridCell, style: DocxStyle, rng: random.Random) -> str:
    text = cell.text
    vertical = style.vertical_headers and (cell.vertical or (cell.kind == "rowgroup" and cell.rowspan > 8)
                                           or (cell.kind == "col" and 2 <= len(text) <= 5))
    if vertical and text:
        return "".join(_p(ch) for ch in text)
    if cell.kind == "value" and style.split_runs and text:
        return _p("", runs=[_run(t) for t in _split(text, rng)])
    return _p(text)


def _owners(grid: Grid, rows: range) -> list[list[tuple[int, int] | None]]:
    own: list[list[tuple[int, int] | None]] = [[None] * grid.ncols for _ in grid.rows]
    m = grid.matrix()
    for i in rows:
        for j in range(grid.ncols):
            c = m[i][j]
            if c is not None:
                for di in range(c.rowspan):
                    for dj in range(c.colspan):
                        if i + di < len(own):
                            own[i + di][j + dj] = (i, j)
    return own


def _cut_points(grid: Grid) -> list[int]:
    """Body rows where the table can be cut in two with no merged cell crossing the cut."""
    own = _owners(grid, range(len(grid.rows)))
    return [i for i in range(grid.header_rows + 1, len(grid.rows))
            if all(o is None or o[0] >= i for o in own[i])]


def _tbl(grid: Grid, rows: range, style: DocxStyle, rng: random.Random) -> str:
    m = grid.matrix()
    own = _owners(grid, range(len(grid.rows)))
    out = ['<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
           + "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders></w:tblPr><w:tblGrid>'
           + "".join('<w:gridCol w:w="900"/>' for _ in range(grid.ncols)) + "</w:tblGrid>"]
    for i in rows:
        out.append("<w:tr>")
        j = 0
        while j < grid.ncols:
            c = m[i][j]
            if c is not None:
                vm = '<w:vMerge w:val="restart"/>' if c.rowspan > 1 else ""
                if style.hmerge and c.colspan > 1 and c.rowspan == 1:
                    out.append(f'<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>'
                               f"{_cell_paras(c, style, rng)}</w:tc>")
                    out.extend('<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>' for _ in range(c.colspan - 1))
                else:
                    span = f'<w:gridSpan w:val="{c.colspan}"/>' if c.colspan > 1 else ""
                    out.append(f"<w:tc><w:tcPr>{span}{vm}</w:tcPr>{_cell_paras(c, style, rng)}</w:tc>")
                j += c.colspan
                continue
            o = own[i][j]
            assert o is not None
            owner = m[o[0]][o[1]]
            assert owner is not None
            if o[1] == j and o[0] < i:  # continuation of a vertical merge
                span = f'<w:gridSpan w:val="{owner.colspan}"/>' if owner.colspan > 1 else ""
                out.append(f"<w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc>")
                j += owner.colspan
            else:
                j += 1
        out.append("</w:tr>")
    out.append("</w:tbl>")
    xml = "".join(out)
    if style.sdt_table:
        xml = f"<w:sdt><w:sdtPr><w:alias w:val=\"表格\"/></w:sdtPr><w:sdtContent>{xml}</w:sdtContent></w:sdt>"
    return xml


def _docx_body(report: Report, style: DocxStyle, rng: random.Random) -> str:
    layout = document_layout(report)
    parts: list[str] = []
    signs: list[str] = []
    for item in layout.items:
        parts.extend(_docx_item(item, style, rng, signs))
    if signs:
        right = '<w:jc w:val="right"/>'
        if style.soft_break_signature and len(signs) > 1:
            runs = []
            for k, s in enumerate(signs):
                runs.append(_run(s) if k == 0 else "<w:r><w:br/></w:r>" + _run(s))
            parts.append(_p("", ppr=right, runs=runs))
        else:
            parts.extend(_p(s, ppr=right) for s in signs)
    return "".join(parts)


def _docx_item(item: Item, style: DocxStyle, rng: random.Random, signs: list[str]) -> list[str]:
    if item.kind == "title":
        if style.title_textbox:
            return [_textbox(item.text)]
        return [_p("", ppr='<w:jc w:val="center"/>', runs=[_run(item.text, bold=True)])]
    if item.kind == "heading":
        text = item.text
        if style.numbered_headings and len(text) > 2 and text[0] in _CN and text[1] == "、":
            return [_p(text[2:], ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')]
        return [_p("", runs=[_run(text, bold=True)])]
    if item.kind in ("para", "note"):
        return [_p(item.text, ppr='<w:ind w:firstLine="640"/>')]
    if item.kind == "sign":
        signs.append(item.text)
        return []
    grid = item.grid
    assert grid is not None
    cuts = _cut_points(grid) if style.split_tables else []
    if cuts:
        k = rng.choice(cuts)
        return [_tbl(grid, range(0, k), style, rng), _p(""), _tbl(grid, range(k, len(grid.rows)), style, rng)]
    return [_tbl(grid, range(len(grid.rows)), style, rng)]


def report_docx(report: Report, style: DocxStyle | None = None, rng: random.Random | None = None) -> bytes:
    """The report as a .docx file (deterministic for a given report, style and rng state)."""
    rng = rng or random.Random(0)
    style = style or DocxStyle()
    body = _docx_body(report, style, rng)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{body}'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/_rels/document.xml.rels", _DOC_RELS), ("word/numbering.xml", _NUMBERING),
                           ("word/document.xml", document)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()


# -- XLSX -------------------------------------------------------------------------------------------

def _sheet_name(grid: Grid) -> str:
    return f"表{grid.number}"


def _write_grid(ws: object, grid: Grid, top: int, left: int, style: XlsxStyle) -> int:
    """Write ``grid`` with its top-left at (top, left); the next free row."""
    from decimal import Decimal, InvalidOperation

    for i, j, cell in grid.positions():
        r, c = top + i, left + j
        text = cell.text
        value: object = text
        if cell.kind == "value" and text and not style.numbers_as_text:
            try:
                d = Decimal(text)
                value = int(d) if d == d.to_integral_value() and "." not in text else d
            except InvalidOperation:
                value = text
        elif style.vertical_headers and (cell.vertical or (cell.kind == "col" and 2 <= len(text) <= 5)):
            value = "\n".join(text)
        ws.cell(row=r, column=c, value=value if value != "" else None)  # type: ignore[attr-defined]
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=r, start_column=c,  # type: ignore[attr-defined]
                           end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
    return top + len(grid.rows)


def report_xlsx(report: Report, style: XlsxStyle | None = None) -> bytes:
    """The report's tables as an .xlsx workbook, as provinces collect them."""
    import openpyxl

    style = style or XlsxStyle()
    layout = document_layout(report)
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    left = 1 + style.col_offset
    row = 1 + style.row_offset
    ws = first
    if style.one_sheet:
        first.title = "年报数据"
    if style.title_row:
        ws.cell(row=row, column=left, value=layout.title)
        row += 2
    grids = [it for it in layout.items if it.kind == "table" and it.grid is not None]
    heads = {it.key: it.text for it in layout.items if it.kind == "heading"}
    for n, it in enumerate(grids):
        grid = it.grid
        assert grid is not None
        if not style.one_sheet:
            if n == 0:
                ws.title = _sheet_name(grid)
            else:
                ws = wb.create_sheet(_sheet_name(grid))
                row = 1 + style.row_offset
        if style.headings:
            ws.cell(row=row, column=left, value=heads.get(it.key, grid.title))
            row = _write_grid(ws, grid, row + 1, left, style) + 1
        else:  # the tables one under the other, nothing between them
            row = _write_grid(ws, grid, row, left, style)
    signs = [it.text for it in layout.items if it.kind == "sign"]
    for s in signs:
        row += 1
        ws.cell(row=row, column=left, value=s)
    wb.properties.creator = "gongkai"
    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2020, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
