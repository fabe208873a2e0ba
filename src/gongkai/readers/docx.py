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

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field, replace

from lxml import etree

from ..errors import ParseError
from ..model import Loc
from .blocks import Block, Document, TextCell
from .html import cell_text, norm

__all__ = ["check_zip", "docx_document", "read_member"]

#: limits for one archive member and for the whole archive, uncompressed
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_MEMBERS = 5000
#: a ratio above this on a member larger than 8 MB is a bomb, not a document
MAX_RATIO = 200

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_XML = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                       huge_tree=False)


# -- the archive ------------------------------------------------------------------------------------

def check_zip(z: zipfile.ZipFile, what: str, where: str | None) -> None:
    """Refuse an archive whose declared sizes are those of a zip bomb."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"{what}内含 {len(infos)} 个部件，超出正常文件的范围，拒绝读取", where=where)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 8 * 1024 * 1024 and ratio > MAX_RATIO):
            raise ParseError(f"{what}中的“{info.filename}”解压后过大（{info.file_size // 1024 // 1024} MB，"
                             f"压缩比 {ratio:.0f}:1），疑似压缩炸弹，拒绝读取", where=where)
    if total > MAX_TOTAL:
        raise ParseError(f"{what}解压后总计 {total // 1024 // 1024} MB，超出上限，拒绝读取", where=where)


def read_member(z: zipfile.ZipFile, name: str, what: str, where: str | None) -> bytes | None:
    """One archive member, read with a bound (None when absent)."""
    try:
        with z.open(name) as f:
            data = f.read(MAX_MEMBER + 1)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        raise ParseError(f"{what}已损坏或不完整（“{name}”无法解压）", where=where) from None
    if len(data) > MAX_MEMBER:
        raise ParseError(f"{what}中的“{name}”解压后过大，疑似压缩炸弹，拒绝读取", where=where)
    return data


def _xml(data: bytes, name: str, where: str | None) -> etree._Element:
    try:
        return etree.fromstring(data, parser=_XML)
    except etree.XMLSyntaxError as e:
        if "depth" in str(e).lower():
            raise ParseError(f"Word 文件已损坏（{name} 的元素嵌套层数过深，不是正常的 Word 文档）", where=where) from None
        raise ParseError(f"Word 文件已损坏（{name} 第{e.lineno}行无法解析）", where=where) from None


# -- numbering --------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting style used by 公文)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                     (_DIGITS[1] if rest < 20 else "") + chinese_number(rest))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_number(n)
    if fmt == "ideographDigital":
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman" or fmt == "upperRoman":
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out if fmt == "lowerRoman" else out.upper()
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalFullWidth":
        return "".join(chr(ord("０") + int(d)) for d in str(n))
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """numbering.xml and the numbered paragraph styles, with running counters."""

    w: str
    #: numId → (abstractNumId, {ilvl: start override})
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    #: paragraph style id → (numId, ilvl)
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, w: str, numbering: etree._Element | None, styles: etree._Element | None) -> Numbering:
        nb = cls(w)
        q = f"{{{w}}}"
        if numbering is not None:
            for a in numbering.iter(f"{q}abstractNum"):
                levels: dict[int, _Level] = {}
                for lvl in a.iter(f"{q}lvl"):
                    lv = _Level()
                    ilvl = int(lvl.get(f"{q}ilvl") or 0)
                    e = lvl.find(f"{q}numFmt")
                    if e is not None:
                        lv.fmt = e.get(f"{q}val") or "decimal"
                    e = lvl.find(f"{q}lvlText")
                    if e is not None:
                        lv.text = e.get(f"{q}val") or ""
                    e = lvl.find(f"{q}start")
                    if e is not None and (e.get(f"{q}val") or "").isdigit():
                        lv.start = int(e.get(f"{q}val") or 1)
                    levels[ilvl] = lv
                nb.abstract[a.get(f"{q}abstractNumId") or ""] = levels
            for n in numbering.iter(f"{q}num"):
                a_id = n.find(f"{q}abstractNumId")
                overrides: dict[int, int] = {}
                for o in n.iter(f"{q}lvlOverride"):
                    s = o.find(f"{q}startOverride")
                    if s is not None and (s.get(f"{q}val") or "").isdigit():
                        overrides[int(o.get(f"{q}ilvl") or 0)] = int(s.get(f"{q}val") or 1)
                nb.nums[n.get(f"{q}numId") or ""] = ((a_id.get(f"{q}val") or "") if a_id is not None else "",
                                                     overrides)
        if styles is not None:
            based: dict[str, str] = {}
            direct: dict[str, tuple[str, int]] = {}
            for s in styles.iter(f"{q}style"):
                sid = s.get(f"{q}styleId") or ""
                b = s.find(f"{q}basedOn")
                if b is not None:
                    based[sid] = b.get(f"{q}val") or ""
                np_ = s.find(f"{q}pPr/{q}numPr")
                if np_ is not None:
                    nid = np_.find(f"{q}numId")
                    lvl = np_.find(f"{q}ilvl")
                    if nid is not None:
                        direct[sid] = (nid.get(f"{q}val") or "", int(lvl.get(f"{q}val") or 0) if lvl is not None else 0)
            for sid in set(based) | set(direct):
                cur, seen = sid, 0
                while cur and cur not in direct and seen < 20:
                    cur, seen = based.get(cur, ""), seen + 1
                if cur in direct:
                    nb.styles[sid] = direct[cur]
        return nb

    def label(self, p: etree._Element) -> str:
        """The automatic number of paragraph ``p`` ('' when it has none), advancing the counters."""
        if not self.nums:
            return ""
        q = f"{{{self.w}}}"
        ppr = p.find(f"{q}pPr")
        if ppr is None:
            return ""
        num_id, ilvl = "", 0
        np_ = ppr.find(f"{q}numPr")
        st = ppr.find(f"{q}pStyle")
        if st is not None and (st.get(f"{q}val") or "") in self.styles:
            num_id, ilvl = self.styles[st.get(f"{q}val") or ""]
        if np_ is not None:
            nid = np_.find(f"{q}numId")
            lvl = np_.find(f"{q}ilvl")
            if nid is not None:
                num_id = nid.get(f"{q}val") or ""
            if lvl is not None and (lvl.get(f"{q}val") or "").isdigit():
                ilvl = int(lvl.get(f"{q}val") or 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels or ilvl > 8:
            return ""
        # counters are kept per abstract list (Word continues a list across numIds sharing it)
        counts = self.counters.setdefault(num_id, [0] * 9)
        for k in range(9):
            if counts[k] == 0 and k <= ilvl:
                lv = levels.get(k)
                counts[k] = (overrides.get(k, lv.start if lv else 1)) - (1 if k == ilvl else 0)
        counts[ilvl] += 1
        for k in range(ilvl + 1, 9):
            counts[k] = 0
        text = levels[ilvl].text
        for k in range(ilvl + 1):
            lv = levels.get(k, _Level())
            text = text.replace(f"%{k + 1}", format_number(counts[k], lv.fmt))
        return text


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
        v = self._val(el)
        return max(0, min(int(v), 1000)) if v.isdigit() else default

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
    what = "Word 文件"
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
        raise ParseError("Word 文件已损坏或不完整，无法打开", where=name) from None
    with z:
        check_zip(z, what, name)
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
