"""The agency's kind decides its publication deadline (条例第四十九条) and the content its report
must carry (第五十条): the kind the report carries first, a guess from the name only as a fallback
and then said in the finding."""

from __future__ import annotations

from datetime import date

import pytest

import gongkai
from check_support import good
from gongkai import Report
from gongkai.check import CheckConfig


@pytest.mark.parametrize(("name", "kind"), [
    ("淮安市人民政府", "government"),
    ("淮安市洪泽区人民政府", "government"),
    ("方正县会发镇人民政府", "township"),
    ("某某民族乡人民政府", "township"),
    ("某区某某街道办事处", "township"),
    ("平潭综合实验区管委会", "dispatched"),
    ("某市经济技术开发区管理委员会", "dispatched"),
    ("平潭综合实验区管委会办公室", "government_office"),
    ("某县人民政府办公室", "government_office"),
    ("某省人民政府办公厅", "government_office"),
    ("平潭综合实验区交通与建设局", "department"),
    ("淮安市财政局", "department"),
])
def test_kind_guessed_from_the_name(name: str, kind: str) -> None:
    assert CheckConfig().kind_of(name) == kind


def _late(agency: str, year: int, published: date, kind: str | None = None, config: object = None) -> list[str]:
    r = good(agency, year)
    r.published, r.agency_kind = published, kind
    res = gongkai.validate(r, select=["time.E001"], config=config)  # type: ignore[arg-type]
    return [f.message for f in res.findings]


def test_a_guanweihui_acting_as_government_has_until_march() -> None:
    # 平潭综合实验区管委会's own 2022 report, posted 2023-03-20: late for a department, on time for a government
    assert _late("平潭综合实验区管委会", 2022, date(2023, 3, 20)) == []
    assert _late("平潭综合实验区管委会", 2022, date(2023, 3, 20), kind="department") == [
        "发布日期 2023年3月20日，晚于部门年报的公布期限 2023年1月31日（条例第四十九条）"]


def test_the_declared_kind_wins_over_the_name() -> None:
    assert _late("测试县人民政府", 2021, date(2022, 3, 1)) == []
    assert _late("测试县人民政府", 2021, date(2022, 3, 1), kind="department") == [
        "发布日期 2022年3月1日，晚于部门年报的公布期限 2022年1月31日（条例第四十九条）（期限日为休息日，顺延至2022年2月7日）"]


def test_township_deadline_can_be_set() -> None:
    cfg = {"deadlines": {"township": "02-28"}}
    assert _late("测试县某某镇人民政府", 2021, date(2022, 3, 10), kind="township") == []
    assert _late("测试县某某镇人民政府", 2021, date(2022, 3, 10), kind="township", config=cfg) == [
        "发布日期 2022年3月10日，晚于乡镇、街道年报的公布期限 2022年2月28日（按设置的乡镇、街道期限）"]
    local = {"deadlines": {"jurisdictions": {"测试县": {"township": "02-15"}}}}
    assert _late("测试县某某镇人民政府", 2021, date(2022, 2, 20), kind="township", config=local) == [
        "发布日期 2022年2月20日，晚于乡镇、街道年报的公布期限 2022年2月15日（“测试县”的本地规定）"]
    # a department of the same county is not held to the townships' rule
    assert _late("测试县财政局", 2021, date(2022, 1, 28), kind="department", config=local) == []


def _art50(agency: str, kind: str | None) -> list[str]:
    r = good(agency)
    r.agency_kind = kind
    r.sections["problems"] = "依申请公开工作规范性有待提高，下一步将加强培训。"
    return [f.message for f in gongkai.validate(r, select=["content.W002"]).findings]


@pytest.mark.parametrize(("agency", "kind"), [
    ("某区某某街道办事处", "township"),       # a 街道办事处 is not a 人民政府
    ("平潭综合实验区管委会", "dispatched"),
    ("某县人民政府办公室", "government_office"),
    ("测试县财政局", "department"),
    ("测试县人民政府", "department"),        # declared: the name does not overrule it
])
def test_article_50_is_for_peoples_governments_only(agency: str, kind: str) -> None:
    assert _art50(agency, kind) == []


def test_wild_office_report_is_a_department_report() -> None:
    from check_support import shared

    root = shared()
    if root is None:
        pytest.skip("../shared/samples not available")
    # 平潭综合实验区管委会办公室 2021, posted 2022-01-15 (the page's 时间): a department's deadline, met
    r: Report = gongkai.parse(root / "samples" / "wild" / "平潭综合实验区管委会办公室-2021.txt")
    kind, _ = CheckConfig().kind_for(r)
    assert kind == "government_office"
    assert gongkai.validate(r, select=["time", "content.W002"]).findings == []
