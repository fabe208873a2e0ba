"""Random but valid annual reports, for property tests, benchmarks and demos.

``random_report(rng)`` builds a ``Report`` whose tables satisfy every identity the format
declares (table 三 balance / results / row totals, table 四 totals), with realistic magnitudes
(mostly zeros and small numbers, now and then hundreds), a plausible agency, dates, preamble
and narrative.  Everything is drawn from the ``random.Random`` passed in, so a seed reproduces
a report exactly.

Knobs (all optional):

``year``            report year (default: a year the format applies to)
``blank_rate``      probability that a cell is printed blank (value ``None``)
``na_rate``         probability that a zero cell is printed as "/" (value ``"NA"``)
``collapse_other``  2021 format: print （六）其他处理 as one row (``other``), ``other.*`` absent
``table_narrative`` probability that sections 二/三/四 carry narrative before their table
``portal``/``contact`` probability that the preamble states a portal URL / contact details
``busy``            probability that the agency is a busy one (hundreds of requests/decisions)
``kind``            agency kind: ``township``, ``county``, ``department`` (default random)
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from ..formats import get_format, identities
from ..model import NA, Report, Table

__all__ = ["random_agency", "random_corpus", "random_report"]

_PROVINCES = ("黑龙江省", "福建省", "江苏省", "浙江省", "四川省", "河南省", "湖南省", "广东省", "山东省", "云南省")
_CITIES = ("哈尔滨市", "淮安市", "福州市", "南平市", "泉州市", "绵阳市", "洛阳市", "衡阳市", "韶关市", "临沂市",
           "曲靖市", "宜宾市", "湖州市", "盐城市", "某市")
_COUNTIES = ("方正县", "洪泽区", "涟水县", "闽侯县", "建瓯市", "安溪县", "三台县", "汝阳县", "祁东县", "乐昌市",
             "沂水县", "陆良县", "长兴县", "射阳县", "某县", "宾县", "通河县")
_TOWNS = ("会发镇", "高楼镇", "宝兴镇", "岔林河镇", "伊汉通乡", "黄河镇", "城关镇", "东风街道", "新民乡",
          "石桥镇", "大坪乡", "西湖街道", "龙泉镇", "青山乡")
_DEPTS = ("经济发展局", "交通运输局", "财政局", "教育局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
          "农业农村局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局", "司法局", "水利局",
          "行政审批局", "国有资产管理局", "投资促进局", "交通与建设局", "应急管理局", "统计局")
_SPECIAL = ("平潭综合实验区", "哈尔滨新区", "苏州工业园区", "两江新区")
_ROADS = ("中山", "人民", "解放", "建设", "和平", "新华", "胜利", "文化", "长江", "黄河", "金井湾")
_PORTAL_HOSTS = ("www.{p}.gov.cn", "xxgk.{p}.gov.cn", "zwgk.{p}.gov.cn")
_PINYIN = ("harbin", "huaian", "fuzhou", "nanping", "pingtan", "fangzheng", "hongze", "mianyang", "luoyang",
           "hengyang", "linyi", "qujing")

_OVERVIEW_TOPICS = (
    ("主动公开", "围绕社会公众关心的重点、热点问题，加大对政务处理、优化营商环境、乡村产业发展等重点领域信息公开，"
              "通过门户网站、政务新媒体发布信息{n}条"),
    ("依申请公开", "严格按照《条例》规定的程序和时限办理政府信息公开申请，做到依法依规、答复规范"),
    ("政府信息管理", "建立健全信息发布审查机制，落实“三审三校”制度，对已公开信息进行动态更新"),
    ("政府信息公开平台建设", "持续加强门户网站信息公开专栏建设，规范栏目设置，提升信息发布的数量和质量"),
    ("监督保障", "将政务公开工作纳入绩效考核，组织业务培训{m}次，加强对政务公开工作的监督"),
)
_PROBLEMS = (
    "存在问题：一是主动公开的意识还不强，公开的政务信息数量较少。二是宣传有待加强，群众对公开信息的知晓率不高。",
    "改进措施：一是加强工作人员培训力度，熟悉政务公开各项规章制度和工作流程。二是广泛宣传普及，提高群众知晓率。",
    "政府信息公开工作与公众的期待相比仍有差距，信息公开的及时性、规范性有待提高，政策解读形式较为单一。",
    "下一步，将进一步规范政府信息公开工作流程，丰富政策解读形式，确保公开工作任务明确、内容规范、发布及时。",
)
_FEE_SENTENCES = (
    "本年度未收取信息处理费。",
    "无收取信息处理费情况。",
    "{year}年度本机关未发出收费通知，未收取信息处理费。",
    "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fee}元。",
)
_OTHER_EXTRA = (
    "本机关无其他需要报告的事项。",
    "本年度政务公开工作要点各项任务均已落实。",
    "人大代表建议和政协提案办理结果均已按要求公开。",
)


def random_agency(rng: random.Random, kind: str | None = None) -> tuple[str, str]:
    """(agency name, kind) with kind one of ``township``, ``county``, ``department``."""
    kind = kind or rng.choice(("township", "township", "county", "department", "department"))
    if kind == "township":
        town = rng.choice(_TOWNS)
        suffix = "办事处" if town.endswith("街道") else "人民政府"
        return rng.choice(_COUNTIES) + town + suffix, kind
    if kind == "county":
        if rng.random() < 0.3:
            return rng.choice(_CITIES) + "人民政府", kind
        return rng.choice(_CITIES) + rng.choice(_COUNTIES) + "人民政府", kind
    place = rng.choice(_SPECIAL) if rng.random() < 0.35 else rng.choice(_CITIES + _COUNTIES)
    return place + rng.choice(_DEPTS), "department"


def _small(rng: random.Random, busy: bool, zero: float = 0.7) -> int:
    """A realistic count: mostly 0, then small, sometimes tens or hundreds."""
    if rng.random() < zero:
        return 0
    r = rng.random()
    if r < 0.7:
        return rng.randint(1, 9)
    if r < 0.93 or not busy:
        return rng.randint(10, 99)
    return rng.randint(100, 999)


def _fees(rng: random.Random) -> Decimal:
    if rng.random() < 0.75:
        return Decimal(0)
    places = rng.choice((0, 1, 2, 2, 3, 4))
    whole = rng.choice((0, 0, 0, 1, 2, 5, 12, 38, 106))
    frac = rng.randint(0, 10 ** places - 1) if places else 0
    d = Decimal(whole) + (Decimal(frac) / (Decimal(10) ** places) if places else 0)
    if d == 0:
        d = Decimal("0.35")
    return d.quantize(Decimal(1).scaleb(-places)) if places else d


def _fill_proactive(rng: random.Random, t: Table, busy: bool) -> None:
    fid = "2019" if "made" in {c.key for c in t.spec.columns} else "2021"
    if fid == "2021":
        for row in ("rules", "normative_documents"):
            issued = _small(rng, False, 0.6 if row == "normative_documents" else 0.85)
            repealed = _small(rng, False, 0.8) if rng.random() < 0.5 else 0
            in_force = issued + _small(rng, busy, 0.4)
            t.set(row, "issued", issued)
            t.set(row, "repealed", repealed)
            t.set(row, "in_force", in_force)
        for row in ("licensing", "punishment", "coercion"):
            t.set(row, "decisions", _small(rng, busy, 0.5) * (rng.choice((1, 1, 10)) if busy else 1))
        t.set("fees", "amount", _fees(rng))
        return
    for row in ("rules", "normative_documents"):
        made = _small(rng, False, 0.6)
        published = made if rng.random() < 0.8 else rng.randint(0, made)
        t.set(row, "made", made)
        t.set(row, "published", published)
        t.set(row, "total_public", published + _small(rng, busy, 0.4))
    for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
        prev = _small(rng, busy, 0.5)
        change = rng.randint(-prev, 9) if rng.random() < 0.4 else 0
        t.set(row, "prev_items", prev)
        t.set(row, "change", change)
        if row != "fees":
            t.set(row, "decisions", _small(rng, busy, 0.5))
    projects = _small(rng, False, 0.6)
    t.set("procurement", "projects", projects)
    if projects == 0:
        t.set("procurement", "amount", 0)
    elif rng.random() < 0.5:
        t.set("procurement", "amount", rng.randint(1000, 999999), unit="元")
    else:
        amt = Decimal(rng.randint(1, 99999)) / 100
        t.set("procurement", "amount", amt, unit="万元")


def _fill_requests(rng: random.Random, t: Table, busy: bool, collapse: bool) -> None:
    spec = t.spec
    results = [r for r in spec.result_rows]
    if collapse:
        other_keys = {k for c in spec.collapsed for k in c.replaces}
        results = [r for r in results if r not in other_keys] + [spec.collapsed[0].key]
    cols = [c.key for c in spec.columns if c.key != "total"]
    active = rng.random() < 0.5
    # popular outcomes get most of the requests
    weights = {r: 0.05 for r in results}
    for r, w in (("granted", 0.9), ("partial", 0.3), ("unavailable.not_held", 0.5), ("not_processed.petition", 0.2),
                 ("not_processed.duplicate", 0.2), ("other.other", 0.15), ("other", 0.2),
                 ("other.no_correction", 0.15), ("denied.process_info", 0.1), ("denied.third_party", 0.1)):
        if r in weights:
            weights[r] = w
    keys = list(weights)
    probs = [weights[k] for k in keys]
    for col in cols:
        col_active = active and (col == "natural_person" or rng.random() < 0.2)
        n = 0
        if col_active:
            n = rng.choice((1, 1, 2, 3, 4, 6, 9)) if rng.random() < 0.8 else _small(rng, busy, 0.0)
            if busy and rng.random() < 0.5:
                n = rng.randint(50, 900)
        vals = dict.fromkeys(results, 0)
        for k in rng.choices(keys, probs, k=n):
            vals[k] += 1
        done = sum(vals.values())
        carried_over = _small(rng, False, 0.8) if col_active else 0
        carried_forward = _small(rng, False, 0.8) if col_active else 0
        carried_over = min(carried_over, done + carried_forward)
        new = done + carried_forward - carried_over
        t.set("new", col, new)
        t.set("carried_over", col, carried_over)
        for r, v in vals.items():
            t.set(r, col, v)
        t.set("results_total", col, done)
        t.set("carried_forward", col, carried_forward)
    for row in t.row_keys():
        t.set(row, "total", sum(int(t.value(row, c) or 0) for c in cols))


def _fill_appeals(rng: random.Random, t: Table, busy: bool) -> None:
    active = rng.random() < 0.3
    for row in ("review", "suit_direct", "suit_after_review"):
        parts = [(_small(rng, busy, 0.6) if active else 0) for _ in range(4)]
        if active and busy and rng.random() < 0.2:
            parts[0] += rng.randint(10, 40)
        for key, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            t.set(row, key, v)
        t.set(row, "total", sum(parts))


def _holes(rng: random.Random, t: Table, blank_rate: float, na_rate: float) -> None:
    """Blank some cells and print some zeros as "/" (identities then cannot be checked there)."""
    if not blank_rate and not na_rate:
        return
    for cell in list(t.cells.values()):
        if blank_rate and rng.random() < blank_rate:
            cell.value = None
        elif na_rate and cell.value == 0 and rng.random() < na_rate:
            cell.value = NA


def _preamble(rng: random.Random, agency: str, year: int, fid: str, portal: str | None,
              contact: dict[str, str]) -> str:
    doc = "国办公开办函〔2021〕30号" if fid == "2021" else "国办公开办函〔2019〕60号"
    paras = [rng.choice((
        f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）及有关通知（{doc}）的规定，"
        f"在认真总结{year}年{agency}政府信息公开工作的基础上编制。",
        f"根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关通知（{doc}）要求，"
        f"现将{agency}{year}年度政府信息公开工作的有关情况向社会公众发布。",
    ))]
    period = rng.choice((
        f"本报告中所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。",
        f"报告中所列数据统计时限为{year}年1月1日至{year}年12月31日。",
    ))
    if zlib.crc32(f"{agency}{year}".encode()) % 10 == 0:  # the year not repeated (drawn apart from rng)
        period = f"本报告中所列数据的统计期限为{year}年1月1日至12月31日。"
    tail = period
    if portal:
        tail += f"本年度报告的电子版可以在门户网站查阅，网址为：{portal}。"
    if contact:
        tail += (f"如对本报告有疑问，请联系{agency}办公室（地址：{contact['address']}，"
                 f"邮编：{contact['postcode']}，电话：{contact['phone']}）。")
    if rng.random() < 0.5:
        paras[0] += tail
    else:
        paras.append(tail)
    return "\n".join(paras)


def _narrative(rng: random.Random, agency: str, year: int, kind: str, report: Report,
               table_narrative: float) -> dict[str, str]:
    nums = "一二三四五"
    overview = [f"{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》，"
                f"扎实推进政府信息公开工作。"]
    for i, (topic, text) in enumerate(_OVERVIEW_TOPICS):
        if rng.random() < 0.15 and i:
            continue
        body = text.format(n=rng.randint(5, 400), m=rng.randint(1, 6))
        overview.append(f"（{nums[i]}）{topic}方面。{body}。")
    problems = rng.sample(_PROBLEMS, rng.randint(1, 3))
    if kind != "department":
        problems.append("本年度将政务公开工作纳入绩效考核，未发生责任追究情况，社会评议总体良好。")
    fee = rng.choice(_FEE_SENTENCES).format(year=year, fee=rng.randint(10, 500))
    other = [fee] + ([rng.choice(_OTHER_EXTRA)] if rng.random() < 0.3 else [])
    sections = {"overview": "\n".join(overview), "proactive": "", "requests": "", "appeals": "",
                "problems": "\n".join(problems), "other": "\n".join(other)}

    def val(t: str, r: str, c: str) -> int | None:
        v = report.value(t, r, c)
        return v if isinstance(v, int) else None

    if rng.random() < table_narrative:
        n = val("proactive", "normative_documents", "issued") or val("proactive", "normative_documents", "made")
        if n is not None:
            sections["proactive"] = f"{year}年，本机关制发规范性文件{n}件。"
    if rng.random() < table_narrative:
        new = val("requests", "new", "total")
        if new is not None:
            sections["requests"] = (f"{year}年，共收到政府信息公开申请{new}件。" if new else "本年度无政府信息公开申请。")
    if rng.random() < table_narrative:
        rev = val("appeals", "review", "total")
        if rev is not None:
            sections["appeals"] = (f"本年度发生政府信息公开行政复议{rev}起。" if rev
                                   else "本年度未发生政府信息公开行政复议、行政诉讼。")
    return sections


def random_report(rng: random.Random, format_id: str = "2021", **knobs: Any) -> Report:
    """A random report of this format that satisfies every declared identity (before holes)."""
    fmt = get_format(format_id)
    year: int = knobs.get("year") or rng.randint(fmt.first_year, fmt.last_year or fmt.first_year + 4)
    if not fmt.applies_to(year):
        raise ValueError(f"{year}年度不适用{fmt.id}格式")
    agency, kind = random_agency(rng, knobs.get("kind"))
    busy = rng.random() < float(knobs.get("busy", 0.15 if kind != "township" else 0.02))
    collapse = bool(knobs.get("collapse_other", False)) and fmt.table("requests").collapsed != ()
    tables: dict[str, Table] = {}
    for spec in fmt.tables:
        tables[spec.key] = Table(spec)
    _fill_proactive(rng, tables["proactive"], busy)
    _fill_requests(rng, tables["requests"], busy, collapse)
    _fill_appeals(rng, tables["appeals"], busy)
    for t in tables.values():
        _holes(rng, t, float(knobs.get("blank_rate", 0.0)), float(knobs.get("na_rate", 0.0)))
    portal = None
    if rng.random() < float(knobs.get("portal", 0.5)):
        host = rng.choice(_PORTAL_HOSTS).format(p=rng.choice(_PINYIN))
        portal = f"https://{host}/" + rng.choice(("", "col/col{n}/index.html", "zwgk/zfxxgknb/", "xxgk/{n}/"))
        portal = portal.format(n=rng.randint(1000, 99999))
    contact: dict[str, str] = {}
    if rng.random() < float(knobs.get("contact", 0.5)):
        contact = {
            "address": f"{rng.choice(_CITIES)}{rng.choice(_ROADS)}路{rng.randint(1, 300)}号",
            "postcode": f"{rng.randint(10, 85)}{rng.randint(0, 9999):04d}",
            "phone": f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}",
        }
    published = date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    report = Report(
        format=fmt, agency=agency, year=year, published=published,
        period=(date(year, 1, 1), date(year, 12, 31)),
        title=f"{agency}{year}年政府信息公开工作年度报告",
        portal=portal, contact=contact, tables=tables,
    )
    report.preamble = _preamble(rng, agency, year, fmt.id, portal, contact)
    report.sections = _narrative(rng, agency, year, kind, report, float(knobs.get("table_narrative", 0.4)))
    return report


def random_corpus(n: int, seed: int = 0, **knobs: Any) -> Iterator[Report]:
    """``n`` reports, about one in five in the 2019 format; deterministic given ``seed``."""
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        fid = knobs.get("format_id") or ("2019" if rng.random() < 0.2 else "2021")
        k = {key: v for key, v in knobs.items() if key != "format_id"}
        yield random_report(rng, fid, **k)


def identity_failures(report: Report) -> list[str]:
    """Identities of the format that do not hold in ``report`` (cells blank or "NA" are skipped),
    as ``table.identity[line]``."""
    out: list[str] = []
    for t in report.tables.values():
        out.extend(f"{t.spec.key}.{e.identity.key}[{e.line}]" for e in identities.failures(t))
    return out
