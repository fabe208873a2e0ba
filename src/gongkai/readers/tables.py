"""Reading the official tables out of tokens: label matching in declared order, the values after
each label, glued digit runs split by the identities, where each table starts and ends."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..formats import TableSpec
from ..formats.identities import Number, row_predicate
from ..model import Cell, Table
from ..textnorm import key
from .glued import narrow, reorder, split_candidates
from .headings import Ctx
from .layout import by_unit, check_of, later_labels
from .table_parts import cell_of, digit_run, glued_text, shown_run, table_start
from .tokens import EMPTY, TEXT, VAL, Tok

__all__ = ["TableReader", "cell_of", "check_of", "digit_run", "glued_text", "later_labels", "read_rows_table",
           "row_patterns", "shown_run", "table_start"]

@dataclass(slots=True)
class _RowRead:
    key: str
    columns: list[str]
    toks: list[Tok]
    cells: dict[str, Cell]
    candidates: list[list[Number]] | None = None


class TableReader:
    """Reads one table out of the tokens of its section."""

    def __init__(self, ctx: Ctx, spec: TableSpec, toks: list[Tok]) -> None:
        self.ctx = ctx
        self.spec = spec
        self.toks = toks
        self.text_idx = [i for i, t in enumerate(toks) if t.kind == TEXT]
        self.s_starts: list[int] = []
        parts = []
        off = 0
        for i in self.text_idx:
            self.s_starts.append(off)
            parts.append(toks[i].key)
            off += len(toks[i].key)
        self.S = "".join(parts)
        self.first_tok: int | None = None
        self.last_tok: int | None = None
        #: S offset where the table's first matched label (or header anchor) begins
        self.first_s: int | None = None
        #: the value tokens of the last ``values_after`` in the groups they were printed in (the
        #: lines inside a wrapped label, then those after it)
        self.groups: list[list[Tok]] = []
        #: numbers after the last row's values: (tokens, index of the next text token, its notice)
        self.extra: tuple[list[Tok], int, int] = ([], -1, -1)

    def tok_at(self, s_off: int) -> int:
        """Index (in toks) of the TEXT token holding S offset ``s_off``."""
        return self.text_idx[bisect_right(self.s_starts, s_off) - 1]

    def find(self, patterns: list[str], pos: int, window: int | None) -> tuple[int, int, str] | None:
        for pat in patterns:
            if not pat:
                continue
            hi = None if window is None else pos + window + len(pat)
            i = self.S.find(pat, pos, hi) if hi is not None else self.S.find(pat, pos)
            if i >= 0:
                return i, i + len(pat), pat
        return None

    def _align_by_header(self, row_unit: int, j: int, k: int, labels: list[str]) -> list[Tok] | None:
        """The values of a grid row with more cells than values, taken under the header cells that
        name their columns (a header row of the same width just above)."""
        units = self.ctx.units
        row = units[row_unit]
        if row.cells is None or row.offsets is None:
            return None
        want = [key(lbl) for lbl in labels]
        for hi in range(row_unit - 1, max(-1, row_unit - 8), -1):
            head = units[hi]
            if head.cells is None or len(head.cells) != len(row.cells):
                continue
            keys = [key(c.text) for c in head.cells]
            idx = []
            for w in want:
                hits = [i for i, kk in enumerate(keys) if kk == w] or [i for i, kk in enumerate(keys) if w and w in kk]
                if len(hits) != 1:
                    break
                idx.append(hits[0])
            else:
                by_cell = {bisect_right(row.offsets, t.start) - 1: t for t in self.toks[j:k]}
                if all(i in by_cell for i in idx):
                    self.ctx.log(f"    按表头“{'、'.join(labels)}”所在列取值（第{[i + 1 for i in idx]}列）")
                    return [by_cell[i] for i in idx]
                return None
        return None

    def label_follows(self, b: int, labels: Sequence[str]) -> bool:
        """The label ending at S offset ``b`` is followed, in the same printed piece of text, by
        one of ``labels`` (keys): nothing was printed between the two labels."""
        t1 = self.tok_at(b - 1)
        end = self.s_starts[bisect_right(self.text_idx, t1) - 1] + len(self.toks[t1].key)
        rest = self.S[b:end]
        return bool(rest) and any(rest.startswith(lbl) for lbl in labels)

    def values_after(self, a: int, b: int, n: int, labels: list[str] | None = None) -> tuple[list[Tok], int]:
        """Value tokens of a row whose label spans S[a:b]: those inside the label's span first
        (a label wrapped around its numbers), then those after it, up to the next text."""
        t0, t1 = self.tok_at(a), self.tok_at(b - 1)
        vals = [t for t in self.toks[t0:t1] if t.kind != TEXT]
        # the lines of values printed inside a wrapped label: their order is a layout guess
        self.groups = by_unit(vals)
        j = t1 + 1
        # a grid row with more cells after the label than the row has values: the extra leading
        # cells are the empty remains of a merged label column, not blank values
        row_unit = self.toks[t1].unit
        k = j
        while k < len(self.toks) and self.toks[k].unit == row_unit and self.toks[k].kind != TEXT:
            k += 1
        in_row = k - j
        if in_row > n and labels:
            self.groups = []
            aligned = self._align_by_header(row_unit, j, k, labels)
            if aligned is not None:
                return aligned, k - 1
        while in_row > n and j < k and self.toks[j].kind == EMPTY:
            j += 1
            in_row -= 1
        after: list[Tok] = []
        while j < len(self.toks) and len(vals) < n:
            t = self.toks[j]
            if t.kind == TEXT:
                break
            vals.append(t)
            after.append(t)
            j += 1
        if after:
            self.groups.append(after)
        # extra numbers right after the row (before the next label) are reported, not used
        k = j
        extra = []
        while k < len(self.toks) and self.toks[k].kind != TEXT:
            if self.toks[k].kind == VAL:
                extra.append(self.toks[k])
            k += 1
        self.extra = ([], -1, -1)
        if extra and len(vals) >= n:
            self.ctx.note("row.extra", f"表{self.spec.number}：标签后多出数字“{' '.join(t.text for t in extra)}”，已忽略",
                          extra[0].loc)
            self.extra = (extra, k, len(self.ctx.notices) - 1)
        return vals, (j - 1 if vals else t1)

    def values_above(self, a: int, n: int) -> list[Tok]:
        """The numbers the previous row left over (``extra``), when they are as many as this row has
        cells and nothing but label text stands between them and this row's label at S offset ``a``:
        a row printed with its numbers on the line above its label (values far from their label).
        The previous row's "extra numbers" notice is withdrawn."""
        extra, nxt, notice = self.extra
        t0 = self.tok_at(a)
        if len(extra) != n or nxt < 0 or nxt > t0 or any(t.kind != TEXT for t in self.toks[nxt:t0 + 1]):
            return []
        if 0 <= notice < len(self.ctx.notices) and self.ctx.notices[notice].id == "row.extra":
            del self.ctx.notices[notice]
        self.extra = ([], -1, -1)
        return extra

    def mark(self, first: int, last: int, first_s: int | None = None) -> None:
        if first_s is not None and (self.first_s is None or first_s < self.first_s):
            self.first_s = first_s
        self.first_tok = first if self.first_tok is None else min(self.first_tok, first)
        self.last_tok = last if self.last_tok is None else max(self.last_tok, last)

    def read_row(self, key_: str, label: str, columns: list[str], vals: list[Tok]) -> _RowRead:
        where = f"表{self.spec.number}“{label}”"
        n = len(columns)
        row = _RowRead(key_, columns, vals, {})
        if len(vals) == n:
            if len(self.groups) > 1 and sum(map(len, self.groups)) == n and self._reorder(row, where, check_of(
                    self.spec, columns)):
                return row
            for c, t in zip(columns, vals, strict=True):
                row.cells[c] = cell_of(t, self.ctx, where)
            return row
        runs = [digit_run(t) for t in vals]
        check = row_predicate(self.spec, columns)
        if len(vals) < n and vals and all(r is not None for r in runs):
            kinds = [self.spec.column(c).kind for c in columns]
            cands, complete = split_candidates([r for r in runs if r is not None], n, check, kinds, prefix=check,
                                               budget=self.ctx.glued_budget)
            if not complete:
                glued = shown_run(vals)
                self.ctx.note("glued.ambiguous", f"{where}：连写数字“{glued}”的拆分方式过多，无法确定，按空白处理",
                              vals[0].loc)
                for c in columns:
                    row.cells[c] = Cell(None, glued_text(vals), vals[0].loc, note=f"连写数字“{glued}”无法拆分",
                                        uncertain=True)
                return row
            if cands:
                row.candidates = cands
                self.ctx.log(f"    连写数字 {'+'.join(t.text for t in vals)} → {len(cands)} 种拆分")
                return row
        if len(vals) > n and all(r is not None for r in runs):
            merged = self._merges([r for r in runs if r is not None], n, check)
            if len(merged) == 1:
                self.ctx.note("row.merged", f"{where}：相邻数字按勾稽关系合并读取（{' '.join(t.text for t in vals)}）",
                              vals[0].loc)
                for c, v in zip(columns, merged[0], strict=True):
                    row.cells[c] = Cell(v, str(v), vals[0].loc, note="由分开印刷的数字合并")
                return row
        got = vals[:n]
        if len(vals) < n:
            self.ctx.note("row.short", f"{where}：只读到 {len(vals)} 个数值，应为 {n} 个，缺少的单元格按空白处理",
                          vals[0].loc if vals else None)
        for c, t in zip(columns, got, strict=False):
            row.cells[c] = cell_of(t, self.ctx, where)
        for c in columns[len(got):]:
            row.cells[c] = Cell(None, None, None, note="未读到")
        return row

    def _reorder(self, row: _RowRead, where: str, check: Callable[[Sequence[Number]], bool] | None) -> bool:
        """A row whose values were printed in several lines around its wrapped label: the one
        order of the lines that satisfies the row's identities (``glued.reorder``); when none or
        several do, the cells are read as printed and marked uncertain.  False when the printed
        order stands (it is the only one that adds up)."""
        runs = [[digit_run(t) for t in g] for g in self.groups]
        if check is None or any(r is None for g in runs for r in g):
            return False
        nums = [[Decimal(r) if "." in r else int(r) for r in g if r is not None] for g in runs]
        fits, printed_fits = reorder(nums, check)
        if printed_fits and len(fits) == 1:
            return False  # the printed order, and no other, adds up
        # (several orders adding up — e.g. 38 / 0 0 0 0 0 38 — cannot be told apart: uncertain)
        toks = [t for g in self.groups for t in g]
        shown = " / ".join(" ".join(t.text for t in g) for g in self.groups)
        if len(fits) == 1:
            self.ctx.note("row.reordered", f"{where}：行标签折行，数字分几行印在标签中间（{shown}），"
                                           f"按勾稽关系确定顺序为 {' '.join(map(str, fits[0]))}", toks[0].loc)
            for c, v in zip(row.columns, fits[0], strict=True):
                row.cells[c] = Cell(v, str(v), toks[0].loc, note="行标签折行，数字顺序按勾稽关系确定",
                                    evidence="identities")
            return True
        self.ctx.note("row.uncertain", f"{where}：行标签折行，数字分几行印在标签中间（{shown}），"
                                       "无法确定各数字属于哪一列，按印刷顺序读取并标为不确定", toks[0].loc)
        for c, t in zip(row.columns, toks, strict=True):
            cell = cell_of(t, self.ctx, where)
            cell.uncertain = True
            cell.note = "行标签折行，数字与列的对应不确定"
            row.cells[c] = cell
        return True

    def read_above(self, key_: str, label: str, columns: list[str], vals: list[Tok]) -> _RowRead:
        """A row whose numbers were printed before its label: taken when the row's identities hold
        (a reading notice says where they were found), else read and marked uncertain."""
        where = f"表{self.spec.number}“{label}”"
        row = _RowRead(key_, columns, vals, {})
        check = check_of(self.spec, columns)
        runs = [digit_run(t) for t in vals]
        nums = [Decimal(r) if "." in r else int(r) for r in runs if r is not None]
        holds = check is not None and len(nums) == len(vals) and check(nums)
        shown = " ".join(t.text for t in vals)
        if holds:
            self.ctx.note("row.above", f"{where}：数字“{shown}”印在行标签之前，符合该行的勾稽关系，按该行读取", vals[0].loc)
        else:
            self.ctx.note("row.uncertain", f"{where}：数字“{shown}”印在行标签之前，无法确定属于哪一行，"
                                           "按该行读取并标为不确定", vals[0].loc)
        for c, t in zip(columns, vals, strict=True):
            cell = cell_of(t, self.ctx, where)
            cell.note = "数字印在行标签之前" if holds else "数字印在行标签之前，所属的行不确定"
            cell.uncertain = not holds
            row.cells[c] = cell
        return row

    @staticmethod
    def _merges(runs: list[str], n: int, check: Callable[[Sequence[Number]], bool]) -> list[list[int]]:
        from itertools import combinations

        out: list[list[int]] = []
        gaps = len(runs) - 1
        k = len(runs) - n
        if k > 3:
            return out
        for cut in combinations(range(gaps), k):
            vals: list[str] = [runs[0]]
            for g in range(gaps):
                if g in cut:
                    vals[-1] += runs[g + 1]
                else:
                    vals.append(runs[g + 1])
            if any(len(v) > 1 and v[0] == "0" for v in vals):
                continue
            ints = [int(v) for v in vals]
            if check(ints):
                out.append(ints)
        return out


