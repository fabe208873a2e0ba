"""Every change to the case ledger, one function per thing a person does.

Each function checks the permission (``cases.permissions``), asks the engine (``gongkai.ledger``)
whether the step may be taken — rebuilding the request from its stored events and adding the new
event with ``today``, so a refusal is the engine's Chinese message and nothing is stored — then, in
one transaction holding the request's row, stores the event and refreshes the columns the lists
read (``refresh``).  Views and commands call these; nothing else writes the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from gongkai.calendar import CalendarError, parse_arrangement
from gongkai.ledger import (
    APPLICANT_KINDS,
    CLOSING,
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Delivered,
    Event,
    Extended,
    FeeNotice,
    FeeNotPaid,
    FeePaid,
    LedgerError,
    LongerPeriod,
    Moved,
    NoCorrection,
    ReasonsAsked,
    Received,
    Withdrawn,
    WorkingDays,
    clock,
    redate,
    working_days,
)
from gongkai.ledger import Request as LibRequest
from gongkai.ledger.records import APPEAL_KINDS, APPEAL_RESULTS
from gongkai_web.orgs.models import Agency, User

from . import importing, letters, queries, workcal
from .models import (
    Appeal,
    CalendarArrangement,
    Collect,
    Delivery,
    DisclosureRequest,
    IdType,
    LetterTemplate,
    PersonalDataView,
    RequestEvent,
    StagedImport,
)

#: what an imported request without an applicant or subject shows
UNNAMED = queries.UNNAMED


class ActionError(Exception):
    """A step that cannot be taken; ``message`` says why in Chinese.  Nothing was stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(user: User | None, perm: str, obj: Any) -> None:
    # ``user=None`` is the system itself (the daily command, demo data)
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else timezone.localdate()


def _engine(e: LedgerError) -> ActionError:
    return ActionError(str(e))


# -- the columns lists read -------------------------------------------------------------------------
def refresh(row: DisclosureRequest, lib: LibRequest | None = None, *, today: dt.date | None = None,
            wd: WorkingDays | None = None, save: bool = True) -> DisclosureRequest:
    """Copy the engine's clock (status, due date, days left, outcome, closing date) onto the row."""
    lib = lib if lib is not None else queries.library_request(row)
    c = clock(lib, wd if wd is not None else workcal.current(), today=_today(today))
    row.status = c.status
    row.pause_reason = c.reason or ""
    row.due = c.due
    row.days_left = c.days_left
    row.outcome = lib.outcome or ""
    row.closed_on = lib.closed_on
    row.provisional = c.provisional
    row.calendar = c.calendar[:120]
    row.computed_on = c.today
    if save:
        row.save(update_fields=["status", "pause_reason", "due", "days_left", "outcome", "closed_on",
                                "provisional", "calendar", "computed_on", "updated_at"])
    return row


_REFRESHED = ["status", "pause_reason", "due", "days_left", "outcome", "closed_on", "provisional", "calendar",
              "computed_on"]


def refresh_open(agencies: QuerySet[Agency] | None = None, *, today: dt.date | None = None,
                 batch: int = 2000) -> int:
    """The daily job: recompute every open request's status for ``today``; returns how many."""
    today = _today(today)
    wd = workcal.current()
    qs = DisclosureRequest.objects.filter(closed_on__isnull=True)
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    n = 0
    pks = list(qs.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(pks), batch):
        chunk = DisclosureRequest.objects.filter(pk__in=pks[i:i + batch])
        libs = {int(r.ref or 0): r for r in queries._rebuild(chunk)}
        rows = list(chunk)
        # one UPDATE per changed row: Django's bulk_update builds a CASE per field and row, which
        # costs more than the statements it saves (~15 ms of Python per row)
        with transaction.atomic():
            for row in rows:
                before = [getattr(row, f) for f in _REFRESHED]
                refresh(row, libs[row.pk], today=today, wd=wd, save=False)
                after = {f: getattr(row, f) for f in _REFRESHED}
                if list(after.values()) != before:
                    DisclosureRequest.objects.filter(pk=row.pk).update(**after)
        n += len(rows)
    return n


