"""Writers: time per report for every target.

    .venv/bin/python benchmarks/bench_writers.py [--n 40] [--pdf-n 10]

Reports: the seed (parsed once) and ``n`` random reports from ``gongkai.testing.random_corpus``
(the same knob mixes as the round-trip tests).  Each target renders every report once after a
warm-up (imports, font loading); the table gives the median and 95th percentile per report and
the median output size, and the median CPU time of the process (``time.process_time``), which the
other jobs on a shared machine disturb much less than the wall time.  PDF renders fewer reports
(``--pdf-n``).  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"
TARGETS = {"docx": 100.0, "html": 10.0, "xlsx": 100.0, "pdf": 1500.0, "md": None, "json": None, "csv": None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--pdf-n", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import gongkai
    from gongkai.testing import random_corpus

    mixes = ({}, {"blank_rate": 0.05, "na_rate": 0.1}, {"collapse_other": True}, {"table_narrative": 1.0})
    reports = [gongkai.parse(SEED)]
    for k, knobs in enumerate(mixes):
        reports += list(random_corpus(args.n // len(mixes), seed=900 + k, **knobs))
    print(f"{len(reports)} reports (seed + generated); Python {sys.version.split()[0]}")
    print()
    print("| target | reports | median | p95 | median CPU | median size | target |")
    print("|---|---|---|---|---|---|---|")
    for to, limit in TARGETS.items():
        batch = reports[: args.pdf_n + 1] if to == "pdf" else reports
        gongkai.render(batch[0], to)  # warm-up
        times, cpu, sizes = [], [], []
        for r in batch:
            t0, c0 = time.perf_counter(), time.process_time()
            data = gongkai.render(r, to)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            sizes.append(len(data))
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        goal = f"≤ {limit:g} ms" if limit else "—"
        print(f"| {to} | {len(batch)} | {statistics.median(times):.1f} ms | {p95:.1f} ms | "
              f"{statistics.median(cpu):.1f} ms | {statistics.median(sizes) / 1024:.1f} KB | {goal} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
