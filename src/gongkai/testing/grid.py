"""The three tables of a report as printed grids (the official template's merged-cell layout).

A grid is a list of rows; each position holds a ``GCell`` (the top-left of a possibly merged
cell) or ``None`` (covered by a merged cell above or to the left).  The text printers and the
HTML printer draw these grids in their own way, so every layout shows the same table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..formats import TableSpec
from ..model import Report
from ..values import NA, Value, format_value

__all__ = ["GCell", "Grid", "GridOptions", "label_path", "table_grid"]

_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(slots=True)
class GCell:
    #: paragraphs of the cell (a header printed one character per line has one per character)
    paras: list[str]
    rowspan: int = 1
    colspan: int = 1
    #: "title", "caption", "header", "label", "group", "value"
    role: str = "value"

    @property
    def text(self) -> str:
        return "".join(self.paras)


Grid = list[list[GCell | None]]


@dataclass(slots=True)
class GridOptions:
    title_row: bool = True
    #: table 四 headers (结果维持 …) printed one character per line
    split_appeals: bool = True
    #: table 三's 商业企业/科研机构 written over two header rows (商业 / 企业), 社会公益组织 by words
    split_applicants: bool = True
    #: value cell → printed text (noise is applied by the caller through this hook)
    value_text: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: label → printed label (e.g. traditional characters)
    relabel: dict[str, str] = field(default_factory=dict)


def value_text(v: Value, unit: str | None = None) -> str:
    if v == NA:
        return "/"
    s = format_value(v)
    return f"{s}{unit}" if unit and v not in (None, 0) else s


def fullwidth(s: str) -> str:
    return s.translate(_FULL)


def label_path(spec: TableSpec, row: str) -> list[str]:
    """Labels from the outermost group to the row's own label (table 三: up to three)."""
    top = spec.row("granted").group if any(r.key == "granted" for r in spec.rows) else None
    r = spec.row(row)
    if top is None:
        return [r.group, r.label] if r.group else [r.label]
    if r.group is None:
        return [top, r.label] if r.result else [r.label]
    if r.group == top:
        return [top, r.label]
    return [top, r.group, r.label]


def _cell_text(report: Report, spec: TableSpec, row: str, col: str, opts: GridOptions) -> str:
    key = (spec.key, row, col)
    if key in opts.value_text:
        return opts.value_text[key]
    t = report.table(spec.key)
    c = t.cell(row, col)
    return value_text(c.value, c.unit) if c is not None else ""


def _lbl(opts: GridOptions, s: str) -> str:
    return opts.relabel.get(s, s)


def table_grid(report: Report, key: str, opts: GridOptions) -> Grid:
    spec = report.format.table(key)
    if key == "proactive":
        return _proactive(report, spec, opts)
    if key == "requests":
        return _requests(report, spec, opts)
    return _appeals(report, spec, opts)


def _proactive(report: Report, spec: TableSpec, opts: GridOptions) -> Grid:
    width = 1 + max(len(r.columns) for r in spec.rows)
    g: Grid = []

    def span_row(cells: list[GCell]) -> list[GCell | None]:
        out: list[GCell | None] = []
        for c in cells:
            out.append(c)
            out.extend([None] * (c.colspan - 1))
        return out

    if opts.title_row:
        g.append(span_row([GCell([_lbl(opts, spec.title)], colspan=width, role="title")]))
    for caption, rows in spec.captions():
        g.append(span_row([GCell([_lbl(opts, caption)], colspan=width, role="caption")]))
        cols = spec.row_columns(rows[0])
        head = [GCell([_lbl(opts, spec.corner or "信息内容")], role="header")]
        for i, c in enumerate(cols):
            last = i == len(cols) - 1
            head.append(GCell([_lbl(opts, c.label)], colspan=(width - len(cols)) if last else 1, role="header"))
        g.append(span_row(head))
        for r in rows:
            cells = [GCell([_lbl(opts, r.label)], role="label")]
            rcols = spec.row_columns(r)
            for i, c in enumerate(rcols):
                last = i == len(rcols) - 1
                cells.append(GCell([_cell_text(report, spec, r.key, c.key, opts)],
                                   colspan=(width - len(rcols)) if last else 1))
            g.append(span_row(cells))
    return g