# -- intake -------------------------------------------------------------------------------------------
_NEEDS = {"in_person": "submitted", "post": "signed"}


def intake(actor: User | None, agency: Agency, *, channel: str, day: dt.date | None = None, arrived: dt.date | None = None,
           applicant_kind: str, applicant_name: str, subject: str, id_type: str = "", id_number: str = "",
           phone: str = "", address: str = "", email: str = "", delivery: str = Delivery.PAPER,
           collect: str = Collect.POST, pieces: int = 1, today: dt.date | None = None,
           note: str = "", change_reason: str = "") -> DisclosureRequest:
    """登记一件申请: the date of receipt from the channel's rule (条例第三十一条) through the engine,
    a tracking number for the agency and year, and a link to an earlier identical request."""
    _require(actor, "cases.handle_request", agency)
    today = _today(today)
    applicant_name, subject = applicant_name.strip(), subject.strip()
    if applicant_kind not in APPLICANT_KINDS:
        raise ActionError("请选择申请人类型（自然人或法人或其他组织的一类）")
    if not applicant_name:
        raise ActionError("请填写申请人姓名或名称")
    if not subject:
        raise ActionError("请填写所需政府信息的名称、文号或便于查询的其他特征性描述")
    if id_type and id_type not in IdType.values:
        raise ActionError("证件类型无法识别")
    if delivery not in Delivery.values or collect not in Collect.values:
        raise ActionError("请选择信息的提供形式和获取方式")
    if not isinstance(pieces, int) or not 1 <= pieces <= 999:
        raise ActionError("计件数应为1—999的整数")
    need = _NEEDS.get(channel, "confirmed")
    try:
        received = Received.on_channel(channel, arrived=arrived, **{need: day})
        LibRequest("新申请", applicant_kind).add(received, today=today)
    except LedgerError as e:
        raise ActionError(e.message) from None  # the message, without the placeholder request id
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one tracking number at a time
        year = received.date.year
        locked = _locked(actor, agency, [year], change_reason)
        seq = (DisclosureRequest.objects.filter(agency=agency, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
        while DisclosureRequest.objects.filter(agency=agency, number=f"{year}-{seq:04d}").exists():
            seq += 1  # a number an imported 台账 already used
        dup = queries.duplicates(agency, applicant_name, id_number.strip(), subject)
        row = DisclosureRequest.objects.create(
            agency=agency, year=year, seq=seq, number=f"{year}-{seq:04d}", channel=channel,
            received_on=received.date, applicant_kind=applicant_kind, applicant_name=applicant_name,
            id_type=id_type, id_number=id_number.strip(), phone=phone.strip(), address=address.strip(),
            email=email.strip(), subject=subject, delivery=delivery, collect=collect, pieces=pieces,
            duplicate_of=dup[-1] if dup else None, created_by=actor)
        RequestEvent.objects.create(request=row, seq=1, type=received.type, date=received.date,
                                    data=received.to_dict(), actor=actor, note=note)
        refresh(row, today=today)
        _late_change(actor, agency, locked, change_reason, f"补登申请{row.number}（{received.describe()}）")
    return row


# -- handling: one engine event per step --------------------------------------------------------------
def _locked(actor: User | None, agency: Agency, years: Iterable[int], reason: str) -> list[int]:
    """The published years among ``years`` (their report is locked): refused without a reason.
    The system itself (``actor=None``: demo data, set-up) is not held to the lock."""
    if actor is None:
        return []
    from gongkai_web.registers import annual

    try:
        return annual.require_reason(agency, years, reason)
    except annual.ActionError as e:
        raise ActionError(e.message) from None


def _late_change(actor: User | None, agency: Agency, years: list[int], reason: str, what: str) -> None:
    """A change to a published year: its report reopened with the reason recorded (registers)."""
    if years and actor is not None:
        from gongkai_web.registers import annual

        annual.record_late_change(actor, agency, years, reason, what)


def _record(actor: User | None, row: DisclosureRequest, event: Event, *, today: dt.date | None = None,
            note: str = "", change_reason: str = "") -> DisclosureRequest:
    """Store one step.  A step that changes a published year's numbers (a closing step — its
    outcome row — or a fee notice or payment — the fee statement — dated in that year) needs
    ``change_reason`` and reopens that year's report for a new version; other steps (补正, 征求意见,
    延期, 送达 …) change no published number and need none."""
    _require(actor, "cases.handle_request", row)
    today = _today(today)
    with transaction.atomic():
        row = DisclosureRequest.objects.select_for_update().select_related("agency").get(pk=row.pk)
        lib = queries.library_request(row)
        try:
            lib.add(event, today=today)
        except LedgerError as e:
            raise _engine(e) from None
        counted = event.type in CLOSING or event.type in ("fee_notice", "fee_paid")
        locked = _locked(actor, row.agency, [event.date.year] if counted else [], change_reason)
        seq = RequestEvent.objects.filter(request=row).count() + 1
        RequestEvent.objects.create(request=row, seq=seq, type=event.type, date=event.date, data=event.to_dict(),
                                    actor=actor, note=note + (f"（已发布年度的修改，理由：{change_reason.strip()}）"
                                                              if locked else ""))
        refresh(row, lib, today=today)
        _late_change(actor, row.agency, locked, change_reason, f"申请{row.number}：{event.describe()}")
    return row


def request_correction(actor: User | None, row: DisclosureRequest, *, on: dt.date, days: int, items: str,
                       today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """告知补正 (条例第三十条)."""
    if not items.strip():
        raise ActionError("请写明需要补正的事项（应一次性告知）")
    return _record(actor, row, CorrectionRequested(on, days=days, items=items.strip()), today=today,
                   change_reason=change_reason)


def receive_correction(actor: User | None, row: DisclosureRequest, *, on: dt.date,
                       today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """收到补正后的申请: the reply period restarts."""
    return _record(actor, row, Corrected(on), today=today,
                   change_reason=change_reason)


def no_correction(actor: User | None, row: DisclosureRequest, *, on: dt.date,
                  today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """逾期未补正: closes as 其他处理：申请人逾期不补正."""
    return _record(actor, row, NoCorrection(on), today=today,
                   change_reason=change_reason)


def start_consultation(actor: User | None, row: DisclosureRequest, *, on: dt.date, party: str, whom: str,
                       today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """征求第三方（第三十二条）或其他机关（第三十四条）意见."""
    if not whom.strip():
        raise ActionError("请写明征求意见的对象")
    return _record(actor, row, ConsultationStarted(on, party=party, whom=whom.strip()), today=today,
                   change_reason=change_reason)


def consultation_answered(actor: User | None, row: DisclosureRequest, *, on: dt.date, whom: str = "",
                          today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    return _record(actor, row, ConsultationAnswered(on, whom=whom.strip()), today=today,
                   change_reason=change_reason)


def extend(actor: User | None, row: DisclosureRequest, *, on: dt.date, days: int, approver: str, reason: str,
           today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """延期答复 (条例第三十三条): once, at most 20 working days, approved by the head of the office."""
    return _record(actor, row, Extended(on, days=days, approver=approver.strip(), reason=reason.strip()),
                   today=today,
                   change_reason=change_reason)


def send_fee_notice(actor: User | None, row: DisclosureRequest, *, on: dt.date, method: str,
                    pages: int | None = None, served: dt.date | None = None,
                    today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """发出收费通知, the amount as the engine computes it (费办法); refused below the threshold."""
    try:
        w = queries.fee_working(row, method, pages)
    except queries.FeeRefused as e:
        raise ActionError(e.message) from None
    if not w.chargeable:
        raise ActionError(f"未达到收费标准，不应收费：{w.explain()}")
    position = w.first if method == "piece" else None
    notice = FeeNotice(on, method=method, amount=Decimal(w.amount), pages=pages if method == "page" else None,
                       position=position, served=served)
    return _record(actor, row, notice, today=today,
                   change_reason=change_reason)


def fee_paid(actor: User | None, row: DisclosureRequest, *, on: dt.date,
             today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    return _record(actor, row, FeePaid(on), today=today,
                   change_reason=change_reason)


def fee_not_paid(actor: User | None, row: DisclosureRequest, *, on: dt.date,
                 today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """逾期未缴费: closes as 其他处理：申请人逾期未缴纳费用."""
    return _record(actor, row, FeeNotPaid(on), today=today,
                   change_reason=change_reason)


def ask_reasons(actor: User | None, row: DisclosureRequest, *, on: dt.date,
                today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """要求申请人说明理由 (条例第三十五条)."""
    return _record(actor, row, ReasonsAsked(on), today=today,
                   change_reason=change_reason)


def set_longer_period(actor: User | None, row: DisclosureRequest, *, on: dt.date, until: dt.date | None,
                      reason: str, today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    return _record(actor, row, LongerPeriod(on, until=until, reason=reason.strip()), today=today,
                   change_reason=change_reason)


def decide(actor: User | None, row: DisclosureRequest, *, on: dt.date, outcome: str, ground: str = "",
           today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """作出答复: exactly one outcome (a table 三 row) with its legal ground."""
    if not outcome:
        raise ActionError("请选择一个办理结果（表三的一行）")
    return _record(actor, row, Decided(on, outcome=outcome, ground=ground.strip() or None), today=today,
                   change_reason=change_reason)


def deliver(actor: User | None, row: DisclosureRequest, *, on: dt.date, how: str = "",
            today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    return _record(actor, row, Delivered(on, how=how.strip()), today=today,
                   change_reason=change_reason)


def withdraw(actor: User | None, row: DisclosureRequest, *, on: dt.date,
             today: dt.date | None = None, change_reason: str = "") -> DisclosureRequest:
    """申请人撤回: closes as 其他处理：其他."""
    return _record(actor, row, Withdrawn(on), today=today,
                   change_reason=change_reason)


# -- personal data -------------------------------------------------------------------------------------
def view_personal(actor: User, row: DisclosureRequest, what: str = "证件号码、联系电话") -> DisclosureRequest:
    """Show an applicant's ID and phone numbers to one of the agency's handlers, and log it."""
    _require(actor, "cases.view_personal", row)
    PersonalDataView.objects.create(user=actor, request=row, what=what)
    return row


# -- calendar --------------------------------------------------------------------------------------------
def load_arrangement(actor: User | None, text: str, *, today: dt.date | None = None
                     ) -> tuple[CalendarArrangement, list[tuple[DisclosureRequest, Moved]]]:
    """载入放假安排 (a new year's 国务院 notice or a local adjustment): store it, re-date every open
    request with the engine and return which due dates moved (each with its request row)."""
    _require(actor, "orgs.manage_agencies", None)
    today = _today(today)
    try:
        arr = parse_arrangement(text, where="放假安排")
    except CalendarError as e:
        raise ActionError(str(e)) from None
    with transaction.atomic():
        old = workcal.current()
        row = CalendarArrangement.objects.create(year=arr.year, text=text, notice=arr.notice or "", loaded_by=actor)
        new = working_days(workcal.build())
        open_rows = DisclosureRequest.objects.filter(closed_on__isnull=True)
        moved: list[tuple[DisclosureRequest, Moved]] = []
        for lib in queries._rebuild(open_rows):  # numbers repeat across agencies: one request at a time
            for m in redate([lib], old, new, today=today):
                req = DisclosureRequest.objects.select_related("agency").get(pk=int(lib.ref or 0))
                moved.append((refresh(req, lib, today=today, wd=new), m))
    return row, moved


# -- appeals ---------------------------------------------------------------------------------------------
def add_appeal(actor: User | None, agency: Agency, *, number: str, kind: str, filed: dt.date | None,
               requests: Iterable[DisclosureRequest] = (), note: str = "",
               today: dt.date | None = None, change_reason: str = "") -> Appeal:
    """登记行政复议或行政诉讼案件 (table 四), linked to the requests it concerns."""
    _require(actor, "cases.handle_appeal", agency)
    number = number.strip()
    if not number:
        raise ActionError("请填写案件编号")
    if kind not in APPEAL_KINDS:
        raise ActionError(f"类别应为{'、'.join(APPEAL_KINDS.values())}之一")
    if filed is None:
        raise ActionError("请填写收到复议申请书或起诉状副本的日期")
    if filed > _today(today):
        raise ActionError("收到日期晚于今天，不能登记尚未发生的事")
    reqs = list(requests)
    if any(r.agency_id != agency.pk for r in reqs):
        raise ActionError("涉及的申请应为本机关的申请")
    if Appeal.objects.filter(agency=agency, number=number).exists():
        raise ActionError(f"案件编号“{number}”已经登记过")
    with transaction.atomic():
        locked = _locked(actor, agency, [filed.year], change_reason)
        appeal = Appeal.objects.create(agency=agency, number=number, kind=kind, filed=filed, note=note.strip(),
                                       created_by=actor)
        appeal.requests.set(reqs)
        _late_change(actor, agency, locked, change_reason, f"补登复议诉讼案件{number}")
    return appeal


def conclude_appeal(actor: User | None, appeal: Appeal, *, decided: dt.date | None, result: str,
                    today: dt.date | None = None, change_reason: str = "") -> Appeal:
    """记录复议或诉讼的结果 (结果维持 / 结果纠正 / 其他结果)."""
    _require(actor, "cases.handle_appeal", appeal)
    if decided is None:
        raise ActionError("请填写审结日期")
    if result not in APPEAL_RESULTS:
        raise ActionError(f"结果应为{'、'.join(APPEAL_RESULTS.values())}之一")
    if decided < appeal.filed:
        raise ActionError("审结日期早于收到日期")
    if decided > _today(today):
        raise ActionError("审结日期晚于今天，不能记录尚未发生的事")
    if appeal.decided is not None:
        raise ActionError("该案件已经记录过结果")
    with transaction.atomic():
        locked = _locked(actor, appeal.agency, [decided.year], change_reason)
        appeal.decided, appeal.result = decided, result
        appeal.save(update_fields=["decided", "result"])
        _late_change(actor, appeal.agency, locked, change_reason, f"复议诉讼案件{appeal.number}的结果")
    return appeal


# -- import of an Excel 台账 -------------------------------------------------------------------------
def stage_import(actor: User, agency: Agency, data: bytes, name: str, sha: str) -> StagedImport:
    """Keep a workbook whose preview was clean until the person confirms it: one per person and
    agency (an earlier one is dropped), none older than a day."""
    _require(actor, "cases.import_ledger", agency)
    with transaction.atomic():
        StagedImport.objects.filter(staged_by=actor, agency=agency).delete()
        StagedImport.objects.filter(staged_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        return StagedImport.objects.create(agency=agency, staged_by=actor, name=name[:255], sha=sha, data=data)


def import_ledger(actor: User | None, agency: Agency, data: bytes, name: str, *,
                  today: dt.date | None = None, change_reason: str = "") -> importing.Preview:
    """导入台账: read the workbook with the engine; if any row is bad, store nothing and return the
    preview listing every problem; otherwise store every request (its events as the sheet records
    them, replayed without the strict checks) and appeal in one transaction."""
    _require(actor, "cases.import_ledger", agency)
    today = _today(today)
    pre = importing.preview(agency, data, name, today)
    if not pre.ok or pre.book is None:
        return pre
    book = pre.book
    years = {e.date.year for r in book.requests for e in r.events} | {a.filed.year for a in book.appeals}
    with transaction.atomic():
        locked = _locked(actor, agency, years, change_reason)
        rows = store_history(actor, agency, book.requests, note=f"由台账“{name}”导入", imported=True, today=today)
        for a in book.appeals:
            appeal = Appeal.objects.create(agency=agency, number=a.id, kind=a.kind, filed=a.filed, decided=a.decided,
                                           result=a.result or "", note=f"由台账“{name}”导入", created_by=actor)
            linked = [rows[x] for x in a.requests if x in rows]
            linked += list(DisclosureRequest.objects.filter(agency=agency, number__in=[x for x in a.requests
                                                                                       if x not in rows]))
            appeal.requests.set(linked)
        _late_change(actor, agency, locked, change_reason, f"导入台账“{name}”")
        if actor is not None:  # the workbook kept for the confirmation is no longer needed
            StagedImport.objects.filter(staged_by=actor, agency=agency).delete()
    return pre


def store_history(actor: User | None, agency: Agency, requests: Iterable[LibRequest], *, note: str,
                  imported: bool, today: dt.date, contacts: dict[str, dict[str, str]] | None = None
                  ) -> dict[str, DisclosureRequest]:
    """Store requests whose history happened elsewhere (an imported 台账, demo data): each with its
    events as the engine holds them, numbered as given.  Inside the caller's checks and transaction."""
    _require(actor, "cases.import_ledger", agency)
    wd = workcal.current()
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    rows: dict[str, DisclosureRequest] = {}
    next_seq: dict[int, int] = {}
    ordered = sorted(requests, key=lambda r: (r.received_on, r.id))
    for lib in ordered:
        received = lib.state.received
        assert received is not None
        year = received.date.year
        if year not in next_seq:
            next_seq[year] = (DisclosureRequest.objects.filter(agency=agency, year=year)
                              .aggregate(m=Max("seq"))["m"] or 0) + 1
        row = DisclosureRequest(
            agency=agency, year=year, seq=next_seq[year], number=lib.id, channel=received.channel,
            received_on=received.date, applicant_kind=lib.applicant_kind,
            applicant_name=lib.applicant or UNNAMED, subject=lib.subject or UNNAMED,
            pieces=lib.pieces, imported=imported, created_by=actor, **(contacts or {}).get(lib.id, {}))
        next_seq[year] += 1
        rows[lib.id] = refresh(row, lib, today=today, wd=wd, save=False)
    # in batches: a 台账 of thousands of rows is stored in seconds, not one INSERT per row and event
    DisclosureRequest.objects.bulk_create(list(rows.values()), batch_size=1000)
    if any(r.pk is None for r in rows.values()):  # a backend that does not return the new ids
        ids = dict(DisclosureRequest.objects.filter(agency=agency, number__in=list(rows))
                   .values_list("number", "pk"))
        for number, r in rows.items():
            r.pk = ids[number]
    RequestEvent.objects.bulk_create([
        RequestEvent(request=rows[lib.id], seq=i, type=e.type, date=e.date, data=e.to_dict(), actor=actor, note=note)
        for lib in ordered for i, e in enumerate(lib.events, 1)], batch_size=2000)
    return rows


# -- letter templates ------------------------------------------------------------------------------------
def upload_template(actor: User | None, agency: Agency, kind: str, data: bytes, name: str) -> LetterTemplate:
    """The agency's own template for one kind of letter (checked: it must render)."""
    _require(actor, "cases.edit_templates", agency)
    if kind not in letters.KINDS:
        raise ActionError("没有这种文书")
    try:
        letters.check_upload(data)
    except letters.TemplateProblem as e:
        raise ActionError(f"模板“{name}”未保存：{e.message}") from None
    tpl, _ = LetterTemplate.objects.update_or_create(agency=agency, kind=kind,
                                                     defaults={"data": data, "name": name[:200], "uploaded_by": actor})
    return tpl


def reset_template(actor: User | None, agency: Agency, kind: str) -> None:
    """Back to the built-in template."""
    _require(actor, "cases.edit_templates", agency)
    LetterTemplate.objects.filter(agency=agency, kind=kind).delete()
