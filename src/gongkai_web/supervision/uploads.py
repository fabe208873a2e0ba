"""The reports a supervisor uploaded for a batch check (``audits``), shown in the overview of a
year beside the agencies in the app (issue 11 item 4: the job "lists the results in the same view").

What is shown: every report the library read from the supervisor's own batches (an administrator:
every batch, as ``Audit.objects.for_user`` answers) whose year, as the library read it, is the
overview's year.  The same agency uploaded again (a later batch, or the same report twice) is shown
once, from the latest upload; the earlier ones are counted (``older``).

Matching: an uploaded report belongs to an agency of the app when their names are equal after the
library's agency normalisation (``gongkai.check.digest.normalise_agency``: white space removed,
full-width brackets as ASCII).  The database applies the same normalisation to the agencies' names
(``REPLACE``), so matching is one query whatever the number of uploads or agencies.

Cost: one query (whether the user has any batch) when there is none, four at most otherwise (the
batches still running; the uploads of the year; the agencies they match), whatever the number of
batches, reports or agencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Replace
from django.urls import reverse

from gongkai.check.digest import normalise_agency
from gongkai_web.audits.models import Audit, AuditEntry
from gongkai_web.orgs.models import Agency, User

from .overview import STAGES, Query

#: what normalise_agency removes or changes, as SQL can repeat it: (old, new)
_SQL_NORMALISATION = ((" ", ""), ("\u3000", ""), ("\t", ""), ("\n", ""), ("\r", ""), ("\xa0", ""),
                      ("（", "("), ("）", ")"))
#: the marker the overview and the export give every uploaded report
MARK = "上传核查"
#: uploaded reports listed on the overview's page (the worst first; all of them on request)
PAGE_ROWS = 50
_LABELS: dict[str, str] = {str(k): str(v) for k, v in AuditEntry.Status.choices}
_SHOWN = (AuditEntry.Status.OK, AuditEntry.Status.WARNINGS, AuditEntry.Status.ERRORS)


def normalised_name() -> Any:
    """The agency's name normalised in SQL the way ``normalise_agency`` does it in Python."""
    expr: Any = F("name")
    for old, new in _SQL_NORMALISATION:
        expr = Replace(expr, Value(old), Value(new))
    return expr


@lru_cache(maxsize=1)
def _entry_url() -> str:
    return reverse("audits:entry", kwargs={"pk": 987654321, "position": 123456789}) \
        .replace("987654321", "{pk}").replace("123456789", "{position}")


@lru_cache(maxsize=1)
def _report_url() -> str:
    return reverse("reports:detail", args=[987654321]).replace("987654321", "{}")


@dataclass(slots=True)
class Uploaded:
    """One uploaded report of the year, as the library read it, and the app's agency it matches."""

    audit_id: int
    position: int
    batch: str
    uploaded_at: datetime
    source: str
    label: str
    agency: str
    year: int
    status: str
    errors: int
    warnings: int
    notices: int
    key: str
    #: the app's agency of the same normalised name (None: not in the app, or outside the subtree)
    agency_id: int | None = None
    agency_name: str = ""
    report_id: int | None = None
    stage: str = ""
    overdue: bool = False
    #: earlier uploads of the same agency and year (not shown)
    older: int = 0

    @property
    def status_label(self) -> str:
        return _LABELS.get(self.status, self.status)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, "")

    @property
    def url(self) -> str:
        return _entry_url().format(pk=self.audit_id, position=self.position)

    @property
    def report_url(self) -> str:
        return _report_url().format(self.report_id) if self.report_id else ""


