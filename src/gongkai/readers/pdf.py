"""PDF → Document: the first step of the PDF reader.

Text PDFs as agencies make them (Word/WPS "save as PDF", LibreOffice): chars with positions and
ruling lines are read page by page (PDFium through pypdfium2, ``pdf_pdfium``; or pdfplumber over
pdfminer, the slower pure-Python backend: ``ReadOptions.pdf_backend``), each page released before the next, then

1. tables drawn with ruling lines are rebuilt as grids with merged cells (``pdf_tables``);
2. the remaining chars become printed lines; running headers/footers and page numbers
   (``- 3 -``, ``第3页``) are dropped;
3. lines whose pieces line up in columns (tables printed without ruling lines) become grids;
   other lines are joined into paragraphs (CJK lines joined without spaces);
4. a table continued on the next page is joined to its first part (repeated header rows
   dropped, a label cut by the page break — （四）无 / 法提供 — joined back).

Image-only PDFs, encrypted PDFs and broken files are refused with a clear message.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParseError
from ..options import ReadOptions
from .blocks import Block, Document
from .pdf_tables import Lattice, join_chars, lattices, ruling_segments, text_lines

#: chars read at most on one page (a page drawn glyph by glyph as text art is not a report)
MAX_CHARS_PER_PAGE = 20000

_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$|^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$|^Page\s*\d{1,4}(\s*of\s*\d{1,4})?$", re.I)
_NUMERIC = re.compile(r"^[+\-－—–]?[\d０-９][\d０-９,，.．]*(万元|亿元|元|件|个|条|项)?$|^[/／—\-－–]+$|^无$")
_ENUM_START = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.．、])")


@dataclass(slots=True)
class Line:
    """A printed line outside ruled tables."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    #: pieces separated by wide gaps: (x0, x1, text)
    segments: list[tuple[float, float, str]]
    #: pieces separated by any gap wider than a table cell's padding
    pieces: list[tuple[float, float, str]]
    #: line number on its page (lines outside ruled tables), set when laid out
    no: int = 0
    #: width of the unbreakable run the line starts with (a URL, a number, a Latin word; 0 for CJK)
    lead: float = 0.0


@dataclass(slots=True)
class PageTable:
    page: int
    lattice: Lattice


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    items: list[Line | PageTable] = field(default_factory=list)
    images: int = 0
    chars: int = 0
    #: chars that are glyph numbers or private-use code points (a font without a text encoding)
    garbled: int = 0


def pdf_document(data: bytes, name: str | None = None, options: ReadOptions | None = None) -> Document:
    """The blocks of a PDF report (backend, page cap and time budget from ``options``)."""
    pages, total, notices = _read_pages(data, name, options or ReadOptions())
    _drop_running_lines(pages)
    blocks = _blocks(pages)
    if total > len(pages):
        notices.append(("pdf.pages", f"PDF 共{total}页，只读取了前{len(pages)}页"))
    return Document(blocks=blocks, name=name, kind="pdf", notices=notices)


# -- step 1: pages → lines and ruled tables ---------------------------------------------------

_ENCRYPTED = "PDF 已加密（设有打开密码），无法读取；请提供未加密的文件"

#: (page number, width, height, chars, lines, rects, number of images)
RawPage = tuple[int, float, float, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], int]


class _Source:
    """Pages of a PDF, read one at a time and released after use."""

    def __init__(self, data: bytes, name: str | None, backend: str) -> None:
        self.backend = backend
        self.name = name
        if backend == "pdfplumber":
            self._open_plumber(data)
        else:
            self._open_pdfium(data)

    def _open_pdfium(self, data: bytes) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            self.doc: Any = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise ParseError(_ENCRYPTED, where=self.name) from None
            raise ParseError("PDF 文件已损坏或不完整，无法打开", where=self.name) from None
        self.total = len(self.doc)

    def _open_plumber(self, data: bytes) -> None:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        try:
            self.doc = pdfplumber.open(io.BytesIO(data))
            self.pages = self.doc.pages  # parses the page tree
        except Exception as e:
            cause: BaseException = e
            while (type(cause).__name__ == "PdfminerException" and cause.args
                   and isinstance(cause.args[0], BaseException)):
                cause = cause.args[0]
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(cause).lower():
                raise ParseError(_ENCRYPTED, where=self.name) from None
            raise ParseError(f"PDF 文件已损坏或不完整，无法打开（{type(cause).__name__}）", where=self.name) from None
        self.total = len(self.pages)

    def page(self, i: int) -> RawPage:
        if self.backend == "pdfplumber":
            pl = self.pages[i]
            try:
                return (i + 1, float(pl.width), float(pl.height), list(pl.chars), list(pl.lines), list(pl.rects),
                        len(pl.images))
            finally:
                pl.close()
        from .pdf_pdfium import PageContent

        pg = self.doc[i]
        try:
            pc = PageContent(pg)
        finally:
            pg.close()
        return (i + 1, pc.width, pc.height, pc.chars, pc.lines, pc.rects, pc.images)

    def close(self) -> None:
        self.doc.close()


