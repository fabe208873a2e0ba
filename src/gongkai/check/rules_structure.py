"""Structure and format version (RULES.md 8–10), statistics period (13) and timeliness (18)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..agency import AGENCY_KINDS
from ..errors import FormatError
from ..formats import format_for_year
from ..messages import CATALOGUE
from ..model import Report
from .context import Context, cell_at, col_name, row_name, table_name
from .engine import Draft, Location, rule
from .reading import UnsureRow, report_blank, table_blank, text_blank, unsure_rows, year_guessed

#: words that show a section's content is there, wherever the report put it (renumbered after an
#: added section, retitled, or under a heading the reader did not take for this one)
_CONTENT_WORDS = {
    "overview": ("总体情况",),
    "problems": ("存在的主要问题", "主要问题", "存在问题", "存在的问题", "问题及改进", "存在不足", "不足之处", "改进情况",
                 "改进措施", "下一步"),
    "other": ("其他需要报告", "其他事项", "信息处理费"),
}


def _has_content(report: Report, key: str) -> bool:
    """The report carries this section's content: its heading was found, its table is there, or
    its words appear anywhere in the text."""
    if key in report.sections or key in report.headings:
        return True
    if key in report.tables and report.tables[key].present:
        return True
    words = _CONTENT_WORDS.get(key, ())
    text = "".join([report.preamble or "", *report.sections.values()])
    return any(w in text for w in words)


def _title(heading: str) -> str:
    """A section's heading without its ordinal: 五、存在的主要问题及改进情况 → 存在的主要问题及改进情况."""
    return heading.split("、", 1)[1] if "、" in heading[:3] else heading


@rule("struct.E001", title="缺少规定的内容", tags={"structure"}, spec=(8,),
      hint="年报应包括六方面内容：总体情况、主动公开、收到和处理申请、复议诉讼、存在的主要问题及改进情况、其他需要报告的事项"
           "（条例第五十条）；标题编号可以不同",
      example="未见“存在的主要问题及改进情况”的内容")
def missing_sections(report: Report, ctx: Context) -> Iterator[Draft]:
    """六方面内容（总体情况、主动公开、收到和处理申请、复议诉讼、存在的主要问题及改进情况、其他需要报告的事项）
    都应写到。按内容而不按编号认定：报告增加了一部分而改了编号（如“五、信息处理费收取情况”后接“六、存在的主要问题
    及改进情况”）、改了标题，只要内容在，就不报告。"""
    for s in report.format.sections:
        if not _has_content(report, s.key):
            yield Draft(f"未见“{_title(s.heading)}”的内容", at=Location(section=s.key, label=s.heading))


@rule("struct.E002", title="章节顺序错误", tags={"structure"}, spec=(8,),
      hint="按格式规定的顺序排列六个部分",
      example="章节顺序为 一、三、二、四、五、六，应为 一、二、三、四、五、六")
def section_order(report: Report, ctx: Context) -> Iterator[Draft]:
    """读到的章节标题应按一至六的顺序出现。"""
    numbers = {s.key: s.number for s in report.format.sections}
    order = [k for k in report.headings if k in numbers]
    expected = [k for k in numbers if k in order]
    if order != expected:
        got = "、".join(numbers[k] for k in order)
        want = "、".join(numbers[k] for k in expected)
        yield Draft(f"章节顺序为 {got}，应为 {want}", at=Location(label="章节"))


@rule("struct.E003", title="缺少表格", tags={"structure"}, spec=(8,),
      hint="表二、表三、表四都必须填报，没有发生的事项填 0",
      example="缺少表三（收到和处理政府信息公开申请情况）")
def missing_tables(report: Report, ctx: Context) -> Iterator[Draft]:
    """表二（主动公开）、表三（收到和处理申请）、表四（复议诉讼）都应出现。"""
    for spec in report.format.tables:
        t = report.tables.get(spec.key)
        if t is None or not t.present:
            yield Draft(f"缺少{table_name(spec)}（{spec.title}）",
                        at=Location(table=spec.key, label=table_name(spec)))


