"""The checker's outcome on a report without running the checker when nothing it reads changed.

A report's outcome depends on the checker's code, the report's document (its revision and last
change), its agency's kind and last year's report (for the carry-over, stock and copying rules).
``key`` names all of them; ``actions`` stores the outcome under that key when a report is saved
(``ReportCheck``) and the report page shows it while the key still matches.  Last year's report
is read and digested once per process for its id and revision (``previous_digest``), so the live
check runs the single-report rules on the typed form and the across-year rules on the pair only.
Reads only: the writes are in ``actions``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import gongkai
from gongkai.messages import Message

from . import library
from .models import Report


@dataclass(frozen=True)
class PreviousRef:
    """Last year's report as far as the key needs it (its document is read only on a miss)."""

    pk: int
    revision: int
    updated_at: datetime | None
    kind: str

    @property
    def token(self) -> str:
        stamp = self.updated_at.timestamp() if self.updated_at else 0
        return f"{self.pk}.{self.revision}.{stamp}"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The checker's code and data: every file of the ``gongkai`` package (once per process), so
    an outcome stored by an older checker is never shown after an upgrade."""
    root = Path(gongkai.__file__).resolve().parent
    h = hashlib.blake2b(gongkai.__version__.encode(), digest_size=8)
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".toml", ".yaml", ".yml", ".txt", ".csv"):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def previous_ref(report: Report) -> PreviousRef | None:
    """Last year's report of the same agency (without its document), or None."""
    row = (Report.objects.filter(agency_id=report.agency_id, year=report.year - 1)
           .values_list("pk", "revision", "updated_at").first())
    return None if row is None else PreviousRef(*row, kind=report.agency.kind)  # the same agency


def ref_of(previous: Report | None) -> PreviousRef | None:
    """The ref of last year's report already read (with its agency)."""
    if previous is None:
        return None
    return PreviousRef(previous.pk, previous.revision, previous.updated_at, previous.agency.kind)


#: the stored form's version (part of the key: an outcome stored in an older form is checked again)
FORM = "2"


def key(report: Report, previous: PreviousRef | None) -> str:
    stamp = report.updated_at.timestamp() if report.updated_at else 0
    prev = previous.token if previous is not None else "-"
    return f"{fingerprint()}.{FORM}:{report.revision}.{stamp}:{report.agency.kind}:{prev}"


@lru_cache(maxsize=256)
def previous_digest(previous: PreviousRef) -> Any:
    """What the across-year rules read of last year's report, made once per id and revision."""
    document = Report.objects.values_list("document", flat=True).get(pk=previous.pk)
    return library.digest(library.load(document, kind=previous.kind, ref=str(previous.pk)))


def run(lib: library.LibReport, previous: PreviousRef | None) -> library.CheckOutcome:
    """The checker on ``lib`` with last year's report linked."""
    if previous is None:
        return library.check(lib)
    return library.check_against(lib, previous_digest(previous))


# -- stored form ------------------------------------------------------------------------------
def dumps(outcome: library.CheckOutcome) -> dict[str, Any]:
    """The messages whole (the API shows them as checked), but a finding's ``ref``: that is the
    report's id, known from where it is stored (``loads`` puts it back)."""
    def one(m: Message) -> dict[str, Any]:
        d = m.to_dict()
        d.pop("ref", None)
        return d

    return {"findings": [one(f) for f in outcome.findings], "reading": [one(f) for f in outcome.reading],
            "notices": [n.to_dict() for n in outcome.notices]}


def loads(data: dict[str, Any], ref: str | None = None) -> library.CheckOutcome:
    """The stored outcome; ``ref`` (the report's id) on each finding about the report, as the checker
    stamps it (a finding without a report, a rule's crash, has none)."""
    def one(d: dict[str, Any]) -> Message:
        return Message.from_dict({**d, "ref": ref} if d.get("report") is not None else d)

    return library.CheckOutcome(findings=[one(d) for d in data.get("findings", [])],
                                reading=[one(d) for d in data.get("reading", [])],
                                notices=[Message.from_dict(d) for d in data.get("notices", [])])
