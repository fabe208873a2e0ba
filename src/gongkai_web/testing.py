"""Factories for tests (this app's and the other apps'): a small agency tree, people in every
role, reports at every stage of the workflow.  Everything goes through the actions modules, so a
test's data is made the way people make it.

    tree = make_tree()                       # Tree(city, county, office, dept, town_a, town_b)
    people = make_people(tree)               # People(drafter_a, approver_a, drafter_b, …)
    report = make_report(people.drafter_a, tree.town_a, 2023, stage="published", approver=people.approver_a)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gongkai.testing import random_report
from gongkai_web.orgs import actions as org_actions
from gongkai_web.orgs.models import Agency, Level, Role, User
from gongkai_web.reports import actions, library
from gongkai_web.reports.models import Report

PASSWORD = "test-password-123"

STAGES = ("draft", "submitted", "approved", "published")


@dataclass
class Tree:
    city: Agency
    county: Agency
    office: Agency
    dept: Agency
    town_a: Agency
    town_b: Agency

    def all(self) -> list[Agency]:
        return [self.city, self.county, self.office, self.dept, self.town_a, self.town_b]


@dataclass
class People:
    drafter_a: User
    approver_a: User
    drafter_b: User
    approver_b: User
    dept_drafter: User
    supervisor: User
    city_supervisor: User
    admin: User

    def all(self) -> list[User]:
        return [self.drafter_a, self.approver_a, self.drafter_b, self.approver_b, self.dept_drafter,
                self.supervisor, self.city_supervisor, self.admin]


def make_agency(name: str, kind: str, level: str, parent: Agency | None = None) -> Agency:
    if parent is not None:
        parent = Agency.objects.get(pk=parent.pk)  # fresh: treebeard counts the children
    return org_actions.create_agency(None, name=name, kind=kind, level=level, parent=parent)


def make_tree(prefix: str = "") -> Tree:
    city = make_agency(f"{prefix}某市人民政府", "government", Level.CITY)
    county = make_agency(f"{prefix}某县人民政府", "government", Level.COUNTY, city)
    office = make_agency(f"{prefix}某县人民政府办公室", "government_office", Level.COUNTY, county)
    dept = make_agency(f"{prefix}某县财政局", "department", Level.COUNTY, county)
    town_a = make_agency(f"{prefix}某县甲镇人民政府", "township", Level.TOWNSHIP, county)
    town_b = make_agency(f"{prefix}某县乙乡人民政府", "township", Level.TOWNSHIP, county)
    return Tree(city, county, office, dept, town_a, town_b)


def make_user(username: str, role: str, agency: Agency | None, *, password: str = PASSWORD) -> User:
    return org_actions.create_user(None, username=username, password=password, agency=agency, role=role,
                                   full_name=username)


def make_people(tree: Tree) -> People:
    return People(
        drafter_a=make_user("drafter_a", Role.DRAFTER, tree.town_a),
        approver_a=make_user("approver_a", Role.APPROVER, tree.town_a),
        drafter_b=make_user("drafter_b", Role.DRAFTER, tree.town_b),
        approver_b=make_user("approver_b", Role.APPROVER, tree.town_b),
        dept_drafter=make_user("dept_drafter", Role.DRAFTER, tree.dept),
        supervisor=make_user("supervisor", Role.SUPERVISOR, tree.county),
        city_supervisor=make_user("city_supervisor", Role.SUPERVISOR, tree.city),
        admin=make_user("admin", Role.ADMIN, None),
    )


def valid_report(agency: Agency, year: int, seed: int = 0) -> library.LibReport:
    """A generated report of the year's format whose tables satisfy every identity."""
    fmt = library.format_for(year)
    lib = random_report(random.Random(f"{agency.name}:{year}:{seed}"), fmt.id, year=year)
    lib.agency, lib.agency_kind = agency.name, agency.kind
    return lib


def form_data(report: Report) -> dict[str, str]:
    """What the workspace form posts for the stored report, unchanged (change entries, then post)."""
    lib = library.load(report.document)
    data: dict[str, str] = {"revision": str(report.revision), "preamble": lib.preamble or ""}
    for tkey, table in lib.tables.items():
        for row, col, cell in table.items():
            data[f"c:{tkey}:{row}:{col}"] = library.cell_text(cell)
    for key, text in lib.sections.items():
        data[f"s:{key}"] = text
    return data


def make_report(drafter: User, agency: Agency, year: int, *, stage: str = "draft", approver: User | None = None,
                lib: library.LibReport | None = None) -> Report:
    """A report created by ``drafter`` (blank, or ``lib``) and taken to ``stage``."""
    if lib is None:
        report = actions.create_report(drafter, agency, year)
    else:
        report = actions.create_from(drafter, agency, year, lib, "测试数据")
    n = STAGES.index(stage)
    if n >= 1:
        report = actions.submit_report(drafter, report)
    if n >= 2:
        assert approver is not None, "approving needs an approver"
        report = actions.approve_report(approver, report)
    if n >= 3:
        assert approver is not None
        actions.publish_report(approver, report, override_reason="测试：带错误发布")
        report.refresh_from_db()
    return report
