"""Demo data of the registers: 会发镇's 规范性文件 (some repealed) and, for last year and this year up
to last month, its monthly licensing, punishment and coercion decisions and 行政事业性收费.  Entered
through ``actions`` as 张填报 before any report exists (so no published year is reopened)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from gongkai_web.orgs.models import Agency, User

from . import actions
from .actions import MonthValues

AGENCY = "方正县会发镇人民政府"
#: (文号, 名称, 印发, 废止)
DOCUMENTS = (
    ("会政规〔2019〕2号", "会发镇村级财务管理办法", dt.date(2019, 4, 12), dt.date(2023, 6, 30)),
    ("会政规〔2021〕1号", "会发镇农村人居环境整治长效管理办法", dt.date(2021, 3, 8), None),
    ("会政规〔2022〕1号", "会发镇秸秆禁烧和综合利用工作实施办法", dt.date(2022, 9, 20), None),
    ("会政规〔2023〕1号", "会发镇村级财务和资产管理办法", dt.date(2023, 6, 30), None),
    ("会政规〔2024〕1号", "会发镇农村集体经济组织收益分配管理办法", dt.date(2024, 5, 16), None),
)


def build(stdout: object | None = None) -> int:
    """Returns the number of entries made (0 when 会发镇 or 张填报 is missing)."""
    agency = Agency.objects.filter(name=AGENCY).first()
    user = User.objects.filter(username="tianbao").first()
    if agency is None or user is None:
        return 0
    today = timezone.localdate()
    n = 0
    for number, title, issued, repealed in DOCUMENTS:
        if issued <= today and not agency.documents.filter(number=number).exists():
            actions.add_document(user, agency, kind="normative_documents", title=title, number=number,
                                 issued=issued, repealed=repealed if repealed and repealed <= today else None)
            n += 1
    rng = random.Random("demo:registers")
    for year in (today.year - 1, today.year):
        months = {}
        for month in range(1, 13):
            if (year, month) >= (today.year, today.month):
                break
            months[month] = MonthValues(licensing=rng.randint(3, 25), punishment=rng.randint(0, 6),
                                        coercion=rng.choice((0, 0, 0, 1)),
                                        fee=Decimal(rng.randint(0, 4000)) / Decimal(100))
        n += len(actions.save_months(user, agency, year, months))
    return n
