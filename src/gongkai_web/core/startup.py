"""Refusals at start-up: the production WSGI application does not start while demo accounts exist."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_demo_users() -> None:
    if getattr(settings, "DEMO", False):
        return
    from .checks import demo_users_outside_demo

    errors = demo_users_outside_demo()
    if errors:
        raise ImproperlyConfigured(f"拒绝启动：{errors[0].msg}。{errors[0].hint}")
