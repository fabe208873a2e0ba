"""``gongkai deadline DATE [--days 20] [--calendar FILE…] [--jurisdiction NAME]``"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from ..calendar import CalendarError, load_calendar


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "deadline", help="按工作日计算答复期限",
        description="从收到申请之日起计算第 N 个工作日（收到申请当日不计入，节假日和调休按国务院安排）。"
                    "尚未载入放假安排的年份按周末和固定日期的法定节日推算，并标明“暂定”。")
    p.add_argument("date", metavar="日期", help="收到申请的日期，YYYY-MM-DD")
    p.add_argument("--days", type=int, default=20, metavar="N", help="工作日数（默认 20，条例第三十三条）")
    p.add_argument("--calendar", action="append", default=[], metavar="TOML",
                   help="另外载入的放假安排或本地调整文件，可重复")
    p.add_argument("--jurisdiction", metavar="辖区", help="使用该辖区的本地调整")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    return p


def run(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.date)
    except ValueError:
        raise CalendarError(f"日期“{args.date}”应为 YYYY-MM-DD 格式") from None
    cal = load_calendar(*args.calendar, jurisdiction=args.jurisdiction)
    try:
        res = cal.nth_working_day(start, args.days)
    except OverflowError:
        raise CalendarError(f"从 {start.isoformat()} 起算 {args.days} 个工作日超出了可计算的日期范围（公元9999年）") from None
    if args.json:
        d = res.to_dict()
        d.update({"received": start.isoformat(), "days": args.days})
        print(json.dumps(d, ensure_ascii=False))
        return 0
    line = res.date.isoformat()
    if res.provisional:
        years = "、".join(str(y) for y in res.assumed_years)
        line += f"  暂定：{years}年的放假安排尚未载入，按周末和固定日期的法定节日推算"
    print(line)
    return 0
