"""The clock's working in Chinese, step by step, for a clerk (``Clock.explain``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .catalogue import CHANNELS, OUTCOMES
from .events import FEE_METHODS, Decided, format_date
from .request import Request

if TYPE_CHECKING:
    from .clock import Clock, Pause
    from .days import WorkingDays

__all__ = ["holidays_between", "steps"]

_ONE = dt.timedelta(days=1)


def _fd(d: dt.date | None, weekday: bool = False) -> str:
    return format_date(d, weekday) if d is not None else "（未定）"


def _span(a: dt.date, b: dt.date) -> str:
    """``12月18日—12月28日`` (years shown when the span crosses one)."""
    same = a.year == b.year
    left = format_date(a)
    right = format_date(b, year=not same)
    return left if a == b else f"{left}—{right}"


def holidays_between(wd: WorkingDays, a: dt.date, b: dt.date) -> tuple[list[str], list[str]]:
    """The days off named in the calendar, and the 调休 working weekend days, in ``(a, b]``."""
    cal = wd.calendar
    runs: list[tuple[list[str], dt.date, dt.date]] = []
    on: list[str] = []
    d = a + _ONE
    while d <= b:
        name = cal.holiday_name(d)
        if not cal.is_working_day(d):
            if name and runs and (d - runs[-1][2]).days <= 3:
                names, first, _ = runs[-1]
                runs[-1] = (names if name in names else [*names, name], first, d)
            elif name:
                runs.append(([name], d, d))
        elif d.weekday() >= 5:
            on.append(format_date(d, weekday=True, year=False))
        d += _ONE
    return [f"{'、'.join(n)}（{_span(x, y)}）" for n, x, y in runs], on


def _pause_line(p: Pause) -> str:
    first = p.start + _ONE
    span = f"{_span(first, p.end)}不计入，共{p.days}个工作日" if p.end >= first else "未占用工作日"
    if p.kind == "consultation":
        who = p.whom
        how = {"answered": f"{_fd(p.end)}收到意见",
               "lapsed": "15个工作日内未答复，期满恢复计时",
               "closed": "申请先已办结",
               "running": f"尚未答复，最长至{_fd(p.end)}，按期满计算"}.get(p.ended, "")
        return f"征求{who}意见（{_fd(p.start)}发出，15个工作日）：{span}（{how}）"
    how = {"paid": f"{_fd(p.end)}缴费", "lapsed": "缴费期限届满", "closed": "申请先已办结",
           "running": "尚未缴费，按缴费期限届满计算"}.get(p.ended, "")
    return f"收费通知（{_fd(p.start)}发出）：缴费期间{span}（{how}）"


def steps(c: Clock, req: Request, wd: WorkingDays) -> list[str]:
    st = req.state
    assert st.received is not None
    out: list[str] = []
    ch = CHANNELS[st.received.channel]
    arrived = ""
    if st.received.arrived is not None and st.received.arrived != st.received.date:
        arrived = f"，{_fd(st.received.arrived)}到达"
    out.append(f"收到申请：{_fd(c.received, True)}，{ch.label}提交{arrived}，{ch.receipt_rule}（条例第三十一条）；"
               "收到当日不计入。")

    if st.corrections:
        first = st.corrections[0]
        k = wd.count(c.received, first.date)
        late = "，已超过7个工作日" if first.date > c.correction_notice_due else ""
        line = (f"补正告知：应在收到申请后7个工作日内（{_fd(c.correction_notice_due)}前）一次性告知；"
                f"{_fd(first.date)}告知补正（第{k}个工作日{late}）")
        last = st.corrections[-1]
        line += f"，补正期限{last.days}个工作日，至{_fd(c.correction_deadline)}。" if c.correction_deadline else "。"
        if len(st.corrections) > 1:
            line += f"（共告知补正{len(st.corrections)}次，条例第三十条要求一次性告知）"
        out.append(line)
        if st.corrected is not None:
            out.append(f"{_fd(st.corrected.date, True)}收到补正后的申请，答复期限自该日重新计算，当日不计入。")
        elif st.closing is not None and st.closing.type == "no_correction":
            out.append(f"申请人逾期未补正，{_fd(st.closing.date)}按“逾期不补正”办结（视为放弃申请）。")
        elif c.status == "lapsed":
            out.append(f"补正期限已于{_fd(c.correction_deadline)}届满，申请人未补正："
                       "可记录“逾期未补正”办结（视为放弃申请）。")
        elif c.due is None:
            out.append("正在等待申请人补正；收到补正后的申请之日起重新计算20个工作日。")

    if c.due is not None and st.longer is None:
        line = "答复期限：20个工作日（条例第三十三条）"
        for e in st.extensions:
            line += f"；{_fd(e.date)}经{e.approver or '（未写明）'}批准延期{e.days}个工作日"
            line += f"（{e.reason}）" if e.reason else ""
        if st.extensions:
            line += f"，共{c.period}个工作日"
        out.append(line + "。")
    for p in c.pauses:
        out.append(_pause_line(p) + "。")
    if st.fee is not None:
        f = st.fee
        served = f"申请人{_fd(f.served)}收到" if f.served else "送达日期未记录，按发出之日计算"
        basis = f"{f.pages}页" if f.method == "page" and f.pages else (
            f"当月第{f.position}件" if f.position else "")
        out.append(f"收费：{FEE_METHODS.get(f.method, f.method)}{('，' + basis) if basis else ''}，"
                   f"{f.amount}元；{served}，缴费期限为次日起20个工作日，至{_fd(c.payment_deadline)}。"
                   )

    if c.due is not None:
        hol, on = holidays_between(wd, c.start, c.due)
        if hol:
            out.append(f"其间休息的节假日：{'、'.join(hol)}。")
        if on:
            out.append(f"其间调休上班：{'、'.join(on)}。")
        if st.longer is not None:
            line = f"依条例第三十五条，{_fd(st.longer.date)}另行确定答复期限至{_fd(c.due, True)}"
            line += f"（{st.longer.reason}）" if st.longer.reason else ""
        else:
            line = f"第{c.period}个工作日为{_fd(c.due, True)}"
        if c.provisional:
            years = "、".join(str(y) for y in c.assumed_years)
            line += f"（{years}年放假安排尚未公布，暂按周末和固定日期的法定节日推算）"
        if any(p.running for p in c.pauses):
            line += "；尚未结束的暂停按其期满计算，提前结束的，期限相应提前"
        out.append(line + "。")

    closing = st.closing
    if isinstance(closing, Decided):
        o = OUTCOMES[closing.outcome]
        when = ""
        if c.due is not None:
            over = wd.count(c.due, closing.date)
            when = f"，超过期限{over}个工作日" if c.replied_late else "，在期限内"
        out.append(f"{_fd(closing.date)}作出答复：{o.label}（{req.ground or '未写明依据'}）{when}。")
    elif closing is not None and closing.type != "no_correction":
        out.append(f"{_fd(closing.date)}{closing.label}，按“{OUTCOMES[req.outcome or 'other.other'].label}”办结。")
    elif c.status == "late":
        out.append(f"截至{_fd(c.today)}，已逾期{c.late_by}个工作日。")
    elif c.status in ("open", "due_soon"):
        out.append(f"截至{_fd(c.today)}，已用{c.days_used}个工作日，尚余{c.days_left}个工作日。")
    elif c.status == "paused" and c.reason != "correction":
        out.append(f"截至{_fd(c.today)}，{c.status_label}，已用{c.days_used}个工作日。")
    elif c.status == "lapsed" and c.reason == "fee":
        out.append(f"缴费期限已于{_fd(c.payment_deadline)}届满，未缴费：可记录“逾期未缴费”办结。")
    out.append(f"所用日历：{c.calendar}。")
    return out
