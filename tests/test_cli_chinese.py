"""The command line speaks Chinese throughout, argparse's own framing included (用法/位置参数/选项/错误)."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import re
import subprocess
import sys

import pytest

from gongkai.cli import _ZH, COMMANDS, build_parser, main

#: English that argparse prints by itself (framing and messages)
ENGLISH = re.compile(r"\b(usage|error|options|optional|positional|arguments?|show this help|help message|exit|"
                     r"invalid|expected|required|choose from|unrecognized|ambiguous|not allowed|version number)\b",
                     re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    names = list(sub.choices)
    assert set(names) >= {c for c in COMMANDS if c != "ledger"} - {"ledger"}
    return names


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_the_top_level_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(["--help"], capsys)
    assert out.startswith("用法：gongkai")
    assert "位置参数：" in out and "选项：" in out and "显示此帮助信息并退出" in out and "显示程序版本号并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize("command", _commands())
def test_every_commands_help_is_chinese(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _help([command, "--help"], capsys)
    assert out.startswith(f"用法：gongkai {command}")
    assert "选项：" in out and "-h, --help" in out and "显示此帮助信息并退出" in out
    assert not ENGLISH.search(out), (command, ENGLISH.search(out))
    # every option and argument explains itself in Chinese
    body = out.split("选项：", 1)[1]
    for line in body.splitlines():
        if line.strip().startswith("-") and "  " in line.strip():
            assert CJK.search(line), line


@pytest.mark.parametrize(("argv", "words"), [
    (["--bogus"], "无法识别的参数：--bogus"),
    (["parse"], "缺少必需的参数：文件"),
    (["parse", "--bogus", "x.txt"], "无法识别的参数：--bogus"),
    (["nosuch"], "参数 命令：无效的选择 'nosuch'（可选："),
    (["new", "--year", "2024"], "缺少必需的参数：--agency"),
    (["new", "--agency", "某局", "--year", "二〇二四"], "参数 --year：无效的值 '二〇二四'"),
    (["deadline", "2024-01-02", "--days"], "参数 --days：需要一个值"),
    (["render"], "缺少必需的参数：年报"),
    (["parse", "--format", "xml", "a.txt"], "参数 --format：无效的选择 'xml'（可选：'json'）"),
    (["check", "-j", "many", "a.txt"], "参数 -j/--workers：无效的值 'many'"),
])
def test_bad_usage_is_chinese_with_exit_code_2(argv: list[str], words: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("用法：gongkai") and "参数错误：" in err
    assert words in err, err
    assert not ENGLISH.search(err), (err, ENGLISH.search(err))


def test_argparse_is_left_as_it_was_for_other_users() -> None:
    build_parser().format_help()
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    plain = argparse.ArgumentParser(prog="x").format_help()
    assert plain.startswith("usage: x") and "options:" in plain


def test_every_translated_message_is_one_argparse_really_uses() -> None:
    tree = ast.parse(inspect.getsource(argparse))
    msgids = {node.args[0].value for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
              and node.args and isinstance(node.args[0], ast.Constant)}
    stale = {k for k in _ZH if k not in msgids and k != "optional arguments"}
    assert stale == set(), "argparse no longer uses these: update the table"
    # ... and the messages a user can meet are all translated
    for must in ("usage: ", "options", "positional arguments", "the following arguments are required: %s",
                 "unrecognized arguments: %s", "invalid choice: %(value)r (choose from %(choices)s)",
                 "expected one argument", "argument %(argument_name)s: %(message)s"):
        assert must in msgids and must in _ZH


def test_the_installed_command_speaks_chinese() -> None:
    p = subprocess.run([sys.executable, "-m", "gongkai", "render", "--to"], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2
    assert "参数 --to：需要一个值" in p.stderr and not ENGLISH.search(p.stderr), p.stderr
