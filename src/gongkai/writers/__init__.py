"""Writers: a ``Report`` as the document agencies publish.

    render(report, "docx")                → bytes
    render_with_warnings(report, "docx")  → Rendered(data, warnings)
    render(report, "docx", warnings=lst)  → bytes, and the warnings appended to ``lst``

Targets: ``docx`` (Word, the national template's layout, GB/T 9704 page), ``html`` (one
self-contained accessible page for a portal CMS), ``pdf`` (WeasyPrint from the HTML, Noto CJK
fonts embedded), ``md`` (Markdown), ``xlsx`` (the whole report, one sheet per table, a tidy
sheet), ``json`` (the model), ``csv`` (tidy cells).

Every drawn target takes its tables from ``layout`` (derived from the format declaration), so
they all print the same merged headers and group labels.  Warnings (``render.W001`` blank cells
printed empty, ``render.W002`` a missing table replaced by a note, ``render.W003`` a row not
printed) are ``Notice`` objects; rendering never invents a value.

Output is deterministic: rendering the same report twice gives identical bytes (file metadata
dates come from the report's publication date, or a fixed date, never from the clock).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import RenderError
from ..model import Notice, Report
from ..options import ReadOptions

if TYPE_CHECKING:
    from ..readers import Source

#: target → (module, human name)
TARGETS: dict[str, tuple[str, str]] = {
    "docx": ("docx", "Word 文档"),
    "html": ("html", "网页"),
    "pdf": ("pdf", "PDF 文档"),
    "md": ("markdown", "Markdown 文本"),
    "xlsx": ("xlsx", "Excel 工作簿"),
    "json": ("tidy", "JSON 数据模型"),
    "csv": ("tidy", "CSV 数据表"),
}

_ALIASES = {"markdown": "md", "htm": "html", "word": "docx", "excel": "xlsx"}

#: the file extension of each target
EXTENSIONS = {k: k for k in TARGETS}


@dataclass(slots=True)
class Rendered:
    data: bytes
    warnings: list[Notice] = field(default_factory=list)


def normalize_target(to: str) -> str:
    key = str(to).strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in TARGETS:
        known = "、".join(TARGETS)
        raise RenderError(f"不支持的输出格式“{to}”（支持：{known}）")
    return key


def render_with_warnings(report: Report, to: str, **options: Any) -> Rendered:
    """The report as ``to`` (see ``TARGETS``), with the warnings raised while drawing it."""
    if not isinstance(report, Report):
        raise RenderError(f"只能输出年度报告对象（Report），收到的是 {type(report).__name__}")
    key = normalize_target(to)
    module = importlib.import_module(f".{TARGETS[key][0]}", __name__)
    warnings: list[Notice] = []
    data = module.write(report, key, warnings, **options)
    return Rendered(data, warnings)


def load_report(source: Source, *, name: str | None = None,
                options: ReadOptions | Mapping[str, object] | None = None) -> Report:
    """A report from a JSON model or any document the readers accept: ``gongkai.parse`` (kept for
    existing callers)."""
    from ..readers import parse

    return parse(source, name=name, options=options)


def render(report: Report, to: str, *, warnings: list[Notice] | None = None, **options: Any) -> bytes:
    """The report as ``to``; pass a list as ``warnings`` to collect the warnings."""
    out = render_with_warnings(report, to, **options)
    if warnings is not None:
        warnings.extend(out.warnings)
    return out.data


__all__ = ["EXTENSIONS", "TARGETS", "Rendered", "load_report", "normalize_target", "render", "render_with_warnings"]
