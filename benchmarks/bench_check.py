"""Checker benchmarks.

    .venv/bin/python benchmarks/bench_check.py single            # one parsed report, validate() time
    .venv/bin/python benchmarks/bench_check.py live              # CPU of the web app's live check, per request
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
from typing import Any

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


def live_check(report: Any, previous: Any, parts: dict[str, float] | None = None) -> list[Any]:
    """What the web app's live check runs per request (``gongkai_web.reports.library.check_against``,
    without Django): the single-report rules, the typed report's digest, the across-report rules
    on last year's digest and this one.  ``parts`` collects the CPU seconds of each step."""
    from gongkai.check import CheckConfig, Context, check_corpus, check_report, make_digest, select_rules

    clock = time.process_time
    t0 = clock()
    cfg = CheckConfig.resolve(None)
    ctx = Context(cfg)
    findings = check_report(report, ctx, select_rules(cfg.select, cfg.ignore, scope="report"))
    t1 = clock()
    mine = make_digest(report, 1, min_chars=cfg.copying_min_chars)
    t2 = clock()
    corpus_rules = select_rules(cfg.select, cfg.ignore, scope="corpus")
    findings += [f for i, f in check_corpus([previous, mine], ctx, corpus_rules) if i in (1, -1)]
    t3 = clock()
    if parts is not None:
        for k, v in (("rules", t1 - t0), ("digest", t2 - t1), ("across", t3 - t2)):
            parts[k] = parts.get(k, 0.0) + v
    return findings


def _forget_texts() -> None:
    """Empty what the checker keeps per text (claims, sketches), where it keeps any."""
    from gongkai.check import digest, numerals

    for name in ("section_sketch", "text_claims"):
        fn = getattr(digest, name, None) or getattr(numerals, name, None)
        if fn is not None:
            fn.cache_clear()


def live(n: int, rounds: int) -> None:
    """CPU milliseconds per live check (``time.process_time``: what a request costs the cores),
    the minimum over ``rounds`` rounds of ``n`` checks (the machine is shared: the minimum is the
    round least disturbed), with the split of that round into rules / digest / across-report.
    "same texts": the request repeats the texts of the one before (a person typing a figure);
    "new texts": what the checker keeps per text is emptied before each request."""
    import gongkai
    from gongkai.check import make_digest
    from gongkai.testing import random_report

    seed = gongkai.parse(SEED)
    year = seed.year or 2021
    last = random_report(random.Random(3), "2019" if year - 1 < 2021 else "2021", year=year - 1)
    last.agency = seed.agency
    previous = make_digest(last, 0)
    cases = {"seed (parsed)": seed, "random busy report": random_report(random.Random(7), "2021", busy=1.0)}
    for (name, rep), cold in [(case, cold) for case in cases.items() for cold in (False, True)]:
        for _ in range(20):
            live_check(rep, previous)
        best: tuple[float, dict[str, float]] | None = None
        for _ in range(rounds):
            parts: dict[str, float] = {}
            spent = 0.0
            for _ in range(n):
                if cold:
                    _forget_texts()
                t = time.process_time()
                live_check(rep, previous, parts)
                spent += time.process_time() - t
            ms = spent / n * 1000
            if best is None or ms < best[0]:
                best = (ms, parts)
        assert best is not None
        split = ", ".join(f"{k} {v / n * 1000:.2f}" for k, v in best[1].items())
        print(f"{name}, {'new' if cold else 'same'} texts: live check CPU {best[0]:.2f} ms per request "
              f"(min of {rounds} rounds of {n}; {split})")


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
    lv = sub.add_parser("live")
    lv.add_argument("--n", type=int, default=200)
    lv.add_argument("--rounds", type=int, default=7)
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
    elif a.cmd == "live":
        live(a.n, a.rounds)
    elif a.cmd == "corpus":
        corpus(a.n, a.workers, a.seed, a.full_only)
    else:
        print(json.dumps(run_batch(Path(a.folder), a.limit, a.workers)))


if __name__ == "__main__":
    main()
