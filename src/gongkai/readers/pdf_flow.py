"""PDF pages (lines and ruled tables) → blocks in reading order.

Paragraphs are rebuilt from printed lines (CJK lines joined without spaces, a paragraph may run
on to the next page); runs of lines whose pieces line up in columns become grids (tables printed
without ruling lines); a ruled table continued on the next page is joined to its first part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ..model import Loc
from .blocks import Block, TextCell
from .pdf_grid import Run, TextGrid, line_runs, tabular, tabular_prefix, text_grid
from .pdf_page import Line, Page, PageTable
from .pdf_text import cluster, enumerated, norm, numeric


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
        lines = [it for it in page.items if isinstance(it, Line)]
        if lines:
            xs0 = sorted(ln.x0 for ln in lines)
            xs1 = sorted(ln.x1 for ln in lines)
            # the text's left edge: a page with few lines (a paragraph's last lines above a table)
            # keeps the edge of the pages before when one of its lines starts there, so that its
            # indented first lines still start paragraphs
            had = self.left
            self.left = xs0[len(xs0) // 5]
            if had and self.left > had + 2 and any(abs(x - had) <= 2 for x in xs0):
                self.left = had
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
        runs = line_runs(lines)
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
                self.recent = [*self.recent[-11:], norm(ln.text)]
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
        pieces = first.pieces if tabular(first) else first.segments
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
        return (all(abs(ln.size - size) <= 1.5 and len(ln.text) <= 30 and norm(ln.text) in printed for ln in pre)
                and all(b.top - a.bottom <= 2.5 * (a.bottom - a.top) for a, b in pairwise(lines))
                and self._continues(run))

    def _headed_on_last_page(self, run: Run) -> bool:
        """Rows at the top of a page under a line of column headers that ended the last page."""
        head = self.para[0] if len(self.para) == 1 else None
        if head is None or len(head.segments) < 2 or tabular(head) or self.grid is not None:
            return False
        k = tabular_prefix(run.lines)
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
        k = tabular_prefix(run.lines)
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
            rows[c.row].append(norm(c.text))
    return rows


def _append_part(t: OpenTable, cells: list[PCell], nrows: int) -> None:
    """Join the part of a table printed on the next page."""
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
    xs = cluster([c.x0 for c in t.cells] + [c.x1 for c in t.cells], 3.0)

    def col(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    rows: list[list[TextCell]] = [[] for _ in range(t.nrows)]
    for c in sorted(t.cells, key=lambda c: (c.row, c.x0)):
        c0, c1 = col(c.x0), col(c.x1)
        rows[c.row].append(TextCell(c.text, Loc(page=c.page, table=index, row=c.row + 1, col=c0 + 1),
                                    c.rowspan, max(1, c1 - c0)))
    return rows
