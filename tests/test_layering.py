"""Layering rules, checked on the source (AST): the library never imports Django, and only the
command line (``gongkai/cli/``) reads standard input."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "gongkai"


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def django_imports(source: str) -> list[int]:
    """Lines that import Django or the web app (also by ``importlib.import_module`` / ``__import__``)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if fname in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        if any(n.split(".")[0] in ("django", "gongkai_web", "rest_framework") for n in names):
            out.append(node.lineno)
    return out


def _touches_stdin(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in ("stdin", "__stdin__")
    if isinstance(node, ast.ImportFrom):
        return node.module == "fileinput" or (
            node.module == "sys" and any(a.name in ("stdin", "__stdin__") for a in node.names))
    if isinstance(node, ast.Import):
        return any(a.name == "fileinput" for a in node.names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        first = node.args[0] if node.args else None
        return node.func.id == "input" or (
            node.func.id == "open" and isinstance(first, ast.Constant) and first.value in (0, "/dev/stdin"))
    return isinstance(node, ast.Constant) and node.value == "/dev/stdin"


def stdin_reads(source: str) -> list[int]:
    """Lines that touch standard input: ``sys.stdin``, ``from sys import stdin``, ``input()``,
    ``open(0)``, ``/dev/stdin``, ``fileinput``."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source))
                   if _touches_stdin(node) and hasattr(node, "lineno")})


def test_the_scanners_see_what_they_look_for() -> None:
    assert django_imports("import django\nfrom django.db import models\nimport os\n") == [1, 2]
    assert django_imports("import importlib\nimportlib.import_module('gongkai_web.views')\n") == [2]
    assert django_imports("import json\nfrom . import djangoish\n") == []
    assert stdin_reads("import sys\ndata = sys.stdin.buffer.read()\n") == [2]
    assert stdin_reads("from sys import stdin\n") == [1]
    assert stdin_reads("x = input()\n") == [1]
    assert stdin_reads("f = open(0, 'rb')\n") == [1]
    assert stdin_reads("import fileinput\n") == [1]
    assert stdin_reads("import sys\nsys.stdout.write('x')\n") == []


def test_the_library_never_imports_django() -> None:
    found = {str(p.relative_to(SRC)): lines for p in _modules()
             if (lines := django_imports(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_only_the_command_line_reads_standard_input() -> None:
    cli = SRC / "cli"
    found = {str(p.relative_to(SRC)): lines for p in _modules()
             if cli not in p.parents and (lines := stdin_reads(p.read_text(encoding="utf-8")))}
    assert found == {}
    # ... and the command line does read it (the scan is not looking at the wrong files)
    assert any(stdin_reads(p.read_text(encoding="utf-8")) for p in cli.glob("*.py"))