def _read_pages(data: bytes, name: str | None, opts: ReadOptions) -> tuple[list[Page], int, list[tuple[str, str]]]:
    src = _Source(data, name, opts.pdf_backend)
    notices: list[tuple[str, str]] = []
    out: list[Page] = []
    total = src.total
    start = time.monotonic()
    try:
        if total == 0:
            raise ParseError("PDF 没有任何页面", where=name)
        for i in range(min(total, opts.pdf_max_pages)):
            if time.monotonic() - start > opts.pdf_seconds:
                notices.append(("pdf.time", f"PDF 读取超过{opts.pdf_seconds:g}秒，只读取了前{len(out)}页"))
                break
            try:
                raw_page = src.page(i)
            except Exception as e:
                raise ParseError(f"PDF 第{i + 1}页已损坏，无法读取（{type(e).__name__}）", where=name) from None
            out.append(_read_page(raw_page, notices))
    finally:
        src.close()
    chars = sum(p.chars for p in out)
    if chars == 0:
        if any(p.images for p in out):
            raise ParseError(f"这是扫描图片版 PDF，需要 OCR 识别（暂不支持）：共{total}页，没有可提取的文字",
                             where=name)
        raise ParseError(f"PDF 中没有可提取的文字（共{total}页）", where=name)
    if sum(p.garbled for p in out) * 2 >= chars:
        raise ParseError("PDF 的字体缺少文字编码（提取出的是字形编号或无意义的字符），无法读取文字；可尝试 OCR",
                         where=name)
    for p in out:
        if p.chars == 0 and p.images:
            notices.append(("pdf.image_page", f"第{p.number}页只有图片、没有文字，可能是扫描页，未能读取"))
    return out, total, notices


