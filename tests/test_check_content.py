"""Missing content, never missing numbers (issue 8 item 5): a report that renumbers its sections
after an added one, or retitles one, carries the six contents all the same; only a content found
nowhere is reported, by its name and without its ordinal."""

from __future__ import annotations

import gongkai
from check_texts import PROBLEMS, portal_text

RENUMBERED = portal_text(normative="20 1 55").replace(
    "五、存在的主要问题及改进情况", "五、信息处理费收取情况本年度未收取信息处理费。六、存在的主要问题及改进情况").replace(
    "六、其他需要报告的事项本年度未收取信息处理费。", "七、其他需要报告的事项无。")


def _structure(text: str) -> list[str]:
    r = gongkai.parse(text.encode(), name="t.txt")
    return [f"{f.id} {f.message}" for f in gongkai.validate(r, select=["struct.E001", "struct.E002"]).findings]


def test_renumbered_sections_are_not_missing() -> None:
    assert "六、存在的主要问题及改进情况" in RENUMBERED and "七、其他需要报告的事项" in RENUMBERED
    assert _structure(RENUMBERED) == []


def test_retitled_problems_section_is_not_missing() -> None:
    text = portal_text(normative="20 1 55").replace("五、存在的主要问题及改进情况", "五、工作中的不足之处及下一步打算")
    assert _structure(text) == []


def test_content_found_nowhere_is_named_without_its_number() -> None:
    text = portal_text(normative="20 1 55").replace(PROBLEMS, "")
    assert _structure(text) == ["struct.E001 未见“存在的主要问题及改进情况”的内容"]


def test_fee_statement_is_required_from_the_2021_format_on() -> None:
    from check_support import good

    def fee_findings(year: int) -> list[str]:
        r = good(year=year)
        r.sections["other"] = "无其他需要报告的事项。"
        return [f.message for f in gongkai.validate(r, select=["content.W001"]).findings]

    # the 2021 format asks for 信息处理费 in 六 (国办公开办函〔2021〕30号); the 2019 trial format did not
    assert fee_findings(2020) == []
    assert fee_findings(2021) == ["“六、其他需要报告的事项”未说明信息处理费的收取情况"]
