"""The case ledger in the JSON API (read only): an agency's requests, one request with its clock
and steps, the due lists, the year's tables — each allowed and denied like the pages (another
township's staff: 404; no token: 401), personal numbers always masked.

Dates are counted by hand from the 2025 arrangement (国庆、中秋 10月1日—8日 off; 9月28日 (Sunday)
and 10月11日 (Saturday) working): a request received on Friday 26 September 2025 is due on
Thursday 30 October (20 working days: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13 … 10/30)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from gongkai_web.cases import actions
from gongkai_web.cases.models import DisclosureRequest, PersonalDataView
from gongkai_web.cases.testing import make_closed, make_request
from gongkai_web.registers import actions as register_actions
from gongkai_web.registers import drill
from gongkai_web.registers.actions import MonthValues
from gongkai_web.testing import People, Tree

from .api_helpers import Api

FRI = date(2025, 9, 26)  # the Friday before 国庆 2025
ID_NUMBER, PHONE = "230124199001011234", "13812345678"


@pytest.fixture
def ledger(tree: Tree, people: People) -> dict[str, DisclosureRequest]:
    u = people.drafter_a
    partial = make_request(u, tree.town_a, FRI, id_type="resident_id", id_number=ID_NUMBER, phone=PHONE,
                           subject="2025年本镇农村道路建设项目的招标文件")
    actions.start_consultation(u, partial, on=date(2025, 9, 29), party="third_party", whom="某建设公司",
                               today=date(2025, 9, 29))
    actions.consultation_answered(u, partial, on=date(2025, 10, 10), whom="某建设公司", today=date(2025, 10, 10))
    partial = actions.decide(u, partial, on=date(2025, 10, 20), outcome="partial", today=date(2025, 10, 20))
    granted = make_closed(u, tree.town_a, date(2025, 3, 3), date(2025, 3, 20), subject="2024年镇财政预算")
    soon = make_request(u, tree.town_a, FRI, applicant_kind="commercial", applicant_name="某公司",
                        subject="某项目环评批复")
    late = make_request(u, tree.town_a, FRI, applicant_kind="research", applicant_name="某研究所",
                        subject="本镇2024年土地征收补偿标准")
    # the daily job's statuses: 3 working days left on 27 October (due soon); overdue on 3 November
    actions.refresh(soon, today=date(2025, 10, 27))
    actions.refresh(late, today=date(2025, 11, 3))
    other = make_request(people.drafter_b, tree.town_b, FRI, applicant_name="李四", subject="乙乡2025年低保名单")
    actions.refresh(other, today=date(2025, 11, 3))
    return {"partial": partial, "granted": granted, "soon": soon, "late": late, "other": other}


def numbers(response: Any) -> list[str]:
    return [r["number"] for r in response.json_data["results"]]


# -- an agency's requests ---------------------------------------------------------------------
def test_an_agencys_requests_allowed_and_denied(tree: Tree, people: People,
                                                ledger: dict[str, DisclosureRequest]) -> None:
    path = f"agencies/{tree.town_a.pk}/requests/"
    for user in (people.drafter_a, people.approver_a, people.supervisor, people.city_supervisor, people.admin):
        r = Api(user).get(path)
        assert r.status_code == 200, user
        # newest receipt first; the three of 26 September in the order numbered, newest first
        assert numbers(r) == ["2025-0004", "2025-0003", "2025-0001", "2025-0002"]
    for user in (people.drafter_b, people.dept_drafter):
        denied = Api(user).get(path)
        assert denied.status_code == 404, user
        assert "无权查看" in denied.json_data["detail"]
    anonymous = Api(None).get(path)
    assert anonymous.status_code == 401
    assert Api(people.drafter_a).get("agencies/999999/requests/").status_code == 404
    assert Api(people.drafter_a).get("agencies/abc/requests/").status_code == 404


def test_a_list_row_carries_the_keys_and_no_personal_numbers(tree: Tree, people: People,
                                                              ledger: dict[str, DisclosureRequest]) -> None:
    r = Api(people.supervisor).get(f"agencies/{tree.town_a.pk}/requests/", state="closed")
    assert numbers(r) == ["2025-0001", "2025-0002"]
    row = r.json_data["results"][0]
    assert row == {
        "id": ledger["partial"].pk, "agency": tree.town_a.pk, "agency_name": "某县甲镇人民政府",
        "number": "2025-0001", "year": 2025, "channel": "online", "channel_label": "网络",
        "applicant_kind": "natural_person", "applicant_kind_label": "自然人", "received_on": "2025-09-26",
        # the consultation (9/29 → 10/10) does not count: its 3 working days (9/30, 10/9, 10/10)
        # are added to 30 October: 10/31, 11/3, 11/4
        "due": "2025-11-04", "days_left": row["days_left"], "provisional": False,
        "state": "closed", "due_status": "closed", "due_status_label": "已办结", "pause_reason": "",
        "computed_on": "2025-10-20", "closed_on": "2025-10-20", "outcome": "partial",
        "outcome_label": "部分公开"}
    assert ID_NUMBER not in r.content.decode() and PHONE not in r.content.decode()


def test_an_agencys_requests_filtered_by_year_state_and_due_status(tree: Tree, people: People,
                                                                   ledger: dict[str, DisclosureRequest]) -> None:
    api, path = Api(people.drafter_a), f"agencies/{tree.town_a.pk}/requests/"
    assert numbers(api.get(path, state="open")) == ["2025-0004", "2025-0003"]
    assert numbers(api.get(path, due_status="late")) == ["2025-0004"]
    assert numbers(api.get(path, due_status="due_soon")) == ["2025-0003"]
    assert numbers(api.get(path, year=2025, state="closed")) == ["2025-0001", "2025-0002"]
    assert numbers(api.get(path, year=2024)) == []
    bad = api.get(path, state="done")
    assert bad.status_code == 400 and "state" in bad.json_data["detail"]


# -- one request ------------------------------------------------------------------------------
def test_one_request_with_its_due_date_working_and_steps(tree: Tree, people: People,
                                                         ledger: dict[str, DisclosureRequest]) -> None:
    row = ledger["partial"]
    for user in (people.drafter_a, people.supervisor, people.admin):
        assert Api(user).get(f"requests/{row.pk}/").status_code == 200, user
    r = Api(people.drafter_a).get(f"requests/{row.pk}/")
    d = r.json_data
    assert (d["number"], d["outcome"], d["state"]) == ("2025-0001", "partial", "closed")
    assert d["clock"]["received"] == "2025-09-26" and d["clock"]["due"] == "2025-11-04"
    assert (d["clock"]["period"], d["clock"]["extension"], d["clock"]["base_due"]) == (20, 0, "2025-11-04")
    assert d["clock"]["closed_on"] == "2025-10-20" and d["clock"]["replied_late"] is False
    assert [(p["kind"], p["start"], p["end"]) for p in d["clock"]["pauses"]] == [
        ("consultation", "2025-09-29", "2025-10-10")]
    working = "\n".join(d["clock"]["explanation"])
    assert "2025年9月26日" in working and "2025年11月4日" in working
    assert [(e["seq"], e["type"], e["date"]) for e in d["events"]] == [
        (1, "received", "2025-09-26"), (2, "consultation_started", "2025-09-29"),
        (3, "consultation_answered", "2025-10-10"), (4, "decided", "2025-10-20")]
    assert d["events"][1]["text"].startswith("2025年9月29日 征求意见") and "某建设公司" in d["events"][1]["text"]
    assert d["events"][3]["data"] == {"type": "decided", "date": "2025-10-20", "outcome": "partial"}
    assert d["events"][0]["actor"] == people.drafter_a.display


def test_one_request_denied_to_another_township_and_without_a_token(tree: Tree, people: People,
                                                                    ledger: dict[str, DisclosureRequest]) -> None:
    path = f"requests/{ledger['partial'].pk}/"
    for user in (people.drafter_b, people.dept_drafter):
        r = Api(user).get(path)
        assert r.status_code == 404 and ID_NUMBER not in r.content.decode(), user
    assert Api(None).get(path).status_code == 401
    for odd in ("x1", "²", "１"):  # not a number; a digit int() refuses; a full-width digit
        assert Api(people.drafter_a).get(f"requests/{odd}/").status_code == 404, odd


def test_personal_numbers_are_masked_even_for_the_agencys_handlers_and_not_logged(
        tree: Tree, people: People, ledger: dict[str, DisclosureRequest]) -> None:
    r = Api(people.approver_a).get(f"requests/{ledger['partial'].pk}/")
    assert r.json_data["id_number"] == "230***********1234" and r.json_data["phone"] == "138****5678"
    assert r.json_data["applicant_name"] == "张三" and r.json_data["id_type"] == "居民身份证"
    text = r.content.decode()
    assert ID_NUMBER not in text and PHONE not in text
    # no unmasking path: no query parameter shows them, and nothing was viewed (nothing logged)
    again = Api(people.approver_a).get(f"requests/{ledger['partial'].pk}/", personal=1, unmask="true")
    assert ID_NUMBER not in again.content.decode() and PHONE not in again.content.decode()
    assert PersonalDataView.objects.count() == 0


# -- the due lists ----------------------------------------------------------------------------
def test_due_lists_of_an_agency_and_of_a_supervisors_subtree(tree: Tree, people: People,
                                                             ledger: dict[str, DisclosureRequest]) -> None:
    own = Api(people.drafter_a)
    assert numbers(own.get("requests/overdue/")) == ["2025-0004"]
    assert numbers(own.get("requests/due-soon/")) == ["2025-0003"]
    sup = Api(people.supervisor)  # the county: both townships
    overdue = sup.get("requests/overdue/")
    assert {(x["agency"], x["number"]) for x in overdue.json_data["results"]} == {
        (tree.town_a.pk, "2025-0004"), (tree.town_b.pk, "2025-0001")}
    assert overdue.json_data["results"][0]["due"] == "2025-10-30"
    assert {x["agency"] for x in sup.get("requests/overdue/", agency=tree.town_b.pk).json_data["results"]} == {
        tree.town_b.pk}
    assert len(Api(people.city_supervisor).get("requests/overdue/", under=tree.county.pk).json_data["results"]) == 2


def test_due_lists_denied(tree: Tree, people: People, ledger: dict[str, DisclosureRequest]) -> None:
    other = Api(people.drafter_b)
    assert [x["agency"] for x in other.get("requests/overdue/").json_data["results"]] == [tree.town_b.pk]
    assert other.get("requests/due-soon/").json_data["results"] == []
    for path in ("requests/overdue/", "requests/due-soon/"):
        denied = other.get(path, agency=tree.town_a.pk)
        assert denied.status_code == 404 and "无权查看" in denied.json_data["detail"]
        assert other.get(path, under=tree.county.pk).status_code == 404
        assert Api(None).get(path).status_code == 401


# -- the year's tables ------------------------------------------------------------------------
def test_the_years_tables_from_the_ledger(tree: Tree, people: People, ledger: dict[str, DisclosureRequest]) -> None:
    actions.add_appeal(people.drafter_a, tree.town_a, number="甲复〔2025〕1号", kind="review",
                       filed=date(2025, 11, 5), requests=[ledger["partial"]], today=date(2025, 11, 5))
    r = Api(people.supervisor).get(f"agencies/{tree.town_a.pk}/tables/2025/")
    assert r.status_code == 200
    d = r.json_data
    assert (d["agency"], d["year"], d["format"]) == (tree.town_a.pk, 2025, "2021")
    assert set(d["tables"]) == {"requests", "appeals"}  # no register entered: table 二 left out
    t3 = d["tables"]["requests"]
    # received in 2025: 张三 ×2 (natural persons), 某公司 (commercial), 某研究所 (research)
    assert t3["new"] == {"natural_person": 2, "commercial": 1, "research": 1, "social_welfare": 0,
                         "legal_service": 0, "other_org": 0, "total": 4}
    assert t3["carried_over"]["total"] == 0
    assert (t3["granted"]["natural_person"], t3["partial"]["natural_person"], t3["results_total"]["total"]) == (1, 1, 2)
    assert (t3["carried_forward"]["commercial"], t3["carried_forward"]["research"],
            t3["carried_forward"]["total"]) == (1, 1, 2)
    assert d["tables"]["appeals"]["review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}


def test_the_tables_are_the_numbers_of_the_registers_tables_page(tree: Tree, people: People,
                                                                 ledger: dict[str, DisclosureRequest]) -> None:
    register_actions.save_months(people.drafter_a, tree.town_a, 2025, {
        1: MonthValues(licensing=12, fee=Decimal("1.25")), 3: MonthValues(licensing=3, fee=Decimal("0.5"))})
    d = Api(people.drafter_a).get(f"agencies/{tree.town_a.pk}/tables/2025/").json_data
    assert d["tables"]["proactive"]["licensing"]["decisions"] == 15
    assert d["tables"]["proactive"]["fees"]["amount"] == Decimal("1.75")
    page = drill.annual_tables(tree.town_a, 2025)  # what the registers' tables page renders
    shown = {(t["key"], row["key"], c["col"]): c["value"] for t in page for row in t["rows"] for c in row["cells"]}
    mine = {(t, r, c): v for t, rows in d["tables"].items() for r, cols in rows.items() for c, v in cols.items()}
    assert set(mine) <= set(shown) and ("requests", "partial", "natural_person") in mine
    assert all(shown[k] == ("" if mine.get(k) is None else str(mine[k])) for k in shown)


def test_the_tables_allowed_and_denied(tree: Tree, people: People, ledger: dict[str, DisclosureRequest]) -> None:
    path = f"agencies/{tree.town_a.pk}/tables/2025/"
    assert Api(people.drafter_a).get(path).status_code == 200
    assert Api(people.city_supervisor).get(path).status_code == 200
    for user in (people.drafter_b, people.dept_drafter):
        assert Api(user).get(path).status_code == 404, user
    assert Api(None).get(path).status_code == 401
    assert Api(people.drafter_a).get(f"agencies/{tree.town_a.pk}/tables/²０²５/").status_code == 404
    missing = Api(people.drafter_a).get(f"agencies/{tree.town_a.pk}/tables/1999/")
    assert missing.status_code == 404 and "1999年度" in missing.json_data["detail"]