#: code points a Chinese report prints (Latin, Greek/Cyrillic, punctuation and symbols, CJK)
_PRINTED = ((0x0, 0x4FF), (0x2000, 0x2BFF), (0x2E80, 0x2FDF), (0x3000, 0x4DBF), (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _garbled(text: str) -> bool:
    """A char no Chinese report prints: a glyph number, private use, or a script far from CJK
    (what a font without a text encoding extracts as)."""
    if text.startswith("(cid:"):
        return True
    o = ord(text[0])
    return not any(lo <= o <= hi for lo, hi in _PRINTED)


def _read_page(raw_page: RawPage, notices: list[tuple[str, str]]) -> Page:
    number, width, height, raw_chars, raw_lines, raw_rects, images = raw_page
    page = Page(number, width, height)
    page.images = images
    chars = []
    seen: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for c in raw_chars:
        if not c["text"].strip() or not (-1 <= c["x0"] <= page.width + 1 and -1 <= c["top"] <= page.height + 1):
            continue
        band = int(c["top"] // 4)
        if any(abs(x - c["x0"]) < 1.0 and abs(y - c["top"]) < 1.0
               for b in (band - 1, band, band + 1) for x, y in seen.get((c["text"], b), ())):
            continue  # drawn twice (fake bold, shadow): one char
        seen.setdefault((c["text"], band), []).append((c["x0"], c["top"]))
        chars.append(c)
    if len(chars) > MAX_CHARS_PER_PAGE:
        notices.append(("pdf.chars", f"第{page.number}页文字过多（{len(chars)}个字符），只读取了前{MAX_CHARS_PER_PAGE}个"))
        chars = chars[:MAX_CHARS_PER_PAGE]
    page.chars = len(chars)
    page.garbled = sum(1 for c in chars if _garbled(c["text"]))
    tables = lattices(ruling_segments(raw_lines, raw_rects))
    rest = []
    inside: list[list[dict[str, Any]]] = [[] for _ in tables]
    for ch in chars:
        for k, t in enumerate(tables):
            if t.contains(ch):
                inside[k].append(ch)
                break
        else:
            rest.append(ch)
    items: list[Line | PageTable] = []
    for t, tchars in zip(tables, inside, strict=True):
        if not tchars:
            continue  # a drawn frame or a form with no text
        t.fill(tchars)
        items.append(PageTable(page.number, t))
    for ln in text_lines(rest):
        items.append(_line(page.number, ln))
    items.sort(key=lambda it: it.lattice.bbox[1] if isinstance(it, PageTable) else it.top)
    page.items = items
    return page


def _split(chars: list[dict[str, Any]], size: float, wide: bool) -> list[tuple[float, float, str]]:
    """Pieces of a line: at wide gaps (``wide``: the cells a reader sees) or at any gap wider
    than cell padding (the pieces a table without ruling lines is rebuilt from)."""
    out: list[tuple[float, float, str]] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i < len(chars):
            gap = chars[i]["x0"] - chars[i - 1]["x1"]
            if wide:
                cut = gap > size * 1.8
            else:
                digits = chars[i]["text"][:1].isdigit() and chars[i - 1]["text"][-1:].isdigit()
                cut = gap > size * (0.25 if digits else 0.4)
            if not cut:
                continue
        piece = chars[start:i]
        out.append((piece[0]["x0"], piece[-1]["x1"], join_chars(piece)))
        start = i
    return out


def _line(page: int, chars: list[dict[str, Any]]) -> Line:
    sizes = sorted(c.get("size") or (c["bottom"] - c["top"]) for c in chars)
    size = sizes[len(sizes) // 2]
    segments = _split(chars, size, True)
    k = 0
    while k < len(chars) and chars[k]["text"][:1].isascii() and not chars[k]["text"].isspace():
        k += 1
    return Line(page, min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                chars[0]["x0"], max(c["x1"] for c in chars), size,
                join_chars(chars) if len(segments) == 1 else " ".join(s[2] for s in segments),
                segments, _split(chars, size, False), lead=chars[k - 1]["x1"] - chars[0]["x0"] if k else 0.0)


# -- step 2: running headers, footers and page numbers ----------------------------------------

def _drop_running_lines(pages: list[Page]) -> None:
    def edge_lines(p: Page) -> list[Line]:
        return [it for it in p.items if isinstance(it, Line)
                and (it.bottom < p.height * 0.1 or it.top > p.height * 0.9)]

    counts: dict[str, int] = {}
    for p in pages:
        for key in {re.sub(r"\d+", "#", ln.text) for ln in edge_lines(p)}:
            counts[key] = counts.get(key, 0) + 1
    repeated = {t for t, n in counts.items() if n >= 2 and n >= len(pages) // 2}
    for p in pages:
        drop = set()
        for ln in edge_lines(p):
            if _PAGE_NUMBER.match(ln.text) or re.sub(r"\d+", "#", ln.text) in repeated:
                drop.add(id(ln))
        # a bare page number anywhere in the bottom band, e.g. "- 3 -" set just above the margin
        p.items = [it for it in p.items if id(it) not in drop
                   and not (isinstance(it, Line) and it.top > p.height * 0.8 and _PAGE_NUMBER.match(it.text)
                            and it is _last_line(p))]


def _last_line(p: Page) -> Line | None:
    """The last item of the page if it is a printed line (not a table)."""
    last = p.items[-1] if p.items else None
    return last if isinstance(last, Line) else None


# -- step 3: lines → paragraphs and grids; tables joined across pages -------------------------

def _blocks(pages: list[Page]) -> list[Block]:
    from .pdf_flow import Flow

    flow = Flow()
    for p in pages:
        flow.page(p)
    return flow.finish()


def numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text.replace(" ", "")))


def enumerated(text: str) -> bool:
    return bool(_ENUM_START.match(text))

