"""The format declarations checked as data: keys, labels, identities, cell counts, and that a new
edition is an addition of data that the rest of gongkai picks up."""

from __future__ import annotations

from dataclasses import replace

import pytest

import gongkai
from gongkai.formats import FORMATS, SECTION_KEYS, TABLE_KEYS, FormatSpec, format_for_year, get_format
from gongkai.formats.f2021 import REQUESTS_CORNER

EXPECTED_CELLS = {
    ("2021", "proactive"): 10, ("2021", "requests"): 25 * 7, ("2021", "appeals"): 15,
    ("2019", "requests"): 23 * 7, ("2019", "appeals"): 15,
    # 2019 table 二: 2×3 documents + 4×3 items + 2 fees + 2 procurement (FORMAT.md)
    ("2019", "proactive"): 6 + 12 + 2 + 2,
}


@pytest.mark.parametrize("fid", sorted(FORMATS))
def test_cell_counts(fid: str) -> None:
    f = get_format(fid)
    for t in f.tables:
        assert len(t.cells()) == EXPECTED_CELLS[(fid, t.key)], (fid, t.key)
    assert len(f.table("requests").rows) == (25 if fid == "2021" else 23)


@pytest.mark.parametrize("fid", sorted(FORMATS))
def test_keys_are_unique_and_stable(fid: str) -> None:
    f = get_format(fid)
    assert tuple(s.key for s in f.sections) == SECTION_KEYS
    assert tuple(t.key for t in f.tables) == TABLE_KEYS
    for t in f.tables:
        rows = [r.key for r in t.rows] + [c.key for c in t.collapsed]
        cols = [c.key for c in t.columns]
        assert len(rows) == len(set(rows)), t.key
        assert len(cols) == len(set(cols)), t.key
        for r in t.rows:
            for c in r.columns:
                assert c in cols, (t.key, r.key, c)
        assert all(k.replace(".", "").replace("_", "").isalnum() and k.isascii() for k in rows + cols)


@pytest.mark.parametrize("fid", sorted(FORMATS))
def test_identities_refer_to_real_cells(fid: str) -> None:
    f = get_format(fid)
    for t in f.tables:
        rows = {r.key for r in t.rows}
        cols = {c.key for c in t.columns}
        for ident in t.identities:
            terms = ident.left + ident.right
            assert terms and ident.left and ident.right
            assert set(terms) <= (rows if ident.axis == "column" else cols), (t.key, ident.key)
            assert len(set(terms)) == len(terms)
    req = f.table("requests")
    results = next(i for i in req.identities if i.key == "results")
    assert set(results.right) == set(req.result_rows)
    assert len(results.right) == (21 if fid == "2021" else 19)


def test_official_labels_as_in_format_md() -> None:
    f21, f19 = get_format("2021"), get_format("2019")
    req = f21.table("requests")
    assert req.corner == REQUESTS_CORNER == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert req.row("partial").label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert req.row("denied.three_safety").label == "3.危及“三安全一稳定”"
    assert req.row("other.no_fee").label == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert [c.label for c in req.columns] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert f21.table("proactive").column("amount").label == "本年收费金额（单位：万元）"
    assert f21.table("proactive").column("amount").kind == "amount"
    assert f19.table("proactive").column("change").kind == "delta"
    assert f19.table("requests").row("other").label == "（六）其他处理"
    assert [s.heading for s in f21.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [c.label for c in f21.table("appeals").columns] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_format_for_year() -> None:
    assert format_for_year(2020).id == "2019"
    assert format_for_year(2021).id == "2021"
    assert format_for_year(2030).id == "2021"
    with pytest.raises(gongkai.FormatError):
        format_for_year(2015)
    with pytest.raises(gongkai.FormatError):
        get_format("2099")


def test_a_third_format_is_a_data_addition(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hypothetical future edition that renames a column header and adds a marker: registering
    the data is all it takes for the model, the JSON, the reader's format detection, the checker
    and the writers to use it."""
    f21 = get_format("2021")
    proactive = f21.table("proactive")
    cols = tuple(replace(c, label="本年新制发件数") if c.key == "issued" else c for c in proactive.columns)
    future = FormatSpec(
        id="2030", name="（假设的）新版年报格式", source="示例", issued=None, first_year=2030, last_year=None,
        sections=f21.sections, tables=(replace(proactive, columns=cols), f21.table("requests"), f21.table("appeals")),
        markers=("本年新制发件数",))
    old21 = replace(f21, last_year=2029)
    monkeypatch.setitem(FORMATS, "2021", old21)
    monkeypatch.setitem(FORMATS, "2030", future)
    assert format_for_year(2031).id == "2030"

    blank = gongkai.Report.blank("2030", agency="某县人民政府", year=2031, fill=0)
    assert gongkai.Report.from_json(blank.to_json()) == blank
    assert "本年新制发件数" in gongkai.render(blank, "md").decode()
    back = gongkai.parse(gongkai.render(blank, "md"), name="future.md")
    assert back.format.id == "2030"
    assert back.table("proactive").to_dict() == blank.table("proactive").to_dict()
    result = gongkai.validate(back)
    assert not [f for f in result.findings if f.severity == "error" and not f.id.startswith(("time", "struct.E005"))]
