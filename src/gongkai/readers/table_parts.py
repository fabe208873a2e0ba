"""The cells of a table as tokens give them, and where a table begins in the text.

* ``cell_of``: a value token → ``Cell`` (an unreadable value is blank, with a notice);
* ``digit_run`` / ``glued_text`` / ``shown_run``: a glued run of digits as the splitter, the cell
  text and the messages want it;
* ``table_start``: the table's first label, or the title row, corner note, caption or header printed
  just before it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..formats import TableSpec
from ..model import Cell
from ..textnorm import DROP, fold
from ..values import ValueSyntaxError, parse_value
from .headings import Ctx, Pos
from .tokens import EMPTY, TEXT, VAL, Tok

if TYPE_CHECKING:
    from .tables import TableReader

__all__ = ["cell_of", "digit_run", "glued_text", "shown_run", "table_start"]

# -- values ------------------------------------------------------------------------------------

def cell_of(tok: Tok, ctx: Ctx, where: str) -> Cell:
    if tok.kind == EMPTY:
        return Cell(None, "", tok.loc)
    try:
        value, unit = parse_value(tok.text)
    except ValueSyntaxError:
        shown = tok.text if len(tok.text) <= 30 else tok.text[:30] + f"…（共 {len(tok.text)} 个字符）"
        ctx.note("value.syntax", f"{where}：无法识别的数值“{shown}”，按空白处理", tok.loc)
        return Cell(None, tok.text, tok.loc)
    return Cell(value, tok.text, tok.loc, unit=unit)


_RUN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def digit_run(tok: Tok) -> str | None:
    """The number run of a value token (digits, a leading minus, a decimal point), if it is one."""
    if tok.kind != VAL:
        return None
    t = "".join(tok.text.split()).translate(str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+"))
    return t if _RUN.fullmatch(t) else None


def glued_text(vals: list[Tok]) -> str:
    """The text of a cell left open in a glued run: the whole run as printed (its pieces apart by
    one space), from which the evidence step (``readers.evidence``) can split it again."""
    return " ".join(digit_run(t) or t.text for t in vals)


def shown_run(vals: list[Tok], most: int = 40) -> str:
    """A glued run as quoted in messages: whole, or its start and its length when very long."""
    text = "".join(t.text for t in vals)
    return text if len(text) <= most else f"{text[:most]}…（共{len(text)}个字符）"


# -- where a table begins ---------------------------------------------------------------------

def _text_offset(folded: str, key_off: int) -> int:
    """The index in ``folded`` (the length-preserving folded text of a token) of the character
    at offset ``key_off`` of its match key."""
    kept = 0
    last_end = 0
    for m in DROP.finditer(folded):
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


def table_start(ctx: Ctx, toks: list[Tok], reader: TableReader, spec: TableSpec) -> Pos:
    """Where the table begins: its first label, or its title row, corner note, caption or header
    printed just before it (scanning back until a sentence of narrative ends)."""
    assert reader.first_s is not None
    fi = reader.tok_at(reader.first_s)
    first = toks[fi]
    folded = _fold_aligned(first.text)
    limit = _text_offset(folded, reader.first_s - reader.s_starts[reader.text_idx.index(fi)])
    best: Pos = (first.unit, first.start + limit)
    anchors = [fold(a) for a in (spec.title, (spec.corner or "")[:6], "第二十条", "信息内容", "申请人情况", "行政复议", "结果维持") if a]
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
