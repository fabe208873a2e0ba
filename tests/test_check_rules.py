"""Every rule of the catalogue: a passing case and failing cases, with the exact findings.

Expected messages are written from the rule's definition (RULES.md) and the numbers put into the
report, not copied from the program's output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

import gongkai
from check_support import all_headings, busy, good
from gongkai import NA, Loc, Notice, Report, Table
from gongkai.check import REGISTRY, registry

Build = Callable[[], Report | list[Report]]


# -- builders of failing reports ----------------------------------------------------------------

def _set(r: Report, table: str, row: str, col: str, v: object, **extra: object) -> Report:
    r.table(table).set(row, col, v, **extra)  # type: ignore[arg-type]
    return r


def neg_doc() -> Report:
    return _set(good(), "proactive", "normative_documents", "issued", -1)


def frac_request() -> Report:
    return _set(good(), "requests", "granted", "natural_person", Decimal("2.5"))


def neg_appeal() -> Report:
    return _set(good(), "appeals", "review", "upheld", -1)


def blank_rule() -> Report:
    return _set(good(), "proactive", "rules", "issued", None)


def blank_request() -> Report:
    return _set(good(), "requests", "granted", "natural_person", None)


def blank_table3() -> Report:
    r = good()
    t = r.table("requests")
    for (row, col) in list(t.cells):
        t.set(row, col, None)
    return r


def na_appeal() -> Report:
    return _set(good(), "appeals", "review", "total", NA)


def township_fees() -> Report:
    return _set(good("测试县某某镇人民政府"), "proactive", "fees", "amount", 12000)


def yuan_unit() -> Report:
    return _set(good("测试县财政局"), "proactive", "fees", "amount", 3500, text="3500元", unit="元")


def unbalanced() -> Report:
    r = good()
    for row, v in (("new", 12), ("carried_over", 3), ("granted", 13), ("results_total", 13), ("carried_forward", 1)):
        _set(r, "requests", row, "natural_person", v)
    return r


def results_short() -> Report:
    r = good()
    _set(r, "requests", "granted", "natural_person", 20)
    return _set(r, "requests", "results_total", "natural_person", 21)


def collapsed(other: int, total: int) -> Report:
    """A 2021 report that printed （六）其他处理 as one row."""
    r = good()
    t = r.table("requests")
    for key in [k for k in t.cells if k[0].startswith("other.")]:
        del t.cells[key]
    for c in t.columns_of("other"):
        t.set("other", c, 0)
    t.set("other", "natural_person", other)
    t.set("results_total", "natural_person", total)
    return r


def row_total_off() -> Report:
    r = good()
    _set(r, "requests", "granted", "natural_person", 4)
    return _set(r, "requests", "granted", "total", 5)


def appeals_off() -> Report:
    r = good()
    _set(r, "appeals", "review", "upheld", 10)
    _set(r, "appeals", "review", "corrected", 1)
    return _set(r, "appeals", "suit_after_review", "upheld", 5)


def no_problems() -> Report:
    r = good()
    del r.sections["problems"]
    return r


def misordered() -> Report:
    from gongkai.model import Cell

    r = good()
    r.headings = {k: Cell(None, k) for k in ("overview", "requests", "proactive", "appeals", "problems", "other")}
    return r


def no_table3() -> Report:
    r = good()
    r.tables["requests"] = Table(r.format.table("requests"), present=False)
    return r


def missing_row_and_cell() -> Report:
    r = good()
    t = r.table("requests")
    for key in [k for k in t.cells if k[0] == "partial"]:
        del t.cells[key]
    del t.cells[("granted", "research")]
    return r


def trial_format_2022() -> Report:
    return good(year=2022, fmt="2019")


def new_format_2020() -> Report:
    return good(year=2020, fmt="2021")


def before_2019() -> Report:
    return good(year=2018, fmt="2019")


def anonymous() -> Report:
    r = good()
    r.agency, r.year = None, None
    return r


def row_moved() -> Report:
    r = good()
    r.warnings.append(Notice("table.row_order", "表三“二、上年结转政府信息公开申请数量”不在格式规定的位置（印在表格开头），"
                             "已按其标签读取", Loc(line=103)))
    return r


def with_notice() -> Report:
    r = good()
    r.warnings.append(Notice("row.merged", "表三“（一）予以公开”：相邻数字按勾稽关系合并读取（1 2 0 0 0 0 12）",
                             Loc(line=10)))
    return r


def glued_row() -> Report:
    """表二 行政规范性文件 printed as the glued run 20155, which three splits fit: the reader left it blank."""
    r = with_notice()
    for col in ("issued", "repealed", "in_force"):
        _set(r, "proactive", "normative_documents", col, None, loc=Loc(line=12),
             note="连写数字有多种拆分：2,0,155 / 20,1,55 / 20,15,5")
    r.warnings.append(Notice("glued.ambiguous", "表二“行政规范性文件”：连写数字“20155”有 3 种符合勾稽关系的拆分", Loc(line=12)))
    return r


def misplaced_row() -> Report:
    """Table 三 read 5 of the 7 figures of （一）予以公开 and cannot tell which columns they belong to."""
    r = good()
    for col in ("legal_service", "other_org"):
        _set(r, "requests", "granted", col, None, note="未读到")
    return _set(r, "requests", "granted", "total", 0, uncertain=True, note="数字与列的对应不确定")


def blank_tables(text: bool) -> Report:
    r = Report.blank("2021", agency="测试县人民政府", year=2021)
    r.published = date(2022, 1, 20)
    if text:
        r.sections = dict(good().sections)
    return r


def no_text() -> Report:
    r = good()
    r.sections = {k: "" for k in r.sections} | {"other": "（文字描述，收取信息处理费情况在此处报告。）"}
    return r


def narrative(text: str, **cells: int) -> Report:
    r = good()
    r.sections["overview"] = text
    for key, v in cells.items():
        row, col = key.split("__")
        table = {"new": "requests", "carried_over": "requests", "granted": "requests",
                 "rules": "proactive", "normative_documents": "proactive"}.get(row, "appeals")
        _set(r, table, row, col, v)
    return r


def no_fee_statement() -> Report:
    r = good()
    r.sections["other"] = "无。"
    return r


def no_art50(agency: str, kind: str | None = None) -> Report:
    r = good(agency)
    r.agency_kind = kind
    r.sections["problems"] = "依申请公开工作规范性有待提高，下一步将加强培训。"
    return r


def period(a: date, b: date) -> Report:
    r = good()
    r.period = (a, b)
    return r


def no_period() -> Report:
    r = good()
    r.period = None
    return r


def published(agency: str, d: date | None, year: int = 2021, kind: str | None = None,
              guessed: bool = False) -> Report:
    """``kind``: the agency's kind as the caller (or, ``guessed``, the reader) gave it; None: not given."""
    r = good(agency, year)
    r.published = d
    r.agency_kind, r.agency_kind_guessed = kind, guessed
    return r


