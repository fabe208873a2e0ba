from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gongkai_web.orgs"
    label = "orgs"
    verbose_name = "机关和人员"
