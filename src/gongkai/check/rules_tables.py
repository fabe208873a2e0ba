"""Arithmetic inside one report (RULES.md 1–7).

The identities are not typed here: rules evaluate ``TableSpec.identities`` of the report's own
format, so a new edition's tables are checked by the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..formats import Identity, identities
from ..model import NA, Report, Table
from ..values import Value
from .context import Context, cell_at, col_name, fmt_num, row_name, table_name
from .engine import Draft, rule
from .reading import is_unsure, table_blank, unsure_cells

# -- identities ------------------------------------------------------------------------------


def _term_names(ident: Identity, left: int, right: int) -> tuple[list[str], list[str]] | None:
    """Short names of the terms, taken from the identity's own title when it names each term."""
    lhs, _, rhs = ident.title.partition(" = ")
    ln = [s.strip() for s in lhs.split(" + ")]
    rn = [s.strip() for s in rhs.split(" + ")]
    if len(ln) == left and len(rn) == right:
        return ln, rn
    return None


def _identity_text(table: Table, ident: Identity, left: tuple[str, ...], right: tuple[str, ...],
                   lv: list[int | Decimal], rv: list[int | Decimal]) -> str:
    spec = table.spec
    names = _term_names(ident, len(left), len(right))
    if names is not None:
        ls = " + ".join(f"{n} {fmt_num(v)}" for n, v in zip(names[0], lv, strict=True))
        rs = " + ".join(f"{n} {fmt_num(v)}" for n, v in zip(names[1], rv, strict=True))
        return f"{ls} ≠ {rs}"

    def term_label(k: str) -> str:
        return row_name(spec, k) if ident.axis == "column" else col_name(spec, k)

    def side(keys: tuple[str, ...], vals: list[int | Decimal]) -> str:
        if len(keys) == 1:
            return f"{term_label(keys[0])} {fmt_num(vals[0])}"
        nonzero = [f"{term_label(k)} {fmt_num(v)}" for k, v in zip(keys, vals, strict=True) if v]
        detail = "，其中" + " + ".join(nonzero) if nonzero else ""
        return f"各项之和 {fmt_num(sum(vals))}（共{len(keys)}项{detail}）"

    return f"{side(left, lv)} ≠ {side(right, rv)}"


def check_identity(report: Report, table_key: str, ident_key: str, ctx: Context | None = None) -> Iterator[Draft]:
    table = report.table(table_key)
    if not table.present:
        return
    spec = table.spec
    unsure = unsure_cells(table, ctx)
    # lines that hold, or with blanks and “/” (the blank rule says which identity could not be
    # checked), are not failures
    for ev in identities.failures(table, ident_key):
        lnum = [v for v in ev.left_values if isinstance(v, (int, Decimal))]
        rnum = [v for v in ev.right_values if isinstance(v, (int, Decimal))]
        text = _identity_text(table, ev.identity, ev.left, ev.right, lnum, rnum)
        line = ev.line
        if ev.identity.axis == "column":
            where = f"{table_name(spec)}“{col_name(spec, line)}”列"
            at = cell_at(table, ev.right[0] if len(ev.right) == 1 else ev.left[0], line,
                         label=f"{table_name(spec)}/{col_name(spec, line)}")
        else:
            label = row_name(spec, line) if spec.key != "appeals" else _appeals_label(table, line)
            where = f"{table_name(spec)}“{label}”"
            where += "" if spec.key == "appeals" else "行"
            at = cell_at(table, line, ev.left[0], label=f"{table_name(spec)}/{label}")
        doubtful = [c for c in ev.cells() if c in unsure]
        if doubtful:
            # the sum fails over cells our reading is not sure of: reading uncertainty, not the
            # agency's arithmetic (struct.I002 says which cells and why)
            names = "、".join(f"“{row_name(spec, r)}”" if ev.identity.axis == "column" else col_name(spec, c)
                             for r, c in doubtful[:3])
            yield Draft(f"{where}：{text}（其中{names}{'等' if len(doubtful) > 3 else ''}的读取不确定，"
                        "不能据此认定报告有误，请对照原文核对）", at=at, about="reading")
            continue
        yield Draft(f"{where}：{text}", at=at)


def _appeals_label(table: Table, row: str) -> str:
    r = table.spec.row(row)
    return f"{r.group}·{r.label}" if r.group else r.label


@rule("t3.E001", title="申请数量收支平衡", tags={"table3", "arithmetic", "identity"}, spec=(1,),
      hint="核对“三、本年度办理结果”各项是否都计入了总计，以及结转数是否与上年一致",
      example="表三“总计”列：新收 12 + 上年结转 3 ≠ 办理结果总计 13 + 结转下年度 1")
def requests_balance(report: Report, ctx: Context) -> Iterator[Draft]:
    """表三逐列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（表格左上角注明的勾稽关系）。"""
    return check_identity(report, "requests", "balance", ctx)


