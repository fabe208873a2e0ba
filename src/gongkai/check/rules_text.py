"""Text against tables (RULES.md 11) and required content (12)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..agency import AGENCY_KINDS
from ..formats import SECTION_KEYS
from ..model import Report
from .context import Context, narrative
from .engine import Draft, Location, rule
from .numerals import Claim, Target, claims
from .reading import is_unsure, text_blank


def _sum(report: Report, cells: tuple[tuple[str, str, str], ...]) -> int | Decimal | None:
    total: int | Decimal = 0
    for t, r, c in cells:
        table = report.tables.get(t)
        if table is None or not table.present:
            return None
        try:
            if c not in table.columns_of(r):
                return None
        except KeyError:
            return None
        v = table.value(r, c)
        if not isinstance(v, (int, Decimal)) or is_unsure(table.cell(r, c)):
            return None  # a blank, or a figure our reading is not sure of: nothing to compare
        total += v
    return total


def _heading(report: Report, key: str) -> str:
    try:
        return report.format.section(key).heading
    except KeyError:
        return key


def _readings(report: Report) -> Iterator[tuple[str, Claim, int | Decimal, int | Decimal | None]]:
    seen: set[tuple[str, int, str]] = set()
    for key, text in narrative(report):
        for cl in claims(text):
            k = (cl.target.key, cl.value, cl.sentence)
            if k in seen:
                continue
            seen.add(k)
            value = _sum(report, cl.target.cells)
            if value is None:
                continue
            alt = _sum(report, cl.target.alt) if cl.target.alt else None
            yield key, cl, value, alt


def _at(report: Report, key: str, cl: Claim) -> Location:
    return Location(section=key, label=_heading(report, key), sentence=cl.sentence,
                    table=cl.target.cells[0][0], row=cl.target.cells[0][1], column=cl.target.cells[0][2])


def _alt_differs(target: Target, value: int | Decimal, alt: int | Decimal | None) -> bool:
    return bool(target.alt) and alt is not None and alt != value


@rule("text.E001", title="正文数字与表格不符", tags={"text", "consistency"}, spec=(11,),
      hint="核对正文所写数字与表格，改正其中错误的一处",
      example="“共收到政府信息公开申请5件”与表三“一、本年新收政府信息公开申请数量”总计 3 不符")
def narrative_vs_tables(report: Report, ctx: Context) -> Iterator[Draft]:
    """正文写出的数字（阿拉伯数字或十二、两等中文数字）应与表格一致：收到申请件数对表三本年新收总计，
    予以公开件数对表三予以公开总计，行政复议、行政诉讼起数对表四，制发规章、规范性文件件数对表二。
    收到申请件数等于“本年新收 + 上年结转”的，不算错误（另见 text.I001）。只比较正文明确说的是这一数量的数字：
    “予以公开及部分公开42件”对两行之和；别的机关代为办理（区政府办代表区政府受理…）、更大范围（全区、各部门）、
    其中的一部分（其中网络申请5件）、同比增减、约数、“三个方面”之类都不比较；读取不确定的单元格也不比较。"""
    for key, cl, value, alt in _readings(report):
        if cl.value == value:
            continue
        if _alt_differs(cl.target, value, alt) and cl.value == alt:
            continue
        extra = ""
        if _alt_differs(cl.target, value, alt):
            extra = f"，也不等于{cl.target.alt_what} {alt}"
        yield Draft(f"“{cl.phrase}”与{cl.target.what} {value} 不符{extra}", at=_at(report, key, cl))


@rule("text.I001", title="正文申请数含上年结转", tags={"text", "consistency"}, spec=(11,),
      hint="正文可写明“本年新收X件，上年结转Y件”，避免与表三混淆",
      example="“共收到政府信息公开申请75件”等于表三本年新收 74 + 上年结转 1，正文把上年结转的申请也计算在内")
def narrative_counts_carried(report: Report, ctx: Context) -> Iterator[Draft]:
    """正文所写收到申请件数不等于表三本年新收，但等于本年新收与上年结转之和：多数是正文把上年结转的申请
    也算了进去，不是错误，提示一下按哪种口径对上了。"""
    for key, cl, value, alt in _readings(report):
        if cl.value != value and _alt_differs(cl.target, value, alt) and cl.value == alt:
            carried = (alt or 0) - value
            yield Draft(f"“{cl.phrase}”等于表三本年新收 {value} + 上年结转 {carried}，正文把上年结转的申请也计算在内",
                        at=_at(report, key, cl))


_FEE_WORDS = ("信息处理费", "处理费", "收费", "收取费用", "收取", "费用")


@rule("content.W001", title="未说明信息处理费情况", tags={"content"}, spec=(12,),
      hint="在“六、其他需要报告的事项”写明本年度是否收取信息处理费、收取多少（或“未收取信息处理费”）",
      example="“六、其他需要报告的事项”未说明信息处理费的收取情况")
def fee_statement(report: Report, ctx: Context) -> Iterator[Draft]:
    """“六、其他需要报告的事项”应说明信息处理费的收取情况（发出收费通知、收取金额，或未收取）。这是2021年度起
    的格式（国办公开办函〔2021〕30号，与《政府信息公开信息处理费管理办法》同年施行）的要求，2019、2020年度的
    报告不核查此项。"""
    year = report.year if report.year is not None else report.format.first_year
    if year < 2021:
        return
    if "other" not in report.sections or text_blank(report):
        return  # no section 六: struct.E001 says so; no text at all: struct.W003
    text = report.sections.get("other") or ""
    if any(w in text for w in _FEE_WORDS):
        return
    yield Draft("“六、其他需要报告的事项”未说明信息处理费的收取情况",
                at=Location(section="other", label=_heading(report, "other")))


_ART50 = (("工作考核", ("考核",)), ("社会评议", ("社会评议", "评议")), ("责任追究结果", ("责任追究", "追责", "问责")))


@rule("content.W002", title="人民政府年报缺少考核、评议、追责情况", tags={"content"}, spec=(12,),
      hint="各级人民政府的年报应写明工作考核、社会评议和责任追究结果情况（条例第五十条），通常写在第五部分",
      example="人民政府年报未写明 社会评议、责任追究结果 情况（条例第五十条）")
def government_accountability(report: Report, ctx: Context) -> Iterator[Draft]:
    """各级人民政府（含乡、镇人民政府；不含政府部门、政府办公厅（室）、街道办事处和管委会）的年报还应包括
    工作考核、社会评议和责任追究结果情况（条例第五十条）。机关类别按 ``Report.agency_kind``，未给出时按名称
    推断，并在结果中说明。"""
    kind, guessed = ctx.config.kind_for(report)
    name = report.agency or ""
    if kind == "township" and ("人民政府" not in name or "街道" in name):
        return  # a 街道办事处 is not a 人民政府; a township without a name: not sure, not reported
    if kind not in ("government", "township") or text_blank(report):
        return  # no text at all: struct.W003 says so
    text = "".join(report.sections.get(k) or "" for k in SECTION_KEYS)
    missing = [name for name, words in _ART50 if not any(w in text for w in words)]
    if missing:
        basis = "条例第五十条" + (f"；按名称推断为{AGENCY_KINDS[kind]}" if guessed else "")
        yield Draft(f"人民政府年报未写明 {'、'.join(missing)} 情况（{basis}）",
                    at=Location(section="problems", label=_heading(report, "problems")))
