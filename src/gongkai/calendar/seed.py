"""Regenerate the bundled calendar data from chinese-calendar.

    python -m gongkai.calendar.seed [FIRST_YEAR LAST_YEAR]

Writes ``src/gongkai/data/calendar/YYYY.toml`` (one small file per year).  chinese-calendar is used
only here, never at run time: the checker and the case ledger read the project's own files.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from . import Arrangement

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def arrangement(year: int) -> Arrangement:
    import chinese_calendar as cc

    arr = Arrangement(year, notice=f"国务院办公厅关于{year}年部分节假日安排的通知",
                      source=f"chinese-calendar {getattr(cc, '__version__', '')}".strip())
    d = date(year, 1, 1)
    while d.year == year:
        is_holiday, name = cc.get_holiday_detail(d)
        zh = NAMES.get(str(getattr(name, "value", name)), str(name)) if name else None
        if is_holiday and zh and d.weekday() < 5:
            arr.off[d] = zh
        elif is_holiday and zh:
            arr.off[d] = zh  # weekend days inside a holiday period: harmless, keeps the period whole
        elif not is_holiday and d.weekday() >= 5:
            arr.on[d] = zh or "调休"
        d += timedelta(days=1)
    return arr


def main(argv: list[str]) -> int:
    first, last = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (2004, 2026)
    out = Path(__file__).resolve().parent.parent / "data" / "calendar"
    out.mkdir(parents=True, exist_ok=True)
    for y in range(first, last + 1):
        (out / f"{y}.toml").write_text(arrangement(y).to_toml(), encoding="utf-8")
    print(f"wrote {last - first + 1} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
