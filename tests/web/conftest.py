"""Fixtures of the web app's tests: a small agency tree and people in every role (made through
the actions modules by ``gongkai_web.testing``), and a logged-in client per person."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from gongkai_web.orgs.models import User
from gongkai_web.testing import People, Tree, make_people, make_tree


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Each test starts with no saved document read before: a test database rolled back can give a
    new report the id (and, under a frozen clock, the last change) of one an earlier test read."""
    from gongkai_web.reports import checks, library

    library.forget_saved()
    checks.previous_digest.cache_clear()


@pytest.fixture
def tree(db: None) -> Tree:
    return make_tree()


@pytest.fixture
def people(tree: Tree) -> People:
    return make_people(tree)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        c = Client()
        c.force_login(user, backend="gongkai_web.orgs.backends.AccountBackend")
        return c

    return make