@rule("struct.W003", title="表格或正文全部空白", tags={"structure", "blank"}, spec=(6, 8),
      hint="按实际情况填写表格（没有发生的事项填 0）并写明六个部分的内容；空白模板不是年报",
      example="空白年报：表二、表三、表四没有填写任何数字（共200个单元格），“一、总体情况”“五、存在的主要问题及改进情况”"
              "“六、其他需要报告的事项”都没有文字")
def blank_tables_and_text(report: Report, ctx: Context) -> Iterator[Draft]:
    """整张表格没有填写任何数字（如未填写的全国统一格式模板），或用文字写的部分（一、五、六）都没有文字
    （只有模板的“（文字描述）”也算没有）：合并成一条说明，不逐行列出空白单元格。表格全部空白、正文也没有文字的，
    是一份空白年报，其他内容核查不再逐条报告。"""
    blank = [t for t in report.tables.values() if table_blank(t, ctx)]
    cells = sum(len(t.cells) for t in blank)
    names = "、".join(table_name(t.spec) for t in blank)
    present = [t for t in report.tables.values() if t.present]
    no_text = text_blank(report) and bool(report.sections or report.headings)
    words = "".join(f"“{s.heading}”" for s in report.format.sections if s.table is None)
    if blank and len(blank) == len(present) and no_text:
        yield Draft(f"空白年报：{names}没有填写任何数字（共{cells}个单元格），{words}都没有文字",
                    at=Location(label="全文"))
        return
    if len(blank) > 1:
        yield Draft(f"{names}全部空白（共{cells}个单元格），这些表格的勾稽关系都无法核对",
                    at=Location(label=names))
    elif blank:
        spec = blank[0].spec
        checks = "；".join(i.title for i in spec.identities)
        yield Draft(f"{names}全部空白（{cells}个单元格）" + (f"；因此无法核对：{checks}" if checks else ""),
                    at=cell_at(blank[0], None, None, label=names))
    if no_text:
        yield Draft(f"{words}都没有文字", at=Location(label="正文"))


@rule("struct.E004", title="表格缺行或缺列", tags={"structure"}, spec=(8, 10),
      hint="按所用格式补齐表格的全部行和列，未发生的填 0",
      example="表三缺少“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行")
def missing_cells(report: Report, ctx: Context) -> Iterator[Draft]:
    """已出现的表格应有其格式规定的每一行、每一列（未细分的“（六）其他处理”视为有其三个子项）。"""
    for spec in report.format.tables:
        t = report.tables.get(spec.key)
        if t is None or not t.present:
            continue
        missing = t.missing()
        by_row: dict[str, list[str]] = {}
        for r, c in missing:
            by_row.setdefault(r, []).append(c)
        for r, cols in by_row.items():
            if len(cols) == len(spec.row_columns(r)):
                yield Draft(f"{table_name(spec)}缺少“{row_name(spec, r)}”行", at=cell_at(t, r, None))
            else:
                names = "、".join(col_name(spec, c) for c in cols)
                yield Draft(f"{table_name(spec)}“{row_name(spec, r)}”行缺少 {names} 列", at=cell_at(t, r, cols[0]))


@rule("struct.E005", title="年报格式与年度不符", tags={"structure", "format"}, spec=(9,),
      hint="2019、2020年度用国办公开办函〔2019〕60号格式（试行），2021年度起用国办公开办函〔2021〕30号格式",
      example="2022年度报告使用了已停用的试行格式（国办公开办函〔2019〕60号），应使用国办公开办函〔2021〕30号格式")
def format_version(report: Report, ctx: Context) -> Iterator[Draft]:
    """报告年度决定格式：2019—2020年度用试行格式，2021年度起用新格式；用错格式（如2021年后仍有
    本年新制作数量、第二十条第（九）项）是错误。报告没有写明年度、年度是按发布日期推定的，不据此判断。"""
    if report.year is None or year_guessed(report):
        return  # a year guessed from the publication date cannot convict the format
    try:
        want = format_for_year(report.year)
    except FormatError:
        yield Draft(f"{report.year}年度没有全国统一的年报格式（2019年以前为自由格式），无法按格式核查",
                    at=Location(label="格式"))
        return
    if want.id == report.format.id:
        return
    if want.first_year > report.format.first_year:
        yield Draft(f"{report.year}年度报告使用了已停用的试行格式（{report.format.source}），"
                    f"应使用{want.source}格式", at=Location(label="格式"))
    else:
        yield Draft(f"{report.year}年度报告使用了{report.format.source}格式，该年度应使用{want.source}格式",
                    at=Location(label="格式"))


