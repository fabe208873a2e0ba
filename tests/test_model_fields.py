"""Model fields the later layers share: a cell's evidence and uncertainty, the agency's kind
(declared or guessed), the caller's reference, and a finding's subject (document or reading)."""

from __future__ import annotations

import pytest

from gongkai import ModelError, Report
from gongkai.check import Finding, Location


def _report() -> Report:
    r = Report.blank("2021", agency="某县人民政府", year=2024, fill=0)
    c = r.table("proactive").cell("normative_documents", "issued")
    assert c is not None
    c.evidence, c.uncertain = "narrative", True
    r.agency_kind, r.ref = "government", "db:42"
    return r


def test_cell_evidence_and_uncertainty_survive_json() -> None:
    back = Report.from_json(_report().to_json())
    c = back.table("proactive").cell("normative_documents", "issued")
    assert c is not None and c.evidence == "narrative" and c.uncertain is True
    other = back.table("proactive").cell("rules", "issued")
    assert other is not None and other.evidence is None and other.uncertain is False


def test_agency_kind_declared_is_content_guessed_is_provenance() -> None:
    r = _report()
    assert r.content()["agency_kind"] == "government"
    assert Report.from_json(r.to_json()).agency_kind == "government"
    r.agency_kind_guessed = True
    assert r.content()["agency_kind"] is None           # a guess is not the report's content
    back = Report.from_json(r.to_json())
    assert back.agency_kind == "government" and back.agency_kind_guessed is True
    assert back.ref == "db:42"


def test_unknown_agency_kind_is_refused() -> None:
    d = _report().to_dict()
    d["agency_kind"] = "ministry"
    with pytest.raises(ModelError, match="agency_kind"):
        Report.from_dict(d)


def test_finding_about_round_trips() -> None:
    f = Finding("t3.E001", "error", "x", at=Location(table="requests"), about="reading")
    assert f.to_dict()["about"] == "reading"
    assert Finding.from_dict(f.to_dict()).about == "reading"
    assert Finding.from_dict({"id": "t3.E001", "severity": "error", "message": "x"}).about == "document"
