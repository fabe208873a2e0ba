"""Splitting digit runs whose cell separators were lost.

Portals' "text version" of a report prints a table 三 row 71,3,0,0,0,0,74 as ``713000074`` and
table 四 as one run of 15 digits.  The identities of the format usually admit exactly one split;
where more than one split satisfies every identity the cells are reported as ambiguous with the
candidates — never a silent guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal

from ..formats import TableSpec
from ..formats.identities import Number, columns_hold, terms

#: the most digits one glued cell may have (counts above ten million do not occur in reports)
MAX_DIGITS = 7
#: stop enumerating after this many candidates; a run that admits more is reported as ambiguous
MAX_CANDIDATES = 200


def splits(runs: Sequence[str], n: int, check: Callable[[list[Number]], bool] | None = None,
           limit: int = MAX_CANDIDATES, kinds: Sequence[str] | None = None,
           prefix: Callable[[list[Number]], bool] | None = None) -> list[list[Number]]:
    """Every way to cut the number ``runs`` into ``n`` numbers that passes ``check``.

    Each run gives one or more numbers; no number has a leading zero; a minus sign starts a number
    and is allowed only where the column's kind is ``delta``; a decimal point stays inside one
    number, allowed only where the kind is an amount.  ``prefix`` prunes partial vectors.  At most
    ``limit`` candidates are returned: ``len(result) == limit`` means the enumeration was cut.
    """
    runs = [r for r in runs if r]
    out: list[list[Number]] = []
    if not runs or len(runs) > n:
        return out
    kinds = list(kinds) if kinds is not None else ["count"] * n
    vals: list[Number] = []

    def parts(run: str, pos: int, kind: str) -> list[tuple[Number, int]]:
        """Numbers that can start at ``pos``: (value, end)."""
        res: list[tuple[Number, int]] = []
        i = pos
        neg = run[i] == "-"
        if run[i] in "-+":
            if kind != "delta":
                return res
            i += 1
        if i >= len(run) or not run[i].isdigit():
            return res
        j = i
        while j < len(run) and run[j].isdigit() and j - i < MAX_DIGITS:
            j += 1
        for end in range(i + 1, j + 1):
            digits = run[i:end]
            if len(digits) > 1 and digits[0] == "0":
                break
            if end < len(run) and run[end] == ".":
                # a decimal: the fraction belongs to this number
                if kind not in ("amount", "amount_unit"):
                    continue
                k = end + 1
                while k < len(run) and run[k].isdigit():
                    k += 1
                for fend in range(end + 2, k + 1):
                    v = Decimal(run[i:fend])
                    res.append((-v if neg else v, fend))
                continue
            v_int = int(digits)
            res.append((-v_int if neg else v_int, end))
        return res

    def rec(ri: int, pos: int) -> None:
        if len(out) >= limit:
            return
        if ri == len(runs):
            if len(vals) == n and (check is None or check(vals)):
                out.append(list(vals))
            return
        run = runs[ri]
        left = n - len(vals)
        runs_after = len(runs) - ri - 1
        if left <= runs_after:
            return
        for value, end in parts(run, pos, kinds[len(vals)]):
            finished = end == len(run)
            if not finished and (left - 1 <= runs_after or run[end] == "."):
                continue
            vals.append(value)
            if prefix is None or prefix(vals):
                rec(ri + 1, 0) if finished else rec(ri, end)
            vals.pop()

    rec(0, 0)
    return out


def narrow(spec: TableSpec, candidates: dict[str, list[list[Number]]], known: dict[str, list[Number | None]],
           max_product: int = 20000) -> dict[str, list[list[Number]]]:
    """Keep the candidate vectors of ambiguous rows that satisfy the column identities together
    with the rows already known (vectors indexed by column position)."""
    ambiguous = [r for r, c in candidates.items() if len(c) > 1]
    if not ambiguous:
        return candidates
    size = 1
    for r in ambiguous:
        size *= len(candidates[r])
    if size > max_product:
        return candidates
    fixed: dict[str, list[Number | None]] = dict(known)
    for r, c in candidates.items():
        if len(c) == 1:
            fixed[r] = list(c[0])
    present = set(fixed) | set(ambiguous)
    relevant = []
    for ident in spec.identities:
        resolved = terms(spec, ident, present) if ident.axis == "column" else None
        if resolved is not None and any(r in resolved[0] + resolved[1] for r in ambiguous):
            relevant.append(ident)
    if not relevant:
        return candidates
    width = max(len(v[0]) for v in candidates.values() if v)
    keep: dict[str, set[int]] = {r: set() for r in ambiguous}
    for choice in itertools.product(*(range(len(candidates[r])) for r in ambiguous)):
        rows = dict(fixed)
        for r, k in zip(ambiguous, choice, strict=True):
            rows[r] = list(candidates[r][k])
        if columns_hold(spec, rows, width, relevant):
            for r, k in zip(ambiguous, choice, strict=True):
                keep[r].add(k)
    out = dict(candidates)
    for r in ambiguous:
        if keep[r]:
            out[r] = [candidates[r][k] for k in sorted(keep[r])]
    return out


def split_candidates(runs: Sequence[str], n: int, check: Callable[[list[Number]], bool],
                     kinds: Sequence[str] | None = None,
                     prefix: Callable[[list[Number]], bool] | None = None) -> tuple[list[list[Number]], bool]:
    """The splits to consider, and whether the list is complete.

    The only possible split is taken even if it breaks an identity (the report printed wrong
    numbers — the checker will say so); otherwise the splits that satisfy the identities; otherwise
    every split (ambiguous).  When there are more than ``MAX_CANDIDATES`` the list is incomplete and
    no cell may be taken from it.
    """
    good = splits(runs, n, check, kinds=kinds, prefix=prefix)
    if good:
        return good, len(good) < MAX_CANDIDATES
    every = splits(runs, n, None, kinds=kinds)
    return every, len(every) < MAX_CANDIDATES
