"""Reading a 台账 workbook in the documented layout (``layout.py``) into requests, appeals and registers.

    book = read_ledger("台账.xlsx")
    book.problems          # every bad row: sheet, row number, Chinese message — nothing guessed
    book.requests, book.appeals, book.registers

Columns are found by their header (so they may be reordered; a missing required column is a
problem of its own).  A bad row is left out and named; the caller decides whether to go on (the
CLI's ``tally`` refuses to count a ledger with bad rows, ``due`` lists the good ones).  Rows are
replayed as history (``strict=False``): what really happened is kept for the ledger rules to judge.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ParseError
from .catalogue import outcome_for
from .cells import (
    APPEAL_KIND_NAMES,
    APPEAL_RESULT_NAMES,
    CHANNEL_NAMES,
    CONSULTED_NAMES,
    DOCUMENT_KIND_NAMES,
    FEE_NAMES,
    KINDS,
    BadCell,
    Row,
    cell_decimal,
    cell_text,
    norm,
)
from .events import (
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
    NoCorrection,
    Received,
    Withdrawn,
)
from .layout import APPEALS, DOCUMENTS, MONTHLY, REQUESTS, WITHDRAWN, Sheet
from .records import (
    Appeal,
    DecisionCount,
    FeeIncome,
    RegisteredDocument,
    Registers,
    parse_month,
)
from .request import Request

__all__ = ["MAX_BYTES", "MAX_ROWS", "LedgerBook", "RowProblem", "read_ledger"]

MAX_BYTES = 100 * 1024 * 1024
#: rows read per sheet (a 台账 of many years fits)
MAX_ROWS = 500_000


@dataclass(frozen=True, slots=True)
class RowProblem:
    sheet: str
    #: the spreadsheet row number (the header is row 1); 0 for the sheet as a whole
    row: int
    message: str

    def line(self) -> str:
        where = f"“{self.sheet}”第{self.row}行" if self.row else f"“{self.sheet}”"
        return f"{where}：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "message": self.message}


@dataclass
class LedgerBook:
    requests: list[Request] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    registers: Registers = field(default_factory=Registers)
    problems: list[RowProblem] = field(default_factory=list)
    #: request id → its row (for findings)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _needs(row: Row, have: str, need: str) -> None:
    if cell_text(row.raw(have)) and not cell_text(row.raw(need)):
        raise BadCell(f"填写了“{have}”，但缺少“{need}”")


def _not_before(a: dt.date | None, b: dt.date | None, what_a: str, what_b: str) -> None:
    if a is not None and b is not None and a < b:
        raise BadCell(f"“{what_a}”{a.isoformat()}早于“{what_b}”{b.isoformat()}")


_RANK = {"received": 0, "correction_requested": 1, "corrected": 2, "consultation_started": 3,
         "consultation_answered": 4, "extended": 5, "fee_notice": 6, "fee_paid": 7}


def _request(row: Row, n: int) -> Request:
    rid = row.text("编号")
    kind = row.choice("申请人类型", KINDS)
    channel = row.choice("渠道", CHANNEL_NAMES)
    received = row.req_date("收到日期")
    for have, need in (("补正告知日期", "补正期限（工作日）"), ("补正期限（工作日）", "补正告知日期"),
                       ("收到补正日期", "补正告知日期"), ("征求意见日期", "征求意见对象"),
                       ("征求意见对象", "征求意见日期"), ("收到意见日期", "征求意见日期"),
                       ("延期日期", "延期工作日数"), ("延期工作日数", "延期日期"),
                       ("收费方式", "收费通知日期"), ("收费通知日期", "收费方式"), ("收费方式", "收费金额（元）"),
                       ("缴费日期", "收费通知日期"), ("办理结果", "答复日期"), ("答复日期", "办理结果"),
                       ("送达日期", "答复日期"), ("答复依据", "办理结果")):
        _needs(row, have, need)
    events: list[Event] = []
    corr, corr_days, corrected = row.date("补正告知日期"), row.int("补正期限（工作日）"), row.date("收到补正日期")
    if corr is not None:
        _not_before(corr, received, "补正告知日期", "收到日期")
        if not corr_days:
            raise BadCell("“补正期限（工作日）”应为正整数")
        events.append(CorrectionRequested(corr, days=corr_days))
    if corrected is not None:
        _not_before(corrected, corr, "收到补正日期", "补正告知日期")
        events.append(Corrected(corrected))
    cons, answered = row.date("征求意见日期"), row.date("收到意见日期")
    if cons is not None:
        _not_before(cons, received, "征求意见日期", "收到日期")
        party = row.choice("征求意见对象", CONSULTED_NAMES) or "third_party"
        events.append(ConsultationStarted(cons, party=party))
    if answered is not None:
        _not_before(answered, cons, "收到意见日期", "征求意见日期")
        events.append(ConsultationAnswered(answered))
    ext, ext_days = row.date("延期日期"), row.int("延期工作日数")
    if ext is not None:
        _not_before(ext, received, "延期日期", "收到日期")
        if not ext_days:
            raise BadCell("“延期工作日数”应为正整数")
        events.append(Extended(ext, days=ext_days, approver=row.text("延期批准人"), reason=row.text("延期理由")))
    fee, paid = row.date("收费通知日期"), row.date("缴费日期")
    if fee is not None:
        _not_before(fee, received, "收费通知日期", "收到日期")
        method = row.choice("收费方式", FEE_NAMES) or ""
        amount = cell_decimal(row.raw("收费金额（元）"), "收费金额（元）") or Decimal(0)
        pages = row.int("收费页数")
        if method == "page" and not pages:
            raise BadCell("按量计收须填写“收费页数”")
        events.append(FeeNotice(fee, method=method, amount=amount, pages=pages))
    if paid is not None:
        _not_before(paid, fee, "缴费日期", "收费通知日期")
        events.append(FeePaid(paid))
    events.sort(key=lambda e: (e.date, _RANK[e.type]))
    outcome_text, decided = cell_text(row.raw("办理结果")), row.date("答复日期")
    if decided is not None:
        _not_before(decided, received, "答复日期", "收到日期")
        if outcome_text == WITHDRAWN:
            closing: Event = Withdrawn(decided)
        else:
            o = outcome_for(outcome_text)
            if o is None:
                raise BadCell(f"“办理结果”为“{outcome_text}”，不是表三的办理结果（见下拉列表）")
            if o.key == "other.no_correction":
                closing = NoCorrection(decided)
            elif o.key == "other.no_fee":
                closing = FeeNotPaid(decided)
            else:
                closing = Decided(decided, outcome=o.key, ground=row.text("答复依据") or None)
        events.append(closing)
        delivered = row.date("送达日期")
        if delivered is not None:
            _not_before(delivered, decided, "送达日期", "答复日期")
            events.append(Delivered(delivered))
    first = Received(received, channel=channel or "")
    req = Request(rid, kind or "", [first], applicant=row.text("申请人") or None,
                  subject=row.text("申请内容") or None, ref=f"{REQUESTS.title}第{n}行", strict=False)
    for e in events:
        if e.date < received:
            raise BadCell(f"“{e.label}”的日期{e.date.isoformat()}早于收到日期{received.isoformat()}")
        req.add(e, strict=False)
    return req


def _appeal(row: Row, n: int) -> Appeal:
    _needs(row, "结果", "审结日期")
    _needs(row, "审结日期", "结果")
    links = tuple(x for x in re.split(r"[、,，;；\s]+", row.text("涉及申请编号")) if x)
    return Appeal(row.text("编号"), row.choice("类别", APPEAL_KIND_NAMES) or "", row.req_date("收到日期"),
                  row.date("审结日期"), row.choice("结果", APPEAL_RESULT_NAMES), links, ref=f"{APPEALS.title}第{n}行")


def _document(row: Row, n: int) -> RegisteredDocument:
    number = row.text("文号")
    return RegisteredDocument(number, row.choice("类别", DOCUMENT_KIND_NAMES) or "", row.text("名称"), number,
                              row.req_date("印发日期"), row.date("废止日期"), ref=f"{DOCUMENTS.title}第{n}行")


def _monthly(row: Row, n: int) -> tuple[list[DecisionCount], FeeIncome | None]:
    raw = row.raw("月份")
    if raw is None or not cell_text(raw):
        raise BadCell("缺少“月份”")
    try:
        y, m = parse_month(raw.date() if isinstance(raw, dt.datetime) else raw)
    except LedgerError:
        raise BadCell(f"“月份”“{cell_text(raw)}”应写成 YYYY-MM（如 2025-03）") from None
    ref = f"{MONTHLY.title}第{n}行"
    counts = []
    for header, kind in (("行政许可", "licensing"), ("行政处罚", "punishment"), ("行政强制", "coercion")):
        c = row.int(header)
        if c is not None:
            counts.append(DecisionCount(f"{y}-{m:02d}/{header}", kind, y, m, c, ref=ref))
    amount = cell_decimal(row.raw("行政事业性收费（万元）"), "行政事业性收费（万元）")
    fee = FeeIncome(f"{y}-{m:02d}/行政事业性收费", y, m, amount, ref=ref) if amount is not None else None
    return counts, fee


# -- the workbook -----------------------------------------------------------------------------------

def _rows(ws: Any, sheet: Sheet, problems: list[RowProblem]) -> Iterator[tuple[int, Row]]:
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if header is None:
        return
    names = [norm(cell_text(h)) for h in header]
    index: dict[str, int] = {}
    for c in sheet.columns:
        key = norm(c.header)
        if key in names:
            index[c.header] = names.index(key)
        elif c.required:
            problems.append(RowProblem(sheet.title, 1, f"缺少必填的列“{c.header}”（第一行应为列名，见模板）"))
    if any(c.required and c.header not in index for c in sheet.columns):
        return
    for n, values in enumerate(it, 2):
        if n > MAX_ROWS + 1:
            problems.append(RowProblem(sheet.title, n, f"超过{MAX_ROWS}行，其后各行未读取"))
            return
        cells = {h: (values[i] if i < len(values) else None) for h, i in index.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        yield n, Row(sheet, cells)


def _each(ws: Any, sheet: Sheet, problems: list[RowProblem], make: Callable[[Row, int], Any]) -> Iterator[
        tuple[int, Any]]:
    for n, row in _rows(ws, sheet, problems):
        try:
            yield n, make(row, n)
        except BadCell as e:
            problems.append(RowProblem(sheet.title, n, e.message))
        except LedgerError as e:
            problems.append(RowProblem(sheet.title, n, e.message))


def _load(source: str | Path | bytes) -> Any:
    from openpyxl import load_workbook

    from ..readers.ooxml import open_zip

    name = "台账" if isinstance(source, bytes) else str(source)
    if isinstance(source, bytes):
        data = source
    else:
        p = Path(source)
        try:
            if p.stat().st_size > MAX_BYTES:
                raise ParseError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像台账", where=name)
            data = p.read_bytes()
        except FileNotFoundError:
            raise ParseError("文件不存在", where=name) from None
        except IsADirectoryError:
            raise ParseError("这是一个目录，不是台账文件", where=name) from None
        except OSError as e:
            raise ParseError(f"无法读取：{e.strerror or e}", where=name) from None
    if len(data) > MAX_BYTES:
        raise ParseError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像台账", where=name)
    if not data.startswith(b"PK"):
        raise ParseError("不是 Excel（.xlsx）文件；请用 gongkai ledger template 生成的模板填写", where=name)
    open_zip(data, "Excel 文件", name).close()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; its names mean nothing to a clerk
        raise ParseError("Excel 文件已损坏或不是台账（无法打开其中的工作表）；请用 gongkai ledger template 生成的模板填写",
                         where=name) from None


def read_ledger(source: str | Path | bytes) -> LedgerBook:
    """Every sheet of the 台账 workbook; bad rows are listed in ``problems``, never guessed."""
    with warnings.catch_warnings():
        # openpyxl warns about cells it cannot convert (a date serial out of range); such a cell
        # comes through as an error value, which the row's check names
        warnings.simplefilter("ignore")
        return _read(source)


def _read(source: str | Path | bytes) -> LedgerBook:
    wb = _load(source)
    book = LedgerBook()
    problems = book.problems
    try:
        titles = {norm(t): t for t in wb.sheetnames}
        if norm(REQUESTS.title) not in titles:
            problems.append(RowProblem(REQUESTS.title, 0, "找不到这张工作表（请用 gongkai ledger template 生成的模板）"))
        seen: dict[str, int] = {}
        for sheet in (REQUESTS, APPEALS, DOCUMENTS, MONTHLY):
            t = titles.get(norm(sheet.title))
            if t is None:
                continue
            ws = wb[t]
            if sheet is REQUESTS:
                for n, r in _each(ws, sheet, problems, _request):
                    if r.id in seen:
                        problems.append(RowProblem(sheet.title, n, f"编号“{r.id}”与第{seen[r.id]}行重复"))
                        continue
                    seen[r.id] = n
                    book.requests.append(r)
                    book.rows[r.id] = n
            elif sheet is APPEALS:
                rows = _unique(_each(ws, sheet, problems, _appeal), sheet, problems, book.appeals, "编号")
                for a in list(book.appeals):
                    missing = [x for x in a.requests if x not in seen]
                    if missing:
                        problems.append(RowProblem(sheet.title, rows[a.id], f"涉及申请编号“{'、'.join(missing)}”"
                                                                            f"在“{REQUESTS.title}”中找不到（或该行填写有误）"))
                        book.appeals.remove(a)
            elif sheet is DOCUMENTS:
                _unique(_each(ws, sheet, problems, _document), sheet, problems, book.registers.documents, "文号")
            else:
                months: dict[tuple[int, int], int] = {}
                for n, (counts, fee) in _each(ws, sheet, problems, _monthly):
                    key = (fee.year, fee.month) if fee else (counts[0].year, counts[0].month) if counts else None
                    if key is None:
                        continue
                    if key in months:
                        problems.append(RowProblem(sheet.title, n, f"月份{key[0]}-{key[1]:02d}与第{months[key]}行重复"))
                        continue
                    months[key] = n
                    book.registers.decisions.extend(counts)
                    if fee is not None:
                        book.registers.fees.append(fee)
    finally:
        wb.close()
    return book


def _unique(rows: Iterator[tuple[int, Any]], sheet: Sheet, problems: list[RowProblem], out: list[Any],
            what: str) -> dict[str, int]:
    """Keep the items whose id is new (a repeated id is a problem); id → row."""
    seen: dict[str, int] = {}
    for n, item in rows:
        if item.id in seen:
            problems.append(RowProblem(sheet.title, n, f"{what}“{item.id}”与第{seen[item.id]}行重复"))
            continue
        seen[item.id] = n
        out.append(item)
    return seen
