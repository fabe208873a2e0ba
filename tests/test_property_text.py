"""Property: a random valid report printed in any text layout reads back to exactly that report.

Each case is ``(layout, seed)``; ``python -m gongkai.testing.cases LAYOUT SEED`` rebuilds a case,
writes it to a file and shows the difference.  ``GONGKAI_PROPERTY_N`` sets the cases per layout
(default 320, i.e. 1,600 text cases; 4,000 gives the 20,000-case run).

Tables (every cell, plus format, agency, year, dates) and text (title, preamble, narrative,
portal, contact) are checked separately so that a narrative problem cannot hide a table problem.
"""

from __future__ import annotations

import os

import pytest

import gongkai
from gongkai.testing.cases import compare, text_case
from gongkai.testing.print_text import LAYOUTS

N = int(os.environ.get("GONGKAI_PROPERTY_N", "320"))


def _run(layout: str, part: str) -> None:
    failures: list[str] = []
    for seed in range(N):
        p = text_case(layout, seed)
        try:
            got = gongkai.parse(p.data, name=p.name)
        except gongkai.GongkaiError as e:
            failures.append(f"seed {seed}: 读取失败：{e}")
            continue
        diffs = compare(p.expected, got, part)
        if diffs:
            failures.append(f"seed {seed} ({p.encoding}, {p.options}):\n    " + "\n    ".join(d[:300] for d in diffs[:8]))
    assert not failures, (
        f"{layout}/{part}: {len(failures)} of {N} cases differ "
        f"(reproduce: python -m gongkai.testing.cases {layout} SEED)\n" + "\n".join(failures[:5]))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tables_round_trip(layout: str) -> None:
    _run(layout, "tables")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_text_round_trip(layout: str) -> None:
    _run(layout, "text")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_cases_are_deterministic(layout: str) -> None:
    a, b = text_case(layout, 11), text_case(layout, 11)
    assert a.data == b.data and a.expected == b.expected


def test_generated_reports_satisfy_identities() -> None:
    from gongkai.testing import identity_failures, random_corpus

    for i, report in enumerate(random_corpus(300, seed=5, collapse_other=True)):
        assert not identity_failures(report), (i, identity_failures(report))
        assert report.published is not None and report.year is not None
        assert report.published.year == report.year + 1 and report.published.month <= 3
        assert report.format.applies_to(report.year)


def test_word_layout_reproduces_the_seed_tables_byte_for_byte() -> None:
    """The ``word`` printer draws the three tables exactly as the seed (text copied out of Word) has them."""
    import json
    from pathlib import Path

    from gongkai.model import Report
    from gongkai.testing.grid import GridOptions, table_grid
    from gongkai.testing.print_text import word_grid

    case = Path(__file__).resolve().parent / "corpus" / "seed-2021-huifa"
    seed = (case / "source.txt").read_text(encoding="utf-8")
    report = Report.from_dict(json.loads((case / "expected.json").read_text(encoding="utf-8")))
    # the seed prints two of its zeros with a space and an ideographic space before them
    noise = {("proactive", "rules", "repealed"): " \u30000", ("proactive", "normative_documents", "repealed"): " \u30000"}
    opts = GridOptions(title_row=True, split_appeals=True, split_applicants=True, value_text=noise)
    for key in ("proactive", "requests", "appeals"):
        block = "\n".join(word_grid(table_grid(report, key, opts)))
        assert len(block) > 200 and block in seed, key
