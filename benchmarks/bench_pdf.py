"""PDF reader: time per page and peak memory.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 5]

* the three real PDFs of the shared samples (if present): ``read_document`` (the PDF step) and
  ``gongkai.parse`` (PDF step + shared assemble), median of ``--runs`` runs, per page;
* a 100-page report made by LibreOffice from a Word file (a random report with a long narrative):
  time per page and the peak RSS of a fresh process reading it (with the page cap lifted, so all
  100 pages are read, and with the default cap);
* both page backends: PDFium through pypdfium2 (the default) and pdfplumber/pdfminer (pure Python);
* for reference, pypdfium2's plain text extraction of the same pages (no positions, no tables);
* the engine's isolation (``pdf_engine``): the page step in the worker process (warm) against the
  same step in the calling process (``GONGKAI_PDF_ISOLATE=0``), per document; the start-up of a new
  worker; peak memory of caller and worker by the number of pages read;
* the fuzz reproducers that are PDFs (../shared/fuzz), each in a fresh process: seconds, peak
  memory of the caller and of its worker, outcome.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGKAI_SHARED") or ROOT.parent / "shared")


def pages_of(data: bytes) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def timed(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def pdfium_text(data: bytes) -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    for page in doc:
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    doc.close()


def long_report_pdf() -> bytes:
    from gongkai.testing.generate import random_report
    from gongkai.testing.print_pdf import print_pdf

    report = random_report(random.Random("bench-100"), "2021")
    para = ("本机关坚持以公开为常态、不公开为例外，围绕重点领域信息公开、政策解读、回应关切等方面，"
            "进一步健全政府信息公开工作机制，持续提升政务公开质量和实效，切实保障人民群众知情权、参与权和监督权。")
    report.sections["overview"] = "\n".join(f"（{i}）{para * 2}" for i in range(1, 265))
    return print_pdf(report)


RSS_CODE = textwrap.dedent("""
    import json, os, resource, sys, time
    import gongkai.readers.pdf as pdf
    from gongkai.options import ReadOptions
    from gongkai.readers import pdf_engine
    opts = ReadOptions(pdf_backend=sys.argv[3], pdf_max_pages=int(sys.argv[2]))
    data = open(sys.argv[1], "rb").read()
    t = time.perf_counter()
    doc = pdf.pdf_document(data, "long.pdf", opts)
    dt = time.perf_counter() - t
    worker = 0
    for w in pdf_engine._idle:  # the worker's own peak (VmHWM) before it ends
        worker = max([int(ln.split()[1]) for ln in open(f"/proc/{w.proc.pid}/status") if ln.startswith("VmHWM")])
    # peak RSS of this process image (ru_maxrss would include the forking parent's)
    hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")]
    rss = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": dt, "caller_kb": rss, "worker_kb": worker, "blocks": len(doc.blocks)}))
""")

FUZZ_CODE = textwrap.dedent("""
    import json, resource, sys, time
    from gongkai import parse
    from gongkai.errors import GongkaiError
    from gongkai.readers import pdf_engine
    t = time.monotonic()
    try:
        out = {"outcome": "read: " + (parse(sys.argv[1]).title or "")}
    except GongkaiError as e:
        out = {"outcome": e.message}
    pdf_engine.shutdown()
    out["seconds"] = time.monotonic() - t
    # this process image's peak (ru_maxrss would include the forking parent's)
    out["caller_mb"] = int([ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1]) / 1024
    out["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))
""")


def isolation(runs: int) -> None:
    from gongkai.options import ReadOptions
    from gongkai.readers import pdf_engine
    from gongkai.readers.pdf import pdf_document

    print("| input | pages | in process per document | in the worker per document | isolation cost |")
    print("|---|---|---|---|---|")
    opts = ReadOptions(pdf_backend="pdfium")
    for path in sorted((SHARED / "samples" / "pdf").glob("*.pdf")):
        data = path.read_bytes()
        pdf_document(data, "x.pdf", opts)  # a warm worker
        iso = timed(lambda data=data: pdf_document(data, "x.pdf", opts), runs) * 1000
        os.environ["GONGKAI_PDF_ISOLATE"] = "0"
        try:
            inp = timed(lambda data=data: pdf_document(data, "x.pdf", opts), runs) * 1000
        finally:
            del os.environ["GONGKAI_PDF_ISOLATE"]
        print(f"| {path.name} | {pages_of(data)} | {inp:.1f} ms | {iso:.1f} ms | {iso - inp:+.1f} ms |")

    def start() -> None:
        w = pdf_engine._Worker()
        w.start(time.monotonic() + 60)
        w.close()

    print(f"\nstart-up of a new worker (Python, gongkai, PDFium imported): {timed(start, runs) * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from gongkai import ReadOptions, parse
    from gongkai.readers import read_document

    print("| input | pages | backend | read_document per page | parse per page | pypdfium2 text per page |")
    print("|---|---|---|---|---|---|")
    for path in sorted((SHARED / "samples" / "pdf").glob("*.pdf")):
        data = path.read_bytes()
        n = pages_of(data)
        pt = timed(lambda data=data: pdfium_text(data), args.runs) / n * 1000
        for backend in ("pdfium", "pdfplumber"):
            opts = ReadOptions(pdf_backend=backend)
            rd = timed(lambda data=data, o=opts: read_document(data, name="x.pdf", options=o), args.runs) / n * 1000
            ps = timed(lambda data=data, o=opts: parse(data, name="x.pdf", options=o), args.runs) / n * 1000
            print(f"| {path.name} | {n} | {backend} | {rd:.1f} ms | {ps:.1f} ms | {pt:.1f} ms |")
    print()
    isolation(args.runs)
    print()

    data = long_report_pdf()
    n = pages_of(data)
    print("| pages read | backend | time per page | peak RSS caller | peak RSS worker | blocks |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "long.pdf"
        f.write_bytes(data)
        for backend in ("pdfium", "pdfplumber"):
            for cap in (10, 30, 60, n):
                out = json.loads(subprocess.run([sys.executable, "-c", RSS_CODE, str(f), str(cap), backend],
                                                capture_output=True, text=True, check=True, timeout=600).stdout)
                read = min(n, cap)
                print(f"| {read} of {n} | {backend} | {out['seconds'] / read * 1000:.1f} ms "
                      f"| {out['caller_kb'] / 1024:.0f} MB | {out['worker_kb'] / 1024:.0f} MB | {out['blocks']} |")
        pt = timed(lambda: pdfium_text(data), 1) / n * 1000
        print(f"\npypdfium2 text only: {pt:.1f} ms per page ({n} pages)")

    print("\n| fuzz reproducer | seconds | peak RSS caller | peak RSS worker | outcome |")
    print("|---|---|---|---|---|")
    for path in sorted((SHARED / "fuzz").glob("*.pdf")):
        try:
            out = json.loads(subprocess.run([sys.executable, "-c", FUZZ_CODE, str(path)], capture_output=True,
                                            text=True, check=True, timeout=120).stdout)
        except subprocess.TimeoutExpired:
            print(f"| {path.name} | > 120 | | | did not finish |")
            continue
        print(f"| {path.name} | {out['seconds']:.1f} | {out['caller_mb']:.0f} MB | {out['worker_mb']:.0f} MB "
              f"| {out['outcome']} |")


if __name__ == "__main__":
    main()
