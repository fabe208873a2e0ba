"""Cells our reading could not settle, told apart from cells the agency left blank.

A cell is *unsure* when the reader says so (``Cell.uncertain``), or when it left the cell blank
because the printed digits could be split several ways (a glued run such as ``20155``), or because
it read only some of a row's numbers and cannot tell which cells they belong to.  Such a cell is
never the agency's blank, never a term of the agency's arithmetic and never a difference between
two versions of a report: the rules leave it out and one reading notice (``struct.I002``) says
what could not be read and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Cell, Report, Table
from ..readers.evidence import year_guessed as year_guessed  # the reader's own test, for the rules

if TYPE_CHECKING:
    from .context import Context

#: the reader's notes on a cell it left blank because the digits could not be placed
_UNPLACED_NOTES = ("连写数字", "未读到")


def is_unsure(cell: Cell | None, row_read: bool = True) -> bool:
    """The reader is not sure of this cell's value (or of its blank).

    ``row_read``: other cells of the same row were read.  A row of which nothing at all was read
    is blank in the document (a label followed directly by the next one, empty grid cells), unless
    the reader marked it uncertain or left a glued run unsplit.
    """
    if cell is None:
        return False
    if cell.uncertain:
        return True
    if cell.value is not None or not cell.note:
        return False
    if cell.note.startswith("连写数字"):
        return True
    return row_read and cell.note.startswith(_UNPLACED_NOTES)


def unsure_cells(table: Table, ctx: Context | None = None) -> frozenset[tuple[str, str]]:
    """The (row, column) cells of a table the reader is not sure of (of its declared cells).

    With the ``ctx`` of a check run, computed once per table for all the rules that ask.
    """
    if ctx is not None:
        return ctx.derived("unsure_cells", table, lambda: _unsure_cells(table))
    return _unsure_cells(table)


def _unsure_cells(table: Table) -> frozenset[tuple[str, str]]:
    if not table.present:
        return frozenset()
    # only a cell marked uncertain, or left blank with a note, can be unsure (``is_unsure``)
    maybe = [(key, cell) for key, cell in table.cells.items()
             if cell.uncertain or (cell.value is None and cell.note)]
    if not maybe:
        return frozenset()
    spec, cells = table.spec, table.cells
    read: dict[str, bool] = {}
    out: set[tuple[str, str]] = set()
    for (r, c), cell in maybe:
        if r not in spec.declared_row_keys or c not in spec.column_set(r):
            continue
        if r not in read:  # other cells of the row were read
            read[r] = any((x := cells.get((r, k))) is not None and x.value is not None for k in spec.column_keys(r))
        if is_unsure(cell, read[r]):
            out.add((r, c))
    return frozenset(out)


def unsure_keys(report: Report) -> frozenset[str]:
    """``table.row.column`` of every cell of the report the reader is not sure of."""
    return frozenset(f"{t}.{r}.{c}" for t, table in report.tables.items() for r, c in unsure_cells(table))


@dataclass(frozen=True)
class UnsureRow:
    """The unsure cells of one row, with the reader's reason."""

    table: Table
    row: str
    columns: tuple[str, ...]
    #: the reader's own words about why (its note on the cells), if any
    reason: str | None


def unsure_rows(report: Report, ctx: Context | None = None) -> Iterator[UnsureRow]:
    for table in report.tables.values():
        cells = unsure_cells(table, ctx)
        if not cells:
            continue
        for r in table.row_keys():
            cols = tuple(c for c in table.columns_of(r) if (r, c) in cells)
            if not cols:
                continue
            notes = [n for n in (table.cells[(r, c)].note for c in cols) if n]
            yield UnsureRow(table, r, cols, notes[0] if notes else None)


# -- what the document itself left blank -------------------------------------------------------


def table_blank(table: Table, ctx: Context | None = None) -> bool:
    """A table printed with no figure at all (the blank template): every cell blank in the
    document, none of them a cell our reading left open."""
    if not table.present or not table.cells:
        return False
    if any(cell.value is not None for cell in table.cells.values()):
        return False
    return not unsure_cells(table, ctx)


#: the national template's instruction in place of a section's text: （文字描述）
_PLACEHOLDER = re.compile(r"[（(][^（）()]*文字描述[^（）()]*[）)]")


def section_blank(text: str | None) -> bool:
    """No text, or only the template's placeholder (（文字描述）)."""
    return not _PLACEHOLDER.sub("", "".join((text or "").split()))


def text_blank(report: Report) -> bool:
    """None of the sections written in words (一、五、六: those without a table) has any text."""
    keys = [s.key for s in report.format.sections if s.table is None]
    return all(section_blank(report.sections.get(k)) for k in keys)


def report_blank(report: Report, ctx: Context | None = None) -> bool:
    """A blank report: its tables are present and blank, and no section has text."""
    present = [t for t in report.tables.values() if t.present]
    return bool(present) and all(table_blank(t, ctx) for t in present) and text_blank(report)
