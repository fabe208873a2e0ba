"""The JSON API's reads: what each person (token), and the public, may see of agencies and
reports — the same answers as the pages (a draft is never public; a published report is)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from gongkai_web.api import actions as api_actions
from gongkai_web.reports import actions
from gongkai_web.reports.models import Report, ReportCheck
from gongkai_web.testing import People, Tree, make_report, valid_report

from .api_helpers import Api


def broken(tree: Tree) -> object:
    """A generated report whose 本年新收 总计 is one more than its columns add up to."""
    lib = valid_report(tree.town_a, 2023)
    requests = lib.table("requests")
    requests.set("new", "total", requests.value("new", "total") + 1)
    return lib


@pytest.fixture
def reports(tree: Tree, people: People) -> dict[str, Report]:
    return {
        "a_draft": make_report(people.drafter_a, tree.town_a, 2023, lib=broken(tree)),  # type: ignore[arg-type]
        "b_draft": make_report(people.drafter_b, tree.town_b, 2023),
        "b_published": make_report(people.drafter_b, tree.town_b, 2022, stage="published",
                                   approver=people.approver_b, lib=valid_report(tree.town_b, 2022)),
    }


def ids(response: object) -> set[int]:
    return {r["id"] for r in response.json_data["results"]}  # type: ignore[attr-defined]


# -- agencies ---------------------------------------------------------------------------------
def test_agencies_each_person_sees_their_own_and_the_published(tree: Tree, people: People,
                                                               reports: dict[str, Report]) -> None:
    assert ids(Api(people.drafter_a).get("agencies/")) == {tree.town_a.pk, tree.town_b.pk}
    assert ids(Api(people.supervisor).get("agencies/")) == {a.pk for a in tree.all() if a != tree.city}
    assert ids(Api(people.admin).get("agencies/")) == {a.pk for a in tree.all()}
    anonymous = Api(None).get("agencies/")
    assert anonymous.status_code == 200
    assert ids(anonymous) == {tree.town_b.pk}  # only the agency with a published report


def test_agency_detail_allowed_and_denied(tree: Tree, people: People, reports: dict[str, Report]) -> None:
    r = Api(people.drafter_a).get(f"agencies/{tree.town_a.pk}/")
    assert r.status_code == 200
    assert r.json_data == {"id": tree.town_a.pk, "name": "某县甲镇人民政府", "kind": "township",
                           "kind_label": "乡镇人民政府、街道办事处", "level": "township", "level_label": "乡级",
                           "parent": tree.county.pk, "active": True}
    denied = Api(people.drafter_a).get(f"agencies/{tree.dept.pk}/")
    assert denied.status_code == 404
    assert "无权查看" in denied.json_data["detail"]
    assert Api(None).get(f"agencies/{tree.town_a.pk}/").status_code == 404


def test_agencies_filtered_by_subtree_and_level(tree: Tree, people: People) -> None:
    api = Api(people.city_supervisor)
    assert ids(api.get("agencies/", under=tree.county.pk, level="township")) == {tree.town_a.pk, tree.town_b.pk}
    bad = api.get("agencies/", level="village")
    assert bad.status_code == 400
    assert "level" in bad.json_data["detail"]


# -- reports ----------------------------------------------------------------------------------
def test_report_list_a_township_sees_its_drafts_and_published_reports_only(
        people: People, reports: dict[str, Report]) -> None:
    r = Api(people.drafter_a).get("reports/")
    assert r.status_code == 200
    assert ids(r) == {reports["a_draft"].pk, reports["b_published"].pk}
    views = {x["id"]: x["view"] for x in r.json_data["results"]}
    assert views == {reports["a_draft"].pk: "working", reports["b_published"].pk: "published"}
    assert ids(Api(people.supervisor).get("reports/")) == {r.pk for r in reports.values()}


def test_report_list_filters(people: People, reports: dict[str, Report], tree: Tree) -> None:
    api = Api(people.supervisor)
    assert ids(api.get("reports/", year=2023)) == {reports["a_draft"].pk, reports["b_draft"].pk}
    assert ids(api.get("reports/", status="published")) == {reports["b_published"].pk}
    assert ids(api.get("reports/", agency=tree.town_b.pk, year=2022)) == {reports["b_published"].pk}
    assert ids(api.get("reports/", under=tree.town_a.pk)) == {reports["a_draft"].pk}
    # the public list of a township's staff: another township's published report counts as published
    assert ids(Api(people.drafter_a).get("reports/", status="published")) == {reports["b_published"].pk}
    assert ids(Api(people.drafter_a).get("reports/", status="draft")) == {reports["a_draft"].pk}
    bad = api.get("reports/", year="二〇二三")
    assert bad.status_code == 400
    assert bad.json_data["errors"].keys() == {"year"}
    assert "“year”" in bad.json_data["detail"]


def test_a_draft_is_never_readable_anonymously_and_a_published_report_is(reports: dict[str, Report]) -> None:
    anonymous = Api(None)
    assert ids(anonymous.get("reports/")) == {reports["b_published"].pk}
    for key in ("a_draft", "b_draft"):
        r = anonymous.get(f"reports/{reports[key].pk}/")
        assert r.status_code == 404
        assert "document" not in r.json_data
    r = anonymous.get(f"reports/{reports['b_published'].pk}/")
    assert r.status_code == 200
    version = reports["b_published"].versions.get()
    assert r.json_data["view"] == "published"
    assert r.json_data["revision"] is None
    assert r.json_data["document"] == version.document
    assert [v["number"] for v in r.json_data["versions"]] == [1]


def test_another_townships_draft_is_404_for_its_neighbour(people: People, reports: dict[str, Report]) -> None:
    r = Api(people.drafter_a).get(f"reports/{reports['b_draft'].pk}/")
    assert r.status_code == 404
    assert r.json_data == {"detail": "没有这份报告，或您无权查看"}
    own = Api(people.drafter_b).get(f"reports/{reports['b_draft'].pk}/")
    assert own.status_code == 200
    assert own.json_data["view"] == "working"
    assert own.json_data["document"]["agency"] == "某县乙乡人民政府"
    assert own.json_data["document"]["format"] == "2021"


def test_while_a_published_report_is_revised_the_public_sees_the_published_version(
        people: People, reports: dict[str, Report]) -> None:
    report = actions.reopen_report(people.drafter_b, reports["b_published"])
    published = report.versions.get().document["tables"]["requests"]["new"]["total"]
    api = Api(people.drafter_b)
    r = api.patch(f"reports/{report.pk}/", {"revision": report.revision,
                                            "tables": {"requests": {"new": {"natural_person": 987654}}}})
    assert r.status_code == 200, r.json_data
    assert r.json_data["document"]["tables"]["requests"]["new"]["natural_person"] == 987654
    public = Api(None).get(f"reports/{report.pk}/")
    assert public.json_data["status"] == "published"
    assert public.json_data["document"]["tables"]["requests"]["new"]["total"] == published
    assert public.json_data["document"]["tables"]["requests"]["new"]["natural_person"] != 987654
    neighbour = Api(people.drafter_a).get(f"reports/{report.pk}/")
    assert neighbour.json_data["view"] == "published"


def test_amounts_come_out_exactly(people: People, tree: Tree) -> None:
    lib = valid_report(tree.town_a, 2023)
    lib.table("proactive").set("fees", "amount", Decimal("12345678901234.56789"))
    report = actions.create_from(people.drafter_a, tree.town_a, 2023, lib, "测试")
    r = Api(people.drafter_a).get(f"reports/{report.pk}/")
    assert b"12345678901234.56789" in r.content
    assert r.json_data["document"]["tables"]["proactive"]["fees"]["amount"] == Decimal("12345678901234.56789")


# -- findings ---------------------------------------------------------------------------------
def test_findings_allowed_and_denied(people: People, reports: dict[str, Report]) -> None:
    draft = reports["a_draft"]
    r = Api(people.drafter_a).get(f"reports/{draft.pk}/findings/")
    assert r.status_code == 200
    body = r.json_data
    assert body["report"] == draft.pk
    assert body["counts"]["error"] == draft.errors > 0
    assert any(f["location"].get("row") == "new" and f["location"].get("column") == "total"
               for f in body["findings"] if f["severity"] == "error")
    assert body["valid"] is False
    assert len([f for f in body["findings"] if f["severity"] == "error" and f["about"] == "document"]) == draft.errors
    first = body["findings"][0]
    assert {"id", "stage", "severity", "message", "about", "location"} <= first.keys()
    assert Api(people.supervisor).get(f"reports/{draft.pk}/findings/").status_code == 200
    assert Api(people.drafter_b).get(f"reports/{draft.pk}/findings/").status_code == 404
    assert Api(None).get(f"reports/{draft.pk}/findings/").status_code == 401
    # a published report others may read is public, its working copy's findings are not
    assert Api(people.drafter_a).get(f"reports/{reports['b_published'].pk}/findings/").status_code == 403


def test_findings_are_the_stored_outcome_whole(people: People, reports: dict[str, Report]) -> None:
    draft = reports["a_draft"]
    live = actions.run_check(draft)
    expected = [m.to_dict() for m in live.findings + live.reading]
    assert expected and all(f["report"] and f["ref"] == str(draft.pk) for f in expected)
    body = Api(people.drafter_a).get(f"reports/{draft.pk}/findings/").json_data
    assert [{k: f.get(k) for k in e} for f, e in zip(body["findings"], expected, strict=True)] == expected
    # read from the store (what saving the report wrote), not checked again
    row = ReportCheck.objects.get(report=draft)
    row.outcome = {**row.outcome, "findings": [], "reading": []}
    row.save()
    again = Api(people.drafter_a).get(f"reports/{draft.pk}/findings/").json_data
    assert again["findings"] == [] and again["valid"] is True


# -- tokens -----------------------------------------------------------------------------------
def test_tokens_are_issued_by_administrators_only(people: People) -> None:
    token = api_actions.issue_token(people.admin, people.drafter_a)
    assert Token.objects.get(user=people.drafter_a).key == token.key
    with pytest.raises(PermissionDenied):
        api_actions.issue_token(people.supervisor, people.drafter_b)
    assert not Token.objects.filter(user=people.drafter_b).exists()
    with pytest.raises(PermissionDenied):
        api_actions.revoke_token(people.drafter_a, people.drafter_a)
    assert Token.objects.filter(user=people.drafter_a).exists()


def test_a_new_or_revoked_token_ends_the_old_one(people: People, reports: dict[str, Report]) -> None:
    old = api_actions.issue_token(people.admin, people.drafter_a).key
    new = api_actions.issue_token(people.admin, people.drafter_a).key
    api = Api(None)
    api.headers["Authorization"] = f"Token {old}"
    r = api.get("reports/")
    assert r.status_code == 401
    assert "令牌" in r.json_data["detail"] or "认证" in r.json_data["detail"]
    api.headers["Authorization"] = f"Token {new}"
    assert ids(api.get("reports/")) == {reports["a_draft"].pk, reports["b_published"].pk}
    assert api_actions.revoke_token(people.admin, people.drafter_a)
    assert api.get("reports/").status_code == 401


def test_the_management_command_issues_a_token(people: People, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("api_token", "drafter_b")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=people.drafter_b).key == key
    call_command("api_token", "drafter_b", "--revoke")
    assert not Token.objects.filter(user=people.drafter_b).exists()


def test_session_users_use_the_api_too_with_csrf_for_writes(people: People, reports: dict[str, Report]) -> None:
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(people.drafter_a, backend="gongkai_web.orgs.backends.AccountBackend")
    assert c.get("/api/v1/reports/").status_code == 200
    draft = reports["a_draft"]
    r = c.patch(f"/api/v1/reports/{draft.pk}/", '{"revision": 1, "preamble": "x"}', content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    draft.refresh_from_db()
    assert draft.revision == 1


def test_administrators_issue_and_revoke_tokens_in_the_admin(people: People, client_for: object) -> None:
    admin = client_for(people.admin)  # type: ignore[operator]
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 200
    r = admin.post("/admin/authtoken/tokenproxy/add/", {"user": people.drafter_a.pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    key = Token.objects.get(user=people.drafter_a).key
    api = Api(None)
    api.headers["Authorization"] = f"Token {key}"
    assert api.get("reports/").status_code == 200
    r = admin.post(f"/admin/authtoken/tokenproxy/{people.drafter_a.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not Token.objects.filter(user=people.drafter_a).exists()


@pytest.mark.parametrize("who", ["supervisor", "drafter_a"])
def test_others_cannot_issue_tokens_in_the_admin(people: People, client_for: object, who: str) -> None:
    c = client_for(getattr(people, who))  # type: ignore[operator]
    r = c.post("/admin/authtoken/tokenproxy/add/", {"user": people.drafter_b.pk})
    assert r.status_code in (302, 403)
    assert r.status_code == 403 or "/admin/login/" in r["Location"]
    assert not Token.objects.exists()


def test_what_the_api_lists_is_what_the_rules_allow_for_everyone(tree: Tree, people: People,
                                                                 reports: dict[str, Report]) -> None:
    """For every person: the reports listed are those they may read plus the published ones, and the
    working copy is shown exactly when ``reports.view_report`` allows it."""
    published = {r.pk for r in Report.objects.filter(versions__isnull=False)}
    for user in people.all():
        listed = Api(user).get("reports/", page_size=200).json_data["results"]
        readable = set(Report.objects.for_user(user).values_list("pk", flat=True))
        assert {r["id"] for r in listed} == readable | published, user
        for row in listed:
            report = Report.objects.get(pk=row["id"])
            assert (row["view"] == "working") == user.has_perm("reports.view_report", report), (user, report)


def test_a_list_page_costs_the_same_queries_however_many_rows(tree: Tree, people: People,
                                                              reports: dict[str, Report]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(people.supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("reports/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for year in (2019, 2020, 2021):
        make_report(people.drafter_a, tree.town_a, year)
        make_report(people.dept_drafter, tree.dept, year)
    assert queries() == few <= 6


def test_changed_since_lists_what_changed_for_an_incremental_sync(people: People, reports: dict[str, Report]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(seconds=1)
    sup, town_a = Api(people.supervisor), Api(people.drafter_a)
    assert ids(sup.get("reports/", changed_since=later.isoformat())) == set()
    Report.objects.filter(pk=reports["b_draft"].pk).update(updated_at=later + timedelta(seconds=1))
    assert ids(sup.get("reports/", changed_since=later.isoformat())) == {reports["b_draft"].pk}
    # the public view goes by publication time: a change to a draft is not disclosed
    Report.objects.filter(pk=reports["b_published"].pk).update(updated_at=later + timedelta(seconds=1))
    assert ids(town_a.get("reports/", changed_since=later.isoformat())) == set()
    earlier = reports["b_published"].versions.get().published_at - timedelta(seconds=1)
    assert reports["b_published"].pk in ids(town_a.get("reports/", changed_since=earlier.isoformat()))
    bad = sup.get("reports/", changed_since="昨天")
    assert bad.status_code == 400 and list(bad.json_data["errors"]) == ["changed_since"]


def test_the_index_and_unknown_paths_answer_in_json(db: None) -> None:
    for path in ("/api/", "/api/v1/"):
        r = Api(None).client.get(path)
        assert r.status_code == 200
        assert r.json()["reports"] == "http://testserver/api/v1/reports/"
    r = Api(None).client.get("/api/v2/reports/")
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"detail": "没有这个接口地址，请对照 /api/v1/schema/"}


def test_only_the_actions_modules_write() -> None:
    """The API's modules call actions; none of them saves, creates, updates or deletes a model."""
    import re
    from pathlib import Path

    import gongkai_web.api

    writes = re.compile(r"objects\.(create|update|bulk_\w+|get_or_create|update_or_create)\(|\.save\(|\.delete\(|"
                        r"\bqs\.update\(|\)\.update\(")
    root = Path(gongkai_web.api.__file__).parent
    checked = [p for p in root.glob("*.py") if p.name not in ("actions.py", "admin.py")]
    assert {p.name for p in checked} >= {"views.py", "presenters.py", "documents.py", "serializers.py"}
    for path in checked:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not writes.search(line), f"{path.name}:{n}: {line.strip()}"
