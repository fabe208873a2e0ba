"""Real published reports (../shared/samples): the defects a person sees in them are found.

Expected values come from reading the documents (pdftotext -layout of the PDF; the portal HTML).
"""

from __future__ import annotations

import pytest

import gongkai
from check_support import good, shared

SHARED = shared()
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/samples not available")


def test_huaian_hongze_2023_table4_totals_of_zero() -> None:
    # The PDF prints 行政复议 10 | 1 | 0 | 0 | total 0 and 复议后起诉 5 | 0 | 0 | 0 | total 0 (page 4).
    assert SHARED is not None
    r = gongkai.parse(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2023.pdf")
    res = gongkai.validate(r)
    t4 = [f.message for f in res.by_id("t4.E001")]
    assert t4 == ["表四“行政复议”：总计 0 ≠ 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0",
                  "表四“行政诉讼·复议后起诉”：总计 0 ≠ 结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0"]
    assert all(f.at.label for f in res.by_id("t4.E001"))
    # the 2023 PDF prints （六）其他处理 as one row under the 2021 format
    assert [f.message for f in res.by_id("struct.W001")] == [
        "表三“（六）其他处理”只有一行（试行格式的写法），2021年格式应分为3项"]
    # table 三 is consistent: 21 new = 4+1+1+1+10+3+1 results; narrative 受理政府信息公开申请 21 件
    assert not [f for f in res.findings if f.id.startswith(("t3.E", "text."))]


def test_portal_report_whose_narrative_contradicts_its_tables() -> None:
    # 平潭综合实验区行政审批局 2024: the text says 行政复议1起; table 四 prints 结果维持 1, 总计 0.
    assert SHARED is not None
    r = gongkai.parse(SHARED / "samples" / "portal" / "平潭综合实验区行政审批局-2024" / "page.html")
    res = gongkai.validate(r)
    assert "表四“行政复议”：总计 0 ≠ 结果维持 1 + 结果纠正 0 + 其他结果 0 + 尚未审结 0" in [
        f.message for f in res.by_id("t4.E001")]
    assert "“行政复议1起”与表四“行政复议”总计 0 不符" in [f.message for f in res.by_id("text.E001")]


def test_two_agencies_whose_overview_differs_only_in_name() -> None:
    # the overview of the 2023 PDF, copied by another agency that changed only the name
    assert SHARED is not None
    src = gongkai.parse(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2023.pdf")
    other = good("淮安市清江浦区人民政府", 2023)
    other.sections["overview"] = src.sections["overview"].replace("洪泽区人民政府", "淮安市清江浦区人民政府")
    res = gongkai.validate([src, other], select=["xagency.W001"])
    assert [(f.report, f.message) for f in res.findings] == [
        ("淮安市清江浦区人民政府2023年度报告", "“一、总体情况”与洪泽区人民政府2023年度报告相似度约 100%（去掉机关名称和数字后比较）")]
    assert res.findings[0].related == (str(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2023.pdf"),)


def test_partial_copy_reports_a_similarity_below_100() -> None:
    assert SHARED is not None
    src = gongkai.parse(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2023.pdf")
    other = good("淮安市清江浦区人民政府", 2023)
    text = src.sections["overview"]
    cut = len(text) * 9 // 10
    other.sections["overview"] = text[:cut] + "另外，我区创新开展“政务公开日”活动，邀请市民走进机关体验办事流程。"
    f = gongkai.validate([src, other], select=["xagency.W001"]).findings
    assert len(f) == 1
    pct = int(f[0].message.split("相似度约 ")[1].split("%")[0])
    assert 80 <= pct < 100


def test_huaian_hongze_2024_office_count_is_not_the_governments_table() -> None:
    # page 1: “区政府办代表区政府受理政府信息公开申请 17 件” — the office's own count; table 三 (page 3)
    # is the government's: 本年新收 … 总计 95.  The narrative names another quantity: nothing to compare.
    assert SHARED is not None
    r = gongkai.parse(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2024.pdf")
    assert r.table("requests").value("new", "total") == 95
    assert "区政府办代表区政府受理政府信息公开申请" in "".join((r.sections.get("overview") or "").split())
    assert gongkai.validate(r, select=["text"]).findings == []


def test_across_report_findings_name_the_other_report_by_its_ref() -> None:
    # the web app gives each report its own reference; a finding names the other report by it,
    # not by a file path
    assert SHARED is not None
    src = gongkai.parse(SHARED / "samples" / "pdf" / "淮安市洪泽区人民政府-2023.pdf")
    src.ref = "report-17"
    other = good("淮安市清江浦区人民政府", 2023)
    other.ref = "report-18"
    other.sections["overview"] = src.sections["overview"].replace("洪泽区人民政府", "淮安市清江浦区人民政府")
    f = gongkai.validate([src, other], select=["xagency.W001"]).findings
    assert [(x.ref, x.related) for x in f] == [("report-18", ("report-17",))]
