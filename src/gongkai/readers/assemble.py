"""Document (blocks) → Report: the steps every reader shares.

1. blocks → units (lines, paragraphs, table rows) — ``tokens.units_of``
2. units → sections: the six headings, found in order (with or without their ordinal)
3. table sections → tokens → rows: each official row label is matched in order and the values
   printed after it are read; digit runs whose separators were lost are split by the identities
4. metadata: title, agency, year, statistics period, publication date, portal, contact
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from ..errors import NotAReportError
from ..formats import FORMATS, FormatSpec, SectionSpec, TableSpec, get_format
from ..model import Cell, Loc, Notice, Report, Table
from ..textnorm import _DROP, cn_date_part, fold, key
from ..values import ValueSyntaxError, parse_value
from .blocks import Document
from .glued import Number, narrow, row_check, split_candidates
from .tokens import EMPTY, TEXT, VAL, Tok, Unit, tokenize, units_of

Pos = tuple[int, int]  # (unit index, char offset)


@dataclass(slots=True)
class Heading:
    key: str
    start: Pos
    end: Pos
    text: str
    loc: Loc


class _Ctx:
    def __init__(self, doc: Document, trace: list[str] | None) -> None:
        self.doc = doc
        self.units: list[Unit] = units_of(doc.blocks)
        self.trace = trace
        self.notices: list[Notice] = []
        self._folded: dict[int, str] = {}

    def note(self, code: str, message: str, loc: Loc | None = None) -> None:
        self.notices.append(Notice(code, message, loc))
        self.log(f"提示[{code}] {message}")

    def log(self, line: str) -> None:
        if self.trace is not None:
            self.trace.append(line)

    def folded(self, i: int) -> str:
        f = self._folded.get(i)
        if f is None:
            text = self.units[i].text
            f = fold(text)
            if len(f) != len(text):  # keep offsets aligned with the printed text
                f = "".join((fold(ch) or " ")[0] for ch in text)
            self._folded[i] = f
        return f


# -- headings ----------------------------------------------------------------------------------

_STOP = "。；;\n\t"


def _heading_patterns(spec: SectionSpec) -> tuple[re.Pattern[str], re.Pattern[str]]:
    kws = "|".join(re.escape(fold(k)) for k in spec.keywords)
    closed = [re.escape(fold(k)) for k in spec.keywords if k.endswith(("情况", "事项"))]
    open_ = [re.escape(fold(k)) for k in spec.keywords if not k.endswith(("情况", "事项"))]
    gap = rf"[^{_STOP}\s0-9、]{{0,24}}?"
    # a keyword in the middle of a heading (行政复议 in 四、…行政复议、提起行政诉讼情况) runs on to
    # the heading's closing 情况/事项; one that ends the heading itself does not
    tail = rf"(?:[^{_STOP}\s0-9]{{0,16}}?(?:情况|事项)(?![^{_STOP}\s0-9]{{0,6}}(?:情况|事项)))?"
    alts = []
    if closed:
        alts.append(f"(?:{'|'.join(closed)})")
    if open_:
        alts.append(f"(?:{'|'.join(open_)}){tail}")
    with_ordinal = re.compile(
        rf"(?<![（(])(?:(?<![\u4e00-\u9fff])|(?<=[元件条项个次]))"
        rf"{spec.number}\s*[、.,，．]?\s*{gap}(?:{'|'.join(alts)})")
    bare = re.compile(rf"(?:{kws})")
    return with_ordinal, bare


_PATTERNS = {s.key: _heading_patterns(s) for s in FORMATS["2021"].sections}


def find_headings(ctx: _Ctx, fmt: FormatSpec) -> list[Heading]:
    out: list[Heading] = []
    pos: Pos = (0, 0)
    units = ctx.units
    for spec in fmt.sections:
        with_ord, bare = _PATTERNS.get(spec.key) or _heading_patterns(spec)
        found: Heading | None = None
        for ui in range(pos[0], len(units)):
            u = units[ui]
            if u.in_table:
                continue
            text = ctx.folded(ui)
            m = with_ord.search(text, pos[1] if ui == pos[0] else 0)
            if m:
                end = m.end()
                rest = text[end:].strip()
                if len(text.strip()) <= 48 and "。" not in text[: m.start()] and (not rest or len(rest) <= 4):
                    end = len(text)
                found = Heading(spec.key, (ui, m.start()), (ui, end), u.text[m.start():end].strip(), u.loc)
                break
        if found is None and spec.key != "overview":
            # a heading whose ordinal was lost (Word auto-numbering): a short line of its own
            for ui in range(pos[0] + (1 if pos[1] else 0), len(units)):
                u = units[ui]
                t = u.text.strip()
                if u.in_table or not t or len(t) > 32 or "。" in t or (u.cells and len([c for c in u.cells if c.text]) > 1):
                    continue
                if bare.search(ctx.folded(ui)):
                    # not one of table 三/四's own title rows when a heading with ordinal comes later
                    found = Heading(spec.key, (ui, 0), (ui, len(u.text)), t, u.loc)
                    break
        if found is not None:
            # a later section's heading must not come before this one: stop at the first such
            out.append(found)
            pos = found.end
            ctx.log(f"章节 {spec.number}（{spec.key}）：“{found.text}” @ {found.loc.describe()}")
        else:
            ctx.log(f"章节 {spec.number}（{spec.key}）：未找到")
    return out


# -- values ------------------------------------------------------------------------------------

def _cell(tok: Tok, ctx: _Ctx, where: str) -> Cell:
    if tok.kind == EMPTY:
        return Cell(None, "", tok.loc)
    try:
        value, unit = parse_value(tok.text)
    except ValueSyntaxError:
        ctx.note("value.syntax", f"{where}：无法识别的数值“{tok.text}”，按空白处理", tok.loc)
        return Cell(None, tok.text, tok.loc)
    return Cell(value, tok.text, tok.loc, unit=unit)


_RUN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def _digits(tok: Tok) -> str | None:
    """The number run of a value token (digits, a leading minus, a decimal point), if it is one."""
    if tok.kind != VAL:
        return None
    t = "".join(tok.text.split()).translate(str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+"))
    return t if _RUN.fullmatch(t) else None


@dataclass(slots=True)
class _RowRead:
    key: str
    columns: list[str]
    toks: list[Tok]
    cells: dict[str, Cell]
    candidates: list[list[Number]] | None = None


class _TableReader:
    """Reads one table out of the tokens of its section."""

    def __init__(self, ctx: _Ctx, spec: TableSpec, toks: list[Tok]) -> None:
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

    def values_after(self, a: int, b: int, n: int, labels: list[str] | None = None) -> tuple[list[Tok], int]:
        """Value tokens of a row whose label spans S[a:b]: those inside the label's span first
        (a label wrapped around its numbers), then those after it, up to the next text."""
        t0, t1 = self.tok_at(a), self.tok_at(b - 1)
        vals = [t for t in self.toks[t0:t1] if t.kind != TEXT]
        j = t1 + 1
        # a grid row with more cells after the label than the row has values: the extra leading
        # cells are the empty remains of a merged label column, not blank values
        row_unit = self.toks[t1].unit
        k = j
        while k < len(self.toks) and self.toks[k].unit == row_unit and self.toks[k].kind != TEXT:
            k += 1
        in_row = k - j
        if in_row > n and labels:
            aligned = self._align_by_header(row_unit, j, k, labels)
            if aligned is not None:
                return aligned, k - 1
        while in_row > n and j < k and self.toks[j].kind == EMPTY:
            j += 1
            in_row -= 1
        while j < len(self.toks) and len(vals) < n:
            t = self.toks[j]
            if t.kind == TEXT:
                break
            vals.append(t)
            j += 1
        # extra numbers right after the row (before the next label) are reported, not used
        k = j
        extra = []
        while k < len(self.toks) and self.toks[k].kind != TEXT:
            if self.toks[k].kind == VAL:
                extra.append(self.toks[k])
            k += 1
        if extra and len(vals) >= n:
            self.ctx.note("row.extra", f"表{self.spec.number}：标签后多出数字“{' '.join(t.text for t in extra)}”，已忽略",
                          extra[0].loc)
        return vals, (j - 1 if vals else t1)

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
            for c, t in zip(columns, vals, strict=True):
                row.cells[c] = _cell(t, self.ctx, where)
            return row
        runs = [_digits(t) for t in vals]
        check = row_check(columns, self.spec.identities)
        if len(vals) < n and vals and all(r is not None for r in runs):
            kinds = [self.spec.column(c).kind for c in columns]
            cands, complete = split_candidates([r for r in runs if r is not None], n, check, kinds, prefix=check)
            if cands and not complete:
                glued = "".join(t.text for t in vals)
                self.ctx.note("glued.ambiguous", f"{where}：连写数字“{glued}”的拆分方式过多，无法确定，按空白处理",
                              vals[0].loc)
                for c in columns:
                    row.cells[c] = Cell(None, None, vals[0].loc, note=f"连写数字“{glued}”无法拆分")
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
            row.cells[c] = _cell(t, self.ctx, where)
        for c in columns[len(got):]:
            row.cells[c] = Cell(None, None, None, note="未读到")
        return row

    @staticmethod
    def _merges(runs: list[str], n: int, check: object) -> list[list[int]]:
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
            if check(ints):  # type: ignore[operator]
                out.append(ints)
        return out


def _resolve_glued(reader: _TableReader, rows: list[_RowRead]) -> None:
    spec = reader.spec
    cands = {r.key: r.candidates for r in rows if r.candidates is not None}
    if not cands:
        return
    known: dict[str, list[Number | None]] = {}
    for r in rows:
        if r.candidates is None:
            known[r.key] = [c.value if isinstance(c.value, int) else None for c in (r.cells[k] for k in r.columns)]
    narrowed = narrow({k: v for k, v in cands.items() if v}, known, spec.identities)
    for r in rows:
        if r.candidates is None:
            continue
        options = narrowed.get(r.key, r.candidates)
        glued = "".join(t.text for t in r.toks)
        loc = r.toks[0].loc
        for i, c in enumerate(r.columns):
            vs = {o[i] for o in options}
            if len(vs) == 1:
                v = vs.pop()
                r.cells[c] = Cell(v, str(v), loc, note=f"由连写数字“{glued}”按勾稽关系拆分")
            else:
                r.cells[c] = Cell(None, None, loc, note="连写数字有多种拆分：" + " / ".join(
                    ",".join(map(str, o)) for o in options[:6]))
        if len(options) > 1:
            label = spec.row(r.key).label
            shown = "；".join(",".join(map(str, o)) for o in options[:4])
            reader.ctx.note("glued.ambiguous",
                            f"表{spec.number}“{label}”：连写数字“{glued}”有 {len(options)} 种符合勾稽关系的拆分"
                            f"（{shown}{'…' if len(options) > 4 else ''}），无法确定的单元格按空白处理", loc)
        else:
            reader.ctx.log(f"    “{glued}” 唯一拆分为 {options[0]}")


def _row_patterns(row_label: str, aliases: tuple[str, ...]) -> list[str]:
    return [key(row_label)] + [key(a) for a in aliases]


def read_rows_table(ctx: _Ctx, spec: TableSpec, toks: list[Tok]) -> tuple[Table, _TableReader]:
    """Tables 二 and 三: each row is an official label followed by its values."""
    reader = _TableReader(ctx, spec, toks)
    table = Table(spec)
    pos = 0
    first = True
    rows_read: list[_RowRead] = []
    collapsed = {k: c for c in spec.collapsed for k in c.replaces}
    skip: set[str] = set()
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
                    skip.update(col.replaces)
                    continue
        hit = reader.find(_row_patterns(row.label, row.aliases), pos, None if first else 160)
        if hit is None:
            ctx.log(f"  {row.key}：“{row.label}” 未找到")
            continue
        a, b, pat = hit
        first = False
        vals, last = reader.values_after(a, b, len(columns), [spec.column(c).label for c in columns])
        ctx.log(f"  {row.key}：“{row.label}” 匹配 “{pat}” → {' '.join(t.text or '□' for t in vals)}")
        rows_read.append(reader.read_row(row.key, row.label, columns, vals))
        reader.mark(reader.tok_at(a), last, a)
        pos = b
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


#: rows with all their values needed before a table counts as found
_MIN_ROWS = {"proactive": 2, "requests": 3}


_APPEALS_HEADER = set("结果维持纠正其他尚未审结总计行政复议诉讼未经直接起后")


def read_appeals(ctx: _Ctx, spec: TableSpec, toks: list[Tok]) -> tuple[Table, _TableReader]:
    """Table 四: a header, then one row of 15 values (3 groups × 5 columns)."""
    reader = _TableReader(ctx, spec, toks)
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
    vals = [t for t in vals if not (t.kind == EMPTY and not vals)]
    ctx.log(f"  表四：表头止于第{len(hits)}个“总计”之后 → {' '.join(t.text or '□' for t in vals)}")
    if not vals:
        table.present = False
        return table, reader

    def check(v: list[Number]) -> bool:
        w = len(cols)
        return all(v[g * w + w - 1] == sum(v[g * w:g * w + w - 1]) for g in range(len(v) // w))

    if len(vals) == n:
        for i, t in enumerate(vals):
            table.cells[(groups[i // len(cols)], cols[i % len(cols)])] = _cell(t, ctx, "表四")
    else:
        runs = [_digits(t) for t in vals]
        cands, complete = split_candidates([r for r in runs if r], n, check, prefix=check) \
            if len(vals) < n and all(runs) else ([], True)
        glued = "".join(t.text for t in vals)
        if cands and not complete:
            ctx.note("glued.ambiguous", f"表四：连写数字“{glued}”的拆分方式过多，无法确定，按空白处理", vals[0].loc)
            for i in range(n):
                table.cells[(groups[i // len(cols)], cols[i % len(cols)])] = Cell(None, None, vals[0].loc)
        elif cands:
            for i in range(n):
                vs = {c[i] for c in cands}
                g, c = groups[i // len(cols)], cols[i % len(cols)]
                if len(vs) == 1:
                    v = vs.pop()
                    table.cells[(g, c)] = Cell(v, str(v), vals[0].loc, note=f"由连写数字“{glued}”按勾稽关系拆分")
                else:
                    table.cells[(g, c)] = Cell(None, None, vals[0].loc, note="连写数字有多种拆分：" + " / ".join(
                        sorted({str(x[i]) for x in cands})))
            if len(cands) > 1:
                shown = "；".join(",".join(map(str, c)) for c in cands[:3])
                ctx.note("glued.ambiguous", f"表四：连写数字“{glued}”有 {len(cands)} 种符合勾稽关系的拆分"
                         f"（{shown}{'…' if len(cands) > 3 else ''}），无法确定的单元格按空白处理", vals[0].loc)
        else:
            ctx.note("row.short", f"表四：只读到 {len(vals)} 个数值，应为 {n} 个，缺少的单元格按空白处理", vals[0].loc)
            for i in range(n):
                g, c = groups[i // len(cols)], cols[i % len(cols)]
                table.cells[(g, c)] = _cell(vals[i], ctx, "表四") if i < len(vals) else Cell(None, None, None)
    reader.mark(reader.tok_at(anchor), last, anchor)
    table.present = True
    return table, reader


# -- metadata ----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(r"([二〇○零一三四五六七八九OＯ0]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
                     r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")
_POSTCODE = re.compile(r"邮编\s*[:：]?\s*(\d{6})")
_PHONE = re.compile(r"(?:联系电话|电话|咨询电话)\s*[:：]?\s*((?:\d{3,4}\s*[-－—]\s*)?\d{7,8}(?:\s*[-－—]\s*\d{1,4})?)")
_ADDRESS = re.compile(r"(?:地址|通讯地址|办公地址)\s*[:：]\s*([^，,；;。）)\n]{3,60})")
#: link texts a portal prints after the report ("附件下载", "【打印本页】"…)
_TRAILER = re.compile(r"(?:\s*(?:附件下载|附件[:：]?|【?打印本页】?|【?关闭窗口】?|【?打印】?|【?关闭】?|分享到[:：]?))+\s*$")
_UNIT_AFTER = re.compile(r"\s*(?:万元|元)")
#: how the names of administrative bodies end (a signature line without a date)
_AGENCY_ENDS = ("政府", "局", "委员会", "委", "办公室", "办", "厅", "部", "署", "院", "中心", "处", "所", "站", "队",
                "管委会", "委员会办公室", "分局", "支队", "大队")
#: a portal page's furniture before the report: breadcrumb, source and date, toolbar
_FURNITURE = re.compile(r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|来源[:：]|信息来源|时间[:：]|发布时间|发布日期|"
                        r"字号|【|打印|关闭|分享|浏览次数|点击数|索引号|主题分类|首页\s*[>＞»])")
_CRUMBS = re.compile(r"\S\s*[>＞»]\s*\S.*[>＞»]")
_TITLE_AT_START = re.compile(r"\s*(\S.{2,80}?年度报告)")
_PREAMBLE_WORDS = ("本报告", "根据", "依据", "按照", "依照")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_date(text: str) -> tuple[date | None, re.Match[str] | None]:
    m = _DATE.search(text)
    if m:
        return _date(*m.groups()), m
    m = _DATE_CN.search(text)
    if m:
        y = "".join(str(cn_date_part(ch) or 0) for ch in m.group(1))
        mo, d = cn_date_part(m.group(2)), cn_date_part(m.group(3))
        if mo and d:
            return _date(y, str(mo), str(d)), m
    return None, None


def _title_in_furniture(text: str, meta_title: str | None) -> tuple[str, int] | None:
    """A report title inside a line of portal furniture (breadcrumb … title 来源： 时间： …), and
    where the report's own text starts after it (its first preamble word, when close)."""
    end = -1
    title = None
    if meta_title and meta_title in text:
        title = meta_title
        end = text.index(meta_title) + len(meta_title)
    else:
        for m in re.finditer(r"([^\s>＞»：:]{4,60}?年度?(?:政府信息公开)?(?:工作)?年度报告)", text):
            title, end = m.group(1), m.end()
            break
    if title is None:
        return None
    near = [i for i in (text.find(w, end, end + 300) for w in _PREAMBLE_WORDS) if i >= 0]
    return title, (min(near) if near else end)


