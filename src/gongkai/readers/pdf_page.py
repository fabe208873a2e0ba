"""One PDF page's content → printed lines and ruled tables (the page step of the PDF reader).

The input is what a page engine gives (``RawPage``: chars, ruling lines and rectangles in
pdfplumber's shape, and the number of images); the output is a ``Page`` whose items — ``Line``s
outside ruled tables and ``PageTable``s — are in reading order.  This step runs inside the PDF
engine's process (``pdf_engine``), so a page that takes too long is stopped with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .pdf_tables import Lattice, lattices, ruling_segments
from .pdf_text import Char, join_chars, text_lines

#: chars read at most on one page (a page drawn glyph by glyph as text art is not a report)
MAX_CHARS_PER_PAGE = 20000

#: (page number, width, height, chars, lines, rects, number of images)
RawPage = tuple[int, float, float, list[Char], list[dict[str, Any]], list[dict[str, Any]], int]

#: a reading notice: (code, Chinese message)
PageNotice = tuple[str, str]


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
    #: what the page step could not read in full
    notices: list[PageNotice] = field(default_factory=list)


#: code points a Chinese report prints (Latin, Greek/Cyrillic, punctuation and symbols, CJK)
_PRINTED = ((0x0, 0x4FF), (0x2000, 0x2BFF), (0x2E80, 0x2FDF), (0x3000, 0x4DBF), (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def garbled(text: str) -> bool:
    """A char no Chinese report prints: a glyph number, private use, or a script far from CJK
    (what a font without a text encoding extracts as)."""
    if text.startswith("(cid:"):
        return True
    o = ord(text[0])
    return not any(lo <= o <= hi for lo, hi in _PRINTED)


def read_page(raw_page: RawPage) -> Page:
    """Lines and ruled tables of one page, in reading order."""
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
        page.notices.append(("pdf.chars", f"第{page.number}页文字过多（{len(chars)}个字符），"
                                          f"只读取了前{MAX_CHARS_PER_PAGE}个"))
        chars = chars[:MAX_CHARS_PER_PAGE]
    page.chars = len(chars)
    page.garbled = sum(1 for c in chars if garbled(c["text"]))
    tables = lattices(ruling_segments(raw_lines, raw_rects))
    rest = []
    inside: list[list[Char]] = [[] for _ in tables]
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


def _split(chars: list[Char], size: float, wide: bool) -> list[tuple[float, float, str]]:
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


def _line(page: int, chars: list[Char]) -> Line:
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
