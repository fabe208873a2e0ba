from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai_web.reports"
    label = "reports"
    verbose_name = "年度报告"