@dataclass
class Uploads:
    #: every uploaded report of the year in scope (the latest upload of each agency)
    all: list[Uploaded] = field(default_factory=list)
    #: those the overview's query keeps (name contains the text; errors only)
    rows: list[Uploaded] = field(default_factory=list)
    #: app agency id → its uploaded report
    by_agency: dict[int, Uploaded] = field(default_factory=dict)
    #: the user's batches still being checked: (id, title, files read, files to read); their
    #: reports join the list as the job reads them
    running: list[tuple[int, str, int, int]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.all or self.running)

    def page(self, every: bool = False) -> list[Uploaded]:
        """The rows the overview lists: the first ``PAGE_ROWS`` unless ``every`` one is asked for
        (the export has them all)."""
        return self.rows if every else self.rows[:PAGE_ROWS]

    @property
    def total(self) -> int:
        return len(self.all)

    @property
    def with_errors(self) -> int:
        return sum(1 for u in self.all if u.errors)

    @property
    def errors(self) -> int:
        return sum(u.errors for u in self.all)

    @property
    def warnings(self) -> int:
        return sum(u.warnings for u in self.all)

    @property
    def notices(self) -> int:
        return sum(u.notices for u in self.all)

    @property
    def matched(self) -> int:
        return sum(1 for u in self.all if u.agency_id is not None)

    @property
    def unmatched(self) -> int:
        return self.total - self.matched


_ENTRY_FIELDS = ("audit_id", "position", "audit__title", "audit__created_at", "source", "label", "agency", "year",
                 "status", "errors", "warnings", "notices")


def collect(user: User, year: int, annotated: QuerySet[Agency] | Callable[[], QuerySet[Agency]], q: Query, *,
            whole: bool) -> Uploads:
    """The uploaded reports of ``year`` the user may see, matched with the agencies of the
    ``annotated`` overview queryset (``overview.annotated``; or a function building it, called only
    when there is an upload to match).  ``whole``: the user's own scope, where
    reports of agencies not in the app are listed too; in a narrower subtree only those matching one
    of its agencies are."""
    batches = Audit.objects.for_user(user)
    if not batches.exists():  # most supervisors never upload: one cheap query instead of two
        return Uploads()
    running = list(batches.filter(status__in=(Audit.Status.QUEUED, Audit.Status.RUNNING)).order_by("created_at", "pk")
                   .values_list("pk", "title", "done", "total"))
    entries = (AuditEntry.objects.filter(audit__in=batches, year=year, status__in=_SHOWN)
               .order_by("-audit__created_at", "-audit_id", "position").values_list(*_ENTRY_FIELDS))
    latest: dict[str, Uploaded] = {}
    for audit_id, position, batch, at, source, label, agency, year_, status, errors, warnings, notices in entries:
        key = normalise_agency(agency) or f"#{audit_id}/{position}"  # no agency read: a row of its own
        up = Uploaded(audit_id, position, batch, at, source, label, agency, year_, status, errors, warnings, notices,
                      key)
        if up.key in latest:
            latest[up.key].older += 1
        else:
            latest[up.key] = up
    if not latest:
        return Uploads(running=running)
    if callable(annotated):
        annotated = annotated()
    agencies = (annotated.annotate(nk=normalised_name()).filter(nk__in=list(latest)).order_by("path")
                .values_list("pk", "name", "nk", "r__pk", "stage", "overdue"))
    out = Uploads(running=running)
    for pk, name, key, report_id, stage, overdue in agencies:
        up = latest[key]
        if up.agency_id is None:  # two agencies of one normalised name: the first in the tree
            up.agency_id, up.agency_name, up.report_id, up.stage, up.overdue = pk, name, report_id, stage, overdue
            out.by_agency[pk] = up
    out.all = [u for u in latest.values() if whole or u.agency_id is not None]
    out.all.sort(key=lambda u: (-u.errors, -u.warnings, u.agency, u.source))  # the worst first
    out.rows = [u for u in out.all if keeps(q, u)]
    return out


def keeps(q: Query, up: Uploaded) -> bool:
    """Whether the overview's query keeps an uploaded report (its agency's name as read or as in the
    app contains the text; errors only).  The stage and kind filters are the app's agencies' own."""
    if q.text and q.text not in up.agency and q.text not in up.agency_name:
        return False
    return not (q.errors_only and not up.errors)
