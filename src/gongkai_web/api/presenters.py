"""Plain data for the serializers: agencies, reports as a reader or the public sees them, and
the checker's findings (the library's ``Message.to_dict`` shape)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.messages import Message
from gongkai_web.orgs.models import Agency
from gongkai_web.reports import actions
from gongkai_web.reports.models import Report, ReportEvent, ReportVersion, Status


def agencies(rows: Iterable[Agency]) -> list[dict[str, Any]]:
    rows = list(rows)
    parents = {a.path[: -Agency.steplen] for a in rows if a.depth > 1}
    ids = dict(Agency.objects.filter(path__in=parents).values_list("path", "pk")) if parents else {}
    return [{"id": a.pk, "name": a.name, "kind": a.kind, "kind_label": a.kind_label, "level": a.level,
             "level_label": a.get_level_display(), "parent": ids.get(a.path[: -Agency.steplen]) if a.depth > 1 else None,
             "active": a.active} for a in rows]


def _version(v: ReportVersion) -> dict[str, Any]:
    return {"number": v.number, "published_at": v.published_at, "errors": v.errors, "warnings": v.warnings,
            "override_reason": v.override_reason}


def report(r: Report, readable: bool, *, document: bool = False) -> dict[str, Any]:
    """The report as this reader sees it: the working copy, or its latest published version."""
    versions = list(r.versions.all())  # prefetched, in order
    last = versions[-1] if versions else None
    data: dict[str, Any] = {
        "id": r.pk, "agency": r.agency_id, "agency_name": r.agency.name, "year": r.year, "format": r.format_id,
        "version": last.number if last else None, "published_at": last.published_at if last else None,
    }
    if readable:
        data.update(status=r.status, status_label=r.get_status_display(), view="working", revision=r.revision,
                    updated_at=r.updated_at, errors=r.errors, warnings=r.warnings)
    else:
        assert last is not None, "a report never published is not public"
        data.update(status=Status.PUBLISHED, status_label=Status.PUBLISHED.label, view="published", revision=None,
                    updated_at=None, errors=last.errors, warnings=last.warnings)
    if document:
        if readable:
            data["document"] = r.document
        else:
            shown = ReportVersion.objects.get(pk=last.pk)  # type: ignore[union-attr]
            data["document"] = shown.document
            data["format"] = shown.document.get("format", r.format_id)
        data["versions"] = [_version(v) for v in versions]
    return data


def version(v: ReportVersion) -> dict[str, Any]:
    return {**_version(v), "changes": list(v.changes or []), "document": v.document}


def events(rows: Iterable[ReportEvent]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "kind_label": e.get_kind_display(), "actor": e.actor.display if e.actor else None,
             "at": e.at, "revision": e.revision, "comment": e.comment, "changes": e.changes_list()} for e in rows]


def _message(m: Message) -> dict[str, Any]:
    return Message.to_dict(m)


def findings(r: Report) -> dict[str, Any]:
    """The checker's outcome on the working copy, last year's report linked: the one stored with
    the report (as the report page shows it), checked now only when it is missing or stale."""
    lib = actions.lib_report(r)
    outcome = actions.checked(r, lib)
    found = outcome.findings + outcome.reading
    counts = {k: sum(1 for f in outcome.findings if f.severity == k) for k in ("error", "warning", "info")}
    counts["reading"] = len(outcome.reading)
    return {"report": r.pk, "ref": str(r.pk), "label": lib.label, "agency": r.agency.name, "year": r.year,
            "revision": r.revision, "valid": counts["error"] == 0, "counts": counts,
            "findings": [_message(f) for f in found], "notices": [_message(n) for n in outcome.notices]}
