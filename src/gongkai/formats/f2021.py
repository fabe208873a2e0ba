"""国办公开办函〔2021〕30号: the format for report years 2021 and later."""

from __future__ import annotations

from .spec import (
    Collapsed,
    ColumnSpec,
    FormatSpec,
    Identity,
    RowSpec,
    SectionSpec,
    TableSpec,
)

SECTIONS = (
    SectionSpec("overview", "一", "一、总体情况", ("总体情况",)),
    SectionSpec("proactive", "二", "二、主动公开政府信息情况", ("主动公开政府信息情况", "主动公开情况"),
                table="proactive"),
    SectionSpec("requests", "三", "三、收到和处理政府信息公开申请情况",
                ("收到和处理政府信息公开申请", "收到和处理政府信息公开申请情况", "政府信息公开申请情况"),
                table="requests"),
    SectionSpec("appeals", "四", "四、政府信息公开行政复议、行政诉讼情况",
                ("行政复议", "行政诉讼"), table="appeals"),
    SectionSpec("problems", "五", "五、存在的主要问题及改进情况", ("存在的主要问题", "主要问题", "存在问题")),
    SectionSpec("other", "六", "六、其他需要报告的事项", ("其他需要报告的事项", "其他事项", "其他需要报告")),
)

_C1 = "第二十条第（一）项"
_C5 = "第二十条第（五）项"
_C6 = "第二十条第（六）项"
_C8 = "第二十条第（八）项"

PROACTIVE = TableSpec(
    key="proactive",
    number="二",
    title="主动公开政府信息情况",
    corner="信息内容",
    columns=(
        ColumnSpec("issued", "本年制发件数", aliases=("本年新制发件数",)),
        ColumnSpec("repealed", "本年废止件数"),
        ColumnSpec("in_force", "现行有效件数"),
        ColumnSpec("decisions", "本年处理决定数量"),
        ColumnSpec("amount", "本年收费金额（单位：万元）", kind="amount"),
    ),
    rows=(
        RowSpec("rules", "规章", caption=_C1, columns=("issued", "repealed", "in_force")),
        RowSpec("normative_documents", "行政规范性文件", caption=_C1,
                columns=("issued", "repealed", "in_force"), aliases=("规范性文件",)),
        RowSpec("licensing", "行政许可", caption=_C5, columns=("decisions",)),
        RowSpec("punishment", "行政处罚", caption=_C6, columns=("decisions",)),
        RowSpec("coercion", "行政强制", caption=_C6, columns=("decisions",)),
        RowSpec("fees", "行政事业性收费", caption=_C8, columns=("amount",)),
    ),
)

APPLICANT_COLUMNS = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("commercial", "商业企业", group="法人或其他组织"),
    ColumnSpec("research", "科研机构", group="法人或其他组织"),
    ColumnSpec("social_welfare", "社会公益组织", group="法人或其他组织"),
    ColumnSpec("legal_service", "法律服务机构", group="法人或其他组织"),
    ColumnSpec("other_org", "其他", group="法人或其他组织"),
    ColumnSpec("total", "总计"),
)

_G3 = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNAVAIL = "（四）无法提供"
_NOTPROC = "（五）不予处理"
_OTHER = "（六）其他处理"

