"""The year's draft filled from the registers (and the ledger), refreshed without overwriting a
person's own text, and locked after publication: a late change needs a reason and leads to a new
version of the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from gongkai_web.orgs.models import User
from gongkai_web.registers import actions, annual
from gongkai_web.registers.actions import MonthValues
from gongkai_web.reports import actions as report_actions
from gongkai_web.reports import library
from gongkai_web.reports.models import Report, ReportEvent
from gongkai_web.testing import People, Tree

YEAR = 2025


@pytest.fixture
def registered(tree: Tree, people: People) -> None:
    actions.add_document(people.drafter_a, tree.town_a, kind="normative_documents", title="关于农村公路养护的通知",
                         number="甲政规〔2025〕1号", issued=dt.date(2025, 4, 1))
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {3: MonthValues(licensing=7, fee=Decimal("0.35"))})


def draft(tree: Tree) -> library.LibReport:
    report = Report.objects.get(agency=tree.town_a, year=YEAR)
    return report_actions.lib_report(report)


def test_fill_creates_the_draft_then_refreshes_it(registered: None, tree: Tree, people: People,
                                                  client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    r = c.post(reverse("registers:fill", args=[tree.town_a.pk, YEAR]))
    report = Report.objects.get(agency=tree.town_a, year=YEAR)
    assert r.status_code == 302 and r["Location"] == reverse("reports:detail", args=[report.pk])
    lib = draft(tree)
    t2 = lib.table("proactive")
    assert t2.value("normative_documents", "issued") == 1 and t2.value("licensing", "decisions") == 7
    assert t2.value("fees", "amount") == Decimal("0.35")
    assert lib.table("requests").value("new", "total") == 0  # no request recorded
    assert lib.sections["overview"].startswith("本年度新收政府信息公开申请0件")
    assert report.events.filter(kind="created", comment=annual.FILL_NOTE).exists()
    page = c.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f'href="{reverse("registers:tables", args=[tree.town_a.pk, YEAR])}#t-requests"' in page
    # a person edits the overview; a new month is entered; the refresh keeps the text, updates the number
    data = {"c:proactive:licensing:decisions": "7", "s:overview": "本机关今年工作平稳。"}
    edit = report_actions.Edit(cells={}, sections={"overview": data["s:overview"]})
    report = report_actions.save_report(people.drafter_a, report, revision=report.revision, edit=edit)
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {4: MonthValues(licensing=5)})
    assert c.post(reverse("registers:fill", args=[tree.town_a.pk, YEAR])).status_code == 302
    lib = draft(tree)
    assert lib.table("proactive").value("licensing", "decisions") == 12
    assert lib.sections["overview"] == "本机关今年工作平稳。"
    changes = ReportEvent.objects.filter(report=report, kind="edited").first()
    assert changes is not None and any(ch.get("new") == "12" for ch in changes.changes), changes.changes


def test_fill_allowed_and_denied(registered: None, tree: Tree, people: People,
                                 client_for: Callable[[User], Client]) -> None:
    url = reverse("registers:fill", args=[tree.town_a.pk, YEAR])
    assert client_for(people.supervisor).post(url).status_code == 403
    assert client_for(people.drafter_b).post(url).status_code == 404
    assert client_for(people.admin).post(url).status_code == 403
    assert not Report.objects.filter(agency=tree.town_a).exists()
    assert client_for(people.approver_a).post(url).status_code == 302
    assert Report.objects.filter(agency=tree.town_a, year=YEAR).exists()
    # the tables page offers the button only to the agency's staff
    page = client_for(people.supervisor).get(reverse("registers:tables", args=[tree.town_a.pk, YEAR]))
    assert page.status_code == 200 and "按台账" not in page.content.decode()
    assert "按台账重新统计" in client_for(people.drafter_a).get(
        reverse("registers:tables", args=[tree.town_a.pk, YEAR])).content.decode()


def test_a_year_before_the_ledger_format_is_refused(tree: Tree, people: People,
                                                    client_for: Callable[[User], Client]) -> None:
    r = client_for(people.drafter_a).post(reverse("registers:fill", args=[tree.town_a.pk, 2020]), follow=True)
    assert "台账只能统计2021年度及以后的年报" in r.content.decode()
    page = client_for(people.drafter_a).get(reverse("registers:tables", args=[tree.town_a.pk, 2020]))
    assert page.status_code == 200 and "台账只能统计2021年度及以后的年报" in page.content.decode()
    assert client_for(people.drafter_a).get(reverse("registers:index", args=[tree.town_a.pk, 2020])).status_code == 200
    assert not Report.objects.filter(agency=tree.town_a).exists()


def publish(report: Report, people: People) -> Report:
    report = report_actions.submit_report(people.drafter_a, report)
    report = report_actions.approve_report(people.approver_a, report)
    report_actions.publish_report(people.approver_a, report, override_reason="测试：其他部分尚未填写")
    report.refresh_from_db()
    return report


def test_after_publication_a_change_needs_a_reason_and_makes_a_new_version(
        registered: None, tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    report = publish(annual.fill_draft(people.drafter_a, tree.town_a, YEAR), people)
    assert report.status == "published" and annual.cases_locked(tree.town_a, YEAR)
    assert not annual.cases_locked(tree.town_a, 2024)
    c = client_for(people.drafter_a)
    url = reverse("registers:months", args=[tree.town_a.pk, YEAR])
    page = c.get(reverse("registers:index", args=[tree.town_a.pk, YEAR])).content.decode()
    assert "年度报告已经发布" in page and 'name="reason"' in page
    tables_page = c.get(reverse("registers:tables", args=[tree.town_a.pk, YEAR])).content.decode()
    assert "该年度的年度报告已发布" in tables_page
    assert "该年度的年度报告已发布" not in c.get(reverse("registers:tables", args=[tree.town_a.pk, 2024])).content.decode()
    # without a reason: refused, nothing changed
    r = c.post(url, {"m3-licensing": "9", "m3-fee": "0.35"})
    assert r.status_code == 400 and "须写明修改理由" in r.content.decode()
    report.refresh_from_db()
    assert report.status == "published"
    assert annual.year_tally(tree.town_a, YEAR, requests=[]).report.table("proactive").value(
        "licensing", "decisions") == 7
    # with a reason: stored, the report reopened with the refreshed number and the reason recorded
    r = c.post(url, {"m3-licensing": "9", "m3-fee": "0.35", "reason": "3月漏登2件许可决定"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft"
    assert draft(tree).table("proactive").value("licensing", "decisions") == 9
    assert report.events.filter(kind="commented", comment__contains="理由：3月漏登2件许可决定").exists()
    assert report.versions.get().document["tables"]  # version 1 unchanged and still public
    v1 = report.versions.get()
    assert library.load(v1.document).table("proactive").value("licensing", "decisions") == 7
    report = publish(report, people)
    assert report.versions.count() == 2
    v2 = report.versions.get(number=2)
    assert library.load(v2.document).table("proactive").value("licensing", "decisions") == 9
    # a document change to a locked year needs a reason too
    with pytest.raises(actions.ActionError, match="须写明修改理由"):
        actions.add_document(people.drafter_a, tree.town_a, kind="rules", title="补登", number="甲府令〔2025〕9号",
                             issued=dt.date(2025, 8, 1))
    assert not tree.town_a.documents.filter(number="甲府令〔2025〕9号").exists()


def test_a_draft_of_an_agency_without_ledger_requests_keeps_its_own_tables(
        registered: None, tree: Tree, people: People) -> None:
    from gongkai_web.testing import make_report, valid_report

    typed = valid_report(tree.town_a, YEAR, seed=3)  # a table 三 with requests
    new = typed.table("requests").value("new", "total")
    assert isinstance(new, int) and new > 0  # a number the empty ledger would have zeroed
    report = make_report(people.drafter_a, tree.town_a, YEAR, lib=typed)
    annual.fill_draft(people.drafter_a, tree.town_a, YEAR)
    lib = draft(tree)
    assert lib.table("requests").value("new", "total") == new  # typed numbers kept
    assert lib.sections["overview"] == typed.sections["overview"]
    assert lib.table("proactive").value("licensing", "decisions") == 7  # from the registers
    assert report.pk == Report.objects.get(agency=tree.town_a, year=YEAR).pk


def test_a_late_change_while_the_new_version_is_under_review_is_noted_not_refilled(
        registered: None, tree: Tree, people: People) -> None:
    report = publish(annual.fill_draft(people.drafter_a, tree.town_a, YEAR), people)
    report = report_actions.reopen_report(people.drafter_a, report)
    report = report_actions.submit_report(people.drafter_a, report)
    before = report.document
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {6: MonthValues(punishment=2)}, reason="补登6月处罚决定")
    report.refresh_from_db()
    assert report.status == "submitted" and report.document == before  # not changed under the reviewer
    assert report.events.filter(kind="commented", comment__contains="理由：补登6月处罚决定。报告正在审核，表格尚未更新").exists()


def test_the_reports_numbers_link_to_their_cases(registered: None, tree: Tree, people: People,
                                                 client_for: Callable[[User], Client]) -> None:
    report = annual.fill_draft(people.drafter_a, tree.town_a, YEAR)
    link = reverse("registers:cell_by_name", args=[tree.town_a.pk, YEAR, "c:proactive:licensing:decisions"])
    page = client_for(people.supervisor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f'<a class="val" href="{link}"' in page  # read-only view: the number is a link
    tables = reverse("registers:tables", args=[tree.town_a.pk, YEAR])
    assert all(f'<a href="{tables}#t-{key}">' in page for key in ("proactive", "requests", "appeals"))
    cell = client_for(people.supervisor).get(link)
    assert cell.status_code == 200 and "2025年3月行政许可" in cell.content.decode()
    assert client_for(people.drafter_b).get(link).status_code == 404
    bad = reverse("registers:cell_by_name", args=[tree.town_a.pk, YEAR, "c:proactive:licensing"])
    assert client_for(people.supervisor).get(bad).status_code == 404
    # the public page of a published report has no links into the ledger
    publish(report, people)
    public = Client().get(reverse("public:report", args=[tree.town_a.pk, YEAR]))
    assert public.status_code == 200 and "7" in public.content.decode()
    assert "/registers/" not in public.content.decode()


def test_a_published_report_before_the_ledger_format_is_not_locked(tree: Tree, people: People) -> None:
    from gongkai_web.testing import make_report

    make_report(people.drafter_a, tree.town_a, 2020, stage="published", approver=people.approver_a)
    assert not annual.cases_locked(tree.town_a, 2020)
    doc = actions.add_document(people.drafter_a, tree.town_a, kind="rules", title="旧规章", number="甲府令〔2019〕1号",
                               issued=dt.date(2019, 5, 1))  # counts in 2020's table 二 too: no reason asked
    assert doc.pk and Report.objects.get(agency=tree.town_a, year=2020).status == "published"
