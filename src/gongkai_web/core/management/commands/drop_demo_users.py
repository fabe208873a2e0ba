"""``gongkai-web drop_demo_users``: remove the demo accounts (before going to production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai_web.orgs.models import User


class Command(BaseCommand):
    help = "删除全部演示账号（其密码公开在 README 中）"

    def handle(self, *args: Any, **options: Any) -> None:
        names = list(User.objects.filter(is_demo=True).values_list("username", flat=True))
        for user in User.objects.filter(is_demo=True):
            user.delete()
        self.stdout.write(f"已删除{len(names)}个演示账号" + (f"：{'、'.join(names)}" if names else ""))