REQUESTS_HEAD = (
    RowSpec("new", "一、本年新收政府信息公开申请数量", aliases=("本年新收政府信息公开申请数量", "本年新收")),
    RowSpec("carried_over", "二、上年结转政府信息公开申请数量",
            aliases=("上年结转政府信息公开申请数量", "上年结转")),
    RowSpec("granted", "（一）予以公开", group=_G3, result=True, aliases=("予以公开",)),
    RowSpec("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", group=_G3, result=True,
            aliases=("（二）部分公开", "部分公开")),
    RowSpec("denied.state_secret", "1.属于国家秘密", group=_DENIED, result=True, aliases=("国家秘密",)),
    RowSpec("denied.law_prohibited", "2.其他法律行政法规禁止公开", group=_DENIED, result=True,
            aliases=("法规禁止公开", "其他法律行政", "禁止公开")),
    RowSpec("denied.three_safety", "3.危及“三安全一稳定”", group=_DENIED, result=True,
            aliases=("三安全一稳定", "危及")),
    RowSpec("denied.third_party", "4.保护第三方合法权益", group=_DENIED, result=True,
            aliases=("第三方合法权益", "第三方")),
    RowSpec("denied.internal_affairs", "5.属于三类内部事务信息", group=_DENIED, result=True,
            aliases=("内部事务",)),
    RowSpec("denied.process_info", "6.属于四类过程性信息", group=_DENIED, result=True, aliases=("过程性信息",)),
    RowSpec("denied.enforcement_file", "7.属于行政执法案卷", group=_DENIED, result=True, aliases=("执法案卷",)),
    RowSpec("denied.query_matter", "8.属于行政查询事项", group=_DENIED, result=True, aliases=("查询事项",)),
    RowSpec("unavailable.not_held", "1.本机关不掌握相关政府信息", group=_UNAVAIL, result=True,
            aliases=("不掌握相关政府信息", "不掌握")),
    RowSpec("unavailable.needs_creation", "2.没有现成信息需要另行制作", group=_UNAVAIL, result=True,
            aliases=("另行制作", "没有现成信息")),
    RowSpec("unavailable.unclear", "3.补正后申请内容仍不明确", group=_UNAVAIL, result=True,
            aliases=("仍不明确", "补正后申请内容")),
    RowSpec("not_processed.petition", "1.信访举报投诉类申请", group=_NOTPROC, result=True,
            aliases=("信访举报投诉",)),
    RowSpec("not_processed.duplicate", "2.重复申请", group=_NOTPROC, result=True, aliases=("重复申请",)),
    RowSpec("not_processed.publication", "3.要求提供公开出版物", group=_NOTPROC, result=True,
            aliases=("公开出版物",)),
    RowSpec("not_processed.excessive", "4.无正当理由大量反复申请", group=_NOTPROC, result=True,
            aliases=("大量反复申请", "大量反复")),
    RowSpec("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", group=_NOTPROC, result=True,
            aliases=("确认或重新出具", "重新出具已获取信息")),
)

REQUESTS_OTHER_2021 = (
    RowSpec("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            group=_OTHER, result=True, aliases=("逾期不补正",)),
    RowSpec("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            group=_OTHER, result=True, aliases=("缴纳费用", "收费通知")),
    RowSpec("other.other", "3.其他", group=_OTHER, result=True, aliases=("其他",)),
)

REQUESTS_TAIL = (
    RowSpec("results_total", "（七）总计", group=_G3, aliases=("总计",)),
    RowSpec("carried_forward", "四、结转下年度继续办理", aliases=("结转下年度继续办理", "结转下年度")),
)

REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_TERMS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")


def requests_identities(result_rows: tuple[str, ...]) -> tuple[Identity, ...]:
    return (
        Identity("balance", "新收 + 上年结转 = 办理结果总计 + 结转下年度", "column",
                 ("new", "carried_over"), ("results_total", "carried_forward"), rule=1),
        Identity("results", "办理结果总计 = 各项办理结果之和", "column", ("results_total",), result_rows, rule=2),
        Identity("row_total", "总计 = 自然人 + 法人或其他组织各列之和", "row", ("total",), APPLICANT_TERMS, rule=3),
    )


_REQ_ROWS = REQUESTS_HEAD + REQUESTS_OTHER_2021 + REQUESTS_TAIL

REQUESTS = TableSpec(
    key="requests",
    number="三",
    title="收到和处理政府信息公开申请情况",
    corner=REQUESTS_CORNER,
    columns=APPLICANT_COLUMNS,
    header_groups=(("申请人情况", "natural_person", "total"), ("法人或其他组织", "commercial", "other_org")),
    rows=_REQ_ROWS,
    identities=requests_identities(tuple(r.key for r in _REQ_ROWS if r.result)),
    collapsed=(Collapsed("other", _OTHER, tuple(r.key for r in REQUESTS_OTHER_2021)),),
)

_OUTCOMES = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计"),
)

APPEALS = TableSpec(
    key="appeals",
    number="四",
    title="政府信息公开行政复议、行政诉讼情况",
    columns=_OUTCOMES,
    rows=(
        RowSpec("review", "行政复议"),
        RowSpec("suit_direct", "未经复议直接起诉", group="行政诉讼"),
        RowSpec("suit_after_review", "复议后起诉", group="行政诉讼"),
    ),
    identities=(
        Identity("total", "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结", "row",
                 ("total",), ("upheld", "corrected", "other", "pending"), rule=4),
    ),
)

FORMAT = FormatSpec(
    id="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    source="国办公开办函〔2021〕30号",
    issued="2021-09-26",
    first_year=2021,
    last_year=None,
    sections=SECTIONS,
    tables=(PROACTIVE, REQUESTS, APPEALS),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
)
