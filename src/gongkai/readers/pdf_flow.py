"""PDF pages (lines and ruled tables) → blocks in reading order.

Paragraphs are rebuilt from printed lines (CJK lines joined without spaces, a paragraph may run
on to the next page); runs of lines whose pieces line up in columns become grids (tables printed
without ruling lines); a ruled table continued on the next page is joined to its first part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from ..model import Loc
from .blocks import Block, TextCell
from .pdf_tables import _cluster

if TYPE_CHECKING:
    from .pdf import Line, Page, PageTable


@dataclass(slots=True)
class PCell:
    row: int
    rowspan: int
    colspan: int  # only used by grids built from text (no boundaries)
    x0: float
    x1: float
    text: str
    page: int
    col: int = -1


@dataclass(slots=True)
class OpenTable:
    """A table being built, possibly from parts on several pages."""

    page: int
    left: float
    right: float
    cells: list[PCell] = field(default_factory=list)
    nrows: int = 0
    header: list[list[str]] = field(default_factory=list)


def _norm(text: str) -> str:
    return "".join(text.split())


class Flow:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.para: list[Line] = []
        self.table: OpenTable | None = None
        #: the open table was the last thing printed on its page
        self.table_at_end = False
        self.ntables = 0
        self.left = 0.0
        self.right = 0.0
        self.gap = 0.0
        self.line_no: dict[int, int] = {}

    # -- driving ---------------------------------------------------------------------------
    def page(self, page: Page) -> None:
        from .pdf import Line

        lines = [it for it in page.items if isinstance(it, Line)]
        if lines:
            xs0 = sorted(ln.x0 for ln in lines)
            xs1 = sorted(ln.x1 for ln in lines)
            self.left = xs0[len(xs0) // 5]
            self.right = xs1[len(xs1) * 4 // 5]
            gaps = sorted(b.top - a.bottom for a, b in pairwise(lines) if b.top > a.bottom)
            self.gap = gaps[len(gaps) // 2] if gaps else 0.0
        first = True
        group: list[Line] = []
        for it in page.items:
            if isinstance(it, Line):
                group.append(it)
                continue
            if group:
                self._lines(group, first)
                first = False
                group = []
            self._table(it, first)
            first = False
        if group:
            self._lines(group, first)
        self.table_at_end = bool(page.items) and not isinstance(page.items[-1], Line) and self.table is not None

    def finish(self) -> list[Block]:
        self._flush_para()
        self._close_table()
        return self.blocks

    # -- paragraphs ------------------------------------------------------------------------
    def _lines(self, lines: list[Line], first_on_page: bool) -> None:
        for kind, run in _runs(lines):
            if kind == "grid":
                self._flush_para()
                self._close_table()
                self._grid(run)
                continue
            for ln in run:
                self.line_no[ln.page] = ln.no = self.line_no.get(ln.page, 0) + 1
                if self.para and self._breaks(self.para[-1], ln, first_on_page):
                    self._flush_para()
                if not self.para:
                    self._close_table()
                self.para.append(ln)
                first_on_page = False

    def _breaks(self, prev: Line, ln: Line, first_on_page: bool) -> bool:
        size = max(prev.size, 1.0)
        if abs(prev.size - ln.size) > 1.0:
            return True
        if prev.x1 < self.right - 1.5 * size or ln.x0 > self.left + 0.8 * size:
            return True
        if len(prev.segments) > 1 or len(ln.segments) > 1:
            return True
        if prev.page != ln.page:
            return not first_on_page
        return ln.top - prev.bottom > self.gap + 0.6 * size

    def _flush_para(self) -> None:
        if not self.para:
            return
        text = self.para[0].text
        for ln in self.para[1:]:
            a, b = text[-1:], ln.text[:1]
            joiner = " " if a.isascii() and b.isascii() and a.isalpha() and b.isalpha() else ""
            text += joiner + ln.text
        first = self.para[0]
        loc = Loc(page=first.page, line=first.no)
        cells = None
        if len(self.para) == 1 and len(first.segments) > 1:
            cells = [TextCell(s[2], Loc(page=first.page, line=loc.line, col=i + 1))
                     for i, s in enumerate(first.segments)]
        self.blocks.append(Block.para(text, loc, cells))
        self.para = []

    # -- ruled tables ----------------------------------------------------------------------
    def _table(self, pt: PageTable, first_on_page: bool) -> None:
        lat = pt.lattice
        x0, _, x1, _ = lat.bbox
        cells = [PCell(c.row, c.rowspan, 1, c.bbox[0], c.bbox[2], c.text, pt.page) for c in lat.cells]
        nrows = len(lat.ys) - 1
        self._flush_para()
        t = self.table
        if (t is not None and first_on_page and self.table_at_end and abs(t.left - x0) <= 4
                and abs(t.right - x1) <= 4):
            _append_part(t, cells, nrows)
        else:
            self._close_table()
            self.table = OpenTable(pt.page, x0, x1, cells, nrows, _header(cells, nrows))

    def _close_table(self) -> None:
        t, self.table = self.table, None
        if t is None:
            return
        self.ntables += 1
        self.blocks.append(Block.table(_rows(t, self.ntables), Loc(page=t.page, table=self.ntables)))

    # -- grids from aligned text -----------------------------------------------------------
    def _grid(self, run: list[Line]) -> None:
        self.ntables += 1
        t = self.ntables
        rows = text_grid(run)
        out: list[list[TextCell]] = []
        for r, row in enumerate(rows):
            out.append([TextCell(text, Loc(page=page, table=t, row=r + 1, col=c + 1)) for c, text, page in row])
        self.blocks.append(Block.table(out, Loc(page=run[0].page, table=t)))


def _header(cells: list[PCell], nrows: int) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(min(nrows, 4))]
    for c in sorted(cells, key=lambda c: (c.row, c.x0)):
        if c.row < len(rows):
            rows[c.row].append(_norm(c.text))
    return rows


def _append_part(t: OpenTable, cells: list[PCell], nrows: int) -> None:
    """Join the part of a table printed on the next page."""
    from .pdf import enumerated, numeric

    # repeated header rows (Word "repeat as header row")
    part_header = _header(cells, nrows)
    drop = 0
    while drop < len(part_header) and drop < len(t.header) and part_header[drop] and part_header[drop] == t.header[drop]:
        drop += 1
    if drop:
        cells = [c for c in cells if c.row >= drop]
        for c in cells:
            c.row -= drop
        nrows -= drop
    first = [c for c in cells if c.row == 0]
    last = [c for c in t.cells if c.row + c.rowspan == t.nrows]

    def above(c: PCell) -> PCell | None:
        for a in last:
            if abs(a.x0 - c.x0) <= 3 and abs(a.x1 - c.x1) <= 3:
                return a
        return None

    has_numbers = any(numeric(c.text) for c in first)
    broken_row = bool(first) and not has_numbers and all(
        (not c.text or not enumerated(c.text)) and above(c) is not None for c in first) and any(
        numeric(a.text) for a in last)
    offset = t.nrows
    if broken_row:
        # one row printed half on each page: the second half's text continues the first's
        for c in first:
            a = above(c)
            if a is not None:
                a.text += c.text
                a.rowspan += c.rowspan - 1
        cells = [c for c in cells if c.row > 0]
        offset -= 1
    else:
        merged = set()
        for c in first:
            a = above(c)
            if a is None or numeric(a.text) or numeric(c.text) or (not a.text and c.text):
                continue
            if not c.text or not enumerated(c.text):
                # a spanning label cut by the page break: （四）无 / 法提供
                a.text += c.text
                a.rowspan += c.rowspan
                merged.add(id(c))
        cells = [c for c in cells if id(c) not in merged]
    for c in cells:
        c.row += offset
    t.cells.extend(cells)
    t.nrows = offset + nrows


def _rows(t: OpenTable, index: int) -> list[list[TextCell]]:
    xs = _cluster([c.x0 for c in t.cells] + [c.x1 for c in t.cells], 3.0)

    def col(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    rows: list[list[TextCell]] = [[] for _ in range(t.nrows)]
    for c in sorted(t.cells, key=lambda c: (c.row, c.x0)):
        c0, c1 = col(c.x0), col(c.x1)
        rows[c.row].append(TextCell(c.text, Loc(page=c.page, table=index, row=c.row + 1, col=c0 + 1),
                                    c.rowspan, max(1, c1 - c0)))
    return rows


# -- tables printed without ruling lines ------------------------------------------------------

def _tabular(ln: Line) -> bool:
    from .pdf import numeric

    return len(ln.segments) >= 3 or (len(ln.segments) >= 2 and any(numeric(s[2]) for s in ln.segments[1:]))


def _runs(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Split lines into runs of ``text`` and ``grid`` (lines lining up in columns)."""
    from .pdf import numeric

    out: list[tuple[str, list[Line]]] = []
    i = 0
    n = len(lines)
    while i < n:
        if not _tabular(lines[i]):
            j = i
            while j < n and not _tabular(lines[j]):
                j += 1
            out.append(("text", lines[i:j]))
            i = j
            continue
        j = i + 1
        last_tab = i
        while j < n:
            ln, prev = lines[j], lines[j - 1]
            h = max(prev.bottom - prev.top, 1.0)
            if ln.top - prev.bottom > 3.0 * h:
                break
            if _tabular(ln):
                last_tab = j
            elif len(ln.text) > 40:
                break
            j += 1
        run = lines[i:last_tab + 1]
        numbered = sum(1 for ln in run if any(numeric(s[2]) for s in ln.segments[1:]))
        if numbered >= 2:
            out.append(("grid", run))
        else:
            out.append(("text", run))
        i = last_tab + 1
    return out


