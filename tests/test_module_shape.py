"""Reader internals (issue 9 item 8): no module imports another module's private names, and the
library's modules stay small enough to read (about 500 lines; a little slack so that a fix does
not have to split a module in the same commit)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "gongkai"
MAX_LINES = 550


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _private_imports(source: str) -> list[str]:
    return [f"{node.lineno}: from {node.module} import {alias.name}"
            for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]


def test_no_private_name_is_imported_across_modules() -> None:
    """In the library and in the web app (which may use only the library's public names)."""
    web = sorted((SRC.parent / "gongkai_web").rglob("*.py"))
    bad = [f"{p.relative_to(SRC.parent)}:{line}" for p in [*_modules(), *web]
           for line in _private_imports(p.read_text(encoding="utf-8"))]
    assert not bad, "\n".join(bad)


def test_modules_stay_small() -> None:
    big = [f"{p.relative_to(SRC)}: {n} lines" for p in _modules()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, "\n".join(big)


def test_the_scan_sees_a_private_import() -> None:
    assert _private_imports("from .tables import _RowRead, cell_of\nfrom __future__ import annotations\n") == [
        "1: from tables import _RowRead"]
    assert _private_imports("def f():\n    from .glued import _step\n") == ["2: from glued import _step"]
