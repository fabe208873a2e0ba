"""Helpers of the API tests: a client speaking for a person through their API token."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gongkai import schema
from gongkai_web.api import actions as api_actions
from gongkai_web.orgs.models import User


class Api:
    """A client calling the API with ``user``'s token (anonymous when ``user`` is None); bodies
    and answers go through the library's exact JSON, so amounts are compared as Decimals."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Token {api_actions.issue_token(None, user).key}"

    def _answer(self, response: Any) -> Any:
        response.json_data = schema.loads(response.content.decode()) if response.content else None
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self._answer(self.client.get(f"/api/v1/{path}", params, headers=self.headers))

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else schema.dumps(body if body is not None else {}, indent=None)
        return self._answer(self.client.post(f"/api/v1/{path}", data, content_type="application/json",
                                             headers=self.headers))

    def patch(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else schema.dumps(body, indent=None)
        return self._answer(self.client.patch(f"/api/v1/{path}", data, content_type="application/json",
                                              headers=self.headers))
