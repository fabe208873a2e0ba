"""The OpenAPI schema: generated, committed as docs/openapi.yaml and kept in step; and the
running app (a real HTTP server, ``live_server``) answering schemathesis' generated requests
with no server error and with responses the committed schema describes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai_web.api import actions as api_actions
from gongkai_web.cases import actions as case_actions
from gongkai_web.cases.testing import make_request
from gongkai_web.testing import make_people, make_report, make_tree, valid_report

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_committed_schema_is_what_the_app_generates(tmp_path: Path, db: None) -> None:
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    assert out.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is out of date: run  DJANGO_SETTINGS_MODULE=gongkai_web.conf.test "
        ".venv/bin/python -m django spectacular --validate --file docs/openapi.yaml")


def test_the_schema_is_served_to_anyone(client: Any, db: None) -> None:
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    served = yaml.safe_load(r.content)
    assert served["info"]["title"] == "政府信息公开工作年度报告 数据接口"
    assert served == yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))


def test_the_report_document_is_the_librarys_model_schema() -> None:
    from gongkai.schema import model_schema

    raw = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    mine = raw["components"]["schemas"]["ReportModel"]
    lib = model_schema()
    assert mine["required"] == lib["required"] == ["format"]
    assert set(mine["properties"]) == set(lib["properties"])
    fmt = mine["properties"]["format"]
    if "$ref" in fmt:  # drf-spectacular names enums as components
        fmt = raw["components"]["schemas"][fmt["$ref"].rsplit("/", 1)[1]]
    assert fmt["enum"] == lib["properties"]["format"]["enum"] == ["2021", "2019"]
    assert raw["components"]["schemas"]["ReportModelValue"] == lib["definitions"]["value"]


# -- schemathesis against the running app --------------------------------------------------------
#: per operation; deterministic (derandomized), no example database, no shrinking
EXAMPLES = 6


@pytest.fixture
def served(live_server: Any, transactional_db: None) -> dict[str, Any]:
    tree = make_tree()
    people = make_people(tree)
    make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023))
    make_report(people.drafter_b, tree.town_b, 2022, stage="published", approver=people.approver_b,
                lib=valid_report(tree.town_b, 2022))
    # the ledger: one request decided, one overdue (the due lists answer with rows)
    closed = make_request(people.drafter_a, tree.town_a, date(2025, 9, 26), id_number="230124199001011234")
    case_actions.decide(people.drafter_a, closed, on=date(2025, 10, 9), outcome="partial", today=date(2025, 10, 9))
    late = make_request(people.drafter_a, tree.town_a, date(2025, 9, 26), applicant_name="李四", subject="低保名单")
    case_actions.refresh(late, today=date(2025, 11, 3))
    tokens = {who: api_actions.issue_token(None, getattr(people, who)).key for who in ("drafter_a", "supervisor")}
    return {"url": live_server.url, "tokens": tokens, "agency": tree.town_a.pk, "request": closed.pk}


def _operations() -> list[Any]:
    import schemathesis

    schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("who", ["drafter_a", "supervisor", None])
def test_no_server_error_and_every_answer_fits_the_schema(served: dict[str, Any], who: str | None) -> None:
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    headers = {"Authorization": f"Token {served['tokens'][who]}"} if who else {}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
    calls: list[tuple[str, int]] = []
    operations = _operations()
    assert len(operations) == 21
    for operation in operations:
        strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                             operation.as_strategy(GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case: Any) -> None:
            response = case.call_and_validate(base_url=served["url"], headers=headers, checks=checks)
            calls.append((case.operation.label, response.status_code))

        run()
    assert {label for label, _ in calls} == {op.label for op in operations}
    assert all(status < 500 for _, status in calls)
    assert any(status == 200 for _, status in calls)  # not only refusals


def test_the_ledgers_answers_with_real_rows_fit_the_schema(served: dict[str, Any]) -> None:
    """The generated calls above mostly miss the few real ids: call each ledger operation once on
    real rows and validate the answer against the committed schema."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    ops = {op.label: op for op in _operations()}
    headers = {"Authorization": f"Token {served['tokens']['drafter_a']}"}
    agency, request = str(served["agency"]), str(served["request"])
    calls = [("GET /api/v1/agencies/{agency_id}/requests/", {"agency_id": agency}),
             ("GET /api/v1/agencies/{agency_id}/tables/{year}/", {"agency_id": agency, "year": "2025"}),
             ("GET /api/v1/requests/{id}/", {"id": request}),
             ("GET /api/v1/requests/overdue/", {}), ("GET /api/v1/requests/due-soon/", {})]
    for label, params in calls:
        case = ops[label].Case(path_parameters=params)
        response = case.call_and_validate(base_url=served["url"], headers=headers, checks=[
            not_a_server_error, response_schema_conformance, status_code_conformance])
        assert response.status_code == 200, label
        if label != "GET /api/v1/requests/due-soon/":  # nothing is due soon in these rows
            assert response.json().get("results", [1]), label
