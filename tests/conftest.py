"""Shared fixtures: the shared samples folder, the golden-file switch, a readable report diff."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/corpus/*/expected.json from the reader's output (never in CI)")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def shared_path() -> Path:
    env = os.environ.get("GONGKAI_SHARED")
    return Path(env) if env else HERE.parents[1] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder (specs, seeds, samples) next to the checkout, or $GONGKAI_SHARED."""
    p = shared_path()
    if not p.is_dir():
        pytest.skip(f"shared folder not present: {p}")
    return p


def dict_diff(expected: Any, got: Any, path: str = "") -> list[str]:
    """Every leaf that differs, as ``path: expected … got …`` lines (keys in expected order)."""
    out: list[str] = []
    if isinstance(expected, dict) and isinstance(got, dict):
        for k in list(expected) + [k for k in got if k not in expected]:
            sub = f"{path}.{k}" if path else str(k)
            if k not in got:
                out.append(f"{sub}: expected {expected[k]!r}, missing")
            elif k not in expected:
                out.append(f"{sub}: unexpected {got[k]!r}")
            else:
                out += dict_diff(expected[k], got[k], sub)
    elif expected != got:
        out.append(f"{path}: expected {expected!r}, got {got!r}")
    return out


def show_diff(lines: list[str], limit: int = 40) -> str:
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(s if len(s) < 400 else s[:400] + "…" for s in lines[:limit]) + more
