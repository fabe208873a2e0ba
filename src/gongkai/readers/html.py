"""HTML source step: a saved portal page (or a Word "save as web page") → ``Document``.

* decoding: BOM, then the page's declared charset (GB2312/GBK read as GB18030), then UTF-8, then
  charset-normalizer's guess (with a notice);
* the article: the smallest element holding every section heading and data table of the report,
  so navigation, sidebars, footers, scripts and styles around it are left out;
* blocks in document order: a ``para`` per paragraph / line (``<p>``, ``<div>``, ``<br>`` …) and a
  ``table`` per innermost ``<table>`` (a table that holds tables is page layout, walked through);
* table cells: text of every nested ``<p>``/``<span>`` joined with no separator (Word-pasted
  ``<span>1</span><span>2</span>`` → ``12``; a header written one character per line → one word),
  ``&nbsp;``-only cells → ``""``, each merged cell once at its first grid position;
* portal facts outside the article (title, 发布时间, 来源) → ``Document.meta``.

Every walk is iterative (an explicit stack): a hostile page cannot cause a RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from lxml import etree

from ..errors import ParseError
from ..model import Loc
from ..textnorm import t2s
from .blocks import Block, Document, TextCell

__all__ = ["cell_text", "decode_html", "find_article", "html_document", "norm", "table_grid"]

#: a saved portal page is a few hundred KB; far larger input is refused (bounded memory)
MAX_HTML = 50 * 1024 * 1024

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
                   "object", "embed", "svg", "canvas", "button", "select", "input", "textarea", "form"})
#: elements that end a line of text (a paragraph boundary)
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                    "section", "article", "blockquote", "pre", "center", "tr", "td", "th", "table",
                    "thead", "tbody", "tfoot", "caption", "header", "footer", "main", "aside", "nav",
                    "address", "figure", "figcaption", "hr", "body", "html", "form", "fieldset"})
#: page furniture never part of a report (dropped when the article cannot be found by its content)
_FURNITURE = frozenset({"nav", "header", "footer", "aside"})
_FURNITURE_CLASS = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|header|footer|foot|sidebar|side|"
                              r"breadcrumbs?|crumbs?|share|copyright|banner|toolbar|search)(?:[\s_-]|$)", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_WS = re.compile(r"[\s\u00a0\u2002-\u200b\u3000\ufeff]+")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=\S)|(?<=\S) (?=[{_CJK}])")

_HEADING = re.compile(r"^\s*[一二三四五六][、.．，,]\s*\S*(总体情况|主动公开|收到和处理|申请情况|行政复议|行政诉讼|"
                      r"存在的主要问题|主要问题|其他需要报告|其他事项)")
_TABLE_WORDS = ("信息内容", "申请人情况", "行政复议", "本年新收", "第二十条")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_POSTED = re.compile(r"(?:发布(?:时间|日期)|成文日期|时间|日期)\s*[:：]\s*(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")
_SOURCE = re.compile(r"(?:来源|发布机构|信息来源)\s*[:：]\s*([^\s:：]{2,40})")

_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
                    "cp936": "gb18030", "utf8": "utf-8", "unicode": "utf-8", "big5": "big5hkscs"}


# -- decoding ---------------------------------------------------------------------------------------

def decode_html(data: bytes) -> tuple[str, str | None]:
    """The page as text, and a notice when the encoding had to be guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    m = _META_CHARSET.search(data[:65536])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        enc = _CHARSET_ALIASES.get(name, name)
        try:
            return data.decode(enc), None
        except LookupError:
            pass
        except UnicodeDecodeError:
            # a page that lies about its charset: try the usual two before guessing
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if m is None and enc == "utf-8":
            return text, None
        return text, f"网页声明的编码与内容不符，已按 {enc.upper()} 读取" if m else None
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        return data.decode("gb18030", errors="replace"), "无法识别网页编码，已按 GB18030 读取，部分文字可能乱码"
    return str(best), f"网页未声明编码，推测为 {best.encoding}"