def replace_attr(r: Report, **attrs: object) -> Report:
    for k, v in attrs.items():
        setattr(r, k, v)
    return r


def pair(prev: Report, cur: Report) -> list[Report]:
    return [prev, cur]


def carry_mismatch() -> list[Report]:
    cur = good(year=2022)
    _set(cur, "requests", "carried_over", "natural_person", 2)
    _set(cur, "requests", "carried_over", "total", 2)
    _set(cur, "requests", "granted", "natural_person", 2)
    _set(cur, "requests", "granted", "total", 2)
    _set(cur, "requests", "results_total", "natural_person", 2)
    _set(cur, "requests", "results_total", "total", 2)
    return [good(year=2021), cur]


def stock(prev_in_force: int, issued: int, repealed: int, in_force: int) -> list[Report]:
    prev, cur = good(year=2021), good(year=2022, overview="本年度另写一段完全不同的总体情况。" * 8)
    _set(prev, "proactive", "rules", "in_force", prev_in_force)
    _set(cur, "proactive", "rules", "issued", issued)
    _set(cur, "proactive", "rules", "repealed", repealed)
    return [prev, _set(cur, "proactive", "rules", "in_force", in_force)]


def glued_stock() -> list[Report]:
    """2022's 规章 row printed glued as 2010 (2,0,10 / 20,1,0) and left open; 2021's 现行有效 8."""
    prev, cur = stock(8, 0, 0, 8)
    for c in ("issued", "repealed", "in_force"):
        cur.table("proactive").set("rules", c, None, "2010", note="连写数字有多种拆分：2,0,10 / 20,1,0", uncertain=True)
    return [prev, cur]


