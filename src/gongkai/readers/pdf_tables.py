"""Tables drawn with ruling lines: the lattice of a PDF page.

Layers, each usable on its own:

* ``ruling_segments(lines, rects)`` → horizontal/vertical segments (lines, stroked rectangles,
  thin filled rectangles; cell background fills are *not* rulings);
* ``lattices(segments)`` → one ``Lattice`` (row/column boundaries and merged cells) per connected
  group of segments;
* ``Lattice.fill(chars)`` → the text of every cell (header cells printed one character per line
  come out as one text).

Tables printed without ruling lines are rebuilt from aligned text by ``pdf_grid``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .pdf_text import Char, cell_text, cluster

SNAP = 2.5  # points: segments this close are the same ruling
MAX_SEGMENTS = 1500  # more ruling segments than this on one page: not a report table, skip


@dataclass(slots=True)
class Seg:
    """A ruling: horizontal (``pos`` = y, span ``a``..``b`` in x) or vertical (``pos`` = x)."""

    horizontal: bool
    pos: float
    a: float
    b: float


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    vals = tuple(color)
    if len(vals) == 4:  # CMYK
        return all(v <= 0.05 for v in vals)
    return bool(vals) and all(isinstance(v, (int, float)) and v >= 0.95 for v in vals)


def ruling_segments(lines: Iterable[dict[str, Any]], rects: Iterable[dict[str, Any]]) -> list[Seg]:
    """Ruling segments from pdfplumber line and rect objects."""
    segs: list[Seg] = []
    for ln in lines:
        x0, x1, top, bottom = ln["x0"], ln["x1"], ln["top"], ln["bottom"]
        if abs(bottom - top) <= SNAP and x1 - x0 > SNAP:
            segs.append(Seg(True, (top + bottom) / 2, x0, x1))
        elif abs(x1 - x0) <= SNAP and bottom - top > SNAP:
            segs.append(Seg(False, (x0 + x1) / 2, top, bottom))
    for r in rects:
        x0, x1, top, bottom = r["x0"], r["x1"], r["top"], r["bottom"]
        w, h = x1 - x0, bottom - top
        if r.get("stroke") and not _is_white(r.get("stroking_color")) and (w > SNAP or h > SNAP):
            if w > SNAP:
                segs += [Seg(True, top, x0, x1), Seg(True, bottom, x0, x1)]
            if h > SNAP:
                segs += [Seg(False, x0, top, bottom), Seg(False, x1, top, bottom)]
        elif r.get("fill") and not _is_white(r.get("non_stroking_color")):
            # Word and WPS often draw borders as thin filled rectangles
            if h <= SNAP and w > SNAP:
                segs.append(Seg(True, (top + bottom) / 2, x0, x1))
            elif w <= SNAP and h > SNAP:
                segs.append(Seg(False, (x0 + x1) / 2, top, bottom))
    return _merge(segs)


def _merge(segs: list[Seg]) -> list[Seg]:
    """Join collinear segments that touch or overlap."""
    out: list[Seg] = []
    for horizontal in (True, False):
        group = sorted((s for s in segs if s.horizontal == horizontal), key=lambda s: (s.pos, s.a))
        levels: list[list[Seg]] = []
        for s in group:
            if levels and abs(levels[-1][0].pos - s.pos) <= SNAP:
                levels[-1].append(s)
            else:
                levels.append([s])
        for level in levels:
            pos = sum(s.pos for s in level) / len(level)
            level.sort(key=lambda s: s.a)
            cur = Seg(horizontal, pos, level[0].a, level[0].b)
            for s in level[1:]:
                if s.a <= cur.b + SNAP:
                    cur.b = max(cur.b, s.b)
                else:
                    out.append(cur)
                    cur = Seg(horizontal, pos, s.a, s.b)
            out.append(cur)
    return out


@dataclass(slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    text: str = ""


@dataclass(slots=True)
class Lattice:
    """A table drawn with ruling lines: boundaries and merged cells (row-major, first position)."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, ch: Char) -> bool:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        x0, top, x1, bottom = self.bbox
        return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1

    def fill(self, chars: Sequence[Char]) -> None:
        """Put each char (already known to be inside) into its cell and build the cell texts."""
        inside: list[list[Char]] = [[] for _ in self.cells]
        for ch in chars:
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            for k, cell in enumerate(self.cells):
                x0, top, x1, bottom = cell.bbox
                if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                    inside[k].append(ch)
                    break
        for cell, cell_chars in zip(self.cells, inside, strict=True):
            cell.text = cell_text(cell_chars)

    def rows(self) -> list[list[GridCell]]:
        nrows = max((c.row + c.rowspan for c in self.cells), default=0)
        out: list[list[GridCell]] = [[] for _ in range(nrows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out


def lattices(segs: list[Seg]) -> list[Lattice]:
    """Tables drawn by the ruling segments of one page (groups of crossing segments)."""
    if len(segs) > MAX_SEGMENTS:
        return []
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {id(s): i for i, s in enumerate(segs)}
    for h in hs:
        for v in vs:
            if h.a - SNAP <= v.pos <= h.b + SNAP and v.a - SNAP <= h.pos <= v.b + SNAP:
                parent[find(index[id(h)])] = find(index[id(v)])
    groups: dict[int, list[Seg]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(find(i), []).append(s)
    out = []
    for group in groups.values():
        lat = _lattice(group)
        if lat is not None:
            out.append(lat)
    out.sort(key=lambda t: t.bbox[1])
    return out


def _covered(segs: list[Seg], pos: float, a: float, b: float) -> bool:
    """Whether rulings at ``pos`` cover most of ``a``..``b``."""
    need = (b - a) * 0.6
    got = 0.0
    for s in segs:
        if abs(s.pos - pos) <= SNAP:
            got += max(0.0, min(b, s.b) - max(a, s.a))
    return got >= need


def _lattice(group: list[Seg]) -> Lattice | None:
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return None
    xs = cluster([v.pos for v in vs] + [min(h.a for h in hs), max(h.b for h in hs)], SNAP)
    ys = cluster([h.pos for h in hs] + [min(v.a for v in vs), max(v.b for v in vs)], SNAP)
    if len(xs) < 2 or len(ys) < 2 or (len(xs) == 2 and len(ys) == 2):
        return None  # a frame around text, not a table
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not _covered(vs, xs[j + 1], ys[i], ys[i + 1]):
                parent[find(i * nc + j + 1)] = find(i * nc + j)
            if i + 1 < nr and not _covered(hs, ys[i + 1], xs[j], xs[j + 1]):
                parent[find((i + 1) * nc + j)] = find(i * nc + j)
    spans: dict[int, list[int]] = {}
    for k in range(nr * nc):
        i, j = divmod(k, nc)
        r = find(k)
        if r not in spans:
            spans[r] = [i, j, i, j]
        else:
            s = spans[r]
            s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
    # drop boundaries no cell starts at (they only split merged cells)
    row_starts = sorted({s[0] for s in spans.values()})
    col_starts = sorted({s[1] for s in spans.values()})
    rmap = {r: n for n, r in enumerate(row_starts)}
    cmap = {c: n for n, c in enumerate(col_starts)}

    def end(starts: list[int], m: dict[int, int], last: int) -> int:
        """The new index just after old index ``last``."""
        later = [s for s in starts if s > last]
        return m[later[0]] if later else len(starts)

    cells = []
    for i0, j0, i1, j1 in spans.values():
        r, c = rmap[i0], cmap[j0]
        cells.append(GridCell(r, c, end(row_starts, rmap, i1) - r, end(col_starts, cmap, j1) - c,
                              (xs[j0], ys[i0], xs[j1 + 1], ys[i1 + 1])))
    if len(cells) < 2:
        return None
    return Lattice([xs[c] for c in col_starts] + [xs[-1]], [ys[r] for r in row_starts] + [ys[-1]], cells)
