from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongkai_web.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI extensions)
