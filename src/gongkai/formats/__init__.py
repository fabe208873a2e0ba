"""The national report formats, declared as data (see ``spec``), and their registry."""

from __future__ import annotations

from . import f2019, f2021
from .spec import (
    Collapsed,
    ColumnSpec,
    FormatSpec,
    Identity,
    Kind,
    RowSpec,
    SectionSpec,
    TableSpec,
)

#: every known edition, newest first; a new edition is one more module and one more entry here
FORMATS: dict[str, FormatSpec] = {f.id: f for f in (f2021.FORMAT, f2019.FORMAT)}

TABLE_KEYS = ("proactive", "requests", "appeals")
SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")


def get_format(format_id: str | FormatSpec) -> FormatSpec:
    """The format with this id (``"2021"``, ``"2019"``)."""
    if isinstance(format_id, FormatSpec):
        return format_id
    try:
        return FORMATS[str(format_id)]
    except KeyError:
        from ..errors import FormatError

        known = "、".join(FORMATS)
        raise FormatError(f"未知的年报格式“{format_id}”（已知格式：{known}）") from None


def format_for_year(year: int) -> FormatSpec:
    """The format a report of this year must use."""
    for f in FORMATS.values():
        if f.applies_to(year):
            return f
    from ..errors import FormatError

    raise FormatError(f"{year}年度没有适用的全国统一年报格式（2019年以前的年报为自由格式）")


__all__ = [
    "FORMATS",
    "SECTION_KEYS",
    "TABLE_KEYS",
    "Collapsed",
    "ColumnSpec",
    "FormatSpec",
    "Identity",
    "Kind",
    "RowSpec",
    "SectionSpec",
    "TableSpec",
    "format_for_year",
    "get_format",
]
