from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai_web.cases"
    label = "cases"
    verbose_name = "依申请公开台账"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