# -- text helpers -----------------------------------------------------------------------------------

def norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def cell_text(lines: list[str]) -> str:
    """Lines of one cell joined as one text (vertical headers, Word-split numbers)."""
    joined = "".join(norm(x) for x in lines)
    return _CJK_GAP.sub("", norm(joined))


def _tag(el: etree._Element) -> str:
    t = el.tag
    if not isinstance(t, str):
        return ""
    return t.rsplit("}", 1)[-1].lower()


def _text(el: etree._Element) -> str:
    """All text under ``el`` (serialised in C: much faster than joining ``itertext``)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style and _HIDDEN.search(style)) or el.get("hidden") is not None


def _lines(el: etree._Element) -> Iterator[tuple[str, int | None]]:
    """Text lines under ``el`` (iterative), split at block boundaries and ``<br>``."""
    buf: list[str] = []
    line: int | None = None
    stack: list[tuple[int, Any]] = [(0, el)]
    while stack:
        op, x = stack.pop()
        if op == 1:  # text
            if x:
                buf.append(x)
            continue
        if op == 2:  # end of a block element
            if buf:
                text = "".join(buf)
                buf.clear()
                if text.strip():
                    yield text, line
                line = None
            continue
        e: etree._Element = x
        tag = _tag(e)
        tail = e.tail if e is not el else None
        if tail:
            stack.append((1, tail))
        if not tag or tag in _SKIP or _hidden(e):
            continue
        if tag == "br":
            stack.append((2, None))
            continue
        block = tag in _BLOCK
        if block:
            stack.append((2, None))
        children = list(e)
        for child in reversed(children):
            stack.append((0, child))
        if e.text:
            stack.append((1, e.text))
        if block and buf:
            text = "".join(buf)
            buf.clear()
            if text.strip():
                yield text, line
        if line is None and e.text and e.text.strip():
            line = e.sourceline
    if buf:
        text = "".join(buf)
        if text.strip():
            yield text, line


# -- tables -----------------------------------------------------------------------------------------

def _span(value: str | None, cap: int) -> int:
    if not value:
        return 1
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return 1
    digits = m.group(1).lstrip("0")
    if len(digits) > 6:  # a span of millions is garbage: as wide as allowed (no int of 4,000 digits)
        return cap
    n = int(digits or "0")
    if n == 0:  # rowspan="0": to the end of the table
        return cap
    return max(1, min(n, cap))


def _rows(table: etree._Element) -> list[etree._Element]:
    out = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if _tag(c) == "tr")
    return out


def _ghost_row(tr: etree._Element) -> bool:
    """Word's "supportMisalignedColumns" width row and hidden rows."""
    if _hidden(tr) or (tr.get("height") or "").strip() == "0":
        return True
    style = (tr.get("style") or "").replace(" ", "").lower()
    return "height:0" in style and not "".join(tr.itertext()).strip()


def table_grid(table: etree._Element, index: int) -> list[list[TextCell]]:
    """The rows of one innermost ``<table>``: each merged cell once, at its first grid position."""
    trs = [tr for tr in _rows(table) if not _ghost_row(tr)]
    taken: set[tuple[int, int]] = set()
    rows: list[list[TextCell]] = []
    n = len(trs)
    for r, tr in enumerate(trs):
        row: list[TextCell] = []
        col = 0
        for td in tr:
            if _tag(td) not in ("td", "th") or _hidden(td):
                continue
            while (r, col) in taken:
                col += 1
            rowspan = _span(td.get("rowspan"), n - r)
            colspan = _span(td.get("colspan"), 1000)
            text = cell_text([t for t, _ in _lines(td)])
            row.append(TextCell(text, Loc(line=td.sourceline, table=index, row=r + 1, col=col + 1),
                                rowspan, colspan))
            if rowspan > 1 or colspan > 1:
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, col + dc))
            col += colspan
        if row:
            rows.append(row)
    return rows


