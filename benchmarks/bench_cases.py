"""The case ledger's own steps, timed on PostgreSQL: storing histories, a clerk's step (the
request rebuilt from its events, the engine's check, the event stored, the row refreshed), the
request page, the daily status refresh and the re-dating after a calendar change.

    .venv/bin/python benchmarks/bench_cases.py [--db postgres://postgres@127.0.0.1:5432/gongkai_cases_bench]
        [--requests 5000] [--repeat 50]

The database is made anew each run (dropped at the end).  Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable

TODAY = dt.date(2026, 12, 7)


def timed(fn: Callable[[], object], repeat: int) -> str:
    """``median X ms, p95 Y ms``."""
    xs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return f"median {statistics.median(xs):.1f} ms, p95 {xs[min(len(xs) - 1, int(len(xs) * 0.95))]:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/gongkai_cases_bench")
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=50)
    a = ap.parse_args()
    import psycopg

    base, name = a.db.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DJANGO_SETTINGS_MODULE="gongkai_web.conf.test", DATABASE_URL=a.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    try:
        run(a.requests, a.repeat, Client, reverse)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(n: int, repeat: int, client_cls: type, reverse: Callable[..., str]) -> None:
    from django.db import transaction

    from gongkai.ledger.generate import random_requests
    from gongkai_web.cases import actions
    from gongkai_web.cases.models import DisclosureRequest
    from gongkai_web.orgs.models import Role
    from gongkai_web.testing import make_agency, make_user

    agency = make_agency("基准测试镇人民政府", "township", "township")
    clerk = make_user("bench_clerk", Role.DRAFTER, agency)
    libs = random_requests(random.Random(3), n, first=dt.date(2025, 1, 2), last=dt.date(2026, 12, 4), today=TODAY,
                           prefix="B-")
    t = time.perf_counter()
    with transaction.atomic():
        actions.store_history(None, agency, libs, note="基准", imported=False, today=TODAY)
    stored = time.perf_counter() - t
    open_n = DisclosureRequest.objects.filter(closed_on__isnull=True).count()
    print(f"stored {n} histories (events + refreshed columns): {stored:.2f} s ({stored / n * 1000:.2f} ms each); "
          f"{open_n} open")

    day = [dt.date(2026, 12, 7)]

    def intake() -> None:
        actions.intake(clerk, agency, channel="online", day=day[0], applicant_kind="natural_person",
                       applicant_name=f"张{random.randint(0, 10**6)}", subject="基准测试申请", today=TODAY)

    print("intake (number, duplicates, engine, event, refresh): " + timed(intake, repeat))
    rows = list(DisclosureRequest.objects.filter(subject="基准测试申请").order_by("pk"))
    it = iter(rows)

    def step() -> None:
        actions.decide(clerk, next(it), on=TODAY, outcome="granted", today=TODAY)

    print("a step (decide: rebuild, engine check, event, refresh): "
          + timed(step, min(repeat, len(rows))))
    c = client_cls()
    c.force_login(clerk, backend="gongkai_web.orgs.backends.AccountBackend")
    some = list(DisclosureRequest.objects.order_by("?").values_list("pk", flat=True)[:repeat])
    pages = iter(some)
    print("request page (clock, working, forms): "
          + timed(lambda: c.get(reverse("cases:request", args=[next(pages)])), len(some)))
    print("due-soon/overdue page: "
          + timed(lambda: c.get(reverse("cases:agency_due", args=[agency.pk])), 20))
    print("list page (open, first 50): "
          + timed(lambda: c.get(reverse("cases:list", args=[agency.pk])), 20))
    t = time.perf_counter()
    k = actions.refresh_open(today=TODAY)
    print(f"daily refresh of {k} open requests: {time.perf_counter() - t:.2f} s")
    from gongkai_web.orgs.models import User

    admin = User.objects.create(username="bench_admin", role=Role.ADMIN, is_staff=True)
    text = 'year = 2027\nnotice = "基准（非实际安排）"\n[off]\n"元旦" = ["2027-01-01", "2027-01-04"]\n'
    t = time.perf_counter()
    _, moved = actions.load_arrangement(admin, text, today=TODAY)
    print(f"load a 2027 arrangement, re-date {k} open requests: {time.perf_counter() - t:.2f} s, {len(moved)} moved")


if __name__ == "__main__":
    main()
