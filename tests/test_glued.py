"""The glued-digit search is bounded: a cap per run and per document, then an honest "uncertain"
blank with a Chinese reading notice — never an exponential enumeration (issue 13)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.formats.identities import row_predicate
from gongkai.readers.glued import MAX_STEPS, Budget, search, split_candidates
from gongkai.testing import random_report
from gongkai.testing.print_text import print_text

HERE = Path(__file__).resolve().parent
SEED = HERE / "corpus" / "seed-2021-huifa" / "source.txt"
APPEALS = gongkai.get_format("2021").table("appeals")
REQUESTS = gongkai.get_format("2021").table("requests")
FOUR = row_predicate(APPEALS, [c.key for c in APPEALS.columns])
THREE = row_predicate(REQUESTS, [c.key for c in REQUESTS.columns])

#: table 四's fifteen values as three glued runs of 77 digits (the shape of the fuzz reproducer)
RUNS = ["90804372112384128660904806234577045701", "74677091069929463378621411", "8744738825460"]


def test_a_search_stops_at_its_step_cap_and_says_it_is_incomplete() -> None:
    # no identity to prune with: billions of splits
    found = search(RUNS, 15, None, limit=10**9, max_steps=5000)
    assert found.complete is False and found.steps == 5001 and 0 < len(found.candidates) < 5000
    # with table 四's row totals no split survives, and the search knows it has seen them all
    found = search(RUNS, 15, FOUR, prefix=FOUR)
    assert found.complete is True and found.candidates == []
    # the same run, no cap needed when the length alone rules splits out: 23 digits cannot be 3 numbers
    short = search(["12345678901234567890123"], 3)
    assert short.complete is True and short.candidates == [] and short.steps <= 2


def test_a_busy_agency_s_row_is_split_well_inside_the_cap() -> None:
    # 839, 0, 571, 194, 707, 477 → 总计 2788: twenty digits, one split satisfies the row total
    found = search(["83905711947074772788"], 7, THREE, prefix=THREE)
    assert found.complete and found.candidates == [[839, 0, 571, 194, 707, 477, 2788]]
    assert found.steps < MAX_STEPS // 3


def test_the_document_budget_is_shared_and_spent() -> None:
    budget = Budget(steps=1000)
    cands, complete = split_candidates(RUNS, 15, FOUR, prefix=FOUR, budget=budget)
    assert complete is False and budget.steps <= 0
    # once spent, even an easy run is not searched: it stays blank rather than being guessed
    cands, complete = split_candidates(["713000074"], 7, THREE, prefix=THREE, budget=budget)
    assert (cands, complete) == ([], False)
    cands, complete = split_candidates(["713000074"], 7, THREE, prefix=THREE, budget=Budget())
    assert (cands, complete) == ([[71, 3, 0, 0, 0, 0, 74]], True)


def _glued_table_four(runs: list[str], sep: str) -> str:
    text = SEED.read_text(encoding="utf-8")
    a = text.index("\t政府信息公开行政复议、行政诉讼情况")
    b = text.index("五、", a)
    head = "政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n" + "\t".join(["结果维持\t结果纠正\t其他结果\t尚未审结\t总计"] * 3)
    return text[:a] + head + "\n\t" + sep.join(runs) + "\n\n" + text[b:]


@pytest.mark.parametrize("sep", ["\n\t", " "], ids=["three-lines", "one-line"])
def test_long_glued_table_four_is_blank_uncertain_with_a_notice(sep: str) -> None:
    r = gongkai.parse(_glued_table_four(RUNS, sep).encode(), name="glued4.txt")
    t = r.table("appeals")
    assert t.present and len(t.cells) == 15
    assert all(c.value is None and c.uncertain for c in t.cells.values())
    notes = [w.message for w in r.warnings if w.code == "glued.ambiguous"]
    assert len(notes) == 1 and notes[0].startswith("表四：连写数字“90804372") and "拆分方式过多" in notes[0]
    assert "（共7" in notes[0]  # a 77-digit run is quoted by its start and its length
    # the identities then have nothing to blame the agency for
    assert not [f for f in gongkai.validate(r).findings if f.id == "t4.E001"]


def test_a_table_four_run_that_splits_one_way_is_still_read() -> None:
    runs = ["100010000000000"]  # 1,0,0,0,1 / 0,… : only one split at all
    r = gongkai.parse(_glued_table_four(runs, " ").encode(), name="glued4.txt")
    t = r.table("appeals")
    assert [t.value("review", c) for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 0, 0, 1]
    assert not any(c.uncertain for c in t.cells.values())


_TIMED = """
import sys, time
t = time.perf_counter()
import gongkai
r = gongkai.parse(sys.argv[1])
notes = [w.message for w in r.warnings if w.code == "glued.ambiguous"]
print(round(time.perf_counter() - t, 2), len(notes))
"""


def _timed(path: Path) -> tuple[float, int]:
    proc = subprocess.run([sys.executable, "-c", _TIMED, str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    secs, notes = proc.stdout.split()
    return float(secs), int(notes)


def test_every_glued_row_adversarial_finishes_in_bounded_time(tmp_path: Path) -> None:
    # a portal text version (cells glued) whose every table 三 row is a 20-digit run of non-zero
    # digits: each admits thousands of splits and none need satisfy the row total
    report = random_report(random.Random(5), "2021", busy=1.0)
    text = print_text(report, "glued", random.Random(1)).data.decode("utf-8")
    rng = random.Random(2)
    for row in report.format.table("requests").rows:
        i = text.find(row.label)
        m = re.compile(r"[0-9]+").match(text, i + len(row.label)) if i >= 0 else None
        if m:
            text = text[:m.start()] + "".join(rng.choice("123456789") for _ in range(20)) + text[m.end():]
    path = tmp_path / "adversarial.txt"
    path.write_text(text, encoding="utf-8")
    secs, notes = _timed(path)
    assert notes >= 10
    assert secs < 15  # ≤ 3 s on a quiet machine (benchmarks/README.md); generous here against load


@pytest.mark.parametrize("name", ["min_glued_table4_three_lines.txt", "min_glued_table4_one_line_spaces.txt"])
def test_fuzz_reproducers_finish_in_bounded_time(name: str, shared_dir: Path) -> None:
    path = shared_dir / "fuzz" / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    secs, notes = _timed(path)
    assert notes == 1
    assert secs < 15  # 29.5 s and > 60 s before the cap; ~1 s now
