"""Case ledger: the year's tables and the open-request due list for 100,000 requests.

    taskset -c 0 .venv/bin/python benchmarks/bench_ledger.py [--n 100000] [--runs 5]

Requests are random valid histories (``gongkai.ledger.generate.random_requests``) received on
working days from 2023-01-01 to 2025-12-31, dated as of 2026-01-20.  Timed (best and median of
``runs``, wall clock and process CPU): ``tally`` for 2025 (tables 二/三/四 with drill-down and the
identity check), ``due_list`` on 2026-01-20 (every request looked at, the open ones dated), the
clock of every request (an upper bound: all 100,000 dated), and the replay of every request from
its plain-dict form (what a web app does when it loads the events from its database).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float, object]:
    walls, cpus = [], []
    out: object = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), statistics.median(walls), statistics.median(cpus), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from gongkai.ledger import Request, clock, due_list, working_days
    from gongkai.ledger.generate import random_appeals, random_requests
    from gongkai.ledger.tally import tally

    today = date(2026, 1, 20)
    t0 = time.perf_counter()
    rng = random.Random(2025)
    requests = random_requests(rng, args.n, first=date(2023, 1, 1), last=date(2025, 12, 31), today=today,
                               applicants=5000)
    appeals = random_appeals(rng, requests, rate=0.01, today=today)
    made = time.perf_counter() - t0
    wd = working_days()
    dicts = [r.to_dict() for r in requests]
    print(f"{len(requests)} requests, {len(appeals)} appeals generated in {made:.1f} s; Python {sys.version.split()[0]}")
    print()
    print("| step | best | median | median CPU | result | target |")
    print("|---|---|---|---|---|---|")
    rows = [
        ("tally 2025 (tables + drill-down)", lambda: tally(requests, year=2025, agency="某局", appeals=appeals),
         lambda t: f"{t.report.table('requests').value('new', 'total')} new, "
                   f"{t.report.table('requests').value('carried_forward', 'total')} carried forward", "≤ 1 s"),
        ("due list on 2026-01-20", lambda: due_list(requests, wd, today=today),
         lambda out: f"{len(out)} open", "≤ 1 s"),
        ("clock of every request", lambda: [clock(r, wd, today=today) for r in requests],
         lambda out: f"{len(out)} clocks", "—"),
        ("replay every request from dicts", lambda: [Request.from_dict(d) for d in dicts],
         lambda out: f"{len(out)} requests", "—"),
    ]
    for name, fn, describe, target in rows:
        best, median, cpu, out = timed(fn, args.runs)
        print(f"| {name} | {best * 1000:.0f} ms | {median * 1000:.0f} ms | {cpu * 1000:.0f} ms | {describe(out)} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
