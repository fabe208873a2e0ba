"""Reading speed of plain-text reports, per text layout, on one core.

Prints milliseconds per report (median, p95) for ``gongkai.parse`` over a generated corpus of
each layout (word, tsv, markdown, pdftext, glued; see ``gongkai.testing.print_text``), and the
same for the blocks step alone (``read_document``).  Inputs are generated before timing.

    .venv/bin/python benchmarks/bench_read_text.py [--n 300] [--markdown]

Pin to one core for the figures in README.md: ``taskset -c 0 .venv/bin/python …``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

import gongkai
from gongkai.readers import read_document
from gongkai.testing.cases import text_case
from gongkai.testing.print_text import LAYOUTS


def _times(fn, inputs, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for data, name in inputs:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(data, name=name)
            best = min(best, time.perf_counter() - t0)
        out.append(best * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300, help="reports per layout (default 300)")
    ap.add_argument("--repeat", type=int, default=3, help="timings per report, the best is kept (default 3)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table row per layout")
    args = ap.parse_args()
    rows = []
    all_parse: list[float] = []
    for layout in LAYOUTS:
        cases = [text_case(layout, seed) for seed in range(args.n)]
        inputs = [(p.data, p.name) for p in cases]
        size = statistics.median(len(d) for d, _ in inputs) / 1024
        gc.collect()
        blocks = _times(read_document, inputs, args.repeat)
        parse = _times(gongkai.parse, inputs, args.repeat)
        all_parse += parse
        q = statistics.quantiles(parse, n=20)
        rows.append((layout, len(inputs), size, statistics.median(blocks), statistics.median(parse), q[-1]))
    allq = statistics.quantiles(all_parse, n=20)
    rows.append(("all layouts", len(all_parse), 0.0, float("nan"), statistics.median(all_parse), allq[-1]))
    if args.markdown:
        print("| layout | reports | median size | blocks median | parse median | parse p95 | target |")
        print("|---|---|---|---|---|---|---|")
        for name, n, size, b, p, p95 in rows:
            sz = f"{size:.1f} KB" if size else "—"
            bs = f"{b:.2f} ms" if b == b else "—"
            print(f"| {name} | {n} | {sz} | {bs} | {p:.2f} ms | {p95:.2f} ms | ≤ 5 ms |")
    else:
        for name, n, size, b, p, p95 in rows:
            print(f"{name:12s} n={n:5d} size={size:5.1f}KB blocks={b:6.2f}ms parse={p:6.2f}ms p95={p95:6.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