def _resolve_glued(reader: TableReader, rows: list[_RowRead]) -> None:
    spec = reader.spec
    cands = {r.key: r.candidates for r in rows if r.candidates is not None}
    if not cands:
        return
    known: dict[str, list[Number | None]] = {}
    for r in rows:
        if r.candidates is None:
            known[r.key] = [c.value if isinstance(c.value, int) else None for c in (r.cells[k] for k in r.columns)]
    narrowed = narrow(spec, {k: v for k, v in cands.items() if v}, known)
    for r in rows:
        if r.candidates is None:
            continue
        options = narrowed.get(r.key, r.candidates)
        glued = shown_run(r.toks)
        loc = r.toks[0].loc
        for i, c in enumerate(r.columns):
            vs = {o[i] for o in options}
            if len(vs) == 1:
                v = vs.pop()
                r.cells[c] = Cell(v, str(v), loc, note=f"由连写数字“{glued}”按勾稽关系拆分")
            else:
                r.cells[c] = Cell(None, glued_text(r.toks), loc, note="连写数字有多种拆分：" + " / ".join(
                    ",".join(map(str, o)) for o in options[:6]), uncertain=True)
        if len(options) > 1:
            label = spec.row(r.key).label
            shown = "；".join(",".join(map(str, o)) for o in options[:4])
            reader.ctx.note("glued.ambiguous",
                            f"表{spec.number}“{label}”：连写数字“{glued}”有 {len(options)} 种符合勾稽关系的拆分"
                            f"（{shown}{'…' if len(options) > 4 else ''}），无法确定的单元格按空白处理", loc)
        else:
            reader.ctx.log(f"    “{glued}” 唯一拆分为 {options[0]}")


