"""gongkai — 政府信息公开工作年度报告的格式、读取、核查与生成。

The public API (the CLI and the web app are thin shells over these):

    gongkai.parse(source, name=, options=) → Report     (the one way in: any document the readers
                                                          accept, or the JSON model; ReadOptions)
    gongkai.read_document(path_or_bytes)  → Document    (the blocks layer, for debugging)
    gongkai.validate(report | reports)    → CheckResult (the rule catalogue)
    gongkai.render(report, "docx")        → bytes       (the writers)
"""

from __future__ import annotations

from typing import Any

from .errors import FormatError, GongkaiError, ModelError, NotAReportError, ParseError, RenderError
from .formats import FORMATS, FormatSpec, get_format
from .model import NA, Cell, Loc, Notice, Report, Table
from .options import ReadOptions
from .readers import parse, parse_text, read_document

__version__ = "0.1.0"


def validate(reports: Any, **options: Any) -> Any:
    """Run the rule catalogue over one report or many (see ``gongkai.check``)."""
    from .check import validate as _validate

    return _validate(reports, **options)


def render(report: Report, to: str, **options: Any) -> bytes:
    """The report as a document: ``docx``, ``html``, ``pdf``, ``md``, ``xlsx``, ``json``, ``csv``."""
    from .writers import render as _render

    return _render(report, to, **options)


__all__ = [
    "FORMATS",
    "NA",
    "Cell",
    "FormatError",
    "FormatSpec",
    "GongkaiError",
    "Loc",
    "ModelError",
    "NotAReportError",
    "Notice",
    "ParseError",
    "ReadOptions",
    "RenderError",
    "Report",
    "Table",
    "get_format",
    "parse",
    "parse_text",
    "read_document",
    "render",
    "validate",
]
