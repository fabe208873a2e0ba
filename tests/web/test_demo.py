"""The demo data (``gongkai-web demo``): 方正县 with its townships and departments, 会发镇's real 2021
report imported from the seed and published, generated years for the others at every stage, one
demo account per role; refused outside demo mode."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from gongkai_web.core.demo import DEMO_PASSWORD, DEMO_USERS
from gongkai_web.orgs.models import Agency, Role, User
from gongkai_web.reports.models import Report


@pytest.mark.django_db
def test_the_demo_data() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "已载入演示数据" in out.getvalue()
    county = Agency.objects.get(name="方正县人民政府")
    huifa = Agency.objects.get(name="方正县会发镇人民政府")
    assert huifa.is_in_subtree_of(county) and huifa.kind == "township"
    kinds = set(Agency.objects.subtree(county).values_list("kind", flat=True))
    assert kinds == {"government", "government_office", "department", "dispatched", "township"}
    seed = Report.objects.get(agency=huifa, year=2021)
    assert seed.status == "published" and seed.errors == 0
    assert seed.versions.get().document["published"] == "2022-01-20"  # the date printed in the seed
    assert set(Report.objects.values_list("status", flat=True)) >= {"draft", "submitted", "approved", "published"}
    assert Report.objects.filter(errors__gt=0).exists()  # realistic defects
    latest = max(Report.objects.values_list("year", flat=True))
    assert Agency.objects.exclude(reports__year=latest).exists()  # someone has not started
    for u in DEMO_USERS:
        user = User.objects.get(username=u.username)
        assert user.is_demo and user.role == u.role
        c = Client()
        r = c.post(reverse("login"), {"username": u.username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, u.username
    assert User.objects.get(username="zhuguan").role == Role.SUPERVISOR
    call_command("demo", stdout=out)  # a second run changes nothing
    assert "未载入" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_is_refused_outside_demo_mode() -> None:
    with override_settings(DEMO=False), pytest.raises(CommandError, match="不是演示模式"):
        call_command("demo", stdout=StringIO())
    assert not Agency.objects.exists()
