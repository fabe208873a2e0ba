"""Table 四 (政府信息公开行政复议、行政诉讼情况): a header, then one row of 15 values (3 groups × 5
columns) — or, in some reports, a header row of five columns and a row per group."""

from __future__ import annotations

import re

from ..formats import TableSpec
from ..formats.identities import row_predicate
from ..model import Cell, Table
from .glued import split_candidates
from .headings import Ctx
from .tables import TableReader, cell_of, digit_run, glued_text, row_patterns, shown_run
from .tokens import EMPTY, TEXT, Tok

_APPEALS_HEADER = set("结果维持纠正其他尚未审结总计行政复议诉讼未经直接起后")


def _appeals_by_rows(ctx: Ctx, reader: TableReader, spec: TableSpec, anchor: int) -> Table | None:
    """Table 四 printed with a single header (结果维持 … 总计) and a row per group (行政复议,
    未经复议直接起诉, 复议后起诉), each label followed by its five values."""
    table = Table(spec)
    cols = [c.key for c in spec.columns]
    pos, last = anchor, None
    for row in spec.rows:
        found = None
        for pat in row_patterns(row.label, row.aliases):
            i = reader.S.find(pat, pos)
            while i >= 0 and found is None:
                vals, lt = reader.values_after(i, i + len(pat), len(cols))
                if len(vals) == len(cols):
                    found = (i + len(pat), vals, lt)
                i = reader.S.find(pat, i + 1)
            if found:
                break
        if found is None:
            return None
        pos, vals, last = found
        ctx.log(f"  表四 {row.key}：“{row.label}”一行 → {' '.join(t.text or '□' for t in vals)}")
        for c, t in zip(cols, vals, strict=True):
            table.cells[(row.key, c)] = cell_of(t, ctx, f"表四“{row.label}”")
    assert last is not None
    reader.mark(reader.tok_at(anchor), last, anchor)
    return table


def read_appeals(ctx: Ctx, spec: TableSpec, toks: list[Tok]) -> tuple[Table, TableReader]:
    """Table 四: a header, then one row of 15 values (3 groups × 5 columns)."""
    reader = TableReader(ctx, spec, toks)
    table = Table(spec)
    cols = [c.key for c in spec.columns]
    groups = [r.key for r in spec.rows]
    n = len(cols) * len(groups)
    hits = [m.start() for m in re.finditer("总计", reader.S)]
    if not hits:
        hits = [m.start() for m in re.finditer("计", reader.S)]
    if not hits:
        ctx.log("  表四：未找到表头")
        table.present = False
        return table, reader
    anchor = hits[min(2, len(hits) - 1)]
    anchor_end = anchor + 2 if reader.S[anchor:anchor + 2] == "总计" else anchor + 1
    # a header printed one character per line in columns (pdftotext of a stacked header) goes on
    # after the third 计: skip the text made only of header characters
    ti = reader.tok_at(anchor_end - 1)
    j = ti + 1
    while j < len(toks) and (toks[j].kind == EMPTY or (toks[j].kind == TEXT and toks[j].key
                                                         and set(toks[j].key) <= _APPEALS_HEADER)):
        if toks[j].kind == TEXT:
            ti = j
        j += 1
    if ti != reader.tok_at(anchor_end - 1):
        k = reader.text_idx.index(ti)
        anchor_end = reader.s_starts[k] + len(toks[ti].key)
    vals, last = reader.values_after(anchor, anchor_end, n)
    ctx.log(f"  表四：表头止于第{len(hits)}个“总计”之后 → {' '.join(t.text or '□' for t in vals)}")
    if len(hits) == 1 and len(vals) < n:
        # one header row of five columns, then one row per group
        by_rows = _appeals_by_rows(ctx, reader, spec, anchor)
        if by_rows is not None:
            return by_rows, reader
    if not vals:
        table.present = False
        return table, reader

    check = row_predicate(spec, cols)  # the 15 values: 3 rows of 5, each row's total checked
    if len(vals) == n:
        for i, t in enumerate(vals):
            table.cells[(groups[i // len(cols)], cols[i % len(cols)])] = cell_of(t, ctx, "表四")
    else:
        runs = [digit_run(t) for t in vals]
        cands, complete = split_candidates([r for r in runs if r], n, check, prefix=check, budget=ctx.glued_budget) \
            if len(vals) < n and all(runs) else ([], True)
        glued = shown_run(vals)
        if not complete:
            ctx.note("glued.ambiguous", f"表四：连写数字“{glued}”的拆分方式过多，无法确定，按空白处理", vals[0].loc)
            for i in range(n):
                table.cells[(groups[i // len(cols)], cols[i % len(cols)])] = Cell(
                    None, glued_text(vals), vals[0].loc, note=f"连写数字“{glued}”无法拆分", uncertain=True)
        elif cands:
            for i in range(n):
                vs = {c[i] for c in cands}
                g, c = groups[i // len(cols)], cols[i % len(cols)]
                if len(vs) == 1:
                    v = vs.pop()
                    table.cells[(g, c)] = Cell(v, str(v), vals[0].loc, note=f"由连写数字“{glued}”按勾稽关系拆分")
                else:
                    table.cells[(g, c)] = Cell(None, glued_text(vals), vals[0].loc, note="连写数字有多种拆分：" + " / ".join(
                        sorted({str(x[i]) for x in cands})), uncertain=True)
            if len(cands) > 1:
                shown = "；".join(",".join(map(str, c)) for c in cands[:3])
                ctx.note("glued.ambiguous", f"表四：连写数字“{glued}”有 {len(cands)} 种符合勾稽关系的拆分"
                         f"（{shown}{'…' if len(cands) > 3 else ''}），无法确定的单元格按空白处理", vals[0].loc)
        else:
            ctx.note("row.short", f"表四：只读到 {len(vals)} 个数值，应为 {n} 个，缺少的单元格按空白处理", vals[0].loc)
            for i in range(n):
                g, c = groups[i // len(cols)], cols[i % len(cols)]
                table.cells[(g, c)] = cell_of(vals[i], ctx, "表四") if i < len(vals) else Cell(None, None, None)
    reader.mark(reader.tok_at(anchor), last, anchor)
    table.present = True
    return table, reader
