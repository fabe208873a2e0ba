"""The annual tables computed from the cases, each cell linked to the cases behind it.

    t = tally(requests, year=2025, agency="某县人民政府办公室", appeals=appeals, registers=registers)
    t.report                                  # a gongkai.Report: render it, check it
    t.cases("requests", "granted", "natural_person")   # the request ids counted in that cell

Table 三 (format 2021): a request received in the year is ``new``, one received before it and
still open on 1 January is ``carried_over``; one closed in the year is counted in its outcome's
row, one still open on 31 December in ``carried_forward`` (next year's ``carried_over``); the
column is the applicant kind.  Table 四: the appeals filed in the year, by kind, in the column of
their result when concluded by 31 December, else ``pending``.  Table 二: documents issued,
repealed and in force on 31 December; the year's decision counts; 行政事业性收费 in 万元.

Only the leaf cells are counted; the totals are completed from the format's identities, and every
identity is verified before the report is returned — a failure is a bug, never a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..agency import AGENCY_KINDS, is_kind
from ..errors import GongkaiError
from ..formats import identities
from ..model import Report, Table
from .catalogue import APPLICANT_KINDS, LEDGER_FORMAT
from .events import LedgerError
from .fees import FeeStatement, fee_statement
from .records import Appeal, Registers
from .request import Request

__all__ = ["Tally", "complete_identities", "tally"]

CellKey = tuple[str, str, str]


@dataclass
class Tally:
    """The computed report and, for every cell, the ids of the cases counted in it."""

    report: Report
    #: (table, row, column) → ids (requests, appeals, register entries)
    drill: dict[CellKey, tuple[str, ...]] = field(default_factory=dict)
    fees: FeeStatement | None = None

    def cases(self, table: str, row: str, column: str) -> tuple[str, ...]:
        return self.drill.get((table, row, column), ())

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report.to_dict(),
                "cases": {f"{t}.{r}.{c}": list(ids) for (t, r, c), ids in self.drill.items() if ids},
                "fees": self.fees.to_dict() if self.fees else None}


# -- identities ------------------------------------------------------------------------------------

def complete_identities(table: Table, drill: dict[CellKey, tuple[str, ...]]) -> None:
    """Fill the totals from their parts with the one identity evaluator, carry the drill-down along
    (a total lists the cases of its parts), then verify every identity in every line."""
    key = table.spec.key
    done = identities.complete(table)
    evaluations = list(identities.evaluate(table))
    for target in done:
        for ev in evaluations:
            parts = next((p for t, p in ((ev.left, ev.right), (ev.right, ev.left))
                          if len(t) == 1 and t[0] not in p and ev.cell(t[0]) == target), None)
            if parts is not None and all((key, *ev.cell(p)) in drill for p in parts):
                drill[(key, *target)] = tuple(i for p in parts for i in drill[(key, *ev.cell(p))])
                break
    broken = [ev for ev in identities.evaluate(table) if ev.holds is not True]
    if broken or any((key, *c) not in drill for c in table.spec.cells()):
        what = f"“{broken[0].identity.title}”（{broken[0].line}）" if broken else "追溯清单"
        raise GongkaiError(f"内部错误：表{table.spec.number}{what}不成立")


# -- the tables -------------------------------------------------------------------------------------

def _requests_table(report: Report, requests: Iterable[Request], year: int,
                    drill: dict[CellKey, tuple[str, ...]]) -> list[Request]:
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    buckets: dict[tuple[str, str], list[str]] = {}
    counted: list[Request] = []
    seen: set[str] = set()
    for r in requests:
        if r.id in seen:
            raise LedgerError(f"申请编号重复：{r.id}（每件申请的编号应唯一，才能从表格追溯到申请）")
        seen.add(r.id)
        if r.state.received is None:
            raise LedgerError("尚未记录收到申请", where=r.label)
        rec, closed = r.received_on, r.closed_on
        if rec > dec31 or (closed is not None and closed < jan1):
            continue
        counted.append(r)
        col = r.applicant_kind
        buckets.setdefault(("new" if rec >= jan1 else "carried_over", col), []).append(r.id)
        row = r.outcome if closed is not None and closed <= dec31 else "carried_forward"
        buckets.setdefault((row or "carried_forward", col), []).append(r.id)
    table = report.table("requests")
    leaves = ("new", "carried_over", *table.spec.result_rows, "carried_forward")
    for row in leaves:
        for col in APPLICANT_KINDS:
            ids = tuple(buckets.get((row, col), ()))
            table.set(row, col, len(ids))
            drill[("requests", row, col)] = ids
    complete_identities(table, drill)
    return counted


def _appeals_table(report: Report, appeals: Iterable[Appeal], year: int,
                   drill: dict[CellKey, tuple[str, ...]]) -> None:
    dec31 = dt.date(year, 12, 31)
    buckets: dict[tuple[str, str], list[str]] = {}
    seen: set[str] = set()
    for a in appeals:
        if a.id in seen:
            raise LedgerError(f"复议诉讼案件编号重复：{a.id}")
        seen.add(a.id)
        if a.filed.year != year:
            continue
        buckets.setdefault((a.kind, a.column(dec31)), []).append(a.id)
    table = report.table("appeals")
    for row in ("review", "suit_direct", "suit_after_review"):
        for col in ("upheld", "corrected", "other", "pending"):
            ids = tuple(buckets.get((row, col), ()))
            table.set(row, col, len(ids))
            drill[("appeals", row, col)] = ids
    complete_identities(table, drill)


def _proactive_table(report: Report, reg: Registers, year: int, drill: dict[CellKey, tuple[str, ...]]) -> None:
    dec31 = dt.date(year, 12, 31)
    table = report.table("proactive")
    for kind in ("rules", "normative_documents"):
        docs = [d for d in reg.documents if d.kind == kind]
        cells = {
            "issued": [d.id for d in docs if d.issued.year == year],
            "repealed": [d.id for d in docs if d.repealed is not None and d.repealed.year == year],
            "in_force": [d.id for d in docs if d.in_force_on(dec31)],
        }
        for col, ids in cells.items():
            table.set(kind, col, len(ids))
            drill[("proactive", kind, col)] = tuple(ids)
    for kind in ("licensing", "punishment", "coercion"):
        entries = [d for d in reg.decisions if d.kind == kind and d.year == year]
        table.set(kind, "decisions", sum(d.count for d in entries))
        drill[("proactive", kind, "decisions")] = tuple(d.id for d in entries)
    fees = [f for f in reg.fees if f.year == year]
    table.set("fees", "amount", sum((f.amount for f in fees), Decimal(0)), unit="万元")
    drill[("proactive", "fees", "amount")] = tuple(f.id for f in fees)


def overview_text(report: Report) -> str:
    t3, t4 = report.table("requests"), report.table("appeals")

    def v3(row: str) -> int:
        value = t3.value(row, "total")
        return value if isinstance(value, int) else 0

    def group(prefix: str) -> int:
        return sum(v3(r) for r in t3.spec.result_rows if r.startswith(prefix))

    parts = [f"予以公开{v3('granted')}件", f"部分公开{v3('partial')}件", f"不予公开{group('denied.')}件",
             f"无法提供{group('unavailable.')}件", f"不予处理{group('not_processed.')}件",
             f"其他处理{group('other.')}件"]
    review = t4.value("review", "total")
    suits = sum(v for r in ("suit_direct", "suit_after_review") if isinstance(v := t4.value(r, "total"), int))
    return (f"本年度新收政府信息公开申请{v3('new')}件，上年结转{v3('carried_over')}件；"
            f"办结{v3('results_total')}件，其中{'、'.join(parts)}；"
            f"结转下年度继续办理{v3('carried_forward')}件。"
            f"因政府信息公开工作被申请行政复议{review}件、被提起行政诉讼{suits}件。")


def tally(requests: Iterable[Request], *, year: int, agency: str | None = None,
          agency_kind: str | None = None, appeals: Iterable[Appeal] = (), registers: Registers | None = None,
          ref: str | None = None) -> Tally:
    """The year's tables from the cases (see the module docstring).  Without ``registers`` table 二
    is left blank (unknown), never zero."""
    if not isinstance(year, int) or not LEDGER_FORMAT.applies_to(year):
        raise LedgerError(f"台账只能统计{LEDGER_FORMAT.first_year}年度及以后的年报（{LEDGER_FORMAT.source}格式）："
                          f"{year}")
    if agency_kind is not None and not is_kind(agency_kind):
        kinds = "、".join(f"{k}（{v}）" for k, v in AGENCY_KINDS.items())
        raise LedgerError(f"机关类型“{agency_kind}”无法识别（应为 {kinds}）")
    report = Report.blank(LEDGER_FORMAT.id, agency=agency, year=year)
    report.agency_kind = agency_kind
    report.ref = ref
    if agency:
        report.title = f"{agency}{year}年政府信息公开工作年度报告"
    drill: dict[CellKey, tuple[str, ...]] = {}
    requests = list(requests)
    _requests_table(report, requests, year, drill)
    _appeals_table(report, appeals, year, drill)
    if registers is not None:
        _proactive_table(report, registers, year, drill)
    fees = fee_statement(requests, year)
    report.sections["overview"] = overview_text(report)
    report.sections["other"] = fees.text
    return Tally(report, drill, fees)