OTHER_TEXT = ("本机关围绕优化营商环境开展专项公开，重点公开行政许可办理流程、收费目录清单和“双随机、一公开”抽查结果，"
              "在办事大厅设置查阅点，组织政策解读会三场，邀请企业代表参加并现场答疑，收集意见建议，逐条建立台账并按期反馈。")


def copy_years(same: bool) -> list[Report]:
    return [good(year=2021), good(year=2022, overview=None if same else OTHER_TEXT)]


def copy_agencies(same: bool) -> list[Report]:
    return [good("甲县人民政府"), good("乙县人民政府", overview=None if same else OTHER_TEXT)]


def two_columns(r: Report, n: int = 2) -> Report:
    """Table 三 with requests from natural persons and companies: 4 non-zero figures besides totals."""
    t = busy(busy(r, n, "commercial"), n)
    for row in ("new", "granted", "results_total"):
        t.table("requests").set(row, "total", 2 * n)
    return t


def identical_years(same: bool) -> list[Report]:
    return [two_columns(good(year=2021)), two_columns(good(year=2022, overview=OTHER_TEXT), 2 if same else 3)]


def identical_agencies(same: bool) -> list[Report]:
    return [two_columns(good("甲县人民政府")), two_columns(good("乙县人民政府", overview=OTHER_TEXT), 2 if same else 3)]


def small_identical_tables() -> list[Report]:
    """One request each, granted to a natural person: identical tables by coincidence, not copying."""
    return [busy(good("甲县人民政府")), busy(good("乙县人民政府", overview=OTHER_TEXT))]


def versions(changed: bool) -> list[Report]:
    a, b = good(), good()
    b.source = "测试县人民政府-2021-修订.txt"
    b.published = date(2022, 2, 10)
    if changed:
        busy(b)
    return [a, b]


# -- the catalogue of cases -------------------------------------------------------------------

