"""Blocks → units and tokens: the layout-free view the assemble step works on.

A *unit* is one line/paragraph or one table row, with its text and cells.  Inside table regions a
unit is cut into *tokens*: TEXT (label text), VAL (a printed cell value, possibly several values
glued together) and EMPTY (an empty cell).  Text and digits glued together (``规章000行政规范性文件606``)
are cut apart; the enumerator of a label (``2.其他法律…``) stays with its label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import Loc
from ..textnorm import key
from ..values import ValueSyntaxError, parse_value
from .blocks import Block, TextCell

TEXT, VAL, EMPTY = 0, 1, 2
_KIND_NAMES = {TEXT: "文字", VAL: "数值", EMPTY: "空"}


@dataclass(slots=True)
class Unit:
    text: str
    loc: Loc
    #: the unit's cells (table rows, tab- or pipe-separated lines); None for running text
    cells: list[TextCell] | None
    #: char offset of each cell's text in ``text`` (when cells is not None)
    offsets: list[int] | None = None
    in_table: bool = False


@dataclass(slots=True)
class Tok:
    kind: int
    text: str
    unit: int
    start: int
    end: int
    loc: Loc
    #: match key (TEXT only)
    key: str = ""

    def describe(self) -> str:
        return f"{_KIND_NAMES[self.kind]}“{self.text}”@{self.loc.describe()}"


def units_of(blocks: list[Block]) -> list[Unit]:
    out: list[Unit] = []
    for b in blocks:
        if b.kind == "para":
            if b.cells is not None:
                text, offs = _join(b.cells)
                out.append(Unit(text, b.loc, b.cells, offs))
            else:
                out.append(Unit(b.text, b.loc, None))
        else:
            for i, row in enumerate(b.rows):
                filled = [c for c in row if c.text.strip()]
                if not filled and not (i == len(b.rows) - 1 and i > 0 and len(row) >= 5):
                    continue  # a spacer row; but the last row of a grid may be its row of values left blank
                if len(filled) == 1 and not _is_value_text(filled[0].text.strip()) and _text_row(row, filled[0]):
                    # a row holding one piece of text (a heading or paragraph laid out in a sheet or
                    # a frame table) is read as a paragraph
                    out.append(Unit(filled[0].text, filled[0].loc, None))
                    continue
                text, offs = _join(row)
                out.append(Unit(text, row[0].loc, row, offs, in_table=True))
    return out


#: a section heading or a title laid out in a table row
_HEADING_ROW = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．].{0,40}(?:情况|事项)\s*$|.{0,60}(?:年度报告|报告格式模板))")


def _text_row(row: list[TextCell], only: TextCell) -> bool:
    """A row whose one filled cell is text of its own: the row has that cell only (or it spans the
    row), or it reads as a heading or a title.  A row label followed by blank cells is not: it is a
    table row printed without values (the national template, a report left blank)."""
    return len(row) == 1 or only.colspan >= sum(c.colspan for c in row) or bool(_HEADING_ROW.match(only.text))


def _join(cells: list[TextCell]) -> tuple[str, list[int]]:
    offs = []
    pos = 0
    parts = []
    for c in cells:
        offs.append(pos)
        parts.append(c.text)
        pos += len(c.text) + 1
    return "\t".join(parts), offs


# a run of digits (with decimals and thousands separators); full-width digits are folded first
_NUM = re.compile(r"[-+]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_SPACE = re.compile(r"[\s\u3000\xa0]+")


_PLAIN = re.compile(r"[0-9]{1,12}")


def _is_value_text(text: str) -> bool:
    if _PLAIN.fullmatch(text):
        return True
    try:
        parse_value(text)
    except ValueSyntaxError:
        return False
    return True


def tokenize_piece(piece: str, unit: int, start: int, loc: Loc, out: list[Tok]) -> None:
    """Cut a piece of text (no white space inside) into TEXT and VAL tokens."""
    folded = unicodedata.normalize("NFKC", piece)
    if len(folded) != len(piece):  # NFKC changed the length: keep the piece whole
        folded = piece
    if _is_value_text(folded):
        out.append(Tok(VAL, piece, unit, start, start + len(piece), loc))
        return
    pos = 0
    for m in _NUM.finditer(folded):
        a, b = m.span()
        # a label's enumerator: "2.其他…" / "3、…" — the last digit, followed by . or 、 and a non-digit
        if b < len(folded) and folded[b] in ".、" and (b + 1 >= len(folded) or not folded[b + 1].isdigit()):
            b -= 1
        if a >= b:
            continue
        if a > pos:
            _text(piece[pos:a], unit, start + pos, loc, out)
        out.append(Tok(VAL, piece[a:b], unit, start + a, start + b, loc))
        pos = b
    if pos < len(piece):
        _text(piece[pos:], unit, start + pos, loc, out)


def _text(text: str, unit: int, start: int, loc: Loc, out: list[Tok]) -> None:
    k = key(text)
    if out and out[-1].kind == TEXT and out[-1].unit == unit and out[-1].end == start:
        prev = out[-1]
        prev.text += text
        prev.end = start + len(text)
        prev.key += k
        return
    out.append(Tok(TEXT, text, unit, start, start + len(text), loc, k))


def tokenize_span(text: str, unit: int, base: int, loc: Loc, out: list[Tok], cell: bool) -> None:
    """Tokens of one cell (``cell=True``: an empty cell is an EMPTY token) or of running text."""
    if cell and not text.strip(" \u3000\xa0\t\n"):
        out.append(Tok(EMPTY, "", unit, base, base, loc))
        return
    if cell:
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        if _is_value_text(stripped):
            out.append(Tok(VAL, stripped, unit, base + lead, base + lead + len(stripped), loc))
            return
    pos = 0
    for m in _SPACE.finditer(text):
        if m.start() > pos:
            tokenize_piece(text[pos:m.start()], unit, base + pos, loc, out)
        pos = m.end()
    if pos < len(text):
        tokenize_piece(text[pos:], unit, base + pos, loc, out)


def tokenize(units: list[Unit], start: tuple[int, int], end: tuple[int, int]) -> list[Tok]:
    """Tokens of the units between (unit, char) positions ``start`` and ``end``."""
    out: list[Tok] = []
    (u0, c0), (u1, c1) = start, end
    for ui in range(u0, min(u1 + 1, len(units))):
        u = units[ui]
        lo = c0 if ui == u0 else 0
        hi = c1 if ui == u1 else len(u.text)
        if lo >= hi and not (u.cells and lo == hi == 0 and ui != u1):
            continue
        if u.cells is None or u.offsets is None:
            tokenize_span(u.text[lo:hi], ui, lo, u.loc, out, cell=False)
            continue
        for cell, off in zip(u.cells, u.offsets, strict=True):
            a, b = off, off + len(cell.text)
            if b < lo or a > hi or (a == b and (a < lo or (a == hi and ui == u1))):
                continue
            a2, b2 = max(a, lo), min(b, hi)
            tokenize_span(u.text[a2:b2], ui, a2, cell.loc, out, cell=True)
    return out
