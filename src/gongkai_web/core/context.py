"""Navigation for the base template: what the signed-in person may open.

The entries are data (``settings.GONGKAI_NAV``): each app adds its own page with its URL name and
the permission that shows it (``None``: everyone; ``"login"``: anyone signed in)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import rules
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_items``, worked out only when a template shows it (an htmx fragment such as the live
    check never does, and the permission checks cost a fragment a fifth of its time), and the
    frame's own links (``frame_urls``: home, password change, log-in and log-out)."""
    return {"nav_items": lambda: _items(request), "frame_urls": lambda: _reversed(get_script_prefix())}


@lru_cache(maxsize=8)
def _reversed(prefix: str) -> dict[str, str | None]:
    """Every URL the frame and the navigation link to, by URL name, reversed once per script prefix (they never change while
    the process runs; a page reversed a dozen of them)."""
    out: dict[str, str | None] = {}
    names = [url_name for _, url_name, _ in getattr(settings, "GONGKAI_NAV", ())] + list(_FRAME)
    for name in names:
        try:
            out[name] = reverse(name)
        except NoReverseMatch:
            out[name] = None  # an app not installed here
    return out


_FRAME = ("home", "password_change", "login", "logout")


@receiver(setting_changed)
def _forget(setting: str, **_kwargs: Any) -> None:
    """Tests that change the URLs or the navigation see the change."""
    if setting in ("ROOT_URLCONF", "GONGKAI_NAV"):
        _reversed.cache_clear()


def _allowed(user: Any, perm: str) -> bool:
    """``user.has_perm(perm)`` without Django's model-permission lookups (two queries a page) for
    the permissions declared with django-rules (``gongkai_web.permissions``), which decide alone."""
    if user.is_active and user.is_superuser:
        return True
    if rules.perm_exists(perm):
        return bool(rules.has_perm(perm, user))
    return bool(user.has_perm(perm))


def _items(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    items: list[tuple[str, str]] = []
    urls = _reversed(get_script_prefix())
    for label, url_name, perm in getattr(settings, "GONGKAI_NAV", ()):
        if perm == "login" and not signed_in:
            continue
        if perm not in (None, "login") and not (signed_in and user is not None and _allowed(user, perm)):
            continue
        url = urls.get(url_name)  # the navigation's names are all reversed (again when a test changes them)
        if url is not None:
            items.append((label, url))
    path = request.path
    active = max((url for _, url in items if path.startswith(url)), key=len, default="")
    return [{"label": label, "url": url, "active": url == active} for label, url in items]