@rule("t3.E002", title="办理结果总计等于各项之和", tags={"table3", "arithmetic", "identity"}, spec=(2,),
      hint="“（七）总计”应为（一）至（六）各项之和，核对是否漏计或重复计入",
      example="表三“自然人”列：（七）总计 21 ≠ 各项之和 20（共21项，其中（一）予以公开 20）")
def requests_results(report: Report, ctx: Context) -> Iterator[Draft]:
    """表三逐列：（七）总计 = 予以公开、部分公开、不予公开8项、无法提供3项、不予处理5项、其他处理3项之和
    （2019年格式或未细分时，“（六）其他处理”按一行计入）。"""
    return check_identity(report, "requests", "results", ctx)


@rule("t3.E003", title="总计列等于各申请人列之和", tags={"table3", "arithmetic", "identity"}, spec=(3,),
      hint="“总计”列应为自然人与法人或其他组织五列之和",
      example="表三“（一）予以公开”行：总计 5 ≠ 各项之和 4（共6项，其中自然人 4）")
def requests_row_total(report: Report, ctx: Context) -> Iterator[Draft]:
    """表三逐行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。"""
    return check_identity(report, "requests", "row_total", ctx)


@rule("t4.E001", title="复议、诉讼总计等于各结果之和", tags={"table4", "arithmetic", "identity"}, spec=(4,),
      hint="每组的“总计”应为结果维持、结果纠正、其他结果、尚未审结之和",
      example="表四“行政复议”：总计 0 ≠ 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0")
def appeals_total(report: Report, ctx: Context) -> Iterator[Draft]:
    """表四每组（行政复议、未经复议直接起诉、复议后起诉）：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。"""
    return check_identity(report, "appeals", "total", ctx)


# -- cell values (rule 5) and blanks (rule 6) -------------------------------------------------


def _value_problem(kind: str, v: Value) -> str | None:
    if v is None or v == NA:
        return None
    if kind in ("count", "delta"):
        if isinstance(v, Decimal) and v != v.to_integral_value():
            return "应为整数"
        if kind == "count" and v < 0:
            return "不能为负数"
        return None
    if v < 0:
        return "金额不能为负数"
    return None


def _plain(v: Value) -> bool:
    """A value ``_value_problem`` finds nothing wrong with in any kind of column: a blank, "NA"
    or a whole number not below zero."""
    return v is None or (type(v) is int and v >= 0) or v == NA


def check_values(report: Report, table_key: str) -> Iterator[Draft]:
    table = report.table(table_key)
    if not table.present:
        return
    if all(_plain(cell.value) for cell in table.cells.values()):
        return  # nothing to say about any cell (the common case), without walking them in order
    kinds = {col.key: col.kind for col in table.spec.columns}
    for r, c, cell in table.items():
        if is_unsure(cell):
            continue  # a figure our reading is not sure of (struct.I002), not the agency's
        problem = _value_problem(kinds[c], cell.value)
        if problem:
            at = cell_at(table, r, c)
            yield Draft(f"{at.label}：{fmt_num(cell.value)} {problem}", at=at)


@rule("t2.E001", title="表二数值合法", tags={"table2", "values"}, spec=(5,),
      hint="件数、数量填非负整数；收费金额填以万元为单位的非负数；2019年格式“本年增/减”可为负数",
      example="表二/行政规范性文件/本年制发件数：-1 不能为负数")
def proactive_values(report: Report, ctx: Context) -> Iterator[Draft]:
    """表二每个件数是非负整数（2019年格式的“本年增/减”可为负），收费金额是非负数。"""
    return check_values(report, "proactive")


@rule("t3.E004", title="表三数值为非负整数", tags={"table3", "values"}, spec=(5,),
      hint="申请件数只能是非负整数", example="表三/（一）予以公开/自然人：2.5 应为整数")
def requests_values(report: Report, ctx: Context) -> Iterator[Draft]:
    """表三每个数字都是非负整数。"""
    return check_values(report, "requests")


@rule("t4.E002", title="表四数值为非负整数", tags={"table4", "values"}, spec=(5,),
      hint="复议、诉讼件数只能是非负整数", example="表四/行政复议/结果维持：-1 不能为负数")
def appeals_values(report: Report, ctx: Context) -> Iterator[Draft]:
    """表四每个数字都是非负整数。"""
    return check_values(report, "appeals")


