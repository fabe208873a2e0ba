"""gongkai — 政府信息公开工作年度报告的格式、读取、核查与生成。

The public API (the CLI and the web app are thin shells over these):

    gongkai.parse(source, name=, options=) → Report     (the one way in: any document the readers
                                                          accept, or the JSON model; ReadOptions)
    gongkai.read_document(path_or_bytes)  → Document    (the blocks layer, for debugging)
    gongkai.validate(report | reports)    → CheckResult (the rule catalogue; pure, no file I/O)
    gongkai.check_files(paths)            → ReportResult per file (read and check files and folders)
    gongkai.render(report, "docx")        → bytes       (the writers)
    gongkai.render_document(report, "docx") → Rendered  (the bytes and the writers' messages)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FormatError, GongkaiError, ModelError, NotAReportError, ParseError, RenderError
from .formats import FORMATS, FormatSpec, get_format
from .model import NA, Cell, Loc, Notice, Report, Table
from .options import ReadOptions
from .readers import parse, parse_text, read_document

if TYPE_CHECKING:
    from .writers import Rendered

__version__ = "0.1.0"


if TYPE_CHECKING:
    from .check import Batch, CheckConfig, CheckResult, Finding, ReportResult, Source


def validate(reports: Report | Iterable[Report], *, select: str | Iterable[str] | None = None,
             ignore: str | Iterable[str] | None = None,
             config: dict[str, Any] | CheckConfig | str | Path | None = None) -> CheckResult:
    """Run the rule catalogue over one report or many; pure, no file I/O (see ``gongkai.check``)."""
    from .check import validate as _validate

    return _validate(reports, select=select, ignore=ignore, config=config)


def check_files(paths: Iterable[Source], *, workers: int | None = None,
                options: ReadOptions | Mapping[str, object] | None = None,
                config: dict[str, Any] | CheckConfig | str | Path | None = None) -> Batch:
    """Read and check files and folders: iterate for a ``ReportResult`` per file, or ``.result()``."""
    from .check import CheckConfig as _Config
    from .check import check_files as _check_files

    return _check_files(paths, workers=workers, options=ReadOptions.resolve(options) if options is not None else None,
                        config=_Config.resolve(config))


def __getattr__(name: str) -> Any:
    """``CheckResult``, ``ReportResult``, ``Finding``, ``CheckConfig`` without importing the checker up front."""
    if name in ("CheckResult", "ReportResult", "Finding", "CheckConfig"):
        from . import check

        return getattr(check, name)
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")


def render(report: Report, to: str, **options: bool) -> bytes:
    """The report as a document: ``docx``, ``html``, ``pdf``, ``md``, ``xlsx``, ``json``, ``csv``
    (``provenance=False`` for json, ``standalone=False`` for an html fragment)."""
    from .writers import render as _render

    return _render(report, to, **options)


def render_document(report: Report, to: str, **options: bool) -> Rendered:
    """The report as a document with the messages raised while drawing it: ``Rendered(data, messages)``."""
    from .writers import render_document as _render_document

    return _render_document(report, to, **options)


__all__ = [
    "FORMATS",
    "NA",
    "Cell",
    "CheckConfig",
    "CheckResult",
    "Finding",
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
    "ReportResult",
    "Table",
    "check_files",
    "get_format",
    "parse",
    "parse_text",
    "read_document",
    "render",
    "render_document",
    "validate",
]
