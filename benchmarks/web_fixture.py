"""The web benchmark's data: 2,000 agencies × 5 years of reports in PostgreSQL, made in bulk.

A 省 with 13 市, 10 县 each, and under every 县 its office, departments and 乡镇 (2,000 agencies);
reports for 2019–2023 (the older years nearly all published, 2023 in every stage and some not
started), documents from the library's generator (``gongkai.testing.random_report``) with
realistic defects, checked once per template by the library for their counts; the derived
``ReportCell`` rows written with PostgreSQL's COPY.  Bulk writes skip django-simple-history: this
is a benchmark fixture, not people's work.  A 主管部门 user at the 省 and a 填报人 of one 乡镇 (with a
2023 draft for the live check) are made through the actions, like people.

Called by ``web_load.py``; needs Django configured (``django.setup()``) on the benchmark database.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

YEARS = (2019, 2020, 2021, 2022, 2023)
ROOT = "某省人民政府"
SUPERVISOR = "bench_supervisor"
DRAFTER = "bench_drafter"
TEMPLATES_PER_YEAR = 16
_GENERATOR_KIND = {"government": "county", "government_office": "department", "department": "department",
                   "dispatched": "department", "township": "township"}
_DEPTS = ("财政局", "教育局", "自然资源局", "卫生健康局", "市场监督管理局", "住房和城乡建设局")
_TOWNS = ("城关镇", "东风镇", "红星乡", "新华镇", "光明乡", "和平镇", "永安乡")


@dataclass
class Built:
    agencies: int
    reports: int
    cells: int
    seconds: float


def _tree() -> list[tuple[str, str, str, int | None]]:
    """(name, kind, level, parent index) in tree order: 2,000 agencies."""
    out: list[tuple[str, str, str, int | None]] = [(ROOT, "government", "province", None)]
    for d in range(10):
        out.append((f"某省{_DEPTS[d % 6]}第{d + 1}分局" if d >= 6 else f"某省{_DEPTS[d]}", "department", "province", 0))
    for c in range(13):
        city = f"第{c + 1}市"
        out.append((f"{city}人民政府", "government", "city", 0))
        ci = len(out) - 1
        out.append((f"{city}人民政府办公室", "government_office", "city", ci))
        out.append((f"{city}财政局", "department", "city", ci))
        for k in range(10):
            county = f"{city}第{k + 1}县"
            out.append((f"{county}人民政府", "government", "county", ci))
            ki = len(out) - 1
            out.append((f"{county}人民政府办公室", "government_office", "county", ki))
            out.extend((f"{county}{dept}", "department", "county", ki) for dept in _DEPTS)
            out.extend((f"{county}{town}人民政府", "township", "township", ki) for town in _TOWNS)
    return out[:2000]


def _agencies() -> list[Any]:
    from gongkai_web.orgs.models import Agency

    spec = _tree()
    nodes: list[Agency] = []
    children: dict[int, int] = {}
    for name, kind, level, parent in spec:
        if parent is None:
            path, depth = Agency._get_path(None, 1, 1), 1
        else:
            children[parent] = children.get(parent, 0) + 1
            p = nodes[parent]
            path, depth = Agency._get_path(p.path, p.depth + 1, children[parent]), p.depth + 1
        nodes.append(Agency(name=name, kind=kind, level=level, path=path, depth=depth, numchild=0))
    for i, n in children.items():
        nodes[i].numchild = n
    Agency.objects.bulk_create(nodes, batch_size=1000)
    return list(Agency.objects.order_by("path"))


def _templates(year: int, kind: str, rng: random.Random) -> list[tuple[dict[str, Any], Any, list[Any]]]:
    """(document, check outcome, cells) of a few reports of ``year`` for agencies of ``kind``;
    about one in four with a defect a person makes (a total not added up, a carried figure wrong)."""
    from gongkai.testing import random_report
    from gongkai_web.reports import library

    fmt = library.format_for(year)
    out = []
    for i in range(TEMPLATES_PER_YEAR):
        lib = random_report(rng, fmt.id, year=year, kind=_GENERATOR_KIND[kind])
        lib.agency_kind = kind
        if i % 4 == 1:
            t = lib.table("requests")
            v = t.value("new", "total")
            t.set("new", "total", (v if isinstance(v, int) else 0) + rng.randint(1, 9))
        elif i % 4 == 2:
            t = lib.table("appeals")
            v = t.value("review", "total")
            t.set("review", "total", (v if isinstance(v, int) else 0) + 1)
        outcome = library.check(lib)
        out.append((library.dump(lib), outcome, list(library.cells(lib))))
    return out


def _status(year: int, rng: random.Random) -> str | None:
    """A report's stage: the older years nearly all published; 2023 in every stage."""
    x = rng.random()
    if year < 2023:
        return None if x < 0.02 else "draft" if x < 0.04 else "published"
    return (None if x < 0.10 else "draft" if x < 0.22 else "returned" if x < 0.25 else "submitted" if x < 0.35
            else "approved" if x < 0.40 else "published")


