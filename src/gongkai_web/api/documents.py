"""Report content sent to the API, checked cell by cell before any action runs.

A value is what a person would type in the workspace (``12``, ``0.35``, ``"12万元"``, ``"/"``)
or the model's JSON value (``"NA"`` not applicable, ``null`` blank); it goes through the same
``library.parse_cell`` as the form, so a negative count or a word where a number belongs is a
400 naming the key (``tables.requests.new.total``) — and nothing is stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongkai.errors import GongkaiError
from gongkai.formats import FORMATS, SECTION_KEYS, FormatSpec
from gongkai.model import Table
from gongkai_web.reports import library
from gongkai_web.reports.actions import Edit

from .errors import BadInput

MAX_TEXT = 200_000


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise BadInput(key, "应为数字、“NA”（不适用）或 null（空白），不能是 true/false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        if len(value) > 100:
            raise BadInput(key, "单元格的值过长（超过 100 个字符）")
        return "/" if value.strip().upper() == "NA" else value
    raise BadInput(key, "应为数字、“NA”（不适用）或 null（空白）")


def parse_cells(fmt: FormatSpec, tables: Any, prefix: str = "tables") -> dict[tuple[str, str, str], tuple[Any, Any]]:
    """``{table: {row: {column: value}}}`` → the ``Edit`` cells; ``BadInput`` naming the key."""
    if not isinstance(tables, dict):
        raise BadInput(prefix, "应为对象：表 → 行 → 列 → 值")
    known = {t.key: t for t in fmt.tables}
    out: dict[tuple[str, str, str], tuple[Any, Any]] = {}
    for tkey, rows in tables.items():
        where = f"{prefix}.{tkey}"
        if tkey not in known:
            raise BadInput(where, f"未知的表格“{str(tkey)[:40]}”（{fmt.id}格式的表格：{'、'.join(known)}）")
        spec = known[tkey]
        shape = Table(spec)
        declared = shape.declared_rows()
        if not isinstance(rows, dict):
            raise BadInput(where, "应为对象：行 → 列 → 值")
        for rkey, cols in rows.items():
            if rkey not in declared:
                raise BadInput(f"{where}.{rkey}", f"表格“{tkey}”没有“{str(rkey)[:40]}”这一行（{fmt.id}格式）")
            if not isinstance(cols, dict):
                raise BadInput(f"{where}.{rkey}", "应为对象：列 → 值")
            allowed = shape.columns_of(rkey)
            for ckey, value in cols.items():
                key = f"{where}.{rkey}.{ckey}"
                if ckey not in allowed:
                    raise BadInput(key, f"“{tkey}.{rkey}”没有“{str(ckey)[:40]}”这一列（可用的列：{'、'.join(allowed)}）")
                try:
                    out[(tkey, rkey, ckey)] = library.parse_cell(spec, rkey, ckey, _text(value, key))
                except library.CellError as e:
                    raise BadInput(key, e.message) from None
    return out


def parse_sections(sections: Any) -> dict[str, str]:
    if not isinstance(sections, dict):
        raise BadInput("sections", "应为对象：章节键 → 文字")
    for key, text in sections.items():
        if key not in SECTION_KEYS:
            raise BadInput(f"sections.{key}", f"未知的章节键“{str(key)[:40]}”（应为 {'、'.join(SECTION_KEYS)}）")
        if not isinstance(text, str):
            raise BadInput(f"sections.{key}", "应为文字")
        if len(text) > MAX_TEXT:
            raise BadInput(f"sections.{key}", f"文字过长（超过 {MAX_TEXT} 个字）")
    return dict(sections)


def edit_from(fmt: FormatSpec, data: dict[str, Any]) -> Edit:
    """The workspace ``Edit`` an update request stands for."""
    cells = parse_cells(fmt, data["tables"]) if "tables" in data else {}
    sections = parse_sections(data["sections"]) if "sections" in data else {}
    preamble = data.get("preamble")
    if preamble is not None and len(preamble) > MAX_TEXT:
        raise BadInput("preamble", f"文字过长（超过 {MAX_TEXT} 个字）")
    return Edit(cells=cells, sections=sections, preamble=preamble)


def read_document(raw: Any, *, agency: str, kind: str, year: int | None) -> tuple[library.LibReport, int]:
    """A report from a JSON model sent to the API (every key and cell checked) and its year."""
    if not isinstance(raw, dict):
        raise BadInput("document", "应为 JSON 对象（gongkai 数据模型）")
    fmt = FORMATS.get(raw["format"]) if isinstance(raw.get("format"), str) else None
    raw_year = raw.get("year") if isinstance(raw.get("year"), int) else None
    if year is not None and raw_year is not None and raw_year != year:
        raise BadInput("document.year", f"文档是{raw_year}年度的报告，与请求中的 year（{year}）不一致")
    year = year if year is not None else raw_year
    if fmt is not None:
        if year is not None:
            try:
                required = library.format_for(year)
            except library.Refusal as e:
                raise BadInput("year", e.message) from None
            if fmt.id != required.id:
                raise BadInput("document.format", f"{year}年度的报告应使用{required.id}格式（{required.name}），"
                                                  f"文档是{fmt.id}格式")
        parse_cells(fmt, raw.get("tables") or {}, prefix="document.tables")
    try:
        lib = library.load(raw, kind=kind, stored=False)
    except GongkaiError as e:
        raise BadInput("document", e.message) from None
    if year is None:
        raise BadInput("year", "缺少年度：请给出 year 或 document.year")
    lib.year = year
    lib.agency, lib.agency_kind, lib.agency_kind_guessed = agency, kind, False
    return lib, year
