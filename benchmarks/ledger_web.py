"""The case ledger in the web app under load: an agency with 100,000 requests in PostgreSQL, the
due-soon list and the year's table 三 requested by 20 concurrent clients.

    .venv/bin/python benchmarks/ledger_web.py [--db postgres://postgres@127.0.0.1:5432/gongkai_registers_bench]
        [--requests 100000] [--clients 20] [--seconds 20] [--workers N (default: one per core)] [--fresh] [--pages due,tables,floor]

1. (once; ``--fresh`` to redo) a database with one agency whose 100,000 requests were received
   between 2025-01-02 and 2026-12-04, each a valid engine history up to 2026-12-07 (``gongkai.ledger.generate``)
   stored through the case ledger's models (``registers.generated.store_requests``: the engine's
   events and the columns ``cases.actions.refresh`` computes) — about half counted in 2025's table 三;
2. gunicorn (production settings, ``--workers`` sync workers) on 127.0.0.1 only;
3. from a second process, ``--clients`` threads each requesting one page after another for
   ``--seconds`` (bounded: also at most 20,000 requests per page), signed in as the agency's 填报人;
   latencies measured at the client (connect to last byte);
4. p50 / p95 / p99 / max, requests per second, the server's CPU per request, non-200 answers, one
   client alone afterwards (p50 / p95), and the load average.  ``--pages floor`` adds a signed-in page
   that is only the frame (修改密码): what every page costs before its own work; ``due-cold`` the
   due page as if the ledger were written between any two requests (a page number of its own each time).

Everything goes to loopback; the server is stopped at the end (its own process group).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "基准测试县人民政府办公室"
TODAY = dt.date(2026, 12, 7)
MAX_PER_PAGE = 20_000


def _env(db: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="gongkai_web.conf.production", DATABASE_URL=db,
               DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SSL_REDIRECT="0", GONGKAI_WEB_DATA=data_dir)
    return env


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def _create_database(db: str, fresh: bool) -> bool:
    """Make the database if missing (or anew with ``fresh``); True when it was (re)made."""
    import psycopg

    base, name = db.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and not fresh:
            return False
        if exists:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return True


def setup(db: str, n: int, fresh: bool, env: dict[str, str], year: int) -> tuple[int, str]:
    """The database with the agency, its requests and ``year``'s report (a blank draft, as there
    usually is one by the time the tables are looked at: the page links to it); returns (agency id,
    session cookie)."""
    made = _create_database(db, fresh)
    _django(env)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from gongkai.ledger.generate import random_requests
    from gongkai_web.orgs import actions as org_actions
    from gongkai_web.orgs.models import Agency, Level, Role, User
    from gongkai_web.registers.generated import store_requests

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    agency = Agency.objects.filter(name=AGENCY).first()
    if agency is None or made:
        t0 = time.perf_counter()
        agency = org_actions.create_agency(None, name=AGENCY, kind="government_office", level=Level.COUNTY)
        libs = random_requests(random.Random(100_000), n, first=dt.date(2025, 1, 2), last=dt.date(2026, 12, 4),
                               today=TODAY, applicants=5000)
        t1 = time.perf_counter()
        store_requests(agency, libs, today=TODAY, batch=5000)
        t2 = time.perf_counter()
        print(f"生成{n}件申请 {t1 - t0:.1f} s，存入数据库 {t2 - t1:.1f} s", flush=True)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    user = User.objects.filter(username="bench_drafter").first() or org_actions.create_user(
        None, username="bench_drafter", password=secrets.token_urlsafe(16), agency=agency, role=Role.DRAFTER)
    from gongkai_web.reports import actions as report_actions
    from gongkai_web.reports.models import Report

    if not Report.objects.filter(agency=agency, year=year).exists():
        report_actions.create_report(user, agency, year)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "gongkai_web.orgs.backends.AccountBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    from gongkai_web.cases.models import DisclosureRequest

    print(f"机关“{AGENCY}”：{DisclosureRequest.objects.filter(agency=agency).count()}件申请，"
          f"其中未办结{DisclosureRequest.objects.filter(agency=agency, closed_on__isnull=True).count()}件", flush=True)
    return agency.pk, s.session_key or ""


def _client(port: int, path: str, cookie: str, until: float, budget: list[int], lock: threading.Lock,
            out: list[float], bad: list[int]) -> None:
    while time.perf_counter() < until:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
            n = budget[0]
        t0 = time.perf_counter()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            c.request("GET", path.replace("{n}", str(100_000 + n)), headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            r = c.getresponse()
            r.read()
            status = r.status
        except OSError:
            status = 0
        finally:
            c.close()
        out.append(time.perf_counter() - t0)
        if status != 200:
            bad.append(status)


def _load(port: int, path: str, cookie: str, clients: int, seconds: float, q: multiprocessing.Queue) -> None:
    """The second process: ``clients`` threads for ``seconds``; puts (latencies, bad statuses, wall)."""
    out: list[float] = []
    bad: list[int] = []
    lock = threading.Lock()
    budget = [MAX_PER_PAGE]
    t0 = time.perf_counter()
    until = t0 + seconds
    threads = [threading.Thread(target=_client, args=(port, path, cookie, until, budget, lock, out, bad))
               for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.put((out, bad, time.perf_counter() - t0))


def _cpu_seconds(root: int) -> float:
    """User + system CPU time of the gunicorn master and its workers (from /proc; PostgreSQL's own
    time not included): what the requests cost whatever else the machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000


