"""Portal text versions written for the checker's tests, shaped like the real ones in
../shared/samples/wild: a header block, then the whole report on one line with every table row's
cells glued together (``行政规范性文件20155``).  The words are our own; the shapes are real.
"""

from __future__ import annotations

from gongkai.formats import get_format

F21 = get_format("2021")

HEADER = """标题: {agency}{year}年政府信息公开工作年度报告
发布时间: {published} 09:30
文号:
发布机构: 办公室
栏目: 政府信息公开年报
==================== 正文 ====================
"""

PREAMBLE = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布{agency}{year}年政府信息公开工作"
            "年度报告。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}"
            "办公室联系（电话：0591-23160000）。")
OVERVIEW = ("一、总体情况{year}年，{agency}认真贯彻落实《条例》要求，以公开为常态、不公开为例外，持续推进政府信息公开工作。"
            "（一）主动公开情况。依托门户网站及时发布机构职能、政策文件、工作动态等信息。{requests_text}"
            "（三）政府信息管理情况。严格落实信息发布审核制度，做好政策文件动态更新。")
PROBLEMS = ("五、存在的主要问题及改进情况一是政策解读形式较为单一；二是信息更新不够及时。下一步将加强业务培训，"
            "丰富解读形式，提升公开质量。")
OTHER = "六、其他需要报告的事项本年度未收取信息处理费。"


def _glued(values: list[int] | str) -> str:
    return values if isinstance(values, str) else "".join(str(v) for v in values)


def requests_block(rows: dict[str, list[int] | str]) -> str:
    """Table 三 as a portal text prints it: each label, then its seven cells glued (zeros by default)."""
    spec = F21.table("requests")
    out = ["三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
           "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]
    group = None
    for r in spec.rows:
        if r.group and r.group != group and not r.group.startswith("三"):
            out.append(r.group)
        if r.group and r.group.startswith("三") and group is None:
            out.append("三、本年度办理结果")
        group = r.group or group
        out.append(r.label + _glued(rows.get(r.key, [0] * 7)))
    return "".join(out)


def portal_text(agency: str = "平潭综合实验区测试局", year: int = 2023, *, published: str | None = None,
                normative: str = "20155", requests: dict[str, list[int] | str] | None = None,
                requests_text: str = "", appeals: str = "000000000000000") -> str:
    """A 2021-format portal text version.  ``normative``: the glued 行政规范性文件 row of table 二."""
    body = "".join([
        PREAMBLE.format(agency=agency, year=year),
        OVERVIEW.format(agency=agency, year=year, requests_text=requests_text),
        "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 0 0 0"
        f"行政规范性文件 {normative}第二十条第（五）项信息内容本年处理决定数量行政许可0 第二十条第（六）项信息内容 "
        "本年处理决定数量行政处罚 0行政强制 0 第二十条第（八）项信息内容 本年收费金额（单位：万元）行政事业性收费0",
        requests_block(requests or {}),
        "四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
        "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计" + appeals,
        PROBLEMS,
        OTHER,
    ])
    return HEADER.format(agency=agency, year=year, published=published or f"{year + 1}-01-15") + body + "\n"
