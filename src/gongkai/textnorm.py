"""Normalising Chinese report text for matching official labels.

Matching compares *keys*: NFKC (full-width → ASCII), traditional → simplified characters
(reports are mirrored in 繁體), white space and punctuation removed.  The printed text itself is
never changed; only the comparison is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

# Punctuation and symbols dropped from match keys (after NFKC).  Digits, letters and CJK stay.
DROP = re.compile(r"[\s\u3000\xa0\u200b\ufeff.,;:!?()\[\]{}<>\"'`~|/\\\-_—–…·、，。；：！？（）【】《》〈〉“”‘’「」『』〔〕＂＇]+")


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character at a time, from OpenCC's dictionary."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and len(parts[0]) == 1:
                    simp = parts[1].split(" ")[0]
                    if len(simp) == 1 and simp != parts[0]:
                        table[ord(parts[0])] = simp
    except OSError:  # pragma: no cover
        return {}
    return table


#: characters that are also simplified but whose traditional use stands for another simplified
#: character in the official labels (反覆 → 反复); applied to match keys only
_KEY_VARIANTS = str.maketrans({"覆": "复"})


@cache
def _traditional() -> frozenset[str]:
    return frozenset(chr(c) for c in _t2s_table())


def t2s(text: str) -> str:
    """Traditional characters → simplified (character by character).  Most text has no traditional
    character: a set test is about twice as fast as ``str.translate`` with the large table."""
    if _traditional().isdisjoint(text):
        return text
    return text.translate(_t2s_table())


def has_traditional(text: str) -> bool:
    return not _traditional().isdisjoint(text)


def fold(text: str) -> str:
    """NFKC and simplified characters, keeping punctuation and spaces."""
    return t2s(unicodedata.normalize("NFKC", text))


def key(text: str) -> str:
    """The match key of a label or a piece of text."""
    k = DROP.sub("", fold(text))
    return k.translate(_KEY_VARIANTS) if "覆" in k else k


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_date_part(text: str) -> int | None:
    """A number written in Chinese characters as in dates (二〇二二, 十二, 二十一)."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text) if text.isascii() and len(text) <= 9 else None
    if "十" in text:
        left, _, right = text.partition("十")
        tens = _CN_DIGITS.get(left) if left else 1
        ones = _CN_DIGITS.get(right) if right else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    digits = [_CN_DIGITS.get(ch) for ch in text]
    if any(d is None for d in digits):
        return None
    n = 0
    for d in digits:
        n = n * 10 + (d or 0)
    return n
