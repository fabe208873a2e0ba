"""Splitting digit runs whose cell separators were lost.

Portals' "text version" of a report prints a table 三 row 71,3,0,0,0,0,74 as ``713000074`` and
table 四 as one run of 15 digits.  The identities of the format usually admit exactly one split;
where more than one split satisfies every identity the cells are reported as ambiguous with the
candidates — never a silent guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..formats import TableSpec
from ..formats.identities import Number, columns_hold, terms

#: the most digits one glued cell may have (counts above ten million do not occur in reports)
MAX_DIGITS = 7
#: stop enumerating after this many candidates; a run that admits more is reported as ambiguous
MAX_CANDIDATES = 200
#: the most partial splits one search may try (about half a second); a run that needs more is
#: reported as ambiguous.  Real rows need a few hundred, a busy agency's row of three-digit counts
#: up to some 25,000; adversarial runs would need billions.
MAX_STEPS = 100_000
#: the most partial splits the searches of one document may try together (about a second and a half)
MAX_DOCUMENT_STEPS = 300_000


@dataclass(slots=True)
class Budget:
    """The search work one document may still spend (shared by all its glued runs)."""

    steps: int = MAX_DOCUMENT_STEPS


@dataclass(slots=True)
class Search:
    """The splits found, and whether the list is every split there is."""

    candidates: list[list[Number]]
    #: False when the search stopped at ``limit`` candidates or at its step budget
    complete: bool
    #: partial splits tried
    steps: int = 0


def search(runs: Sequence[str], n: int, check: Callable[[list[Number]], bool] | None = None,
           limit: int = MAX_CANDIDATES, kinds: Sequence[str] | None = None,
           prefix: Callable[[list[Number]], bool] | None = None, max_steps: int = MAX_STEPS,
           budget: Budget | None = None) -> Search:
    """Every way to cut the number ``runs`` into ``n`` numbers that passes ``check``.

    Each run gives one or more numbers; no number has a leading zero; a minus sign starts a number
    and is allowed only where the column's kind is ``delta``; a decimal point stays inside one
    number, allowed only where the kind is an amount.  ``prefix`` prunes partial vectors, and so
    does length: the characters left must fit the numbers left.  The search stops after ``limit``
    candidates or ``max_steps`` partial splits (or when ``budget`` runs out; the steps taken are
    deducted from it), and then says it is not complete.
    """
    if budget is not None:
        max_steps = min(max_steps, budget.steps)
        found = search(runs, n, check, limit, kinds, prefix, max_steps)
        budget.steps -= found.steps
        return found
    runs = [r for r in runs if r]
    out: list[list[Number]] = []
    if not runs or len(runs) > n:
        return Search(out, True)
    kinds = list(kinds) if kinds is not None else ["count"] * n
    # the longest text each remaining number may take (unbounded for amounts: their decimals)
    longest = [MAX_DIGITS + (1 if k == "delta" else 0) if k in ("count", "delta") else 10 ** 9 for k in kinds]
    room = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        room[i] = room[i + 1] + longest[i]
    after = [0] * (len(runs) + 1)  # characters in the runs after run i
    for i in range(len(runs) - 1, -1, -1):
        after[i] = after[i + 1] + len(runs[i])
    vals: list[Number] = []
    memo: dict[tuple[int, int, str], list[tuple[Number, int]]] = {}
    steps = 0
    stopped = False

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
        nonlocal steps, stopped
        if stopped:
            return
        steps += 1
        if len(out) >= limit or steps > max_steps:
            stopped = True
            return
        if ri == len(runs):
            if len(vals) == n and (check is None or check(vals)):
                out.append(list(vals))
            return
        run = runs[ri]
        left = n - len(vals)
        runs_after = len(runs) - ri - 1
        if left <= runs_after or len(run) - pos + after[ri + 1] > room[len(vals)]:
            return
        kind = kinds[len(vals)]
        options = memo.get((ri, pos, kind))
        if options is None:
            options = memo[(ri, pos, kind)] = parts(run, pos, kind)
        for value, end in options:
            finished = end == len(run)
            if not finished and (left - 1 <= runs_after or run[end] == "."):
                continue
            vals.append(value)
            if prefix is None or prefix(vals):
                rec(ri + 1, 0) if finished else rec(ri, end)
            vals.pop()

    rec(0, 0)
    return Search(out, not stopped, steps)


def splits(runs: Sequence[str], n: int, check: Callable[[list[Number]], bool] | None = None,
           limit: int = MAX_CANDIDATES, kinds: Sequence[str] | None = None,
           prefix: Callable[[list[Number]], bool] | None = None) -> list[list[Number]]:
    """The candidates of ``search`` (at most ``limit``; fewer when the step budget ran out)."""
    return search(runs, n, check, limit, kinds, prefix).candidates


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
                     prefix: Callable[[list[Number]], bool] | None = None,
                     budget: Budget | None = None) -> tuple[list[list[Number]], bool]:
    """The splits to consider, and whether the list is complete.

    The only possible split is taken even if it breaks an identity (the report printed wrong
    numbers — the checker will say so); otherwise the splits that satisfy the identities; otherwise
    every split (ambiguous).  When the search stopped early (more than ``MAX_CANDIDATES``, or more
    than ``MAX_STEPS`` tried, or the document's ``budget`` spent) the list is incomplete and no cell
    may be taken from it.
    """
    good = search(runs, n, check, kinds=kinds, prefix=prefix, budget=budget)
    if good.candidates or not good.complete:
        return good.candidates, good.complete
    every = search(runs, n, None, kinds=kinds, budget=budget)
    return every.candidates, every.complete


#: the most lines of values around one wrapped label whose orders are tried (4! = 24 orders)
MAX_GROUPS = 4


def reorder(groups: Sequence[Sequence[Number]], check: Callable[[Sequence[Number]], bool]
            ) -> tuple[list[list[Number]], bool]:
    """The orders of a row's lines of values (printed around a wrapped label, so their order is
    a layout guess) that satisfy the row's identities: (distinct vectors that fit, whether the
    printed order fits).  More than ``MAX_GROUPS`` lines: only the printed order is tried."""
    printed = [v for g in groups for v in g]
    printed_fits = check(printed)
    if len(groups) > MAX_GROUPS:
        return ([printed] if printed_fits else []), printed_fits
    fits: list[list[Number]] = []
    for perm in itertools.permutations(range(len(groups))):
        vec = [v for i in perm for v in groups[i]]
        if vec not in fits and check(vec):
            fits.append(vec)
    return fits, printed_fits
