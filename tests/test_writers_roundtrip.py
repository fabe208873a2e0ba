"""Round trips: ``parse(render(r, fmt)) == r`` for every writer that has a reader.

``Report.__eq__`` compares the whole content (metadata, every cell, narrative) without provenance.
Generated reports come from ``gongkai.testing.random_corpus`` with four mixes of knobs (plain;
blank and "/" cells; （六）其他处理 printed as one row; narrative before the tables).

Counts per writer: html/json 1000, docx 200, md 1000, xlsx 60, pdf 12 by default;
``GONGKAI_PROPERTY_N=N`` sets every count to N (the figures in benchmarks/README.md were run
with 2000).

Reader gaps found this way were closed; a minimal case of each stays as a test below (period
without the repeated year, an agency signed without a date, a short line before a URL in a PDF, a
blank cell before a spanned value in Markdown).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import gongkai
from gongkai import Report, render
from gongkai.testing import random_corpus
from gongkai.writers import load_report

SEED = Path(__file__).resolve().parent / "corpus/seed-2021-huifa/source.txt"
_ENV = os.environ.get("GONGKAI_PROPERTY_N")
COUNTS = {"html": 1000, "json": 1000, "docx": 200, "md": 1000, "xlsx": 60, "pdf": 12}
MIXES = ({}, {"blank_rate": 0.05, "na_rate": 0.1}, {"collapse_other": True}, {"table_narrative": 1.0})


def count(to: str) -> int:
    return int(_ENV) if _ENV else COUNTS[to]


def corpus(n: int, mixes: tuple[dict, ...] = MIXES) -> Iterator[Report]:
    for k, knobs in enumerate(mixes):
        yield from random_corpus(n // len(mixes) + (k < n % len(mixes)), seed=100 + k, **knobs)


def read_back(data: bytes, to: str) -> Report:
    return load_report(data) if to == "json" else gongkai.parse(data, name=f"report.{to}")


def diff(a: Report, b: Report) -> list[str]:
    x, y = a.content(), b.content()
    out = []
    for k in x:
        if k == "tables":
            for t in set(x[k]) | set(y.get(k, {})):
                xt, yt = x[k].get(t, {}), y.get(k, {}).get(t, {})
                for r in set(xt) | set(yt):
                    for c in set(xt.get(r, {})) | set(yt.get(r, {})):
                        u, v = xt.get(r, {}).get(c, "<absent>"), yt.get(r, {}).get(c, "<absent>")
                        if u != v:
                            out.append(f"{t}.{r}.{c}: {u!r} → {v!r}")
        elif x[k] != y.get(k):
            out.append(f"{k}: {str(x[k])[:60]!r} → {str(y.get(k))[:60]!r}")
    return sorted(out)


def tables_part(r: Report) -> dict:
    c = r.content()
    return {k: c[k] for k in ("format", "agency", "year", "tables")}


@pytest.fixture(scope="module")
def seed() -> Report:
    return gongkai.parse(SEED)


# -- the seed, every writer ---------------------------------------------------------------------
@pytest.mark.parametrize("to", ["html", "docx", "json", "md", "pdf", "xlsx"])
def test_seed_round_trip(seed: Report, to: str) -> None:
    back = read_back(render(seed, to), to)
    assert back == seed, diff(seed, back)


# -- generated reports --------------------------------------------------------------------------
@pytest.mark.parametrize("to", ["html", "docx", "json", "md", "xlsx", "pdf"])
def test_generated_round_trip(to: str) -> None:
    failures = []
    n = 0
    for r in corpus(count(to)):
        n += 1
        back = read_back(render(r, to), to)
        if back != r:
            failures.append(f"{r.agency}{r.year}（{r.format.id}）: {diff(r, back)[:6]}")
    assert n == count(to)
    assert not failures, f"{to}: {len(failures)} of {n} differ\n" + "\n".join(failures[:5])


def test_period_without_the_repeated_year() -> None:
    from datetime import date

    r = Report.blank("2021", agency="某县某局", year=2024, fill=0)
    r.title = "某县某局2024年政府信息公开工作年度报告"
    r.published = date(2025, 1, 20)
    r.preamble = "本报告中所列数据的统计期限为2024年1月1日至12月31日。"
    assert r.period is not None
    back = read_back(render(r, "html"), "html")
    assert diff(r, back) == [], diff(r, back)


def test_md_blank_cell_before_a_spanned_value() -> None:
    """A blank cell, then a value spanning two grid columns (2019 procurement): the pipe table's
    header says which column the value is in."""
    r = Report.blank("2019", agency="某局", year=2020, fill=0)
    r.table("proactive").set("procurement", "projects", None)
    r.table("proactive").set("procurement", "amount", 866003)
    md = render(r, "md")
    assert "| 政府集中采购 |  | 866003 |  |" in md.decode()  # the writer puts it under 采购总金额
    back = read_back(md, "md")
    assert (back.value("proactive", "procurement", "projects"), back.value("proactive", "procurement", "amount")) \
        == (None, 866003)


def _short_line_report() -> Report:
    """A preamble whose lines end before runs that cannot be broken (a URL, a phone number)."""
    from datetime import date

    r = Report.blank("2021", agency="淮安市洪泽区人民政府", year=2023, fill=0)
    r.title = "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"
    r.published = date(2024, 1, 20)
    r.period = None  # the preamble does not state it
    r.sections = dict.fromkeys(("overview", "proactive", "requests", "appeals", "problems", "other"), "")
    r.preamble = ("本报告依据《中华人民共和国政府信息公开条例》编制。本年度报告的电子版可以在门户网站查阅，"
                  "网址为：https://zwgk.hongze.gov.cn/zwgk/zfxxgknb/。如对本报告有疑问，请联系淮安市洪泽区人民政府办公室"
                  "（地址：淮安市洪泽区洪泽湖大道90号，邮编：223100，电话：0517-87222589）。")
    r.portal = "https://zwgk.hongze.gov.cn/zwgk/zfxxgknb/"
    r.contact = {"address": "淮安市洪泽区洪泽湖大道90号", "postcode": "223100", "phone": "0517-87222589"}
    return r


def test_short_line_report_reads_back_from_html() -> None:
    r = _short_line_report()
    back = read_back(render(r, "html"), "html")
    assert back == r, diff(r, back)


def test_pdf_line_short_before_an_unbreakable_run() -> None:
    r = _short_line_report()
    back = read_back(render(r, "pdf"), "pdf")
    assert back == r, diff(r, back)


@pytest.mark.parametrize("to", ["docx", "html", "md"])
def test_agency_signed_without_a_date(to: str) -> None:
    r = Report.blank("2021", agency="某县某局", year=2022, fill=0)
    r.title = "某县某局2022年政府信息公开工作年度报告"
    r.period = None  # no preamble states it
    r.sections["other"] = "无。"
    back = read_back(render(r, to), to)
    assert back == r, diff(r, back)
