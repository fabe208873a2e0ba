"""DOCX: the report as the Word file agencies print, sign and seal.

Page and type follow 党政机关公文格式 (GB/T 9704): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm;
title in 小标宋 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt, 28 pt line pitch), first-level
headings in 黑体, the leading （一）… of a paragraph in 楷体.  Font names carry fallbacks
(``w:altName`` in the font table: 方正小标宋简体 → 华文中宋, 仿宋_GB2312 → 仿宋 …), and machines
without them substitute their CJK fonts (Noto CJK on Debian).

Tables come from ``layout`` and are written as WordprocessingML directly (fast, and merges are
real ``w:gridSpan``/``w:vMerge``): table 二's captioned blocks, table 三's three-row header with
the 勾稽 note in the corner cell and the group labels spanning their sub-rows, table 四's two
header levels with the narrow column labels printed one character per line (``w:textDirection``
``tbRlV``, the text itself unchanged).  Header rows repeat on every page (``w:tblHeader``).
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from ..model import Report
from .layout import Grid, GridCell, Layout, xml_safe
from .zipfix import FIXED_DATE, FixedZipWriter

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
#: font → the fonts Word/LibreOffice try when it is missing
FALLBACKS = {
    TITLE_FONT: "华文中宋,宋体,Noto Serif CJK SC",
    BODY_FONT: "仿宋,FangSong,Noto Serif CJK SC",
    HEI_FONT: "SimHei,Noto Sans CJK SC",
    KAI_FONT: "楷体,KaiTi,Noto Serif CJK SC",
}

TEXT_WIDTH_TWIPS = int(156 / 25.4 * 1440)
TABLE_PT = 10.5  # 五号

_LEAD = re.compile(r"^(（[一二三四五六七八九十]+）[^，,。；;：:\n]{0,24}(?:[。：:]|$))")


def _set_fonts(rpr_parent: Any, east_asia: str, ascii_font: str = "Times New Roman") -> None:
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), ascii_font)
    fonts.set(qn("w:hAnsi"), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), ascii_font)


def _run(p: Paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    _set_fonts(run._r, font)


def _setup(doc: Any) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(28)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _set_fonts(normal.element, BODY_FONT)
    pf = normal.paragraph_format
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    for name, font in (("Title", TITLE_FONT), ("Heading 1", HEI_FONT)):
        st = doc.styles[name]
        st.font.size = Pt(22 if name == "Title" else 16)
        st.font.bold = False
        st.font.color.rgb = None
        st.font.italic = False
        _set_fonts(st.element, font)
        st.paragraph_format.space_before = Pt(0)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = Pt(36 if name == "Title" else 28)
        ppr = st.element.get_or_add_pPr()
        for tag in ("w:pBdr",):  # the default Title style draws a rule under the title
            el = ppr.find(qn(tag))
            if el is not None:
                ppr.remove(el)
    # page number at the foot, “— 1 —” (公文 practice), as a PAGE field
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rpr = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr>'
    for xml in (f"<w:r {nsdecls('w')}>{rpr}<w:t xml:space=\"preserve\">— </w:t></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:t>1</w:t></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>",
                f"<w:r {nsdecls('w')}>{rpr}<w:t xml:space=\"preserve\"> —</w:t></w:r>"):
        foot._p.append(parse_xml(xml))
    # fonts with their fallbacks in the font table
    fonts_part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            fonts_part = rel.target_part
    if fonts_part is not None:
        root = parse_xml(fonts_part.blob)
        for name, alt in FALLBACKS.items():
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'))
        from lxml import etree

        fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _para(doc: Any, text: str, *, kind: str) -> None:
    if kind == "title":
        p = doc.add_paragraph(style=doc.styles["Title"])
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, TITLE_FONT, 22)
        return
    if kind == "heading":
        p = doc.add_paragraph(style=doc.styles["Heading 1"])
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, text, HEI_FONT, 16)
        return
    p = doc.add_paragraph()
    if kind == "sign":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(32)
        _run(p, text, BODY_FONT, 16)
        return
    if kind == "note":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, BODY_FONT, 16)
        return
    p.paragraph_format.first_line_indent = Pt(32)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    m = _LEAD.match(text)
    if m:
        _run(p, m.group(1), KAI_FONT, 16)
        text = text[len(m.group(1)):]
    if text:
        _run(p, text, BODY_FONT, 16)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_BORDERS = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
_RPR = (f'<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{BODY_FONT}" '
        f'w:cs="Times New Roman"/><w:sz w:val="{int(TABLE_PT * 2)}"/><w:szCs w:val="{int(TABLE_PT * 2)}"/></w:rPr>')


def _tc(cell: GridCell | None, width: int, span: int, vmerge: str | None) -> str:
    pr = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        pr.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        pr.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        pr.append("<w:vMerge/>")
    if cell is not None and cell.kind == "caption":
        pr.append('<w:shd w:val="clear" w:color="auto" w:fill="DCE6F2"/>')
    if cell is not None and cell.vertical:
        pr.append('<w:textDirection w:val="tbRlV"/>')
    pr.append('<w:vAlign w:val="center"/>')
    text = "" if cell is None or vmerge == "continue" else cell.text
    left = cell is not None and cell.kind in ("row", "caption", "corner")
    jc = "left" if left else "center"
    run = f"<w:r>{_RPR}<w:t xml:space=\"preserve\">{_esc(text)}</w:t></w:r>" if text else ""
    return (f"<w:tc><w:tcPr>{''.join(pr)}</w:tcPr><w:p><w:pPr><w:spacing w:line=\"300\" w:lineRule=\"auto\"/>"
            f"<w:ind w:firstLine=\"0\"/><w:jc w:val=\"{jc}\"/>{_RPR}</w:pPr>{run}</w:p></w:tc>")


def table_xml(grid: Grid) -> str:
    total = sum(grid.widths)
    widths = [int(TEXT_WIDTH_TWIPS * w / total) for w in grid.widths]
    matrix = grid.matrix()
    # which cell covers each position: (origin row, origin col)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for i, row in enumerate(matrix):
        for j, c in enumerate(row):
            if c is not None:
                for di in range(c.rowspan):
                    for dj in range(c.colspan):
                        owner[(i + di, j + dj)] = (i, j)
    tall: dict[int, int] = {}
    for i, _j, c in grid.positions():
        if c.vertical:
            end = i + c.rowspan - 1
            tall[end] = max(tall.get(end, 0), len(c.text))
    rows: list[str] = []
    nhead = grid.header_rows
    for i in range(len(grid.rows)):
        tcs: list[str] = []
        j = 0
        while j < grid.ncols:
            oi, oj = owner[(i, j)]
            c = matrix[oi][oj]
            assert c is not None
            width = sum(widths[oj:oj + c.colspan])
            vm = None if c.rowspan == 1 else ("restart" if oi == i else "continue")
            tcs.append(_tc(c if oi == i else None, width, c.colspan, vm))
            j = oj + c.colspan
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if i < nhead else "")
        height = ""
        if i in tall:
            # room for the longest label printed one character per line (on the row where it ends)
            height = f'<w:trHeight w:val="{int(tall[i] * TABLE_PT * 20 * 1.5) + 200}" w:hRule="atLeast"/>'
        rows.append(f"<w:tr><w:trPr>{trpr}{height}</w:trPr>{''.join(tcs)}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
            f"<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            f"<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
            f"<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _core(doc: Any, report: Report, title: str) -> None:
    when = datetime.combine(report.published, datetime.min.time()) if report.published else FIXED_DATE
    cp = doc.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = xml_safe(report.agency or "")
    cp.subject = "政府信息公开工作年度报告"
    cp.keywords = f"{report.year}年度" if report.year else ""
    cp.comments = f"按{report.format.source}格式生成"
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1


def write(report: Report, to: str, layout: Layout, **_: Any) -> bytes:
    doc = new_document()
    _setup(doc)
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for item in layout.items:
        if item.kind == "table" and item.grid is not None:
            tbl = parse_xml(table_xml(item.grid))
            if sect_pr is not None:
                sect_pr.addprevious(tbl)
            else:  # pragma: no cover - the default template has a sectPr
                body.append(tbl)
            continue
        _para(doc, item.text, kind=item.kind)
    _core(doc, report, layout.title)
    return _save(doc)


def _save(doc: Any) -> bytes:
    """The package as bytes, written once with fixed ZIP dates (python-docx's own writer dates
    every entry with the clock)."""
    from docx.opc.pkgwriter import PackageWriter

    pkg = doc.part.package
    parts = list(pkg.iter_parts())
    buf = io.BytesIO()
    writer: Any = FixedZipWriter(buf)  # duck-types python-docx's PhysPkgWriter
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, pkg.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return buf.getvalue()
