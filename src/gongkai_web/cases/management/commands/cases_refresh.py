"""The ledger's daily job: recompute the status of every open request for today; with ``--load``,
first load a holiday arrangement (a new year's 国务院 notice or a local adjustment), re-date the
open requests and list which due dates moved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai_web.cases import actions


class Command(BaseCommand):
    help = "重算未办结申请的状态；--load 载入放假安排并重新计算答复期限，列出期限变动的申请"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--load", metavar="文件.toml", help="放假安排（gongkai 日历文件格式）")
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today 应为 YYYY-MM-DD：{options['today']}") from None
        if options.get("load"):
            path = Path(options["load"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise CommandError(f"无法读取放假安排文件“{path}”：{type(e).__name__}") from None
            try:
                arr, moved = actions.load_arrangement(None, text, today=today)
            except actions.ActionError as e:
                raise CommandError(e.message) from None
            self.stdout.write(f"已载入{arr.year}年放假安排（{arr.notice or path.name}）；"
                              f"答复期限变动的申请{len(moved)}件：")
            for req, m in moved:
                self.stdout.write(f"  {req.agency.name}{m.describe()}")
        n = actions.refresh_open(today=today)
        self.stdout.write(f"已重算{n}件未办结申请的状态。")
