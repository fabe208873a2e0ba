"""DOCX source step: a Word file → ``Document``.

Reads the WordprocessingML directly (the XML python-docx wraps) for speed and control:

* body order: paragraphs and tables as they stand in ``w:body`` (content controls ``w:sdt`` and
  ``w:customXml`` are looked through); text boxes (``w:txbxContent``) follow their paragraph, read
  once (the VML fallback copy of a drawing is skipped);
* tables: ``w:gridSpan`` → colspan, ``w:vMerge`` → rowspan, ``w:gridBefore`` respected; a merged cell
  appears once at its first grid position; a cell's paragraphs are joined without separator
  (vertical headers written one character per line, numbers split over runs);
* 公文 numbering: automatic list numbers are not in the text; they are rebuilt from ``w:numPr``
  (direct or through the paragraph style) and ``numbering.xml`` (一、 （一） 1. …);
* a soft line break (``w:br``) ends a line: each line is its own para block;
* a part imported whole (``w:altChunk``, how CMS "export to Word" buttons often build the file) is
  read in place: HTML and web archives (MHT) by the HTML reader, plain text line by line.

The archive is checked before anything is decompressed (zip bomb) and every read is bounded.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import replace

from lxml import etree

from ..errors import ParseError
from ..model import Loc
from .blocks import Block, Document, TextCell
from .docx_numbering import Numbering, chinese_number, small_int
from .html import cell_text, norm
from .ooxml import check_zip, open_zip, parse_xml, read_member

__all__ = ["check_zip", "chinese_number", "docx_document", "read_member"]

_WHAT = "Word 文件"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xml(data: bytes, name: str, where: str | None) -> etree._Element:
    return parse_xml(data, name, _WHAT, where)


# -- imported parts (w:altChunk) ---------------------------------------------------------------------

def _chunk_html(data: bytes) -> bytes | None:
    """The HTML of an imported part: an HTML file as is, a web archive (MHT) unpacked; else None."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<meta", b"<?xml", b"<div", b"<p", b"<table")):
        return data
    if b"mime-version" in head or b"content-type: multipart" in head:
        import email
        from email import policy

        msg = email.message_from_bytes(data, policy=policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    charset = part.get_content_charset()
                    if charset and b"charset" not in payload[:4096].lower():
                        payload = f'<meta charset="{charset}">'.encode() + payload
                    return payload
    return None


def _chunks(z: zipfile.ZipFile, root: etree._Element, w: str, where: str | None) -> dict[str, bytes]:
    ids = {e.get(f"{{{_R}}}id") for e in root.iter(f"{{{w}}}altChunk")} - {None}
    if not ids:
        return {}
    rels = read_member(z, "word/_rels/document.xml.rels", "Word 文件", where)
    if rels is None:
        return {}
    out: dict[str, bytes] = {}
    for rel in _xml(rels, "document.xml.rels", where):
        rid, target = rel.get("Id"), rel.get("Target") or ""
        if rid in ids and rel.get("TargetMode") != "External":
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("word/" + target)
            data = read_member(z, part, "Word 文件", where)
            if data is not None:
                out[str(rid)] = data
    return out


# -- the body ---------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, w: str, numbering: Numbering) -> None:
        self.q = f"{{{w}}}"
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.tables = 0
        self.paras = 0
        q = self.q
        self.P, self.TBL, self.TR, self.TC = q + "p", q + "tbl", q + "tr", q + "tc"
        self.T, self.TAB, self.BR, self.CR = q + "t", q + "tab", q + "br", q + "cr"
        self.TXBX = q + "txbxContent"
        self.SDT, self.SDTC, self.CXML = q + "sdt", q + "sdtContent", q + "customXml"
        self.R, self.RPR, self.VANISH = q + "r", q + "rPr", q + "vanish"
        self.ALT = q + "altChunk"
        #: relationship id → bytes of the parts imported by w:altChunk
        self.chunks: dict[str, bytes] = {}
        #: facts an imported web page states outside its article (title, 发布时间)
        self.meta: dict[str, str] = {}
        self.SKIP = frozenset({f"{{{_MC}}}Fallback", q + "moveFrom", q + "pPr", q + "rPr", q + "del",
                               q + "instrText", q + "delText"})

    def _vanished(self, run: etree._Element) -> bool:
        rpr = run.find(self.RPR)
        if rpr is None:
            return False
        v = rpr.find(self.VANISH)
        return v is not None and (v.get(self.q + "val") or "true") not in ("0", "false", "off")

    def children(self, el: etree._Element) -> list[etree._Element]:
        """Children of a container, looking through content controls and custom XML."""
        out: list[etree._Element] = []
        stack = [iter(el)]
        while stack:
            for c in stack[-1]:
                if c.tag == self.SDT:
                    content = c.find(self.SDTC)
                    if content is not None:
                        stack.append(iter(content))
                        break
                elif c.tag == self.CXML:
                    stack.append(iter(c))
                    break
                else:
                    out.append(c)
            else:
                stack.pop()
        return out

    def para_lines(self, p: etree._Element) -> tuple[list[str], list[etree._Element]]:
        """Lines of paragraph ``p`` (split at soft breaks) and the text boxes anchored in it."""
        lines: list[list[str]] = [[]]
        boxes: list[etree._Element] = []
        stack = list(reversed(list(p)))
        while stack:
            e = stack.pop()
            tag = e.tag
            if tag == self.T:
                if e.text:
                    lines[-1].append(e.text)
            elif tag == self.TAB:
                lines[-1].append("\t")
            elif tag in (self.BR, self.CR):
                lines.append([])
            elif tag == self.TXBX:
                boxes.append(e)
            elif tag in self.SKIP or not isinstance(tag, str):
                continue  # the VML copy of a drawing, text moved away, paragraph marks' properties
            elif tag == self.R and self._vanished(e):
                continue  # hidden text is not printed
            elif tag in (self.P, self.TBL):  # paragraphs/tables nested outside a text box: read in place
                boxes.append(e)
            else:
                stack.extend(reversed(list(e)))
        return ["".join(x) for x in lines], boxes

    def paragraph(self, p: etree._Element) -> None:
        lines, boxes = self.para_lines(p)
        label = self.numbering.label(p)
        self.paras += 1
        first = True
        for raw in lines:
            text = norm(raw)
            if first and label and not text.startswith(norm(label)):
                text = norm(label) + text if text else text
            first = False
            if text:
                self.blocks.append(Block.para(text, Loc(line=self.paras)))
        for box in boxes:
            self.container(box)

    def container(self, el: etree._Element) -> None:
        if el.tag == self.P:
            self.paragraph(el)
            return
        if el.tag == self.TBL:
            self.table(el)
            return
        for c in self.children(el):
            if c.tag == self.P:
                self.paragraph(c)
            elif c.tag == self.TBL:
                self.table(c)
            elif c.tag == self.ALT:
                self.alt_chunk(c)

    def alt_chunk(self, el: etree._Element) -> None:
        """A part imported whole ("altChunk": CMS "export to Word" often puts the report in an HTML
        or MHT part): its blocks stand in place, its tables numbered after the ones before it."""
        data = self.chunks.get(el.get(f"{{{_R}}}id") or "")
        if not data:
            return
        html = _chunk_html(data)
        if html is None:
            text = data.decode("utf-8", errors="replace") if data[:4] != b"{\\rt" else ""
            for line in text.splitlines():
                self.paras += 1
                if norm(line):
                    self.blocks.append(Block.para(norm(line), Loc(line=self.paras)))
            return
        from .html import html_document

        base = self.tables
        part = html_document(html)
        for k, v in part.meta.items():
            self.meta.setdefault(k, v)
        for b in part.blocks:
            if b.kind == "table":
                self.tables += 1
                b.loc = replace(b.loc, table=base + (b.loc.table or 0), line=None)
                for row in b.rows:
                    for cell in row:
                        cell.loc = replace(cell.loc, table=base + (cell.loc.table or 0), line=None)
            else:
                self.paras += 1
                b.loc = Loc(line=self.paras)
            self.blocks.append(b)

    def cell_text(self, tc: etree._Element) -> str:
        parts: list[str] = []
        for c in self.children(tc):
            if c.tag == self.P:
                lines, boxes = self.para_lines(c)
                label = self.numbering.label(c)
                joined = "".join(lines)
                if label and not norm(joined).startswith(norm(label)) and norm(joined):
                    joined = label + joined
                parts.append(joined)
                for b in boxes:
                    parts.extend(self._plain(b))
            elif c.tag == self.TBL:
                parts.extend(self._plain(c))
        return cell_text(parts)

    def _plain(self, el: etree._Element) -> list[str]:
        out = []
        for t in el.iter(self.T):
            if t.text:
                out.append(t.text)
        return out

    def _val(self, el: etree._Element | None, default: str = "") -> str:
        if el is None:
            return default
        return el.get(self.q + "val", default) or default

    def _int(self, el: etree._Element | None, default: int = 1) -> int:
        return small_int(self._val(el), default)

    def layout_cells(self, tbl: etree._Element) -> list[etree._Element] | None:
        """The cells of a table used for page layout (one cell, or cells holding tables), else None."""
        cells = [tc for tr in self.children(tbl) if tr.tag == self.TR for tc in self.children(tr)
                 if tc.tag == self.TC]
        if len(cells) == 1 or any(c.tag == self.TBL for tc in cells for c in self.children(tc)):
            return cells
        return None

    def table(self, tbl: etree._Element) -> None:
        layout = self.layout_cells(tbl)
        if layout is not None:
            for tc in layout:  # a frame around the text, or a table holding the report's tables
                self.container(tc)
            return
        q = self.q
        self.tables += 1
        index = self.tables
        rows: list[list[TextCell]] = []
        open_v: dict[int, TextCell] = {}
        r = 0
        for tr in self.children(tbl):
            if tr.tag != self.TR:
                continue
            trpr = tr.find(q + "trPr")
            col = self._int(trpr.find(q + "gridBefore"), 0) if trpr is not None else 0
            row: list[TextCell] = []
            for tc in self.children(tr):
                if tc.tag != self.TC:
                    continue
                tcpr = tc.find(q + "tcPr")
                span, vmerge, hmerge = 1, None, None
                if tcpr is not None:
                    span = max(1, self._int(tcpr.find(q + "gridSpan"), 1))
                    vm = tcpr.find(q + "vMerge")
                    if vm is not None:
                        vmerge = self._val(vm, "continue")
                    hm = tcpr.find(q + "hMerge")
                    if hm is not None:
                        hmerge = self._val(hm, "continue")
                if hmerge == "continue" and row:
                    row[-1].colspan += span
                    col += span
                    continue
                if vmerge == "continue" and col in open_v:
                    open_v[col].rowspan += 1
                    col += span
                    continue
                cell = TextCell(self.cell_text(tc), Loc(table=index, row=r + 1, col=col + 1), 1, span)
                row.append(cell)
                if vmerge == "restart":
                    for k in range(col, col + span):
                        open_v[k] = cell
                else:
                    for k in range(col, col + span):
                        open_v.pop(k, None)
                col += span
            if row:
                rows.append(row)
            r += 1
        if rows:
            self.blocks.append(Block.table(rows, Loc(table=index)))


def docx_document(data: bytes, name: str | None = None) -> Document:
    """Blocks of a Word (.docx) file (see the module docstring)."""
    what = _WHAT
    with open_zip(data, what, name) as z:
        body_xml = read_member(z, "word/document.xml", what, name)
        if body_xml is None:
            raise ParseError("这不是 Word 文件（缺少 word/document.xml）", where=name)
        numbering_xml = read_member(z, "word/numbering.xml", what, name)
        styles_xml = read_member(z, "word/styles.xml", what, name)
        root = _xml(body_xml, "document.xml", name)
        w = _W_STRICT if root.tag.startswith(f"{{{_W_STRICT}}}") else _W
        chunks = _chunks(z, root, w, name)
    body = root.find(f"{{{w}}}body")
    if body is None:
        raise ParseError("Word 文件中没有正文", where=name)
    numbering = Numbering.load(
        w,
        _xml(numbering_xml, "numbering.xml", name) if numbering_xml else None,
        _xml(styles_xml, "styles.xml", name) if styles_xml else None,
    )
    reader = _Reader(w, numbering)
    reader.chunks = chunks
    reader.container(body)
    return Document(blocks=reader.blocks, name=name, kind="docx", meta=reader.meta)
