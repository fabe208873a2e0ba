"""The API's rate limits: 429 with a Chinese message and Retry-After once a client address (no
token) or a person (token) has made the calls the settings allow; the rates come from the settings
when the request is made (set low here with override_settings — nothing sleeps)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from gongkai_web.testing import People, Tree

from .api_helpers import Api


def limited(anon: str, user: str) -> Any:
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                             "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}})


def test_the_rate_limit_answers_429_in_chinese(tree: Tree, people: People) -> None:
    cache.clear()  # the counts of earlier tests
    with limited("2/minute", "3/minute"):
        anon = Api(None)
        assert [anon.get("agencies/").status_code for _ in range(3)] == [200, 200, 429]
        refused = anon.get("agencies/")
        assert refused.status_code == 429
        assert refused.json_data["detail"].startswith("调用过于频繁")
        assert "秒后再试" in refused.json_data["detail"]
        assert 1 <= int(refused["Retry-After"]) <= 60
        # a token's own count (per person), higher than the address's
        drafter = Api(people.drafter_a)
        assert [drafter.get("agencies/").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert Api(people.drafter_b).get("agencies/").status_code == 200  # another person: not limited
    cache.clear()
    assert Api(None).get("agencies/").status_code == 200  # the test settings' high rates again


def test_a_malformed_rate_is_refused_at_start_in_chinese() -> None:
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    with limited("60 per minute", "600/minute"), pytest.raises(ImproperlyConfigured, match="60 per minute"):
        apps.get_app_config("api").ready()
    apps.get_app_config("api").ready()  # the test settings' rates are accepted
