"""Text against tables, precisely (issue 8 item 6): a figure in the narrative is compared only with
the quantity it names.  The reports are portal text versions in our own words; the quoted
sentence fragments are real (淮安市洪泽区人民政府 2024, 平潭 reports)."""

from __future__ import annotations

import pytest

import gongkai
from check_texts import portal_text

Rows = dict[str, list[int] | str]


def _requests(new: int, granted: int, partial: int = 0) -> Rows:
    """Table 三 of natural persons only: ``new`` received, all answered (granted, partial, the rest not held)."""
    rest = new - granted - partial
    return {"new": [new, 0, 0, 0, 0, 0, new], "granted": [granted, 0, 0, 0, 0, 0, granted],
            "partial": [partial, 0, 0, 0, 0, 0, partial], "unavailable.not_held": [rest, 0, 0, 0, 0, 0, rest],
            "results_total": [new, 0, 0, 0, 0, 0, new]}


def _text_findings(text: str, rows: Rows, agency: str = "测试区人民政府") -> list[str]:
    report = gongkai.parse(portal_text(agency, 2024, requests=rows, requests_text=text).encode(), name="t.txt")
    assert report.table("requests").value("new", "total") == rows["new"][-1]  # the table was read as printed
    return [f"{f.id} {f.message}" for f in gongkai.validate(report, select=["text"]).findings]


@pytest.mark.parametrize(("text", "rows"), [
    # another body acting for the government: not the government's whole table (95 received)
    ("（二）依申请公开情况。2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。",
     _requests(95, 50, 9)),
    # 三个 counts 方面, not requests
    ("（二）依申请公开情况。收到的政府信息公开申请主要涉及三个方面：征地拆迁、统计数据和项目审批。", _requests(12, 8)),
    # a wider area than the agency's own table
    ("（二）依申请公开情况。2024年，全区共受理政府信息公开申请30件，均在法定期限内答复。", _requests(12, 8)),
    # a part of the requests (by channel), not their number
    ("（二）依申请公开情况。共收到申请12件，其中网络申请5件，信函申请7件。", _requests(12, 8)),
    # granted and partial together
    ("（二）依申请公开情况。全年收到政府信息公开申请45件，予以公开及部分公开42件。", _requests(45, 40, 2)),
    # a comparison with last year, an estimate
    ("（二）依申请公开情况。全年受理政府信息公开申请同比增加6件。", _requests(12, 8)),
    ("（二）依申请公开情况。全年受理政府信息公开申请约20件。", _requests(12, 8)),
    # 5个工作日 is a time limit
    ("（二）依申请公开情况。收到申请后平均5个工作日内答复。", _requests(12, 8)),
], ids=["acting-for", "aspects", "wider-area", "part", "granted-and-partial", "comparison", "estimate", "days"])
def test_figure_of_another_quantity_is_not_compared(text: str, rows: Rows) -> None:
    assert _text_findings(text, rows) == []


def test_granted_and_partial_are_compared_with_their_sum() -> None:
    text = "（二）依申请公开情况。全年收到政府信息公开申请45件，予以公开及部分公开42件。"
    assert _text_findings(text, _requests(45, 40, 1)) == [
        "text.E001 “予以公开及部分公开42件”与表三“（一）予以公开”与“（二）部分公开”总计之和 41 不符"]


def test_figure_naming_the_quantity_is_still_compared() -> None:
    # 平潭综合实验区综合执法与应急管理局 2024: the narrative says 4 requests over a table of none
    text = "（二）依申请公开方面。2024年度，我局共收到政府信息公开申请4件，受理并办结3件。"
    assert _text_findings(text, _requests(0, 0)) == [
        "text.E001 “共收到政府信息公开申请4件”与表三“一、本年新收政府信息公开申请数量”总计 0 不符"]
    # the same figure with a breakdown after it: the total is compared, the part is not
    text = "（二）依申请公开情况。共收到申请12件，其中网络申请5件。其中予以公开5件。"
    assert _text_findings(text, _requests(12, 8)) == [
        "text.E001 “予以公开5件”与表三“（一）予以公开”总计 8 不符"]
