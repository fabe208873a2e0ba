"""The ground floor of the PDF reader: printed chars → lines → text, and what a piece of text is.

A char is a dict in pdfplumber's shape (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``; points
from the top-left corner of the page), whichever engine produced it (PDFium, pdfminer, OCR).  Every
other PDF module builds on these functions; this one imports none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

#: a printed char: ``text``, ``x0``, ``x1``, ``top``, ``bottom`` and ``size`` (points)
Char = dict[str, Any]

_NUMERIC = re.compile(r"^[+\-－—–]?[\d０-９][\d０-９,，.．]*(万元|亿元|元|件|个|条|项)?$|^[/／—\-－–]+$|^无$")
_ENUM_START = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.．、])")


def numeric(text: str) -> bool:
    """A table value as printed: a number (with a unit), a dash or slash for "not applicable", 无."""
    return bool(_NUMERIC.match(text.replace(" ", "")))


def enumerated(text: str) -> bool:
    """Text that starts with an ordinal: （一）, 一、, 1. …"""
    return bool(_ENUM_START.match(text))


def norm(text: str) -> str:
    """Text without any whitespace (to compare headers printed with different spacing)."""
    return "".join(text.split())


def cluster(values: Iterable[float], tol: float) -> list[float]:
    """Sorted values grouped where neighbours are at most ``tol`` apart; the mean of each group."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return o >= 0x2E80 and not (0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF5A)


def text_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars grouped into printed lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    spans: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        cy = (ch["top"] + ch["bottom"]) / 2
        h = max(ch["bottom"] - ch["top"], 1.0)
        if lines and spans[-1][0] - h * 0.45 <= cy <= spans[-1][1] + h * 0.45:
            lines[-1].append(ch)
            top, bottom = spans[-1]
            spans[-1] = (min(top, cy), max(bottom, cy))
        else:
            lines.append([ch])
            spans.append((cy, cy))
    for ln in lines:
        ln.sort(key=lambda c: c["x0"])
    return lines


def join_chars(line: Sequence[Char]) -> str:
    """One printed line as text: no spaces around CJK (justified text spreads characters),
    a space between Latin letters or digits separated by a visible gap."""
    out: list[str] = []
    prev: Char | None = None
    for ch in line:
        t = ch["text"]
        if not t.strip():
            continue
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = max(ch.get("size") or 0.0, 1.0)
            a, b = prev["text"][-1], t[0]
            if gap > size * 0.2 and not is_cjk(a) and not is_cjk(b):
                out.append(" ")
        out.append(t)
        prev = ch
    return "".join(out)


def cell_text(chars: Sequence[Char]) -> str:
    """The text of a table cell: its lines joined without separators (wrapped labels, vertical
    headers printed one character per line, numbers wrapped in a narrow cell)."""
    return join_lines([join_chars(ln) for ln in text_lines(chars)])


def join_lines(parts: Sequence[str]) -> str:
    """Wrapped lines as one text: no separator (CJK, numbers), a space between Latin words."""
    out = ""
    for p in parts:
        if out and p and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out
