"""Layout guesses the table reader makes, and the data they need (issue 8 item 1).

A value belongs to the nearest label before it: a row whose label runs straight into another
label is blank (``later_labels`` are what may follow it).  Values printed among the lines of a
wrapped label, or before their label, are put where the row's identities (``check_of``) accept
them, else marked uncertain (``readers.tables``: ``TableReader._reorder``, ``read_above``;
``glued.reorder`` tries the orders of the lines, ``by_unit`` groups them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..formats import TableSpec
from ..formats.identities import Number, row_predicate
from ..textnorm import key
from .tokens import Tok


def by_unit(toks: list[Tok]) -> list[list[Tok]]:
    """Tokens grouped by the unit (line, paragraph, table row) they were printed in."""
    out: list[list[Tok]] = []
    for t in toks:
        if out and out[-1][-1].unit == t.unit:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def check_of(spec: TableSpec, columns: list[str]) -> Callable[[Sequence[Number]], bool] | None:
    """The row identities of ``spec`` over ``columns``, or None when the row has none."""
    need = {c for i in spec.identities if i.axis == "row" for c in i.left + i.right}
    return row_predicate(spec, columns) if need and need <= set(columns) else None


def later_labels(spec: TableSpec, row_key: str) -> tuple[str, ...]:
    """Match keys of what may be printed after a row's label when the row has no values: the
    labels of the rows after it (official labels and their longer aliases), their group labels
    and captions, the undivided row.  (Computed once per table format and row: a fifth of the
    time of a whole parse went here when it was computed for every row read.)"""
    # keyed by the spec's identity (hashing a frozen spec walks all its rows); the entry keeps the
    # spec alive, so its id is never reused for another
    hit = _LATER.get((id(spec), row_key))
    if hit is None or hit[0] is not spec:
        hit = _LATER[(id(spec), row_key)] = (spec, _later_labels(spec, row_key))
    return hit[1]


_LATER: dict[tuple[int, str], tuple[TableSpec, tuple[str, ...]]] = {}


def _later_labels(spec: TableSpec, row_key: str) -> tuple[str, ...]:
    keys = [r.key for r in spec.rows]
    i = keys.index(row_key) if row_key in keys else len(keys)
    cur = spec.rows[i] if i < len(keys) else None
    out: set[str] = set()
    for r in spec.rows[i + 1:]:
        out.add(key(r.label))
        out.update(key(a) for a in r.aliases if len(key(a)) >= 4)
        if r.group and (cur is None or r.group != cur.group):
            out.add(key(r.group))
        if r.caption and (cur is None or r.caption != cur.caption):
            out.add(key(r.caption))
    out.update(key(c.label) for c in spec.collapsed)
    return tuple(sorted((k for k in out if len(k) >= 2), key=len, reverse=True))
