"""Demo data of the case ledger: a few dozen requests for 会发镇 this year — handled, waiting on
补正 or a consultation, due soon, one late — with applicants' contacts, an appeal, and the statuses
computed for today.  Histories from the engine's generator (each one a clerk could have recorded)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from gongkai.ledger.generate import random_requests
from gongkai_web.orgs.models import Agency

from . import actions

AGENCY = "方正县会发镇人民政府"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "桂兰")
SUBJECTS = (
    "会发镇{y}年农村道路硬化工程的招标文件和中标结果",
    "本人所在村{y}年土地征收补偿安置方案",
    "会发镇{y}年度财政预算和“三公”经费",
    "本村{y}年低保对象名单及评定依据",
    "会发镇{y}年秸秆禁烧工作方案",
    "某村集体土地承包合同及备案材料",
    "会发镇{y}年农田水利设施建设项目的验收材料",
    "本人房屋所在地块的规划许可信息",
)


def build(stdout: object | None = None, n: int = 36) -> int:
    """The requests of 会发镇 for this year up to today (demo mode; called from core.demo)."""
    agency = Agency.objects.filter(name=AGENCY).first()
    if agency is None:
        return 0
    today = timezone.localdate()
    rng = random.Random("demo:cases")
    first = dt.date(today.year, 1, 1)
    libs = random_requests(rng, n, first=first, last=today - dt.timedelta(days=1), today=today,
                           prefix=f"{today.year}-", applicants=24)
    names = {f"申请人{i:04d}": rng.choice(SURNAMES) + rng.choice(GIVEN) for i in range(24)}
    contacts: dict[str, dict[str, str]] = {}
    for lib in libs:
        name = names.get(lib.applicant or "", "王伟")
        kind_org = lib.applicant_kind != "natural_person"
        lib.applicant = f"哈尔滨某{rng.choice('农业科技建设商贸')}有限公司" if kind_org else name
        lib.subject = rng.choice(SUBJECTS).format(y=today.year - rng.randint(0, 2))
        contacts[lib.id] = {
            "id_type": "credit_code" if kind_org else "resident_id",
            "id_number": (f"91230124MA{rng.randint(10**7, 10**8 - 1)}" if kind_org else
                          f"230124{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                          f"{rng.randint(1000, 9999)}"),
            "phone": f"13{rng.randint(100000000, 999999999)}",
            "address": f"黑龙江省哈尔滨市方正县会发镇{rng.choice(('永发', '会发', '东升', '立新'))}村",
        }
    rows = actions.store_history(None, agency, libs, note="演示数据", imported=False, today=today,
                                 contacts=contacts)
    closed = [r for r in rows.values() if r.closed_on is not None and r.outcome in ("partial", "denied.third_party",
                                                                                     "unavailable.not_held")]
    if closed:
        r = closed[0]
        assert r.closed_on is not None
        filed = min(r.closed_on + dt.timedelta(days=20), today)
        actions.add_appeal(None, agency, number=f"方政复〔{filed.year}〕{rng.randint(3, 30)}号", kind="review",
                           filed=filed, requests=[r], today=today)
    return len(rows)
