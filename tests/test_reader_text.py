"""The text reader and the shared assemble step, on the seed and on hand-made variants."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import NotAReportError, ParseError
from gongkai.formats.identities import row_predicate
from gongkai.readers.glued import split_candidates, splits
from gongkai.testing.print_text import print_text

SEED = Path(__file__).parent / "corpus" / "seed-2021-huifa" / "source.txt"


@pytest.fixture(scope="module")
def seed() -> gongkai.Report:
    return gongkai.parse(SEED)


def test_seed_metadata(seed: gongkai.Report) -> None:
    assert seed.format.id == "2021"
    assert seed.agency == "方正县会发镇人民政府"
    assert seed.year == 2021
    assert seed.published == date(2022, 1, 20)
    assert seed.period == (date(2021, 1, 1), date(2021, 12, 31))
    assert seed.title == "方正县会发镇2021年政府信息公开工作年度报告"
    assert seed.portal == "https://fzxxxgk.harbin.gov.cn/col/col13046/index.html"
    assert seed.contact == {"address": "方正县会发镇富民巷11号", "postcode": "150812", "phone": "0451-57158067"}


def test_seed_every_cell_is_zero_not_blank(seed: gongkai.Report) -> None:
    counts = {}
    for key, spec_cells in (("proactive", 10), ("requests", 175), ("appeals", 15)):
        t = seed.table(key)
        assert t.present
        assert t.missing() == []
        cells = list(t.items())
        counts[key] = len(cells)
        assert len(cells) == spec_cells
        for row, col, cell in cells:
            assert cell.value == 0 and cell.value is not None, (key, row, col)
            assert isinstance(cell.value, int)
            assert cell.text is not None and cell.text.strip() in ("0",), (row, col, cell.text)
            assert cell.loc is not None and cell.loc.line is not None
    assert counts == {"proactive": 10, "requests": 175, "appeals": 15}


def test_seed_provenance_points_at_the_printed_line(seed: gongkai.Report) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for _, _, cell in seed.table("requests").items():
        assert cell.loc is not None and cell.loc.line is not None
        assert lines[cell.loc.line - 1].strip() == cell.text
    # the first cell of table 三 is on the line after its label
    new = seed.table("requests").cell("new", "natural_person")
    assert new is not None and new.loc is not None
    assert lines[new.loc.line - 2].strip() == "一、本年新收政府信息公开申请数量"


def test_seed_sections(seed: gongkai.Report) -> None:
    s = seed.sections
    assert list(s) == ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert s["overview"].startswith("2021年，方正县会发镇人民政府坚持以习近平新时代中国特色社会主义思想为指导")
    assert "（五）监督保障方面。" in s["overview"]
    assert s["overview"].endswith("加强对政务公开工作监督。")
    assert s["problems"].startswith("存在问题：一是主动公开的意识还不强")
    assert "\n具体措施：" in s["problems"]
    assert s["other"] == "无收取信息处理费情况。"
    # tables are not narrative
    assert s["proactive"] == s["requests"] == s["appeals"] == ""
    assert seed.headings["appeals"].text == "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    assert seed.warnings == []


def test_seed_json_round_trip_is_exact(seed: gongkai.Report) -> None:
    text = seed.to_json()
    again = gongkai.Report.from_json(text)
    assert again.to_json() == text
    assert again == seed


# -- glued digits ---------------------------------------------------------------------------

def test_glued_row_has_one_split() -> None:
    spec = gongkai.get_format("2021").table("requests")
    check = row_predicate(spec, [c.key for c in spec.columns])
    assert splits(["713000074"], 7, check) == [[71, 3, 0, 0, 0, 0, 74]]
    assert splits(["0000000"], 7, check) == [[0] * 7]


def test_glued_appeals_run_splits_even_when_the_report_is_wrong() -> None:
    # 平潭行政审批局 2024 prints 1 under 结果维持 and 0 under 总计: only one split exists at all
    def check(v: list[int | Decimal]) -> bool:
        return all(v[g * 5 + 4] == sum(v[g * 5:g * 5 + 4]) for g in range(3))

    assert split_candidates(["100000000000000"], 15, check) == ([[1] + [0] * 14], True)


def test_glued_ambiguity_is_reported_not_guessed() -> None:
    text = SEED.read_text(encoding="utf-8")
    # 行政规范性文件 printed as one run "7713" (issued, repealed, in force): several splits exist
    text = text.replace("行政规范性文件\n\t0\n\t 　0\n\t0", "行政规范性文件\n\t7713", 1)
    r = gongkai.parse_text(text)
    t = r.table("proactive")
    assert [t.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [None, None, None]
    msgs = [w.message for w in r.warnings if w.code == "glued.ambiguous"]
    assert len(msgs) == 1 and "7713" in msgs[0] and "7,7,13" in msgs[0]


def test_glued_table_three_resolved_by_column_identities() -> None:
    # one line per row, cells glued: only identities tell 11 from 1,1
    rows = {
        "new": [11, 0, 0, 0, 0, 0, 11], "granted": [7, 0, 0, 0, 0, 0, 7],
        "unavailable.not_held": [4, 0, 0, 0, 0, 0, 4], "results_total": [11, 0, 0, 0, 0, 0, 11],
    }
    r = gongkai.Report.blank("2021", agency="某县交通运输局", year=2022, fill=0)
    for k, v in rows.items():
        for c, x in zip([c.key for c in r.format.table("requests").columns], v, strict=True):
            r.table("requests").set(k, c, x)
    printed = print_text(r, "glued", random.Random(1))
    back = gongkai.parse(printed.data, name="glued.txt")
    assert back.table("requests").to_dict() == r.table("requests").to_dict()


# -- encodings, scripts, variants -----------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_encodings(seed: gongkai.Report, encoding: str) -> None:
    data = SEED.read_text(encoding="utf-8").encode(encoding)
    r = gongkai.parse(data, name=f"seed.{encoding}.txt")
    assert r == seed


def test_traditional_characters_and_fullwidth_digits(seed: gongkai.Report) -> None:
    from opencc import OpenCC

    text = OpenCC("s2t").convert(SEED.read_text(encoding="utf-8"))
    assert "本年新收政府資訊公開申請數量" in text or "申請" in text
    text = text.replace("\t0\n", "\t０\n")
    r = gongkai.parse_text(text)
    assert r.table("requests").to_dict() == seed.table("requests").to_dict()
    assert r.table("appeals").to_dict() == seed.table("appeals").to_dict()
    assert r.table("proactive").to_dict() == seed.table("proactive").to_dict()


def test_cell_values_blank_na_and_decimal() -> None:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("行政事业性收费\n\t0", "行政事业性收费\n\t0.35", 1)
    text = text.replace("规章\n\t0\n\t 　0\n\t0", "规章\n\t/\n\t\n\t无", 1)
    r = gongkai.parse_text(text)
    t = r.table("proactive")
    assert t.value("fees", "amount") == Decimal("0.35")
    assert t.value("rules", "issued") == "NA"
    assert t.value("rules", "repealed") is None
    assert t.value("rules", "in_force") == 0
    assert t.cell("rules", "in_force").text == "无"  # type: ignore[union-attr]


def test_2019_format_detected_by_content() -> None:
    from conftest import shared_path

    shared = shared_path() / "samples" / "portal"
    p = shared / "平潭综合实验区国有资产管理局-2020" / "page.txt"
    if not p.exists():
        pytest.skip("shared samples not present")
    r = gongkai.parse(p)
    assert r.format.id == "2019"
    assert r.year == 2020
    assert r.table("requests").has_row("other")
    assert not r.table("requests").has_row("other.other")
    assert r.table("proactive").has_row("procurement")


def test_collapsed_other_row_in_a_2021_report() -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("\t（六）其他处理")
    end = text.index("\t（七）总计")
    text = text[:start] + "\t（六）其他处理\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n\t\n" + text[end:]
    r = gongkai.parse_text(text)
    t = r.table("requests")
    assert t.value("other", "natural_person") == 1 and t.value("other", "total") == 1
    assert not any(t.has_row(k) for k in ("other.no_correction", "other.no_fee", "other.other"))
    assert t.missing() == []
    assert r.format.id == "2021"


# -- bad input --------------------------------------------------------------------------------

def test_pre_2019_report_is_named_as_such() -> None:
    text = ("某县人民政府2015年政府信息公开工作年度报告\n\n一、概述\n2015年，我县认真贯彻《中华人民共和国政府信息公开条例》。\n"
            "二、主动公开政府信息情况\n全年主动公开政府信息1200条。\n三、依申请公开政府信息情况\n共受理申请12件。\n")
    with pytest.raises(NotAReportError) as e:
        gongkai.parse_text(text)
    assert "2015" in str(e.value) and "2019年以前" in str(e.value)


def test_unrelated_document() -> None:
    with pytest.raises(NotAReportError) as e:
        gongkai.parse_text("关于做好2024年春节期间安全生产工作的通知\n各乡镇、各部门：\n春节将至，请认真做好值班值守。\n")
    assert "不是一份全国统一格式的年度报告" in str(e.value)


@pytest.mark.parametrize("data,needle", [(b"", "空"), (b"\x00\x01\x02\xff" * 300, "不是文本文件")])
def test_empty_and_binary(data: bytes, needle: str) -> None:
    with pytest.raises(ParseError) as e:
        gongkai.parse(data, name="x.txt")
    assert needle in str(e.value)


def test_table_three_missing_gives_partial_result() -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("\t收到和处理政府信息公开申请情况")
    end = text.index("四、因政府信息公开工作被申请行政复议")
    r = gongkai.parse_text(text[:start] + text[end:])
    assert not r.table("requests").present
    assert r.table("proactive").present and r.table("appeals").present
    assert any(w.code == "table.missing" and "表三" in w.message for w in r.warnings)


def test_truncated_table_three() -> None:
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("\t（四）无法提供")
    r = gongkai.parse_text(text[:cut])
    t = r.table("requests")
    assert t.present and t.value("denied.query_matter", "total") == 0
    assert not t.has_row("results_total")
    assert any(w.code == "table.rows_missing" for w in r.warnings)
    assert not r.table("appeals").present


def test_glued_signed_and_decimal_runs() -> None:
    # 2019 table 二: 上一年项目数量 8, 本年增/减 -8, 处理决定数量 2 printed as "8-82"
    assert splits(["8-82"], 3, None, kinds=["count", "delta", "count"]) == [[8, -8, 2]]
    # a minus sign is not a count
    assert splits(["8-82"], 3, None) == []
    # 采购项目数量 and 采购总金额 glued: every cut is possible, the decimal stays in the amount
    got = splits(["52131.97"], 2, None, kinds=["count", "amount_unit"])
    assert [5, Decimal("2131.97")] in got and [52131, Decimal("0.97")] not in got
    assert all(isinstance(v[0], int) for v in got)


def test_glued_enumeration_cut_is_never_taken_as_an_answer() -> None:
    # 18 non-zero digits into 15 numbers under no identity: far more than MAX_CANDIDATES ways
    from gongkai.readers.glued import MAX_CANDIDATES

    cands, complete = split_candidates(["123456789123456789"], 15, lambda v: True)
    assert len(cands) == MAX_CANDIDATES and complete is False
    cands, complete = split_candidates(["0000000"], 7, lambda v: True)
    assert cands == [[0] * 7] and complete is True


def test_table_four_with_a_row_per_group() -> None:
    """Table 四 printed under one header row, a row per group (some agencies lay it out so)."""
    text = SEED.read_text(encoding="utf-8")
    a = text.index("\t政府信息公开行政复议、行政诉讼情况")
    b = text.index("五、政府信息公开工作存在的主要问题")
    t4 = ("本年度发生行政复议1起。\n\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n行政复议\t1\t0\t0\t0\t1\n"
          "行政诉讼（未经复议直接起诉）\t0\t0\t0\t0\t0\n行政诉讼（复议后起诉）\t2\t0\t0\t1\t3\n\n")
    r = gongkai.parse_text(text[:a] + t4 + text[b:])
    assert r.table("appeals").to_dict() == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "suit_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "suit_after_review": {"upheld": 2, "corrected": 0, "other": 0, "pending": 1, "total": 3}}
    assert r.sections["appeals"] == "本年度发生行政复议1起。"
    assert r.warnings == []


def test_rows_printed_out_of_order_are_read_and_reported() -> None:
    """二、上年结转 printed before 一、本年新收 (RULES.md 10): both rows read by their labels, the move
    noted, and the checker reports it as an error."""
    text = SEED.read_text(encoding="utf-8")
    a = text.index("\t一、本年新收政府信息公开申请数量")
    b = text.index("\t二、上年结转政府信息公开申请数量")
    c = text.index("\t三、本年度办理结果")
    new_row = text[a:b].replace("\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0", "\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1", 1)
    r = gongkai.parse_text(text[:a] + text[b:c] + new_row + text[c:])
    t = r.table("requests")
    assert t.value("new", "total") == 1 and t.value("carried_over", "total") == 0
    assert t.missing() == []
    assert [w.code for w in r.warnings] == ["table.row_order"]
    assert "二、上年结转政府信息公开申请数量" in r.warnings[0].message
    ids = [f.id for f in gongkai.validate(r).findings]
    assert "struct.E006" in ids
