"""The report's agency (issue 8 item 4): from the title first; from the closing signature only when
it is clean (what precedes the name — 此函、无、暂无、特此报告、a date — stripped) and when the title
names no body, or names it briefly and the signature gives its full name.  A typo in the signature
never overrides the title.  Cases are the seed report (a real 2021 report of 方正县会发镇) with its
title and signature lines rewritten as other real reports print them."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.readers.meta import choose_agency, signed_agency, title_agency

HERE = Path(__file__).resolve().parent
SEED = (HERE / "corpus" / "seed-2021-huifa" / "source.txt").read_text(encoding="utf-8")
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
TITLE = "方正县会发镇2021年政府信息公开工作\n\n年度报告"
SIGNATURE = "无收取信息处理费情况。\n                               方正县会发镇人民政府\n                               2022年1月20日"


def _read(title: str, signature: str) -> gongkai.Report:
    assert TITLE in SEED and SIGNATURE in SEED
    text = SEED.replace(TITLE, title).replace(SIGNATURE, signature)
    return gongkai.parse(text.encode("utf-8"), name="x.txt")


def test_the_seed_as_printed_takes_the_full_name_from_the_signature() -> None:
    # the title names the town briefly (方正县会发镇), the signature in full: the same body
    assert _read(TITLE, SIGNATURE).agency == "方正县会发镇人民政府"


def test_a_typo_in_the_signature_never_overrides_the_title() -> None:
    report = _read("某某县财政金融局2021年政府信息公开工作年度报告",
                   "无收取信息处理费情况。\n某某县财政全融局\n2022年1月20日")
    assert report.agency == "某某县财政金融局"


@pytest.mark.parametrize("signature", [
    "无收取信息处理费情况。\n此函 某某县财政局\n2022年1月20日",
    "无收取信息处理费情况。\n无 某某县财政局\n2022年1月20日",
    "暂无。某某县财政局\n2022年1月20日",
    "无收取信息处理费情况。特此报告。某某县财政局 2022年1月20日",
    "无收取信息处理费情况。\n特此报告\n某某县财政局\n2022年1月20日",
])
def test_what_precedes_the_name_on_the_signature_line_is_stripped(signature: str) -> None:
    report = _read("2021年政府信息公开工作年度报告", signature)
    assert report.agency == "某某县财政局"
    assert report.published is not None and report.published.isoformat() == "2022-01-20"


def test_a_signature_that_is_not_a_name_gives_no_agency() -> None:
    report = _read("2021年政府信息公开工作年度报告", "本年度没有产生信息公开处理费。\n2022年1月20日")
    assert report.agency is None


@pytest.mark.parametrize(("signed", "name"), [
    ("此函 某某县财政局", "某某县财政局"), ("无某某镇人民政府", "某某镇人民政府"), ("暂无。某某街道办事处", "某某街道办事处"),
    ("2024年1月20日 某某县财政局", "某某县财政局"), ("二〇二四年一月二十日某某县财政局", "某某县财政局"),
    ("无锡市人民政府", "无锡市人民政府"), ("无为市人民政府", "无为市人民政府"),
    ("本年度没有产生信息公开处理费", None), ("联系电话：0451-57158067", None), ("无", None), ("", None),
])
def test_signed_agency(signed: str, name: str | None) -> None:
    assert signed_agency(signed) == name


@pytest.mark.parametrize(("title", "name"), [
    ("洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府"),
    ("平潭综合实验区综合执法与应急管理局 2023年政府信息公开工作年度报告", "平潭综合实验区综合执法与应急管理局"),
    ("某某县人民政府办公室关于2023年度政府信息公开工作年度报告", "某某县人民政府办公室"),
    ("2023年度某某县人民政府政府信息公开工作年度报告", "某某县人民政府"),
    ("2023年政府信息公开工作年度报告", None), ("关于2023年度政府信息公开工作年度报告", None),
    ("政府信息公开工作年度报告（2023年度）", None), ("某某县（区）人民政府2023年政府信息公开工作年度报告", "某某县（区）人民政府"),
])
def test_title_agency(title: str, name: str | None) -> None:
    assert title_agency(title) == name


def test_choose_agency() -> None:
    assert choose_agency("某某县财政金融局2023年政府信息公开工作年度报告", "某某县财政全融局") == "某某县财政金融局"
    assert choose_agency("洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府") == "淮安市洪泽区人民政府"
    assert choose_agency("2023年政府信息公开工作年度报告", "此函 某某县财政局") == "某某县财政局"
    assert choose_agency(None, "没有其他需要说明的事项") is None


def test_huaian_2023_reads_the_agency_its_title_prints() -> None:
    """The 2023 report of 洪泽区 prints its title as “洪泽区人民政府 / 2023 年政府信息公开工作年度报告” (page 1,
    and the PDF's metadata title says the same); only the file name says 淮安市洪泽区人民政府.  It has no
    signature line: the agency is the title's."""
    path = SAMPLES / "pdf" / "淮安市洪泽区人民政府-2023.pdf"
    if not path.exists():
        pytest.skip("shared samples absent")
    assert gongkai.parse(path).agency == "洪泽区人民政府"
