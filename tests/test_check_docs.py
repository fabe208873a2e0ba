"""The generated rule reference stays in step with the registry; every rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.check import registry
from gongkai.check.docs import rules_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), \
        "docs/rules.md 已过期：运行 gongkai rules --markdown > docs/rules.md"


@pytest.mark.parametrize("rule_id", sorted(registry()))
def test_rule_is_documented(rule_id: str) -> None:
    r = registry()[rule_id]
    assert re.fullmatch(r"[a-z0-9]+\.[EWI]\d{3}", r.id)
    assert r.severity == {"E": "error", "W": "warning", "I": "info"}[r.id.split(".")[1][0]]
    assert r.title and r.doc and r.hint and r.example
    assert re.search(r"[\u4e00-\u9fff]", r.doc + r.hint + r.example)  # user-facing text is Chinese
    assert f"### {r.id}" in DOC.read_text(encoding="utf-8")


def test_every_rules_md_rule_is_referenced() -> None:
    # RULES.md rules 1–19 are each implemented by at least one registered rule
    covered = {n for r in registry().values() for n in r.spec}
    assert covered == set(range(1, 20))


def test_documented_settings_example_is_valid() -> None:
    import tomllib

    from gongkai.check import CheckConfig

    block = DOC.read_text(encoding="utf-8").split("```toml\n")[1].split("```")[0]
    cfg = CheckConfig.from_dict(tomllib.loads(block))
    assert cfg.select == ("t3", "t4", "xyear") and cfg.calendar_files == ("2027.toml",)
    assert cfg.deadline_for("某县财政局")[0].zh() == "1月20日"
