"""Navigation for the base template: what the signed-in person may open.

The entries are data (``settings.GONGKAI_NAV``): each app adds its own page with its URL name and
the permission that shows it (``None``: everyone; ``"login"``: anyone signed in)."""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_items``, worked out only when a template shows it (an htmx fragment such as the live
    check never does, and the permission checks cost a fragment a fifth of its time)."""
    return {"nav_items": lambda: _items(request)}


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
    for label, url_name, perm in getattr(settings, "GONGKAI_NAV", ()):
        if perm == "login" and not signed_in:
            continue
        if perm not in (None, "login") and not (signed_in and user is not None and _allowed(user, perm)):
            continue
        try:
            items.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue  # an app not installed here
    path = request.path
    active = max((url for _, url in items if path.startswith(url)), key=len, default="")
    return [{"label": label, "url": url, "active": url == active} for label, url in items]