def build(seed: int = 7) -> Built:
    """Make the whole fixture in the (empty) configured database."""
    from django.db import connection, transaction

    from gongkai_web.orgs import actions as org_actions
    from gongkai_web.orgs.models import Role
    from gongkai_web.reports.models import Report

    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        agencies = _agencies()
        templates = {(y, k): _templates(y, k, rng) for y in YEARS for k in _GENERATOR_KIND}
        reports: list[Report] = []
        cells_of: list[list[Any]] = []
        outcomes: list[Any] = []
        for a in agencies:
            for y in YEARS:
                status = _status(y, rng)
                if status is None:
                    continue
                doc, outcome, cells = rng.choice(templates[(y, a.kind)])
                doc = {**doc, "agency": a.name, "title": f"{a.name}{y}年政府信息公开工作年度报告"}
                reports.append(Report(agency=a, year=y, format_id=doc["format"], status=status, document=doc,
                                      errors=outcome.errors, warnings=outcome.warnings))
                cells_of.append(cells)
                outcomes.append(outcome)
        Report.objects.bulk_create(reports, batch_size=500)
        _store_checks(reports, outcomes)
        n = 0
        with connection.cursor() as cur, cur.cursor.copy(
                'COPY reports_reportcell (report_id, "table", "row", col, value, na) FROM STDIN') as copy:
            for report, cells in zip(reports, cells_of, strict=True):
                for t, r, c, v, na in cells:
                    copy.write_row((report.pk, t, r, c, v, na))
                    n += 1
        made = {(r.agency_id, r.year) for r in reports}
        town = next(a for a in agencies if a.kind == "township" and (a.pk, 2023) in made)
        org_actions.create_user(None, username=SUPERVISOR, password="bench-password-123", agency=agencies[0],
                                role=Role.SUPERVISOR, full_name="省主管")
        org_actions.create_user(None, username=DRAFTER, password="bench-password-123", agency=town,
                                role=Role.DRAFTER, full_name="镇填报人")
        Report.objects.filter(agency=town, year=2023).update(status="draft")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return Built(len(agencies), len(reports), n, time.perf_counter() - started)


def _store_checks(reports: list[Any], outcomes: list[Any]) -> None:
    """Each report's stored check outcome, as saving it through the actions would leave it: its
    template's outcome (checked without last year's report, like the counts) under the key the
    report page computes (``reports.checks.key``), so the page reads it instead of checking."""
    from gongkai_web.reports import checks
    from gongkai_web.reports.models import ReportCheck

    by_year = {(r.agency_id, r.year): r for r in reports}
    rows = []
    for r, outcome in zip(reports, outcomes, strict=True):
        prev = by_year.get((r.agency_id, r.year - 1))
        ref = None if prev is None else checks.PreviousRef(prev.pk, prev.revision, prev.updated_at, prev.agency.kind)
        rows.append(ReportCheck(report_id=r.pk, key=checks.key(r, ref), outcome=checks.dumps(outcome)))
    ReportCheck.objects.bulk_create(rows, batch_size=500)


def present() -> bool:
    from gongkai_web.orgs.models import User
    from gongkai_web.reports.models import Report

    return User.objects.filter(username=SUPERVISOR).exists() and Report.objects.count() > 9000


def fill_checks() -> int:
    """Check and store the outcome of every report whose stored one is missing or out of date
    (a fixture built before the outcome was stored, or by another version of the checker): the
    real checker with last year's report, through ``actions.checked`` — what the report page
    would do on its first view."""
    from gongkai_web.reports import actions, checks
    from gongkai_web.reports.models import Report, ReportCheck

    rows = list(Report.objects.select_related("agency").defer("document").order_by("year"))
    by_year = {(r.agency_id, r.year): r for r in rows}
    stored = dict(ReportCheck.objects.values_list("report_id", "key"))
    n = 0
    for r in rows:
        prev = by_year.get((r.agency_id, r.year - 1))
        ref = None if prev is None else checks.PreviousRef(prev.pk, prev.revision, prev.updated_at, prev.agency.kind)
        if stored.get(r.pk) != checks.key(r, ref):
            actions.checked(Report.objects.select_related("agency").get(pk=r.pk))
            n += 1
    return n
