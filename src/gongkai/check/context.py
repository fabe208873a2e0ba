"""What rules share: the settings, the calendar, and helpers that name cells the way people do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..formats import RowSpec, TableSpec
from ..model import Report, Table
from .config import CheckConfig
from .engine import Location

T = TypeVar("T")


@dataclass
class Context:
    config: CheckConfig = field(default_factory=CheckConfig)
    _calendar: Any = None
    #: what the rules derive from the report being checked (e.g. a table's unsure cells), kept
    #: while ``check_report`` runs the rules on one report (``one_report``); None otherwise
    _run: dict[tuple[str, int], tuple[Any, Any]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def calendar(self) -> Any:
        if self._calendar is None:
            from ..calendar import load_calendar

            self._calendar = load_calendar(*self.config.calendar_files)
        return self._calendar

    @contextmanager
    def one_report(self) -> Iterator[None]:
        """Keep what ``derived`` computes until the block ends: the rules run on one report, which
        nothing changes meanwhile.  Outside such a block ``derived`` computes every time."""
        outer = self._run
        self._run = {}
        try:
            yield
        finally:
            self._run = outer

    def derived(self, name: str, subject: object, compute: Callable[[], T]) -> T:
        """``compute()`` — once per ``name`` and ``subject`` (by identity) inside ``one_report``.
        The value is shared by the rules: callers must not change it."""
        run = self._run
        if run is None:
            return compute()
        key = (name, id(subject))
        hit = run.get(key)
        if hit is not None and hit[0] is subject:
            value: T = hit[1]
            return value
        value = compute()
        run[key] = (subject, value)  # the subject is held, so its id is not reused meanwhile
        return value


def table_name(spec: TableSpec) -> str:
    return f"表{spec.number}"


def row_name(spec: TableSpec, row: str) -> str:
    """The printed label of a row, with its sub-group where the label alone is ambiguous."""
    try:
        r: RowSpec = spec.row(row)
    except KeyError:
        return row
    if r.group and r.group.startswith("（"):
        return f"{r.group}{r.label}"
    return r.label


def col_name(spec: TableSpec, col: str) -> str:
    try:
        return spec.column(col).label
    except KeyError:
        return col


def appeals_group(spec: TableSpec, row: str) -> str:
    r = spec.row(row)
    return f"{r.group}/{r.label}" if r.group else r.label


def cell_at(table: Table, row: str | None, col: str | None, *, label: str | None = None) -> Location:
    """A finding's location: keys, a person's label (表三/自然人), and the cell's source place."""
    spec = table.spec
    loc = None
    if row is not None and col is not None:
        c = table.cell(row, col)
        loc = c.loc if c is not None else None
    if label is None:
        parts = [table_name(spec)]
        if spec.key == "appeals" and row is not None:
            parts.append(appeals_group(spec, row))
            if col is not None:
                parts.append(col_name(spec, col))
        elif row is not None and col is None:
            parts.append(row_name(spec, row))
        elif col is not None and row is None:
            parts.append(col_name(spec, col))
        elif row is not None and col is not None:
            parts.append(row_name(spec, row))
            parts.append(col_name(spec, col))
        label = "/".join(parts)
    return Location(table=spec.key, row=row, column=col, label=label, loc=loc)


def fmt_num(v: Any) -> str:
    from ..values import format_value

    return format_value(v) if v is not None else "空白"


def narrative(report: Report) -> list[tuple[str, str]]:
    """(section key, text) of every narrative section the report has, in order."""
    return [(k, v) for k, v in report.sections.items() if v]
