"""What changed between two stored documents: cells (from what to what), sections, metadata.

A change is a dict a person can read back later (it is stored with the event or version)::

    {"kind": "cell", "table": "requests", "row": "new", "col": "total",
     "label": "表三/一、本年新收政府信息公开申请数量/总计", "old": "3", "new": "4"}
    {"kind": "section", "key": "overview", "label": "一、总体情况", "old": "…", "new": "…"}
    {"kind": "meta", "key": "published", "label": "发布日期", "old": "", "new": "2022-01-20"}
"""

from __future__ import annotations

from typing import Any

from gongkai.formats import get_format

from .library import cell_label

META_LABELS = {"title": "标题", "preamble": "前言", "published": "发布日期", "portal": "门户网站", "agency": "机关名称"}


def _text(v: Any) -> str:
    if v is None:
        return ""
    if v == "NA":
        return "/"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, label in META_LABELS.items():
        a, b = _text(old.get(key)), _text(new.get(key))
        if a != b:
            out.append({"kind": "meta", "key": key, "label": label, "old": a, "new": b})
    fmt = get_format(str(new.get("format") or old.get("format") or "2021"))
    old_tables = old.get("tables") or {}
    new_tables = new.get("tables") or {}
    for spec in fmt.tables:
        a_rows, b_rows = old_tables.get(spec.key) or {}, new_tables.get(spec.key) or {}
        rows = list(dict.fromkeys([*a_rows, *b_rows]))
        for row in rows:
            cols = list(dict.fromkeys([*(a_rows.get(row) or {}), *(b_rows.get(row) or {})]))
            for col in cols:
                a = _text((a_rows.get(row) or {}).get(col))
                b = _text((b_rows.get(row) or {}).get(col))
                if a != b:
                    try:
                        label = cell_label(spec, row, col)
                    except KeyError:
                        label = f"{spec.key}.{row}.{col}"
                    out.append({"kind": "cell", "table": spec.key, "row": row, "col": col, "label": label,
                                "old": a, "new": b})
    old_sections = old.get("sections") or {}
    new_sections = new.get("sections") or {}
    for sec in fmt.sections:
        a, b = old_sections.get(sec.key) or "", new_sections.get(sec.key) or ""
        if a != b:
            out.append({"kind": "section", "key": sec.key, "label": sec.heading, "old": a, "new": b})
    return out


def describe(change: dict[str, Any]) -> str:
    """One line: 表三/…/总计：3 → 4；一、总体情况：改写了文字."""
    label = change.get("label", "")
    if change.get("kind") == "section" or change.get("key") == "preamble":
        return f"{label}：修改了文字（{len(change.get('old') or '')}字 → {len(change.get('new') or '')}字）"
    old = change.get("old") or "（空白）"
    new = change.get("new") or "（空白）"
    return f"{label}：{old} → {new}"
