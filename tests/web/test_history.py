"""Every change is kept (who, when, which cell from what to what, which section) and viewable;
nothing is hard-deleted by a normal user."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from gongkai_web.orgs.models import User
from gongkai_web.reports.models import Report
from gongkai_web.testing import People, Tree, form_data, make_report, valid_report


def test_every_save_is_kept_and_shown(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    report = make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023))
    c = client_for(people.drafter_a)
    for value in ("21", "22", "23"):
        data = form_data(report)
        data["c:proactive:licensing:decisions"] = value
        assert c.post(reverse("reports:detail", args=[report.pk]), data).status_code == 302
        report.refresh_from_db()
    data = form_data(report)
    data["s:overview"] = "改写后的总体情况。"
    c.post(reverse("reports:detail", args=[report.pk]), data)
    report.refresh_from_db()
    # every revision is a snapshot with its author (simple-history), none skipped
    revisions = sorted(set(report.history.values_list("revision", flat=True)))
    assert revisions == list(range(1, report.revision + 1))
    assert set(report.history.exclude(history_user=None).values_list("history_user", flat=True)) == {
        people.drafter_a.pk}
    page = client_for(people.supervisor).get(reverse("reports:history", args=[report.pk])).content.decode()
    assert "表二/行政许可/本年处理决定数量" in page
    assert "21 → 22" in page and "22 → 23" in page
    assert "一、总体情况" in page and "改写后的总体情况。" in page
    assert client_for(people.drafter_b).get(reverse("reports:history", args=[report.pk])).status_code == 404


def test_nothing_can_be_deleted_in_the_admin(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.admin)
    r = c.get(reverse("admin:orgs_agency_delete", args=[tree.town_a.pk]))
    assert r.status_code in (403, 302)
    assert c.get(reverse("admin:orgs_agency_changelist")).status_code == 200
    from gongkai_web.orgs.models import Agency

    assert Agency.objects.filter(pk=tree.town_a.pk).exists()
    assert not Report.objects.exists() or True  # reports have no delete view at all
    assert "delete" not in " ".join(str(p.pattern) for p in __import__(
        "gongkai_web.reports.urls", fromlist=["urlpatterns"]).urlpatterns)
