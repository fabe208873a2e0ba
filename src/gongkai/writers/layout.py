"""The official layout of a report, derived from the format declaration.

Every writer that draws the report as a person reads it (DOCX, HTML/PDF, Markdown, XLSX) draws
the same thing: a list of ``Item`` (title, paragraphs, headings, tables, the signature) in which
each table is a ``Grid`` — rows of cells where a merged cell appears once, at its first position,
with ``rowspan``/``colspan`` set (the same convention as ``readers.blocks``).

Nothing here knows a label: the grids are built from ``TableSpec`` data.

* A table whose rows carry captions (table 二) is drawn as captioned blocks: a caption row spanning
  the width, a header row (the corner text 信息内容 + the column labels), the data rows.
* A table with a corner text (table 三) gets a multi-row column header built from
  ``header_groups`` (申请人情况 / 法人或其他组织 …), the corner cell spanning the header rows and the
  label columns, and row-group labels (三、本年度办理结果, （三）不予公开 …) spanning their
  sub-rows.  Group nesting is read from the row order: a group whose rows enclose another group's
  rows contains it.
* A table without a corner (table 四) has no row-label column: it is printed transposed, one data
  row, its rows becoming header levels above the column labels (行政复议 | 行政诉讼 → 未经复议直接起诉 …).

Blank cells stay blank (never an invented 0) and are reported as warnings; ``"NA"`` prints ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..formats import RowSpec
from ..model import Cell, Notice, Report, Table
from ..values import NA, format_value

CellKind = Literal["corner", "caption", "col", "colgroup", "row", "rowgroup", "value"]
RowKind = Literal["head", "caption", "body"]

#: warning codes of the writers
W_BLANK = "render.W001"
W_MISSING_TABLE = "render.W002"
W_DROPPED = "render.W003"


@dataclass(slots=True)
class GridCell:
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1
    #: the (row key, column key) a value cell shows
    row: str | None = None
    col: str | None = None
    #: printed one character per line (narrow header columns of table 四)
    vertical: bool = False
    #: a value cell whose value is unknown (printed empty)
    blank: bool = False


@dataclass(slots=True)
class GridRow:
    kind: RowKind
    cells: list[GridCell]


@dataclass(slots=True)
class Grid:
    key: str
    number: str
    title: str
    ncols: int
    rows: list[GridRow]
    #: relative column widths (sum is arbitrary)
    widths: list[float]

    @property
    def header_rows(self) -> int:
        """Leading rows that form the column header (repeated on each page)."""
        n = 0
        for r in self.rows:
            if r.kind != "head":
                break
            n += 1
        return n

    def matrix(self) -> list[list[GridCell | None]]:
        """The grid as a full rectangle: each cell at its first position, ``None`` where covered."""
        out: list[list[GridCell | None]] = [[None] * self.ncols for _ in self.rows]
        taken = [[False] * self.ncols for _ in self.rows]
        for i, row in enumerate(self.rows):
            j = 0
            for cell in row.cells:
                while j < self.ncols and taken[i][j]:
                    j += 1
                if j >= self.ncols:
                    raise ValueError(f"grid {self.key}: row {i} overflows")
                out[i][j] = cell
                for di in range(cell.rowspan):
                    for dj in range(cell.colspan):
                        taken[i + di][j + dj] = True
                j += cell.colspan
        return out

    def positions(self) -> list[tuple[int, int, GridCell]]:
        """(row index, column index, cell) of every cell, in reading order."""
        return [(i, j, c) for i, row in enumerate(self.matrix()) for j, c in enumerate(row) if c is not None]


ItemKind = Literal["title", "para", "heading", "table", "note", "sign"]


@dataclass(slots=True)
class Item:
    kind: ItemKind
    text: str = ""
    grid: Grid | None = None
    #: the section (or table) key an item belongs to
    key: str | None = None


@dataclass(slots=True)
class Layout:
    title: str
    items: list[Item]
    warnings: list[Notice] = field(default_factory=list)


# -- values -----------------------------------------------------------------------------------
def cell_text(cell: Cell | None) -> str:
    """The printed form of a cell: '' for blank, '/' for NA, the number (and unit) otherwise."""
    if cell is None or cell.value is None:
        return ""
    if cell.value == NA:
        return "/"
    text = format_value(cell.value)
    return text + cell.unit if cell.unit else text


def date_text(d: object) -> str:
    from datetime import date

    assert isinstance(d, date)
    return f"{d.year}年{d.month}月{d.day}日"


def report_title(report: Report) -> str:
    if report.title:
        return xml_safe(report.title)
    agency = xml_safe(report.agency or "")
    year = f"{report.year}年" if report.year else ""
    return f"{agency}{year}政府信息公开工作年度报告"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML (DOCX, XLSX, HTML) cannot hold."""
    return _CONTROL.sub("", text)


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a narrative text ("\\n"-separated); blank lines are not paragraphs."""
    if not text:
        return []
    return [p for p in xml_safe(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n") if p.strip()]


# -- grids ------------------------------------------------------------------------------------
def _value(table: Table, row: str, col: str, blanks: list[str]) -> GridCell:
    """A value cell; a blank one is named in ``blanks`` (row label / column label)."""
    cell = table.cell(row, col)
    blank = cell is None or cell.value is None
    if blank:
        blanks.append(f"“{table.spec.row(row).label}”/“{table.spec.column(col).label}”")
    return GridCell(cell_text(cell), "value", row=row, col=col, blank=blank)


def _spans(n: int, width: int) -> list[int]:
    """Spread ``n`` columns over ``width`` grid columns (the last takes the remainder)."""
    base = max(1, width // n)
    spans = [base] * n
    spans[-1] = width - base * (n - 1)
    return spans


def _blocks_grid(table: Table, blanks: list[str]) -> Grid:
    spec = table.spec
    width = max(len(spec.row_columns(r)) for r in spec.rows)
    ncols = 1 + width
    rows: list[GridRow] = []
    for caption, members in spec.captions():
        rows.append(GridRow("caption", [GridCell(caption, "caption", colspan=ncols)]))
        header: tuple[str, ...] | None = None
        for r in members:
            cols = spec.row_columns(r)
            keys = tuple(c.key for c in cols)
            spans = _spans(len(cols), width)
            if keys != header:
                rows.append(GridRow("head", [GridCell(spec.corner or "", "col")] + [
                    GridCell(c.label, "col", colspan=s) for c, s in zip(cols, spans, strict=True)]))
                header = keys
            cells = [GridCell(r.label, "row")]
            for c, s in zip(cols, spans, strict=True):
                v = _value(table, r.key, c.key, blanks)
                v.colspan = s
                cells.append(v)
            rows.append(GridRow("body", cells))
    return Grid(spec.key, spec.number, spec.title, ncols, rows, [1.0] * ncols)


def _header(leaves: list[tuple[tuple[str, ...], str]], vertical: bool) -> list[list[GridCell]]:
    """Header rows over leaf columns, each leaf given as (ancestor labels outer→inner, label).

    Consecutive leaves sharing an ancestor prefix share one merged cell; a leaf label spans down
    to the last header row."""
    depth = max(len(path) for path, _ in leaves) + 1
    out: list[list[GridCell]] = [[] for _ in range(depth)]
    for level in range(depth):
        i = 0
        while i < len(leaves):
            path, label = leaves[i]
            if level < len(path):
                j = i
                while j + 1 < len(leaves) and leaves[j + 1][0][: level + 1] == path[: level + 1]:
                    j += 1
                out[level].append(GridCell(path[level], "colgroup", colspan=j - i + 1))
                i = j + 1
                continue
            if level == len(path):
                out[level].append(GridCell(label, "col", rowspan=depth - level, vertical=vertical))
            i += 1
    return out


def group_parents(rows: list[RowSpec]) -> dict[str, list[str]]:
    """For each group label, the labels of the groups enclosing it (outer→inner)."""
    span: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.group:
            span.setdefault(r.group, [i, i])[1] = i
    parents: dict[str, list[str]] = {}
    for g, (a, b) in span.items():
        outer = [(h, hb - ha) for h, (ha, hb) in span.items() if h != g and ha <= a and b <= hb]
        parents[g] = [h for h, _ in sorted(outer, key=lambda x: -x[1])]
    return parents


def _printed_rows(table: Table, warnings: list[Notice]) -> list[RowSpec]:
    """The rows to print: declared rows, with a collapsed row in place of the rows it replaces
    when the report printed it that way."""
    spec = table.spec
    have = {r for r, _ in table.cells}
    parents = group_parents(list(spec.rows))
    out: list[RowSpec] = []
    done: set[str] = set()
    for r in spec.rows:
        col = next((c for c in spec.collapsed if r.key in c.replaces), None)
        if col is None or col.key not in have:
            out.append(r)
            continue
        if any(k in have for k in col.replaces):
            out.append(r)  # the divided rows are printed; the collapsed row cannot be as well
            if col.key not in done:
                done.add(col.key)
                warnings.append(Notice(W_DROPPED, f"表{spec.number}同时有“{col.label}”合计行和其分项，"
                                                  f"按分项输出，合计行未输出"))
            continue
        if col.key in done:
            continue
        done.add(col.key)
        inner = spec.row(col.replaces[0]).group
        chain = (parents.get(inner, []) if inner else [])
        out.append(RowSpec(col.key, col.label, group=chain[-1] if chain else None, result=True))
    return out


def _rows_grid(table: Table, blanks: list[str], warnings: list[Notice]) -> Grid:
    spec = table.spec
    rows = _printed_rows(table, warnings)
    parents = group_parents(rows)
    paths = [(*parents.get(r.group, []), r.group) if r.group else () for r in rows]
    nlab = max(len(p) for p in paths) + 1
    cols = list(spec.columns)
    keys = [c.key for c in cols]
    # header groups, widest (outermost) first
    groups = sorted(((g, keys.index(a), keys.index(b)) for g, a, b in spec.header_groups),
                    key=lambda x: x[1] - x[2])
    leaves = [(tuple(g for g, a, b in groups if a <= i <= b), c.label) for i, c in enumerate(cols)]
    head = _header(leaves, vertical=False)
    head[0].insert(0, GridCell(spec.corner or "", "corner", rowspan=len(head), colspan=nlab))
    grid_rows = [GridRow("head", h) for h in head]
    for i, (r, path) in enumerate(zip(rows, paths, strict=True)):
        cells: list[GridCell] = []
        for level, g in enumerate(path):
            if i > 0 and paths[i - 1][: level + 1] == path[: level + 1]:
                continue  # covered by the group cell above
            n = 1
            while i + n < len(rows) and paths[i + n][: level + 1] == path[: level + 1]:
                n += 1
            cells.append(GridCell(g, "rowgroup", rowspan=n))
        cells.append(GridCell(r.label, "row", colspan=nlab - len(path)))
        row_cols = [c.key for c in spec.row_columns(r)] if r.key in {x.key for x in spec.rows} else keys
        for k in keys:
            cells.append(_value(table, r.key, k, blanks) if k in row_cols else GridCell("", "value"))
        grid_rows.append(GridRow("body", cells))
    widths = [1.2 + 0.2 * k for k in range(nlab - 1)] + [4.6] + [1.0] * len(cols)
    return Grid(spec.key, spec.number, spec.title, nlab + len(cols), grid_rows, widths)


def _transposed_grid(table: Table, blanks: list[str]) -> Grid:
    spec = table.spec
    leaves: list[tuple[tuple[str, ...], str]] = []
    data: list[GridCell] = []
    for r in spec.rows:
        path = (r.group, r.label) if r.group else (r.label,)
        for c in spec.row_columns(r):
            leaves.append((path, c.label))
            data.append(_value(table, r.key, c.key, blanks))
    head = _header(leaves, vertical=True)
    rows = [GridRow("head", h) for h in head] + [GridRow("body", data)]
    return Grid(spec.key, spec.number, spec.title, len(leaves), rows, [1.0] * len(leaves))


def table_grid(table: Table, warnings: list[Notice] | None = None) -> Grid:
    """The official grid of one table (see the module doc for the three shapes)."""
    warn = warnings if warnings is not None else []
    blanks: list[str] = []
    spec = table.spec
    if any(r.caption for r in spec.rows):
        grid = _blocks_grid(table, blanks)
    elif spec.corner is not None:
        grid = _rows_grid(table, blanks, warn)
    else:
        grid = _transposed_grid(table, blanks)
    if blanks:
        shown = "、".join(blanks[:3]) + ("等" if len(blanks) > 3 else "")
        warn.append(Notice(W_BLANK, f"表{spec.number}（{spec.title}）有{len(blanks)}个单元格未填写，"
                                    f"已留空输出（不以0代替）：{shown}"))
    return grid


# -- the document -----------------------------------------------------------------------------
def document_layout(report: Report) -> Layout:
    """The report in the official order: title, preamble, the six sections (tables in place),
    agency and date at the end."""
    warnings: list[Notice] = []
    title = report_title(report)
    items = [Item("title", title)]
    items += [Item("para", p) for p in paragraphs(report.preamble)]
    for sec in report.format.sections:
        items.append(Item("heading", sec.heading, key=sec.key))
        items += [Item("para", p, key=sec.key) for p in paragraphs(report.sections.get(sec.key))]
        if sec.table is None:
            continue
        table = report.tables.get(sec.table)
        if table is None or not table.present:
            spec = report.format.table(sec.table)
            warnings.append(Notice(W_MISSING_TABLE, f"报告没有表{spec.number}（{spec.title}），已输出说明文字代替表格"))
            items.append(Item("note", f"（本报告未提供“{spec.title}”表。）", key=sec.table))
            continue
        items.append(Item("table", grid=table_grid(table, warnings), key=sec.table))
    if report.agency:
        items.append(Item("sign", xml_safe(report.agency)))
    if report.published:
        items.append(Item("sign", date_text(report.published)))
    return Layout(title, items, warnings)
