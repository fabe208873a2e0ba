"""Every change to a report, one function per thing a person does.

Each function checks the permission (``gongkai_web.permissions``), changes the state inside one
transaction holding the report's row, and records a ``ReportEvent`` (django-simple-history records
the row's new state, with the actor).  Views and the API call these; nothing else writes reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai_web.orgs.models import Agency, User

from . import checks, library
from .diff import diff_documents
from .models import EventKind, Report, ReportCell, ReportCheck, ReportEvent, ReportVersion


class ActionError(Exception):
    """A request that cannot be carried out; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleRevision(ActionError):
    """The form was made from an older revision than the stored one."""

    def __init__(self, report: Report, seen: int) -> None:
        who = report.updated_by.display if report.updated_by else "其他人"
        when = timezone.localtime(report.updated_at).strftime("%Y年%m月%d日 %H:%M") if report.updated_at else ""
        super().__init__(f"保存未成功：您打开报告后，{who}已于{when}修改并保存了它（第{report.revision}次修改，"
                         f"您看到的是第{seen}次）。页面上已是对方保存的内容加上您的修改（尚未保存），您填写的内容没有丢失；"
                         f"请对照下方对方的修改核对后再次保存。")
        self.report = report
        self.seen = seen


class PublishBlocked(ActionError):
    def __init__(self, errors: int) -> None:
        super().__init__(f"报告还有{errors}个错误，不能发布。请退回修改，或在“带错误发布的理由”中写明理由后再发布。")
        self.errors = errors


@dataclass
class Edit:
    """A save of the workspace form: typed cells and texts (what a person entered)."""

    #: (table, row, column) → value already parsed by ``library.parse_cell`` (value, unit)
    cells: dict[tuple[str, str, str], tuple[Any, str | None]]
    sections: dict[str, str]
    preamble: str | None = None


