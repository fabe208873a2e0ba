"""System checks of the web app (``gongkai-web check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.database)
def demo_users_outside_demo(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Outside demo mode no demo account may exist (their passwords are in the README)."""
    if getattr(settings, "DEMO", False):
        return []
    from django.db import DatabaseError

    from gongkai_web.orgs.models import User

    try:
        names = list(User.objects.filter(is_demo=True).values_list("username", flat=True)[:10])
    except DatabaseError:
        return []
    if not names:
        return []
    return [Error(f"数据库中有演示账号：{'、'.join(names)}（其密码公开在 README 中）",
                  hint="生产环境不得使用演示数据：删除演示账号（gongkai-web drop_demo_users），或换用新的数据库",
                  id="gongkai_web.E001")]
