"""Rate limits of the API (DRF throttling): per client address for calls without a token, per
person for calls with one.  The rates are the settings' ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
(``anon``, ``user``; from ``GONGKAI_API_RATE_ANON`` / ``GONGKAI_API_RATE_USER``), read on every
request, so a changed setting applies at once (DRF's own classes keep the rates they were imported
with).  The counts live in the default cache; a refusal is a 429 with a Chinese message and
``Retry-After`` (``errors.handle``)."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def valid_rate(rate: str | None) -> bool:
    """``"60/minute"`` and the like (DRF's form); None (no limit) is valid too."""
    return rate is None or bool(RATE.match(rate))


def rate_of(scope: str | None) -> str | None:
    """The rate set for ``scope`` now (None: no limit)."""
    rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES or {}
    rate = rates.get(scope) if scope else None
    return None if rate is None else str(rate)


class AnonThrottle(AnonRateThrottle):
    """Calls without a token (or session): counted per client address."""

    def get_rate(self) -> str | None:
        return rate_of(self.scope)


class UserThrottle(UserRateThrottle):
    """Calls with a token (or a page's session): counted per person; calls without one per address."""

    def get_rate(self) -> str | None:
        return rate_of(self.scope)
