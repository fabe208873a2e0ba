"""Splitting digit runs whose cell separators were lost.

Portals' "text version" of a report prints a table 三 row 71,3,0,0,0,0,74 as ``713000074`` and
table 四 as one run of 15 digits.  The identities of the format usually admit exactly one split;
where more than one split satisfies every identity the cells are reported as ambiguous with the
candidates — never a silent guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from ..formats import Identity

#: the most digits one glued cell may have (counts above ten million do not occur in reports)
MAX_DIGITS = 7
#: stop enumerating after this many candidates; a run that admits more is reported as ambiguous
MAX_CANDIDATES = 200


def splits(runs: Sequence[str], n: int, check: Callable[[list[int]], bool] | None = None,
           limit: int = MAX_CANDIDATES) -> list[list[int]]:
    """Every way to cut the digit ``runs`` into ``n`` numbers (each run into one or more numbers, no
    number with a leading zero) that passes ``check``."""
    runs = [r for r in runs if r]
    out: list[list[int]] = []
    if not runs or sum(len(r) for r in runs) < n or len(runs) > n:
        return out
    vals: list[int] = []

    def rec(ri: int, pos: int) -> bool:
        if len(out) >= limit:
            return False
        if ri == len(runs):
            if len(vals) == n and (check is None or check(vals)):
                out.append(list(vals))
            return True
        run = runs[ri]
        need_runs_after = len(runs) - ri - 1
        left = n - len(vals)
        if left <= need_runs_after:
            return True
        rest = len(run) - pos
        if run[pos] == "0":
            lengths: range = range(1, 2)
        else:
            lengths = range(1, min(MAX_DIGITS, rest) + 1)
        for length in lengths:
            end = pos + length
            if end == len(run):
                vals.append(int(run[pos:end]))
                rec(ri + 1, 0)
                vals.pop()
            else:
                # more numbers must come from this run: keep room for them
                if left - 1 <= need_runs_after:
                    continue
                vals.append(int(run[pos:end]))
                rec(ri, end)
                vals.pop()
        return True

    rec(0, 0)
    return out


def row_check(columns: Sequence[str], identities: Sequence[Identity]) -> Callable[[list[int]], bool]:
    """A predicate testing a row vector against the identities that hold within a row."""
    index = {c: i for i, c in enumerate(columns)}
    tests = []
    for ident in identities:
        if ident.axis != "row":
            continue
        if not all(t in index for t in ident.left + ident.right):
            continue
        left = [index[t] for t in ident.left]
        right = [index[t] for t in ident.right]
        tests.append((left, right))

    def check(v: list[int]) -> bool:
        return all(sum(v[i] for i in a) == sum(v[i] for i in b) for a, b in tests)

    return check


def narrow(candidates: dict[str, list[list[int]]], known: dict[str, list[int | None]],
           identities: Sequence[Identity], max_product: int = 20000) -> dict[str, list[list[int]]]:
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
    col_idents = [i for i in identities if i.axis == "column"]
    relevant = [i for i in col_idents if any(r in i.left + i.right for r in ambiguous)]
    if not relevant:
        return candidates
    width = max(len(v[0]) for v in candidates.values() if v)
    fixed: dict[str, list[int | None]] = dict(known)
    for r, c in candidates.items():
        if len(c) == 1:
            fixed[r] = list(c[0])
    keep: dict[str, set[int]] = {r: set() for r in ambiguous}
    for choice in itertools.product(*(range(len(candidates[r])) for r in ambiguous)):
        rows = dict(fixed)
        for r, k in zip(ambiguous, choice, strict=True):
            rows[r] = list(candidates[r][k])
        if _columns_hold(rows, relevant, width):
            for r, k in zip(ambiguous, choice, strict=True):
                keep[r].add(k)
    out = dict(candidates)
    for r in ambiguous:
        if keep[r]:
            out[r] = [candidates[r][k] for k in sorted(keep[r])]
    return out


def _columns_hold(rows: dict[str, list[int | None]], identities: Sequence[Identity], width: int) -> bool:
    for ident in identities:
        for col in range(width):
            total_l = total_r = 0
            for side, terms in ((0, ident.left), (1, ident.right)):
                for t in terms:
                    v = rows.get(t)
                    if v is None or col >= len(v) or v[col] is None:
                        break
                    if side == 0:
                        total_l += v[col]  # type: ignore[operator]
                    else:
                        total_r += v[col]  # type: ignore[operator]
                else:
                    continue
                break
            else:
                if total_l != total_r:
                    return False
    return True


def split_candidates(runs: Sequence[str], n: int, check: Callable[[list[int]], bool]) -> list[list[int]]:
    """The splits to consider: the only possible split even if it breaks an identity (the report
    printed wrong numbers — the checker will say so), else those that satisfy the identities, else
    every split (ambiguous)."""
    every = splits(runs, n, None)
    if len(every) <= 1:
        return every
    good = [c for c in every if check(c)]
    return good or every
