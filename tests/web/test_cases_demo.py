"""The ledger's demo data: 会发镇's requests this year, at every stage, replayable by the engine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongkai_web.cases import actions, queries
from gongkai_web.cases.models import Appeal, DisclosureRequest
from gongkai_web.orgs.models import User


@pytest.mark.django_db
def test_the_demo_requests() -> None:
    call_command("demo", stdout=StringIO())
    rows = DisclosureRequest.objects.filter(agency__name="方正县会发镇人民政府")
    assert rows.count() == 36 and not DisclosureRequest.objects.exclude(agency__name="方正县会发镇人民政府").exists()
    statuses = set(rows.values_list("status", flat=True))
    assert "closed" in statuses and len(statuses) >= 2
    assert rows.exclude(outcome="").values("outcome").distinct().count() >= 3
    assert Appeal.objects.count() == 1
    # every stored history replays through the engine to the same columns
    before = {r.pk: (r.status, r.due, r.outcome, r.closed_on) for r in rows}
    libs = queries.library_requests(rows[0].agency, None)
    assert len(libs) == 36
    for r in rows:
        actions.refresh(r, today=r.computed_on)
        assert before[r.pk] == (r.status, r.due, r.outcome, r.closed_on)
    c = Client()
    c.force_login(User.objects.get(username="tianbao"), backend="gongkai_web.orgs.backends.AccountBackend")
    page = c.get(reverse("cases:list", args=[rows[0].agency_id]) + "?show=all")
    assert page.status_code == 200 and rows[0].number in page.content.decode()
    for r in rows[:5]:
        html = c.get(reverse("cases:request", args=[r.pk])).content.decode()
        assert r.id_number not in html and r.id_number[-4:] in html
