from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai_web.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from gongkai_web import permissions  # noqa: F401  (registers the rules)

        from . import checks  # noqa: F401  (registers the system checks)
