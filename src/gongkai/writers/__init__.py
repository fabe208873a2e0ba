"""Writers: a ``Report`` as the document agencies publish.

    render_document(report, "docx")  → Rendered(data, messages, target)
    render(report, "docx")           → bytes (the same data, messages dropped)

Targets: ``docx`` (Word, the national template's layout, GB/T 9704 page), ``html`` (one
self-contained accessible page for a portal CMS), ``pdf`` (WeasyPrint from the HTML, Noto CJK
fonts embedded), ``md`` (Markdown), ``xlsx`` (the whole report, one sheet per table, a tidy
sheet), ``json`` (the model), ``csv`` (tidy cells).

Every drawn target takes its tables from ``layout`` (derived from the format declaration, computed
once per rendering and handed to the target's module), so they all print the same merged headers and
group labels.  The layout's messages (``render.W001`` blank cells printed empty, ``render.W002`` a
missing table replaced by a note, ``render.W003`` a row not printed) come back with the bytes;
rendering never invents a value.  The JSON model keeps blanks as null: it has nothing to warn about.

Output is deterministic: rendering the same report twice gives identical bytes (file metadata
dates come from the report's publication date, or a fixed date, never from the clock).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import RenderError
from ..model import Notice, Report
from ..options import ReadOptions

if TYPE_CHECKING:
    from ..readers import Source

#: target → (module, human name, media type)
TARGETS: dict[str, tuple[str, str, str]] = {
    "docx": ("docx", "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": ("html", "网页", "text/html; charset=utf-8"),
    "pdf": ("pdf", "PDF 文档", "application/pdf"),
    "md": ("markdown", "Markdown 文本", "text/markdown; charset=utf-8"),
    "xlsx": ("xlsx", "Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("tidy", "JSON 数据模型", "application/json"),
    "csv": ("tidy", "CSV 数据表", "text/csv; charset=utf-8"),
}

#: the options each target takes
OPTIONS: dict[str, tuple[str, ...]] = {"json": ("provenance",), "html": ("standalone",)}

_ALIASES = {"markdown": "md", "htm": "html", "word": "docx", "excel": "xlsx"}

#: the file extension of each target
EXTENSIONS = {k: k for k in TARGETS}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendering: the document's bytes and the messages raised while drawing it."""

    data: bytes
    messages: tuple[Notice, ...] = ()
    #: the target (``docx``, ``html``, …)
    target: str = ""

    @property
    def media_type(self) -> str:
        """The MIME type to serve the bytes with (e.g. from the web app)."""
        return TARGETS[self.target][2] if self.target in TARGETS else "application/octet-stream"

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.target, "")


def normalize_target(to: str) -> str:
    key = str(to).strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in TARGETS:
        known = "、".join(TARGETS)
        raise RenderError(f"不支持的输出格式“{to}”（支持：{known}）")
    return key


def render_document(report: Report, to: str, **options: bool) -> Rendered:
    """The report as ``to`` (see ``TARGETS``), with the messages raised while drawing it.

    Options: ``provenance`` (json: with the source of every number, default True), ``standalone``
    (html: False gives a fragment for a CMS)."""
    if not isinstance(report, Report):
        raise RenderError(f"只能输出年度报告对象（Report），收到的是 {type(report).__name__}")
    key = normalize_target(to)
    unknown = sorted(set(options) - set(OPTIONS.get(key, ())))
    if unknown:
        allowed = "、".join(OPTIONS.get(key, ())) or "无"
        raise RenderError(f"输出为 {key} 时不支持选项：{'、'.join(unknown)}（可用：{allowed}）")
    module = importlib.import_module(f".{TARGETS[key][0]}", __name__)
    if key == "json":
        return Rendered(module.write(report, key, None, **options), (), key)
    from .layout import document_layout

    layout = document_layout(report)
    return Rendered(module.write(report, key, layout, **options), tuple(layout.warnings), key)


def render(report: Report, to: str, **options: bool) -> bytes:
    """The report as ``to`` (the bytes of ``render_document``)."""
    return render_document(report, to, **options).data


def load_report(source: Source, *, name: str | None = None,
                options: ReadOptions | Mapping[str, object] | None = None) -> Report:
    """A report from a JSON model or any document the readers accept: ``gongkai.parse`` (kept for
    existing callers)."""
    from ..readers import parse

    return parse(source, name=name, options=options)


__all__ = ["EXTENSIONS", "TARGETS", "Rendered", "load_report", "normalize_target", "render", "render_document"]