@rule("struct.W001", title="“（六）其他处理”未细分", tags={"structure", "format", "table3"}, spec=(9,),
      hint="2021年起的格式把“（六）其他处理”分为逾期不补正、逾期未缴费、其他三项，请分别填报",
      example="表三“（六）其他处理”只有一行（试行格式的写法），2021年格式应分为三项")
def undivided_other(report: Report, ctx: Context) -> Iterator[Draft]:
    """新格式（2021年起）的表三把“（六）其他处理”印成一行，是沿用了试行格式：数字照印读取，核对时按一行计入。"""
    t = report.tables.get("requests")
    if t is None or not t.present:
        return
    for col in t.spec.collapsed:
        if t.has_row(col.key) and not any(t.has_row(k) for k in col.replaces):
            yield Draft(f"表三“{col.label}”只有一行（试行格式的写法），{report.format.id}年格式应分为"
                        f"{len(col.replaces)}项", at=cell_at(t, col.key, None, label=f"表三/{col.label}"))


@rule("struct.W002", title="未读出报告年度或机关", tags={"structure", "metadata"},
      hint="标题或前言应写明机关全称和报告年度，如“××县人民政府2023年政府信息公开工作年度报告”",
      example="未能读出报告年度，年度相关的核查（格式、统计期限、公布时限、跨年度比对）无法进行")
def missing_metadata(report: Report, ctx: Context) -> Iterator[Draft]:
    """标题或前言应能读出报告主体（机关名称）和报告年度，否则依赖它们的核查无法进行。"""
    if report.year is None and not report.agency:
        yield Draft("未能读出报告年度和报告主体（机关名称），年度相关的核查（格式、统计期限、公布时限、跨年度比对）"
                    "和按机关的比对无法进行", at=Location(label="标题"))
    elif report.year is None:
        yield Draft("未能读出报告年度，年度相关的核查（格式、统计期限、公布时限、跨年度比对）无法进行",
                    at=Location(label="标题"))
    elif not report.agency:
        yield Draft("未能读出报告主体（机关名称），无法按机关比对不同年度的报告", at=Location(label="标题"))


@rule("struct.E006", title="表格行的顺序与格式不符", tags={"structure", "table3", "table2"}, spec=(10,),
      hint="按全国统一格式的行顺序填报，不要调换或挪动行",
      example="表三“二、上年结转政府信息公开申请数量”不在格式规定的位置（印在表格开头），已按其标签读取")
def rows_out_of_order(report: Report, ctx: Context) -> Iterator[Draft]:
    """表格中的行没有按全国统一格式规定的顺序排列（被调换或挪到别处），读取时已按行标签找到并读出数值。"""
    for w in report.warnings:
        if w.code == "table.row_order":
            yield Draft(w.message, at=Location(label="表格", loc=w.loc))


#: notices another rule reports with the same facts: missing parts (struct.E001/E003/E004), rows
#: out of order (struct.E006), cells the reader could not place (struct.I002, or the blank rules
#: when a row printed no figure at all)
_COVERED_NOTICES = frozenset({"section.missing", "table.missing", "table.rows_missing", "table.row_order",
                              "glued.ambiguous", "row.short", "row.uncertain"})


@rule("struct.I001", title="读取时的提示", tags={"structure", "reader"},
      hint="对照原文核对所提示的位置",
      example="读取提示（相邻数字按勾稽关系合并读取，row.merged）：第3页：表三“（一）予以公开”：相邻数字按勾稽关系合并读取"
              "（1 2 0 0 0 0 12）")