def row_patterns(row_label: str, aliases: tuple[str, ...]) -> list[str]:
    return [key(row_label)] + [key(a) for a in aliases]


def read_rows_table(ctx: Ctx, spec: TableSpec, toks: list[Tok]) -> tuple[Table, TableReader]:
    """Tables 二 and 三: each row is an official label followed by its values."""
    reader = TableReader(ctx, spec, toks)
    table = Table(spec)
    pos = 0
    first = True
    rows_read: list[_RowRead] = []
    collapsed = {k: c for c in spec.collapsed for k in c.replaces}
    skip: set[str] = set()
    taken: list[tuple[int, int]] = []  # S spans of the labels matched
    for row in spec.rows:
        if row.key in skip:
            continue
        columns = [c.key for c in spec.row_columns(row)]
        if row.key in collapsed and row.key == collapsed[row.key].replaces[0]:
            col = collapsed[row.key]
            hit = reader.find([key(col.label)], pos, 160)
            if hit is not None:
                a, b, _ = hit
                t1 = reader.tok_at(b - 1)
                ends_token = b == reader.s_starts[reader.text_idx.index(t1)] + len(toks[t1].key)
                nxt = next((t for t in toks[t1 + 1:] if t.kind != EMPTY), None)
                if ends_token and nxt is not None and nxt.kind == VAL:
                    vals, last = reader.values_after(a, b, len(columns))
                    ctx.log(f"  {col.key}：“{col.label}”（未分项的单行） → {' '.join(t.text for t in vals)}")
                    rows_read.append(reader.read_row(col.key, col.label, columns, vals))
                    reader.mark(reader.tok_at(a), last, a)
                    pos = b
                    taken.append((a, b))
                    skip.update(col.replaces)
                    continue
        hit = reader.find(row_patterns(row.label, row.aliases), pos, None if first else 160)
        if hit is None:
            ctx.log(f"  {row.key}：“{row.label}” 未找到")
            continue
        a, b, pat = hit
        first = False
        if reader.label_follows(b, later_labels(spec, row.key)):
            # a row printed with no values: its label runs straight into the next label, and the
            # numbers after that one are not this row's (a value belongs to the nearest label before it)
            ctx.log(f"  {row.key}：“{row.label}” 匹配 “{pat}”，其后紧接下一标签，该行空白")
            t1 = reader.tok_at(b - 1)
            rows_read.append(_RowRead(row.key, columns, [], {c: Cell(None, "", toks[t1].loc) for c in columns}))
            reader.mark(reader.tok_at(a), t1, a)
            taken.append((a, b))
            pos = b
            continue
        above = reader.extra
        vals, last = reader.values_after(a, b, len(columns), [spec.column(c).label for c in columns])
        if not vals:
            reader.extra = above
            vals = reader.values_above(a, len(columns))
            if vals:
                ctx.log(f"  {row.key}：“{row.label}” 匹配 “{pat}”，数字印在标签之前 → {' '.join(t.text for t in vals)}")
                rows_read.append(reader.read_above(row.key, row.label, columns, vals))
                reader.mark(reader.tok_at(a), last, a)
                taken.append((a, b))
                pos = b
                continue
        ctx.log(f"  {row.key}：“{row.label}” 匹配 “{pat}” → {' '.join(t.text or '□' for t in vals)}")
        rows_read.append(reader.read_row(row.key, row.label, columns, vals))
        reader.mark(reader.tok_at(a), last, a)
        taken.append((a, b))
        pos = b
    if rows_read:
        _rows_out_of_order(reader, spec, rows_read, taken, skip)
    _resolve_glued(reader, rows_read)
    # a table is there when several of its rows carry their values; a few labels matched in running
    # text (a pre-2019 report that mentions 部分公开 2件) are not a table
    complete = sum(1 for r in rows_read if r.candidates is not None or len(r.toks) >= len(r.columns))
    if complete < min(_MIN_ROWS.get(spec.key, 2), len(spec.rows)):
        ctx.log(f"  表{spec.number}：只有 {complete} 行读到完整数值，不视为表格")
        table.present = False
        return table, reader
    for r in rows_read:
        for c in r.columns:
            table.cells[(r.key, c)] = r.cells[c]
    table.present = bool(rows_read)
    return table, reader


