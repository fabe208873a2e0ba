"""The README's commands exist with the options it shows, and every command has help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.cli import COMMANDS, build_parser, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    return capsys.readouterr().out


def test_readme_opens_with_the_two_set_up_commands() -> None:
    block = README.split("```")[1]
    commands = [ln.split("#")[0].strip() for ln in block.splitlines()[1:] if ln.strip()]
    assert commands == ["./dev run", "./dev test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(command, capsys)
    assert re.search(r"[\u4e00-\u9fff]", text), text


def test_every_documented_command_and_option_exists(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = README.split("```")[1::2]  # the code blocks
    documented = [ln.strip() for b in blocks for ln in b.splitlines() if ln.strip().startswith("gongkai ")]
    assert len(documented) >= 8
    seen = set()
    for line in documented:
        words = line.split("#")[0].split()
        command = words[1]
        assert command in COMMANDS, line
        text = _help(command, capsys)
        for opt in (w for w in words[2:] if w.startswith("--")):
            assert opt in text, (line, opt)
        seen.add(command)
    assert seen == set(COMMANDS)


def test_parser_builds_every_command() -> None:
    parser = build_parser()
    actions = [a for a in parser._actions if a.dest == "command"]
    assert actions and set(actions[0].choices) == set(COMMANDS)  # type: ignore[arg-type]
