"""What a batch run writes: the terminal summary, JSON, an XLSX workbook, an HTML page with charts.

``Collector`` takes results as they stream in and keeps only counts; each report's result is
spooled to a temporary JSON-lines file, which the writers read back at the end (memory stays flat).
The JSON document is ``CheckResult.to_dict()``, written as it streams.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import IO, Any

from .digest import normalise_agency
from .engine import Finding
from .result import ReportResult, Skipped, summary_line

UNKNOWN_AGENCY = "（未知机关）"
_SLOT = {"error": 2, "warning": 3, "info": 4, "reading": 5}


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet or terminal (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Collector:
    """Results of a run as they stream in: counts in memory, each report spooled to disk."""

    def __init__(self) -> None:
        self.spool: IO[bytes] = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed by close()
        #: (report index, where its line starts in the spool): the writers give the reports in
        #: input order even when some came late (``check.years``)
        self._lines: list[tuple[int, int]] = []
        self.counts: Counter[str] = Counter()
        #: findings by id: all of them, and the reading notices alone
        self.by_rule: Counter[str] = Counter()
        self.by_rule_reading: Counter[str] = Counter()
        self.reports = 0
        self.unreadable: list[tuple[str, str]] = []
        self.skipped: list[Skipped] = []
        #: normalised agency name → [shown name, reports, errors, warnings, infos, reading notices]
        self.agencies: dict[str, list[Any]] = {}
        #: year → {reports, new, granted, review, suits, error}
        self.years: dict[int, Counter[str]] = defaultdict(Counter)
        #: report index → (agency key, year): where an across-report finding is counted
        self._owner: dict[int, tuple[str, int | None]] = {}
        #: report index → its across-report findings (merged into the report when written)
        self.across: dict[int, list[Finding]] = defaultdict(list)
        #: the widest file name (for the XLSX columns)
        self.widest_source = 10

    def _agency(self, name: str | None) -> str:
        key = normalise_agency(name) or UNKNOWN_AGENCY
        if key not in self.agencies:
            self.agencies[key] = [name or UNKNOWN_AGENCY, 0, 0, 0, 0, 0]
        return key

    def add(self, res: ReportResult) -> None:
        d = res.to_dict()
        self._lines.append((res.index, self.spool.tell()))
        self.spool.write(json.dumps(d, ensure_ascii=False, default=str).encode("utf-8") + b"\n")
        if res.source:
            self.widest_source = max(self.widest_source, display_width(res.source))
        if not res.read:
            self.unreadable.append((res.source or res.label or "", res.unreadable or ""))
            self.counts["unreadable"] += 1
            return
        self.reports += 1
        key = self._agency(res.agency)
        self.agencies[key][1] += 1
        self._owner[res.index] = (key, res.year)
        if res.year is not None:
            y = self.years[res.year]
            y["reports"] += 1
            if res.digest is not None:
                for k, v in res.digest.totals.items():
                    y[k] += v
        for f in res.findings:
            self._count(f, key, res.year)

    def add_across(self, index: int, f: Finding) -> None:
        """An across-report finding of the report at ``index`` (counted under its agency and year)."""
        self.across[index].append(f)
        key, year = self._owner.get(index, (self._agency(None), None))
        self._count(f, key, year)

    def _count(self, f: Finding, agency_key: str, year: int | None) -> None:
        slot = "reading" if f.about == "reading" else f.severity
        self.counts[slot] += 1
        self.by_rule[f.id] += 1
        if slot == "reading":
            self.by_rule_reading[f.id] += 1
        self.agencies[agency_key][_SLOT[slot]] += 1
        if year is not None and slot == "error":
            self.years[year]["error"] += 1

    def results(self) -> Iterator[ReportResult]:
        """Every report's result, in input order, with its across-report findings."""
        self.spool.flush()
        for _, at in sorted(self._lines):
            self.spool.seek(at)
            rr = ReportResult.from_dict(json.loads(self.spool.readline()))
            rr.findings.extend(self.across.get(rr.index, ()))
            yield rr
        self.spool.seek(0, 2)

    def findings(self) -> Iterator[tuple[ReportResult, Finding]]:
        for rr in self.results():
            for f in rr.findings:
                yield rr, f

    @property
    def valid(self) -> bool:
        return not self.counts["error"] and not self.counts["unreadable"]

    def summary_dict(self) -> dict[str, Any]:
        """As ``CheckResult.summary_dict``."""
        c = self.counts
        return {"reports": self.reports, "error": c["error"], "warning": c["warning"], "info": c["info"],
                "reading": c["reading"], "unreadable": c["unreadable"], "skipped": len(self.skipped),
                "by_rule": dict(sorted(self.by_rule.items()))}

    def summary(self) -> str:
        c = self.counts
        return summary_line(c["error"], c["warning"], c["info"], c["unreadable"], c["reading"], len(self.skipped))

    def close(self) -> None:
        self.spool.close()


# -- terminal ------------------------------------------------------------------------------------

READING_MARK = "〔读取提示，不是报告的问题〕"


def finding_lines(f: Finding) -> list[str]:
    """A finding for the terminal; a reading notice is marked as such."""
    line = f.line()
    if f.about == "reading":
        head, sep, _ = line.partition(f"{f.id} ")
        line = f"{head}{sep}{READING_MARK}{f.message}"
    lines = [line]
    if f.hint:
        lines.append(f"  提示：{f.hint}")
    return lines


# -- JSON ------------------------------------------------------------------------------------------

def write_json(c: Collector, path: str) -> None:
    """``CheckResult.to_dict()`` of the run, written as it streams."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        out.write(f'"valid": {json.dumps(c.valid)},\n')
        out.write(f'"summary": {json.dumps(c.summary_dict(), ensure_ascii=False)},\n')
        out.write('"reports": [\n')
        first = True
        for rr in c.results():
            out.write(("" if first else ",\n") + json.dumps(rr.to_dict(), ensure_ascii=False, default=str))
            first = False
        out.write("\n],\n")
        out.write('"skipped": ' + json.dumps([s.to_dict() for s in c.skipped], ensure_ascii=False) + "\n}\n")


def write_xlsx(c: Collector, path: str) -> None:
    from .outputs_xlsx import write_xlsx as _write

    _write(c, path)


def write_html(c: Collector, path: str) -> None:
    from .outputs_html import write_html as _write

    _write(c, path)
