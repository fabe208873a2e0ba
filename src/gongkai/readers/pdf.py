"""PDF → Document: the first step of the PDF reader.

Text PDFs as agencies make them (Word/WPS "save as PDF", LibreOffice): chars with positions and
ruling lines are read page by page (PDFium through pypdfium2, ``pdf_pdfium``; or pdfplumber over
pdfminer, the slower pure-Python backend: ``ReadOptions.pdf_backend``) in an engine process that can be stopped
(``pdf_engine``), each page released before the next, then

1. tables drawn with ruling lines are rebuilt as grids with merged cells (``pdf_tables``), the
   remaining chars become printed lines (``pdf_page``);
2. running headers/footers and page numbers (``- 3 -``, ``第3页``) are dropped (here);
3. lines whose pieces line up in columns (tables printed without ruling lines) become grids
   (``pdf_grid``); other lines are joined into paragraphs (CJK lines joined without spaces), and
   a table continued on the next page is joined to its first part — repeated header rows
   dropped, a label cut by the page break (（四）无 / 法提供) joined back (``pdf_flow``).

Modules, each importing only those before it: ``pdf_text`` (chars → lines → text) →
``pdf_tables`` (ruled tables) → ``pdf_page`` (one page) → ``pdf_engine`` (the worker process) and
``pdf_grid`` (unruled tables) → ``pdf_flow`` (blocks in reading order) → ``pdf`` (this one).

Image-only pages (scans) are read by OCR in the engine process (``ocr``; ``ReadOptions.ocr``) and
noted on the document (``Document.ocr_pages``); encrypted PDFs and broken files are refused with a
clear message.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..options import ReadOptions
from .blocks import Block, Document
from .pdf_engine import Reading, read_pages
from .pdf_flow import Flow
from .pdf_page import Line, Page, PageNotice

_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$|^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$|^Page\s*\d{1,4}(\s*of\s*\d{1,4})?$", re.I)


def pdf_document(data: bytes, name: str | None = None, options: ReadOptions | None = None) -> Document:
    """The blocks of a PDF report (backend, page cap and time budget from ``options``)."""
    opts = options or ReadOptions()
    reading = read_pages(data, name, backend=opts.pdf_backend, max_pages=opts.pdf_max_pages,
                         seconds=opts.pdf_seconds, ocr=opts.ocr)
    pages, total, notices = _checked(reading, name)
    _drop_running_lines(pages)
    blocks = _blocks(pages)
    if total > len(pages):
        notices.append(("pdf.pages", f"PDF 共{total}页，只读取了前{len(pages)}页"))
    ocr_pages = [n for n in reading.ocr if n <= len(pages)]
    if ocr_pages:
        notices.append(("pdf.ocr", f"{_pages(ocr_pages)}是图片（扫描件），文字和数字由 OCR 识别，"
                                   "可能有误认；这些数字在来源中标为“OCR 识别”，请与原件核对"))
    return Document(blocks=blocks, name=name, kind="pdf", notices=notices, ocr_pages=ocr_pages)


def _pages(numbers: list[int]) -> str:
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第{numbers[0]}–{numbers[-1]}页"
    return "第" + "、".join(map(str, numbers)) + "页"


# -- step 1: pages → lines and ruled tables (in the engine process) ----------------------------

def _checked(reading: Reading, name: str | None) -> tuple[list[Page], int, list[PageNotice]]:
    out, total = reading.pages, reading.total
    if total == 0:
        raise ParseError("PDF 没有任何页面", where=name)
    notices: list[PageNotice] = [n for p in out for n in p.notices]
    notices += reading.notices
    chars = sum(p.chars for p in out)
    if chars == 0:
        if any(p.images for p in out):
            why = "OCR 未识别出文字" if reading.ocr else "需要 OCR 识别，但 OCR 已关闭（ocr=off）"
            raise ParseError(f"这是扫描图片版 PDF，共{total}页，没有可提取的文字；{why}", where=name)
        raise ParseError(f"PDF 中没有可提取的文字（共{total}页）", where=name)
    if sum(p.garbled for p in out) * 2 >= chars:
        raise ParseError("PDF 的字体缺少文字编码（提取出的是字形编号或无意义的字符），无法读取文字；可设 ocr=on 用 OCR 识别",
                         where=name)
    for p in out:
        if p.chars == 0 and p.images:
            why = "OCR 未识别出文字" if p.number in reading.ocr else "OCR 已关闭，未能读取"
            notices.append(("pdf.image_page", f"第{p.number}页只有图片、没有文字，可能是扫描页；{why}"))
    return out, total, notices


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
    flow = Flow()
    for p in pages:
        flow.page(p)
    return flow.finish()