def _wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("gunicorn 没有启动")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            if c.getresponse().status == 200:
                time.sleep(1)
                if proc.poll() is not None:  # another server answered on the port
                    raise SystemExit(f"端口 {port} 已被占用")
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn 在60秒内没有应答")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/gongkai_registers_bench")
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)  # one per core (docs/deploy.md)
    ap.add_argument("--solo", type=float, default=5, help="seconds of one client alone after the load, per page")
    ap.add_argument("--port", type=int, default=0, help="0: a free port on 127.0.0.1")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--pages", default="due,tables",
                    help="which pages, comma-separated: due, due-cold (the kept lists never found), tables, "
                         "floor (a signed-in page that is only the frame)")
    args = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="gongkai-bench-")
    env = _env(args.db, data_dir)
    if not args.port:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    agency_id, cookie = setup(args.db, args.requests, args.fresh, env, args.year)  # the session is signed with env's key
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "gongkai_web.wsgi:application", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--access-logfile", "-", "--log-level", "warning"],
        env=env, cwd=data_dir, stdout=subprocess.DEVNULL, start_new_session=True)
    known = {"due": ("即将到期和已逾期的申请", f"/cases/agency/{agency_id}/due/"),
             "tables": (f"{args.year}年度表三（统计表页面）", f"/registers/agency/{agency_id}/{args.year}/tables/"),
             # every request a page number of its own: the lists kept under the ledger stamp are never
             # found (as if the ledger had been written between any two requests); past the end = the last page
             "due-cold": ("即将到期和已逾期的申请（不用已保存的结果）", f"/cases/agency/{agency_id}/due/?soon={{n}}"),
             # the request floor for comparison: a signed-in page that is only the base template and a small form
             "floor": ("对照：只有页面框架的登录后页面（修改密码）", "/accounts/password/")}
    wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
    if not wanted or any(p not in known for p in wanted):
        raise SystemExit(f"--pages 只能是 {'、'.join(known)} 中的一个或几个（逗号分隔）")
    pages = dict(known[p] for p in wanted)
    try:
        _wait(args.port, server)
        print(f"gunicorn：{args.workers}个进程；{args.clients}个并发客户端，每页{args.seconds:.0f}秒", flush=True)
        for label, path in pages.items():
            q: multiprocessing.Queue = multiprocessing.Queue()
            warm = multiprocessing.Process(target=_load, args=(args.port, path, cookie, args.workers * 2, 2, q))
            warm.start()
            q.get()
            warm.join()
            cpu0 = _cpu_seconds(server.pid)
            p = multiprocessing.Process(target=_load, args=(args.port, path, cookie, args.clients, args.seconds, q))
            p.start()
            lat, bad, wall = q.get()
            p.join()
            cpu = (_cpu_seconds(server.pid) - cpu0) / max(len(lat), 1) * 1000
            solo_q: multiprocessing.Queue = multiprocessing.Queue()
            solo = multiprocessing.Process(target=_load, args=(args.port, path, cookie, 1, args.solo, solo_q))
            solo.start()
            one, _bad, _wall = solo_q.get()
            solo.join()
            load = os.getloadavg()
            print(f"{label} {path}\n  一个客户端：{len(one)}次，p50 {_pct(one, 50):.0f} ms，p95 {_pct(one, 95):.0f} ms"
                  f"\n  {len(lat)}次请求，{len(lat) / wall:.1f}次/秒；p50 {_pct(lat, 50):.0f} ms，"
                  f"p95 {_pct(lat, 95):.0f} ms，p99 {_pct(lat, 99):.0f} ms，最长 {max(lat) * 1000:.0f} ms，"
                  f"平均 {statistics.mean(lat) * 1000:.0f} ms；每次请求 CPU {cpu:.1f} ms；非200应答 {len(bad)}次；"
                  f"负载 {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
