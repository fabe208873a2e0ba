"""Glued digits settled by evidence the document carries (issue 8 item 2): the report's own
narrative, another form of the same report in the run, the same agency's neighbouring year —
each only choosing among the splits of the printed digits, and recorded in the cell's provenance.

Texts are shaped like the portal text versions of ../shared/samples/wild (our own words; the
sentences quoted in the comments are the real ones the patterns come from).
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from check_texts import portal_text
from gongkai.readers.evidence import narrative_statements
from gongkai.testing import random_report
from gongkai.testing.print_text import print_text

COLS = ("issued", "repealed", "in_force")


def _parse(text: str, name: str = "年报.txt") -> gongkai.Report:
    return gongkai.parse(text.encode("utf-8"), name=name)


def _normative(r: gongkai.Report) -> list[object]:
    return [r.table("proactive").value("normative_documents", c) for c in COLS]


def _evidence(r: gongkai.Report) -> list[str | None]:
    t = r.table("proactive")
    return [t.cell("normative_documents", c).evidence for c in COLS]  # type: ignore[union-attr]


def test_the_narrative_settles_a_glued_row_and_says_so() -> None:
    # 管委会办公室 2025: “制发行政规范性文件9件，按程序确认失效或废止文件7件，现行有效行政规范性文件共253件” over
    # a table 二 row printed 行政规范性文件97253 (six splits: 9,7,253 / 9,72,53 / …)
    text = portal_text(normative="97253", requests_text="本年度制发行政规范性文件9件，按程序确认失效或废止文件7件，"
                                                        "现行有效行政规范性文件共253件。")
    r = _parse(text)
    assert _normative(r) == [9, 7, 253]
    assert _evidence(r) == ["narrative"] * 3
    notes = [w.message for w in r.warnings if w.code == "glued.settled"]
    assert notes == ["表二“行政规范性文件”：连写数字“97253”依据报告正文拆分，读作本年制发件数 9、本年废止件数 7、现行有效件数 253"]
    assert not [w for w in r.warnings if w.code == "glued.ambiguous"]
    res = gongkai.validate(r)
    assert not res.by_id("struct.I002") and not res.by_id("t2.W001")


def test_one_stated_number_settles_the_cells_every_fitting_split_agrees_on() -> None:
    # “本年度制发规范性文件34件” over 行政规范性文件34089 (3,40,89 / 3,408,9 / 34,0,89 / 340,8,9)
    r = _parse(portal_text(normative="34089", requests_text="本年度制发规范性文件34件，现行有效件数424件。"))
    # 现行有效 424 fits no split of the printed digits: ignored, never put in the table
    assert _normative(r) == [34, 0, 89]
    # only 制发 9: three splits remain (9,7,253 / 9,72,53 / 9,725,3) — 制发 is settled, the rest stays open
    r = _parse(portal_text(normative="97253", requests_text="本年度制发规范性文件9件。"))
    assert _normative(r) == [9, None, None]
    t = r.table("proactive")
    assert t.cell("normative_documents", "repealed").uncertain  # type: ignore[union-attr]
    msgs = [f.message for f in gongkai.validate(r).by_id("struct.I002")]
    assert len(msgs) == 1 and "本年废止件数、现行有效件数" in msgs[0]
    assert "（连写数字有多种拆分：9,7,253 / 9,72,53 / 9,725,3）" in msgs[0]  # only the splits 制发 9 leaves


def test_a_narrative_no_split_fits_changes_nothing() -> None:
    r = _parse(portal_text(normative="97253", requests_text="本年度制发规范性文件8件，现行有效300件。"))
    assert _normative(r) == [None, None, None]
    assert not [w for w in r.warnings if w.code == "glued.settled"]


def test_a_narrative_never_overrides_a_unique_split() -> None:
    # 行政规范性文件972 splits one way only; the narrative's 5 is the report contradicting itself
    r = _parse(portal_text(normative="972", requests_text="本年度制发规范性文件5件，现行有效2件。"))
    assert _normative(r) == [9, 7, 2]
    assert _evidence(r) == [None, None, None]


def test_the_issues_sentence_settles_its_row() -> None:
    # “制发规范性文件9件、废止7件、现行有效253件” (issue 8) over 行政规范性文件97253
    r = _parse(portal_text(normative="97253", requests_text="本年度制发规范性文件9件、废止7件、现行有效253件。"))
    assert _normative(r) == [9, 7, 253]
    said = narrative_statements(r)
    assert said[("proactive", "normative_documents", "repealed")] == {7}


def test_statements_are_read_from_the_real_sentence_shapes() -> None:
    r = _parse(portal_text(requests_text=(
        "我局废止规范性文件6件，制定规范性文件15件。今年共发布采购信息21条共5419886元。"
        "立案查处各类违法行为并作出行政处罚决定305起。我局共收到政府信息公开申请4件，受理并办结3件。")))
    said = narrative_statements(r)
    assert said[("proactive", "normative_documents", "repealed")] == {6}
    assert said[("proactive", "normative_documents", "issued")] == {15}
    assert said[("proactive", "procurement", "projects")] == {21}
    assert said[("proactive", "procurement", "amount")] == {5419886}
    assert said[("proactive", "punishment", "decisions")] == {305}
    assert said[("requests", "new", "total")] == {4}
    # “区政府办代表区政府受理政府信息公开申请17件” is the office's own count: not the table's 新收
    r = _parse(portal_text(requests_text="区政府办代表区政府受理政府信息公开申请17件。"))
    assert ("requests", "new", "total") not in narrative_statements(r)


def test_another_form_of_the_same_report_settles_the_text_version(tmp_path: Path) -> None:
    # a portal's text version (cells glued) beside another form of it that kept the separators
    glued = portal_text(agency="平潭综合实验区测试局", normative="25032")
    spaced = glued.replace("行政规范性文件 25032", "行政规范性文件 25 0 32")
    assert spaced != glued
    from gongkai.check.siblings import settle_siblings

    readings = [("a/page.txt", _parse(glued)), ("a/page.htm", _parse(spaced))]
    assert _normative(readings[0][1]) == [None, None, None]
    assert settle_siblings(readings) == 3
    txt = readings[0][1]
    assert _normative(txt) == [25, 0, 32] and _evidence(txt) == ["sibling"] * 3
    assert [w.message for w in txt.warnings if w.code == "glued.settled"] == [
        "表二“行政规范性文件”：连写数字“25032”依据同一报告的另一种形式（page.htm）拆分，读作本年制发件数 25、本年废止件数 0、现行有效件数 32"]
    # the other form's numbers must be a split of the printed digits: 2,50,32 is, 25,0,33 is not
    other = _parse(glued.replace("行政规范性文件 25032", "行政规范性文件 25 0 33"))
    mine = _parse(glued)
    assert settle_siblings([("page.txt", mine), ("page.htm", other)]) == 0
    assert _normative(mine) == [None, None, None]
    # and through the batch: both files of one folder are one report
    (tmp_path / "page.txt").write_text(glued, encoding="utf-8")
    (tmp_path / "page.json").write_bytes(_parse(spaced).to_json().encode())
    res = gongkai.check_files([tmp_path], workers=1).result()
    assert len(res.reports) == 1 and not res.by_id("struct.I002")


def test_the_neighbouring_year_settles_the_stock_row(tmp_path: Path) -> None:
    # 管委会办公室 2021 prints 行政规范性文件 20 155 (2,0,155 / 20,1,55 / 20,15,5); 2022 states 制发34件 over
    # 34089 → 34,0,89; the stock then says 2021's 现行有效 = 89 − 34 + 0 = 55: only 20,1,55 fits
    agency = "平潭综合实验区测试局"
    t21 = portal_text(agency=agency, year=2021, normative="20 155")
    t22 = portal_text(agency=agency, year=2022, normative="34089", requests_text="本年度制发规范性文件34件。")
    # validate never changes the reports it is given: it says what the next year suggests
    res = gongkai.validate([_parse(t21), _parse(t22)])
    found = [(f.report, f.about, f.message) for f in res.findings if f.id == "xyear.I001"]
    assert found == [(f"{agency}2021年度报告", "reading",
                      f"表二“行政规范性文件”：连写数字有多种拆分，依据本机关下一年度报告（{agency}2022年度报告）的"
                      "现行有效 89、制发 34、废止 0 推定本年制发件数 20、本年废止件数 1、现行有效件数 55")]
    # a batch reads the files: it sets the cells and checks 2021 again with them (tests/test_check_years.py)
    (tmp_path / "2021.txt").write_text(t21, encoding="utf-8")
    (tmp_path / "2022.txt").write_text(t22, encoding="utf-8")
    res = gongkai.check_files([tmp_path], workers=1).result()
    assert not res.by_id("xyear.I001") and not res.by_id("struct.I002")
    assert [f.report for f in res.by_id("struct.I001") if "下一年度报告" in f.message] == [f"{agency}2021年度报告"]
    # never an agency's fault: no stock warning over the open row
    assert not [f for f in res.findings if f.id == "xyear.W001"]


# -- properties ---------------------------------------------------------------------------------


def _glued_report(seed: int, row: tuple[int, int, int], sentence: str) -> bytes:
    rng = random.Random(seed)
    rep = random_report(rng, "2021")
    t = rep.table("proactive")
    for c, v in zip(COLS, row, strict=True):
        t.set("normative_documents", c, v)
    rep.sections["overview"] = (rep.sections.get("overview") or "") + sentence
    return print_text(rep, "glued", random.Random(seed)).data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), issued=st.integers(0, 400), repealed=st.integers(0, 400),
       in_force=st.integers(0, 5000))
def test_property_a_narrative_stating_the_glued_numbers_settles_them_exactly(seed: int, issued: int, repealed: int,
                                                                               in_force: int) -> None:
    sentence = f"本年度制发行政规范性文件{issued}件，废止行政规范性文件{repealed}件，现行有效行政规范性文件{in_force}件。"
    r = gongkai.parse(_glued_report(seed, (issued, repealed, in_force), sentence), name="glued.txt")
    assert _normative(r) == [issued, repealed, in_force]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), row=st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9)),
       said=st.tuples(st.integers(0, 999), st.integers(0, 999), st.integers(0, 9999)))
def test_property_a_contradicting_narrative_never_overrides_a_unique_split(seed: int, row: tuple[int, int, int],
                                                                         said: tuple[int, int, int]) -> None:
    # three one-digit numbers glued into three digits split one way only
    sentence = f"本年度制发行政规范性文件{said[0]}件，废止行政规范性文件{said[1]}件，现行有效行政规范性文件{said[2]}件。"
    r = gongkai.parse(_glued_report(seed, row, sentence), name="glued.txt")
    assert _normative(r) == list(row)


def test_reports_held_together_settle_their_cells_by_the_neighbouring_year() -> None:
    # the library call for callers holding several years (the batch says the same in xyear.I001)
    from gongkai.readers.evidence import settle_by_years

    agency = "平潭综合实验区测试局"
    r21 = _parse(portal_text(agency=agency, year=2021, normative="20 155"))
    r22 = _parse(portal_text(agency=agency, year=2022, normative="34089", requests_text="本年度制发规范性文件34件。"))
    other = _parse(portal_text(agency="平潭综合实验区另一局", year=2022, normative="34089",
                               requests_text="本年度制发规范性文件34件。"))
    assert settle_by_years([r21, other]) == 0  # another agency's year settles nothing
    assert settle_by_years([r21, r22]) == 3
    assert _normative(r21) == [20, 1, 55] and _evidence(r21) == ["next_year"] * 3
    assert [w.message for w in r21.warnings if w.code == "glued.settled"] == [
        f"表二“行政规范性文件”：连写数字“20 155”依据本机关下一年度报告（{agency}2022年度报告）的现行有效件数拆分，"
        "读作本年制发件数 20、本年废止件数 1、现行有效件数 55"]
    res = gongkai.validate([r21, r22])
    assert not res.by_id("struct.I002") and not res.by_id("xyear.I001") and not res.by_id("xyear.W001")


def test_the_narrative_settles_table_four_glued_over_its_three_rows() -> None:
    # table 四 printed as one run 01001111001200112: four splits satisfy the three rows' totals; only
    # one has 行政复议 总计 11, the number the text states (“因政府信息公开产生行政复议共11件”)
    run = "01001111001200112"
    r = _parse(portal_text(normative="3 0 12", appeals=run))
    t = r.table("appeals")
    assert t.value("review", "total") is None and t.value("suit_after_review", "total") == 2
    r = _parse(portal_text(normative="3 0 12", appeals=run, requests_text="因政府信息公开产生行政复议共11件。"))
    t = r.table("appeals")
    got = [[t.value(g, c) for c in t.columns_of(g)] for g in ("review", "suit_direct", "suit_after_review")]
    assert got == [[0, 10, 0, 1, 11], [1, 0, 0, 1, 2], [0, 0, 1, 1, 2]]
    assert t.cell("review", "corrected").evidence == "narrative"  # type: ignore[union-attr]
    notes = [w.message for w in r.warnings if w.code == "glued.settled"]
    assert len(notes) == 1 and notes[0].startswith(f"表四：连写数字“{run}”依据报告正文拆分，读作行政复议·结果纠正 10")
    res = gongkai.validate(r)
    assert not res.by_id("struct.I002") and not res.errors