def _requests(report: Report, spec: TableSpec, opts: GridOptions) -> Grid:
    t = report.table("requests")
    rows = t.row_keys()
    ncol = len(spec.columns)
    width = 3 + ncol
    g: Grid = []
    if opts.title_row:
        g.append([GCell([_lbl(opts, spec.title)], colspan=width, role="title")] + [None] * (width - 1))
    head_rows = 4 if opts.split_applicants else 3
    g.append([GCell([_lbl(opts, spec.corner or "")], rowspan=head_rows, colspan=3, role="header"), None, None,
              GCell([_lbl(opts, "申请人情况")], colspan=ncol, role="header")] + [None] * (ncol - 1))
    sub = head_rows - 1
    g.append([None, None, None, GCell([_lbl(opts, "自然人")], rowspan=sub, role="header"),
              GCell([_lbl(opts, "法人或其他组织")], colspan=ncol - 2, role="header")] + [None] * (ncol - 3)
             + [GCell([_lbl(opts, "总计")], rowspan=sub, role="header")])
    orgs = [c for c in spec.columns if c.group]
    if opts.split_applicants:
        r1: list[GCell | None] = [None] * 4
        r2: list[GCell | None] = [None] * 4
        for c in orgs:
            lab = _lbl(opts, c.label)
            if c.key in ("commercial", "research"):
                r1.append(GCell([lab[:2]], role="header"))
                r2.append(GCell([lab[2:]], role="header"))
            elif len(lab) > 2:
                r1.append(GCell([lab[i:i + 2] for i in range(0, len(lab), 2)], rowspan=2, role="header"))
                r2.append(None)
            else:
                r1.append(GCell([lab], rowspan=2, role="header"))
                r2.append(None)
        g.extend([[*r1, None], [*r2, None]])
    else:
        g.append([None] * 4 + [GCell([_lbl(opts, c.label)], role="header") for c in orgs] + [None])
    paths = {r: label_path(spec, r) for r in rows}
    seen: set[tuple[int, str]] = set()
    for r in rows:
        path = paths[r]
        cells: list[GCell | None] = []
        if len(path) == 1:
            cells = [GCell([_lbl(opts, path[0])], colspan=3, role="label"), None, None]
        else:
            for depth, lab in enumerate(path[:-1]):
                if (depth, lab) in seen:
                    cells.append(None)
                    continue
                seen.add((depth, lab))
                span = sum(1 for rr in rows if len(paths[rr]) > depth + 1 and paths[rr][depth] == lab)
                cells.append(GCell([_lbl(opts, lab)], rowspan=span, role="group"))
            own = 3 - len(cells)
            cells.append(GCell([_lbl(opts, path[-1])], colspan=own, role="label"))
            cells.extend([None] * (own - 1))
        for c in spec.columns:
            cells.append(GCell([_cell_text(report, spec, r, c.key, opts)]))
        g.append(cells)
    return g


def _appeals(report: Report, spec: TableSpec, opts: GridOptions) -> Grid:
    outcomes = [c.label for c in spec.columns]
    width = 3 * len(outcomes)
    g: Grid = []

    def head(lab: str, rowspan: int = 1) -> GCell:
        lab = _lbl(opts, lab)
        return GCell(list(lab) if opts.split_appeals else [lab], rowspan=rowspan, role="header")

    if opts.title_row:
        g.append([GCell([_lbl(opts, spec.title)], colspan=width, role="title")] + [None] * (width - 1))
    n = len(outcomes)
    g.append([GCell([_lbl(opts, "行政复议")], colspan=n, role="header")] + [None] * (n - 1)
             + [GCell([_lbl(opts, "行政诉讼")], colspan=2 * n, role="header")] + [None] * (2 * n - 1))
    suits = [r for r in spec.rows if r.group]
    g.append([head(o, 2) for o in outcomes]
             + [GCell([_lbl(opts, suits[0].label)], colspan=n, role="header")] + [None] * (n - 1)
             + [GCell([_lbl(opts, suits[1].label)], colspan=n, role="header")] + [None] * (n - 1))
    g.append([None] * n + [head(o) for o in outcomes] * 2)
    g.append([GCell([_cell_text(report, spec, r.key, c.key, opts)]) for r in spec.rows for c in spec.columns])
    return g


def owners(g: Grid) -> list[list[tuple[int, int]]]:
    """For each position, the (row, col) of the cell covering it."""
    own: list[list[tuple[int, int]]] = [[(-1, -1)] * len(row) for row in g]
    for i, row in enumerate(g):
        for j, c in enumerate(row):
            if c is None:
                continue
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    if i + di < len(g) and j + dj < len(g[i + di]):
                        own[i + di][j + dj] = (i, j)
    return own


def shuffle_free(rng: random.Random) -> GridOptions:
    """Grid options as real documents vary them."""
    return GridOptions(title_row=rng.random() < 0.7, split_appeals=rng.random() < 0.6,
                       split_applicants=rng.random() < 0.5)
