"""国办公开办函〔2019〕60号 格式（试行）: report years 2019 and 2020.

Table 三 and table 四 are those of 2021 except that （六）其他处理 is a single row; table 二 differs.
"""

from __future__ import annotations

from dataclasses import replace

from . import f2021
from .spec import ColumnSpec, FormatSpec, RowSpec, TableSpec

_C1 = "第二十条第（一）项"
_C5 = "第二十条第（五）项"
_C6 = "第二十条第（六）项"
_C8 = "第二十条第（八）项"
_C9 = "第二十条第（九）项"
_DOCS = ("made", "published", "total_public")
_ITEMS = ("prev_items", "change", "decisions")

PROACTIVE = TableSpec(
    key="proactive",
    number="二",
    title="主动公开政府信息情况",
    corner="信息内容",
    columns=(
        ColumnSpec("made", "本年新制作数量"),
        ColumnSpec("published", "本年新公开数量"),
        ColumnSpec("total_public", "对外公开总数量"),
        ColumnSpec("prev_items", "上一年项目数量"),
        ColumnSpec("change", "本年增/减", kind="delta", aliases=("本年增减",)),
        ColumnSpec("decisions", "处理决定数量"),
        ColumnSpec("projects", "采购项目数量"),
        ColumnSpec("amount", "采购总金额", kind="amount_unit"),
    ),
    rows=(
        RowSpec("rules", "规章", caption=_C1, columns=_DOCS),
        RowSpec("normative_documents", "规范性文件", caption=_C1, columns=_DOCS, aliases=("行政规范性文件",)),
        RowSpec("licensing", "行政许可", caption=_C5, columns=_ITEMS),
        RowSpec("other_services", "其他对外管理服务事项", caption=_C5, columns=_ITEMS,
                aliases=("其他对外管理服务",)),
        RowSpec("punishment", "行政处罚", caption=_C6, columns=_ITEMS),
        RowSpec("coercion", "行政强制", caption=_C6, columns=_ITEMS),
        RowSpec("fees", "行政事业性收费", caption=_C8, columns=("prev_items", "change")),
        RowSpec("procurement", "政府集中采购", caption=_C9, columns=("projects", "amount")),
    ),
)

_OTHER_ROW = RowSpec("other", "（六）其他处理", group="三、本年度办理结果", result=True, aliases=("其他处理",))
_ROWS = (*f2021.REQUESTS_HEAD, _OTHER_ROW, *f2021.REQUESTS_TAIL)

REQUESTS = replace(
    f2021.REQUESTS,
    rows=_ROWS,
    identities=f2021.requests_identities(tuple(r.key for r in _ROWS if r.result)),
    collapsed=(),
)

FORMAT = FormatSpec(
    id="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    source="国办公开办函〔2019〕60号",
    issued=None,  # date of issue not in our sources; the document number identifies it
    first_year=2019,
    last_year=2020,
    sections=f2021.SECTIONS,
    tables=(PROACTIVE, REQUESTS, f2021.APPEALS),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "第二十条第（九）项", "政府集中采购", "上一年项目数量"),
)
