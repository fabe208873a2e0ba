"""Reading an Excel 台账 (the engine's layout, ``gongkai.ledger.read_ledger``) for import: every bad
row listed before anything is stored.  Reading only; ``actions.import_ledger`` stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.errors import GongkaiError
from gongkai.ledger import LedgerBook, RowProblem, read_ledger
from gongkai.ledger.layout import APPEALS, REQUESTS
from gongkai_web.orgs.models import Agency

from .models import Appeal, DisclosureRequest

#: the largest 台账 accepted from a browser
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Preview:
    book: LedgerBook | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.book is not None and not self.problems

    @property
    def requests(self) -> int:
        return len(self.book.requests) if self.book else 0

    @property
    def appeals(self) -> int:
        return len(self.book.appeals) if self.book else 0

    @property
    def registers(self) -> int:
        if self.book is None:
            return 0
        r = self.book.registers
        return len(r.documents) + len(r.decisions) + len(r.fees)


def preview(agency: Agency, data: bytes, name: str, today: dt.date) -> Preview:
    """The workbook read by the engine, plus what only the database knows (a number already used
    by this agency, a date after today).  Nothing is stored."""
    if not data:
        return Preview(None, [f"文件“{name}”是空的"])
    if len(data) > MAX_BYTES:
        return Preview(None, [f"文件“{name}”过大（{len(data) / 1024 / 1024:.1f} MB），台账不能超过 "
                              f"{MAX_BYTES // 1024 // 1024} MB"])
    try:
        book = read_ledger(data)
    except GongkaiError as e:
        return Preview(None, [f"文件“{name}”无法读取：{e.message}"])
    problems: list[RowProblem] = list(book.problems)
    numbers = [r.id for r in book.requests]
    taken: set[str] = set()
    for i in range(0, len(numbers), 500):
        taken.update(DisclosureRequest.objects.filter(agency=agency, number__in=numbers[i:i + 500])
                     .values_list("number", flat=True))
    for r in book.requests:
        n = book.rows.get(r.id, 0)
        if r.id in taken:
            problems.append(RowProblem(REQUESTS.title, n, f"编号“{r.id}”在本机关的台账中已经存在"))
        late = [e for e in r.events if e.date > today]
        if late:
            problems.append(RowProblem(REQUESTS.title, n, f"“{late[0].label}”日期{late[0].date.isoformat()}"
                                                            "晚于今天，不能登记尚未发生的事"))
    appeal_numbers = set(Appeal.objects.filter(agency=agency, number__in=[a.id for a in book.appeals])
                         .values_list("number", flat=True))
    for a in book.appeals:
        if a.id in appeal_numbers:
            problems.append(RowProblem(APPEALS.title, 0, f"案件编号“{a.id}”在本机关已经登记过"))
        if a.filed > today:
            problems.append(RowProblem(APPEALS.title, 0, f"案件{a.id}的收到日期晚于今天"))
    problems.sort(key=lambda p: (p.sheet, p.row))
    return Preview(book, [p.line() for p in problems])
