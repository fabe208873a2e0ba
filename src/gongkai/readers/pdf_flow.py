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
from .pdf_tables import _cluster, join_lines

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


@dataclass(slots=True)
class TextGrid:
    """A grid rebuilt from aligned text: rows of (col, text, page, colspan)."""

    rows: list[list[tuple[int, str, int, int]]]
    #: how many of the rows are column headers
    nhead: int
    #: centres of the number columns (to recognise the same table on the next page)
    centers: list[float]
    page: int = 0
    #: the texts printed right above it (a header Word repeats on the next page may include them)
    above: set[str] = field(default_factory=set)
    #: how many label columns come before the number columns
    nlabel: int = 1

    def header(self) -> list[list[str]]:
        return [[_norm(t) for _, t, _, _ in row] for row in self.rows[:self.nhead]]


def _norm(text: str) -> str:
    return "".join(text.split())


class Flow:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.para: list[Line] = []
        self.table: OpenTable | None = None
        #: the open table was the last thing printed on its page
        self.table_at_end = False
        self.grid: TextGrid | None = None
        self.grid_at_end = False
        self.last_kind = ""
        #: the last lines of running text (normalised)
        self.recent: list[str] = []
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
        self.table_at_end = self.last_kind == "table" and self.table is not None
        self.grid_at_end = self.last_kind == "grid" and self.grid is not None

    def finish(self) -> list[Block]:
        self._flush_para()
        self._close_table()
        return self.blocks

    # -- paragraphs ------------------------------------------------------------------------
    def _lines(self, lines: list[Line], first_on_page: bool) -> None:
        runs = _runs(lines)
        if first_on_page and runs and runs[0].kind == "text" and self._continue_rows(runs[0]):
            runs = runs[1:] if not runs[0].lines else runs
            first_on_page = False
        if first_on_page and runs and runs[0].kind == "text" and self._headed_on_last_page(runs[0]):
            runs = runs[1:] if not runs[0].lines else runs
            first_on_page = False
        if (first_on_page and len(runs) >= 2 and runs[0].kind == "text" and runs[1].kind == "grid"
                and self._repeated_header(runs[0].lines, runs[1])):
            runs = runs[1:]  # the continued grid's header, repeated over its columns: dropped
        for r in runs:
            kind, run = r.kind, r.lines
            self.last_kind = kind
            if kind == "grid":
                self._flush_para()
                self._grid(r, first_on_page)
                first_on_page = False
                continue
            for ln in run:
                self.line_no[ln.page] = ln.no = self.line_no.get(ln.page, 0) + 1
                if self.para and self._breaks(self.para[-1], ln, first_on_page):
                    self._flush_para()
                if not self.para:
                    self._close_table()
                self.para.append(ln)
                self.recent = [*self.recent[-11:], _norm(ln.text)]
                first_on_page = False

    def _breaks(self, prev: Line, ln: Line, first_on_page: bool) -> bool:
        size = max(prev.size, 1.0)
        if abs(prev.size - ln.size) > 1.0:
            return True
        if ln.x0 > self.left + 0.8 * size:
            return True  # first-line indent
        short = self.right - prev.x1
        # a line that stops short ends its paragraph, unless it stops one or two characters short
        # with no closing punctuation (a line broken early so that 》or ） does not start the next),
        # or the next line starts with a run that could not be broken and did not fit (a URL, a number)
        stops = short > 2.5 * size or (short > 1.5 * size and prev.text[-1:] in "。！？；：!?;:”’」』")
        unbreakable = bool(ln.lead) and ln.lead + 0.5 * size >= short and prev.text[-1:] not in "。！？!?"
        if stops and not unbreakable:
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
        pieces = first.pieces if _tabular(first) else first.segments
        if len(self.para) == 1 and len(pieces) > 1:
            cells = [TextCell(p[2], Loc(page=first.page, line=loc.line, col=i + 1)) for i, p in enumerate(pieces)]
        self.blocks.append(Block.para(text, loc, cells))
        self.para = []

    # -- ruled tables ----------------------------------------------------------------------
    def _table(self, pt: PageTable, first_on_page: bool) -> None:
        lat = pt.lattice
        x0, _, x1, _ = lat.bbox
        cells = [PCell(c.row, c.rowspan, 1, c.bbox[0], c.bbox[2], c.text, pt.page) for c in lat.cells]
        nrows = len(lat.ys) - 1
        self._flush_para()
        self.last_kind = "table"
        t = self.table
        if (t is not None and first_on_page and self.table_at_end and abs(t.left - x0) <= 4
                and abs(t.right - x1) <= 4):
            _append_part(t, cells, nrows)
        else:
            self._close_table()
            self.table = OpenTable(pt.page, x0, x1, cells, nrows, _header(cells, nrows))

    def _close_table(self) -> None:
        t, self.table = self.table, None
        if t is not None:
            self.ntables += 1
            self.blocks.append(Block.table(_rows(t, self.ntables), Loc(page=t.page, table=self.ntables)))
        g, self.grid = self.grid, None
        if g is not None:
            self.ntables += 1
            n = self.ntables
            out = [[TextCell(text, Loc(page=page, table=n, row=r + 1, col=c + 1), 1, span)
                    for c, text, page, span in row] for r, row in enumerate(g.rows)]
            self.blocks.append(Block.table(out, Loc(page=g.page, table=n)))

    # -- grids from aligned text -----------------------------------------------------------
    def _continues(self, run: Run) -> bool:
        """Whether the grid of ``run`` (first on its page) continues the open grid."""
        g = self.grid
        if g is None or not self.grid_at_end:
            return False
        centers = text_grid(run.lines, run.nhead).centers
        return len(g.centers) == len(centers) and all(
            abs(a - b) <= 6 for a, b in zip(g.centers, centers, strict=True))

    def _repeated_header(self, pre: list[Line], run: Run) -> bool:
        """Short lines at the top of a page, right above a grid that continues the open grid."""
        size = sorted(ln.size for ln in run.lines)[len(run.lines) // 2]
        lines = [*pre, run.lines[0]]
        g = self.grid
        printed = set() if g is None else g.above | {t for row in g.header() for t in row}
        return (all(abs(ln.size - size) <= 1.5 and len(ln.text) <= 30 and _norm(ln.text) in printed for ln in pre)
                and all(b.top - a.bottom <= 2.5 * (a.bottom - a.top) for a, b in pairwise(lines))
                and self._continues(run))

    def _headed_on_last_page(self, run: Run) -> bool:
        """Rows at the top of a page under a line of column headers that ended the last page."""
        head = self.para[0] if len(self.para) == 1 else None
        if head is None or len(head.segments) < 2 or _tabular(head) or self.grid is not None:
            return False
        k = 0
        while k < len(run.lines) and _tabular(run.lines[k]):
            k += 1
        if not k:
            return False
        self.para = []
        self.last_kind = "grid"
        self._grid(Run("grid", [head, *run.lines[:k]], nhead=1), False)
        del run.lines[:k]
        return True

    def _continue_rows(self, run: Run) -> bool:
        """Rows of the open grid that run on to the top of the next page without their headers
        (too few to be a grid of their own): joined to it, each number under its column."""
        g = self.grid
        if g is None or not self.grid_at_end:
            return False
        k = 0
        while k < len(run.lines) and _tabular(run.lines[k]):
            k += 1
        if not k:
            return False
        part = text_grid(run.lines[:k])
        if not part.centers or not all(any(abs(c - d) <= 6 for d in g.centers) for c in part.centers):
            return False
        for row in part.rows:
            out: dict[int, tuple[int, str, int, int]] = {}
            for c, text, page, span in row:
                if c >= part.nlabel:
                    center = part.centers[c - part.nlabel]
                    c = g.nlabel + min(range(len(g.centers)), key=lambda i: abs(g.centers[i] - center))
                out[c] = (c, text, page, span)
            for c in range(g.nlabel, g.nlabel + len(g.centers)):
                out.setdefault(c, (c, "", row[0][2], 1))  # a blank cell
            g.rows.append([out[c] for c in sorted(out)])
        del run.lines[:k]
        self.last_kind = "grid"
        return True

    def _grid(self, run: Run, first_on_page: bool) -> None:
        grid = text_grid(run.lines, run.nhead)
        grid.page = run.lines[0].page
        g = self.grid
        if g is not None and first_on_page and self._continues(run):
            self.grid_at_end = False
            # the same table continued on the next page; its repeated header rows are dropped
            rows = grid.rows[grid.nhead:] if grid.header() == g.header() else grid.rows
            g.rows.extend(rows)
            return
        self._close_table()
        grid.above = set(self.recent)
        self.grid = grid


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
        # only label cells run on over a page break; a blank cell in a column of numbers is a blank value
        value_cols = [(v.x0, v.x1) for v in [*t.cells, *cells] if numeric(v.text)]

        def in_values(c: PCell) -> bool:
            return any(abs(c.x0 - x0) <= 3 and abs(c.x1 - x1) <= 3 for x0, x1 in value_cols)

        for c in first:
            a = above(c)
            if a is None or numeric(a.text) or numeric(c.text) or (not a.text and c.text) or in_values(c):
                continue
            # a group label (more label text to its right in the row) may run on over the break;
            # a row's own label (numbers right after it) starts a new row
            group = any(d.x0 >= c.x1 - 1 and d.text and not numeric(d.text) for d in first)
            if not c.text or (group and not enumerated(c.text)):
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

def _numbers(ln: Line) -> list[tuple[float, float, str]]:
    from .pdf import numeric

    return [p for p in ln.pieces if numeric(p[2])] if len(ln.pieces) > 1 else []


def _number_bits(ln: Line) -> bool:
    """A line of nothing but numbers (parts of numbers wrapped in narrow cells)."""
    from .pdf import numeric

    return all(numeric(p[2]) for p in ln.pieces) and not _tabular(ln)


def _tabular(ln: Line) -> bool:
    """A line that reads like a table row: a label (or nothing) and then numbers to its end."""
    from .pdf import numeric

    return len(ln.pieces) >= 2 and numeric(ln.pieces[-1][2]) and bool(_numbers(ln))


def _aligned(run: list[Line]) -> bool:
    """Whether the numbers of these lines stand in columns (not numbers inside running text)."""
    rows = [ln for ln in run if _tabular(ln)]
    if sum(1 for ln in rows if len(_numbers(ln)) >= 2) >= 2 or any(len(_numbers(ln)) >= 5 for ln in rows):
        return True
    if len(rows) < 3:
        return False
    last = [_numbers(ln)[-1] for ln in rows]
    lo, hi = max(p[0] for p in last), min(p[1] for p in last)
    return lo <= hi  # the last numbers of every line overlap: one column


@dataclass(slots=True)
class Run:
    """Consecutive lines of running ``text`` or of a ``grid`` (lines lining up in columns)."""

    kind: str
    lines: list[Line]
    #: grid: how many of the first lines are column headers
    nhead: int = 0


def _runs(lines: list[Line]) -> list[Run]:
    """Split lines into runs of ``text`` and ``grid``."""
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
            if ln.top - prev.bottom > 2.5 * h or ln.page != prev.page:
                break
            if _tabular(ln):
                last_tab = j
            elif not _number_bits(ln) and (len(ln.text) > 30 or len(ln.segments) > 1):
                break
            j += 1
        # the last digits of a number wrapped in a narrow cell, just below the last row
        while (last_tab + 1 < n and _number_bits(lines[last_tab + 1]) and lines[last_tab + 1].page == lines[i].page
               and lines[last_tab + 1].top - lines[last_tab].bottom < lines[last_tab].bottom - lines[last_tab].top):
            last_tab += 1
        run = lines[i:last_tab + 1]
        # rows right under a line of column headers (a block of table 二) are a grid too
        headed = (i > 0 and len(lines[i - 1].segments) >= 2 and not _tabular(lines[i - 1])
                  and lines[i - 1].page == run[0].page
                  and run[0].top - lines[i - 1].bottom <= 2.5 * (run[0].bottom - run[0].top))
        out.append(("grid" if headed or _aligned(run) else "text", run))
        i = last_tab + 1
    merged: list[Run] = []
    for kind, part in out:
        if merged and merged[-1].kind == kind == "text":
            merged[-1].lines.extend(part)
        else:
            merged.append(Run(kind, list(part)))
    # a grid's header lines (column labels over the numbers) belong to the grid
    for k, grid in enumerate(merged):
        if grid.kind != "grid" or k == 0 or merged[k - 1].kind != "text":
            continue
        run, before = grid.lines, merged[k - 1].lines
        # the first digits of a number wrapped in a narrow cell, just above the row
        while before and _number_bits(before[-1]) and run[0].top - before[-1].bottom < before[-1].bottom - before[-1].top:
            run.insert(0, before.pop())
        # the first lines of the first row's label, wrapped around its numbers
        first_num = min(p[0] for x in run for p in _numbers(x))
        pulled = 0
        while (before and pulled < 3 and before[-1].page == run[0].page and before[-1].x1 < first_num
               and not _number_bits(before[-1])
               and run[0].top - before[-1].bottom < 0.8 * (before[-1].bottom - before[-1].top)):
            run.insert(0, before.pop())
            pulled += 1
        head = 0
        while head < len(before) and head < 12 and _header_line(before[-1 - head], run[0] if not head
                                                                  else before[-head], run):
            head += 1
        if head:
            run[:0] = before[len(before) - head:]
            del before[len(before) - head:]
            grid.nhead = head
    return [r for r in merged if r.lines]


def _header_line(ln: Line, below: Line, run: list[Line]) -> bool:
    size = sorted(x.size for x in run)[len(run) // 2]
    if ln.page != below.page or abs(ln.size - size) > 1.5 or _tabular(ln) or _number_bits(ln):
        return False
    if below.top - ln.bottom > 2.5 * max(ln.bottom - ln.top, 1.0):
        return False
    if len(ln.pieces) >= 2:
        return True
    first_num = min(p[0] for x in run for p in _numbers(x))
    a, b, _ = ln.pieces[0]
    return (a + b) / 2 >= first_num - size

def _merge_intervals(ivs: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for a, b in ivs:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def text_grid(run: list[Line], nhead: int = 0) -> TextGrid:
    """Rows of (col, text, page, colspan) from lines whose pieces line up in columns; the first
    ``nhead`` lines are column headers (one character per line stacks up into one text)."""
    head, body = run[:nhead], run[nhead:]
    num_iv = sorted((a, b) for ln in body for a, b, _ in (ln.pieces if _number_bits(ln) else _numbers(ln)))
    cols = _merge_intervals(num_iv)
    size = sorted(ln.size for ln in run)[len(run) // 2]
    if cols and head:
        # a column whose numbers are all blank still has its header: narrow header pieces right
        # of the labels that stand over no column of numbers mark a column of their own
        from .pdf import numeric

        # right of the row labels (nothing, in a table of numbers only like table 四)
        labels = [(a, b) for ln in body for a, b, t in ln.pieces if b < cols[0][0] and not numeric(t)]
        left = max((b for _, b in labels), default=float("-inf"))
        extra = [(a, b) for k, ln in enumerate(head) for n, (a, b, _) in enumerate(ln.pieces)
                 if a >= left and (b - a <= 3 * size or k == len(head) - 1)
                 and not (labels and n == 0 and len(ln.pieces) > 1)  # the corner header (信息内容)
                 and not any(a <= c[1] + 1 and b >= c[0] - 1 for c in cols)]
        cols = sorted([*cols, *_merge_intervals(sorted(extra))])
    first_num = cols[0][0] if cols else float("inf")
    label_x0 = _cluster([p[0] for ln in run for p in ln.pieces if p[1] < first_num], 1.5 * size) or [0.0]
    nlabel = len(label_x0)
    # column boundaries between number columns: half way between them
    cuts = [(cols[i][1] + cols[i + 1][0]) / 2 for i in range(len(cols) - 1)]

    def column(a: float, b: float) -> tuple[int, int]:
        if b < first_num:
            if a + 1.5 * size < label_x0[0]:
                return 0, 1
            return max(i for i in range(nlabel) if label_x0[i] <= a + 1.5 * size), 1
        lo = sum(1 for c in cuts if c < a + size / 2)
        hi = sum(1 for c in cuts if c < b - size / 2)
        return nlabel + lo, max(1, hi - lo + 1)

    rows: list[list[tuple[int, str, int, int]]] = []
    # header lines: lines whose pieces each sit in one column stack up into one row
    stack: dict[int, list[str]] = {}
    stack_page = 0
    for ln in head:
        placed = [(column(a, b), text) for a, b, text in ln.pieces]
        if all(span == 1 for (_, span), _ in placed):
            for (c, _), text in placed:
                stack.setdefault(c, []).append(text)
            stack_page = ln.page
            continue
        if stack:
            rows.append([(c, join_lines(stack[c]), stack_page, 1) for c in sorted(stack)])
            stack = {}
        rows.append([(c, text, ln.page, span) for (c, span), text in placed])
    if stack:
        rows.append([(c, join_lines(stack[c]), stack_page, 1) for c in sorted(stack)])
    nhead_rows = len(rows)

    # body: lines with numbers anchor a row; label-only lines join the nearest anchor
    anchors = [k for k, ln in enumerate(body) if _tabular(ln)]

    def mid(k: int) -> float:
        return (body[k].top + body[k].bottom) / 2

    owner: dict[int, int] = {}
    for k, ln in enumerate(body):
        if k in anchors:
            owner[k] = k
            continue
        best = min(anchors, key=lambda a: (abs(mid(a) - mid(k)), a > k))
        owner[k] = best if abs(mid(best) - mid(k)) <= 1.7 * max(ln.bottom - ln.top, 1.0) else k
    for anchor in sorted(set(owner.values())):
        texts: dict[int, list[str]] = {}
        for k in sorted(k for k, o in owner.items() if o == anchor):
            for a, b, text in body[k].pieces:
                texts.setdefault(column(a, b)[0], []).append(text)
        numbers = range(nlabel, nlabel + len(cols))
        if anchor in anchors:
            for c in numbers:
                texts.setdefault(c, [""])  # a blank cell: nothing printed in its column
        rows.append([(c, join_lines(texts[c]), body[anchor].page, 1) for c in sorted(texts)])
    return TextGrid(rows, nhead_rows, [(a + b) / 2 for a, b in cols], nlabel=nlabel)
