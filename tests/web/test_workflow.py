"""草稿 → 待审核 → 已审核 → 已发布, 退回修改 with a comment; errors block publication unless the
approver gives a reason; a change after publication is a new public version."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gongkai_web.orgs.models import User
from gongkai_web.reports import actions
from gongkai_web.reports.models import Report
from gongkai_web.testing import People, Tree, form_data, make_report, valid_report


@pytest.fixture
def good(tree: Tree, people: People) -> Report:
    lib = valid_report(tree.town_a, 2023)  # published in time (its date is kept on publication)
    return make_report(people.drafter_a, tree.town_a, 2023, lib=lib)


def post(c: Client, step: str, report: Report, **data: str) -> Report:
    c.post(reverse(f"reports:{step}", args=[report.pk]), data)
    report.refresh_from_db()
    return report


def test_the_whole_workflow_through_the_views(good: Report, people: People,
                                              client_for: Callable[[User], Client]) -> None:
    drafter, approver = client_for(people.drafter_a), client_for(people.approver_a)
    assert good.errors == 0, good.document
    assert post(drafter, "approve", good).status == "draft"  # not yet submitted
    assert post(drafter, "submit", good).status == "submitted"
    assert post(drafter, "approve", good).status == "submitted"  # a drafter does not approve
    assert post(approver, "approve", good).status == "approved"
    assert post(approver, "publish", good).status == "published"
    version = good.versions.get()
    assert version.number == 1 and version.published_by == people.approver_a
    assert version.document["published"]  # the publication date is on the published document
    kinds = list(good.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "approved", "published"]


def test_returning_needs_a_comment(good: Report, people: People, client_for: Callable[[User], Client]) -> None:
    drafter, approver = client_for(people.drafter_a), client_for(people.approver_a)
    post(drafter, "submit", good)
    r = approver.post(reverse("reports:return", args=[good.pk]), {"comment": "  "}, follow=True)
    assert "须写明意见" in r.content.decode()
    good.refresh_from_db()
    assert good.status == "submitted"
    assert post(approver, "return", good, comment="表三合计有误").status == "returned"
    page = drafter.get(reverse("reports:detail", args=[good.pk])).content.decode()
    assert "表三合计有误" in page and 'name="c:requests:new:natural_person"' in page  # editable again


def test_errors_block_publication_unless_a_reason_is_recorded(
        tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    lib = valid_report(tree.town_a, 2023)
    lib.table("requests").set("new", "total", 999)  # the identity fails
    report = make_report(people.drafter_a, tree.town_a, 2023, stage="approved", approver=people.approver_a, lib=lib)
    assert report.errors > 0
    approver = client_for(people.approver_a)
    r = approver.post(reverse("reports:publish", args=[report.pk]), follow=True)
    assert "不能发布" in r.content.decode()
    report.refresh_from_db()
    assert report.status == "approved" and not report.versions.exists()
    post(approver, "publish", report, override_reason="原件如此，已请示主管部门同意")
    assert report.status == "published"
    version = report.versions.get()
    assert version.override_reason == "原件如此，已请示主管部门同意" and version.errors == report.errors
    page = Client().get(reverse("public:report", args=[tree.town_a.pk, 2023])).content.decode()
    assert "原件如此，已请示主管部门同意" in page


def test_a_change_after_publication_is_a_new_version_and_both_stay_public(
        tree: Tree, good: Report, people: People, client_for: Callable[[User], Client]) -> None:
    drafter, approver = client_for(people.drafter_a), client_for(people.approver_a)
    for step, c in (("submit", drafter), ("approve", approver), ("publish", approver)):
        post(c, step, good)
    v1_doc = good.versions.get().document
    # a drafter cannot edit the published report directly

    data = form_data(good)
    data["c:appeals:review:pending"] = str(int(data["c:appeals:review:pending"]) + 1)
    data["c:appeals:review:total"] = str(int(data["c:appeals:review:total"]) + 1)
    assert drafter.post(reverse("reports:detail", args=[good.pk]), data).status_code == 403
    assert post(drafter, "reopen", good).status == "draft"
    data = form_data(good)  # (the narrative states the review total: change the suits instead)
    data["c:appeals:suit_direct:pending"] = str(int(data["c:appeals:suit_direct:pending"]) + 1)
    data["c:appeals:suit_direct:total"] = str(int(data["c:appeals:suit_direct:total"]) + 1)
    assert drafter.post(reverse("reports:detail", args=[good.pk]), data).status_code == 302
    # while revising, the public still sees version 1
    anon = Client()
    page = anon.get(reverse("public:report", args=[tree.town_a.pk, 2023])).content.decode()
    assert "第1版" in page and "第2版" not in page
    for step, c in (("submit", drafter), ("approve", approver), ("publish", approver)):
        post(c, step, good)
    versions = list(good.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].document == v1_doc  # the first version is kept as it was
    labels = [c["label"] for c in versions[1].changes]
    assert labels == ["表四/行政诉讼/未经复议直接起诉/尚未审结", "表四/行政诉讼/未经复议直接起诉/总计"]
    page = anon.get(reverse("public:report", args=[tree.town_a.pk, 2023])).content.decode()
    assert "第2版" in page and "表四/行政诉讼/未经复议直接起诉/尚未审结" in page
    old = anon.get(reverse("public:version", args=[tree.town_a.pk, 2023, 1])).content.decode()
    assert "这不是最新版本" in old
    r = anon.get(reverse("public:download", args=[tree.town_a.pk, 2023, 1, "docx"]))
    assert r.status_code == 200 and r.content.startswith(b"PK")


def test_comments_by_a_supervisor_are_recorded(good: Report, people: People,
                                               client_for: Callable[[User], Client]) -> None:
    post(client_for(people.supervisor), "comment", good, text="请补充第五部分的考核情况")
    assert good.events.filter(kind="commented", actor=people.supervisor).exists()
    before = good.events.count()
    post(client_for(people.drafter_b), "comment", good, text="别的乡镇")  # 404, nothing recorded
    assert good.events.count() == before


def test_actions_refuse_without_permission_and_change_nothing(good: Report, people: People) -> None:
    from django.core.exceptions import PermissionDenied

    for fn in (actions.submit_report, actions.reopen_report):
        with pytest.raises(PermissionDenied):
            fn(people.supervisor, good)
    good.refresh_from_db()
    assert good.status == "draft" and good.events.count() == 1
