"""OCR of image-only PDFs: cell accuracy against the text reading, and seconds per page.

    .venv/bin/python benchmarks/bench_ocr.py [--engines rapidocr,tesseract] [--dpi 100]

Each real PDF of the shared samples (``../shared/samples/pdf``) is turned into the image-only PDF a
scan would be (``pdftoppm -gray`` at ``--dpi``, the images put back into a PDF by Pillow:
``tests/pdf_fixtures.image_only``) and parsed with OCR by each engine, in a fresh process
(``GONGKAI_OCR_ENGINE``; the engine's start-up is counted).  The text PDF's own reading is the
reference: a cell is right when the OCR reading has the same value (blank and "/" included).
Printed: per file and engine, seconds, seconds per page, peak RSS of the OCR worker, cells right
out of the cells of the text reading, cells settled by the identities (``ocr+identity``) and cells
left uncertain.  tesseract needs Debian's ``tesseract-ocr`` and ``tesseract-ocr-chi-sim``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
SHARED = Path(os.environ.get("GONGKAI_SHARED") or ROOT.parent / "shared")

RUN = textwrap.dedent("""
    import json, resource, sys, time
    from gongkai import parse
    from gongkai.errors import GongkaiError
    from gongkai.readers import pdf_engine
    t = time.monotonic()
    try:
        r = parse(sys.argv[1])
        out = {"tables": r.to_dict(provenance=False)["tables"],
               "evidence": [c.evidence for t in r.tables.values() for _, _, c in t.items()],
               "uncertain": sum(c.uncertain for t in r.tables.values() for _, _, c in t.items())}
    except GongkaiError as e:
        out = {"error": str(e)}
    pdf_engine.shutdown()
    out["seconds"] = time.monotonic() - t
    out["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False, default=str))
""")


def cells(tables: dict) -> dict[tuple[str, str, str], object]:
    return {(t, r, c): v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--dpi", type=int, default=100)
    args = ap.parse_args()
    import gongkai
    from pdf_fixtures import image_only

    print(f"load average {os.getloadavg()[0]:.1f}; scans at {args.dpi} dpi")
    print("| file | pages | engine | seconds | s/page | worker peak | cells right | by identity | uncertain |")
    print("|---|---|---|---|---|---|---|---|---|")
    for pdf in sorted((SHARED / "samples" / "pdf").glob("*.pdf")):
        want = cells(json.loads(json.dumps(gongkai.parse(pdf).to_dict(provenance=False)["tables"], default=str)))
        scan = image_only(str(pdf), args.dpi)
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(scan))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(scan)
            f.flush()
            for engine in args.engines.split(","):
                env = {**os.environ, "GONGKAI_OCR_ENGINE": engine}
                t = time.monotonic()
                out = subprocess.run([sys.executable, "-c", RUN, f.name], capture_output=True, text=True,
                                     env=env, timeout=900)
                wall = time.monotonic() - t
                try:
                    got = json.loads(out.stdout)
                except json.JSONDecodeError:
                    print(f"| {pdf.name} | {pages} | {engine} | failed: {out.stderr[-200:]} |")
                    continue
                if "error" in got:
                    print(f"| {pdf.name} | {pages} | {engine} | {wall:.1f} | | | {got['error'][:80]} | | |")
                    continue
                have = cells(got["tables"])
                right = sum(1 for k, v in want.items() if have.get(k, "missing") == v)
                settled = sum(1 for e in got["evidence"] if e == "ocr+identity")
                print(f"| {pdf.name} | {pages} | {engine} | {got['seconds']:.1f} | {got['seconds'] / pages:.1f} "
                      f"| {got['worker_mb']:.0f} MB | {right}/{len(want)} | {settled} | {got['uncertain']} |",
                      flush=True)


if __name__ == "__main__":
    main()