def _rows_out_of_order(reader: TableReader, spec: TableSpec, rows_read: list[_RowRead],
                       taken: list[tuple[int, int]], skip: set[str]) -> None:
    """Rows not found in the declared order but printed elsewhere in the table under their full
    official label (rows swapped or moved): read them, and say so (RULES.md 10)."""
    found = {r.key for r in rows_read} | skip
    for row in spec.rows:
        pat = key(row.label)
        if row.key in found or len(pat) < 6:
            continue
        i = reader.S.find(pat)
        while i >= 0 and any(a < i + len(pat) and i < b for a, b in taken):
            i = reader.S.find(pat, i + 1)
        if i < 0:
            continue
        columns = [c.key for c in spec.row_columns(row)]
        vals, last = reader.values_after(i, i + len(pat), len(columns), [spec.column(c).label for c in columns])
        if len(vals) != len(columns):
            continue
        before = [a for a, _ in taken if a < i]
        prev = next((r.key for r, (a, _) in zip(rows_read, taken, strict=False) if before and a == max(before)), None)
        where = f"印在“{spec.row(prev).label}”之后" if prev else "印在表格开头"
        reader.ctx.note("table.row_order", f"表{spec.number}“{row.label}”不在格式规定的位置（{where}），已按其标签读取",
                        vals[0].loc)
        rows_read.append(reader.read_row(row.key, row.label, columns, vals))
        reader.mark(reader.tok_at(i), last, i)
        taken.append((i, i + len(pat)))


#: rows with all their values needed before a table counts as found
_MIN_ROWS = {"proactive": 2, "requests": 3}
