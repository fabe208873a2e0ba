"""Navigation for the base template: what the signed-in person may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("工作台", reverse("home")))
        items.append(("机关", reverse("orgs:agencies")))
        if user.has_perm("orgs.manage_agencies"):
            items.append(("系统管理", reverse("admin:index")))
    items.append(("公开年报", reverse("public:index")))
    path = request.path
    active = max((url for _, url in items if path.startswith(url)), key=len, default="")
    return {"nav_items": [{"label": label, "url": url, "active": url == active} for label, url in items]}
