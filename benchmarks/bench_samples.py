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

from gongkai.check import CheckResult, check_files

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
    evidence_figures(Path(args.samples), result)
    if args.list:
        for rr in result.reports:
            for f in rr.findings:
                if f.about == "document" and f.severity in ("error", "warning"):
                    print(f"{Path(rr.source or '').relative_to(args.samples) if rr.source else rr.label}: "
                          f"{f.id} {f.message}")
    return 0


def evidence_figures(root: Path, result: CheckResult) -> None:
    """Cells of glued runs: settled by the layout alone, by each kind of evidence, left open; and
    whether the text versions agree with the page.html beside them."""
    import gongkai
    from gongkai.check.siblings import group_siblings, settle_siblings
    from gongkai.readers.evidence import open_rows

    files = sorted(str(p) for p in root.rglob("*") if p.suffix in (".txt", ".html", ".pdf"))
    kinds: Counter[str] = Counter()
    open_cells = 0
    agree = differ = 0
    for group in group_siblings(files):
        readings = [(f, gongkai.parse(f)) for f in group]
        if len(readings) > 1:
            settle_siblings(readings)
        for f, rep in readings:
            if not f.endswith(".txt"):
                continue
            for t in rep.tables.values():
                for cell in t.cells.values():
                    if cell.evidence:
                        kinds[cell.evidence] += 1
                    elif cell.note and cell.note.startswith("由连写数字") and cell.value is not None:
                        kinds["layout"] += 1
            open_cells += sum(sum(1 for c in o.columns if rep.tables[o.table].value(o.row, c) is None)
                              for o in open_rows(rep))
            html = next((r for g, r in readings if g.endswith(".html")), None)
            if html is not None:
                for key, t in rep.tables.items():
                    h = html.tables.get(key)
                    if h is None or not t.present or not h.present:
                        continue
                    for rc, cell in t.cells.items():
                        hv = h.value(*rc)
                        if cell.value is None or hv is None:
                            continue
                        agree += cell.value == hv
                        differ += cell.value != hv
    years = [f for f in result.findings if f.id == "xyear.I001"]
    kinds["previous/next year (xyear.I001)"] = sum(f.message.split("推定", 1)[1].count("件数") for f in years)
    print("\nglued cells of the text versions (.txt):")
    print("| settled by | cells |")
    print("|---|---|")
    for k in ("layout", "narrative", "sibling", "previous/next year (xyear.I001)", "identities"):
        print(f"| {k} | {kinds[k]} |")
    print(f"| left open (honest blank with candidates) | {open_cells - kinds['previous/next year (xyear.I001)']} |")
    print(f"text version vs page.html, cells both read: {agree} agree, {differ} differ")


if __name__ == "__main__":
    raise SystemExit(main())
