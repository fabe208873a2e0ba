"""A deterministic slice of the fuzzer (benchmarks/fuzz/, issue 13): a few hundred mutated inputs from
fixed seeds, each read in a fresh process with time and memory limits — no traceback, no crash, no
timeout, every refusal in Chinese.  The long run is ``benchmarks/fuzz/run.py --minutes 30``.

A failure whose cause another engineer is fixing is listed in ``PENDING_CAUSES`` (a pattern of the
outcome's detail → owner); owners delete their entries when their fixes land.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz"))

import harness

#: inputs of each kind in the slice, and the seed that makes them
PER_KIND = 40
SEED = 20261207

#: pattern in an outcome's detail → the engineer whose fix it waits for
PENDING_CAUSES: dict[str, str] = {}  # empty: the DOCX causes of fuzz 011–013 are fixed (f9ab72f)


@pytest.fixture(scope="module")
def pool() -> dict[str, list[tuple[str, bytes]]]:
    # warm imports before forking; the shared reproducers are not seeds here (their own test runs them)
    import gongkai.readers.docx
    import gongkai.readers.html
    import gongkai.readers.pdf
    import gongkai.readers.text
    import gongkai.readers.xlsx
    import gongkai.writers.html  # noqa: F401

    seeds = harness.seeds()
    return {k: [(n, d) for n, d in v if not n.startswith("shared/fuzz/")] for k, v in seeds.items()}


def _pending(out: harness.Outcome) -> str | None:
    return next((owner for pat, owner in PENDING_CAUSES.items() if re.search(pat, out.detail)), None)


@pytest.mark.parametrize("kind", harness.KINDS)
def test_a_slice_of_mutated_inputs_ends_in_results_or_chinese_messages(
        kind: str, pool: dict[str, list[tuple[str, bytes]]]) -> None:
    if not pool[kind] and not harness.SHARED.is_dir():  # the PDFs come only from the shared samples
        pytest.skip(f"shared folder not present: {harness.SHARED}")
    assert pool[kind], f"no seeds of kind {kind}"
    tally = harness.fuzz(pool, seed=SEED, per_kind=PER_KIND, kinds=(kind,), seconds=60, mem_mb=1024)
    row = tally.counts[kind]
    assert sum(row.values()) == PER_KIND
    print(f"{kind}: {row}, slowest {tally.slowest[kind]:.1f} s, peak RSS {tally.peak_mb[kind]:.0f} MB")
    unexplained = [(name, out.kind, out.detail) for _, name, out, _ in tally.failures if not _pending(out)]
    assert unexplained == []
    # the mutations really exercise the reader: some inputs are read, some are refused
    assert row.get("result", 0) + row.get("error", 0) >= PER_KIND // 2


def test_the_slice_is_the_same_every_time(pool: dict[str, list[tuple[str, bytes]]]) -> None:
    a = [(k, n, len(d), hash(d)) for k, n, d in harness.inputs(SEED, 5, pool)]
    b = [(k, n, len(d), hash(d)) for k, n, d in harness.inputs(SEED, 5, pool)]
    kinds = [k for k in harness.KINDS if pool[k]]
    assert a == b and len(a) == 5 * len(kinds)
    assert len(kinds) == len(harness.KINDS) or not harness.SHARED.is_dir()
    assert len({h for *_, h in a}) > len(a) // 2  # and the inputs differ from one another


# -- the harness can tell each outcome apart ---------------------------------------------------------

def _raises_value_error(data: bytes, name: str) -> None:
    int(data.decode())


def _sleeps(data: bytes, name: str) -> None:
    time.sleep(60)


def _aborts(data: bytes, name: str) -> None:
    os.abort()


def _allocates(data: bytes, name: str) -> None:
    bytearray(4 * 1024 ** 3)


def _refuses(message: str) -> harness.Callable[[bytes, str], None]:
    def call(data: bytes, name: str) -> None:
        from gongkai import ParseError

        raise ParseError(message, where=name)

    return call


@pytest.mark.parametrize(("call", "kind", "detail"), [
    (harness.read, "result", ""),
    (_refuses("文件已损坏"), "error", "文件已损坏"),
    (_refuses("broken file"), "bad-message", "broken file"),
    (_raises_value_error, "traceback", "ValueError: invalid literal"),
    (_sleeps, "timeout", "> 3 s"),
    (_aborts, "crash", "signal SIGABRT"),
    (_allocates, "memory", ""),
])
def test_outcomes_are_classified(call: harness.Callable[[bytes, str], None], kind: str, detail: str) -> None:
    seed = (Path(__file__).parent / "corpus" / "seed-2021-huifa" / "source.txt").read_bytes()
    out = harness.run_one(seed if call is harness.read else b"x", "x.txt", call=call, seconds=3, mem_mb=512)
    assert out.kind == kind and detail in out.detail, out
    assert out.bad == (kind not in ("result", "error"))


def test_shrinking_keeps_the_failure_and_drops_the_rest() -> None:
    def call(data: bytes, name: str) -> None:
        if b"BOOM" in data:
            raise KeyError("boom")

    data = b"a" * 300 + b"BOOM" + b"b" * 300
    first = harness.run_one(data, call=call, seconds=10)
    assert first.kind == "traceback"
    small = harness.shrink(data, first, lambda d: harness.run_one(d, call=call, seconds=10), budget=120)
    assert b"BOOM" in small and len(small) < 40
