"""The web app under load: 2,000 agencies × 5 years of reports in PostgreSQL, gunicorn on
127.0.0.1 with several workers, 20 concurrent clients from this (second) process.

    .venv/bin/python benchmarks/web_load.py                  # build the fixture once, then measure
    .venv/bin/python benchmarks/web_load.py --duration 30 --clients 20 --workers 2 --rebuild

Three phases of ``--duration`` seconds each, every client sending its next request as soon as
the last answer is read (keep-alive connections, ``http.client`` in threads):

* overview — the 省 supervisor's 年报监督 page over all 2,000 agencies for 2023 (default order, the
  overdue ones, sorted by errors, a name search, a later page);
* report — the report page of a random report of the 10,000 (the supervisor reads; the checker
  runs on the report and last year's);
* live check — the workspace's check as a drafter types (POST of the whole form, nothing saved).

Prints p50/p95/p99, throughput, the gunicorn workers' CPU time per request (user + system, from
/proc: what a request costs whatever else the machine runs) and the load average per phase; never
part of the test suite.
The database (``--database-url``, default ``gongkai_super_bench`` on 127.0.0.1:5432) is created
when missing; ``--rebuild`` drops it first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gongkai_super_bench"


def _environment(db_url: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "gongkai_web.conf.production",
            "DJANGO_SECRET_KEY": "bench-" + "x" * 60, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SSL_REDIRECT": "0", "GONGKAI_WEB_DATA": str(data_dir)}


def ensure_database(db_url: str, rebuild: bool) -> None:
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    try:
        conn = psycopg.connect(admin, autocommit=True)
    except psycopg.OperationalError as e:
        raise SystemExit(f"连接不上 PostgreSQL（{admin}）：{e}；用 --database-url 指定，或先启动数据库") from None
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(db_url: str, data_dir: Path, rebuild: bool) -> dict[str, object]:
    """Migrate, build the fixture when missing, collect static files; sessions and targets."""
    ensure_database(db_url, rebuild)
    os.environ.update(_environment(db_url, data_dir))
    import django

    django.setup()
    import web_fixture
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from gongkai_web.orgs.models import User
    from gongkai_web.reports.models import Report
    from gongkai_web.testing import form_data

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not web_fixture.present():
        print("生成基准数据（2,000个机关 × 5个年度）……", flush=True)
        built = web_fixture.build()
        print(f"  {built.agencies}个机关，{built.reports}份报告，{built.cells}个单元格，用时{built.seconds:.0f}秒", flush=True)
    filled = web_fixture.fill_checks()  # the outcomes the report page shows (see reports/checks.py)
    if filled:
        print(f"  为{filled}份尚无（或只有旧版核查程序的）核查结果的报告核查并保存了结果", flush=True)

    def session(username: str) -> str:
        user = User.objects.get(username=username)
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "gongkai_web.orgs.backends.AccountBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return str(s.session_key)

    drafter = User.objects.get(username=web_fixture.DRAFTER)
    draft = Report.objects.get(agency_id=drafter.agency_id, year=2023)
    form = form_data(draft)
    # a person typing: one cell changed
    form["c:requests:new:natural_person"] = str(int(form.get("c:requests:new:natural_person") or 0) + 1)
    return {"supervisor": session(web_fixture.SUPERVISOR), "drafter": session(web_fixture.DRAFTER),
            "report_ids": list(Report.objects.values_list("pk", flat=True)), "draft": draft.pk,
            "form": json.dumps(form, ensure_ascii=False).encode(), "agencies": Report.objects.values("agency").distinct().count()}


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | str | None, headers: dict[str, str], cookie: str
                ) -> tuple[int, float]:
        h = {"Cookie": cookie, "Host": "127.0.0.1", **headers}
        for _attempt in (1, 2):
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                resp.read()
                elapsed = time.perf_counter() - t0
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                return resp.status, elapsed
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return 0, 0.0  # no answer twice: counted as a failure


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's workers (the children of ``master``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def database_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL process on this machine (when it runs here and
    /proc shows its processes; other users of the server count too: measure on a quiet machine)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        head, _, rest = text.rpartition(")")
        if head.split("(", 1)[-1] not in ("postgres", "postmaster"):
            continue
        fields = rest.split()
        total += int(fields[11]) + int(fields[12])
        if fields[1] == "1" or head.split("(", 1)[-1] == "postmaster":
            # the server's main process: the CPU of its children that have ended (a backend closed
            # during a phase would otherwise take its time with it)
            total += int(fields[13]) + int(fields[14])
    return total / tick


def phase(name: str, port: int, clients: int, duration: float, make: object, master: int = 0) -> dict[str, float]:
    """``clients`` threads, each sending ``make(rng)`` → (method, path, body, headers, cookie) for ``duration`` s."""
    times: list[float] = []
    bad: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def run(i: int) -> None:
        rng = random.Random(i)
        client = Client(port)
        while time.perf_counter() < stop:
            method, path, body, headers, cookie = make(rng)  # type: ignore[operator]
            status, elapsed = client.request(method, path, body, headers, cookie)
            with lock:
                (times if status == 200 else bad).append(elapsed if status == 200 else status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    cpu0 = server_cpu(master) if master else 0.0
    db0 = database_cpu()
    own0 = time.process_time()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = (server_cpu(master) - cpu0) if master else 0.0
    db = database_cpu() - db0
    own = time.process_time() - own0
    q = statistics.quantiles(times, n=100) if len(times) >= 2 else [0.0] * 99
    out = {"requests": len(times), "failed": len(bad), "rps": len(times) / wall,
           "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000,
           "cpu_ms": cpu * 1000 / max(1, len(times) + len(bad)),
           "db_ms": db * 1000 / max(1, len(times) + len(bad)),
           "client_ms": own * 1000 / max(1, len(times) + len(bad)),
           "load": float(Path("/proc/loadavg").read_text().split()[0])}
    print(f"{name:<10} {out['requests']:>6} 次  失败 {out['failed']:>3}  {out['rps']:6.1f} 次/秒  "
          f"p50 {out['p50']:6.0f} ms  p95 {out['p95']:6.0f} ms  p99 {out['p99']:6.0f} ms  "
          f"服务端CPU {out['cpu_ms']:5.1f} ms/次  数据库CPU {out['db_ms']:4.1f} ms/次  "
          f"压测端CPU {out['client_ms']:4.1f} ms/次  负载 {out['load']:.1f}", flush=True)
    if bad:
        print(f"  非200的状态码（0为无应答）：{sorted(set(bad))}", flush=True)
    return out


def wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn 30秒内没有应答")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                    help="gunicorn worker processes (default: one per core, as docs/deploy.md advises)")
    ap.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread only)")
    ap.add_argument("--worker-class", default="sync", choices=("sync", "gthread"),
                    help="sync: docs/deploy.md's shape behind a reverse proxy (one request per connection); "
                         "gthread: keep-alive connections held by one worker each")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    ap.add_argument("--only", choices=("overview", "report", "check"), action="append")
    args = ap.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    ctx = prepare(args.database_url, data_dir, args.rebuild)
    env = _environment(args.database_url, data_dir)
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "gongkai_web.wsgi:application",
                "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
                "--worker-class", args.worker_class, *(["--threads", str(args.threads), "--keep-alive", "30"]
                                                      if args.worker_class == "gthread" else []), "--timeout", "120", "--log-level", "warning"]
    proc = subprocess.Popen(gunicorn, env=env, cwd=ROOT)
    try:
        wait_up(args.port, proc)
        csrf = secrets.token_hex(16)
        # a browser keeps the CSRF cookie the first page set (without it every page makes a new one)
        sup = f"sessionid={ctx['supervisor']}; csrftoken={csrf}"
        drafter = f"sessionid={ctx['drafter']}; csrftoken={csrf}"
        ids: list[int] = ctx["report_ids"]  # type: ignore[assignment]
        overviews = ["/supervision/?year=2023", "/supervision/?year=2023&status=overdue",
                     "/supervision/?year=2023&sort=errors&dir=desc", "/supervision/?year=2023&q=%E9%95%87",
                     "/supervision/?year=2023&page=7"]
        # as the page sends it: the form as one JSON object (htmx extension gk-json)
        check_headers = {"Content-Type": "application/json", "X-CSRFToken": csrf,
                         "HX-Request": "true"}
        makers = {
            "overview": lambda rng: ("GET", rng.choice(overviews), None, {}, sup),
            "report": lambda rng: ("GET", f"/reports/{rng.choice(ids)}/", None, {}, sup),
            "check": lambda rng: ("POST", f"/reports/{ctx['draft']}/check/", ctx["form"], check_headers, drafter),
        }
        # warm every worker: imports, the deadline cache, connections
        # (every worker thread busy at once, so none meets its first request in a measured phase)
        phase("warm-up", args.port, max(args.clients, args.workers * args.threads * 2), 5.0,
              lambda rng: rng.choice(list(makers.values()))(rng))
        shape = f"{args.workers}×{args.threads} (gthread)" if args.worker_class == "gthread" else f"{args.workers} (sync)"
        print(f"gunicorn {shape}，{args.clients}个并发客户端，每项{args.duration:.0f}秒",
              flush=True)
        results = {}
        for name in args.only or list(makers):
            results[name] = phase(name, args.port, args.clients, args.duration, makers[name], proc.pid)
        print("负载：" + Path("/proc/loadavg").read_text().strip(), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
