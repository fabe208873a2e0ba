"""Sections found by meaning, not only by number (issue 8 item 5): a report that adds a section and
renumbers the rest (五、信息处理费收取情况 then 六、存在的主要问题… 七、其他需要报告的事项), or retitles one
(五、工作中的不足之处及下一步打算), is read with its six contents; a content found nowhere is reported
by its name, never by its number.  Texts are portal text versions shaped like the real ones."""

from __future__ import annotations

import gongkai
from check_texts import OTHER, PROBLEMS, portal_text

BASE = portal_text(normative="20 1 55")


def _read(text: str) -> gongkai.Report:
    return gongkai.parse(text.encode(), name="t.txt")


def _structure(report: gongkai.Report) -> list[str]:
    return [f"{f.id} {f.message}" for f in gongkai.validate(report, select=["struct.E001", "struct.E002"]).findings]


def test_an_added_section_and_renumbered_ones() -> None:
    text = BASE.replace(PROBLEMS, "五、信息处理费收取情况本年度未收取信息处理费。" + PROBLEMS.replace("五、", "六、")).replace(
        OTHER, "七、其他需要报告的事项无。")
    report = _read(text)
    assert report.headings["problems"].text == "六、存在的主要问题及改进情况"
    assert report.sections["problems"].startswith("一是政策解读形式较为单一")
    assert report.headings["other"].text == "七、其他需要报告的事项"
    assert report.sections["other"] == "无。"
    assert not [w for w in report.warnings if w.id == "section.missing"]
    assert _structure(report) == []


def test_an_added_section_after_the_problems() -> None:
    text = BASE.replace(OTHER, "六、信息处理费收取情况本年度未收取信息处理费。七、其他需要报告的事项无。")
    report = _read(text)
    assert report.headings["problems"].text == "五、存在的主要问题及改进情况"
    assert report.headings["other"].text == "六、信息处理费收取情况"  # the fees are 六's content in the format
    assert "七、其他需要报告的事项无。" in report.sections["other"]
    assert _structure(report) == []


def test_a_retitled_problems_section() -> None:
    report = _read(BASE.replace("五、存在的主要问题及改进情况", "五、工作中的不足之处及下一步打算"))
    # the heading is cut after its keyword on a glued line (the words that follow may be the text's)
    assert report.headings["problems"].text.startswith("五、工作中的不足")
    assert "一是政策解读形式较为单一" in report.sections["problems"]
    assert _structure(report) == []


def test_a_content_found_nowhere_is_named_without_its_number() -> None:
    report = _read(BASE.replace(PROBLEMS, ""))
    notices = [w.message for w in report.warnings if w.id == "section.missing"]
    assert notices == ["未找到“存在的主要问题及改进情况”部分的标题"]
    assert _structure(report) == ["struct.E001 未见“存在的主要问题及改进情况”的内容"]


def test_a_sub_item_inside_the_narrative_is_not_a_renumbered_heading() -> None:
    # （五）… and 五是… in the overview never stand for section 五
    text = BASE.replace("（三）政府信息管理情况。", "（五）存在问题的整改情况。五是存在问题逐项整改。（三）政府信息管理情况。")
    report = _read(text)
    assert report.headings["problems"].text == "五、存在的主要问题及改进情况"


def test_an_added_section_early_renumbers_the_table_sections() -> None:
    text = BASE
    for old, new in [("六、其他需要报告的事项", "七、其他需要报告的事项"), ("五、存在的主要问题", "六、存在的主要问题"),
                     ("四、政府信息公开行政复议", "五、政府信息公开行政复议"),
                     ("三、收到和处理政府信息公开申请情况（", "四、收到和处理政府信息公开申请情况（"),
                     ("二、主动公开政府信息情况", "二、重点领域信息公开情况本年度重点领域信息公开及时。三、主动公开政府信息情况")]:
        assert old in text
        text = text.replace(old, new)
    report = _read(text)
    assert [h.text for h in report.headings.values()] == [
        "一、总体情况", "三、主动公开政府信息情况", "四、收到和处理政府信息公开申请情况", "五、政府信息公开行政复议、行政诉讼情况",
        "六、存在的主要问题及改进情况", "七、其他需要报告的事项"]
    assert all(t.present for t in report.tables.values())
    assert not [w for w in report.warnings if w.id == "section.missing"]
    assert _structure(report) == []


def test_a_narrative_enumeration_is_not_a_renumbered_heading() -> None:
    # 二是主动公开… (an enumeration in the narrative, no 、) never stands for a renumbered section
    text = BASE.replace("（三）政府信息管理情况。", "二是主动公开政府信息情况良好。（三）政府信息管理情况。")
    assert _read(text).headings["proactive"].text == "二、主动公开政府信息情况"