def split_signature(text: str) -> tuple[str, str | None, date | None, str | None]:
    """Narrative without the closing signature, the agency signed, the date, the printed date."""
    lines = [ln for ln in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return text, None, None, None
    last = _TRAILER.sub("", lines[-1].strip())
    d, m = find_date(last)
    if m is None or m.end() < len(last) - 1:
        # an agency signed without a date: a short last line naming a body
        if len(lines) > 1 and 2 <= len(last) <= 30 and not re.search(r"[，。；：,;:！？!?]", last) \
                and last.endswith(_AGENCY_ENDS):
            return "\n".join(lines[:-1]).strip(), last, None, None
        return text, None, None, None
    head = last[: m.start()].strip()
    agency: str | None = None
    if head:
        # the agency sits right before the date, after the last sentence
        tail = re.split(r"[。；！!]\s*|\s{2,}", head)[-1].strip()
        if tail and len(tail) <= 40:
            agency = tail
            head = head[: len(head) - len(tail)].rstrip()
        lines[-1] = head
    else:
        lines.pop()
        if lines and 2 <= len(lines[-1].strip()) <= 40 and "。" not in lines[-1]:
            agency = lines.pop().strip()
    body = "\n".join(ln for ln in lines).strip()
    return body, agency, d, m.group(0)


# -- the whole -----------------------------------------------------------------------------------

def _slice(ctx: _Ctx, a: Pos, b: Pos, skip: tuple[Pos, Pos] | None = None) -> str:
    """Printed text between two positions, paragraphs joined by newlines, minus a skipped span."""
    paras: list[str] = []
    units = ctx.units
    for ui in range(a[0], min(b[0] + 1, len(units))):
        u = units[ui]
        lo = a[1] if ui == a[0] else 0
        hi = b[1] if ui == b[0] else len(u.text)
        pieces = []
        if skip is not None and skip[0][0] <= ui <= skip[1][0]:
            s_lo = skip[0][1] if ui == skip[0][0] else 0
            s_hi = skip[1][1] if ui == skip[1][0] else len(u.text)
            pieces = [u.text[lo:min(hi, s_lo)], u.text[max(lo, s_hi):hi]]
        else:
            pieces = [u.text[lo:hi]]
        for p in pieces:
            p = p.strip().strip("\t").strip()
            if p and not u.in_table:
                paras.append(_tidy(p))
    return "\n".join(paras)


#: the single space a PDF extraction puts between Chinese and digits (2023 年, 第 711 号)
_CJK_DIGIT_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，。、：；（）《》“”]) (?=[0-9])|(?<=[0-9]) (?=[\u4e00-\u9fff，。、：；（）《》“”])")


