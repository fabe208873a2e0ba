"""Tables printed without ruling lines: lines whose pieces line up in columns → a grid.

Layers: ``tabular`` (a line that reads like a table row: a label, then numbers to its end) →
``line_runs`` (consecutive lines of running text or of a grid, with the grid's header lines and the
wrapped parts of its labels and numbers) → ``text_grid`` (columns from the numbers' x-ranges and,
for columns left blank in every row, from their headers; one-character-per-line headers stacked
into one text; each label line joined to the nearest row of numbers; blank cells kept in place).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pdf_page import Line
from .pdf_text import cluster, join_lines, norm, numeric


@dataclass(slots=True)
class TextGrid:
    """A grid rebuilt from aligned text: rows of (col, text, page, colspan)."""

    rows: list[list[tuple[int, str, int, int]]]
    #: how many of the rows are column headers
    nhead: int
    #: centres of the number columns (to recognise the same table on the next page)
    centers: list[float]
    page: int = 0
    #: the texts printed right above it (a header Word repeats on the next page may include them)
    above: set[str] = field(default_factory=set)
    #: how many label columns come before the number columns
    nlabel: int = 1

    def header(self) -> list[list[str]]:
        return [[norm(t) for _, t, _, _ in row] for row in self.rows[:self.nhead]]


def _numbers(ln: Line) -> list[tuple[float, float, str]]:
    return [p for p in ln.pieces if numeric(p[2])] if len(ln.pieces) > 1 else []


def _number_bits(ln: Line) -> bool:
    """A line of nothing but numbers (parts of numbers wrapped in narrow cells)."""
    return all(numeric(p[2]) for p in ln.pieces) and not tabular(ln)


def tabular(ln: Line) -> bool:
    """A line that reads like a table row: a label (or nothing) and then numbers to its end."""
    return len(ln.pieces) >= 2 and numeric(ln.pieces[-1][2]) and bool(_numbers(ln))


def tabular_prefix(lines: list[Line]) -> int:
    """How many of the first lines read like table rows."""
    k = 0
    while k < len(lines) and tabular(lines[k]):
        k += 1
    return k


def _aligned(run: list[Line]) -> bool:
    """Whether the numbers of these lines stand in columns (not numbers inside running text)."""
    rows = [ln for ln in run if tabular(ln)]
    if sum(1 for ln in rows if len(_numbers(ln)) >= 2) >= 2 or any(len(_numbers(ln)) >= 5 for ln in rows):
        return True
    if len(rows) < 3:
        return False
    last = [_numbers(ln)[-1] for ln in rows]
    lo, hi = max(p[0] for p in last), min(p[1] for p in last)
    return lo <= hi  # the last numbers of every line overlap: one column


@dataclass(slots=True)
class Run:
    """Consecutive lines of running ``text`` or of a ``grid`` (lines lining up in columns)."""

    kind: str
    lines: list[Line]
    #: grid: how many of the first lines are column headers
    nhead: int = 0


def line_runs(lines: list[Line]) -> list[Run]:
    """Split lines into runs of ``text`` and ``grid``."""
    out: list[tuple[str, list[Line]]] = []
    i = 0
    n = len(lines)
    while i < n:
        if not tabular(lines[i]):
            j = i
            while j < n and not tabular(lines[j]):
                j += 1
            out.append(("text", lines[i:j]))
            i = j
            continue
        j = i + 1
        last_tab = i
        while j < n:
            ln, prev = lines[j], lines[j - 1]
            h = max(prev.bottom - prev.top, 1.0)
            if ln.top - prev.bottom > 2.5 * h or ln.page != prev.page:
                break
            if tabular(ln):
                last_tab = j
            elif not _number_bits(ln) and (len(ln.text) > 30 or len(ln.segments) > 1):
                break
            j += 1
        # the last digits of a number wrapped in a narrow cell, just below the last row
        while (last_tab + 1 < n and _number_bits(lines[last_tab + 1]) and lines[last_tab + 1].page == lines[i].page
               and lines[last_tab + 1].top - lines[last_tab].bottom < lines[last_tab].bottom - lines[last_tab].top):
            last_tab += 1
        run = lines[i:last_tab + 1]
        # rows right under a line of column headers (a block of table 二) are a grid too
        headed = (i > 0 and len(lines[i - 1].segments) >= 2 and not tabular(lines[i - 1])
                  and lines[i - 1].page == run[0].page
                  and run[0].top - lines[i - 1].bottom <= 2.5 * (run[0].bottom - run[0].top))
        out.append(("grid" if headed or _aligned(run) else "text", run))
        i = last_tab + 1
    merged: list[Run] = []
    for kind, part in out:
        if merged and merged[-1].kind == kind == "text":
            merged[-1].lines.extend(part)
        else:
            merged.append(Run(kind, list(part)))
    # a grid's header lines (column labels over the numbers) belong to the grid
    for k, grid in enumerate(merged):
        if grid.kind != "grid" or k == 0 or merged[k - 1].kind != "text":
            continue
        run, before = grid.lines, merged[k - 1].lines
        # the first digits of a number wrapped in a narrow cell, just above the row
        while before and _number_bits(before[-1]) and run[0].top - before[-1].bottom < before[-1].bottom - before[-1].top:
            run.insert(0, before.pop())
        # the first lines of the first row's label, wrapped around its numbers
        first_num = min(p[0] for x in run for p in _numbers(x))
        pulled = 0
        while (before and pulled < 3 and before[-1].page == run[0].page and before[-1].x1 < first_num
               and not _number_bits(before[-1])
               and run[0].top - before[-1].bottom < 0.8 * (before[-1].bottom - before[-1].top)):
            run.insert(0, before.pop())
            pulled += 1
        head = 0
        while head < len(before) and head < 12 and _header_line(before[-1 - head], run[0] if not head
                                                                  else before[-head], run):
            head += 1
        if head:
            run[:0] = before[len(before) - head:]
            del before[len(before) - head:]
            grid.nhead = head
    return [r for r in merged if r.lines]


def _header_line(ln: Line, below: Line, run: list[Line]) -> bool:
    size = sorted(x.size for x in run)[len(run) // 2]
    if ln.page != below.page or abs(ln.size - size) > 1.5 or tabular(ln) or _number_bits(ln):
        return False
    if below.top - ln.bottom > 2.5 * max(ln.bottom - ln.top, 1.0):
        return False
    if len(ln.pieces) >= 2:
        return True
    first_num = min(p[0] for x in run for p in _numbers(x))
    a, b, _ = ln.pieces[0]
    return (a + b) / 2 >= first_num - size


def _merge_intervals(ivs: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for a, b in ivs:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def text_grid(run: list[Line], nhead: int = 0) -> TextGrid:
    """Rows of (col, text, page, colspan) from lines whose pieces line up in columns; the first
    ``nhead`` lines are column headers (one character per line stacks up into one text)."""
    head, body = run[:nhead], run[nhead:]
    num_iv = sorted((a, b) for ln in body for a, b, _ in (ln.pieces if _number_bits(ln) else _numbers(ln)))
    cols = _merge_intervals(num_iv)
    size = sorted(ln.size for ln in run)[len(run) // 2]
    if cols and head:
        # a column whose numbers are all blank still has its header: narrow header pieces right
        # of the labels that stand over no column of numbers mark a column of their own
        # right of the row labels (nothing, in a table of numbers only like table 四)
        labels = [(a, b) for ln in body for a, b, t in ln.pieces if b < cols[0][0] and not numeric(t)]
        left = max((b for _, b in labels), default=float("-inf"))
        extra = [(a, b) for k, ln in enumerate(head) for n, (a, b, _) in enumerate(ln.pieces)
                 if a >= left and (b - a <= 3 * size or k == len(head) - 1)
                 and not (labels and n == 0 and len(ln.pieces) > 1)  # the corner header (信息内容)
                 and not any(a <= c[1] + 1 and b >= c[0] - 1 for c in cols)]
        cols = sorted([*cols, *_merge_intervals(sorted(extra))])
    first_num = cols[0][0] if cols else float("inf")
    label_x0 = cluster([p[0] for ln in run for p in ln.pieces if p[1] < first_num], 1.5 * size) or [0.0]
    nlabel = len(label_x0)
    # column boundaries between number columns: half way between them
    cuts = [(cols[i][1] + cols[i + 1][0]) / 2 for i in range(len(cols) - 1)]

    def column(a: float, b: float) -> tuple[int, int]:
        if b < first_num:
            if a + 1.5 * size < label_x0[0]:
                return 0, 1
            return max(i for i in range(nlabel) if label_x0[i] <= a + 1.5 * size), 1
        lo = sum(1 for c in cuts if c < a + size / 2)
        hi = sum(1 for c in cuts if c < b - size / 2)
        return nlabel + lo, max(1, hi - lo + 1)

    rows: list[list[tuple[int, str, int, int]]] = []
    # header lines: lines whose pieces each sit in one column stack up into one row
    stack: dict[int, list[str]] = {}
    stack_page = 0
    for ln in head:
        placed = [(column(a, b), text) for a, b, text in ln.pieces]
        if all(span == 1 for (_, span), _ in placed):
            for (c, _), text in placed:
                stack.setdefault(c, []).append(text)
            stack_page = ln.page
            continue
        if stack:
            rows.append([(c, join_lines(stack[c]), stack_page, 1) for c in sorted(stack)])
            stack = {}
        rows.append([(c, text, ln.page, span) for (c, span), text in placed])
    if stack:
        rows.append([(c, join_lines(stack[c]), stack_page, 1) for c in sorted(stack)])
    nhead_rows = len(rows)

    # body: lines with numbers anchor a row; label-only lines join the nearest anchor
    anchors = [k for k, ln in enumerate(body) if tabular(ln)]

    def mid(k: int) -> float:
        return (body[k].top + body[k].bottom) / 2

    owner: dict[int, int] = {}
    for k, ln in enumerate(body):
        if k in anchors:
            owner[k] = k
            continue
        best = min(anchors, key=lambda a: (abs(mid(a) - mid(k)), a > k))
        owner[k] = best if abs(mid(best) - mid(k)) <= 1.7 * max(ln.bottom - ln.top, 1.0) else k
    for anchor in sorted(set(owner.values())):
        texts: dict[int, list[str]] = {}
        for k in sorted(k for k, o in owner.items() if o == anchor):
            for a, b, text in body[k].pieces:
                texts.setdefault(column(a, b)[0], []).append(text)
        numbers = range(nlabel, nlabel + len(cols))
        if anchor in anchors:
            for c in numbers:
                texts.setdefault(c, [""])  # a blank cell: nothing printed in its column
        rows.append([(c, join_lines(texts[c]), body[anchor].page, 1) for c in sorted(texts)])
    return TextGrid(rows, nhead_rows, [(a + b) / 2 for a, b in cols], nlabel=nlabel)