def _require(user: User, perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def lib_report(report: Report) -> library.LibReport:
    """The saved report as the library's report (a copy the caller may change)."""
    return library.load_saved((report.pk, report.revision, report.updated_at, report.agency.kind),
                              lambda: report.document, kind=report.agency.kind, ref=str(report.pk))


def run_check(report: Report, lib: library.LibReport | None = None) -> library.CheckOutcome:
    """The checker on a report (or on an unsaved reading of it), last year's report linked."""
    return checks.run(lib if lib is not None else lib_report(report), checks.previous_ref(report))


def checked(report: Report, lib: library.LibReport | None = None, *,
            previous: Report | bool | None = True) -> library.CheckOutcome:
    """The outcome of the report as stored (for the report page): the one stored with it while
    nothing it depends on changed; otherwise checked now and stored (derived data, like
    ``ReportCell``: not a person's action, no event).  ``previous``: last year's report when the
    caller has read it already (None: there is none); read here by default."""
    ref = checks.previous_ref(report) if previous is True else checks.ref_of(previous or None)
    key = checks.key(report, ref)
    if Report.stored_check.related.is_cached(report):  # read with the report (select_related)
        row = getattr(report, "stored_check", None)
        stored = row.outcome if row is not None and row.key == key else None
    else:
        stored = ReportCheck.objects.filter(report_id=report.pk, key=key).values_list("outcome", flat=True).first()
    if stored is not None:
        return checks.loads(stored, ref=str(report.pk))
    outcome = checks.run(lib if lib is not None else lib_report(report), ref)
    _remember(report, key, outcome)
    return outcome


def _remember(report: Report, key: str, outcome: library.CheckOutcome) -> None:
    ReportCheck.objects.bulk_create([ReportCheck(report_id=report.pk, key=key, outcome=checks.dumps(outcome))],
                                    update_conflicts=True, unique_fields=["report"], update_fields=["key", "outcome"])


def _store(report: Report, lib: library.LibReport, actor: User) -> library.CheckOutcome:
    """Save the document, its derived cells, the check counts and the outcome (inside the
    caller's transaction)."""
    report.document = library.dump(lib)
    report.format_id = lib.format.id
    previous = checks.previous_ref(report)
    outcome = checks.run(lib, previous)
    report.errors, report.warnings = outcome.errors, outcome.warnings
    report.reading_notes = len(outcome.reading) + len(outcome.notices)
    report.updated_by = actor
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    _remember(report, checks.key(report, previous), outcome)
    ReportCell.objects.filter(report=report).delete()  # derived rows, not audited: rebuilt from the document
    ReportCell.objects.bulk_create([ReportCell(report=report, table=t, row=r, col=c, value=v, na=na)
                                    for t, r, c, v, na in library.cells(lib)])
    return outcome


def _event(report: Report, actor: User, kind: str, comment: str = "",
           changes: list[dict[str, Any]] | None = None) -> ReportEvent:
    return ReportEvent.objects.create(report=report, actor=actor, kind=kind, revision=report.revision,
                                      comment=comment, changes=changes or [])


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("agency").get(pk=report.pk)


# -- creating ---------------------------------------------------------------------------------
def create_report(actor: User, agency: Agency, year: int, *, start: str = "blank") -> Report:
    """A new report for ``agency`` and ``year`` in the format the year requires; ``start`` is
    ``blank`` or ``previous`` (last year's narrative as a starting point)."""
    _require(actor, "reports.create_report", agency)
    if Report.objects.filter(agency=agency, year=year).exists():
        raise ActionError(f"{agency.name}{year}年度报告已经存在，请直接打开")
    lib = library.blank(agency.name, agency.kind, year)
    note = "空白报告"
    if start == "previous":
        prev = Report.objects.filter(agency=agency, year=year - 1).first()
        if prev is None:
            raise ActionError(f"没有{year - 1}年度的报告，无法以上年报告为起点；请选择空白报告或导入文件")
        lib = library.from_previous(library.load(prev.document, kind=agency.kind), agency.name, agency.kind, year)
        note = f"以{year - 1}年度报告的文字为起点"
    return create_from(actor, agency, year, lib, note)


def create_from(actor: User, agency: Agency, year: int, lib: library.LibReport, note: str) -> Report:
    """A new report whose content a program made (a generated demo report, the ledger's tables)."""
    _require(actor, "reports.create_report", agency)
    lib.agency, lib.agency_kind, lib.agency_kind_guessed = agency.name, agency.kind, False
    try:
        with transaction.atomic():
            report = Report(agency=agency, year=year, format_id=lib.format.id)
            _store(report, lib, actor)
            _event(report, actor, EventKind.CREATED, note)
    except IntegrityError:
        raise ActionError(f"{agency.name}{year}年度报告已经存在，请直接打开") from None
    return report


def import_report(actor: User, agency: Agency, year: int, data: bytes, name: str) -> Report:
    """A report read from a published document.  Creates the year's report, or replaces the
    content of its draft (every changed cell recorded)."""
    _require(actor, "reports.create_report", agency)
    lib, printed = library.read_upload(data, name, agency=agency.name, kind=agency.kind, year=year)
    note = f"；文件中的机关名称为“{printed}”，已按本机关名称“{agency.name}”保存" if printed else ""
    with transaction.atomic():
        existing = Report.objects.select_for_update().filter(agency=agency, year=year).first()
        if existing is None:
            report = Report(agency=agency, year=year, format_id=lib.format.id, source_name=name[:255])
            _store(report, lib, actor)
            _event(report, actor, EventKind.IMPORTED, f"从文件“{name}”导入{note}")
            return report
        _require(actor, "reports.change_report", existing)
        old = existing.document
        existing.revision += 1
        existing.source_name = name[:255]
        _store(existing, lib, actor)
        _event(existing, actor, EventKind.IMPORTED, f"从文件“{name}”导入，替换了原有内容{note}",
               diff_documents(old, existing.document))
        return existing


# -- editing ----------------------------------------------------------------------------------
def save_report(actor: User, report: Report, *, revision: int, edit: Edit) -> Report:
    """Save the workspace form.  ``revision`` is the one the form was made from: a stale save is
    refused (``StaleRevision``) and nothing is written."""
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.change_report", current)
        if current.revision != revision:
            raise StaleRevision(current, revision)
        lib = apply_edit(lib_report(current), edit)
        old = current.document
        new_doc = library.dump(lib)
        changes = diff_documents(old, new_doc)
        if not changes:
            return current
        current.revision += 1
        _store(current, lib, actor)
        _event(current, actor, EventKind.EDITED, changes=changes)
    return current


def apply_edit(lib: library.LibReport, edit: Edit) -> library.LibReport:
    """The report with the form's values (a changed cell loses the provenance of its reading)."""
    for (tkey, row, col), (value, unit) in edit.cells.items():
        table = lib.table(tkey)
        cell = table.cell(row, col)
        if cell is not None and cell.value == value and (cell.unit or None) == (unit or None):
            continue
        table.set(row, col, value, unit=unit)
        table.present = True
    for key, text in edit.sections.items():
        lib.sections[key] = text.replace("\r\n", "\n")
    if edit.preamble is not None:
        lib.preamble = edit.preamble.replace("\r\n", "\n") or None
    return lib


def merge_stale(current: Report, seen: int, edit: Edit) -> tuple[library.LibReport, list[dict[str, Any]]]:
    """After a refused stale save: the person's own changes (against the revision their form was
    made from, found in the history) applied on top of the stored report — nothing either person
    wrote is lost.  Also returns the places both changed differently (the stored value is kept
    there and the place is named)."""
    base_row = current.history.filter(revision=seen).order_by("-history_date").first()
    merged = lib_report(current)
    if base_row is None:  # an unknown revision: show the person's form as they typed it
        return apply_edit(merged, edit), []
    base_doc = base_row.document
    mine = library.dump(apply_edit(library.load(base_doc, kind=current.agency.kind), edit))
    mine_changes = diff_documents(base_doc, mine)
    theirs = {_place(c): c for c in diff_documents(base_doc, current.document)}
    conflicts: list[dict[str, Any]] = []
    for change in mine_changes:
        other = theirs.get(_place(change))
        if other is not None and other["new"] != change["new"]:
            conflicts.append({**change, "theirs": other["new"]})
            continue
        if change["kind"] == "cell":
            table = merged.table(change["table"])
            value, unit = library.parse_cell(table.spec, change["row"], change["col"], change["new"])
            table.set(change["row"], change["col"], value, unit=unit)
        elif change["kind"] == "section":
            merged.sections[change["key"]] = change["new"]
        elif change["key"] == "preamble":
            merged.preamble = change["new"] or None
    return merged, conflicts


def _place(change: dict[str, Any]) -> tuple[str, ...]:
    return (change["kind"], change.get("table", ""), change.get("row", ""), change.get("col", ""),
            change.get("key", ""))


# -- workflow ---------------------------------------------------------------------------------
def submit_report(actor: User, report: Report) -> Report:
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.submit_report", current)
        current.submit()
        _save_state(current, actor)
        _event(current, actor, EventKind.SUBMITTED)
    return current


def approve_report(actor: User, report: Report, comment: str = "") -> Report:
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.approve_report", current)
        current.approve()
        _save_state(current, actor)
        _event(current, actor, EventKind.APPROVED, comment.strip())
    return current


def return_report(actor: User, report: Report, comment: str) -> Report:
    """退回修改, with the reason (required)."""
    if not comment.strip():
        raise ActionError("退回修改须写明意见，告诉填报人要改什么")
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.return_report", current)
        current.send_back()
        _save_state(current, actor)
        _event(current, actor, EventKind.RETURNED, comment.strip())
    return current


def publish_report(actor: User, report: Report, *, override_reason: str = "",
                   published_at: datetime | None = None) -> ReportVersion:
    """Publish: the working copy becomes the next public version.  Error findings block it unless
    the approver records a reason.  ``published_at`` (default now) is for recording a report
    that was published before it was entered here."""
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.publish_report", current)
        lib = lib_report(current)
        if lib.published is None:
            lib.published = timezone.localdate(published_at) if published_at else timezone.localdate()
        outcome = run_check(current, lib)
        reason = override_reason.strip()
        if outcome.errors and not reason:
            raise PublishBlocked(outcome.errors)
        last = current.versions.order_by("-number").first()
        document = library.dump(lib)
        changes = diff_documents(last.document, document) if last else []
        current.publish()
        current.revision += 1
        _store(current, lib, actor)
        version = ReportVersion.objects.create(
            report=current, number=(last.number + 1) if last else 1, document=document,
            published_at=published_at or timezone.now(), published_by=actor, changes=changes,
            override_reason=reason if outcome.errors else "", errors=outcome.errors, warnings=outcome.warnings)
        note = f"第{version.number}版" + (f"；带{outcome.errors}个错误发布，理由：{reason}" if outcome.errors else "")
        _event(current, actor, EventKind.PUBLISHED, note, changes)
    return version


def reopen_report(actor: User, report: Report) -> Report:
    """Start a change to a published report: the published versions stay public; the change is
    published as the next version."""
    with transaction.atomic():
        current = _locked(report)
        _require(actor, "reports.reopen_report", current)
        current.reopen()
        _save_state(current, actor)
        _event(current, actor, EventKind.REOPENED, "修订已发布的报告；发布后成为新版本，原版本仍公开")
    return current


def comment_report(actor: User, report: Report, text: str) -> ReportEvent:
    if not text.strip():
        raise ActionError("意见不能为空")
    _require(actor, "reports.comment_report", report)
    return _event(report, actor, EventKind.COMMENTED, text.strip())


def _save_state(report: Report, actor: User) -> None:
    report.updated_by = actor
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()


def published_on(version: ReportVersion) -> date | None:
    raw = (version.document or {}).get("published")
    return date.fromisoformat(raw) if raw else None


__all__ = [
    "ActionError",
    "Edit",
    "PublishBlocked",
    "StaleRevision",
    "approve_report",
    "checked",
    "comment_report",
    "create_from",
    "create_report",
    "import_report",
    "merge_stale",
    "publish_report",
    "reopen_report",
    "return_report",
    "run_check",
    "save_report",
    "submit_report",
]
