"""The supervisor's overview with uploaded reports (上传核查) beside 2,000 agencies: what listing
and matching the uploads adds to a request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_auditview_bench \\
        .venv/bin/python benchmarks/bench_supervision_uploads.py [--uploads 500] [--requests 30]

A fresh schema in the database named (its name must contain ``bench``; created when missing) or a
temporary SQLite file; 2,000 agencies (``web_fixture``'s tree, no reports), a 省 supervisor, and
one finished batch of ``--uploads`` report rows for 2023 (stored as the job stores them; half
named like agencies of the app, some of those written with spaces or full-width brackets, the rest
not in the app).  Times, in this one process through Django's test client: the overview without
any upload, with the batch, and ``uploads.collect`` alone; and the queries per overview.
Bounded: a few dozen requests; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit("PostgreSQL: name a database of its own for the benchmark (its name containing bench)")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _times(fn: object, n: int) -> tuple[float, float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return statistics.median(out), out[max(0, int(len(out) * 0.95) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uploads", type=int, default=500)
    ap.add_argument("--requests", type=int, default=30)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="bench-sv-uploads-")
    os.environ.setdefault("GONGKAI_WEB_DATA", tmp.name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai_web.conf.dev")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    import web_fixture
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from gongkai_web.audits.models import Audit, AuditEntry
    from gongkai_web.orgs.models import Agency, Role
    from gongkai_web.supervision import overview, uploads
    from gongkai_web.testing import make_user

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    agencies = web_fixture._agencies()
    root = agencies[0]
    user = make_user("bench_sv", Role.SUPERVISOR, root)
    client = Client()
    client.force_login(user, backend="gongkai_web.orgs.backends.AccountBackend")
    url = "/supervision/?year=2023"

    def page() -> None:
        assert client.get(url).status_code == 200

    page()
    without = _times(page, args.requests)
    with CaptureQueriesContext(connection) as q0:
        page()

    audit = Audit.objects.create(title="基准批次", created_by=user, status=Audit.Status.DONE,
                                 finished_at=timezone.now())
    rows = []
    for i in range(args.uploads):
        if i % 2 == 0:
            name = agencies[(i * 7) % len(agencies)].name
            name = name.replace("人民政府", " 人民政府") if i % 6 == 0 else name
        else:
            name = f"外省第{i}县（区）人民政府"
        status = ("ok", "warnings", "errors")[i % 3]
        rows.append(AuditEntry(audit=audit, position=i, source=f"年报/{i}.docx", label=f"{name}2023年度报告",
                               agency=name, year=2023, status=status, errors=i % 3 == 2, warnings=i % 3 >= 1,
                               notices=i % 5 == 0))
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    page()
    with_uploads = _times(page, args.requests)
    with CaptureQueriesContext(connection) as q1:
        page()
    every = overview.annotated(Agency.objects.subtree(root), 2023, timezone.localdate())
    found = uploads.collect(user, 2023, every, overview.Query(), whole=True)
    alone = _times(lambda: uploads.collect(user, 2023, every, overview.Query(), whole=True), args.requests)
    load = os.getloadavg()[0]
    print(f"{connection.vendor}: {len(agencies)} agencies, {args.uploads} uploaded rows "
          f"({found.total} shown, {found.matched} matched), load average {load:.1f}")
    print(f"overview without uploads: p50 {without[0]:.1f} ms, p95 {without[1]:.1f} ms, "
          f"{len(q0.captured_queries)} queries")
    print(f"overview with uploads:    p50 {with_uploads[0]:.1f} ms, p95 {with_uploads[1]:.1f} ms, "
          f"{len(q1.captured_queries)} queries")
    print(f"uploads.collect alone:    p50 {alone[0]:.1f} ms, p95 {alone[1]:.1f} ms")


if __name__ == "__main__":
    main()
