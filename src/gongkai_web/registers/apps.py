from __future__ import annotations

from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "gongkai_web.registers"
    label = "registers"
    verbose_name = "登记簿和年度统计"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permissions)
