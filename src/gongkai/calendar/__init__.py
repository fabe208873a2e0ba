"""The official working-day calendar: weekends, public holidays and 调休 working days.

The project keeps its own data, one small TOML file per year in ``gongkai/data/calendar/``
(seeded from chinese-calendar by ``python -m gongkai.calendar.seed``).  An administrator loads the
next year's State Council arrangement, or a jurisdiction's local adjustments, from a file of the
same shape::

    year = 2027
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    # jurisdiction = "某市"        # local adjustments, applied on top of the national arrangement
    [off]                          # days off (holiday → dates; "a..b" is an inclusive range)
    "元旦" = ["2027-01-01"]
    [on]                           # weekend days that are working days (调休)
    "春节" = ["2027-02-07"]

A year with no loaded arrangement falls back to weekends plus the fixed-date statutory holidays of
the 全国年节及纪念日放假办法 (2024 revision, in force 2025-01-01: 元旦 1月1日, 劳动节 5月1日–2日,
国庆节 10月1日–3日); every answer that relies on such a year is flagged ``provisional``.

Counting follows LAW.md: the day of receipt is not counted; day 1 is the first working day after it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import GongkaiError

__all__ = [
    "FIXED_HOLIDAYS",
    "Arrangement",
    "CalendarError",
    "WorkCalendar",
    "WorkdayResult",
    "default_calendar",
    "is_working_day",
    "load_calendar",
    "nth_working_day",
    "parse_arrangement",
]

#: fixed-date statutory holidays (全国年节及纪念日放假办法, 2024 revision): (month, day, name)
FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"),
)


class CalendarError(GongkaiError):
    """A calendar file or date that cannot be used."""


@dataclass
class Arrangement:
    """One year's days off and 调休 working days (national, or a jurisdiction's adjustments)."""

    year: int
    off: dict[date, str] = field(default_factory=dict)
    on: dict[date, str] = field(default_factory=dict)
    notice: str | None = None
    source: str | None = None
    jurisdiction: str | None = None

    def to_toml(self) -> str:
        lines = [f"year = {self.year}"]
        for k in ("notice", "source", "jurisdiction"):
            v = getattr(self, k)
            if v:
                lines.append(f'{k} = "{v}"')
        for table, days in (("off", self.off), ("on", self.on)):
            lines.append(f"\n[{table}]")
            by_name: dict[str, list[date]] = {}
            for d in sorted(days):
                by_name.setdefault(days[d], []).append(d)
            for name, ds in by_name.items():
                lines.append(f'"{name}" = [{", ".join(f"{chr(34)}{r}{chr(34)}" for r in _ranges(ds))}]')
        return "\n".join(lines) + "\n"


def _ranges(ds: list[date]) -> list[str]:
    out: list[str] = []
    start = prev = ds[0]
    for d in [*ds[1:], None]:
        if d is not None and d - prev == timedelta(days=1):
            prev = d
            continue
        out.append(start.isoformat() if start == prev else f"{start.isoformat()}..{prev.isoformat()}")
        if d is not None:
            start = prev = d
    return out


def _dates(raw: Any, where: str, year: int) -> list[date]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise CalendarError(f"日期应写成列表，如 [\"{year}-01-01\"]", where=where)
    out: list[date] = []
    for item in raw:
        text = str(item)
        a, _, b = text.partition("..")
        try:
            d0 = date.fromisoformat(a.strip())
            d1 = date.fromisoformat(b.strip()) if b else d0
        except ValueError:
            raise CalendarError(f"无法识别的日期“{text}”（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
                                where=where) from None
        if d1 < d0 or (d1 - d0).days > 40:
            raise CalendarError(f"日期范围“{text}”不合理", where=where)
        while d0 <= d1:
            out.append(d0)
            d0 += timedelta(days=1)
    return out


def parse_arrangement(text: str, where: str = "日历文件") -> Arrangement:
    """One year's arrangement from the TOML text of a calendar file."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CalendarError(f"不是有效的 TOML：{e}", where=where) from None
    year = raw.get("year")
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise CalendarError("缺少“year”（年份，整数）", where=where)
    arr = Arrangement(year, notice=raw.get("notice"), source=raw.get("source"),
                      jurisdiction=raw.get("jurisdiction"))
    for table in ("off", "on"):
        section = raw.get(table) or {}
        if not isinstance(section, dict):
            raise CalendarError(f"“{table}”应为表（节日名 = 日期列表）", where=where)
        for name, days in section.items():
            for d in _dates(days, where, year):
                if d.year != year and not (table == "on" and abs(d.year - year) == 1):
                    raise CalendarError(f"日期 {d.isoformat()} 不在 {year} 年", where=where)
                getattr(arr, table)[d] = str(name)
    both = set(arr.off) & set(arr.on)
    if both:
        raise CalendarError(f"{min(both).isoformat()} 同时列为休息日和工作日", where=where)
    unknown = set(raw) - {"year", "notice", "source", "jurisdiction", "off", "on"}
    if unknown:
        raise CalendarError(f"未知的项：{'、'.join(sorted(unknown))}", where=where)
    return arr