# rule id → (passing builder, [(failing builder, exact messages)])
CASES: dict[str, tuple[Build, list[tuple[Build, list[str]]]]] = {
    "t2.E001": (good, [(neg_doc, ["表二/行政规范性文件/本年制发件数：-1 不能为负数"])]),
    "t2.W001": (good, [(blank_rule, ["表二“规章”行：本年制发件数 为空白"])]),
    "t2.W002": (lambda: _set(good("淮安市洪泽区人民政府"), "proactive", "fees", "amount", Decimal("7730.28")), [
        (township_fees, ["表二/行政事业性收费/本年收费金额（单位：万元）：12000 万元，对乡镇一级明显偏大，"
                         "可能把“元”填进了“万元”栏（阈值 1000 万元）"]),
        (yuan_unit, ["表二/行政事业性收费/本年收费金额（单位：万元）：填写为“3500元”，单位“元”与表头"
                     "“本年收费金额（单位：万元）”不符"]),
    ]),
    "t3.E001": (lambda: busy(good()), [
        (unbalanced, ["表三“自然人”列：新收 12 + 上年结转 3 ≠ 办理结果总计 13 + 结转下年度 1"])]),
    "t3.E002": (lambda: collapsed(5, 5), [
        (results_short, ["表三“自然人”列：（七）总计 21 ≠ 各项之和 20（共21项，其中（一）予以公开 20）"]),
        (lambda: collapsed(5, 4), ["表三“自然人”列：（七）总计 4 ≠ 各项之和 5（共19项，其中（六）其他处理 5）"]),
    ]),
    "t3.E003": (lambda: busy(good(), 3, "commercial"), [
        (row_total_off, ["表三“（一）予以公开”行：总计 5 ≠ 各项之和 4（共6项，其中自然人 4）"])]),
    "t3.E004": (good, [(frac_request, ["表三/（一）予以公开/自然人：2.5 应为整数"])]),
    "t3.W001": (good, [
        (blank_request, ["表三“（一）予以公开”行：自然人 为空白；因此无法核对：办理结果总计 = 各项办理结果之和；"
                         "总计 = 自然人 + 法人或其他组织各列之和"]),
    ]),
    "t4.E001": (good, [(appeals_off, [
        "表四“行政复议”：总计 0 ≠ 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0",
        "表四“行政诉讼·复议后起诉”：总计 0 ≠ 结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0"])]),
    "t4.E002": (good, [(neg_appeal, ["表四/行政复议/结果维持：-1 不能为负数"])]),
    "t4.W001": (good, [(na_appeal, ["表四“行政复议”行：总计 填写了“/”等非数字；因此无法核对："
                                    "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"])]),
    "struct.E001": (good, [(no_problems, ["未见“存在的主要问题及改进情况”的内容"])]),
    "struct.E002": (lambda: all_headings(good()), [
        (misordered, ["章节顺序为 一、三、二、四、五、六，应为 一、二、三、四、五、六"])]),
    "struct.E003": (good, [(no_table3, ["缺少表三（收到和处理政府信息公开申请情况）"])]),
    "struct.E004": (lambda: collapsed(0, 0), [(missing_row_and_cell, [
        "表三“（一）予以公开”行缺少 科研机构 列",
        "表三缺少“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行"])]),
    "struct.E005": (lambda: good(year=2020), [
        (trial_format_2022, ["2022年度报告使用了已停用的试行格式（国办公开办函〔2019〕60号），"
                             "应使用国办公开办函〔2021〕30号格式"]),
        (new_format_2020, ["2020年度报告使用了国办公开办函〔2021〕30号格式，该年度应使用国办公开办函〔2019〕60号格式"]),
        (before_2019, ["2018年度没有全国统一的年报格式（2019年以前为自由格式），无法按格式核查"]),
    ]),
    "struct.W001": (lambda: good(year=2020), [
        (lambda: collapsed(0, 0), ["表三“（六）其他处理”只有一行（试行格式的写法），2021年格式应分为3项"])]),
    "struct.W002": (good, [
        (anonymous, ["未能读出报告年度和报告主体（机关名称），年度相关的核查（格式、统计期限、公布时限、跨年度比对）"
                     "和按机关的比对无法进行"]),
        (lambda: replace_attr(good(), year=None),
         ["未能读出报告年度，年度相关的核查（格式、统计期限、公布时限、跨年度比对）无法进行"]),
        (lambda: replace_attr(good(), agency=None), ["未能读出报告主体（机关名称），无法按机关比对不同年度的报告"]),
    ]),
    "struct.W003": (good, [
        (blank_table3, ["表三全部空白（175个单元格）；因此无法核对：新收 + 上年结转 = 办理结果总计 + 结转下年度；"
                        "办理结果总计 = 各项办理结果之和；总计 = 自然人 + 法人或其他组织各列之和"]),
        # 10 cells in 表二, 25 rows × 7 columns in 表三, 3 groups × 5 in 表四
        (lambda: blank_tables(text=False), ["空白年报：表二、表三、表四没有填写任何数字（共200个单元格），"
                                            "“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”都没有文字"]),
        (lambda: blank_tables(text=True), ["表二、表三、表四全部空白（共200个单元格），这些表格的勾稽关系都无法核对"]),
        (no_text, ["“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”都没有文字"]),
    ]),
    "struct.E006": (with_notice, [(row_moved, [
        "表三“二、上年结转政府信息公开申请数量”不在格式规定的位置（印在表格开头），已按其标签读取"])]),
    "struct.I001": (good, [(with_notice, ["读取提示（相邻数字按勾稽关系合并读取，row.merged）：第10行：表三“（一）予以公开”："
                                          "相邻数字按勾稽关系合并读取"
                                          "（1 2 0 0 0 0 12）"])]),
    "struct.I002": (with_notice, [
        (glued_row, ["表二“行政规范性文件”行：本年制发件数、本年废止件数、现行有效件数 未能读出（连写数字有多种拆分："
                     "2,0,155 / 20,1,55 / 20,15,5）；这是读取的问题，不是报告留空，涉及这些单元格的核对未进行"]),
        (misplaced_row, ["表三“（一）予以公开”行：法律服务机构、其他、总计 读取不确定（该行只读到部分数字，无法确定各属于哪一列）；"
                         "这是读取的问题，不是报告留空，涉及这些单元格的核对未进行"]),
    ]),
    "text.E001": (lambda: narrative("本年度共收到政府信息公开申请3件，予以公开2件。", new__total=3, granted__total=2), [
        (lambda: narrative("本年度共收到政府信息公开申请5件。", new__total=3),
         ["“共收到政府信息公开申请5件”与表三“一、本年新收政府信息公开申请数量”总计 3 不符"]),
        (lambda: narrative("全年共受理政府信息公开申请十二件，其中予以公开两件。", new__total=10, granted__total=1),
         ["“共受理政府信息公开申请十二件”与表三“一、本年新收政府信息公开申请数量”总计 10 不符",
          "“予以公开两件”与表三“（一）予以公开”总计 1 不符"]),
        (lambda: narrative("全年无信息公开申请。", new__total=4),
         ["“无信息公开申请”与表三“一、本年新收政府信息公开申请数量”总计 4 不符"]),
        (lambda: narrative("收到申请80件。", new__total=74, carried_over__total=1),
         ["“收到申请80件”与表三“一、本年新收政府信息公开申请数量”总计 74 不符，也不等于本年新收与上年结转之和 75"]),
        (lambda: narrative("本年度被申请行政复议1起。", review__upheld=0),
         ["“行政复议1起”与表四“行政复议”总计 0 不符"]),
        (lambda: narrative("本年度制发规范性文件3件，收到行政复议申请2件。", normative_documents__issued=2,
                           review__total=1),
         ["“制发规范性文件3件”与表二“行政规范性文件”本年制发件数 2 不符",
          "“行政复议申请2件”与表四“行政复议”总计 1 不符"]),
    ]),
    "text.I001": (lambda: narrative("收到申请74件。", new__total=74, carried_over__total=1), [
        (lambda: narrative("收到申请75件，涉及自然人72件。", new__total=74, carried_over__total=1),
         ["“收到申请75件”等于表三本年新收 74 + 上年结转 1，正文把上年结转的申请也计算在内"])]),
    "content.W001": (good, [(no_fee_statement, ["“六、其他需要报告的事项”未说明信息处理费的收取情况"])]),
    "content.W002": (lambda: no_art50("测试县财政局"), [
        (lambda: no_art50("测试县人民政府", "government"),
         ["人民政府年报未写明 工作考核、社会评议、责任追究结果 情况（条例第五十条）"]),
        (lambda: no_art50("测试县某某镇人民政府", "township"),
         ["人民政府年报未写明 工作考核、社会评议、责任追究结果 情况（条例第五十条）"]),
        (lambda: no_art50("测试县人民政府"),
         ["人民政府年报未写明 工作考核、社会评议、责任追究结果 情况（条例第五十条；按名称推断为人民政府）"]),
    ]),
    "period.E001": (good, [(lambda: period(date(2021, 1, 1), date(2021, 11, 30)),
                            ["统计期限 2021年1月1日至2021年11月30日，应为 2021年1月1日至2021年12月31日"])]),
    "period.W001": (good, [(no_period, ["前言未写明统计期限（应为 2021年1月1日至2021年12月31日）"])]),
    "time.E001": (lambda: published("测试县财政局", date(2022, 2, 7), kind="department"), [
        (lambda: published("测试县人民政府", date(2022, 4, 6), kind="government"),
         ["发布日期 2022年4月6日，晚于本级政府年报的公布期限 2022年3月31日（条例第四十九条）"]),
        # 2022-01-31 was 除夕 inside the Spring Festival break (1/31–2/6): the deadline moves to Monday 2/7
        (lambda: published("测试县财政局", date(2022, 2, 8), kind="department"),
         ["发布日期 2022年2月8日，晚于部门年报的公布期限 2022年1月31日（条例第四十九条）（期限日为休息日，顺延至2022年2月7日）"]),
        # 2027 is not loaded: 1月31日 is a Sunday, Monday 2/1 by the provisional calendar
        (lambda: published("测试县财政局", date(2027, 2, 2), 2026, kind="department"),
         ["发布日期 2027年2月2日，晚于部门年报的公布期限 2027年1月31日（条例第四十九条）（期限日为休息日，顺延至2027年2月1日）"
          "（日历尚未公布，按周末及法定节日推算）"]),
        # a government's own office is one of its departments
        (lambda: published("测试县人民政府办公室", date(2022, 2, 8), kind="government_office"),
         ["发布日期 2022年2月8日，晚于部门年报的公布期限 2022年1月31日（条例第四十九条）（期限日为休息日，顺延至2022年2月7日）"]),
        # no kind given: guessed from the name, and the finding says so
        (lambda: published("测试县人民政府", date(2022, 4, 6)),
         ["发布日期 2022年4月6日，晚于本级政府年报的公布期限 2022年3月31日（条例第四十九条；按名称推断为人民政府）"]),
        # a 管委会 acting as the government of its area, kind guessed by the reader
        (lambda: published("平潭综合实验区管委会", date(2023, 4, 6), 2022, kind="dispatched", guessed=True),
         ["发布日期 2023年4月6日，晚于派出机关、管委会本级年报的公布期限 2023年3月31日（条例第四十九条；"
          "按名称推断为派出机关、管委会）"]),
        # the 条例 sets no date for a township: held to the government's 3月31日 unless configured
        (lambda: published("测试县某某镇人民政府", date(2022, 4, 6), kind="township"),
         ["发布日期 2022年4月6日，晚于乡镇、街道年报的公布期限 2022年3月31日（条例未规定乡镇、街道的公布期限，"
          "按本级政府年报的期限核对，可按辖区另行设置）"]),
    ]),
    "time.I001": (good, [
        (lambda: published("测试县人民政府", None, kind="government"),
         ["未能读出发布日期，无法核对是否在 2022年3月31日 前公布（条例第四十九条）"]),
        (lambda: published("测试县财政局", None),
         ["未能读出发布日期，无法核对是否在 2022年1月31日 前公布（条例第四十九条；按名称推断为政府部门）"]),
    ]),
    "xyear.E001": (lambda: [good(year=2021), good(year=2022)], [(carry_mismatch, [
        "“上年结转”自然人 2 ≠ 测试县人民政府2021年度报告的“结转下年度继续办理”自然人 0（逐列：自然人 2 ≠ 0；总计 2 ≠ 0）"])]),
    "xyear.W001": (lambda: stock(8, 3, 1, 10), [(lambda: stock(8, 3, 0, 10), [
        "表二“规章”现行有效 10 ≠ 上年现行有效 8 + 本年制发 3 − 本年废止 0 = 11（上年为测试县人民政府2021年度报告）"])]),
    "xyear.I001": (lambda: stock(8, 3, 1, 10), [(glued_stock, [
        "表二“规章”：连写数字有多种拆分，依据本机关上一年度报告（测试县人民政府2021年度报告）的现行有效 8 推定"
        "本年制发件数 2、本年废止件数 0、现行有效件数 10"])]),
    "xyear.W002": (lambda: copy_years(False), [(lambda: copy_years(True), [
        "“一、总体情况”与本机关上年报告（测试县人民政府2021年度报告）相似度约 100%"])]),
    "xagency.W001": (lambda: copy_agencies(False), [(lambda: copy_agencies(True), [
        "“一、总体情况”与甲县人民政府2021年度报告相似度约 100%（去掉机关名称和数字后比较）"])]),
    "xyear.W003": (lambda: identical_years(False), [(lambda: identical_years(True), [
        "表三的每个数字都与本机关上年报告（测试县人民政府2021年度报告）相同"])]),
    "xagency.W002": (small_identical_tables, [(lambda: identical_agencies(True), [
        "表三的每个数字都与甲县人民政府2021年度报告相同"])]),
    "xyear.W004": (lambda: versions(False), [(lambda: versions(True), [
        "与同一年报的另一版本（测试县人民政府-2021.txt）数字不同：表三（发布日期 2022-01-20 → 2022-02-10）"])]),
}


