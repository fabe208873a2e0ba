"""``gongkai-web demo``: load the demo data into an empty database (demo mode only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai_web.core.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from gongkai_web.orgs.models import Agency, Role


class Command(BaseCommand):
    help = "载入演示数据（方正县的机关、人员和年度报告；仅限演示模式）"

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO", False):
            raise CommandError("当前不是演示模式（生产环境不得载入演示数据和演示账号）")
        if Agency.objects.exists():
            self.stdout.write("数据库中已有机关数据，未载入演示数据。")
            return
        counts = build_demo()
        self.stdout.write(f"已载入演示数据：{counts['agencies']}个机关，{counts['users']}个账号，"
                          f"{counts['reports']}份年度报告。")
        for u in DEMO_USERS:
            self.stdout.write(f"  {u.username} / {DEMO_PASSWORD}  {Role(u.role).label}  {u.agency or ''}")