def _single_cell(table: etree._Element) -> bool:
    """A one-cell table is a frame around text (a boxed title, a page border), not a grid."""
    cells = [td for tr in _rows(table) for td in tr if _tag(td) in ("td", "th")]
    return len(cells) <= 1


def _is_data_table(el: etree._Element) -> bool:
    return next(el.iterdescendants("table"), None) is None


# -- the article ------------------------------------------------------------------------------------

def _ancestors(el: etree._Element) -> list[etree._Element]:
    out = []
    e: etree._Element | None = el
    while e is not None:
        out.append(e)
        e = e.getparent()
    return out[::-1]


def find_article(root: etree._Element) -> etree._Element:
    """The smallest element holding the report: every section heading and every data table."""
    anchors: list[etree._Element] = []
    for t in root.iter("table"):
        if _is_data_table(t):
            txt = t2s(_text(t))  # pages mirrored in 繁體 vote the same way
            if any(w in txt for w in _TABLE_WORDS):
                anchors.append(t)
    for e in root.iter("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td"):
        if _tag(e) in ("div", "td") and next(e.iterdescendants("p", "div", "table", "li"), None) is not None:
            continue  # a container: its paragraphs are looked at one by one
        own = norm(_text(e))
        if len(own) <= 40 and _HEADING.match(t2s(own)):
            anchors.append(e)
    if len(anchors) < 2:
        body = root.find(".//body")
        return body if body is not None else root
    # the deepest element holding every data table of the report and most of the section headings
    # (a stray heading in a sidebar is outvoted; a report table never is)
    tables = [a for a in anchors if _tag(a) == "table"]
    heads = [a for a in anchors if _tag(a) != "table"]
    count: dict[etree._Element, int] = {}
    depth: dict[etree._Element, int] = {}
    for a in heads:
        for d, e in enumerate(_ancestors(a)):
            count[e] = count.get(e, 0) + 1
            depth[e] = d
    if tables:
        paths = [_ancestors(t) for t in tables]
        common = paths[0]
        for path in paths[1:]:
            k = 0
            while k < len(common) and k < len(path) and common[k] is path[k]:
                k += 1
            common = common[:k]
        candidates = list(enumerate(common))
    else:
        candidates = [(depth[e], e) for e in count]
    need = len(heads) * 0.75
    good = [(d, e) for d, e in candidates if count.get(e, 0) >= need]
    article = max(good or candidates, key=lambda de: de[0])[1]
    # a heading inside a layout cell: the report is the whole cell/row, not the heading itself
    while _tag(article) in ("span", "strong", "b", "font", "p", "tr", "tbody", "thead") and \
            article.getparent() is not None:
        article = article.getparent()
    return article


# -- meta -------------------------------------------------------------------------------------------

