"""Reading settings: what ``gongkai.parse`` accepts and how far it goes.

Given to ``gongkai.parse(source, options=…)`` as ``None`` (the defaults), a dict of field names, or a
``ReadOptions``::

    gongkai.parse("年报.pdf", options={"ocr": "off", "pdf_seconds": 20})

Input size limits, one per kind of document, are far above any real report (the largest real report
we know is a PDF of a few MB; a portal page is a few hundred KB; a text version a few dozen KB) and low
enough that one upload cannot hold a worker's memory: a larger input is refused with a message before
it is read.

| kind | limit | why |
|---|---|---|
| text | 10 MiB | a text version is a few dozen KB; 10 MiB is millions of characters |
| html | 20 MiB | portal pages are a few hundred KB; Word-exported pages may carry inline images |
| docx | 50 MiB | a Word file may embed scanned seals and pictures |
| xlsx | 20 MiB | a workbook of the three tables is a few dozen KB |
| pdf | 100 MiB | an image-only (scanned) PDF of a few dozen pages at 300 dpi |
| json | 20 MiB | the model with provenance of every cell is a few hundred KB |
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Literal

from .errors import GongkaiError

MiB = 1024 * 1024

PdfBackend = Literal["pdfium", "pdfplumber"]
OcrMode = Literal["auto", "on", "off"]

#: document kinds with a size limit of their own (``sniff`` names them)
KINDS = ("text", "html", "docx", "xlsx", "pdf", "json")

PDF_BACKENDS: tuple[PdfBackend, ...] = ("pdfium", "pdfplumber")
OCR_MODES: tuple[OcrMode, ...] = ("auto", "on", "off")

#: the Chinese name of each field, for messages
_NAMES = {
    "max_text_bytes": "文本文件大小上限", "max_html_bytes": "网页大小上限", "max_docx_bytes": "Word 文档大小上限",
    "max_xlsx_bytes": "Excel 工作簿大小上限", "max_pdf_bytes": "PDF 文件大小上限",
    "max_json_bytes": "JSON 数据模型大小上限", "pdf_backend": "PDF 读取引擎", "ocr": "OCR 识别",
    "pdf_seconds": "PDF 读取时限（秒）", "pdf_max_pages": "PDF 最多读取页数", "trace": "调试输出",
}


class OptionsError(GongkaiError):
    """A reading setting that cannot be used."""


def _default_backend() -> PdfBackend:
    env = os.environ.get("GONGKAI_PDF_BACKEND", "pdfium")
    return "pdfplumber" if env == "pdfplumber" else "pdfium"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How ``gongkai.parse`` reads a document."""

    #: the largest input of each kind, in bytes (see the module's table)
    max_text_bytes: int = 10 * MiB
    max_html_bytes: int = 20 * MiB
    max_docx_bytes: int = 50 * MiB
    max_xlsx_bytes: int = 20 * MiB
    max_pdf_bytes: int = 100 * MiB
    max_json_bytes: int = 20 * MiB
    #: "pdfium" (fast, default; env ``GONGKAI_PDF_BACKEND`` changes the default) or "pdfplumber" (pure Python)
    pdf_backend: PdfBackend = field(default_factory=_default_backend)
    #: image-only PDFs: "auto" (OCR of each page that has images and no text), "on" (every page),
    #: "off" (such pages are not read; a PDF of them only is refused with a message)
    ocr: OcrMode = "auto"
    #: seconds spent reading one PDF at most; the pages read by then are used and a notice says so
    pdf_seconds: float = 60.0
    #: pages of a PDF read at most (a report is a few pages; a 300-page file must not hang)
    pdf_max_pages: int = 60
    #: receives the debug view (blocks, then each official label's match) as lines of text
    trace: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        for name in ("max_text_bytes", "max_html_bytes", "max_docx_bytes", "max_xlsx_bytes", "max_pdf_bytes",
                     "max_json_bytes", "pdf_max_pages"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise OptionsError(f"{_NAMES[name]}（{name}）应为正整数：{v!r}")
        s = self.pdf_seconds
        if isinstance(s, bool) or not isinstance(s, int | float) or not s > 0 or s == float("inf"):
            raise OptionsError(f"{_NAMES['pdf_seconds']}（pdf_seconds）应为正数：{s!r}")
        if self.pdf_backend not in PDF_BACKENDS:
            raise OptionsError(f"{_NAMES['pdf_backend']}（pdf_backend）应为 {'、'.join(PDF_BACKENDS)} 之一："
                               f"{self.pdf_backend!r}")
        if self.ocr not in OCR_MODES:
            raise OptionsError(f"{_NAMES['ocr']}（ocr）应为 {'、'.join(OCR_MODES)} 之一：{self.ocr!r}")
        if self.trace is not None and not callable(self.trace):
            raise OptionsError(f"{_NAMES['trace']}（trace）应为可调用对象（接收一行文字），收到 {type(self.trace).__name__}")

    @classmethod
    def resolve(cls, options: ReadOptions | Mapping[str, object] | None = None) -> ReadOptions:
        """``None`` → defaults; a dict of field names → those fields over the defaults; a ``ReadOptions`` as is."""
        if options is None:
            return cls()
        if isinstance(options, ReadOptions):
            return options
        if isinstance(options, Mapping):
            known = {f.name for f in fields(cls)}
            unknown = sorted(str(k) for k in options if k not in known)
            if unknown:
                raise OptionsError(f"未知的读取设置：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
            return cls(**options)  # type: ignore[arg-type]  # values are checked in __post_init__
        raise OptionsError(f"无法识别的读取设置：{type(options).__name__}（应为 ReadOptions、字典或 None）")

    def max_bytes(self, kind: str) -> int:
        """The size limit for a document of ``kind`` (the largest of all for a kind not yet known)."""
        limit: int | None = getattr(self, f"max_{kind}_bytes", None) if kind in KINDS else None
        return limit if limit is not None else self.max_input_bytes

    @property
    def max_input_bytes(self) -> int:
        """The most bytes read before the kind of document is known."""
        return max(getattr(self, f"max_{k}_bytes") for k in KINDS)

    @staticmethod
    def describe(name: str) -> str:
        """The Chinese name of a field (for messages and help)."""
        return _NAMES.get(name, name)


__all__ = ["KINDS", "OCR_MODES", "PDF_BACKENDS", "OcrMode", "OptionsError", "PdfBackend", "ReadOptions"]