def check_blanks(report: Report, table_key: str, na_blocks: bool, ctx: Context | None = None) -> Iterator[Draft]:
    """Blank cells the agency left; cells our reading left open are struct.I002's, a table blank
    from end to end is struct.W003's (one finding, not one per row)."""
    table = report.table(table_key)
    if not table.present or table_blank(table, ctx):
        return
    spec = table.spec
    unsure = unsure_cells(table, ctx)
    cells = table.cells
    for r in table.row_keys():
        vals = [(c, cells[(r, c)].value) for c in spec.column_keys(r) if (r, c) in cells and (r, c) not in unsure]
        blank = [c for c, v in vals if v is None]
        na = [c for c, v in vals if v == NA] if na_blocks else []
        if not blank and not na:
            continue
        affected = []
        for ident in spec.identities:
            terms = ident.left + ident.right
            hit = (ident.axis == "column" and (r in terms or any(
                r == col.key and set(col.replaces) & set(terms) for col in spec.collapsed))) or \
                  (ident.axis == "row" and set(blank + na) & set(terms))
            if hit:
                affected.append(ident.title)
        parts = []
        if blank:
            parts.append("、".join(col_name(spec, c) for c in blank) + " 为空白")
        if na:
            parts.append("、".join(col_name(spec, c) for c in na) + " 填写了“/”等非数字")
        label = row_name(spec, r)
        msg = f"{table_name(spec)}“{label}”行：{'；'.join(parts)}"
        if affected:
            msg += "；因此无法核对：" + "；".join(affected)
        yield Draft(msg, at=cell_at(table, r, (blank + na)[0]))


@rule("t2.W001", title="表二有空白单元格", tags={"table2", "blank"}, spec=(6,),
      hint="没有发生的事项填 0，不适用的填“/”，不要留空",
      example="表二“规章”行：本年制发件数 为空白")
def proactive_blanks(report: Report, ctx: Context) -> Iterator[Draft]:
    """表二应填数字的单元格为空白（“/”表示不适用，不算空白）。读取时无法确定的单元格（如连写数字有多种拆分）
    不是报告留空，见 struct.I002；整张表格空白的见 struct.W003。"""
    return check_blanks(report, "proactive", na_blocks=False, ctx=ctx)


@rule("t3.W001", title="表三有空白或非数字单元格", tags={"table3", "blank"}, spec=(6,),
      hint="没有发生的事项填 0，不要留空或填“/”",
      example="表三“（一）予以公开”行：自然人 为空白；因此无法核对：新收 + 上年结转 = 办理结果总计 + 结转下年度")
def requests_blanks(report: Report, ctx: Context) -> Iterator[Draft]:
    """表三单元格为空白或填了“/”，并说明因此无法核对哪些勾稽关系。读取时无法确定的单元格不算报告留空
    （见 struct.I002）；整张表格空白的见 struct.W003。"""
    return check_blanks(report, "requests", na_blocks=True, ctx=ctx)


@rule("t4.W001", title="表四有空白或非数字单元格", tags={"table4", "blank"}, spec=(6,),
      hint="没有发生的事项填 0，不要留空或填“/”",
      example="表四“行政复议”行：总计 为空白；因此无法核对：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")
def appeals_blanks(report: Report, ctx: Context) -> Iterator[Draft]:
    """表四单元格为空白或填了“/”，并说明因此无法核对哪些勾稽关系。读取时无法确定的单元格不算报告留空
    （见 struct.I002）；整张表格空白的见 struct.W003。"""
    return check_blanks(report, "appeals", na_blocks=True, ctx=ctx)


# -- units (rule 7) --------------------------------------------------------------------------




@rule("t2.W002", title="收费金额单位可疑", tags={"table2", "units"}, spec=(7,),
      hint="“本年收费金额”以万元为单位：1,2000 元应填 1.2",
      example="表二/行政事业性收费/本年收费金额（单位：万元）：12000 万元，对乡镇一级明显偏大，可能把“元”填进了“万元”栏")
def fee_units(report: Report, ctx: Context) -> Iterator[Draft]:
    """表二金额单元格的单位：以万元计的收费金额看起来像是按元填写（整数且达到阈值，乡镇阈值更低），
    或单元格里写的单位（元、件）与表头单位不符。"""
    table = report.table("proactive")
    if not table.present:
        return
    spec = table.spec
    township = ctx.config.kind_for(report)[0] == "township"
    limit = ctx.config.fees_yuan_township if township else ctx.config.fees_yuan
    for r, c, cell in table.items():
        if is_unsure(cell):
            continue
        col = spec.column(c)
        header_unit = "万元" if "万元" in col.label else None
        if cell.unit:
            wrong = (header_unit and cell.unit != header_unit) or (col.kind == "count" and cell.unit in ("元", "万元"))
            if wrong:
                at = cell_at(table, r, c)
                yield Draft(f"{at.label}：填写为“{cell.text or fmt_num(cell.value)}”，单位“{cell.unit}”与表头"
                            f"“{col.label}”不符", at=at)
                continue
        v = cell.value
        if header_unit == "万元" and isinstance(v, (int, Decimal)) and v >= limit and v == int(v):
            at = cell_at(table, r, c)
            who = "乡镇一级" if township else "一个机关"
            yield Draft(f"{at.label}：{fmt_num(v)} 万元，对{who}明显偏大，可能把“元”填进了“万元”栏"
                        f"（阈值 {limit} 万元）", at=at)
