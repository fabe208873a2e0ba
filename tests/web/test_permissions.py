"""The rules predicates and the ``for_user`` querysets give the same answers, for every person and
every report; and the cases people care about, through the views."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gongkai_web.orgs.models import Agency, User
from gongkai_web.reports.models import Report
from gongkai_web.testing import People, Tree, make_report


@pytest.fixture
def reports(tree: Tree, people: People) -> dict[str, Report]:
    return {
        "a_draft": make_report(people.drafter_a, tree.town_a, 2023),
        "a_published": make_report(people.drafter_a, tree.town_a, 2022, stage="published", approver=people.approver_a),
        "b_draft": make_report(people.drafter_b, tree.town_b, 2023),
        "b_submitted": make_report(people.drafter_b, tree.town_b, 2022, stage="submitted"),
        "dept_draft": make_report(people.dept_drafter, tree.dept, 2023),
    }


def test_rules_and_querysets_agree(tree: Tree, people: People, reports: dict[str, Report]) -> None:
    checked = 0
    for user in people.all():
        visible = set(Report.objects.for_user(user).values_list("pk", flat=True))
        editable = set(Report.objects.editable_by(user).values_list("pk", flat=True))
        agencies = set(Agency.objects.for_user(user).values_list("pk", flat=True))
        for report in Report.objects.all():
            assert user.has_perm("reports.view_report", report) == (report.pk in visible), (user, report)
            assert user.has_perm("reports.change_report", report) == (report.pk in editable), (user, report)
            checked += 1
        for agency in tree.all():
            assert user.has_perm("orgs.view_agency", agency) == (agency.pk in agencies), (user, agency)
    assert checked == len(people.all()) * len(reports)
    # and the answers are not trivially all-true or all-false
    assert Report.objects.for_user(people.drafter_a).count() == 2
    assert Report.objects.for_user(people.supervisor).count() == 5
    assert Report.objects.editable_by(people.supervisor).count() == 0
    assert Report.objects.editable_by(people.drafter_b).count() == 1  # b_submitted is not editable


def test_a_townships_staff_cannot_read_another_townships_draft(
        reports: dict[str, Report], people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    draft = reports["b_draft"]
    assert c.get(reverse("reports:detail", args=[draft.pk])).status_code == 404
    assert c.get(reverse("reports:history", args=[draft.pk])).status_code == 404
    assert c.get(reverse("reports:download", args=[draft.pk, "json"])).status_code == 404
    before = (draft.revision, draft.document)
    r = c.post(reverse("reports:detail", args=[draft.pk]),
               {"revision": draft.revision, "c:requests:new:natural_person": "5"})
    assert r.status_code == 404
    draft.refresh_from_db()
    assert (draft.revision, draft.document) == before
    assert c.get(reverse("reports:detail", args=[reports["a_draft"].pk])).status_code == 200


def test_a_supervisor_reads_the_subtree_but_cannot_edit_numbers(
        reports: dict[str, Report], people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.supervisor)
    draft = reports["b_draft"]
    page = c.get(reverse("reports:detail", args=[draft.pk]))
    assert page.status_code == 200
    assert 'name="c:requests:new:natural_person"' not in page.content.decode()  # no inputs
    before = (draft.revision, draft.document)
    r = c.post(reverse("reports:detail", args=[draft.pk]),
               {"revision": draft.revision, "c:requests:new:natural_person": "5"})
    assert r.status_code == 403
    draft.refresh_from_db()
    assert (draft.revision, draft.document) == before


def test_a_supervisor_returns_a_submitted_report_but_not_a_draft(
        reports: dict[str, Report], people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.supervisor)
    submitted = reports["b_submitted"]
    c.post(reverse("reports:return", args=[submitted.pk]), {"comment": "表三数字有误，请核对"})
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert submitted.events.filter(kind="returned", comment="表三数字有误，请核对").exists()
    assert not people.supervisor.has_perm("reports.return_report", reports["b_draft"])


def test_a_city_supervisor_sees_the_county_but_a_county_supervisor_not_the_city(
        tree: Tree, people: People) -> None:
    assert people.city_supervisor.has_perm("orgs.view_agency", tree.city)
    assert people.city_supervisor.has_perm("orgs.view_agency", tree.town_b)
    assert not people.supervisor.has_perm("orgs.view_agency", tree.city)
    assert people.supervisor.has_perm("orgs.view_agency", tree.town_b)


def test_a_draft_is_never_public_and_a_published_report_is(
        reports: dict[str, Report], tree: Tree) -> None:
    anon = Client()
    draft, published = reports["a_draft"], reports["a_published"]
    assert anon.get(reverse("public:report", args=[tree.town_a.pk, draft.year])).status_code == 404
    assert anon.get(reverse("public:report", args=[tree.town_b.pk, 2022])).status_code == 404  # submitted
    page = anon.get(reverse("public:report", args=[tree.town_a.pk, published.year]))
    assert page.status_code == 200
    assert "第1版" in page.content.decode()
    index = anon.get(reverse("public:index")).content.decode()
    assert tree.town_a.name in index and tree.town_b.name not in index
    # the workspace itself needs a login
    r = anon.get(reverse("reports:detail", args=[published.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_workflow_steps_need_the_right_role(
        reports: dict[str, Report], people: People, client_for: Callable[[User], Client]) -> None:
    submitted = reports["b_submitted"]
    # a drafter cannot approve; another township's approver cannot either
    for user in (people.drafter_b, people.approver_a, people.supervisor):
        client_for(user).post(reverse("reports:approve", args=[submitted.pk]))
        submitted.refresh_from_db()
        assert submitted.status == "submitted", user
    client_for(people.approver_b).post(reverse("reports:approve", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "approved"


@pytest.mark.parametrize("url", ["reports:submit", "reports:approve", "reports:publish", "reports:reopen",
                                 "reports:return", "reports:comment", "reports:check"])
def test_workflow_posts_to_another_agencys_report_are_404(
        url: str, reports: dict[str, Report], people: People, client_for: Callable[[User], Client]) -> None:
    draft = reports["b_draft"]
    before = (draft.status, draft.revision)
    r = client_for(people.drafter_a).post(reverse(url, args=[draft.pk]), {"comment": "x", "text": "x"})
    assert r.status_code == 404
    draft.refresh_from_db()
    assert (draft.status, draft.revision) == before
    assert not draft.events.exclude(kind="created").exists()


def test_creating_a_report_for_another_agency_is_refused(
        tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    r = client_for(people.drafter_a).post(reverse("reports:new", args=[tree.town_b.pk]),
                                          {"year": 2023, "start": "blank"})
    assert r.status_code == 403
    assert not Report.objects.filter(agency=tree.town_b).exists()
    r = client_for(people.supervisor).post(reverse("reports:new", args=[tree.town_b.pk]),
                                           {"year": 2023, "start": "blank"})
    assert r.status_code == 403
    r = client_for(people.drafter_b).post(reverse("reports:new", args=[tree.town_b.pk]),
                                          {"year": 2023, "start": "blank"})
    assert r.status_code == 302
    assert Report.objects.filter(agency=tree.town_b, year=2023).exists()


def test_agency_pages_follow_the_tree(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    assert c.get(reverse("orgs:agency", args=[tree.town_a.pk])).status_code == 200
    assert c.get(reverse("orgs:agency", args=[tree.town_b.pk])).status_code == 404
    listing = c.get(reverse("orgs:agencies")).content.decode()
    assert tree.town_a.name in listing and tree.town_b.name not in listing
    sup = client_for(people.supervisor).get(reverse("orgs:agencies")).content.decode()
    assert tree.town_b.name in sup and tree.city.name not in sup


def test_only_administrators_open_the_admin(people: People, client_for: Callable[[User], Client]) -> None:
    assert client_for(people.admin).get("/admin/").status_code == 200
    r = client_for(people.supervisor).get("/admin/")
    assert r.status_code == 302 and "login" in r["Location"]
