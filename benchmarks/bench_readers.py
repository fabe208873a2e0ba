"""Speed of the HTML, DOCX and XLSX readers: median time per report.

    .venv/bin/python benchmarks/bench_readers.py [--n 200]

HTML: the three saved portal pages of the shared samples (whole pages of 130–200 KB: navigation,
scripts, the article) and the GB2312 Word-export corpus case.  DOCX and XLSX: random reports
printed by ``gongkai.testing.print_office`` in random agency layouts, plus the writer's DOCX.
For each input: the blocks layer alone (``read_document``) and the whole parse (``gongkai.parse``,
which adds the shared assemble step).  Targets (issue #3): HTML ≤ 20 ms, DOCX ≤ 60 ms per report.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import gongkai  # noqa: E402
from gongkai.testing import random_report  # noqa: E402
from gongkai.testing.print_office import (  # noqa: E402
    random_docx_style,
    random_xlsx_style,
    report_docx,
    report_xlsx,
)

SHARED = Path(os.environ.get("GONGKAI_SHARED") or ROOT.parent / "shared")


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def report_line(label: str, docs: list[bytes], repeat: int) -> None:
    blocks: list[float] = []
    parse: list[float] = []
    for data in docs:
        blocks += timed(lambda d=data: gongkai.read_document(d), repeat)
        parse += timed(lambda d=data: gongkai.parse(d), repeat)
    size = statistics.median(len(d) for d in docs) / 1024
    print(f"{label:<34} {len(docs):>4} docs  {size:7.1f} KB  blocks median {statistics.median(blocks):6.1f} ms"
          f"  parse median {statistics.median(parse):6.1f} ms  parse p95 "
          f"{statistics.quantiles(parse, n=20)[-1]:6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100, help="random reports per office format")
    ap.add_argument("--repeat", type=int, default=5, help="timings per portal page")
    args = ap.parse_args()

    pages = sorted((SHARED / "samples" / "portal").glob("*/page.html"))
    html = [p.read_bytes() for p in pages]
    case = ROOT / "tests" / "corpus" / "html-gb2312-word-export" / "source.html"
    if case.exists():
        html.append(case.read_bytes())
    rng = random.Random(42)
    reports = [random_report(rng, "2019" if rng.random() < 0.25 else "2021") for _ in range(args.n)]
    docx = [report_docx(r, random_docx_style(rng), rng) for r in reports]
    writer = [gongkai.render(r, "docx") for r in reports[: max(10, args.n // 5)]]
    xlsx = [report_xlsx(r, random_xlsx_style(rng)) for r in reports]

    gongkai.parse(html[0])  # warm imports
    gongkai.parse(docx[0])
    gongkai.parse(xlsx[0])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    report_line("HTML portal pages + corpus case", html, args.repeat)
    report_line("DOCX print_office layouts", docx, 1)
    report_line("DOCX writers.docx (national tmpl)", writer, 1)
    report_line("XLSX print_office layouts", xlsx, 1)


if __name__ == "__main__":
    main()
