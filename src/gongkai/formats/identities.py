"""The identities of a table, evaluated in one place.

A format declares its identities as data (``TableSpec.identities``: ``sum(left) == sum(right)``
in every column or every row).  Everyone who needs the arithmetic asks this module: the
checker's identity rules, the glued-digit splitter, the test generator and the case ledger.

* ``terms`` — the terms of an identity as a table printed them: a collapsed row (（六）其他处理
  printed as one row) stands in for the rows it replaces;
* ``evaluate`` — one ``Evaluation`` per column (column identities) or row (row identities), with
  the sums, and the terms left blank or printed "NA" (such a line is not checked);
* ``holds`` / ``failures`` — whether every checkable line holds, and the lines that do not;
* ``complete`` — fill the totals of a table from its parts (a total is a side of one term);
* ``row_predicate`` / ``columns_hold`` — the same arithmetic over bare number vectors, for the
  glued-digit search that tries thousands of candidate rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..values import NA, Value
from .spec import Identity, TableSpec

if TYPE_CHECKING:
    from ..model import Table

Number = int | Decimal

__all__ = [
    "Evaluation",
    "Number",
    "columns_hold",
    "complete",
    "evaluate",
    "failures",
    "holds",
    "lines",
    "row_predicate",
    "terms",
]


def _number(v: Value) -> Number | None:
    return v if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else None


def terms(spec: TableSpec, ident: Identity, rows: Collection[str]
          ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(left, right) terms of ``ident`` for a table whose present rows are ``rows``.

    Row terms are taken as printed: a collapsed row (（六）其他处理 undivided) stands in for the
    rows it replaces.  ``None`` when a row term is absent altogether (the table lacks the row: a
    structure problem, not an arithmetic one).  Column terms are returned as declared.
    """
    if ident.axis == "row":
        return ident.left, ident.right
    out: list[tuple[str, ...]] = []
    for side in (ident.left, ident.right):
        resolved: list[str] = []
        for t in side:
            if t in rows:
                resolved.append(t)
                continue
            sub = next((c.key for c in spec.collapsed if t in c.replaces and c.key in rows), None)
            if sub is None:
                return None
            if sub not in resolved:
                resolved.append(sub)
        out.append(tuple(resolved))
    return out[0], out[1]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One identity in one line of a table: the column (column identity) or the row (row identity)."""

    identity: Identity
    #: the column key (column identity) or row key (row identity) evaluated
    line: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_values: tuple[Value, ...]
    right_values: tuple[Value, ...]

    def _terms(self) -> Iterator[tuple[str, Value]]:
        yield from zip(self.left, self.left_values, strict=True)
        yield from zip(self.right, self.right_values, strict=True)

    @property
    def blanks(self) -> tuple[str, ...]:
        """Terms left blank (unknown)."""
        return tuple(t for t, v in self._terms() if v is None)

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Terms printed "NA" ("/", "—")."""
        return tuple(t for t, v in self._terms() if v == NA)

    @property
    def checked(self) -> bool:
        """Every term is a number, so the identity can be tested."""
        return all(_number(v) is not None for _, v in self._terms())

    @property
    def left_sum(self) -> Number | None:
        return _sum(self.left_values)

    @property
    def right_sum(self) -> Number | None:
        return _sum(self.right_values)

    @property
    def holds(self) -> bool | None:
        """True/False when checked; None when a term is blank or "NA"."""
        lsum, rsum = self.left_sum, self.right_sum
        if lsum is None or rsum is None:
            return None
        return lsum == rsum

    def cell(self, term: str) -> tuple[str, str]:
        """The (row key, column key) of a term in this line."""
        return (term, self.line) if self.identity.axis == "column" else (self.line, term)

    def cells(self) -> list[tuple[str, str]]:
        """The (row key, column key) of every term, left side first."""
        return [self.cell(t) for t in self.left + self.right]


def _sum(values: Sequence[Value]) -> Number | None:
    total: Number = 0
    for v in values:
        if type(v) is int or type(v) is Decimal:  # the common case, without the general test
            total += v
            continue
        n = _number(v)
        if n is None:
            return None
        total += n
    return total


def lines(table: Table, ident: Identity) -> list[str]:
    """Where ``ident`` is evaluated: every declared column (column identity), or every row the
    table has whose columns include all the identity's terms (row identity)."""
    spec = table.spec
    if ident.axis == "column":
        return [c.key for c in spec.columns]
    need = set(ident.left + ident.right)
    return [r for r in table.row_keys() if need <= spec.column_set(r)]


def _identities(spec: TableSpec, identity: Identity | str | None) -> tuple[Identity, ...]:
    if identity is None:
        return spec.identities
    key = identity if isinstance(identity, str) else identity.key
    found = tuple(i for i in spec.identities if i.key == key)
    if not found:
        raise KeyError(f"{spec.key}: no identity {key!r}")
    return found


def evaluate(table: Table, identity: Identity | str | None = None) -> Iterator[Evaluation]:
    """Every line of every identity of ``table`` (or of one identity, given or named by key).

    Identities whose row terms the table lacks altogether are not evaluated (see ``terms``).
    """
    return _evaluate(table, identity, failing=False)


