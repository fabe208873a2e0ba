"""The checker: every rule of RULES.md over one report or many.

    result = gongkai.validate(report)                      # one report
    result = gongkai.validate([r2021, r2022], ignore=["content"])
    result.valid, result.findings, result.summary(), result.to_dict()

Rules are selected by id, id prefix or tag (``select``/``ignore``), from the API, the CLI and a
config file (``gongkai.toml`` or ``[tool.gongkai]`` in pyproject.toml; see ``config``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..model import Report
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
    Rule,
    SelectionError,
    registry,
    rule,
    run_rule,
    select_rules,
)

__all__ = [
    "CRASH_ID",
    "REGISTRY",
    "SEVERITY_ZH",
    "CheckConfig",
    "CheckResult",
    "ConfigError",
    "Context",
    "Digest",
    "Draft",
    "Finding",
    "Location",
    "Rule",
    "SelectionError",
    "check_corpus",
    "check_report",
    "find_config",
    "load_config",
    "make_digest",
    "registry",
    "rule",
    "select_rules",
    "validate",
]


@dataclass
class CheckResult:
    """Findings of a run: data, never exceptions."""

    findings: list[Finding] = field(default_factory=list)
    #: labels of the reports checked
    reports: list[str] = field(default_factory=list)
    #: inputs that could not be read: (source, message)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        """No error findings and every input read."""
        return not self.errors and not self.unreadable

    def ids(self) -> list[str]:
        return [f.id for f in self.findings]

    def by_id(self, rule_id: str) -> list[Finding]:
        return [f for f in self.findings if f.id == rule_id]

    def summary(self) -> str:
        return summary_line(self.count("error"), self.count("warning"), self.count("info"), len(self.unreadable))

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "counts": {"error": self.count("error"), "warning": self.count("warning"), "info": self.count("info"),
                       "unreadable": len(self.unreadable), "reports": len(self.reports)},
            "reports": self.reports,
            "unreadable": [{"source": s, "error": m} for s, m in self.unreadable],
            "findings": [f.to_dict() for f in self.findings],
        }


def summary_line(errors: int, warnings: int, infos: int = 0, unreadable: int = 0) -> str:
    s = f"发现 {errors} 个错误，{warnings} 个警告"
    if infos:
        s += f"，{infos} 条提示"
    if unreadable:
        s += f"；{unreadable} 个文件无法读取"
    return s


def _ctx(config: Any, select: Any, ignore: Any) -> tuple[Context, list[Rule], list[Rule]]:
    cfg = CheckConfig.resolve(config).with_selection(select, ignore)
    report_rules = select_rules(cfg.select, cfg.ignore, scope="report")
    corpus_rules = select_rules(cfg.select, cfg.ignore, scope="corpus")
    return Context(cfg), report_rules, corpus_rules


def check_report(report: Report, ctx: Context, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of the single-report rules."""
    label = report.label
    out: list[Finding] = []
    for r in rules:
        out.extend(run_rule(r, report, ctx, report=label, source=report.source))
    return out


def check_corpus(digests: list[Digest], ctx: Context, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of the across-report rules over the digests of a run."""
    from .rules_cross import Corpus

    corpus = Corpus(digests)
    out: list[Finding] = []
    for r in rules:
        try:
            pairs = list(r.fn(corpus, ctx))
        except Exception as e:
            out.append(Finding(CRASH_ID, "error", f"规则 {r.id}（{r.title}）运行出错：{type(e).__name__}: {e}",
                               hint="这是核查程序的问题，请报告；其他规则的结果不受影响"))
            continue
        for d, draft in pairs:
            out.append(Finding(r.id, r.severity, draft.message, draft.hint if draft.hint is not None else r.hint,
                               draft.at, report=d.label, source=d.source, related=draft.related,
                               about=draft.about))
    order = {d.label: d.index for d in digests}
    out.sort(key=lambda f: order.get(f.report or "", -1))
    return out


def _as_reports(reports: Any) -> Iterator[Report | tuple[str, str]]:
    if isinstance(reports, (Report, str, os.PathLike)):
        reports = [reports]
    for item in reports:
        if isinstance(item, Report):
            yield item
        elif isinstance(item, (str, os.PathLike)):
            from .batch import expand, read_report

            for label, src in expand([str(item)]):
                try:
                    yield read_report(label, src)
                except GongkaiError as e:
                    yield (label, str(e))
        else:
            raise GongkaiError(f"validate 只接受 Report 或文件路径，得到 {type(item).__name__}")


def validate(reports: Any, select: Any = None, ignore: Any = None,
             config: dict[str, Any] | CheckConfig | str | Path | None = None) -> CheckResult:
    """Run the rule catalogue over one report or many (``Report`` objects, files or folders).

    Reports of the same agency are paired across years; reports of one year are compared across
    agencies.  ``select``/``ignore``: rule ids, id prefixes (``t3``, ``xyear.E``) or tags.
    """
    ctx, report_rules, corpus_rules = _ctx(config, select, ignore)
    result = CheckResult()
    digests: list[Digest] = []
    many = not isinstance(reports, Report) and not (isinstance(reports, (str, os.PathLike))
                                                    and not Path(reports).is_dir())
    for i, rep in enumerate(_as_reports(reports)):
        if isinstance(rep, tuple):
            result.unreadable.append(rep)
            continue
        result.reports.append(rep.label)
        result.findings.extend(check_report(rep, ctx, report_rules))
        if many and corpus_rules:
            digests.append(make_digest(rep, i, min_chars=ctx.config.copying_min_chars))
    if len(digests) > 1:
        result.findings.extend(check_corpus(digests, ctx, corpus_rules))
    return result


# the rule modules register themselves on import
from . import rules_cross, rules_structure, rules_tables, rules_text  # noqa: E402,F401
