"""What a check returns: one ``ReportResult`` per report (its findings), gathered in a ``CheckResult``.

Like frictionless' report → tasks → errors: the result of a run is data, grouped per report, with
the same shape for one report, a list of reports and a batch over folders.  ``to_dict()`` is the
document ``gongkai check --json`` writes.

Findings ``about`` the document (the agency's defects) and about our reading of it (reading
notices: what could not be read and why) are kept apart: ``valid`` and the counts of errors and
warnings look at the document's findings only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .digest import Digest
from .engine import Finding, Severity


def summary_line(errors: int, warnings: int, infos: int = 0, unreadable: int = 0, reading: int = 0,
                 skipped: int = 0) -> str:
    s = f"发现 {errors} 个错误，{warnings} 个警告"
    if infos:
        s += f"，{infos} 条提示"
    if reading:
        s += f"；另有 {reading} 条读取提示（读取不确定，不是机关的错误）"
    if unreadable:
        s += f"；{unreadable} 个文件无法读取"
    if skipped:
        s += f"；跳过 {skipped} 个不是年报格式的文件"
    return s


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    c: Counter[str] = Counter()
    for f in findings:
        c["reading" if f.about == "reading" else f.severity] += 1
    return {k: c[k] for k in ("error", "warning", "info", "reading")}


@dataclass
class ReportResult:
    """One report of a run: who it is, where it came from, and its findings (or why it was not read)."""

    #: position in the run (input order); two copies of one report are two results
    index: int
    #: the caller's reference (``Report.ref``; the file path in a batch)
    ref: str | None = None
    #: how a person names the report (display only)
    label: str | None = None
    #: the file it was read from
    source: str | None = None
    agency: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    #: why the report could not be read (None when it was read)
    unreadable: str | None = None
    #: other files read as forms of the same report (a portal page's text version …)
    other_forms: list[str] = field(default_factory=list)
    #: the small summary the across-report rules need (not part of ``to_dict``)
    digest: Digest | None = field(default=None, repr=False, compare=False)

    @property
    def read(self) -> bool:
        return self.unreadable is None

    @property
    def document_findings(self) -> list[Finding]:
        """Defects of the report itself."""
        return [f for f in self.findings if f.about == "document"]

    @property
    def notices(self) -> list[Finding]:
        """Reading notices: where our reading is uncertain (never the agency's fault)."""
        return [f for f in self.findings if f.about == "reading"]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity and f.about == "document")

    @property
    def valid(self) -> bool:
        """Read, and no error in the document (reading notices do not count)."""
        return self.read and not self.count("error")

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "ref": self.ref, "label": self.label, "source": self.source,
                "agency": self.agency, "year": self.year, "other_forms": list(self.other_forms),
                "valid": self.valid, "unreadable": self.unreadable,
                "counts": _counts(self.findings), "findings": [f.to_dict() for f in self.findings]}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ReportResult:
        return cls(index=raw["index"], ref=raw.get("ref"), label=raw.get("label"), source=raw.get("source"),
                   agency=raw.get("agency"), year=raw.get("year"),
                   findings=[Finding.from_dict(f) for f in raw.get("findings") or ()],
                   unreadable=raw.get("unreadable"), other_forms=list(raw.get("other_forms") or ()))


@dataclass(frozen=True)
class Skipped:
    """A file of a folder that was not read, and why (``.doc``, an image …)."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass
class CheckResult:
    """The findings of a run, grouped per report: data, never exceptions."""

    reports: list[ReportResult] = field(default_factory=list)
    #: files of the folders given that were not read
    skipped: list[Skipped] = field(default_factory=list)

    # -- flat views -----------------------------------------------------------------------------
    @property
    def findings(self) -> list[Finding]:
        """Every finding of every report, in report order."""
        return [f for r in self.reports for f in r.findings]

    def count(self, severity: Severity) -> int:
        """Findings about the document of this severity (reading notices not counted)."""
        return sum(r.count(severity) for r in self.reports)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" and f.about == "document"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning" and f.about == "document"]

    @property
    def notices(self) -> list[Finding]:
        """Reading notices (our reading is uncertain; not the agency's fault)."""
        return [f for f in self.findings if f.about == "reading"]

    @property
    def unreadable(self) -> list[ReportResult]:
        return [r for r in self.reports if not r.read]

    @property
    def valid(self) -> bool:
        """Every report read and none has an error in the document."""
        return all(r.valid for r in self.reports)

    def ids(self) -> list[str]:
        return [f.id for f in self.findings]

    def by_id(self, rule_id: str) -> list[Finding]:
        return [f for f in self.findings if f.id == rule_id]

    def by_ref(self, ref: str) -> list[ReportResult]:
        return [r for r in self.reports if r.ref == ref]

    # -- summaries ------------------------------------------------------------------------------
    def summary_dict(self) -> dict[str, Any]:
        counts = _counts(self.findings)
        return {"reports": sum(1 for r in self.reports if r.read), **counts,
                "unreadable": len(self.unreadable), "skipped": len(self.skipped),
                "by_rule": dict(sorted(Counter(f.id for f in self.findings).items()))}

    def summary(self) -> str:
        s = self.summary_dict()
        return summary_line(s["error"], s["warning"], s["info"], s["unreadable"], s["reading"], s["skipped"])

    def to_dict(self) -> dict[str, Any]:
        """The document ``gongkai check --json`` writes."""
        return {"valid": self.valid, "summary": self.summary_dict(),
                "reports": [r.to_dict() for r in self.reports], "skipped": [s.to_dict() for s in self.skipped]}
