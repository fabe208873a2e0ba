"""Demo data for batch checks: 赵主管 (方正县's supervisor) has uploaded a ZIP of a neighbouring
county's published reports (agencies not in the app): Word and web-page reports written by the
library's writers from generated reports, one with a sum that does not add up, one a year late
in the old format's year, and files that are not reports (an old .doc, a scanned image).  The
worker started by ``./dev run`` checks it on start."""

from __future__ import annotations

import io
import random
import zipfile

import gongkai
from gongkai.testing import random_report
from gongkai_web.orgs.models import User

from . import actions
from .models import Audit

TITLE = "依兰县各部门2024年度年报（演示）"

#: (agency, kind, generator kind, year, file name, writer, defect)
REPORTS = (
    ("依兰县人民政府办公室", "government_office", "department", 2024, "县政府办公室2024年报.docx", "docx", None),
    ("依兰县财政局", "department", "department", 2024, "财政局2024年报.html", "html", "arithmetic"),
    ("依兰县依兰镇人民政府", "township", "township", 2024, "乡镇/依兰镇2024年报.docx", "docx", None),
    ("依兰县达连河镇人民政府", "township", "township", 2024, "乡镇/达连河镇2024年报.html", "html", "blank"),
)


def _document(agency: str, kind: str, generator_kind: str, year: int, target: str, defect: str | None,
              rng: random.Random) -> bytes:
    lib = random_report(rng, gongkai.get_format("2021").id, year=year, kind=generator_kind)
    old = lib.agency or ""
    lib.agency, lib.agency_kind = agency, kind
    lib.title = f"{agency}{year}年政府信息公开工作年度报告"
    lib.preamble = (lib.preamble or "").replace(old, agency)
    lib.sections = {k: v.replace(old, agency) for k, v in lib.sections.items()}
    requests = lib.table("requests")
    if defect == "arithmetic":
        granted = requests.value("granted", "natural_person")
        requests.set("granted", "natural_person", (granted if isinstance(granted, int) else 0) + 3)
    elif defect == "blank":
        for row in ("granted", "partial"):
            requests.set(row, "commercial", None)
    return gongkai.render(lib, target)


def demo_zip() -> bytes:
    rng = random.Random("demo:audits")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for agency, kind, generator_kind, year, name, target, defect in REPORTS:
            z.writestr(f"依兰县2024年度年报/{name}",
                       _document(agency, kind, generator_kind, year, target, defect, rng))
        z.writestr("依兰县2024年度年报/教育局2024年报.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        z.writestr("依兰县2024年度年报/卫健局年报扫描件.jpg", b"\xff\xd8\xff\xe0" + bytes(64))
    return out.getvalue()


def build_audits(users: dict[str, User]) -> int:
    """The demo batch, queued for the worker (once: a second run adds nothing)."""
    supervisor = users.get("zhuguan")
    if supervisor is None or Audit.objects.filter(title=TITLE).exists():
        return 0
    data = demo_zip()
    actions.create_audit(supervisor, TITLE, [actions.Upload("依兰县2024年度年报.zip", len(data), io.BytesIO(data))])
    return 1
