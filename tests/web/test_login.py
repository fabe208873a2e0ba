"""Log-in, log-out, password change, login throttling, CSRF, and the demo accounts outside demo mode."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from gongkai_web.testing import PASSWORD, People


def login(c: Client, username: str, password: str) -> str:
    r = c.post(reverse("login"), {"username": username, "password": password})
    return r["Location"] if r.status_code == 302 else r.content.decode()


def test_login_and_logout(people: People) -> None:
    c = Client()
    assert login(c, "drafter_a", PASSWORD) == reverse("home")
    assert "工作台" in c.get(reverse("home")).content.decode()
    c.post(reverse("logout"))
    r = c.get(reverse("workbench"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_a_wrong_password_gets_a_chinese_message(people: People) -> None:
    page = login(Client(), "drafter_a", "wrong-password")
    assert "用户名或密码不正确" in page


def test_login_is_throttled_after_five_failures(people: People) -> None:
    c = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(5):
        login(c, "drafter_a", "wrong-password")
    page = login(c, "drafter_a", PASSWORD)  # even the right password is refused now
    assert "已被锁定" in page
    assert "_auth_user_id" not in c.session
    # another account from the same address is not locked
    assert login(Client(REMOTE_ADDR="10.9.8.7"), "drafter_b", PASSWORD) == reverse("home")


def test_password_change(people: People) -> None:
    c = Client()
    login(c, "drafter_a", PASSWORD)
    r = c.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "123",
                                            "new_password2": "123"})
    assert r.status_code == 200 and "密码" in r.content.decode()
    people.drafter_a.refresh_from_db()
    assert people.drafter_a.check_password(PASSWORD)  # refused: too short, numeric
    r = c.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "换一个更长的密码abc",
                                            "new_password2": "换一个更长的密码abc"})
    assert r.status_code == 302
    people.drafter_a.refresh_from_db()
    assert people.drafter_a.check_password("换一个更长的密码abc")


def test_forms_need_the_csrf_token(people: People) -> None:
    c = Client(enforce_csrf_checks=True)
    r = c.post(reverse("login"), {"username": "drafter_a", "password": PASSWORD})
    assert r.status_code == 403


@pytest.mark.parametrize("demo", [True, False])
def test_demo_accounts_log_in_only_in_demo_mode(people: People, demo: bool) -> None:
    user = people.drafter_a
    user.is_demo = True
    user.save()
    with override_settings(DEMO=demo):
        where = login(Client(), "drafter_a", PASSWORD)
    assert (where == reverse("home")) is demo


def test_the_signed_in_persons_agency_comes_with_them(people: People, django_assert_num_queries: Any) -> None:
    """One query reads the person and their agency (pages ask for the agency on nearly every request)."""
    from gongkai_web.orgs.backends import AccountBackend

    with django_assert_num_queries(1):
        user = AccountBackend().get_user(people.supervisor.pk)
        assert user is not None and user.agency.name == people.supervisor.agency.name
    assert AccountBackend().get_user(10**9) is None