@dataclass(frozen=True)
class WorkdayResult:
    """A computed date and whether it rests on a year whose arrangement is not loaded."""

    date: date
    provisional: bool
    #: years for which weekends + fixed-date holidays were assumed
    assumed_years: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "provisional": self.provisional,
                "assumed_years": list(self.assumed_years)}


class WorkCalendar:
    """Working days from loaded arrangements, with the provisional fallback for other years."""

    def __init__(self, arrangements: Iterable[Arrangement] = (), jurisdiction: str | None = None) -> None:
        self.jurisdiction = jurisdiction
        self.years: dict[int, Arrangement] = {}
        self.local: dict[int, list[Arrangement]] = {}
        for a in arrangements:
            self.add(a)

    def add(self, arr: Arrangement) -> None:
        """A national arrangement replaces the year's; a jurisdiction's adjustments apply on top of it
        (only when this calendar is for that jurisdiction)."""
        if arr.jurisdiction:
            self.local.setdefault(arr.year, []).append(arr)
        else:
            self.years[arr.year] = arr
        self._day.cache_clear()

    def load(self, path: str | Path) -> WorkCalendar:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError:
            raise CalendarError("无法读取日历文件", where=str(p)) from None
        self.add(parse_arrangement(text, where=str(p)))
        return self

    def loaded(self, year: int) -> bool:
        return year in self.years

    @lru_cache(maxsize=8192)  # noqa: B019 - calendars are few and long-lived
    def _day(self, d: date) -> tuple[bool, str | None, bool]:
        """(working?, holiday name, provisional?)"""
        work, name = d.weekday() < 5, None
        arr = self.years.get(d.year)
        provisional = arr is None
        if arr is None:
            for m, day, hname in FIXED_HOLIDAYS:
                if (d.month, d.day) == (m, day):
                    work, name = False, hname
        else:
            if d in arr.off:
                work, name = False, arr.off[d]
            elif d in arr.on:
                work, name = True, arr.on[d]
        for loc in self.local.get(d.year, ()):
            if self.jurisdiction and loc.jurisdiction == self.jurisdiction:
                if d in loc.off:
                    work, name = False, loc.off[d]
                elif d in loc.on:
                    work, name = True, loc.on[d]
        return work, name, provisional

    def is_working_day(self, d: date) -> bool:
        return self._day(d)[0]

    def holiday_name(self, d: date) -> str | None:
        return self._day(d)[1]

    def nth_working_day(self, start: date, n: int) -> WorkdayResult:
        """The n-th working day after ``start`` (the day of receipt is not counted)."""
        if n < 0:
            raise CalendarError(f"工作日数不能为负数：{n}")
        if n > 3650:
            raise CalendarError(f"工作日数过大：{n}")
        d, count, assumed = start, 0, set()
        while count < n:
            d += timedelta(days=1)
            work, _, prov = self._day(d)
            if prov:
                assumed.add(d.year)
            if work:
                count += 1
        return WorkdayResult(d, bool(assumed), tuple(sorted(assumed)))

    def roll_forward(self, d: date) -> tuple[date, bool]:
        """``d`` if it is a working day, else the first working day after it (a period's last day
        falling on a day off moves to the next working day); and whether that rests on the fallback."""
        prov = self._day(d)[2]
        while not self._day(d)[0]:
            d += timedelta(days=1)
            prov = prov or self._day(d)[2]
        return d, prov


def bundled_arrangements() -> list[Arrangement]:
    out = []
    folder = resources.files("gongkai") / "data" / "calendar"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append(parse_arrangement(entry.read_text(encoding="utf-8"), where=entry.name))
    return out


@lru_cache(maxsize=1)
def _bundled() -> tuple[Arrangement, ...]:
    return tuple(bundled_arrangements())


def load_calendar(*files: str | Path, jurisdiction: str | None = None) -> WorkCalendar:
    """The bundled national calendar plus arrangements loaded from ``files``."""
    cal = WorkCalendar(_bundled(), jurisdiction=jurisdiction)
    for f in files:
        cal.load(f)
    return cal


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return load_calendar()


def is_working_day(d: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(d)


def nth_working_day(start: date, n: int, calendar: WorkCalendar | None = None) -> WorkdayResult:
    """The n-th working day after the day of receipt ``start`` (which is not counted)."""
    return (calendar or default_calendar()).nth_working_day(start, n)
