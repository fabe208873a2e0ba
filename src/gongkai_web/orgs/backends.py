"""Log-in: the demo accounts work only in demo mode (never with the production settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not getattr(settings, "DEMO", False):
            return False
        return super().user_can_authenticate(user)
