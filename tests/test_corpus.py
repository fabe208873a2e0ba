"""Golden corpus: every ``tests/corpus/<case>/source.*`` read with ``gongkai.parse`` equals its
``expected.json``.

``expected.json`` may hold a subset of the top-level keys (only those are compared), but when it
holds ``tables`` they are compared completely: every cell, nothing extra.  ``pytest
--update-golden`` rewrites the files from the reader's output (keeping each file's keys); CI never
does — a golden file is written by reading the document, then checked by a person.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import gongkai
from conftest import dict_diff, show_diff
from gongkai.schema import dumps

CORPUS = Path(__file__).resolve().parent / "corpus"


def _cases() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(d for d in CORPUS.iterdir() if d.is_dir() and any(d.glob("source.*")))


def _source(case: Path) -> Path:
    sources = sorted(case.glob("source.*"))
    assert len(sources) == 1, f"{case.name}: expected exactly one source.* file, found {[s.name for s in sources]}"
    return sources[0]


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_corpus_case(case: Path, update_golden: bool) -> None:
    src = _source(case)
    report = gongkai.parse(src)
    # amounts compared exactly (Decimal on both sides, never through float)
    got = json.loads(report.to_json(provenance=False), parse_float=Decimal)
    golden = case / "expected.json"
    if update_golden:
        keys = list(json.loads(golden.read_text(encoding="utf-8"))) if golden.exists() else list(got)
        if "tables" not in keys:
            keys.append("tables")
        golden.write_text(dumps({k: got.get(k) for k in keys}, indent=1) + "\n", encoding="utf-8")
        return
    assert golden.exists(), f"{case.name}: no expected.json (write it by reading the document, then check it)"
    expected = json.loads(golden.read_text(encoding="utf-8"), parse_float=Decimal)
    assert isinstance(expected, dict) and expected, f"{case.name}: expected.json must be a non-empty object"
    problems = dict_diff(expected, {k: got.get(k) for k in expected})
    assert not problems, f"{case.name}（{src.name}）与 expected.json 不一致：\n" + show_diff(problems)


def test_corpus_is_not_empty() -> None:
    assert _cases(), "tests/corpus holds no case"


def test_seed_case_is_the_shared_seed(shared_dir: Path) -> None:
    """The corpus seed is a byte-for-byte copy of the shared seed report."""
    shared = shared_dir / "seeds" / "000_486c4dbf7b9bad2b.txt"
    if not shared.exists():
        pytest.skip("shared seed not present")
    assert (CORPUS / "seed-2021-huifa" / "source.txt").read_bytes() == shared.read_bytes()
