"""The page frame: the navigation each person may open (URLs reversed once per process), the
frame's own links, the current page marked."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client, override_settings
from django.urls import reverse

from gongkai_web.orgs.models import User
from gongkai_web.testing import People

NAV = re.compile(r'<nav aria-label="主导航">(.*?)</nav>', re.S)


def _nav(html: str) -> list[tuple[str, str, bool]]:
    block = NAV.search(html)
    assert block is not None
    return [(label, url, bool(current)) for url, current, label in
            re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', block.group(1))]


def test_each_person_sees_the_pages_they_may_open(people: People, client_for: Callable[[User], Client]) -> None:
    drafter = _nav(client_for(people.drafter_a).get(reverse("cases:home"), follow=True).content.decode())
    labels = [label for label, _, _ in drafter]
    assert labels == ["工作台", "机关", "登记簿和年度统计", "依申请公开", "公开年报"]
    assert ("依申请公开", reverse("cases:home"), True) in drafter  # the current page
    assert all(url == reverse(name) for (_, url, _), name in
               zip(drafter, ["home", "orgs:agencies", "registers:home", "cases:home", "public:index"], strict=True))
    supervisor = [label for label, _, _ in _nav(client_for(people.supervisor).get(reverse("home"), follow=True).content.decode())]
    assert "年报监督" in supervisor and "批量核查" in supervisor and "系统管理" not in supervisor
    anonymous = Client().get(reverse("public:index"), follow=True).content.decode()
    assert [label for label, _, _ in _nav(anonymous)] == ["公开年报"]
    assert f'<a href="{reverse("login")}">登录</a>' in anonymous


def test_the_frame_links_and_a_changed_navigation(people: People, client_for: Callable[[User], Client]) -> None:
    page = client_for(people.drafter_a).get(reverse("home")).content.decode()
    assert f'<a class="brand" href="{reverse("home")}">' in page
    assert f'<a href="{reverse("password_change")}">修改密码</a>' in page
    assert f'action="{reverse("logout")}"' in page
    with override_settings(GONGKAI_NAV=[("公开年报", "public:index", None), ("没有的页面", "no:such", None)]):
        nav = _nav(client_for(people.drafter_a).get(reverse("home")).content.decode())
    assert [label for label, _, _ in nav] == ["公开年报"]
