"""Every ledger page: allowed and denied (403/404, nothing changed), and what the pages show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai_web.cases.models import DisclosureRequest, PersonalDataView, RequestEvent
from gongkai_web.cases.testing import make_request
from gongkai_web.orgs.models import User
from gongkai_web.testing import People, Tree

FRI = date(2025, 9, 26)
Clients = Callable[[User], Client]


@pytest.fixture
def row(tree: Tree, people: People) -> DisclosureRequest:
    return make_request(people.drafter_a, tree.town_a, FRI, id_type="resident_id", id_number="230124199001011234",
                        phone="13812345678")


def test_request_page_shows_the_due_date_with_its_working(row: DisclosureRequest, people: People,
                                                          client_for: Clients) -> None:
    for user in (people.drafter_a, people.approver_a, people.supervisor, people.city_supervisor, people.admin):
        r = client_for(user).get(reverse("cases:request", args=[row.pk]))
        assert r.status_code == 200, user
        html = r.content.decode()
        assert "2025年10月30日" in html and "收到申请：2025年9月26日（周五）" in html
        assert "13812345678" not in html and "138****5678" in html
        assert "230124199001011234" not in html and "230***********1234" in html
    for user in (people.drafter_b, people.dept_drafter):
        assert client_for(user).get(reverse("cases:request", args=[row.pk])).status_code == 404


def test_personal_data_only_for_the_agencys_handlers_and_logged(row: DisclosureRequest, people: People,
                                                                client_for: Clients) -> None:
    r = client_for(people.approver_a).post(reverse("cases:personal", args=[row.pk]))
    assert r.status_code == 200 and "13812345678" in r.content.decode()
    assert PersonalDataView.objects.filter(user=people.approver_a, request=row).count() == 1
    assert client_for(people.supervisor).post(reverse("cases:personal", args=[row.pk])).status_code == 403
    assert client_for(people.drafter_b).post(reverse("cases:personal", args=[row.pk])).status_code == 404
    assert PersonalDataView.objects.count() == 1


def test_steps_allowed_and_denied(row: DisclosureRequest, people: People, client_for: Clients) -> None:
    url = reverse("cases:step", args=[row.pk, "decide"])
    data = {"on": "2025-10-09", "outcome": "granted"}
    assert client_for(people.supervisor).post(url, data).status_code == 403
    assert client_for(people.drafter_b).post(url, data).status_code == 404
    assert RequestEvent.objects.filter(request=row).count() == 1
    r = client_for(people.drafter_a).post(url, {"on": "2025-09-20", "outcome": "granted"})
    assert r.status_code == 400 and "早于上一事件" in r.content.decode()
    r = client_for(people.drafter_a).post(url, {"on": "2025-10-09", "outcome": "other.other"})
    assert r.status_code == 400 and "须写明答复依据" in r.content.decode()
    assert RequestEvent.objects.filter(request=row).count() == 1
    r = client_for(people.drafter_a).post(url, data)
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.outcome == "granted"


def test_intake_allowed_and_denied(tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:intake", args=[tree.town_a.pk])
    data = {"channel": "in_person", "day": "2025-09-26", "applicant_kind": "natural_person", "applicant_name": "张三",
            "subject": "本镇2025年财政预算", "delivery": "paper", "collect": "pickup", "pieces": "1"}
    assert client_for(people.drafter_a).get(url).status_code == 200
    for user in (people.supervisor, people.drafter_b, people.admin):
        assert client_for(user).post(url, data).status_code == 403
    assert DisclosureRequest.objects.count() == 0
    r = client_for(people.drafter_a).post(url, data)
    assert r.status_code == 302
    assert DisclosureRequest.objects.get().received_on == date(2025, 9, 26)


def test_lists_allowed_and_denied(row: DisclosureRequest, tree: Tree, people: People, client_for: Clients) -> None:
    url = reverse("cases:list", args=[tree.town_a.pk])
    for user in (people.drafter_a, people.supervisor, people.admin):
        r = client_for(user).get(url + "?show=all")
        assert r.status_code == 200 and row.number in r.content.decode()
        assert "13812345678" not in r.content.decode()
    assert client_for(people.drafter_b).get(url).status_code == 404
    assert client_for(people.drafter_b).get(reverse("cases:agency_due", args=[tree.town_a.pk])).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
