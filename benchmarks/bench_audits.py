"""Batch checks in the web app: what storing an upload, the database worker and the results page cost
beside the library's own batch reading.

    .venv/bin/python benchmarks/bench_audits.py --n 100            # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_audits.py --n 100

The batch is one ZIP: the shared samples (3 PDFs, 5 portal pages with their text versions, 14 text
reports, the seed) when they are on the machine, and ``--n`` reports generated and written by the
library's writers (DOCX and HTML, half each).  Measured:
  library   gongkai.check_files over the unpacked folder (workers=1), no database;
  upload    the POST that stores the ZIP and queues the job (Django test client);
  worker    db_worker --batch: unpack, read, check, store a row per report;
  page      the results page of the finished batch (median of 10 GETs) and the progress fragment.
Bounded: the generated reports are written once; every step runs once (the page ten times).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SAMPLES = Path("/work/shared/samples")
SEED = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"


def build_zip(n: int) -> tuple[bytes, int]:
    import gongkai
    from gongkai.testing import random_report

    out = io.BytesIO()
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if SAMPLES.is_dir():
            for p in sorted(SAMPLES.rglob("*")):
                if p.is_file() and p.suffix in (".pdf", ".txt", ".html"):
                    z.write(p, f"样本/{p.relative_to(SAMPLES)}")
                    count += p.name != "page.txt" or not (p.parent / "page.html").exists()
        if SEED.is_file():
            z.write(SEED, "样本/会发镇2021.txt")
            count += 1
        rng = random.Random("bench:audits")
        for i in range(n):
            lib = random_report(rng, "2021", year=2024)
            target = "docx" if i % 2 == 0 else "html"
            z.writestr(f"生成/{i:04d}.{target}", gongkai.render(lib, target))
            count += 1
    return out.getvalue(), count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="generated reports in the batch (default 100)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-audits-")
    os.environ.setdefault("GONGKAI_WEB_DATA", tmp.name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai_web.conf.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    import gongkai
    from gongkai_web.audits.jobs import limits
    from gongkai_web.audits.models import Audit
    from gongkai_web.audits.unpack import Stored, lay_out
    from gongkai_web.testing import make_people, make_tree

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        from django.db import connection

        if "bench" not in db["NAME"]:
            raise SystemExit("PostgreSQL: name a database of its own for the benchmark (its name containing bench)")

        with connection.cursor() as c:  # a fresh schema in the database named by DATABASE_URL
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    people = make_people(make_tree("基准"))
    client = Client()
    client.force_login(people.supervisor, backend="gongkai_web.orgs.backends.AccountBackend")

    t = time.perf_counter()
    data, reports = build_zip(args.n)
    build_s = time.perf_counter() - t
    print(f"batch: 1 ZIP, {len(data) / 1e6:.1f} MB, {reports} reports (written in {build_s:.1f} s)", file=sys.stderr)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "upload"
        lay_out([Stored("批次.zip", len(data), data)], root, limits())
        t = time.perf_counter()
        library = list(gongkai.check_files([root], workers=1))
        library_s = time.perf_counter() - t

    from django.core.files.uploadedfile import SimpleUploadedFile

    t = time.perf_counter()
    r = client.post(reverse("audits:index"), {"title": "基准", "files": [SimpleUploadedFile("批次.zip", data)]})
    upload_s = time.perf_counter() - t
    assert r.status_code == 302, r.status_code
    audit = Audit.objects.get(title="基准")

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    t = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    worker_s = time.perf_counter() - t
    for s, h in saved.items():
        signal.signal(s, h)
    audit.refresh_from_db()
    assert audit.status == "done", audit.failure
    rows = audit.entries.count()

    def timed(url: str) -> float:
        times = []
        for _ in range(10):
            t = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    page_s = timed(reverse("audits:detail", kwargs={"pk": audit.pk}))
    fragment_s = timed(reverse("audits:progress", kwargs={"pk": audit.pk}))
    load = os.getloadavg()[0]
    print(f"| {db['ENGINE'].rsplit('.', 1)[-1]} | {len(library)} | {rows} | {library_s:.1f} s "
          f"({1000 * library_s / len(library):.0f} ms/份) | {upload_s * 1000:.0f} ms | {worker_s:.1f} s "
          f"({1000 * worker_s / len(library):.0f} ms/份) | {100 * (worker_s - library_s) / library_s:+.0f}% "
          f"| {page_s * 1000:.0f} ms | {fragment_s * 1000:.0f} ms | {load:.1f} |")
    tmp.cleanup()


if __name__ == "__main__":
    main()
