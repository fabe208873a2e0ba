from __future__ import annotations

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ApiConfig(AppConfig):
    name = "gongkai_web.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from rest_framework.settings import api_settings

        from . import schema  # noqa: F401  (registers the OpenAPI extensions)
        from .throttling import valid_rate

        for scope, rate in (api_settings.DEFAULT_THROTTLE_RATES or {}).items():
            if not valid_rate(None if rate is None else str(rate)):
                raise ImproperlyConfigured(f"数据接口的调用频率限制“{scope}”设置有误：“{rate}”"
                                           f"（应为“次数/时段”，如 60/minute；时段为 second、minute、hour 或 day）")
