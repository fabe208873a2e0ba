"""docs/ledger.md stays in step with the code: the spreadsheet layout, the commands and the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.ledger.layout import layout_markdown
from gongkai.ledger.rules import LEDGER_RULES

DOC = (Path(__file__).resolve().parents[1] / "docs" / "ledger.md").read_text(encoding="utf-8")


def test_layout_section_is_generated_from_the_layout() -> None:
    section = DOC.split("<!-- layout:begin -->\n", 1)[1].split("<!-- layout:end -->", 1)[0]
    assert section == layout_markdown(), "docs/ledger.md 的台账格式与 gongkai.ledger.layout 不一致（重新生成该段）"


def test_every_rule_is_documented() -> None:
    documented = set(re.findall(r"`(ledger\.[EW]\d{3})`", DOC))
    assert documented == set(LEDGER_RULES)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as e:
        main([*argv, "--help"])
    assert e.value.code == 0
    return capsys.readouterr().out


def test_documented_commands_and_options_exist(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [ln.split("#")[0].split() for block in DOC.split("```")[1::2] for ln in block.splitlines()
             if ln.startswith("gongkai ledger ")]
    assert {ln[2] for ln in lines} == {"template", "tally", "due", "check", "fee"}
    for words in lines:
        text = _help(words[1:3], capsys)
        assert re.search(r"[\u4e00-\u9fff]", text)
        for opt in (w for w in words[3:] if w.startswith("-")):
            assert opt in text, (words, opt)
