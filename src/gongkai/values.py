"""Printed cell text → typed value, and back.

| printed                         | value          |
| ------------------------------- | -------------- |
| ``0``, ``12``, ``１２``, ``1,234`` | int            |
| ``0.35``                        | Decimal        |
| blank                           | None (unknown) |
| ``/``, ``—``, ``-``, ``不适用``     | "NA"           |
| ``无``                           | 0              |
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

NA: Literal["NA"] = "NA"
Value = int | Decimal | None | Literal["NA"]

_NA_TEXTS = frozenset({"/", "／", "—", "-", "－", "——", "--", "–", "不适用", "N/A", "NA", "\\"})
_ZERO_TEXTS = frozenset({"无", "零", "〇"})
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")
_NUM_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT_RE = re.compile(r"^(?P<num>[+-]?[\d,]*\.?\d+)\s*(?P<unit>万元|元|亿元|件|个|条|项)$")


class ValueSyntaxError(ValueError):
    pass


#: no printed run of digits is longer than this — not even a whole table row printed without spaces
#: (15 columns of 4 digits); a longer run is not a value, and ``int`` is never asked to convert it
MAX_VALUE_CHARS = 100


def clean(text: str) -> str:
    """Strip every kind of white space and map full-width digits and signs to ASCII."""
    return "".join(text.split()).replace("\u3000", "").replace("\xa0", "").translate(_FULLWIDTH)


def is_number_text(text: str) -> bool:
    t = clean(text)
    return bool(t) and _NUM_RE.fullmatch(t) is not None


def parse_value(text: str | None) -> tuple[Value, str | None]:
    """The value of a printed cell, and the unit printed with it (if any).

    Raises ``ValueSyntaxError`` for text that is not a cell value.
    """
    if text is None:
        return None, None
    if text.isascii() and text.isdigit():
        if len(text) > MAX_VALUE_CHARS:
            raise ValueSyntaxError(text[:MAX_VALUE_CHARS])
        return int(text), None
    t = clean(text)
    if not t:
        return None, None
    if len(t) > MAX_VALUE_CHARS + 4:  # the number and a unit such as 万元
        raise ValueSyntaxError(t[:MAX_VALUE_CHARS])
    if t in _NA_TEXTS or set(t) <= {"-", "—", "–", "/"}:
        return NA, None
    if t in _ZERO_TEXTS:
        return 0, None
    unit = None
    m = _UNIT_RE.match(t)
    if m:
        t, unit = m.group("num"), m.group("unit")
    if _NUM_RE.fullmatch(t) is None or len(t) > MAX_VALUE_CHARS:
        raise ValueSyntaxError(text)
    t = t.replace(",", "")
    if "." in t:
        try:
            return Decimal(t), unit
        except InvalidOperation:  # pragma: no cover - guarded by the regex
            raise ValueSyntaxError(text) from None
    return int(t), unit


def format_value(value: Value, na: str = "/") -> str:
    """The canonical printed form of a value ('' for unknown; ``na`` for not applicable — "/" as
    printed in a report, "NA" in data files)."""
    if value is None:
        return ""
    if value == NA:
        return na
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def to_json_value(value: Value) -> int | Decimal | str | None:
    """The value as the JSON model holds it: a ``Decimal`` stays exact (``gongkai.schema.dumps`` writes
    it as a number with every digit)."""
    return value


def from_json_value(raw: object) -> Value:
    if raw is None:
        return None
    if raw == NA:
        return NA
    if isinstance(raw, bool):
        raise ValueSyntaxError(str(raw))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() and "." not in str(raw) else raw
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        if len(raw) > 40:  # no printed cell value is this long
            raise ValueSyntaxError(raw[:40])
        value, _ = parse_value(raw)
        return value
    raise ValueSyntaxError(str(raw))
