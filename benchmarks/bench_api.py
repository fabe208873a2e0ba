"""The JSON API's answer times on a county with ``--n`` townships × ``--years`` reports each.

    .venv/bin/python benchmarks/bench_api.py --n 100 --years 3            # SQLite in a temporary folder
    DATABASE_URL=postgres://…/gongkai_api_bench .venv/bin/python benchmarks/bench_api.py --n 100

Reports are made through ``reports.actions`` (generated valid reports; every other one published);
one township gets ``--requests`` case-ledger histories from the engine's generator (``store_history``).
Then, through the Django test client with a 主管部门 token (and anonymously for the public view),
each request ``--repeat`` times: p50 and p95 in ms.  Bounded: one data set, a fixed number of requests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="townships (default 100)")
    ap.add_argument("--years", type=int, default=3, help="reports per township, from 2022 on (default 3)")
    ap.add_argument("--repeat", type=int, default=30, help="requests per endpoint (default 30)")
    ap.add_argument("--requests", type=int, default=5000,
                    help="case-ledger requests of the first township (default 5,000; 0: no ledger endpoints)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
    os.environ.setdefault("GONGKAI_WEB_DATA", tmp.name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai_web.conf.dev")
    # every request of the run comes from one address and one token: rate limits far above them
    # (the limits' own cost, a cache read and write per request, is still measured)
    os.environ.setdefault("GONGKAI_API_RATE_ANON", "1000000/minute")
    os.environ.setdefault("GONGKAI_API_RATE_USER", "1000000/minute")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from gongkai import schema
    from gongkai_web.api.actions import issue_token
    from gongkai_web.orgs.models import Level, Role
    from gongkai_web.reports import actions
    from gongkai_web.reports.models import ReportVersion
    from gongkai_web.testing import make_agency, make_people, make_tree, make_user, valid_report

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        from django.db import connection

        if "bench" not in db["NAME"]:
            raise SystemExit("PostgreSQL: name a database of its own for the benchmark (its name containing bench)")
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    tree = make_tree("基准")
    people = make_people(tree)

    t = time.perf_counter()
    made = 0
    first = None
    for i in range(args.n):
        town = make_agency(f"基准县第{i + 1}镇人民政府", "township", Level.TOWNSHIP, tree.county)
        drafter = make_user(f"d{i}", Role.DRAFTER, town)
        approver = make_user(f"a{i}", Role.APPROVER, town)
        for year in range(2022, 2022 + args.years):
            report = actions.create_from(drafter, town, year, valid_report(town, year), "基准")
            if (i + year) % 2 == 0:
                actions.submit_report(drafter, report)
                actions.approve_report(approver, report)
                actions.publish_report(approver, report, override_reason="基准")
            elif first is None:
                first = (report, drafter)
            made += 1
    build_s = time.perf_counter() - t
    print(f"data: {args.n} townships, {made} reports, made in {build_s:.1f} s", file=sys.stderr)
    assert first is not None
    draft, drafter = first
    if args.requests:  # the ledger: one township's generated histories, stored as an imported 台账 is
        import datetime as dt
        import random

        from django.db import transaction

        from gongkai.ledger.generate import random_requests
        from gongkai_web.cases import actions as case_actions
        from gongkai_web.cases.models import DisclosureRequest

        today = dt.date(2026, 12, 7)
        libs = random_requests(random.Random(3), args.requests, first=dt.date(2025, 1, 2), last=dt.date(2026, 12, 4),
                               today=today, prefix="B-")
        with transaction.atomic():
            case_actions.store_history(drafter, draft.agency, libs, note="基准", imported=False, today=today)
        ledger_town = draft.agency
        some_request = DisclosureRequest.objects.filter(agency=ledger_town).order_by("-pk").values_list(
            "pk", flat=True).first()
        late = DisclosureRequest.objects.filter(closed_on__isnull=True, status="late").count()
        soon = DisclosureRequest.objects.filter(closed_on__isnull=True, status__in=("due_soon", "lapsed")).count()
        print(f"ledger: {args.requests} requests of {ledger_town.name} ({late} overdue, {soon} due soon)",
              file=sys.stderr)

    def client(user: Any) -> Client:
        return Client(headers={"Authorization": f"Token {issue_token(None, user).key}"} if user else {})

    sup, anon, own = client(people.supervisor), client(None), client(drafter)
    published = ReportVersion.objects.values_list("report_id", flat=True).first()

    def get(c: Client, url: str) -> Callable[[], Any]:
        return lambda: c.get(url)

    state = {"revision": draft.revision, "value": 0}

    def patch() -> Any:
        state["value"] += 1
        body = {"revision": state["revision"], "tables": {"requests": {"new": {"research": state["value"]}}}}
        r = own.patch(f"/api/v1/reports/{draft.pk}/", schema.dumps(body, indent=None), content_type="application/json")
        state["revision"] = r.json()["revision"]
        return r

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("GET reports/ (主管部门, 50 per page)", get(sup, "/api/v1/reports/?page_size=50")),
        ("GET reports/?year=2023&status=published", get(sup, "/api/v1/reports/?year=2023&status=published")),
        ("GET reports/ (anonymous, last page)", get(anon, f"/api/v1/reports/?page={max(1, made // 100)}")),
        ("GET reports/{id}/ (working copy)", get(sup, f"/api/v1/reports/{draft.pk}/")),
        ("GET reports/{id}/ (anonymous, published)", get(anon, f"/api/v1/reports/{published}/")),
        ("GET reports/{id}/findings/", get(sup, f"/api/v1/reports/{draft.pk}/findings/")),
        ("GET agencies/ (主管部门)", get(sup, "/api/v1/agencies/")),
        ("PATCH reports/{id}/ (one cell, saved and checked)", patch),
    ]
    if args.requests:
        cases += [
            ("GET agencies/{id}/requests/ (主管部门, 50 per page)", get(sup, f"/api/v1/agencies/{ledger_town.pk}/requests/")),
            ("GET agencies/{id}/requests/?year=2026&state=open", get(
                sup, f"/api/v1/agencies/{ledger_town.pk}/requests/?year=2026&state=open")),
            ("GET requests/{id}/ (clock with its working, steps)", get(sup, f"/api/v1/requests/{some_request}/")),
            ("GET requests/overdue/ (主管部门's subtree)", get(sup, "/api/v1/requests/overdue/")),
            ("GET requests/due-soon/ (主管部门's subtree)", get(sup, "/api/v1/requests/due-soon/")),
            ("GET agencies/{id}/tables/2025/ (tables 二/三/四)", get(sup, f"/api/v1/agencies/{ledger_town.pk}/tables/2025/")),
        ]
    print(f"| endpoint | p50 | p95 | ({db['ENGINE'].rsplit('.', 1)[-1]}, {made} reports, "
          f"load {os.getloadavg()[0]:.1f}) |")
    print("|---|---|---|---|")
    for name, call in cases:
        call()  # warm-up (first imports, compiled schemas)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = call()
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, (name, r.status_code, r.content[:300])
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(f"| {name} | {statistics.median(times) * 1000:.0f} ms | {p95 * 1000:.0f} ms | |")
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    tmp.cleanup()


if __name__ == "__main__":
    main()
