"""The checker: every rule of RULES.md over one report or many.

    result = gongkai.validate(report)                      # one report  → CheckResult
    result = gongkai.validate([r2021, r2022], ignore=["content"])
    result.valid, result.reports[0].findings, result.summary(), result.to_dict()
    for rr in gongkai.check_files(["年报目录/"]):          # read and check files → ReportResult each
        ...

``validate`` is pure: it takes ``Report`` objects (read them with ``gongkai.parse``) and does no
file I/O; ``check_files`` reads and checks files and folders in worker processes.  Rules are
selected by id, id prefix or tag (``select``/``ignore``), from the API, the CLI and a config file
(``gongkai.toml`` or ``[tool.gongkai]`` in pyproject.toml; see ``config``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..model import Report
from .batch import Batch, Source, check_files
from .catalogue import ENTRY_POINT_GROUP, PluginError, registry, select_rules
from .config import CheckConfig, ConfigError, find_config, load_config
from .context import Context
from .digest import Digest, make_digest
from .engine import (
    CRASH_ID,
    REGISTRY,
    SEVERITY_ZH,
    Draft,
    Finding,
    Location,
    Registry,
    Rule,
    SelectionError,
    crash_finding,
    rule,
    run_rule,
)
from .result import CheckResult, ReportResult, Skipped, summary_line

__all__ = [
    "CRASH_ID",
    "ENTRY_POINT_GROUP",
    "REGISTRY",
    "SEVERITY_ZH",
    "Batch",
    "CheckConfig",
    "CheckResult",
    "ConfigError",
    "Context",
    "Digest",
    "Draft",
    "Finding",
    "Location",
    "PluginError",
    "Registry",
    "ReportResult",
    "Rule",
    "SelectionError",
    "Skipped",
    "Source",
    "check_corpus",
    "check_files",
    "check_report",
    "find_config",
    "load_config",
    "make_digest",
    "registry",
    "rule",
    "select_rules",
    "summary_line",
    "validate",
]

ConfigLike = dict[str, Any] | CheckConfig | str | Path | None


def check_report(report: Report, ctx: Context, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of the single-report rules, each carrying the report's ref, label and source.  (The
    reader's notices come in through struct.I001/I002 as reading notices.)"""
    label, source, ref = report.label, report.source, report.ref
    out: list[Finding] = []
    with ctx.one_report():  # what several rules derive from the report (unsure cells) is computed once
        for r in rules:
            out.extend(run_rule(r, report, ctx, report=label, source=source, ref=ref))
    return out


def check_corpus(digests: list[Digest], ctx: Context, rules: Iterable[Rule]) -> list[tuple[int, Finding]]:
    """Findings of the across-report rules over the digests of a run, with the index of the report
    each belongs to (input order)."""
    from .rules_cross import Corpus

    corpus = Corpus(digests)
    out: list[tuple[int, Finding]] = []
    for r in rules:
        try:
            pairs = list(r.fn(corpus, ctx))
        except Exception as e:
            out.append((-1, crash_finding(r, e)))
            continue
        for d, draft in pairs:
            out.append((d.index, Finding(r.id, r.severity, draft.message,
                                         draft.hint if draft.hint is not None else r.hint, draft.at,
                                         report=d.label, source=d.source, related=draft.related,
                                         about=draft.about, ref=d.ref)))
    out.sort(key=lambda p: p[0])
    return out


def merge_across(reports: list[ReportResult], across: list[tuple[int, Finding]]) -> None:
    """Put each across-report finding into its report's result (a crash of a rule into the first)."""
    by_index = {r.index: r for r in reports}
    for i, f in across:
        target = by_index.get(i) or (reports[0] if reports else None)
        if target is not None:
            target.findings.append(f)


def validate(reports: Report | Iterable[Report], *, select: str | Iterable[str] | None = None,
             ignore: str | Iterable[str] | None = None, config: ConfigLike = None) -> CheckResult:
    """Run the rule catalogue over one report or many; pure (no file I/O).

    Reports of the same agency are paired across years; reports of one year are compared across
    agencies.  ``select``/``ignore``: rule ids, id prefixes (``t3``, ``xyear.E``) or tags.  To read
    and check files, use ``check_files``.
    """
    cfg = CheckConfig.resolve(config).with_selection(select, ignore)
    ctx = Context(cfg)
    report_rules = select_rules(cfg.select, cfg.ignore, scope="report")
    corpus_rules = select_rules(cfg.select, cfg.ignore, scope="corpus")
    items = [reports] if isinstance(reports, Report) else list(_only_reports(reports))
    result = CheckResult()
    digests: list[Digest] = []
    for i, rep in enumerate(items):
        rr = ReportResult(i, ref=rep.ref, label=rep.label, source=rep.source, agency=rep.agency, year=rep.year,
                          findings=check_report(rep, ctx, report_rules))
        result.reports.append(rr)
        if len(items) > 1 and corpus_rules:
            digests.append(make_digest(rep, i, min_chars=cfg.copying_min_chars))
    if len(digests) > 1:
        merge_across(result.reports, check_corpus(digests, ctx, corpus_rules))
    return result


def _only_reports(reports: object) -> Iterable[Report]:
    if isinstance(reports, (str, Path)) or not isinstance(reports, Iterable):
        raise GongkaiError(f"validate 只接受 Report 对象（或其列表），得到 {type(reports).__name__}；"
                           "读取并核查文件请用 gongkai.check_files")
    for item in reports:
        if not isinstance(item, Report):
            raise GongkaiError(f"validate 只接受 Report 对象（或其列表），得到 {type(item).__name__}；"
                               "读取并核查文件请用 gongkai.check_files")
        yield item