def _tidy(text: str) -> str:
    return _CJK_DIGIT_SPACE.sub("", text) if " " in text else text


def _detect_format(ctx: _Ctx, region_text: str, year: int | None) -> FormatSpec:
    """The format whose table 二 column labels the report prints (the share of them found), ties
    broken by the report year, then by the format's own markers."""
    k = key(region_text)

    def score(f: FormatSpec) -> tuple[float, int, int]:
        cols = f.table("proactive").columns
        found = sum(1 for c in cols if any(key(x) in k for x in (c.label, *c.aliases)))
        fits = 1 if year is not None and f.applies_to(year) else 0
        return found / len(cols), fits, sum(1 for m in f.markers if key(m) in k)

    scores = {fid: score(f) for fid, f in FORMATS.items()}
    best = max(scores.values())
    if best[0] == 0 and year is not None:
        for f in FORMATS.values():
            if f.applies_to(year):
                return f
    return get_format(next(fid for fid, sc in scores.items() if sc == best))


def assemble(doc: Document, trace: list[str] | None = None) -> Report:
    ctx = _Ctx(doc, trace)
    for code, msg in doc.notices:
        ctx.note(code, msg)
    units = ctx.units
    if not units or not any(u.text.strip() for u in units):
        raise NotAReportError("文件中没有文字内容", where=doc.name)

    headings = find_headings(ctx, get_format("2021"))
    by_key = {h.key: h for h in headings}
    end_of_doc: Pos = (len(units) - 1, len(units[-1].text))
    first_heading = headings[0].start if headings else end_of_doc

    # title and preamble: the lines before the first heading (a portal's breadcrumb, source and
    # toolbar lines are neither)
    title_parts: list[str] = []
    ui = 0
    pre_start: Pos = (0, 0)
    while ui < first_heading[0] and ui < len(units):
        t = units[ui].text.strip()
        if not t:
            ui += 1
            continue
        if _FURNITURE.match(t) or _CRUMBS.search(t):
            found = _title_in_furniture(units[ui].text, doc.meta.get("title"))
            if found is None:
                ui += 1
                continue
            title_parts, cut = [found[0]], found[1]
            pre_start = (ui, cut)
            ui = -1  # title found inside this line
            break
        if len(t) <= 50 and not re.search(r"[。，,《]", t) and not t.startswith(_PREAMBLE_WORDS) \
                and not units[ui].in_table and len(title_parts) < 4:
            title_parts.append(t)
            ui += 1
            continue
        break
    if ui >= 0:
        pre_start = (ui, 0)
        if not title_parts and ui < len(units):
            # a text version with everything on one line: the title runs into the preamble
            head = units[ui].text[: first_heading[1]] if ui == first_heading[0] else units[ui].text
            found = _title_in_furniture(head, doc.meta.get("title")) \
                if _FURNITURE.match(head) or _CRUMBS.search(head[:300]) else None
            mt = _TITLE_AT_START.match(head)
            if found is not None:
                title_parts.append(found[0])
                pre_start = (ui, found[1])
            elif mt and not re.search(r"[《，。,]", mt.group(1)) and not mt.group(1).lstrip().startswith(_PREAMBLE_WORDS):
                title_parts.append(mt.group(1).strip())
                pre_start = (ui, mt.end())
    title = _tidy("".join(title_parts)) or doc.meta.get("title")
    preamble = _slice(ctx, pre_start, first_heading) if pre_start < first_heading else ""

    year = None
    if title:
        m = _YEAR.search(title)
        if m:
            year = int(m.group(1))
    head_text = "\n".join(u.text for u in units[: (first_heading[0] + 1)])[:20000]
    period = None
    pm = _PERIOD.search(preamble or head_text)
    if pm:
        y1, m1, d1, y2, m2, d2 = pm.groups()
        a, b = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
        if a and b:
            period = (a, b)
            if year is None:
                year = a.year

    # the format: by content of table 二's section (markers), else by year
    h2 = by_key.get("proactive")
    nxt = by_key.get("requests") or by_key.get("appeals") or by_key.get("problems")
    # (table cells included: the markers are table 二's column labels)
    region2 = "\n".join(u.text for u in units[h2.end[0]:nxt.start[0] + 1]) if h2 and nxt \
        else "\n".join(u.text for u in units)
    fmt = _detect_format(ctx, region2, year)
    ctx.log(f"格式：{fmt.id}（{fmt.source}）")

    # tables
    order = [h.key for h in headings]
    tables: dict[str, Table] = {}
    spans: dict[str, tuple[Pos, Pos]] = {}
    cursor: Pos = by_key["overview"].end if "overview" in by_key else pre_start
    for spec in fmt.tables:
        sec = next(s for s in fmt.sections if s.table == spec.key)
        h = by_key.get(sec.key)
        start = h.end if h else cursor
        later = [by_key[k].start for k in order[order.index(sec.key) + 1:]] if h else \
            [x.start for x in headings if x.start > start]
        stop = min(later) if later else end_of_doc
        if stop <= start:
            continue
        toks = tokenize(units, start, stop)
        ctx.log(f"表{spec.number}（{spec.key}）：{len(toks)} 个词元")
        if spec.key == "appeals":
            table, reader = read_appeals(ctx, spec, toks)
        else:
            table, reader = read_rows_table(ctx, spec, toks)
        if table.present and reader.first_tok is not None and reader.last_tok is not None:
            tables[spec.key] = table
            t1 = toks[reader.last_tok]
            span_start = _table_start(ctx, toks, reader, spec)
            end = t1.end
            mu_ = _UNIT_AFTER.match(units[t1.unit].text, end)
            if mu_:
                end = mu_.end()
            spans[sec.key] = (span_start, (t1.unit, end))
            cursor = (t1.unit, end)
        else:
            ctx.note("table.missing", f"未找到表{spec.number}“{spec.title}”的数据",
                     h.loc if h else None)

    # sections: narrative text between headings, tables cut out
    sections: dict[str, str] = {}
    heads: dict[str, Cell] = {}
    for i, h in enumerate(headings):
        stop = headings[i + 1].start if i + 1 < len(headings) else end_of_doc
        text = _slice(ctx, h.end, stop, spans.get(h.key))
        sections[h.key] = text
        heads[h.key] = Cell(None, h.text, h.loc)

    # signature at the very end: agency and date
    agency = None
    published = None
    meta_prov: dict[str, Cell] = {}
    if headings and (not spans or max(e for _, e in spans.values()) <= headings[-1].end):
        last = headings[-1].key
        body, agency, published, printed = split_signature(sections[last])
        if agency or printed:
            sections[last] = body
        if printed:
            meta_prov["published"] = Cell(None, printed, units[-1].loc)
    elif spans:
        # no heading after the last table (a workbook of tables): the signature follows the tables
        tail_from = max(end for _, end in spans.values())
        _, agency, published, printed = split_signature(_slice(ctx, tail_from, end_of_doc))
        if printed:
            meta_prov["published"] = Cell(None, printed, units[-1].loc)
    if published is None and doc.meta.get("posted"):
        try:
            published = date.fromisoformat(doc.meta["posted"])
            meta_prov["published"] = Cell(None, doc.meta["posted"], None, note="门户网站发布时间")
        except ValueError:
            pass
    if agency is None and title:
        m = re.match(r"^(.{2,40}?)(?:(?:19|20)\d{2}\s*年)", title)
        if m:
            agency = m.group(1).strip()
    if year is None and published is not None:
        year = published.year - 1
        ctx.note("meta.year", f"报告年度按发布日期推定为 {year} 年")

    # not a report at all?
    if not tables:
        _not_a_report(doc, title, year, headings, head_text)

    portal = None
    contact: dict[str, str] = {}
    src = preamble or head_text
    mu = _URL.search(src)
    if mu:
        portal = mu.group(0).rstrip(".,;，。")
    for name, rx in (("address", _ADDRESS), ("postcode", _POSTCODE), ("phone", _PHONE)):
        mm = rx.search(src)
        if mm:
            contact[name] = re.sub(r"\s+", "", mm.group(1)).strip()

    for spec in fmt.tables:
        if spec.key not in tables:
            tables[spec.key] = Table(spec, present=False)
    for key_ in ("overview", "problems", "other"):
        if key_ not in sections:
            sec = fmt.section(key_)
            ctx.note("section.missing", f"未找到“{sec.heading}”部分")

    report = Report(
        format=fmt, agency=agency, year=year, published=published, period=period, title=title,
        preamble=preamble or None, portal=portal, contact=contact, tables=tables, sections=sections,
        headings=heads, warnings=ctx.notices, source=doc.name, meta_provenance=meta_prov,
    )
    for tbl in tables.values():
        missing = tbl.missing() if tbl.present else []
        if missing:
            order_ = [x.key for x in tbl.spec.rows]
            rows = sorted({r for r, _ in missing}, key=order_.index)
            labels = "、".join(tbl.spec.row(r).label for r in rows[:5])
            ctx.note("table.rows_missing",
                     f"表{tbl.spec.number}缺少 {len(rows)} 行：{labels}{'等' if len(rows) > 5 else ''}")
    return report


