"""Fuzz gongkai's readers for N minutes (issue 13): mutated inputs of every kind, each read in a fresh
process with time and memory limits; failing inputs shrunk and written out; figures printed as a
Markdown table for benchmarks/README.md.

    .venv/bin/python benchmarks/fuzz/run.py --minutes 30                # every reader, 30 minutes
    .venv/bin/python benchmarks/fuzz/run.py --per-kind 50 --seed 7      # a fixed slice
    .venv/bin/python benchmarks/fuzz/run.py --minutes 5 --kinds pdf,docx --out /tmp/fuzz-findings

Exit code 1 when any input ended in a traceback, a timeout, a crash, a MemoryError or a message
without Chinese.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def main() -> int:
    ap = argparse.ArgumentParser(description="gongkai 读取器模糊测试（mutation fuzzing）")
    ap.add_argument("--minutes", type=float, default=None, help="run this long (seeds seed, seed+1, …)")
    ap.add_argument("--per-kind", type=int, default=20, help="inputs of each kind per round (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(harness.KINDS), help="comma-separated: " + ",".join(harness.KINDS))
    ap.add_argument("--seconds", type=float, default=10.0, help="wall-clock limit per input (default 10)")
    ap.add_argument("--mem", type=int, default=1024, help="address space per input beyond the parent's, MB")
    ap.add_argument("--no-fuzz-seeds", action="store_true", help="leave ../shared/fuzz out of the seeds")
    ap.add_argument("--out", default=None, help="folder for failing inputs (default: none written)")
    ap.add_argument("--no-shrink", action="store_true")
    args = ap.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k)

    # import every reader before forking: each child starts warm
    import gongkai.readers.docx
    import gongkai.readers.html
    import gongkai.readers.pdf
    import gongkai.readers.text
    import gongkai.readers.xlsx
    import gongkai.writers.html  # noqa: F401

    pool = harness.seeds()
    if args.no_fuzz_seeds:
        pool = {k: [(n, d) for n, d in v if not n.startswith("shared/fuzz/")] for k, v in pool.items()}
    print("seeds:", {k: len(v) for k, v in pool.items()}, file=sys.stderr)
    start = time.monotonic()
    until = start + args.minutes * 60 if args.minutes else None
    total = harness.Tally()
    seed = args.seed
    while True:
        def show(kind: str, name: str, out: harness.Outcome) -> None:
            if out.bad:
                print(f"{out.kind}: {name}: {out.detail} ({out.seconds:.1f} s)", file=sys.stderr)

        tally = harness.fuzz(pool, seed=seed, per_kind=args.per_kind, kinds=kinds, seconds=args.seconds,
                             mem_mb=args.mem, until=until, on_result=show)
        for kind, row in tally.counts.items():
            dst = total.counts.setdefault(kind, {})
            for k, v in row.items():
                dst[k] = dst.get(k, 0) + v
            total.slowest[kind] = max(total.slowest.get(kind, 0.0), tally.slowest[kind])
            total.peak_mb[kind] = max(total.peak_mb.get(kind, 0.0), tally.peak_mb[kind])
        total.failures += tally.failures
        seed += 1
        if until is None or time.monotonic() > until:
            break
    minutes = (time.monotonic() - start) / 60
    print(f"\n{sum(sum(r.values()) for r in total.counts.values())} inputs in {minutes:.1f} min "
          f"(seeds {args.seed}–{seed - 1}, load average {os.getloadavg()[0]:.1f})\n")
    print(total.table())
    if args.out and total.failures:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for i, (kind, name, outcome, data) in enumerate(total.failures):
            stem = f"{i:03d}_{outcome.kind}_{kind}"
            (out / f"{stem}.bin").write_bytes(data)
            small = data
            if not args.no_shrink and outcome.kind != "timeout":
                def check(d: bytes, kind: str = kind) -> harness.Outcome:
                    call = harness.read_and_render if kind == "json" else harness.read
                    return harness.run_one(d, call=call, seconds=args.seconds, mem_mb=args.mem)

                small = harness.shrink(data, outcome, check)
                (out / f"{stem}.min.bin").write_bytes(small)
            (out / f"{stem}.json").write_text(json.dumps(
                {"kind": kind, "input": name, "outcome": outcome.kind, "detail": outcome.detail,
                 "seconds": round(outcome.seconds, 2), "bytes": len(data), "shrunk_bytes": len(small)},
                ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\n{len(total.failures)} failing inputs written to {out}", file=sys.stderr)
    return 1 if total.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
