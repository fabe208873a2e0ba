"""The demo data: 方正县 with its offices, departments and townships; 会发镇's 2021 report imported
from the seed; several years of generated reports with realistic defects for the others; one demo
user per role (names and passwords in the README).  Demo mode only."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gongkai.testing import random_report
from gongkai_web.orgs import actions as org_actions
from gongkai_web.orgs.models import Agency, Level, Role, User
from gongkai_web.reports import actions, library
from gongkai_web.reports.forms import working_year
from gongkai_web.reports.models import Report

#: the password of every demo account (listed in the README; refused outside demo mode)
DEMO_PASSWORD = "gongkai-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    agency: str | None


DEMO_USERS = (
    DemoUser("tianbao", "张填报", Role.DRAFTER, "方正县会发镇人民政府"),
    DemoUser("shenhe", "李审核", Role.APPROVER, "方正县会发镇人民政府"),
    DemoUser("caizheng", "王财政", Role.DRAFTER, "方正县财政局"),
    DemoUser("zhuguan", "赵主管", Role.SUPERVISOR, "方正县人民政府"),
    DemoUser("admin", "系统管理员", Role.ADMIN, None),
)

#: (name, kind, level, parent name)
TREE = (
    ("哈尔滨市人民政府", "government", Level.CITY, None),
    ("方正县人民政府", "government", Level.COUNTY, "哈尔滨市人民政府"),
    ("方正县人民政府办公室", "government_office", Level.COUNTY, "方正县人民政府"),
    ("方正县财政局", "department", Level.COUNTY, "方正县人民政府"),
    ("方正县教育局", "department", Level.COUNTY, "方正县人民政府"),
    ("方正县自然资源局", "department", Level.COUNTY, "方正县人民政府"),
    ("方正县卫生健康局", "department", Level.COUNTY, "方正县人民政府"),
    ("方正县市场监督管理局", "department", Level.COUNTY, "方正县人民政府"),
    ("方正经济开发区管理委员会", "dispatched", Level.COUNTY, "方正县人民政府"),
    ("方正县方正镇人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县会发镇人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县大罗密镇人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县得莫利镇人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县天门乡人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县宝兴乡人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县伊汉通乡人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
    ("方正县松南乡人民政府", "township", Level.TOWNSHIP, "方正县人民政府"),
)

_GENERATOR_KIND = {"government": "county", "government_office": "department", "department": "department",
                   "dispatched": "department", "township": "township"}


def seed_path() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("找不到会发镇2021年度报告样本 tests/corpus/seed-2021-huifa/source.txt")


def build_tree() -> dict[str, Agency]:
    made: dict[str, Agency] = {}
    for name, kind, level, parent in TREE:
        p = Agency.objects.get(pk=made[parent].pk) if parent else None  # fresh: treebeard counts children
        made[name] = org_actions.create_agency(None, name=name, kind=kind, level=level, parent=p)
    return made


def build_users(agencies: dict[str, Agency]) -> dict[str, User]:
    return {u.username: org_actions.create_user(None, username=u.username, password=DEMO_PASSWORD,
                                                agency=agencies[u.agency] if u.agency else None, role=u.role,
                                                full_name=u.full_name, is_demo=True)
            for u in DEMO_USERS}


def staff(agency: Agency, users: dict[str, User]) -> tuple[User, User]:
    """(drafter, approver) for an agency: the demo users, or quiet accounts made for the demo."""
    drafter = next((u for u in users.values() if u.agency_id == agency.pk and u.role == Role.DRAFTER), None)
    approver = next((u for u in users.values() if u.agency_id == agency.pk and u.role == Role.APPROVER), None)
    if drafter is None:
        drafter = org_actions.create_user(None, username=f"d{agency.pk}", password=DEMO_PASSWORD, agency=agency,
                                          role=Role.DRAFTER, full_name=f"{agency.name}填报人", is_demo=True)
    if approver is None:
        approver = org_actions.create_user(None, username=f"a{agency.pk}", password=DEMO_PASSWORD, agency=agency,
                                           role=Role.APPROVER, full_name=f"{agency.name}审核人", is_demo=True)
    return drafter, approver


def generated(agency: Agency, year: int, previous: library.LibReport | None, rng: random.Random,
              defect: str | None) -> library.LibReport:
    fmt = library.format_for(year)
    lib = random_report(rng, fmt.id, year=year, kind=_GENERATOR_KIND[agency.kind])
    old_name = lib.agency or ""
    lib.agency, lib.agency_kind = agency.name, agency.kind
    lib.title = f"{agency.name}{year}年政府信息公开工作年度报告"
    lib.preamble = (lib.preamble or "").replace(old_name, agency.name)
    lib.sections = {k: v.replace(old_name, agency.name) for k, v in lib.sections.items()}
    requests = lib.table("requests")
    cols = [c.key for c in requests.spec.columns if c.key != "total"]
    if previous is not None and previous.format.id == fmt.id:
        # the carry-over holds, as it does in a careful agency's reports
        for col in cols:
            co = previous.table("requests").value("carried_forward", col)
            co = co if isinstance(co, int) else 0
            done = requests.value("results_total", col)
            cf = requests.value("carried_forward", col)
            assert isinstance(done, int) and isinstance(cf, int)
            new = done + cf - co
            if new < 0:
                cf, new = cf - new, 0
            requests.set("carried_over", col, co)
            requests.set("new", col, new)
            requests.set("carried_forward", col, cf)
        for row in ("new", "carried_over", "carried_forward"):
            requests.set(row, "total", sum(_int(requests.value(row, c)) for c in cols))
    proactive = lib.table("proactive")
    if previous is not None and previous.format.id == fmt.id == "2021":
        # the stock of documents carries over (现行有效 = 上年现行有效 + 本年制发 − 本年废止)
        for row in ("rules", "normative_documents"):
            before = _int(previous.table("proactive").value(row, "in_force"))
            issued, repealed = _int(proactive.value(row, "issued")), _int(proactive.value(row, "repealed"))
            repealed = min(repealed, before)
            proactive.set(row, "repealed", repealed)
            proactive.set(row, "in_force", before + issued - repealed)
    # the county's own portal and address, not the generator's
    portal = "https://www.hrbfz.gov.cn/"
    if lib.portal:
        lib.preamble = (lib.preamble or "").replace(lib.portal, portal)
        lib.portal = portal
    if lib.contact:
        address = f"方正县方正镇{['中山', '人民', '解放', '建设'][rng.randrange(4)]}路{rng.randint(1, 200)}号"
        for key, value in (("address", address), ("postcode", "150800")):
            lib.preamble = (lib.preamble or "").replace(lib.contact[key], value)
            lib.contact[key] = value
    if defect == "arithmetic":
        granted = requests.value("granted", "natural_person")
        requests.set("granted", "natural_person", (granted if isinstance(granted, int) else 0) + 2)
    elif defect == "blank":
        for row in ("granted", "partial"):
            requests.set(row, "commercial", None)
    elif defect == "fees" and fmt.id == "2021":
        lib.table("proactive").set("fees", "amount", 12000)
    return lib


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def published_at(lib: library.LibReport) -> datetime:
    day = lib.published or timezone.localdate()
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def build_demo(stdout: object | None = None) -> dict[str, int]:
    """Past years published (one agency never finished last year's: overdue), the year in
    progress at every stage of the work."""
    agencies = build_tree()
    users = build_users(agencies)
    from gongkai_web.registers import demo as registers_demo  # 会发镇's registers, before any report

    registers_entries = registers_demo.build(stdout)
    current = working_year()
    counts = {"agencies": len(agencies), "users": 0, "reports": 0}
    # 会发镇: the real 2021 report, imported from the seed and published; later years generated from it
    huifa = agencies["方正县会发镇人民政府"]
    seed = actions.import_report(users["tianbao"], huifa, 2021, seed_path().read_bytes(), "方正县会发镇2021年度报告.txt")
    _publish(seed, users["tianbao"], users["shenhe"])
    counts["reports"] += 1
    for i, (name, agency) in enumerate(agencies.items()):
        drafter, approver = staff(agency, users)
        rng = random.Random(f"demo:{name}")
        previous = actions.lib_report(seed) if agency.pk == huifa.pk else None
        for year in range(2022 if agency.pk == huifa.pk else 2021, current + 1):
            if year == current:
                stage = i % 4  # 0 not started, 1 draft, 2 submitted, 3 approved (published after 31 December)
            elif year == current - 1 and i % 6 == 5:
                stage = 2  # never published: overdue
            elif year == current - 1 and i % 9 == 4:
                break  # not even started: overdue
            else:
                stage = 4
            if stage == 0:
                break
            defect = {1: "arithmetic", 2: "blank", 3: "fees"}.get((i + year) % 7) if year > 2021 else None
            lib = generated(agency, year, previous, rng, defect)
            if year == current:
                lib.published = None
            previous = lib
            report = actions.create_from(drafter, agency, year, lib, "演示数据：生成的报告")
            counts["reports"] += 1
            if stage >= 2:
                actions.submit_report(drafter, report)
            if stage >= 3:
                actions.approve_report(approver, report)
            if stage >= 4:
                _publish(report, drafter, approver)
    # 赵主管's batch check of a neighbouring county's reports (queued for the worker)
    from gongkai_web.audits.demo import build_audits

    counts["audits"] = build_audits(users)
    # 会发镇's case ledger this year
    from gongkai_web.cases import demo as cases_demo

    counts["requests"] = cases_demo.build(stdout)
    counts["registers"] = registers_entries
    counts["users"] = User.objects.count()
    return counts


def _publish(report: Report, drafter: User, approver: User) -> None:
    report.refresh_from_db()
    if report.status in ("draft", "returned"):
        actions.submit_report(drafter, report)
        actions.approve_report(approver, report)
    lib = actions.lib_report(report)
    actions.publish_report(approver, report, override_reason="演示数据：原报告如此发布",
                           published_at=published_at(lib))
