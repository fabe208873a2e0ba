from __future__ import annotations

from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "gongkai_web.audits"
    label = "audits"
    verbose_name = "批量核查"
