"""The shape of a national annual-report format, as frozen data.

A format is declared once (one module per edition, see ``f2021`` and ``f2019``) and read by
everything else: readers match its labels, the checker evaluates its identities, writers draw
its tables.  Adding a third edition means adding a module of data and registering it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How a cell's value is typed.
#   count  – non-negative integer
#   delta  – integer that may be negative (2019 table 二 本年增/减)
#   amount – non-negative decimal (万元 in table 二 fees)
#   amount_unit – non-negative decimal whose unit is printed by the report (2019 procurement)
Kind = Literal["count", "delta", "amount", "amount_unit"]

Axis = Literal["column", "row"]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    label: str
    #: header label spanning this column together with its neighbours (e.g. 法人或其他组织)
    group: str | None = None
    kind: Kind = "count"
    #: other printed forms of the label that readers accept (official label first in ``label``)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    label: str
    #: group label printed in a spanning cell to the left (e.g. （三）不予公开)
    group: str | None = None
    #: caption of the block this row sits in (table 二: 第二十条第（一）项)
    caption: str | None = None
    #: the column keys this row has; empty means every column of the table
    columns: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: a result row of table 三 (summed into results_total)
    result: bool = False


@dataclass(frozen=True, slots=True)
class Identity:
    """``sum(left) == sum(right)``, holding in every column (terms are row keys) or every row
    (terms are column keys)."""

    key: str
    title: str
    axis: Axis
    left: tuple[str, ...]
    right: tuple[str, ...]
    #: the RULES.md rule number this identity implements
    rule: int = 0


@dataclass(frozen=True, slots=True)
class Collapsed:
    """A row some reports print instead of several rows (（六）其他处理 undivided)."""

    key: str
    label: str
    replaces: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSpec:
    key: str
    #: Chinese ordinal of the section holding the table (二, 三, 四)
    number: str
    title: str
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]
    identities: tuple[Identity, ...] = ()
    #: header cell text (table 三's 勾稽 note, table 二's 信息内容)
    corner: str | None = None
    #: top header spanning label(s) over columns: ((label, first col key, last col key), ...)
    header_groups: tuple[tuple[str, str, str], ...] = ()
    collapsed: tuple[Collapsed, ...] = ()
    # -- derived once from the fields above (``__post_init__``): the checker and the model ask
    # for them per cell, so they are not rebuilt per call.  Not compared, hashed or printed.
    #: the declared rows, each collapsed row placed before the rows it replaces (``Table.declared_rows``)
    declared_row_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: the keys of the collapsed rows
    collapsed_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _rows_by_key: dict[str, RowSpec] = field(init=False, repr=False, compare=False)
    _columns_by_key: dict[str, ColumnSpec] = field(init=False, repr=False, compare=False)
    _column_keys: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _column_sets: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _cells: tuple[tuple[str, str], ...] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        keys: list[str] = []
        replaced = {k: c.key for c in self.collapsed for k in c.replaces}
        for r in self.rows:
            if r.key in replaced and replaced[r.key] not in keys:
                keys.append(replaced[r.key])
            keys.append(r.key)
        put("declared_row_keys", tuple(keys))
        put("collapsed_keys", frozenset(c.key for c in self.collapsed))
        rows: dict[str, RowSpec] = {}
        for r in self.rows:
            rows.setdefault(r.key, r)  # the first row of a key, as a search from the top finds it
        for c in self.collapsed:
            rows.setdefault(c.key, RowSpec(key=c.key, label=c.label, result=True))
        put("_rows_by_key", rows)
        columns: dict[str, ColumnSpec] = {}
        for col in self.columns:
            columns.setdefault(col.key, col)
        put("_columns_by_key", columns)
        all_columns = tuple(c.key for c in self.columns)
        # a row naming an undeclared column is left out: ``column_keys`` then raises as ``row_columns`` does
        by_row = {k: r.columns if r.columns else all_columns for k, r in rows.items()
                  if all(c in columns for c in r.columns)}
        by_row.update(dict.fromkeys(self.collapsed_keys, all_columns))
        put("_column_keys", by_row)
        put("_column_sets", {k: frozenset(v) for k, v in by_row.items()})
        try:
            put("_cells", tuple(self._declared_cells()))
        except KeyError:  # a row naming an undeclared column: ``cells`` raises when asked
            put("_cells", None)

    def row(self, key: str) -> RowSpec:
        """The row of this key (a collapsed row as a result row spanning every column)."""
        r = self._rows_by_key.get(key)
        if r is None:
            raise KeyError(key)
        return r

    def column(self, key: str) -> ColumnSpec:
        c = self._columns_by_key.get(key)
        if c is None:
            raise KeyError(key)
        return c

    def column_keys(self, row: str) -> tuple[str, ...]:
        """The column keys of a row (a collapsed row has every column); KeyError for an unknown row."""
        cols = self._column_keys.get(row)
        if cols is None:
            return tuple(c.key for c in self.row_columns(row))  # raises KeyError
        return cols

    def column_set(self, row: str) -> frozenset[str]:
        """``column_keys`` as a set; KeyError for an unknown row."""
        cols = self._column_sets.get(row)
        if cols is None:
            return frozenset(self.column_keys(row))  # raises KeyError
        return cols

    def row_columns(self, row: RowSpec | str) -> tuple[ColumnSpec, ...]:
        r = self.row(row) if isinstance(row, str) else row
        if not r.columns:
            return self.columns
        return tuple(self.column(k) for k in r.columns)

    def cells(self) -> list[tuple[str, str]]:
        """Every (row key, column key) of the declared table, in reading order."""
        return list(self._cells) if self._cells is not None else self._declared_cells()

    def _declared_cells(self) -> list[tuple[str, str]]:
        return [(r.key, c.key) for r in self.rows for c in self.row_columns(r)]

    @property
    def result_rows(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows if r.result)

    def captions(self) -> list[tuple[str, list[RowSpec]]]:
        """Rows grouped by their caption (table 二's blocks), in order."""
        out: list[tuple[str, list[RowSpec]]] = []
        for r in self.rows:
            if r.caption is None:
                continue
            if not out or out[-1][0] != r.caption:
                out.append((r.caption, []))
            out[-1][1].append(r)
        return out


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    #: Chinese ordinal (一 … 六)
    number: str
    heading: str
    #: the distinctive words readers look for after the ordinal (any one matches)
    keywords: tuple[str, ...]
    table: str | None = None


@dataclass(frozen=True, slots=True)
class FormatSpec:
    id: str
    name: str
    source: str
    issued: str | None
    #: report years this format applies to, inclusive; ``None`` = open-ended
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    #: words that only this format prints (used to tell formats apart by content)
    markers: tuple[str, ...] = field(default=())

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def section(self, key: str) -> SectionSpec:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