def reader_notices(report: Report, ctx: Context) -> Iterator[Draft]:
    """读取文件时遇到的情况（相邻数字按勾稽关系合并、行标签有错字等），原样转告，便于对照原文。
    这是关于读取的提示，不是报告本身的问题。"""
    for w in report.warnings:
        if w.code in _COVERED_NOTICES:
            continue
        where = f"{w.loc.describe()}：" if w.loc else ""
        # the notice's id with its Chinese title: an internal code never stands alone in a message
        spec = CATALOGUE.get(w.code)
        named = f"{spec.title}，{w.code}" if spec else w.code
        yield Draft(f"读取提示（{named}）：{where}{w.message}", at=Location(label="读取", loc=w.loc), about="reading")


def _unsure_reason(row: UnsureRow) -> str:
    note = row.reason or ""
    if note.startswith("连写数字"):
        return note
    if note.startswith("未读到"):
        return "该行只读到部分数字，无法确定各属于哪一列"
    return note or "数字与行列的对应不确定"


@rule("struct.I002", title="有单元格未能读出", tags={"structure", "reader", "blank"}, spec=(6,),
      hint="对照原文核对这些单元格；同一报告的网页版、PDF 版或正文写明的数字可以一并提供核查",
      example="表二“行政规范性文件”行：本年制发件数、本年废止件数、现行有效件数 未能读出（连写数字有多种拆分："
              "2,0,155 / 20,1,55 / 20,15,5）；这是读取的问题，不是报告留空，涉及这些单元格的核对未进行")
def unsure_cells_notice(report: Report, ctx: Context) -> Iterator[Draft]:
    """读取时无法确定的单元格（连写数字有多种拆分、只读到一行的部分数字、读取标记为不确定）：不算报告留空，
    不据此判断勾稽关系、跨年度衔接或版本差异，每行一条提示说明未能读出什么、为什么。"""
    for u in unsure_rows(report, ctx):
        spec = u.table.spec
        cols = "、".join(col_name(spec, c) for c in u.columns)
        unread = [c for c in u.columns if u.table.value(u.row, c) is None]
        what = "未能读出" if len(unread) == len(u.columns) else "读取不确定"
        yield Draft(f"{table_name(spec)}“{row_name(spec, u.row)}”行：{cols} {what}（{_unsure_reason(u)}）；"
                    "这是读取的问题，不是报告留空，涉及这些单元格的核对未进行",
                    at=cell_at(u.table, u.row, u.columns[0]), about="reading")


# -- statistics period (rule 13) -------------------------------------------------------------


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@rule("period.E001", title="统计期限不是报告年度全年", tags={"period", "metadata"}, spec=(13,),
      hint="统计期限应为报告年度的1月1日至12月31日",
      example="统计期限 2021年1月1日至2021年11月30日，应为 2021年1月1日至2021年12月31日")
def period_range(report: Report, ctx: Context) -> Iterator[Draft]:
    """前言写明的统计期限应为报告年度1月1日至12月31日。"""
    if report.period is None or report.year is None:
        return
    a, b = report.period
    year = a.year if year_guessed(report) else report.year  # the period's own year when ours is a guess
    want = (date(year, 1, 1), date(year, 12, 31))
    if (a, b) != want:
        prov = report.meta_provenance.get("period")
        yield Draft(f"统计期限 {_zh(a)}至{_zh(b)}，应为 {_zh(want[0])}至{_zh(want[1])}",
                    at=Location(label="统计期限", loc=prov.loc if prov else None,
                                sentence=prov.text if prov else None))


@rule("period.W001", title="未写明统计期限", tags={"period", "metadata"}, spec=(13,),
      hint="在前言写明“报告中所列数据统计期限自YYYY年1月1日起至YYYY年12月31日止”",
      example="前言未写明统计期限（应为 2021年1月1日至2021年12月31日）")
def period_missing(report: Report, ctx: Context) -> Iterator[Draft]:
    """前言应写明数据的统计期限。"""
    if report.period is None and report.year is not None and not report_blank(report, ctx):
        yield Draft(f"前言未写明统计期限（应为 {report.year}年1月1日至{report.year}年12月31日）",
                    at=Location(label="统计期限"))


