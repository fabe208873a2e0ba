"""Plain text → Document: the first step of the text reader.

Handles text copied out of Word (one cell per line, leading tabs, spacer lines), tab-separated
rows, Markdown pipe tables, text extracted from PDFs (page breaks, page numbers, running
headers), portal "text versions" (a ``key: value`` header above a ``==== 正文 ====`` line), and
the encodings reports come in (UTF-8 with or without BOM, UTF-16, GBK/GB18030).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ..errors import NotAReportError, ParseError
from ..model import Loc
from .blocks import MAX_BLOCKS, MAX_TEXT_CHARS, Block, Document, TextCell, too_many_lines, too_much_text

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|页\s*\d{1,4})\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_REPORT_WORDS = ("政府信息公开", "政府資訊公開", "政府信息公開", "信息公开", "年度报告", "年度報告", "本年新收")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_WRAP = re.compile(r"^(\s*)(?:\*\*|__)(.+?)(?:\*\*|__)\s*$")
_PARA_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\s*[一二三四五六七八九十]+\s*\)|\d+[.、．])")
_PORTAL_BODY = re.compile(r"^=+\s*正文\s*=+\s*$")
_PORTAL_META = re.compile(r"^(标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|本地目录|来源)\s*[:：]\s*(.*)$")


def decode(data: bytes, name: str | None = None) -> tuple[str, str | None]:
    """Text of a file and a notice when the encoding had to be guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    if b"\x00" in data[:4096]:
        raise ParseError("这不是文本文件（含有二进制内容），无法作为年报读取", where=name)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is None:
        raise ParseError("无法识别文件的文字编码（不是 UTF-8 或 GBK/GB18030 文本）", where=name)
    return data.decode(best.encoding, errors="replace"), f"文字编码按 {best.encoding} 识别，可能有误"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > 0.02


def _cells(line: str, lineno: int) -> list[TextCell] | None:
    """A line's cells where the text separates them (pipes, tabs); None for running text."""
    stripped = line.strip(" \u3000")
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [TextCell(p.strip(), Loc(line=lineno, col=i + 1)) for i, p in enumerate(inner.split("|"))]
    if "\t" not in line:
        return None
    # text copied out of a Word table puts each cell on a line of its own, indented by one tab;
    # a tab-separated row keeps its leading empty field
    body = line[1:] if line.startswith("\t") and line.count("\t") == 1 else line
    parts = body.split("\t")
    return [TextCell(p.strip(" \u3000\xa0"), Loc(line=lineno, col=i + 1)) for i, p in enumerate(parts)]


