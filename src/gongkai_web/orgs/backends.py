"""Log-in: the demo accounts work only in demo mode (never with the production settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not getattr(settings, "DEMO", False):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        """The signed-in person with their agency in the same query: nearly every page asks for
        it (permissions, the agency's pages), which was a second query per request."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("agency").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