# -- timeliness (rule 18) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A report's publication deadline and how it was decided."""

    nominal: date
    #: moved to the next working day when the nominal date is a day off
    effective: date
    kind: str
    #: the kind was guessed from the agency's name (not set by the caller)
    guessed: bool
    #: the jurisdiction whose local deadline applied
    jurisdiction: str | None
    #: the calendar of that year is not published yet
    provisional: bool
    #: a township held to the deadline set for townships (``deadlines.township``)
    configured: bool = False

    @property
    def basis(self) -> str:
        """Why this deadline, in words (for the finding)."""
        if self.jurisdiction:
            parts = [f"“{self.jurisdiction}”的本地规定"]
        elif self.configured:
            parts = ["按设置的乡镇、街道期限"]
        elif self.kind == "township":
            parts = ["条例未规定乡镇、街道的公布期限，按本级政府年报的期限核对，可按辖区另行设置"]
        else:
            parts = ["条例第四十九条"]
        if self.guessed:
            parts.append(guessed_kind(self.kind))
        return "；".join(parts)


def guessed_kind(kind: str) -> str:
    return f"按名称推断为{AGENCY_KINDS.get(kind, kind)}"


def due_date(report: Report, ctx: Context) -> Due | None:
    """The report's deadline: by its agency's kind (条例第四十九条) or the jurisdiction's setting."""
    if report.year is None:
        return None
    kind, guessed = ctx.config.kind_for(report)
    dl, kind, jur = ctx.config.deadline_for(report.agency, kind)
    configured = kind == "township" and jur is None and ctx.config.township_deadline is not None
    nominal = date(report.year + 1, dl.month, dl.day)
    effective, provisional = ctx.calendar.roll_forward(nominal)
    return Due(nominal, effective, kind, guessed, jur, provisional, configured)


#: whose report, in the words of 条例第四十九条
_KIND_ZH = {"government": "本级政府年报", "dispatched": "派出机关、管委会本级年报", "department": "部门年报",
            "government_office": "部门年报", "township": "乡镇、街道年报"}


@rule("time.E001", title="年报公布晚于期限", tags={"time"}, spec=(18,),
      hint="县级以上人民政府部门（含政府办公厅（室））的年报应在每年1月31日前公布，本级政府年报（派出机关、管委会"
           "代行本级政府职能的同）应在3月31日前公布（条例第四十九条）；乡镇、街道和本地另有规定的按设置",
      example="发布日期 2022年4月6日，晚于本级政府年报的公布期限 2022年3月31日（条例第四十九条）")
def published_late(report: Report, ctx: Context) -> Iterator[Draft]:
    """发布日期不得晚于期限，期限按机关类别（``Report.agency_kind``，未给出时按名称推断并在结果中说明）：
    县级以上人民政府部门和政府办公厅（室）次年1月31日，人民政府本级年报及代行本级政府职能的派出机关、管委会
    （如平潭综合实验区管委会）次年3月31日（条例第四十九条）；条例未规定乡镇、街道的期限，默认按3月31日核对，
    可在设置中为乡镇（township）或辖区另定；期限最后一日是休息日的，顺延至其后第一个工作日。"""
    if report.published is None:
        return
    due = due_date(report, ctx)
    if due is None or report.published <= due.effective:
        return
    extra = f"（期限日为休息日，顺延至{_zh(due.effective)}）" if due.effective != due.nominal else ""
    flag = "（日历尚未公布，按周末及法定节日推算）" if due.provisional and due.effective != due.nominal else ""
    prov = report.meta_provenance.get("published")
    yield Draft(f"发布日期 {_zh(report.published)}，晚于{_KIND_ZH.get(due.kind, '年报')}的公布期限 {_zh(due.nominal)}"
                f"（{due.basis}）{extra}{flag}",
                at=Location(label="发布日期", loc=prov.loc if prov else None))


@rule("time.I001", title="未读出发布日期", tags={"time", "metadata"}, spec=(18,),
      hint="在正文末尾机关署名下写明成文或发布日期",
      example="未能读出发布日期，无法核对是否在 2022年3月31日 前公布")
def published_missing(report: Report, ctx: Context) -> Iterator[Draft]:
    """读不出发布日期时，无法核对是否按时公布。"""
    if report.published is not None or report_blank(report, ctx):
        return
    due = due_date(report, ctx)
    if due is None:
        return
    yield Draft(f"未能读出发布日期，无法核对是否在 {_zh(due.nominal)} 前公布（{due.basis}）",
                at=Location(label="发布日期"))