def _running_lines(pages: list[list[tuple[int, str]]]) -> set[str]:
    """Lines that head, or foot, most pages (running headers/footers of a PDF).

    Top and bottom are counted apart, so that a title on the first page and the same agency name
    signing the last page are not taken for a running line."""
    if len(pages) < 2:
        return set()
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for page in pages:
        texts = [t.strip() for _, t in page if t.strip()]
        if len(texts) < 6:  # a short page (the end of the report): its edges are body text
            continue
        tops.update(set(texts[:2]))
        bottoms.update(set(texts[-2:]))
    need = max(2, (len(pages) + 1) // 2)
    return {t for c in (tops, bottoms) for t, n in c.items() if n >= need and len(t) >= 4 and not t.isdigit()}


def _strip_markdown(line: str) -> str:
    """Markdown heading markers and bold around a whole line are not report text."""
    if "#" in line[:8]:
        line = _MD_HEADING.sub("", line)
    if "**" in line or "__" in line:
        m = _MD_WRAP.match(line)
        if m:
            line = m.group(1) + m.group(2)
    if line.lstrip().startswith("> "):
        line = line.replace("> ", "", 1)
    return line


_GAP = re.compile(r"\S\s{2,}\S")


def _prose(b: Block) -> bool:
    return b.kind == "para" and b.cells is None and not _GAP.search(b.text.strip())


_ENDS = ("。", "！", "？", "；")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \u3000"))


@dataclass
class _Left:
    """What ``_continues`` needs to know of the paragraph so far — kept up to date as lines join,
    so that joining n lines costs O(n), not O(n²) (issue 13: a 10,000-line paragraph took 27 s)."""

    prose: bool
    #: the paragraph's text with trailing white space removed, as pieces (joined once at the end)
    pieces: list[str]
    #: length of the stripped text
    size: int
    #: the text has a comma or a full stop (，。,) / a clause mark (，。；,;)
    comma: bool
    clause: bool
    #: the text starts like an item (一、 （一） 1.)
    item: bool

    @classmethod
    def of(cls, b: Block) -> _Left:
        left = b.text.rstrip()
        return cls(_prose(b), [left], len(left.strip()), bool(_COMMA.search(left)), bool(_CLAUSE.search(left)),
                   bool(_PARA_START.match(left)))

    @property
    def last(self) -> str:
        return self.pieces[-1]

    def add(self, right: str) -> None:
        left = self.last
        sep = " " if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha() else ""
        self.pieces.append(sep + right)
        self.size += len(sep) + len(right)
        self.comma = self.comma or bool(_COMMA.search(right))
        self.clause = self.clause or bool(_CLAUSE.search(right))


_COMMA = re.compile(r"[，。,]")
_CLAUSE = re.compile(r"[，。；,;]")


def _continues(prev: Block | _Left, b: Block, indented_paragraphs: bool = False) -> bool:
    """``b`` carries on the paragraph ``prev`` (a line wrapped by a PDF extraction): ``prev`` is a
    long prose line that stops mid-sentence, ``b`` a prose line flush left that starts no item.
    Where paragraphs are known to start indented, a flush-left line continues even after a full
    stop (the sentence ended at the margin)."""
    run: _Left | None = None
    if isinstance(prev, _Left):
        run = prev
        if not run.prose:
            return False
        left = run.last
    else:  # a single line: its facts are computed only as far as needed
        if not _prose(prev):
            return False
        left = prev.text.rstrip()
    right = b.text
    if not _prose(b) or _PARA_START.match(right) or _indent(right) >= 2:
        return False
    size = run.size if run is not None else len(left.strip())
    if left.endswith(_ENDS) and not (indented_paragraphs and left.endswith("。") and size >= 12):
        return False
    if left.endswith(("年度报告", "工作报告")) and not (run.comma if run is not None else _COMMA.search(left)):
        return False  # a title
    item = run.item if run is not None else _PARA_START.match(left)
    if item and size <= 30 and not (run.clause if run is not None else _CLAUSE.search(left)):
        return False  # a sub-heading line: （二）信息公开平台建设方面
    if size >= 12:
        return True
    # a line broken before a long web address: "网址为：" / "https://…"
    return left.endswith(("：", ":")) and right.lstrip().startswith(("http", "www."))


def _reflow(blocks: list[Block]) -> list[Block]:
    """Join the lines of paragraphs that a PDF extraction wrapped.

    Applies only to documents where many lines stop mid-sentence and carry on flush left on the
    next line (text extracted from a PDF, paragraphs indented on their first line); lines copied out
    of Word are whole paragraphs and are left alone.  Linear in the number of lines.
    """
    pairs = sum(1 for a, b in pairwise(blocks) if _continues(a, b))
    if pairs < 5:
        return blocks
    # after a full stop, does a new paragraph start indented (首行缩进) far more often than not?
    after_stop = [_indent(b.text) >= 2 for a, b in pairwise(blocks)
                  if _prose(a) and _prose(b) and a.text.rstrip().endswith("。")]
    indented = after_stop.count(True) >= 2 * max(1, after_stop.count(False))
    out: list[Block] = []
    runs: list[_Left | None] = []  # for each block of ``out``: its paragraph so far when lines joined it
    cur: _Left | None = None
    for b in blocks:
        if out:
            if cur is None:
                cur = _Left.of(out[-1])
            if _continues(cur, b, indented):
                cur.add(b.text.strip())
                runs[-1] = cur
                continue
        out.append(b)
        runs.append(None)
        cur = None
    for i, run in enumerate(runs):
        if run is not None:
            out[i] = Block.para("".join(run.pieces), out[i].loc)
    return out


def _repeated_headers(pages: list[list[tuple[int, str]]], running: set[str]) -> set[int]:
    """Line numbers of a table header repeated at the top of a page (lines without digits that
    the document printed before), which would otherwise cut a label running on over the page."""
    seen: set[str] = set()
    drop: set[int] = set()
    for p, page in enumerate(pages):
        at_top = p > 0
        for n, line in page:
            t = line.strip()
            if not t:
                continue
            if at_top:
                if t in running:
                    continue
                if t in seen and not any(ch.isdigit() for ch in t):
                    drop.add(n)
                    continue
                at_top = False
            seen.add(t)
    return drop


def text_document_from_str(text: str, *, name: str | None = None, notices: list[tuple[str, str]] | None = None
                           ) -> Document:
    if _looks_binary(text):
        raise ParseError("这不是文本文件（含有大量控制字符或乱码），无法作为年报读取", where=name)
    if len(text) > 200_000 and not any(w in text for w in _REPORT_WORDS):
        # a large file with no word of a disclosure report: say so before splitting it into cells
        raise NotAReportError("文件中没有“政府信息公开”“年度报告”等字样，不是政府信息公开工作年度报告", where=name)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if len(text) > MAX_TEXT_CHARS:
        raise too_much_text(len(text), name)
    lines = text.split("\n")
    if len(lines) > MAX_BLOCKS:
        filled = sum(1 for line in lines if line.strip())
        if filled > MAX_BLOCKS:
            raise too_many_lines(filled, name)
    meta: dict[str, str] = {}
    start = 0
    # a portal's text version: "key: value" lines above a "==== 正文 ====" line
    for i, line in enumerate(lines[:40]):
        if _PORTAL_BODY.match(line):
            for head in lines[:i]:
                m = _PORTAL_META.match(head.strip())
                if m and m.group(2).strip():
                    meta[m.group(1)] = m.group(2).strip()
            start = i + 1
            break
    if "标题" in meta:
        meta["title"] = meta["标题"]
    for k in ("发布时间", "发布日期"):
        if k in meta:
            m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", meta[k])
            if m:
                meta["posted"] = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"

    # split into pages at form feeds, remembering line numbers (1-based)
    pages: list[list[tuple[int, str]]] = [[]]
    for n, line in enumerate(lines[start:], start=start + 1):
        parts = line.split("\f")
        for j, part in enumerate(parts):
            if j > 0:
                pages.append([])
            pages[-1].append((n, part))
    running = _running_lines(pages)
    repeated = _repeated_headers(pages, running)

    blocks: list[Block] = []
    for p, page in enumerate(pages):
        nonempty = [i for i, (_, t) in enumerate(page) if t.strip()]
        for i, (n, line) in enumerate(page):
            if n in repeated:
                continue
            if not line.strip():
                if "\t" in line:  # a spacer cell copied out of a Word table
                    blocks.append(Block.para("", Loc(line=n), [TextCell("", Loc(line=n, col=1))]))
                continue
            s = line.strip()
            if _PAGE_NUMBER.match(s):
                continue
            if s in running:
                continue
            # a bare number alone at the very top or bottom of a page, next to a page break: a page number
            if len(pages) > 1 and s.isdigit() and len(s) <= 3 and nonempty and i in (nonempty[0], nonempty[-1]) \
                    and ((i == nonempty[0] and p > 0) or (i == nonempty[-1] and p < len(pages) - 1)) \
                    and "\t" not in line:
                continue
            if _PIPE_SEPARATOR.match(s):
                continue
            line = _strip_markdown(line)
            blocks.append(Block.para(line.rstrip(), Loc(line=n), _cells(line.rstrip("\n"), n)))
    blocks = _reflow(blocks)
    doc = Document(blocks=blocks, name=name, kind="text", meta=meta, notices=list(notices or []))
    return doc


def text_document(data: bytes, *, name: str | None = None) -> Document:
    if not data.strip():
        raise ParseError("文件是空的", where=name)
    text, guessed = decode(data, name)
    notices = [("encoding", guessed)] if guessed else []
    return text_document_from_str(text, name=name, notices=notices)
