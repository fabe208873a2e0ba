"""The statutory clock against dates counted by hand on the State Council arrangements.

Each expected date was worked out by hand from ``src/gongkai/data/calendar/YYYY.toml`` (the
published arrangement), counting as LAW.md says: the day of receipt is not counted, day 1 is the
first working day after it, 调休 weekend days count, holidays do not.  The reasoning is written
next to each case.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.calendar import Arrangement, WorkCalendar, default_calendar, load_calendar
from gongkai.ledger import (
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Extended,
    FeeNotice,
    FeePaid,
    LongerPeriod,
    ReasonsAsked,
    Received,
    Request,
    calendar_version,
    clock,
    due_list,
    redate,
)
from gongkai.ledger.days import WorkingDays

D = date.fromisoformat


def req(rid: str, day: str, channel: str = "in_person", *events) -> Request:
    return Request(rid, "natural_person", [Received(D(day), channel=channel), *events])


def test_before_national_day_2025() -> None:
    # Received Fri 2025-09-26 online.  2025: Sun 9/28 works (调休), 10/1–10/8 off (国庆+中秋),
    # Sat 10/11 works.  9/28 (1) 9/29 (2) 9/30 (3) | 10/9 (4) 10/10 (5) 10/11 Sat (6)
    # 10/13–17 (7–11) 10/20–24 (12–16) 10/27 (17) 10/28 (18) 10/29 (19) 10/30 (20).
    c = clock(req("a", "2025-09-26", "online"), today=D("2025-10-09"))
    assert c.due == D("2025-10-30")
    assert c.status == "open" and c.provisional is False
    # by 10/9: 9/28, 9/29, 9/30, 10/9 used → 4; 16 left
    assert (c.days_used, c.days_left) == (4, 16)
    text = c.explain()
    assert "收到申请：2025年9月26日（周五），网络提交，以双方确认之日为收到申请之日（条例第三十一条）；收到当日不计入" in text
    assert "国庆节、中秋节（2025年10月1日—10月8日）" in text
    assert "其间调休上班：9月28日（周日）、10月11日（周六）" in text
    assert "第20个工作日为2025年10月30日（周四）" in text
    assert "截至2025年10月9日，已用4个工作日，尚余16个工作日" in text


def test_before_spring_festival_2026() -> None:
    # Received Tue 2026-02-10.  2026: Sat 2/14 works, 2/15–2/23 off, Sat 2/28 works.
    # 2/11 (1) 2/12 (2) 2/13 (3) 2/14 Sat (4) | 2/24 (5) 2/25 (6) 2/26 (7) 2/27 (8) 2/28 Sat (9)
    # 3/2–3/6 (10–14) 3/9–3/13 (15–19) 3/16 (20).  The 补正 notice is due on day 7: 2/26.
    c = clock(req("b", "2026-02-10"), today=D("2026-02-12"))
    assert c.due == D("2026-03-16")
    assert c.correction_notice_due == D("2026-02-26")
    assert "春节（2026年2月15日—2月23日）" in c.explain()


def test_received_on_a_saturday() -> None:
    # Signed for by post on Sat 2025-03-08.  Day 1 is Mon 3/10: 3/10–14 (1–5) 3/17–21 (6–10)
    # 3/24–28 (11–15) 3/31 (16) 4/1 (17) 4/2 (18) 4/3 (19); 4/4–4/6 清明 off; Mon 4/7 (20).
    # 补正 notice: 3/10 … 3/14 (5), 3/17 (6), 3/18 (7).
    c = clock(req("c", "2025-03-08", "post"), today=D("2025-03-10"))
    assert c.due == D("2025-04-07") and c.correction_notice_due == D("2025-03-18")
    assert "清明节（2025年4月4日—4月6日）" in c.explain()


def test_received_on_a_working_sunday() -> None:
    # Handed in on Sun 2025-09-28, a 调休 working day; it is not counted.  9/29 (1) 9/30 (2)
    # | 10/9 (3) 10/10 (4) Sat 10/11 (5) 10/13–17 (6–10) 10/20–24 (11–15) 10/27–31 (16–20).
    c = clock(req("d", "2025-09-28"), today=D("2025-09-28"))
    assert c.due == D("2025-10-31")
    assert c.days_used == 0 and c.days_left == 20


def test_across_2026_into_2027_is_provisional_and_says_so() -> None:
    # Received Tue 2026-12-15.  12/16–18 (1–3) 12/21–25 (4–8) 12/28–31 (9–12); 2027 is not loaded:
    # weekends plus the fixed-date holidays, so Fri 1/1 is off; 1/4–8 (13–17) 1/11 (18) 1/12 (19)
    # 1/13 (20).
    c = clock(req("e", "2026-12-15"), today=D("2026-12-16"))
    assert c.due == D("2027-01-13")
    assert c.provisional is True and c.assumed_years == (2027,)
    assert "第20个工作日为2027年1月13日（周三）（2027年放假安排尚未公布，暂按周末和固定日期的法定节日推算）" in c.explain()
    assert c.calendar == calendar_version(default_calendar())
    assert c.to_dict()["provisional"] is True
    # wholly inside 2026: not provisional
    assert clock(req("f", "2026-11-02"), today=D("2026-11-02")).provisional is False


def test_a_correction_restarts_the_clock() -> None:
    # Received Mon 2025-06-09.  补正 notice due on day 7: 6/10 (1) … 6/13 (4) 6/16 (5) 6/17 (6) 6/18 (7).
    # Notice sent Wed 6/11 (day 2) with 10 working days: 6/12 (1) 6/13 (2) 6/16–20 (3–7) 6/23 (8)
    # 6/24 (9) 6/25 (10).  The corrected request arrives Fri 6/20: the 20 days run again from it:
    # 6/23–27 (1–5) 6/30–7/4 (6–10) 7/7–11 (11–15) 7/14–18 (16–20) → 7/18.  (Without the restart
    # the due date would have been 7/7.)
    r = req("g", "2025-06-09", "in_person", CorrectionRequested(D("2025-06-11"), days=10, items="写明年份"))
    c = clock(r, today=D("2025-06-16"))
    assert c.due is None and c.status == "paused" and c.reason == "correction"
    assert c.status_label == "依法暂停计时（等待补正）"
    assert c.correction_notice_due == D("2025-06-18") and c.correction_deadline == D("2025-06-25")
    assert clock(r, today=D("2025-06-26")).status == "lapsed"
    r.add(Corrected(D("2025-06-20")))
    c = clock(r, today=D("2025-06-23"))
    assert c.start == D("2025-06-20") and c.due == D("2025-07-18")
    assert (c.days_used, c.days_left) == (1, 19)
    text = c.explain()
    assert "2025年6月11日告知补正（第2个工作日）" in text
    assert "2025年6月20日（周五）收到补正后的申请，答复期限自该日重新计算" in text


def test_a_late_correction_notice_is_shown() -> None:
    # Received 2025-06-09; day 7 is 6/18; a notice on 6/19 is day 8.
    r = req("h", "2025-06-09", "in_person", CorrectionRequested(D("2025-06-19"), days=5))
    assert "（第8个工作日，已超过7个工作日）" in clock(r, today=D("2025-06-19")).explain()


def test_a_consultation_pause_spanning_national_day() -> None:
    # Received Thu 2025-09-25 online; a third party consulted on Fri 9/26 (day 1, which counts);
    # it answers on Fri 10/10.  Paused (9/26, 10/10]: working days Sun 9/28, 9/29, 9/30, 10/9, 10/10
    # = 5 (10/1–10/8 are holidays anyway).  Then Sat 10/11 (2) 10/13–17 (3–7) 10/20–24 (8–12)
    # 10/27–31 (13–17) 11/3 (18) 11/4 (19) 11/5 (20).  Without the pause: 10/29.
    r = req("i", "2025-09-25", "online", ConsultationStarted(D("2025-09-26"), party="third_party", whom="某公司"))
    c = clock(r, today=D("2025-10-09"))
    assert c.status == "paused" and c.reason == "consultation"
    # while unanswered, the pause is taken to its lawful end: 15 working days after 9/26 =
    # 9/28 (1) 9/29 (2) 9/30 (3) 10/9 (4) 10/10 (5) 10/11 (6) 10/13–17 (7–11) 10/20–23 (12–15) → 10/23,
    # i.e. 15 days paused, due 10/29 + 15 working days = 11/19
    assert c.pauses[0].end == D("2025-10-23") and c.pauses[0].running and c.due == D("2025-11-19")
    r.add(ConsultationAnswered(D("2025-10-10"), whom="某公司"))
    c = clock(r, today=D("2025-10-13"))
    assert c.due == D("2025-11-05") and c.pauses[0].days == 5 and c.status == "open"
    assert "征求某公司意见（2025年9月26日发出，15个工作日）：2025年9月27日—10月10日不计入，共5个工作日" in c.explain()


def test_an_unanswered_consultation_ends_after_fifteen_working_days() -> None:
    # Agency consulted Mon 2025-03-03 (received Fri 2/28) and never answers: the pause ends on the
    # 15th working day, 3/4–7 (1–4) 3/10–14 (5–9) 3/17–21 (10–14) 3/24 (15); the clock runs again.
    r = req("j", "2025-02-28", "online", ConsultationStarted(D("2025-03-03"), party="agency", whom="某局"))
    c = clock(r, today=D("2025-03-26"))
    assert c.status == "open" and c.pauses[0].end == D("2025-03-24") and c.pauses[0].ended == "lapsed"
    # Mon 3/3 is day 1 (the consultation's own day counts), 3/4–3/24 paused, then 3/25 (2) 3/26 (3)
    # 3/27 (4) 3/28 (5) 3/31 (6) 4/1 (7) 4/2 (8) 4/3 (9); 4/4 清明 off; 4/7–11 (10–14)
    # 4/14–18 (15–19) 4/21 (20).  (Without the pause: 3/28.)
    assert c.due == D("2025-04-21")


def test_an_extension() -> None:
    # Received Mon 2025-03-03: 3/4–7 (1–4) 3/10–14 (5–9) 3/17–21 (10–14) 3/24–28 (15–19) 3/31 (20).
    # Extended by 20 on 3/25: 4/1 (21) 4/2 (22) 4/3 (23); 4/4 清明 off; 4/7–11 (24–28)
    # 4/14–18 (29–33) 4/21–25 (34–38); Sun 4/27 works (劳动节 调休) (39); Mon 4/28 (40).
    r = req("k", "2025-03-03")
    assert clock(r, today=D("2025-03-25")).due == D("2025-03-31")
    r.add(Extended(D("2025-03-25"), days=20, approver="王主任", reason="需要检索大量档案"))
    c = clock(r, today=D("2025-03-25"))
    assert c.due == D("2025-04-28") and c.period == 40 and c.extension == 20 and c.base_due == D("2025-03-31")
    assert "2025年3月25日经王主任批准延期20个工作日（需要检索大量档案），共40个工作日" in c.explain()


def test_fee_period_pauses_the_clock() -> None:
    # Received Mon 2025-03-03; fee notice Wed 3/5 (day 2), served Thu 3/6; the applicant may pay
    # until the 20th working day after 3/6: 3/7 (1) 3/10–14 (6) 3/17–21 (11) 3/24–28 (16)
    # 3/31 4/1 4/2 4/3 (17–20) → 4/3.  Paid Mon 3/10: paused (3/5, 3/10] = 3/6, 3/7, 3/10 = 3 days;
    # the reply moves from 3/31 to 3 working days later: 4/1, 4/2, 4/3.
    r = req("l", "2025-03-03", "in_person",
            FeeNotice(D("2025-03-05"), method="page", amount=Decimal(700), pages=100, served=D("2025-03-06")))
    c = clock(r, today=D("2025-03-07"))
    assert c.status == "paused" and c.reason == "fee" and c.payment_deadline == D("2025-04-03")
    assert clock(r, today=D("2025-04-04")).status == "lapsed"
    r.add(FeePaid(D("2025-03-10")))
    c = clock(r, today=D("2025-03-10"))
    assert c.due == D("2025-04-03") and c.pauses[0].days == 3 and c.status == "open"


def test_longer_period_under_article_35() -> None:
    r = req("m", "2025-03-03", "in_person", ReasonsAsked(D("2025-03-05")),
            LongerPeriod(D("2025-03-10"), until=D("2025-06-30"), reason="申请数量巨大"))
    c = clock(r, today=D("2025-06-27"))
    assert c.due == D("2025-06-30") and c.status == "due_soon" and c.days_left == 1
    assert "依条例第三十五条，2025年3月10日另行确定答复期限至2025年6月30日（周一）" in c.explain()


def test_status_due_soon_late_and_replied_late() -> None:
    r = req("n", "2025-03-03")  # due 3/31
    assert clock(r, today=D("2025-03-21")).status == "open"          # 14 used, 6 left
    assert clock(r, today=D("2025-03-24")).status == "due_soon"      # 15 used, 5 left
    late = clock(r, today=D("2025-04-02"))                           # 4/1, 4/2 past the due date
    assert late.status == "late" and late.late_by == 2
    assert "已逾期2个工作日" in late.explain()
    r.add(Decided(D("2025-04-02"), outcome="granted"))
    c = clock(r, today=D("2025-04-10"))
    assert c.status == "closed" and c.replied_late is True
    assert "超过期限2个工作日" in c.explain()


def test_due_list_orders_by_urgency_and_skips_closed() -> None:
    rs = [req("open", "2025-03-10"), req("late", "2025-02-03"), req("soon", "2025-02-28"),
          req("closed", "2025-02-03", "in_person", Decided(D("2025-02-20"), outcome="granted")),
          req("paused", "2025-03-10", "in_person", CorrectionRequested(D("2025-03-11"), days=10)),
          req("future", "2025-04-01")]
    out = due_list(rs, today=D("2025-03-21"))
    assert [c.request_id for c in out] == ["late", "soon", "open", "paused"]
    assert [c.status for c in out] == ["late", "due_soon", "open", "paused"]


def _with_local_day_off() -> WorkCalendar:
    cal = load_calendar(jurisdiction="某市")
    cal.add(Arrangement(2027, off={D("2027-01-04"): "本地调整（测试数据）"}, jurisdiction="某市"))
    return cal


def test_calendar_change_moves_open_due_dates_not_closed_ones() -> None:
    # Both received Tue 2026-12-15, due 2027-01-13 on the bundled calendar (see above).  A local
    # adjustment makes Mon 2027-01-04 a day off: day 13 becomes 1/5 … day 20 becomes 1/14.
    open_ = req("open", "2026-12-15")
    closed = req("closed", "2026-12-15", "in_person", Decided(D("2026-12-22"), outcome="granted"))
    old, new = load_calendar(), _with_local_day_off()
    moved = redate([open_, closed], old, new, today=D("2026-12-23"))
    assert [(m.request_id, m.old, m.new, m.days) for m in moved] == [("open", D("2027-01-13"), D("2027-01-14"), 1)]
    assert moved[0].describe() == "申请open：答复期限由2027年1月13日改为2027年1月14日（推后1天）"
    assert moved[0].old_calendar != moved[0].new_calendar and "某市本地调整2027年" in moved[0].new_calendar
    assert clock(open_, new, today=D("2026-12-23")).due == D("2027-01-14")


def test_loading_a_new_years_notice_clears_the_provisional_flag() -> None:
    # A (made-up, test-only) 2027 notice with only 1/1 off: the dates do not move, but they no
    # longer rest on the fallback, and the version says which calendar was used.
    r = req("p", "2026-12-15")
    new = load_calendar()
    new.add(Arrangement(2027, off={D("2027-01-01"): "元旦"}, notice="测试用2027年安排"))
    assert redate([r], load_calendar(), new, today=D("2026-12-16")) == []
    c = clock(r, new, today=D("2026-12-16"))
    assert c.due == D("2027-01-13") and c.provisional is False and "全国2004—2027年" in c.calendar


def test_a_calendar_changed_in_place_is_noticed() -> None:
    cal = load_calendar(jurisdiction="某市")
    r = req("q", "2026-12-15")
    assert clock(r, cal, today=D("2026-12-16")).due == D("2027-01-13")
    cal.add(Arrangement(2027, off={D("2027-01-04"): "本地调整（测试数据）"}, jurisdiction="某市"))
    assert clock(r, cal, today=D("2026-12-16")).due == D("2027-01-14")


@pytest.mark.parametrize("start", ["2024-01-01", "2024-09-27", "2025-01-24", "2025-12-20", "2026-09-18"])
def test_working_days_index_agrees_with_the_calendar(start: str) -> None:
    cal = default_calendar()
    wd = WorkingDays(cal)
    d = D(start)
    for n in (0, 1, 7, 15, 20, 40, 300):
        assert wd.nth(d, n) == cal.nth_working_day(d, n).date, (start, n)
    assert wd.count(d, wd.nth(d, 20)) == 20
