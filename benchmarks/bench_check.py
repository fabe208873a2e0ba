"""Checker benchmarks.

    .venv/bin/python benchmarks/bench_check.py single            # one parsed report, validate() time
    .venv/bin/python benchmarks/bench_check.py corpus --n 10000  # generate, then read+check on all cores

``corpus`` writes ``n`` random reports (``gongkai.testing``), half as plain text in the layouts
real documents use, half as HTML pages (the HTML writer), into a temporary folder, then runs the
batch checker over the first 25 %, 50 % and 100 % of them, each in a fresh process, and prints the
wall time and peak memory (main process and largest worker) of each run: memory must not grow
with the corpus.  Nothing is kept on disk afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"


def single(n: int) -> None:
    import gongkai
    from gongkai.testing import random_report

    cases = {"seed (parsed)": gongkai.parse(SEED),
             "random busy report": random_report(random.Random(7), "2021", busy=1.0)}
    for name, rep in cases.items():
        for _ in range(20):
            gongkai.validate(rep)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            gongkai.validate(rep)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"{name}: validate median {statistics.median(times):.2f} ms, "
              f"p95 {times[int(len(times) * 0.95)]:.2f} ms over {n} runs")


def generate(folder: Path, n: int, seed: int) -> float:
    import gongkai
    from gongkai.testing import random_corpus
    from gongkai.testing.print_text import LAYOUTS, layout_knobs, print_text

    rng = random.Random(seed)
    t = time.perf_counter()
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        # the knobs fit the layout: no blank cells where the layout cannot show a blank
        layout = "html" if i % 2 else rng.choice(LAYOUTS)
        rep = next(iter(random_corpus(1, seed=seed * 1_000_003 + i, **layout_knobs(
            "word" if layout == "html" else layout))))
        if layout == "html":
            (sub / f"{i:06d}.html").write_bytes(gongkai.render(rep, "html"))
        else:
            (sub / f"{i:06d}.txt").write_bytes(print_text(rep, layout, rng).data)
    return time.perf_counter() - t


def run_batch(folder: Path, limit: int, workers: int) -> dict[str, float]:
    """Read+check the first ``limit`` files (runs inside a fresh process)."""
    from gongkai.check.batch import Batch, expand
    from gongkai.check.outputs import Collector

    inputs = expand([str(folder)])[:limit]
    c = Collector()
    t = time.perf_counter()
    b = Batch(inputs, workers=workers)
    t_files = t
    for res in b.run():
        if res.index == len(inputs) - 1:
            t_files = time.perf_counter()  # the last file is in: what follows is the across-report stage
        c.add(res)
    for index, f in b.across:
        c.add_across(index, f)
    wall = time.perf_counter() - t
    c.close()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return {"files": len(inputs), "wall_s": round(wall, 1), "across_reports_s": round(t + wall - t_files, 1), "per_report_ms": round(wall / len(inputs) * 1000, 2),
            "cpu_s": round(cpu, 1), "cpu_per_report_ms": round(cpu / len(inputs) * 1000, 2),
            "rss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "unreadable": c.counts["unreadable"], "errors": c.counts["error"], "warnings": c.counts["warning"]}


def corpus(n: int, workers: int, seed: int, full_only: bool = False) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        gen = generate(tmp, n, seed)
        size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
        print(f"generated {n} reports ({size / 1e6:.1f} MB, half text / half HTML) in {gen:.0f} s")
        for limit in [n] if full_only else sorted({max(1, n // 4), max(1, n // 2), n}):
            out = subprocess.run([sys.executable, __file__, "_run", str(tmp), str(limit), str(workers)],
                                 capture_output=True, text=True, check=True)
            print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1]), ensure_ascii=False))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("single")
    s.add_argument("--n", type=int, default=500)
    c = sub.add_parser("corpus")
    c.add_argument("--n", type=int, default=10000)
    c.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    c.add_argument("--seed", type=int, default=2026)
    c.add_argument("--full-only", action="store_true", help="only the run over all n files")
    r = sub.add_parser("_run")
    r.add_argument("folder")
    r.add_argument("limit", type=int)
    r.add_argument("workers", type=int)
    a = p.parse_args()
    if a.cmd == "single":
        single(a.n)
    elif a.cmd == "corpus":
        corpus(a.n, a.workers, a.seed, a.full_only)
    else:
        print(json.dumps(run_batch(Path(a.folder), a.limit, a.workers)))


if __name__ == "__main__":
    main()
