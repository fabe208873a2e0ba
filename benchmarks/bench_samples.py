"""Findings on the real published reports of ../shared/samples, counted by rule.

    .venv/bin/python benchmarks/bench_samples.py [--list] [SAMPLES]

Not a speed measurement: the figures a supervisor would act on.  Errors and warnings about the
document are counted apart from reading notices (``about="reading"``: our reading is uncertain,
never the agency's fault).  ``--list`` prints every error and warning with its report, to be
verified by reading the document.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from gongkai.check import check_files

ROOT = Path(__file__).resolve().parents[2] / "shared" / "samples"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("samples", nargs="?", default=str(ROOT))
    ap.add_argument("--list", action="store_true", help="print every error and warning")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    result = check_files([args.samples], workers=1).result()
    seconds = time.perf_counter() - t0
    by_rule: Counter[tuple[str, str, str]] = Counter()
    for f in result.findings:
        by_rule[(f.about, f.severity, f.id)] += 1
    print(f"{len(result.reports)} reports, {len(result.unreadable)} unreadable, {seconds:.1f} s")
    print("| about | severity | rule | findings |")
    print("|---|---|---|---|")
    order = {"error": 0, "warning": 1, "info": 2}
    for (about, sev, rid), n in sorted(by_rule.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][2])):
        print(f"| {about} | {sev} | {rid} | {n} |")
    for about in ("document", "reading"):
        c = Counter(f.severity for f in result.findings if f.about == about)
        print(f"{about}: {c['error']} errors, {c['warning']} warnings, {c['info']} info")
    if args.list:
        for rr in result.reports:
            for f in rr.findings:
                if f.about == "document" and f.severity in ("error", "warning"):
                    print(f"{Path(rr.source or '').relative_to(args.samples) if rr.source else rr.label}: "
                          f"{f.id} {f.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