def text_grid(run: list[Line]) -> list[list[tuple[int, str, int]]]:
    """Rows of (col, text, page) from lines whose pieces line up in columns."""
    from .pdf import numeric

    num_iv: list[tuple[float, float]] = []
    for ln in run:
        for k, (a, b, text) in enumerate(ln.segments):
            if k > 0 and numeric(text):
                num_iv.append((a, b))
    num_iv.sort()
    cols: list[list[float]] = []
    for a, b in num_iv:
        if cols and a <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    first_num = cols[0][0] if cols else float("inf")
    label_x0 = _cluster([s[0] for ln in run for s in ln.segments if s[1] < first_num], 2 * run[0].size)
    nlabel = len(label_x0)

    def column(a: float, b: float) -> int:
        if b < first_num:
            return min(range(nlabel), key=lambda i: abs(label_x0[i] - a))
        mid = (a + b) / 2
        return nlabel + min(range(len(cols)), key=lambda i: abs((cols[i][0] + cols[i][1]) / 2 - mid))

    # rows: lines with numbers anchor a row; label-only lines join the nearest anchor
    anchors = [k for k, ln in enumerate(run) if any(numeric(s[2]) for s in ln.segments[1:])]
    owner: dict[int, int] = {}
    for k, ln in enumerate(run):
        if k in anchors:
            owner[k] = k
            continue
        if all(s[1] < first_num for s in ln.segments):
            best = min(anchors, key=lambda a: abs((run[a].top + run[a].bottom) - (ln.top + ln.bottom)))
            h = max(ln.bottom - ln.top, 1.0)
            if abs((run[best].top + run[best].bottom) - (ln.top + ln.bottom)) / 2 <= 1.7 * h:
                owner[k] = best
                continue
        owner[k] = k
    order = sorted(set(owner.values()))
    rows: list[list[tuple[int, str, int]]] = []
    for anchor in order:
        texts: dict[int, list[str]] = {}
        page = run[anchor].page
        for k in sorted(k for k, o in owner.items() if o == anchor):
            for a, b, text in run[k].segments:
                texts.setdefault(column(a, b), []).append(text)
        rows.append([(c, _join(texts[c]), page) for c in sorted(texts)])
    return rows


def _join(parts: list[str]) -> str:
    """Pieces of one cell printed on several lines (a wrapped label): no separators."""
    return "".join(parts)
