from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai_web.supervision"
    label = "supervision"
    verbose_name = "年报监督"
