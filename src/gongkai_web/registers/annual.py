"""The annual tables as a query: an agency's year counted from its ledger and registers.

* ``year_tally(agency, year)`` — ``gongkai.ledger.tally`` over the stored requests (``cases``),
  appeals and registers: the library report and, for every cell, the cases counted in it.
* ``fill_draft(actor, agency, year)`` — the workspace's draft created or refreshed from that tally,
  through ``reports.actions`` (the tables' numbers; the overview's first draft stating them).
* ``lockable`` / ``cases_locked`` / ``locked_years`` / ``require_reason`` / ``record_late_change`` — after
  publication a year is locked: a change to its cases or registers needs a reason, reopens the
  report (the published version stays public) and refreshes its tables, so the next publication
  is a new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import transaction

from gongkai.errors import GongkaiError
from gongkai.ledger import (
    Appeal,
    Request,
    Tally,
    overview_text,  # the engine's own first-draft sentence
    tally,
)
from gongkai.ledger.catalogue import LEDGER_FORMAT
from gongkai_web.orgs.models import Agency, User
from gongkai_web.reports import actions as report_actions
from gongkai_web.reports import library
from gongkai_web.reports.models import Report, Status

from .queries import has_registers, registers_for

ActionError = report_actions.ActionError

#: the tables the ledger fills (表二 only when registers were entered)
LEDGER_TABLES = ("proactive", "requests", "appeals")
#: the first year the ledger counts (the 2021 format)
FIRST_YEAR = LEDGER_FORMAT.first_year
FILL_NOTE = "从依申请公开台账和登记簿统计生成"


def _ledger() -> Any | None:
    """``gongkai_web.cases.queries`` when the case ledger is installed."""
    if not apps.is_installed("gongkai_web.cases"):
        return None
    from gongkai_web.cases import queries

    return queries


def library_requests(agency: Agency, year: int) -> list[Request]:
    q = _ledger()
    return list(q.library_requests(agency, year)) if q is not None else []


def library_appeals(agency: Agency, year: int) -> list[Appeal]:
    q = _ledger()
    return list(q.library_appeals(agency, year)) if q is not None else []


def year_tally(agency: Agency, year: int, *, requests: Iterable[Request] | None = None) -> Tally:
    """The year's tables from the agency's stored cases and registers (``requests`` given: those)."""
    try:
        return tally(library_requests(agency, year) if requests is None else requests, year=year,
                     agency=agency.name, agency_kind=agency.kind, appeals=library_appeals(agency, year),
                     registers=registers_for(agency, year) if has_registers(agency, year) else None)
    except GongkaiError as e:
        raise ActionError(str(e)) from None


# -- filling the draft -----------------------------------------------------------------------
def _edit_from(t: Tally, current: library.LibReport, tables: tuple[str, ...] = LEDGER_TABLES) -> report_actions.Edit:
    """The workspace edit that puts the tally's numbers into ``current``: every counted cell of
    ``tables``; with table 三, the overview replaced while it is blank or still the generated
    sentence of the stored numbers (a person's own text is never overwritten) and the fee statement
    when blank."""
    cells: dict[tuple[str, str, str], tuple[Any, str | None]] = {}
    for tkey in tables:
        table = t.report.tables.get(tkey)
        if table is None or tkey not in current.tables:
            continue
        for row, col, cell in table.items():
            if cell.value is not None:
                cells[(tkey, row, col)] = (cell.value, cell.unit)
    sections: dict[str, str] = {}
    if "requests" not in tables:
        return report_actions.Edit(cells=cells, sections=sections)
    old = (current.sections.get("overview") or "").strip()
    generated = t.report.sections.get("overview") or ""
    if not old or old == overview_text(current).strip():
        sections["overview"] = generated
    elif generated not in old:
        pass  # the person's text stays; the checker compares it with the tables
    if not (current.sections.get("other") or "").strip() and t.report.sections.get("other"):
        sections["other"] = t.report.sections["other"]
    return report_actions.Edit(cells=cells, sections=sections)


def fill_draft(actor: User, agency: Agency, year: int, *, requests: Iterable[Request] | None = None) -> Report:
    """Create the year's draft from the ledger, or refresh the tables of the existing draft.  An
    existing draft of an agency that keeps no request in the ledger for the year keeps its own
    tables 三 and 四 (typed or imported); only table 二 is refreshed, when registers were entered."""
    if not actor.has_perm("registers.fill_tables", agency):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    libs = list(library_requests(agency, year) if requests is None else requests)
    t = year_tally(agency, year, requests=libs)
    report = Report.objects.filter(agency=agency, year=year).first()
    if report is None:
        return report_actions.create_from(actor, agency, year, t.report, FILL_NOTE)
    if not report.editable:
        hint = "；已发布的报告请先“修订”" if report.status == Status.PUBLISHED else "；请待退回修改后再统计"
        raise ActionError(f"{report}当前状态为“{report.get_status_display()}”，不能重新统计{hint}")
    current = report_actions.lib_report(report)
    if current.format.id != t.report.format.id:
        raise ActionError(f"{report}的格式（{current.format.id}）不是台账统计所用的格式（{t.report.format.id}）")
    tables = LEDGER_TABLES if libs else ("proactive",)
    return report_actions.save_report(actor, report, revision=report.revision, edit=_edit_from(t, current, tables))


# -- the lock after publication --------------------------------------------------------------
def lockable(year: int) -> bool:
    """Whether publishing ``year``'s report locks its cases and registers: only years the ledger
    counts (the 2021 format on) — an earlier report's tables were never counted from the ledger and
    cannot be refilled from it.  The one rule for every page and action that asks."""
    return year >= FIRST_YEAR


def cases_locked(agency: Agency, year: int, *, published: bool | None = None) -> bool:
    """Whether the agency's report for ``year`` has been published (its cases are then locked);
    ``published``: whether it has a published version, when the caller has read that already."""
    if not lockable(year):
        return False
    if published is None:
        published = Report.objects.filter(agency=agency, year=year, versions__isnull=False).exists()
    return published


def locked_years(agency: Agency, years: Iterable[int]) -> list[int]:
    ys = sorted(y for y in set(years) if lockable(y))
    return sorted(set(Report.objects.filter(agency=agency, year__in=ys, versions__isnull=False)
                      .values_list("year", flat=True)))


def request_years(received: Any, closed: Any | None, today: Any) -> range:
    """The report years a request is counted in: from the year of receipt to the year it closed
    (or this year while open) — 本年新收, 上年结转 / 结转下年度 and the outcome row."""
    last = closed.year if closed is not None else today.year
    return range(received.year, max(last, received.year) + 1)


def require_reason(agency: Agency, years: Iterable[int], reason: str) -> list[int]:
    """The locked years among ``years``; refused without a reason when there are any."""
    locked = locked_years(agency, years)
    if locked and not reason.strip():
        names = "、".join(f"{y}年度" for y in locked)
        raise ActionError(f"{agency.name}{names}的年度报告已经发布，这项修改会改变已发布的数字，须写明修改理由；"
                          f"保存后报告转为修订稿，重新发布即成为新版本")
    return locked


def record_late_change(actor: User, agency: Agency, years: Iterable[int], reason: str, what: str) -> list[Report]:
    """After a change to cases or registers of published years (``years``; others are ignored):
    each such report is reopened (if published), its tables refreshed when editable, and the reason
    recorded on it.  Call inside the transaction of the change, after storing it."""
    locked = locked_years(agency, years)
    if not locked:
        return []
    reason = reason.strip()
    if not reason:
        raise ActionError("已发布年度的修改须写明理由")
    out = []
    with transaction.atomic():
        for report in Report.objects.filter(agency=agency, year__in=locked).order_by("year"):
            if report.status == Status.PUBLISHED:
                report = report_actions.reopen_report(actor, report)
            note = "" if report.editable else "。报告正在审核，表格尚未更新：退回修改后请按台账重新统计"
            report_actions.comment_report(actor, report, f"已发布年度的台账修改：{what}。理由：{reason}{note}")
            if report.editable:
                report = fill_draft(actor, agency, report.year)
            out.append(report)
    return out
