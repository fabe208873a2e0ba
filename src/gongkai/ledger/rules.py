"""Checker rules about the ledger: what the clock and the 费办法 say about how requests were handled.

| id | what |
|---|---|
| ledger.E001 | a reply later than its due date (or, still open, past it) |
| ledger.E002 | a 补正 notice later than 7 working days after receipt |
| ledger.E003 | more than one extension, or an extension of more than 20 working days |
| ledger.E004 | a fee charged on a request that did not reach a threshold |
| ledger.E005 | an extension approved after the 20 working days had run out |
| ledger.W001 | a fee that is not what the 费办法 gives |
| ledger.W002 | more than one 补正 notice |

They are rules of the checker's ``ledger`` scope: ``register`` puts them in a ``Registry`` (the
package declares it in the entry-point group ``gongkai.rules``, so ``gongkai rules`` lists them and
``--select``/``--ignore`` choose them); each runs on one request with a ``LedgerContext`` (the
calendar, today, every request's place in its applicant's month).  Findings are ``about="document"``
(the handling of a case, not our reading) and carry the request's reference (e.g. its spreadsheet
row) as ``source`` and ``ref``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..calendar import WorkCalendar
from ..check.engine import Draft, Finding, Location, Registry
from .clock import Clock, clock_with
from .days import WorkingDays, working_days
from .events import format_date
from .fees import fee_by_pages, fee_by_pieces, month_positions
from .request import MAX_EXTENSION, Request

__all__ = ["LEDGER_RULES", "LedgerContext", "LedgerRule", "check_ledger", "register"]


@dataclass
class LedgerContext:
    """What the ledger rules need beside the request itself."""

    days: WorkingDays
    today: dt.date
    #: request id → (first piece, pieces) in its applicant's month (按件计收)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    _clocks: dict[str, Clock] = field(default_factory=dict, repr=False)

    def clock(self, r: Request) -> Clock:
        c = self._clocks.get(r.id)
        if c is None or c._request is not r:
            c = self._clocks[r.id] = clock_with(r, self.days, self.today, 0)
        return c


@dataclass(frozen=True, slots=True)
class LedgerRule:
    id: str
    title: str
    hint: str
    example: str
    fn: Callable[[Request, LedgerContext], Iterator[str]]

    @property
    def doc(self) -> str:
        return "".join(line.strip() for line in (self.fn.__doc__ or "").splitlines())


def _late(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """作出答复的日期晚于答复期限（条例第三十三条：收到申请之日起20个工作日，延期的不超过40个工作日，
    补正、征求意见、缴费期间不计入），或者尚未答复而已经超过期限。"""
    c = ctx.clock(r)
    if c.due is None:
        return
    if c.replied_late and c.closed_on is not None:
        over = ctx.days.count(c.due, c.closed_on)
        yield (f"{format_date(c.closed_on)}作出答复，超过答复期限（{format_date(c.due)}）{over}个工作日")
    elif c.status == "late":
        yield f"尚未答复，已超过答复期限（{format_date(c.due)}）{c.late_by}个工作日"


def _late_correction(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """补正告知应在收到申请之日起7个工作日内一次性发出（条例第三十条）。"""
    corr = r.state.corrections
    c = ctx.clock(r)
    if corr and corr[0].date > c.correction_notice_due:
        k = ctx.days.count(c.received, corr[0].date)
        yield (f"{format_date(corr[0].date)}告知补正，是收到申请后的第{k}个工作日，"
               f"超过7个工作日（应在{format_date(c.correction_notice_due)}前）")


def _extensions(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """延长答复期限只能一次，且最长不超过20个工作日（条例第三十三条）。"""
    ext = r.state.extensions
    if len(ext) > 1:
        dates = "、".join(format_date(e.date) for e in ext)
        yield f"延期{len(ext)}次（{dates}），延长答复期限只能一次"
    for e in ext:
        if e.days > MAX_EXTENSION:
            yield f"{format_date(e.date)}延期{e.days}个工作日，超过20个工作日"


def _late_extension(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """延长答复期限应在原答复期限（收到申请之日起20个工作日）届满前经负责人同意并告知申请人（条例第三十三条）；
    期限届满后才延期，不能使迟延的答复变为按期答复。"""
    c = ctx.clock(r)
    if c.base_due is None:
        return
    for e in r.state.extensions:
        if e.date > c.base_due:
            k = ctx.days.count(c.base_due, e.date)
            yield (f"{format_date(e.date)}才延期，原答复期限（{format_date(c.base_due)}）已届满{k}个工作日")


def _fee_below(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """按件计收：同一申请人一个自然月内申请数量超过10件的部分才收费；按量计收：一件申请超过30页的部分才收费
    （《政府信息公开信息处理费管理办法》）。未达标准的申请不得收费。"""
    f = r.state.fee
    if f is None or f.amount <= 0:
        return
    if f.method == "page" and f.pages is not None and not fee_by_pages(f.pages).chargeable:
        yield f"按量计收{f.pages}页，未超过30页，不应收费（收费通知{f.amount}元）"
    elif f.method == "piece" and r.id in ctx.positions:
        first, n = ctx.positions[r.id]
        if not fee_by_pieces(first, n).chargeable:
            yield (f"申请人{r.applicant}当月第{first}件申请，未超过10件，不应收费（收费通知{f.amount}元）")


def _fee_amount(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """收费金额应按《政府信息公开信息处理费管理办法》的超额累进标准计算。"""
    f = r.state.fee
    if f is None or f.amount <= 0:
        return
    w = None
    if f.method == "page" and f.pages is not None:
        w = fee_by_pages(f.pages)
    elif f.method == "piece" and r.id in ctx.positions:
        w = fee_by_pieces(*ctx.positions[r.id])
    if w is not None and w.chargeable and w.amount != f.amount:
        yield f"收费通知{f.amount}元，按费办法应为{w.amount}元（{w.explain()}）"


def _corrections(r: Request, ctx: LedgerContext) -> Iterator[str]:
    """补正应一次性告知（条例第三十条），不应多次要求补正。"""
    corr = r.state.corrections
    if len(corr) > 1:
        yield f"告知补正{len(corr)}次（{'、'.join(format_date(e.date) for e in corr)}），补正应一次性告知"


LEDGER_RULES: dict[str, LedgerRule] = {r.id: r for r in (
    LedgerRule("ledger.E001", "超过答复期限", "在答复期限内作出答复；确需延长的，经负责人同意延期并告知申请人",
               "2025年4月2日作出答复，超过答复期限（2025年3月31日）2个工作日", _late),
    LedgerRule("ledger.E002", "补正告知超过7个工作日", "收到申请后7个工作日内一次性告知需要补正的事项",
               "2025年6月19日告知补正，是收到申请后的第8个工作日，超过7个工作日（应在2025年6月18日前）",
               _late_correction),
    LedgerRule("ledger.E003", "延期超过一次或超过20个工作日", "延长答复期限只能一次，最长20个工作日",
               "延期2次（2025年3月20日、2025年4月1日），延长答复期限只能一次", _extensions),
    LedgerRule("ledger.E005", "答复期限届满后才延期", "需要延期的，应在原答复期限届满前经负责人同意并告知申请人",
               "2025年4月2日才延期，原答复期限（2025年3月31日）已届满2个工作日", _late_extension),
    LedgerRule("ledger.E004", "未达收费标准却收费", "按件计收超过10件、按量计收超过30页的部分才能收费",
               "按量计收30页，未超过30页，不应收费（收费通知10元）", _fee_below),
    LedgerRule("ledger.W001", "收费金额与费办法不符", "按超额累进标准重新计算收费金额",
               "收费通知1500元，按费办法应为1700元（……）", _fee_amount),
    LedgerRule("ledger.W002", "补正告知不止一次", "补正应一次性告知需要补正的全部事项",
               "告知补正2次（2025年3月4日、2025年3月7日），补正应一次性告知", _corrections),
)}


def _drafts(rule: LedgerRule) -> Callable[[Request, LedgerContext], Iterator[Draft]]:
    def fn(r: Request, ctx: LedgerContext) -> Iterator[Draft]:
        for message in rule.fn(r, ctx):
            yield Draft(message, at=Location(label=r.label))

    fn.__doc__ = "".join(line.strip() for line in (rule.fn.__doc__ or "").splitlines())
    fn.__name__ = rule.fn.__name__
    return fn


_REGISTERED: dict[str, Callable[[Request, LedgerContext], Iterator[Draft]]] = {
    rule.id: _drafts(rule) for rule in LEDGER_RULES.values()}


def register(registry: Registry) -> None:
    """Put the ledger rules (scope ``ledger``) into ``registry`` (the entry point of group
    ``gongkai.rules`` calls this with the checker's registry; calling it again changes nothing)."""
    for rule in LEDGER_RULES.values():
        registry.rule(rule.id, title=rule.title, tags={"ledger", "requests"}, scope="ledger", hint=rule.hint,
                      example=rule.example)(_REGISTERED[rule.id])


def check_ledger(requests: Iterable[Request], calendar: WorkCalendar | WorkingDays | None = None, *,
                 today: dt.date, select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> list[Finding]:
    """Run the ledger rules chosen by ``select``/``ignore`` (ids, id prefixes or tags, as for
    ``gongkai check``) over the requests, through the checker's registry; findings in the order
    of the requests.  A rule that crashes becomes an ``engine.E001`` finding of its own."""
    from ..check.catalogue import load
    from ..check.engine import REGISTRY, run_rule

    load()
    register(REGISTRY)  # also when the package's entry point is not installed (a bare source tree)
    reqs = [r for r in requests if r.state.received is not None]
    ctx = LedgerContext(working_days(calendar), today, month_positions(reqs))
    chosen = REGISTRY.select(list(select or ()), list(ignore or ()), scope="ledger")
    out: list[Finding] = []
    for r in reqs:
        for rule in chosen:
            out.extend(run_rule(rule, r, ctx, source=r.ref, ref=r.ref))
    return out