def _messages(reports: Report | list[Report], rule_id: str) -> list[str]:
    res = gongkai.validate(reports, select=[rule_id])
    assert {f.id for f in res.findings} <= {rule_id}, res.findings
    return [f.message for f in res.findings]


def test_every_rule_has_cases() -> None:
    """The catalogue of cases covers the registry's report and corpus rules exactly (engine.E001 is
    tested below; the ledger's rules, scope ``ledger``, in tests/test_ledger_rules.py)."""
    assert set(CASES) | {"engine.E001"} == {k for k, r in registry().items() if r.scope != "ledger"}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes(rule_id: str) -> None:
    assert _messages(CASES[rule_id][0](), rule_id) == []


@pytest.mark.parametrize(("rule_id", "case"), [(rid, i) for rid, (_, fails) in sorted(CASES.items())
                                               for i in range(len(fails))])
def test_rule_fails(rule_id: str, case: int) -> None:
    build, expected = CASES[rule_id][1][case]
    assert _messages(build(), rule_id) == expected


def test_good_report_has_no_findings_at_all() -> None:
    res = gongkai.validate(good())
    assert res.findings == []
    assert res.valid
    assert res.summary() == "发现 0 个错误，0 个警告"


def test_crashing_rule_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(report: Report, ctx: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setitem(REGISTRY, "t3.E001", replace(REGISTRY["t3.E001"], fn=boom))
    res = gongkai.validate(appeals_off(), select=["t3.E001", "t4"])
    assert [f.id for f in res.findings] == ["engine.E001", "t4.E001", "t4.E001"]
    assert res.findings[0].message == "规则 t3.E001（申请数量收支平衡）运行出错：KeyError: 'boom'"
    assert res.findings[0].severity == "error"


def test_finding_location_carries_source_cell() -> None:
    r = appeals_off()
    r.table("appeals").cell("review", "total").loc = Loc(page=3, table=2, row=5, col=5)  # type: ignore[union-attr]
    f = gongkai.validate(r, select=["t4.E001"]).findings[0]
    assert f.at.table == "appeals" and f.at.row == "review" and f.at.label == "表四/行政复议"
    assert f.to_dict()["location"]["source_place"] == "第3页第2个表格第5行第5列"
    assert f.line() == ("测试县人民政府-2021.txt:表四/行政复议: t4.E001 "
                        "表四“行政复议”：总计 0 ≠ 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0")


def test_different_tables_are_not_identical() -> None:
    assert _messages(identical_agencies(False), "xagency.W002") == []
    assert _messages(identical_years(False), "xyear.W003") == []


def test_crashing_corpus_rule_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(corpus: object, ctx: object) -> list[object]:
        raise ValueError("坏了")

    monkeypatch.setitem(REGISTRY, "xyear.E001", replace(REGISTRY["xyear.E001"], fn=boom))
    res = gongkai.validate(carry_mismatch(), select=["xyear.E001", "xyear.W002"])
    assert [(f.id, f.message) for f in res.findings] == [
        ("engine.E001", "规则 xyear.E001（上年结转与上年度结转下年度不符）运行出错：ValueError: 坏了"),
        # the other across-report rule still runs (the two reports share the builder's overview)
        ("xyear.W002", "“一、总体情况”与本机关上年报告（测试县人民政府2021年度报告）相似度约 100%")]
