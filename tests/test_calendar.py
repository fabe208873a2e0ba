"""The working-day calendar: hand-checked deadlines against the State Council arrangements.

Each expected date below was counted by hand on the published arrangement of that year
(receipt day not counted; day 1 = the first working day after it).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from gongkai.calendar import (
    Arrangement,
    CalendarError,
    WorkCalendar,
    is_working_day,
    load_calendar,
    nth_working_day,
    parse_arrangement,
)

D = date.fromisoformat

HAND_CHECKED = [
    # 国庆 2025: 9/28 (Sun) works, 10/1–10/8 off, 10/11 (Sat) works
    ("2025-09-26", 20, "2025-10-30", "国庆+中秋 2025，两个调休周末工作日"),
    # 春节 2025: 1/26 (Sun) works, 1/28–2/4 off, 2/8 (Sat) works
    ("2025-01-20", 20, "2025-02-21", "春节 2025"),
    # 劳动节 2025: 4/27 (Sun) works, 5/1–5/5 off
    ("2025-04-23", 20, "2025-05-23", "劳动节 2025"),
    # Saturday receipt: day 1 is Monday 3/10; 清明 4/4 (Fri) is off
    ("2025-03-08", 20, "2025-04-07", "星期六收到，跨清明"),
    ("2025-03-08", 7, "2025-03-18", "星期六收到，补正告知 7 个工作日"),
    # 调休 working Sunday 2026-01-04 is day 1 after the 元旦 break 1/1–1/3
    ("2025-12-31", 1, "2026-01-04", "调休的星期日是第 1 个工作日"),
    ("2025-12-31", 20, "2026-01-29", "跨 2026 元旦"),
    # receipt on a 调休 working Sunday: that day is not counted
    ("2025-09-28", 1, "2025-09-29", "在调休工作日收到"),
    ("2025-09-28", 3, "2025-10-09", "在调休工作日收到，跨国庆"),
    # 春节 2026: 2/14 (Sat) works, 2/15–2/23 off, 2/28 (Sat) works
    ("2026-02-10", 5, "2026-02-24", "春节 2026"),
]


@pytest.mark.parametrize(("start", "n", "due", "why"), HAND_CHECKED)
def test_hand_checked_deadlines(start: str, n: int, due: str, why: str) -> None:
    res = nth_working_day(D(start), n)
    assert res.date == D(due), why
    assert res.provisional is False


def test_across_2026_into_2027_is_provisional() -> None:
    # 12/16 … 12/31 = 12 working days; 2027-01-01 (Fri) 元旦 off; 1/4 … 1/13 = days 13–20
    res = nth_working_day(D("2026-12-15"), 20)
    assert res.date == D("2027-01-13")
    assert res.provisional is True and res.assumed_years == (2027,)
    # wholly inside 2026: not provisional
    assert nth_working_day(D("2026-11-02"), 20).provisional is False


def test_fallback_uses_fixed_date_statutory_holidays() -> None:
    # 2030 is not loaded: weekends + 元旦 1/1, 劳动节 5/1–5/2, 国庆 10/1–10/3 (2024 revision)
    assert nth_working_day(D("2030-04-30"), 1).date == D("2030-05-03")  # Tue → Wed/Thu off → Fri
    assert nth_working_day(D("2030-09-30"), 1).date == D("2030-10-04")  # Mon → 10/1–10/3 off → Fri
    assert not is_working_day(D("2030-01-01"))
    assert nth_working_day(D("2030-04-30"), 1).provisional


@pytest.mark.parametrize(("day", "working"), [
    ("2025-09-28", True), ("2025-10-08", False), ("2026-01-04", True), ("2025-05-02", False),
    ("2024-02-04", True), ("2025-01-27", True), ("2019-05-04", False),
])
def test_single_days(day: str, working: bool) -> None:
    assert is_working_day(D(day)) is working


def test_bundled_data_matches_chinese_calendar_everywhere() -> None:
    cc = pytest.importorskip("chinese_calendar")
    d = date(2004, 1, 1)
    while d <= date(2026, 12, 31):
        assert is_working_day(d) == cc.is_workday(d), d
        d += timedelta(days=1)


NEXT_YEAR = """
year = 2027
notice = "国务院办公厅关于2027年部分节假日安排的通知（测试用的假设安排）"
[off]
"元旦" = ["2027-01-01..2027-01-04"]
[on]
"元旦" = ["2027-01-09"]
"""


def test_loading_next_years_arrangement(tmp_path: Path) -> None:
    f = tmp_path / "2027.toml"
    f.write_text(NEXT_YEAR, encoding="utf-8")
    cal = load_calendar(f)
    res = cal.nth_working_day(D("2026-12-15"), 20)
    # 12 days in December; 1/4 now off; 1/5 … 1/8 = 13–16, Saturday 1/9 works = 17, 1/11 … 1/13 = 18–20
    assert res.date == D("2027-01-13") and res.provisional is False
    assert cal.nth_working_day(D("2026-12-15"), 16).date == D("2027-01-08")
    assert cal.nth_working_day(D("2026-12-15"), 17).date == D("2027-01-09")
    assert cal.holiday_name(D("2027-01-04")) == "元旦"


def test_local_adjustment_applies_only_to_its_jurisdiction(tmp_path: Path) -> None:
    f = tmp_path / "local.toml"
    f.write_text('year = 2025\njurisdiction = "某市"\n[off]\n"本地假日" = ["2025-10-09"]\n', encoding="utf-8")
    assert load_calendar(f, jurisdiction="某市").nth_working_day(D("2025-09-26"), 20).date == D("2025-10-31")
    assert load_calendar(f).nth_working_day(D("2025-09-26"), 20).date == D("2025-10-30")


def test_toml_round_trip() -> None:
    a = Arrangement(2027, off={D("2027-01-01"): "元旦", D("2027-01-02"): "元旦"}, on={D("2027-01-09"): "元旦"},
                    notice="通知")
    b = parse_arrangement(a.to_toml())
    assert (b.year, b.off, b.on, b.notice) == (a.year, a.off, a.on, a.notice)
    assert '"元旦" = ["2027-01-01..2027-01-02"]' in a.to_toml()


@pytest.mark.parametrize(("text", "message"), [
    ("[off]\n", "缺少“year”（年份，整数）"),
    ('year = 2027\n[off]\n"元旦" = ["2027-13-01"]\n', "无法识别的日期“2027-13-01”"),
    ('year = 2027\n[off]\n"元旦" = ["2026-01-01"]\n', "日期 2026-01-01 不在 2027 年"),
    ('year = 2027\n[off]\n"a" = ["2027-01-09"]\n[on]\n"b" = ["2027-01-09"]\n', "2027-01-09 同时列为休息日和工作日"),
    ("year = ", "不是有效的 TOML"),
])
def test_bad_calendar_files(text: str, message: str) -> None:
    with pytest.raises(CalendarError) as e:
        parse_arrangement(text, where="x.toml")
    assert message in str(e.value) and str(e.value).startswith("x.toml：")


def test_counts_and_limits() -> None:
    assert nth_working_day(D("2025-03-08"), 0).date == D("2025-03-08")
    with pytest.raises(CalendarError):
        nth_working_day(D("2025-03-08"), -1)
    assert WorkCalendar().nth_working_day(D("2025-10-01"), 1).provisional  # empty calendar: all fallback