def _text_offset(folded: str, key_off: int) -> int:
    """The index in ``folded`` (the length-preserving folded text of a token) of the character
    at offset ``key_off`` of its match key."""
    kept = 0
    last_end = 0
    for m in _DROP.finditer(folded):
        seg = m.start() - last_end
        if kept + seg > key_off:
            return last_end + (key_off - kept)
        kept += seg
        last_end = m.end()
    return min(len(folded), last_end + (key_off - kept))


def _fold_aligned(text: str) -> str:
    f = fold(text)
    return f if len(f) == len(text) else "".join((fold(ch) or " ")[0] for ch in text)


_OPENERS = "（(【[“\"《〔"


def _table_start(ctx: _Ctx, toks: list[Tok], reader: _TableReader, spec: TableSpec) -> Pos:
    """Where the table begins: its first label, or its title row, corner note, caption or header
    printed just before it (scanning back until a sentence of narrative ends)."""
    assert reader.first_s is not None
    fi = reader.tok_at(reader.first_s)
    first = toks[fi]
    folded = _fold_aligned(first.text)
    limit = _text_offset(folded, reader.first_s - reader.s_starts[reader.text_idx.index(fi)])
    best: Pos = (first.unit, first.start + limit)
    anchors = [fold(a) for a in (spec.title, (spec.corner or "")[:6], "第二十条", "信息内容", "申请人情况", "行政复议") if a]
    for ti in range(fi, -1, -1):
        t = toks[ti]
        if t.kind != TEXT:
            continue
        f = folded if ti == fi else _fold_aligned(t.text)
        lim = limit if ti == fi else len(f)
        seg = max(f.rfind("。", 0, lim), f.rfind("；", 0, lim)) + 1
        hits = [i for i in (f.find(a, seg, lim) for a in anchors) if i >= 0]
        if hits:
            j = min(hits)
            while j > seg and f[j - 1] in _OPENERS:
                j -= 1
            best = min(best, (t.unit, t.start + j))
        if seg > 0:
            break
    return best


def _not_a_report(doc: Document, title: str | None, year: int | None, headings: list[Heading], head: str) -> None:
    if year is not None and year < 2019:
        raise NotAReportError(
            f"这是{year}年度的年报：2019年以前的年报为自由格式，没有全国统一的表格，无法按统一格式读取", where=doc.name)
    k = key(head)
    if "政府信息公开" in k and len(headings) >= 2:
        raise NotAReportError(
            "找到了年报的章节，但没有找到任何一张统一格式的表格（表二、表三、表四），可能是2019年以前的自由格式年报或表格为图片",
            where=doc.name)
    raise NotAReportError("未找到政府信息公开工作年度报告的章节和表格，这不是一份全国统一格式的年度报告", where=doc.name)


__all__ = ["assemble", "find_date", "split_signature"]