def _evaluate(table: Table, identity: Identity | str | None, failing: bool) -> Iterator[Evaluation]:
    """``evaluate``; with ``failing``, only the checked lines that do not hold (the others are
    skipped before an ``Evaluation`` is made: the checker asks for these at every check)."""
    spec = table.spec
    get = table.cells.get
    rows = {r for r, _ in table.cells}
    for ident in _identities(spec, identity):
        resolved = terms(spec, ident, rows)
        if resolved is None:
            continue
        left, right = resolved
        for line in lines(table, ident):
            # Table.value, without a call per term
            if ident.axis == "column":
                lv = tuple([None if (c := get((t, line))) is None else c.value for t in left])
                rv = tuple([None if (c := get((t, line))) is None else c.value for t in right])
            else:
                lv = tuple([None if (c := get((line, t))) is None else c.value for t in left])
                rv = tuple([None if (c := get((line, t))) is None else c.value for t in right])
            if failing:  # Evaluation.holds is False
                lsum, rsum = _sum(lv), _sum(rv)
                if lsum is None or rsum is None or lsum == rsum:
                    continue
            yield Evaluation(ident, line, left, right, lv, rv)


def failures(table: Table, identity: Identity | str | None = None) -> list[Evaluation]:
    """The checked lines that do not hold (``holds`` is False), in the order ``evaluate`` gives them."""
    return list(_evaluate(table, identity, failing=True))


def holds(table: Table, identity: Identity | str | None = None) -> bool:
    """No checked line fails (lines with blank or "NA" terms are not counted against it)."""
    return not failures(table, identity)


def complete(table: Table, *, overwrite: bool = False) -> list[tuple[str, str]]:
    """Fill the totals of ``table`` from its parts; the cells set, in the order they were set.

    A total is the one term of an identity's side (（七）总计 = the result rows; 总计 = the
    applicant columns; table 四's 总计).  It is set when every part is a number — left alone
    when it already has a value, unless ``overwrite``.  Totals of totals (（七）总计/总计) are
    reached by repeating until nothing changes.  Identities with several terms on both sides
    (新收 + 上年结转 = 总计 + 结转) constrain but do not define a total, and fill nothing.
    """
    done: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    changed = True
    while changed:
        changed = False
        for ev in list(evaluate(table)):
            for total, parts, values in ((ev.left, ev.right, ev.right_values),
                                         (ev.right, ev.left, ev.left_values)):
                if len(total) != 1 or len(parts) < 1 or total[0] in parts:
                    continue
                target = ev.cell(total[0])
                s = _sum(values)
                if s is None or target in seen:
                    continue
                current = table.value(*target)
                if current == s:
                    continue
                if current is not None and not overwrite:
                    continue
                cell = table.cell(*target)
                if cell is None:
                    table.set(*target, s)
                else:
                    cell.value = s
                seen.add(target)
                done.append(target)
                changed = True
    return done


# -- bare vectors: the glued-digit search ---------------------------------------------------------


def row_predicate(spec: TableSpec, columns: Sequence[str]) -> Callable[[Sequence[Number]], bool]:
    """A test of a (possibly partial) vector of values against the row identities of ``spec``.

    The vector holds one row's values in ``columns`` order — or several rows one after another
    (table 四's 15 values: 3 rows × 5 columns).  An identity is tested in a row once every term
    of it is present; identities naming a column not in ``columns`` are not tested.
    """
    index = {c: i for i, c in enumerate(columns)}
    width = len(columns)
    tests: list[tuple[list[int], list[int], int]] = []
    for ident in spec.identities:
        if ident.axis != "row" or not all(t in index for t in ident.left + ident.right):
            continue
        left = [index[t] for t in ident.left]
        right = [index[t] for t in ident.right]
        tests.append((left, right, max(left + right)))

    def check(v: Sequence[Number]) -> bool:
        n = len(v)
        for base in range(0, n, width):
            for a, b, top in tests:
                if base + top < n and sum(v[base + i] for i in a) != sum(v[base + i] for i in b):
                    return False
        return True

    return check


def columns_hold(spec: TableSpec, rows: Mapping[str, Sequence[Number | None]], width: int,
                 identities: Sequence[Identity] | None = None) -> bool:
    """Whether the column identities hold over ``rows`` (row key → values by column position).

    A line is tested only where every term has a number (terms resolved as in ``terms``); the
    other lines do not count against it.
    """
    present = set(rows)
    for ident in identities if identities is not None else spec.identities:
        if ident.axis != "column":
            continue
        resolved = terms(spec, ident, present)
        if resolved is None:
            continue
        left, right = resolved
        for col in range(width):
            lsum = _vector_sum(rows, left, col)
            if lsum is None:
                continue
            rsum = _vector_sum(rows, right, col)
            if rsum is not None and lsum != rsum:
                return False
    return True


def _vector_sum(rows: Mapping[str, Sequence[Number | None]], keys: tuple[str, ...], col: int) -> Number | None:
    total: Number = 0
    for k in keys:
        v = rows[k]
        if col >= len(v):
            return None
        x = v[col]
        if x is None:
            return None
        total += x
    return total
