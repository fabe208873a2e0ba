"""The JSON API's writes: creating, changing and moving reports through the workflow with the
same actions as the pages — allowed and denied cases (nothing changed), bad input named by its
key (nothing stored), the stale revision refused with 409."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai import schema
from gongkai_web.reports import library
from gongkai_web.reports.models import EventKind, Report, ReportEvent, Status
from gongkai_web.testing import People, Tree, make_report, valid_report

from .api_helpers import Api


def snapshot(report: Report) -> tuple[Any, ...]:
    report.refresh_from_db()
    return report.status, report.revision, report.document, report.events.count(), report.versions.count()


@pytest.fixture
def draft(tree: Tree, people: People) -> Report:
    return make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023))


def model(tree: Tree, year: int = 2024) -> dict[str, Any]:
    return library.dump(valid_report(tree.town_a, year, seed=7))


# -- creating ---------------------------------------------------------------------------------
def test_create_a_blank_report(tree: Tree, people: People) -> None:
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "year": 2024})
    assert r.status_code == 201, r.json_data
    report = Report.objects.get(agency=tree.town_a, year=2024)
    assert r.json_data["id"] == report.pk
    assert r.json_data["status"] == "draft"
    assert r.json_data["document"]["format"] == "2021"
    assert report.events.get().kind == EventKind.CREATED
    assert report.updated_by == people.drafter_a


def test_create_from_a_document_keeps_every_number(tree: Tree, people: People) -> None:
    doc = model(tree)
    doc["tables"]["proactive"]["fees"]["amount"] = Decimal("979.66")
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "document": doc})
    assert r.status_code == 201, r.json_data
    report = Report.objects.get(agency=tree.town_a, year=2024)
    assert report.document["tables"] == doc["tables"]
    assert report.document["tables"]["proactive"]["fees"]["amount"] == Decimal("979.66")
    assert report.document["agency"] == tree.town_a.name
    assert "通过数据接口提交" in report.events.get().comment


@pytest.mark.parametrize("who", ["drafter_b", "supervisor", "admin", "dept_drafter"])
def test_create_denied_for_another_agency(tree: Tree, people: People, who: str) -> None:
    r = Api(getattr(people, who)).post("reports/", {"agency": tree.town_a.pk, "year": 2024})
    assert r.status_code == 403
    assert r.json_data["detail"]
    assert not Report.objects.exists()


def test_create_needs_a_token(tree: Tree) -> None:
    r = Api(None).post("reports/", {"agency": tree.town_a.pk, "year": 2024})
    assert r.status_code == 401
    assert not Report.objects.exists()


def test_create_a_second_report_for_the_year_is_refused(tree: Tree, people: People, draft: Report) -> None:
    before = snapshot(draft)
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "year": 2023})
    assert r.status_code == 400
    assert r.json_data["detail"] == "某县甲镇人民政府2023年度报告已经存在，请直接打开"
    assert snapshot(draft) == before


@pytest.mark.parametrize(("change", "key", "words"), [
    (lambda d: d.pop("format"), "document", "缺少“format”"),
    (lambda d: d.__setitem__("format", "2030"), "document", "format"),
    (lambda d: d.__setitem__("format", "2019"), "document.format", "2024年度的报告应使用2021格式"),
    (lambda d: d["tables"]["requests"]["new"].__setitem__("total", -3), "document.tables.requests.new.total",
     "不能为负数"),
    (lambda d: d["tables"]["requests"]["new"].__setitem__("total", "十二"), "document.tables.requests.new.total",
     "不是数字"),
    (lambda d: d["tables"]["requests"].__setitem__("nonsense", {}), "document.tables.requests.nonsense", "这一行"),
    (lambda d: d.__setitem__("contact", "0451-1234567"), "document", "“contact”应为对象"),
    (lambda d: d.__setitem__("year", 2022), "document.year", "2022"),
])
def test_create_from_a_bad_document_names_the_key_and_stores_nothing(
        tree: Tree, people: People, change: Any, key: str, words: str) -> None:
    doc = model(tree)
    change(doc)
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "year": 2024, "document": doc})
    assert r.status_code == 400, r.json_data
    assert list(r.json_data["errors"]) == [key], r.json_data
    assert words in r.json_data["detail"]
    assert not Report.objects.exists()


def test_create_from_a_2019_document_for_2020(tree: Tree, people: People) -> None:
    doc = library.dump(valid_report(tree.town_a, 2020))
    assert doc["format"] == "2019"
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "document": doc})
    assert r.status_code == 201, r.json_data
    assert Report.objects.get().format_id == "2019"


@pytest.mark.parametrize(("body", "key"), [
    ({"agency": 1, "year": 2024, "colour": "red"}, "colour"),
    ({"year": 2024}, "agency"),
    ({"agency": "甲镇", "year": 2024}, "agency"),
    ({"agency": 1, "year": 1066}, "year"),
    ({"agency": 1, "year": 2024, "start": "copy"}, "start"),
])
def test_create_with_bad_keys(tree: Tree, people: People, body: dict[str, Any], key: str) -> None:
    r = Api(people.drafter_a).post("reports/", body)
    assert r.status_code == 400
    assert list(r.json_data["errors"]) == [key]
    assert f"“{key}”" in r.json_data["detail"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(("raw", "words"), [
    ('{"agency": 1, "year": 2024', "JSON 格式错误"),
    ('{"agency": NaN}', "NaN"),
    ("[1, 2]", "JSON 对象"),
    (b"\xff\xfe{}", "UTF-8"),
    ('{"agency": ' + "9" * 30 + "}", "位数过多"),
])
def test_malformed_bodies_are_clear_400s(tree: Tree, people: People, raw: str | bytes, words: str) -> None:
    r = Api(people.drafter_a).post("reports/", raw=raw)
    assert r.status_code == 400
    assert words in r.json_data["detail"]
    assert not Report.objects.exists()


def test_a_body_over_the_limit_is_refused(tree: Tree, people: People, settings: Any) -> None:
    settings.GONGKAI_API_MAX_BODY = 1000
    r = Api(people.drafter_a).post("reports/", {"agency": tree.town_a.pk, "year": 2024, "x": "字" * 1000})
    assert r.status_code == 413
    assert "过大" in r.json_data["detail"]
    assert not Report.objects.exists()


# -- changing ---------------------------------------------------------------------------------
def test_update_cells_and_sections(draft: Report, people: People) -> None:
    r = Api(people.drafter_a).patch(f"reports/{draft.pk}/", {
        "revision": draft.revision,
        "tables": {"requests": {"new": {"natural_person": 41}}, "proactive": {"fees": {"amount": Decimal("0.35")}}},
        "sections": {"problems": "一是……二是……"}})
    assert r.status_code == 200, r.json_data
    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.document["tables"]["requests"]["new"]["natural_person"] == 41
    assert draft.document["tables"]["proactive"]["fees"]["amount"] == Decimal("0.35")
    assert draft.document["sections"]["problems"] == "一是……二是……"
    event = ReportEvent.objects.get(report=draft, kind=EventKind.EDITED)
    assert event.actor == people.drafter_a
    assert {c.get("col") or c.get("key") for c in event.changes} >= {"natural_person", "amount", "problems"}
    assert r.json_data["revision"] == 2
    assert r.json_data["errors"] == draft.errors


def test_a_not_applicable_and_a_blank_cell(draft: Report, people: People) -> None:
    r = Api(people.drafter_a).patch(f"reports/{draft.pk}/", {
        "revision": 1, "tables": {"proactive": {"fees": {"amount": "NA"}, "licensing": {"decisions": None}}}})
    assert r.status_code == 200, r.json_data
    draft.refresh_from_db()
    assert draft.document["tables"]["proactive"]["fees"]["amount"] == "NA"
    assert draft.document["tables"]["proactive"]["licensing"]["decisions"] is None


def test_a_stale_revision_is_409_and_changes_nothing(draft: Report, people: People) -> None:
    a, b = Api(people.drafter_a), Api(people.approver_a)
    first = b.patch(f"reports/{draft.pk}/", {"revision": 1, "tables": {"requests": {"new": {"research": 3}}}})
    assert first.status_code == 200
    before = snapshot(draft)
    r = a.patch(f"reports/{draft.pk}/", {"revision": 1, "tables": {"requests": {"new": {"research": 4}}}})
    assert r.status_code == 409
    assert "保存未成功" in r.json_data["detail"] and "第2次修改" in r.json_data["detail"]
    assert r.json_data["revision"] == 2
    assert snapshot(draft) == before
    assert draft.document["tables"]["requests"]["new"]["research"] == 3


@pytest.mark.parametrize(("who", "status"), [("drafter_b", 404), ("supervisor", 403), ("city_supervisor", 403),
                                             ("admin", 403), (None, 401)])
def test_update_denied(draft: Report, people: People, who: str | None, status: int) -> None:
    before = snapshot(draft)
    api = Api(getattr(people, who) if who else None)
    r = api.patch(f"reports/{draft.pk}/", {"revision": 1, "tables": {"requests": {"new": {"research": 99}}}})
    assert r.status_code == status
    assert snapshot(draft) == before


def test_a_submitted_report_cannot_be_changed(draft: Report, people: People) -> None:
    api = Api(people.drafter_a)
    assert api.post(f"reports/{draft.pk}/submit/").status_code == 200
    before = snapshot(draft)
    r = api.patch(f"reports/{draft.pk}/", {"revision": 1, "preamble": "改"})
    assert r.status_code == 403
    assert snapshot(draft) == before


@pytest.mark.parametrize(("body", "key", "words"), [
    ({"revision": 1, "tables": {"requests": {"new": {"natural_person": "abc"}}}},
     "tables.requests.new.natural_person", "不是数字"),
    ({"revision": 1, "tables": {"requests": {"new": {"natural_person": -1}}}},
     "tables.requests.new.natural_person", "不能为负数"),
    ({"revision": 1, "tables": {"requests": {"new": {"natural_person": Decimal("1.5")}}}},
     "tables.requests.new.natural_person", "整数"),
    ({"revision": 1, "tables": {"requests": {"new": {"natural_person": True}}}},
     "tables.requests.new.natural_person", "true/false"),
    ({"revision": 1, "tables": {"table9": {}}}, "tables.table9", "未知的表格"),
    ({"revision": 1, "tables": {"requests": {"brand_new": {"total": 1}}}}, "tables.requests.brand_new", "这一行"),
    ({"revision": 1, "tables": {"requests": {"new": {"aliens": 1}}}}, "tables.requests.new.aliens", "这一列"),
    ({"revision": 1, "sections": {"epilogue": "x"}}, "sections.epilogue", "未知的章节键"),
    ({"revision": 1, "sections": {"overview": 5}}, "sections.overview", ""),
    ({"revision": 1, "colour": 1}, "colour", "未知的键"),
    ({"tables": {}}, "revision", ""),
    ({"revision": "最新", "tables": {}}, "revision", ""),
])
def test_bad_updates_name_the_key_and_change_nothing(draft: Report, people: People, body: dict[str, Any],
                                                     key: str, words: str) -> None:
    before = snapshot(draft)
    r = Api(people.drafter_a).patch(f"reports/{draft.pk}/", body)
    assert r.status_code == 400, r.json_data
    assert list(r.json_data["errors"]) == [key]
    assert f"“{key}”" in r.json_data["detail"] and words in r.json_data["detail"]
    assert snapshot(draft) == before


# -- workflow ---------------------------------------------------------------------------------
def test_the_workflow_through_the_api(draft: Report, people: People) -> None:
    drafter, approver = Api(people.drafter_a), Api(people.approver_a)
    assert drafter.post(f"reports/{draft.pk}/submit/").json_data["status"] == Status.SUBMITTED
    r = approver.post(f"reports/{draft.pk}/approve/", {"comment": "同意"})
    assert r.status_code == 200 and r.json_data["status"] == Status.APPROVED
    r = approver.post(f"reports/{draft.pk}/publish/", {"override_reason": "" if not draft.errors else "测试"})
    assert r.status_code == 200, r.json_data
    assert r.json_data["status"] == Status.PUBLISHED and r.json_data["version"] == 1
    assert Api(None).get(f"reports/{draft.pk}/").status_code == 200
    r = drafter.post(f"reports/{draft.pk}/reopen/")
    assert r.status_code == 200 and r.json_data["status"] == Status.DRAFT
    kinds = list(ReportEvent.objects.filter(report=draft).order_by("pk").values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.SUBMITTED, EventKind.APPROVED, EventKind.PUBLISHED,
                     EventKind.REOPENED]


@pytest.mark.parametrize(("step", "who", "status"), [
    ("approve", "drafter_a", 403),      # a 填报人 does not approve
    ("approve", "approver_b", 404),     # another township's approver does not see the draft
    ("return", "city_supervisor", 403), # (the report is a draft: nothing to return)
    ("publish", "approver_a", 403),     # not approved yet
    ("submit", "supervisor", 403),
    ("submit", None, 401),
])
def test_workflow_steps_denied(draft: Report, people: People, step: str, who: str | None, status: int) -> None:
    before = snapshot(draft)
    r = Api(getattr(people, who) if who else None).post(f"reports/{draft.pk}/{step}/", {"comment": "意见"}
                                                        if step in ("approve", "return") else {})
    assert r.status_code == status
    assert r.json_data["detail"]
    assert snapshot(draft) == before


def test_errors_block_publication_with_409_unless_a_reason_is_given(tree: Tree, people: People) -> None:
    lib = valid_report(tree.town_a, 2023)
    lib.table("requests").set("new", "total", lib.table("requests").value("new", "total") + 1)
    report = make_report(people.drafter_a, tree.town_a, 2023, stage="approved", approver=people.approver_a, lib=lib)
    assert report.errors > 0
    approver = Api(people.approver_a)
    before = snapshot(report)
    r = approver.post(f"reports/{report.pk}/publish/")
    assert r.status_code == 409
    assert "不能发布" in r.json_data["detail"] and r.json_data["errors_count"] == report.errors
    assert snapshot(report) == before
    r = approver.post(f"reports/{report.pk}/publish/", {"override_reason": "上级要求按时发布，数据核实后更正"})
    assert r.status_code == 200
    assert report.versions.get().override_reason == "上级要求按时发布，数据核实后更正"


def test_a_supervisor_returns_a_submitted_report_with_a_comment(draft: Report, people: People) -> None:
    Api(people.drafter_a).post(f"reports/{draft.pk}/submit/")
    sup = Api(people.supervisor)
    before = snapshot(draft)
    r = sup.post(f"reports/{draft.pk}/return/", {"comment": "  "})
    assert r.status_code == 400 and "退回修改须写明意见" in r.json_data["detail"]
    assert snapshot(draft) == before
    r = sup.post(f"reports/{draft.pk}/return/", {"comment": "表三第一行请核对"})
    assert r.status_code == 200 and r.json_data["status"] == Status.RETURNED
    assert draft.events.filter(kind=EventKind.RETURNED, comment="表三第一行请核对").exists()


# -- comments, the record of events, published versions -----------------------------------------
def test_comments_allowed_and_denied(draft: Report, people: People) -> None:
    r = Api(people.supervisor).post(f"reports/{draft.pk}/comment/", {"text": "请补充第五部分"})
    assert r.status_code == 201
    assert r.json_data["kind"] == "commented" and r.json_data["comment"] == "请补充第五部分"
    assert r.json_data["actor"] == "supervisor（主管部门，某县人民政府）"
    assert draft.events.filter(kind=EventKind.COMMENTED).count() == 1
    for who, status in (("drafter_b", 404), (None, 401)):
        before = snapshot(draft)
        r = Api(getattr(people, who) if who else None).post(f"reports/{draft.pk}/comment/", {"text": "路过"})
        assert r.status_code == status
        assert snapshot(draft) == before
    r = Api(people.supervisor).post(f"reports/{draft.pk}/comment/", {"text": ""})
    assert r.status_code == 400 and "意见不能为空" in r.json_data["detail"]


def test_events_name_who_changed_which_cell(draft: Report, people: People) -> None:
    api = Api(people.drafter_a)
    old = draft.document["tables"]["requests"]["new"]["research"]
    api.patch(f"reports/{draft.pk}/", {"revision": 1, "tables": {"requests": {"new": {"research": old + 2}}}})
    r = api.get(f"reports/{draft.pk}/events/")
    assert r.status_code == 200
    latest = r.json_data["results"][0]
    assert latest["kind"] == "edited" and latest["actor"].startswith("drafter_a（填报人")
    change = next(c for c in latest["changes"] if c.get("col") == "research" and c.get("row") == "new")
    assert (change["old"], change["new"]) == (str(old), str(old + 2))
    assert r.json_data["results"][-1]["kind"] == "created"
    assert Api(people.supervisor).get(f"reports/{draft.pk}/events/").status_code == 200
    assert Api(people.drafter_b).get(f"reports/{draft.pk}/events/").status_code == 404
    assert Api(None).get(f"reports/{draft.pk}/events/").status_code == 401


def test_every_published_version_stays_public(tree: Tree, people: People) -> None:
    report = make_report(people.drafter_a, tree.town_a, 2022, stage="published", approver=people.approver_a,
                         lib=valid_report(tree.town_a, 2022))
    first = report.versions.get().document
    drafter, approver = Api(people.drafter_a), Api(people.approver_a)
    drafter.post(f"reports/{report.pk}/reopen/")
    report.refresh_from_db()
    drafter.patch(f"reports/{report.pk}/", {"revision": report.revision, "sections": {"other": "无其他需要报告的事项。"}})
    drafter.post(f"reports/{report.pk}/submit/")
    approver.post(f"reports/{report.pk}/approve/")
    assert approver.post(f"reports/{report.pk}/publish/", {"override_reason": "测试"}).status_code == 200
    public = Api(None)
    one, two = public.get(f"reports/{report.pk}/versions/1/"), public.get(f"reports/{report.pk}/versions/2/")
    assert one.status_code == two.status_code == 200
    assert one.json_data["document"] == first and one.json_data["changes"] == []
    assert two.json_data["document"]["sections"]["other"] == "无其他需要报告的事项。"
    assert any(c["kind"] == "section" and c["new"] == "无其他需要报告的事项。" for c in two.json_data["changes"])
    assert public.get(f"reports/{report.pk}/versions/3/").status_code == 404
    assert public.get(f"reports/{report.pk}/versions/x/").status_code == 404


def test_a_draft_has_no_public_version(draft: Report) -> None:
    r = Api(None).get(f"reports/{draft.pk}/versions/1/")
    assert r.status_code == 404


def test_reopen_denied(tree: Tree, people: People) -> None:
    report = make_report(people.drafter_a, tree.town_a, 2022, stage="published", approver=people.approver_a,
                         lib=valid_report(tree.town_a, 2022))
    for who, status in (("supervisor", 403), ("drafter_b", 403), (None, 401)):
        before = snapshot(report)
        r = Api(getattr(people, who) if who else None).post(f"reports/{report.pk}/reopen/")
        assert r.status_code == status
        assert snapshot(report) == before


def test_create_from_last_years_report(tree: Tree, people: People, draft: Report) -> None:
    api = Api(people.drafter_a)
    r = api.post("reports/", {"agency": tree.town_a.pk, "year": 2024, "start": "previous"})
    assert r.status_code == 201, r.json_data
    new = r.json_data["document"]
    last = draft.document
    assert new["sections"]["overview"] == last["sections"]["overview"]
    # 上年结转 is last year's 结转下年度
    assert new["tables"]["requests"]["carried_over"] == last["tables"]["requests"]["carried_forward"]
    missing = api.post("reports/", {"agency": tree.town_a.pk, "year": 2026, "start": "previous"})
    assert missing.status_code == 400
    assert "没有2025年度的报告" in missing.json_data["detail"]
    assert not Report.objects.filter(year=2026).exists()


# -- importing a published document -------------------------------------------------------------
SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed-2021-huifa"


def upload(api: Api, **fields: Any) -> Any:
    return api._answer(api.client.post("/api/v1/reports/import/", fields, headers=api.headers))


def test_import_the_seed(tree: Tree, people: People) -> None:
    expected = schema.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    with (SEED / "source.txt").open("rb") as f:
        r = upload(Api(people.drafter_a), agency=tree.town_a.pk, year=2021, file=f)
    assert r.status_code == 201, r.json_data
    report = Report.objects.get(agency=tree.town_a, year=2021)
    assert report.document["tables"] == expected["tables"]
    assert r.json_data["document"]["tables"] == expected["tables"]
    assert report.document["agency"] == tree.town_a.name  # our agency's name, the printed one noted
    assert report.events.get().kind == EventKind.IMPORTED


def test_import_replaces_a_draft_with_every_change_recorded(tree: Tree, people: People) -> None:
    draft = make_report(people.drafter_a, tree.town_a, 2021)
    with (SEED / "source.txt").open("rb") as f:
        r = upload(Api(people.drafter_a), agency=tree.town_a.pk, year=2021, file=f)
    assert r.status_code == 200, r.json_data
    draft.refresh_from_db()
    assert draft.revision == 2
    event = draft.events.get(kind=EventKind.IMPORTED)
    assert any(c["kind"] == "cell" for c in event.changes)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("通知.txt", "关于做好春节期间值班工作的通知\n各单位：请安排好值班。".encode(), ""),
    ("空.docx", b"PK\x03\x04 not really a zip", ""),
])
def test_import_of_a_non_report_is_a_clear_400(tree: Tree, people: People, name: str, data: bytes,
                                               words: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = upload(Api(people.drafter_a), agency=tree.town_a.pk, year=2021, file=SimpleUploadedFile(name, data))
    assert r.status_code == 400, r.json_data
    assert list(r.json_data["errors"]) == ["file"]
    assert r.json_data["detail"].startswith("“file”：") and words in r.json_data["detail"]
    assert not Report.objects.exists()


def test_import_of_another_years_report_is_refused(tree: Tree, people: People) -> None:
    with (SEED / "source.txt").open("rb") as f:
        r = upload(Api(people.drafter_a), agency=tree.town_a.pk, year=2022, file=f)
    assert r.status_code == 400
    assert "2021年度的报告，不是2022年度的" in r.json_data["detail"]
    assert not Report.objects.exists()


def test_import_of_a_file_over_the_limit(tree: Tree, people: People, settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.GONGKAI_MAX_UPLOAD = 1024
    r = upload(Api(people.drafter_a), agency=tree.town_a.pk, year=2021,
               file=SimpleUploadedFile("大.txt", "字".encode() * 2000))
    assert r.status_code == 400 and "文件过大" in r.json_data["detail"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("drafter_b", 403), ("supervisor", 403), (None, 401)])
def test_import_denied(tree: Tree, people: People, who: str | None, status: int) -> None:
    with (SEED / "source.txt").open("rb") as f:
        r = upload(Api(getattr(people, who) if who else None), agency=tree.town_a.pk, year=2021, file=f)
    assert r.status_code == status
    assert not Report.objects.exists()


def test_import_without_a_file_or_as_json(tree: Tree, people: People) -> None:
    api = Api(people.drafter_a)
    r = upload(api, agency=tree.town_a.pk, year=2021)
    assert r.status_code == 400 and r.json_data["errors"] == {"file": ["请选择要导入的文件"]}
    r = api.post("reports/import/", {"agency": tree.town_a.pk, "year": 2021})
    assert r.status_code == 415
    assert not Report.objects.exists()
