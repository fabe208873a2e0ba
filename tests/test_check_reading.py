"""No finding blames an agency for our reading (issue 8 item 3), and a blank report is said to be
blank in one finding (item 9).

A cell the reader left blank (a glued digit run several splits fit, a row read in part) or marked
uncertain is never “不要留空”, never a term of an identity, carry-over, stock or version difference
and never compared with the narrative: one reading notice (struct.I002, ``about="reading"``) says
what could not be read and why.  The portal texts are our own words in the shape of the real ones.
"""

from __future__ import annotations

from datetime import date

import gongkai
from check_support import good
from check_texts import portal_text
from gongkai import Report

# “行政规范性文件 20155”: 2,0,155 / 20,1,55 / 20,15,5 / 201,5,5 all fit table 二 (no identity ties its cells)
GLUED = portal_text("平潭综合实验区测试局", 2023)


def _parse(text: str, name: str) -> Report:
    return gongkai.parse(text.encode("utf-8"), name=name)


def test_glued_row_is_a_reading_notice_not_a_blank() -> None:
    r = _parse(GLUED, "测试局-2023.txt")
    assert [r.table("proactive").value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [
        None, None, None]
    res = gongkai.validate(r)
    assert not [f for f in res.findings if f.id.endswith("W001") and f.id[:2] in ("t2", "t3", "t4")]
    notices = res.by_id("struct.I002")
    assert len(notices) == 1
    f = notices[0]
    assert f.about == "reading" and f.severity == "info"
    assert f.message.startswith("表二“行政规范性文件”行：本年制发件数、本年废止件数、现行有效件数 未能读出（连写数字有多种拆分：")
    assert "20,1,55" in f.message and "不是报告留空" in f.message
    assert (f.at.table, f.at.row) == ("proactive", "normative_documents")
    # the reader's own notice about the same run is not repeated beside it
    assert not [x for x in res.by_id("struct.I001") if "20155" in x.message]
    assert res.valid


def test_same_blank_printed_by_the_agency_is_its_blank() -> None:
    # the same row printed with its cells empty (the label runs straight into the next caption):
    # nothing was read on the row, so the blank is the document's
    r = _parse(portal_text(normative=""), "测试局-2023.txt")
    res = gongkai.validate(r)
    assert [f.message for f in res.by_id("t2.W001")] == ["表二“行政规范性文件”行：本年制发件数、本年废止件数、现行有效件数 为空白"]
    assert res.by_id("struct.I002") == []


def test_versions_differing_only_in_unread_cells_are_not_a_change() -> None:
    # the same report as a portal page whose cells keep their separators: 20 1 55
    clean = _parse(portal_text(normative="20 1 55"), "测试局-2023-网页.txt")
    assert clean.table("proactive").value("normative_documents", "repealed") == 1
    glued = _parse(GLUED, "测试局-2023.txt")
    res = gongkai.validate([clean, glued], select=["xyear.W004"])
    assert res.findings == []


def test_versions_differing_in_a_read_cell_are_a_change() -> None:
    clean = _parse(portal_text(normative="20 1 55"), "测试局-2023-网页.txt")
    two = {"new": [2, 0, 0, 0, 0, 0, 2], "granted": [2, 0, 0, 0, 0, 0, 2], "results_total": [2, 0, 0, 0, 0, 0, 2]}
    changed = _parse(portal_text(requests=two), "测试局-2023-修订.txt")
    res = gongkai.validate([clean, changed], select=["xyear.W004"])
    # 表二 differs only where the glued run could not be read; 表三 really differs
    assert [f.message for f in res.findings] == ["与同一年报的另一版本（测试局-2023-网页.txt）数字不同：表三"]


def _uncertain(r: Report, table: str, row: str, col: str, value: int) -> Report:
    r.table(table).set(row, col, value, uncertain=True, note="数字与列的对应不确定")
    return r


def test_carry_over_over_an_uncertain_cell_is_not_reported() -> None:
    prev, cur = good(year=2021), good(year=2022, overview="本年度另写一段完全不同的总体情况。" * 8)
    for row in ("carried_over", "granted", "results_total"):
        for col in ("natural_person", "total"):
            cur.table("requests").set(row, col, 2)
    assert [f.id for f in gongkai.validate([prev, cur], select=["xyear.E001"]).findings] == ["xyear.E001"]
    _uncertain(prev, "requests", "carried_forward", "natural_person", 0)
    _uncertain(prev, "requests", "carried_forward", "total", 0)
    assert gongkai.validate([prev, cur], select=["xyear.E001"]).findings == []


def test_stock_over_an_unread_cell_is_not_reported() -> None:
    prev, cur = good(year=2021), good(year=2022, overview="本年度另写一段完全不同的总体情况。" * 8)
    prev.table("proactive").set("rules", "in_force", 8)
    cur.table("proactive").set("rules", "in_force", 10)
    assert [f.id for f in gongkai.validate([prev, cur], select=["xyear.W001"]).findings] == ["xyear.W001"]
    prev.table("proactive").set("rules", "in_force", None, note="连写数字有多种拆分：0,0,8 / 0,0,80")
    assert gongkai.validate([prev, cur], select=["xyear.W001"]).findings == []


def test_identical_tables_need_every_number_read() -> None:
    def busy2(r: Report) -> Report:
        t = r.table("requests")
        for col in ("natural_person", "commercial"):
            for row in ("new", "granted", "results_total"):
                t.set(row, col, 2)
        for row in ("new", "granted", "results_total"):
            t.set(row, "total", 4)
        return r

    a = busy2(good("甲县人民政府"))
    b = busy2(good("乙县人民政府", overview="乙县的总体情况与甲县完全不同，" * 10))
    assert [f.id for f in gongkai.validate([a, b], select=["xagency.W002"]).findings] == ["xagency.W002"]
    for r in (a, b):
        _uncertain(r, "requests", "granted", "commercial", 2)
    assert gongkai.validate([a, b], select=["xagency.W002"]).findings == []


def test_narrative_is_not_compared_with_an_uncertain_cell() -> None:
    r = good()
    r.sections["overview"] = "本年度共收到政府信息公开申请5件。"
    _uncertain(r, "requests", "new", "total", 3)
    assert gongkai.validate(r, select=["text"]).findings == []
    r.table("requests").set("new", "total", 3)
    assert [f.id for f in gongkai.validate(r, select=["text"]).findings] == ["text.E001"]


def test_blank_report_is_one_finding() -> None:
    r = Report.blank("2021", agency="测试县人民政府", year=2021)
    r.published = date(2022, 1, 20)
    res = gongkai.validate(r)
    assert [(f.id, f.message) for f in res.findings] == [
        ("struct.W003", "空白年报：表二、表三、表四没有填写任何数字（共200个单元格），"
                        "“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”都没有文字")]


def test_blank_template_says_it_is_blank() -> None:
    from check_support import shared

    root = shared()
    if root is None:
        import pytest

        pytest.skip("../shared/samples not available")
    res = gongkai.validate(gongkai.parse(root / "samples" / "docx" / "年度报告格式模板（空白）.docx"))
    # the template has no agency, no year, no figures and （文字描述） in place of every text
    others = [f for f in res.findings if f.id != "struct.E003"]
    assert [f.id for f in others] == ["struct.W002", "struct.W003"]
    blank = others[1].message
    assert blank.startswith("空白年报：") and "表三" in blank and blank.endswith("都没有文字")
    assert others[0].message.startswith("未能读出报告年度和报告主体")


def test_values_and_units_of_an_uncertain_cell_are_not_the_agencys() -> None:
    from decimal import Decimal

    r = good("测试县某某镇人民政府")
    _uncertain(r, "requests", "granted", "natural_person", 0)
    r.table("requests").set("granted", "natural_person", Decimal("2.5"), uncertain=True)
    r.table("proactive").set("fees", "amount", 12000, uncertain=True)
    assert gongkai.validate(r, select=["t3.E004", "t2.W002"]).findings == []
    r.table("requests").set("granted", "natural_person", Decimal("2.5"))
    r.table("proactive").set("fees", "amount", 12000)
    assert gongkai.validate(r, select=["t3.E004", "t2.W002"]).ids() == ["t2.W002", "t3.E004"]


def _year_from_posting(r: Report) -> Report:
    from gongkai import Notice

    r.warnings.append(Notice("meta.year", f"报告年度按发布日期推定为 {r.year} 年"))
    return r


def test_a_year_guessed_from_the_posting_date_convicts_nothing() -> None:
    # a report in the trial format, posted in 2022 with no year written: perhaps the 2020 report posted late
    r = _year_from_posting(good(year=2021, fmt="2019"))
    r.period = (date(2020, 1, 1), date(2020, 12, 31))
    assert gongkai.validate(r, select=["struct.E005", "period"]).findings == []
    r.warnings.clear()
    assert gongkai.validate(r, select=["struct.E005", "period"]).ids() == ["struct.E005", "period.E001"]


def test_a_guessed_year_pairs_with_no_other_report() -> None:
    stated = good(year=2021)
    guessed = _year_from_posting(good(year=2021))
    guessed.source = "测试县人民政府-无年度.txt"
    for row in ("new", "granted", "results_total"):
        guessed.table("requests").set(row, "total", 1)
        guessed.table("requests").set(row, "natural_person", 1)
    assert gongkai.validate([stated, guessed], select=["xyear"]).findings == []
    guessed.warnings.clear()
    assert gongkai.validate([stated, guessed], select=["xyear"]).ids() == ["xyear.W004"]