def _iso(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _page_meta(root: etree._Element, article: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    named: dict[str, str] = {}
    lines: dict[str, int] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").lower()
        named[key] = (m.get("content") or "").strip()
        lines[key] = m.sourceline or 0
    for key in ("articletitle", "og:title", "title"):
        if named.get(key):
            meta["title"] = norm(named[key])
            meta["title_line"] = str(lines[key])
            break
    for key in ("pubdate", "publishdate", "article:published_time", "firstpublishedtime"):
        iso = _iso(named.get(key, ""))
        if iso:
            meta["posted"] = iso
            break
    for key in ("contentsource", "source"):
        if named.get(key):
            meta["publisher"] = norm(named[key])
            break
    if "title" not in meta:
        for e in root.iter("h1", "div", "p", "td"):
            cls = (e.get("class") or "") + " " + (e.get("id") or "")
            if "title" in cls.lower() and e is not article:
                txt = norm(_text(e))
                if 6 <= len(txt) <= 80 and "报告" in txt:
                    meta["title"] = txt
                    meta["title_line"] = str(e.sourceline or 0)
                    break
    if "title" not in meta:
        t = root.find(".//title")
        if t is not None and t.text:
            meta["title"] = re.split(r"\s*[_|｜—–-]{1,2}\s*", norm(t.text))[0]
            meta["title_line"] = str(t.sourceline or 0)
    if "posted" not in meta or "publisher" not in meta:
        # the line above the article ("发布时间：2025-01-24  来源：…")
        inside = set(article.iter())
        for node in root.xpath("//body//text()[contains(., '时间') or contains(., '日期') or contains(., '来源')"
                               " or contains(., '发布机构')]"):
            parent = node.getparent()
            if parent is None or parent in inside or _tag(parent) in _SKIP:
                continue
            txt = norm(str(node))
            if len(txt) >= 80:
                continue
            if "posted" not in meta:
                m = _POSTED.search(txt)
                if m and _iso(m.group(1)):
                    meta["posted"] = _iso(m.group(1)) or ""
            if "publisher" not in meta:
                m2 = _SOURCE.search(txt)
                if m2:
                    meta["publisher"] = m2.group(1)
    return meta


# -- the document -----------------------------------------------------------------------------------

def html_document(data: bytes, name: str | None = None) -> Document:
    """Blocks of an HTML page (see the module docstring)."""
    if len(data) > MAX_HTML:
        raise ParseError(f"网页过大（{len(data) // 1024 // 1024} MB，上限 {MAX_HTML // 1024 // 1024} MB），"
                         "不像一份年度报告网页", where=name)
    text, notice = decode_html(data)
    text = text.replace("\x00", "")
    if not text.strip():
        raise ParseError("网页内容为空", where=name)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(f"无法解析网页：{e}", where=name) from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in err.message:
            raise ParseError("网页的标签嵌套层数过深（超过 256 层），这不是正常的报告网页，无法可靠读取",
                             where=name)
    article = find_article(root)
    doc = Document(blocks=[], name=name, kind="html", meta=_page_meta(root, article))
    if notice:
        doc.notices.append(("html.encoding", notice))
    if article is root.find(".//body") or article is root:
        # no report found by its content: at least leave the page furniture out
        for f in [e for e in article.iter() if _tag(e) in _FURNITURE or _FURNITURE_CLASS.search(
                  f"{e.get('class') or ''} {e.get('id') or ''}")]:
            _drop(f)
    doc.blocks = _blocks(article)
    title = doc.meta.get("title")
    if title and not any(title in b.text for b in doc.blocks[:5] if b.kind == "para"):
        line = int(doc.meta.get("title_line") or 0)
        doc.blocks.insert(0, Block.para(title, Loc(line=line or None)))
    doc.meta.pop("title_line", None)
    return doc


def _drop(el: etree._Element) -> None:
    """Remove ``el`` and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _blocks(article: etree._Element) -> list[Block]:
    """Paragraph and table blocks of the article, in document order (iterative walk)."""
    blocks: list[Block] = []
    tables = 0
    buf: list[str] = []
    line: list[int | None] = [None]

    def flush() -> None:
        if buf:
            t = norm("".join(buf))
            buf.clear()
            if t:
                blocks.append(Block.para(t, Loc(line=line[0])))
        line[0] = None

    stack: list[tuple[int, Any]] = [(0, article)]
    while stack:
        op, x = stack.pop()
        if op == 1:
            s, ln = x
            if s:
                if line[0] is None and s.strip():
                    line[0] = ln
                buf.append(s)
            continue
        if op == 2:
            flush()
            continue
        e: etree._Element = x
        tag = _tag(e)
        if e is not article and e.tail:
            stack.append((1, (e.tail, e.sourceline)))
        if not tag or tag in _SKIP or _hidden(e):
            continue
        if tag in ("br", "hr"):
            flush()
            continue
        if tag == "table" and _is_data_table(e) and not _single_cell(e):
            flush()
            tables += 1
            rows = table_grid(e, tables)
            if rows:
                blocks.append(Block.table(rows, Loc(line=e.sourceline, table=tables)))
            continue
        block = tag in _BLOCK
        if block:
            flush()
            stack.append((2, None))
        for child in reversed(list(e)):
            stack.append((0, child))
        if e.text:
            stack.append((1, (e.text, e.sourceline)))
    flush()
    return blocks
