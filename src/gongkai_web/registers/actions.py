"""Every change to the registers, one function per thing a person does.

Each checks the permission (``registers.change_registers`` on the agency), validates through the
library's records (``gongkai.ledger.RegisteredDocument`` / ``DecisionCount`` / ``FeeIncome``: their
Chinese messages), changes the rows inside one transaction and records a ``RegisterEvent``.
A change that alters a year whose annual report is already published needs a reason and reopens
that report with refreshed tables (``annual.record_late_change``): the next publication is a new
version.  Views call these; nothing else writes the registers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.ledger import LedgerError, Registers
from gongkai.ledger.events import format_date
from gongkai.ledger.layout import DOCUMENTS, MONTHLY
from gongkai.ledger.records import DOCUMENT_KINDS
from gongkai_web.orgs.models import Agency, User

from . import annual
from .models import FEE_PLACES, Document, Month, RegisterEvent
from .queries import DECISION_FIELDS, library_document, month_entries

ActionError = annual.ActionError


def _require(actor: User, agency: Agency) -> None:
    if not actor.has_perm("registers.change_registers", agency):
        raise PermissionDenied


def _log(actor: User, agency: Agency, text: str) -> RegisterEvent:
    return RegisterEvent.objects.create(agency=agency, actor=actor, text=text)


def _years_from(first: int) -> range:
    """The report years a document dated in ``first`` counts in (issued / repealed / in force)."""
    return range(first, max(first, timezone.localdate().year) + 1)


# -- documents ----------------------------------------------------------------------------------
def _check_document(doc: Document) -> None:
    doc.title, doc.number, doc.note = doc.title.strip(), doc.number.strip(), doc.note.strip()
    if doc.kind not in DOCUMENT_KINDS:
        raise ActionError(f"类别应为{'、'.join(DOCUMENT_KINDS.values())}之一")
    if not doc.number:
        raise ActionError("文号不能为空（如 某府规〔2025〕1号）")
    if len(doc.title) > 300 or len(doc.number) > 100:
        raise ActionError("名称最长300字，文号最长100字")
    today = timezone.localdate()
    if doc.issued > today:
        raise ActionError(f"印发日期{format_date(doc.issued)}晚于今天，尚未印发的文件不能登记")
    if doc.repealed is not None and doc.repealed > today:
        raise ActionError(f"废止日期{format_date(doc.repealed)}晚于今天；文件废止后再登记废止日期")
    try:
        library_document(doc)  # the library's own checks (title, dates in order)
    except LedgerError as e:
        raise ActionError(str(e)) from None
    clash = Document.objects.filter(agency_id=doc.agency_id, number=doc.number).exclude(pk=doc.pk).first()
    if clash is not None:
        raise ActionError(f"文号“{doc.number}”已经登记（{clash.title}），同一文号只能登记一次")


def add_document(actor: User, agency: Agency, *, kind: str, title: str, number: str, issued: dt.date,
                 repealed: dt.date | None = None, note: str = "", reason: str = "") -> Document:
    _require(actor, agency)
    doc = Document(agency=agency, kind=kind, title=title, number=number, issued=issued, repealed=repealed,
                   note=note, created_by=actor)
    _check_document(doc)
    what = f"登记{doc.get_kind_display()}《{doc.title}》（{doc.number}），{format_date(doc.issued)}印发" + (
        f"，{format_date(doc.repealed)}废止" if doc.repealed else "")
    with transaction.atomic():
        years = annual.require_reason(agency, _years_from(doc.issued.year), reason)
        doc.save()
        _log(actor, agency, what)
        annual.record_late_change(actor, agency, years, reason, what)
    return doc


def change_document(actor: User, doc: Document, *, kind: str, title: str, number: str, issued: dt.date,
                    repealed: dt.date | None, note: str = "", reason: str = "") -> Document:
    """Correct a registered document, or record its repeal (``repealed``)."""
    _require(actor, doc.agency)
    with transaction.atomic():
        current = Document.objects.select_for_update().select_related("agency").get(pk=doc.pk)
        before = (current.kind, current.title, current.number, current.issued, current.repealed, current.note)
        old_issued, old_repealed = current.issued, current.repealed
        current.kind, current.title, current.number = kind, title, number
        current.issued, current.repealed, current.note = issued, repealed, note
        _check_document(current)
        after = (current.kind, current.title, current.number, current.issued, current.repealed, current.note)
        if after == before:
            return current
        first = min(d.year for d in (old_issued, issued, old_repealed, repealed) if d is not None)
        years = annual.require_reason(current.agency, _years_from(first), reason)
        changes = []
        if old_repealed != repealed:
            changes.append(f"废止日期由{_d(old_repealed)}改为{_d(repealed)}")
        if old_issued != issued:
            changes.append(f"印发日期由{_d(old_issued)}改为{_d(issued)}")
        if before[:3] != after[:3] or before[5] != after[5]:
            changes.append("类别、名称、文号或备注已更正")
        current.save()
        what = f"修改《{current.title}》（{current.number}）：{'；'.join(changes)}"
        _log(actor, current.agency, what)
        annual.record_late_change(actor, current.agency, years, reason, what)
    return current


def delete_document(actor: User, doc: Document, *, reason: str = "") -> None:
    """Remove a document registered by mistake (a repealed one is kept: record its repeal instead)."""
    _require(actor, doc.agency)
    with transaction.atomic():
        years = annual.require_reason(doc.agency, _years_from(doc.issued.year), reason)
        what = f"删除误登记的《{doc.title}》（{doc.number}）"
        Document.objects.filter(pk=doc.pk).delete()
        _log(actor, doc.agency, what + (f"，理由：{reason.strip()}" if reason.strip() else ""))
        annual.record_late_change(actor, doc.agency, years, reason, what)


def _d(d: dt.date | None) -> str:
    return format_date(d) if d is not None else "（未填）"


# -- months -------------------------------------------------------------------------------------
@dataclass
class MonthValues:
    """One month as entered: counts (None = not entered) and the fee in 万元 (exact)."""

    licensing: int | None = None
    punishment: int | None = None
    coercion: int | None = None
    fee: Decimal | None = None

    def as_tuple(self) -> tuple[int | None, int | None, int | None, Decimal | None]:
        return self.licensing, self.punishment, self.coercion, self.fee


def _check_month(agency: Agency, year: int, month: int, v: MonthValues) -> None:
    where = f"{year}年{month}月"
    today = timezone.localdate()
    if not 1 <= month <= 12:
        raise ActionError(f"月份应为1—12：{month}")
    if (year, month) > (today.year, today.month) and any(x is not None for x in v.as_tuple()):
        raise ActionError(f"{where}还没有到，不能登记这个月的数量和收费")
    if v.fee is not None:
        if not v.fee.is_finite() or v.fee < 0:
            raise ActionError(f"{where}行政事业性收费应为非负数（万元）")
        if v.fee >= Decimal(10) ** (20 - FEE_PLACES):
            raise ActionError(f"{where}行政事业性收费“{v.fee}”万元过大，请核对单位（万元）")
        if v.fee != v.fee.quantize(Decimal(1).scaleb(-FEE_PLACES)):
            raise ActionError(f"{where}行政事业性收费“{v.fee}”万元的小数超过{FEE_PLACES}位（不足1分钱），请核对单位")
    m = Month(agency=agency, year=year, month=month, licensing=v.licensing, punishment=v.punishment,
              coercion=v.coercion, fee=v.fee)
    try:
        month_entries(m)  # the library's checks (non-negative integers, a finite amount)
    except LedgerError as e:
        raise ActionError(f"{where}：{e}") from None


def save_months(actor: User, agency: Agency, year: int, values: dict[int, MonthValues], *,
                reason: str = "") -> list[str]:
    """Store the months given (1—12 → values); a month whose values are all blank is removed.
    Returns the changes as a person reads them (empty when nothing changed)."""
    _require(actor, agency)
    for month, v in values.items():
        _check_month(agency, year, month, v)
    with transaction.atomic():
        stored = {m.month: m for m in Month.objects.select_for_update().filter(agency=agency, year=year)}
        changes: list[str] = []
        for month, v in sorted(values.items()):
            old = stored.get(month)
            old_values = (old.licensing, old.punishment, old.coercion, old.fee) if old else (None,) * 4
            if old_values == v.as_tuple():
                continue
            labels = [*(label for _k, label in DECISION_FIELDS), "行政事业性收费（万元）"]
            diff = [f"{label}由{_v(a)}改为{_v(b)}" for label, a, b in zip(labels, old_values, v.as_tuple(), strict=True)
                    if a != b]
            changes.append(f"{year}年{month}月：{'，'.join(diff)}")
            if all(x is None for x in v.as_tuple()):
                if old is not None:
                    old.delete()
                continue
            m = old or Month(agency=agency, year=year, month=month)
            m.licensing, m.punishment, m.coercion, m.fee = v.as_tuple()
            m.updated_by = actor
            m.save()
        if not changes:
            return []
        years = annual.require_reason(agency, [year], reason)
        what = "修改处理决定和收费登记：" + "；".join(changes)
        _log(actor, agency, what)
        annual.record_late_change(actor, agency, years, reason, what)
    return changes


def _v(x: object) -> str:
    if x is None:
        return "（未填）"
    return format(x, "f") if isinstance(x, Decimal) else str(x)


# -- import from the 台账 workbook ---------------------------------------------------------------
@dataclass
class ImportPreview:
    documents: list[Document] = field(default_factory=list)
    months: dict[tuple[int, int], MonthValues] = field(default_factory=dict)
    #: every bad row: “‘sheet’第n行：message”
    problems: list[str] = field(default_factory=list)
    #: documents whose 文号 is already registered (kept as they are)
    known: list[str] = field(default_factory=list)
    #: what was read (carried by the preview page to the confirmation as ``Registers.to_dict()``)
    registers: Registers | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.documents or self.months)


def read_registers(data: bytes) -> tuple[Registers | None, list[str]]:
    """The registers of an uploaded 台账 workbook and every bad row of their two sheets."""
    from gongkai.errors import GongkaiError
    from gongkai.ledger.sheet import read_ledger

    try:
        book = read_ledger(data)
    except GongkaiError as e:
        return None, [str(e)]
    ours = (DOCUMENTS.title, MONTHLY.title)
    return book.registers, [p.line() for p in book.problems if p.sheet in ours]


def _row(ref: str | None) -> str:
    """``规章和规范性文件第3行`` → ``第3行`` (the sheet is named already)."""
    return (ref or "").replace(DOCUMENTS.title, "")


def preview_import(agency: Agency, data: bytes | Registers, problems: list[str] | None = None) -> ImportPreview:
    """What an upload (the workbook's bytes, or the registers read from it) would store, with every
    bad row listed; nothing is stored."""
    out = ImportPreview()
    if isinstance(data, bytes):
        registers, out.problems = read_registers(data)
        if registers is None:
            return out
    else:
        registers, out.problems = data, list(problems or [])
    known = set(Document.objects.filter(agency=agency).values_list("number", flat=True))
    today = timezone.localdate()
    for d in registers.documents:
        if d.number in known:
            out.known.append(d.number)
            continue
        if d.issued > today or (d.repealed is not None and d.repealed > today):
            out.problems.append(f"“{DOCUMENTS.title}”{_row(d.ref)}：《{d.title}》的印发或废止日期晚于今天")
            continue
        if len(d.title) > 300 or len(d.number) > 100:
            out.problems.append(f"“{DOCUMENTS.title}”{_row(d.ref)}：名称最长300字、文号最长100字")
            continue
        out.documents.append(Document(agency=agency, kind=d.kind, title=d.title, number=d.number,
                                      issued=d.issued, repealed=d.repealed))
    for c in registers.decisions:
        setattr(out.months.setdefault((c.year, c.month), MonthValues()), c.kind, c.count)
    for f in registers.fees:
        out.months.setdefault((f.year, f.month), MonthValues()).fee = f.amount
    for (y, m), v in out.months.items():
        try:
            _check_month(agency, y, m, v)
        except ActionError as e:
            out.problems.append(f"“{MONTHLY.title}”：{e.message}")
    if not out.problems and not out.documents and not out.months and not out.known:
        out.problems.append(f"文件中没有“{DOCUMENTS.title}”或“{MONTHLY.title}”工作表的数据"
                            f"（请用台账模板填写，工作表名和第一行的列名不能改）")
    out.registers = registers
    return out


def import_registers(actor: User, agency: Agency, data: bytes | Registers, *, reason: str = "") -> ImportPreview:
    """Store an upload whose preview has no bad row (all or nothing): new documents are added,
    documents already registered (same 文号) are kept, the months given replace the stored ones."""
    _require(actor, agency)
    preview = preview_import(agency, data)
    if preview.problems:
        raise ActionError(f"文件有{len(preview.problems)}处错误，没有导入任何内容；请改正后重新上传")
    with transaction.atomic():
        affected: set[int] = set()
        for doc in preview.documents:
            doc.created_by = actor
            _check_document(doc)
            affected.update(_years_from(doc.issued.year))
        affected.update(y for y, _m in preview.months)
        years = annual.require_reason(agency, sorted(affected), reason)
        Document.objects.bulk_create(preview.documents)
        by_year: dict[int, dict[int, MonthValues]] = {}
        for (y, m), v in preview.months.items():
            by_year.setdefault(y, {})[m] = v
        for y, months in sorted(by_year.items()):
            for m, v in months.items():
                Month.objects.update_or_create(agency=agency, year=y, month=m, defaults={
                    "licensing": v.licensing, "punishment": v.punishment, "coercion": v.coercion, "fee": v.fee,
                    "updated_by": actor})
        what = (f"从台账文件导入登记簿：新登记文件{len(preview.documents)}件"
                + (f"（已登记的{len(preview.known)}件未改动）" if preview.known else "")
                + f"，处理决定和收费{len(preview.months)}个月")
        _log(actor, agency, what)
        annual.record_late_change(actor, agency, years, reason, what)
    return preview
