"""The portal pages saved from a government site (shared samples) read exactly from their HTML.

Expected values (tests/corpus_portal/<name>.expected.json) were written by reading each page's
HTML by eye; the samples themselves are not copied into the repository.  The portal's "text
version" of each page (page.txt, cells glued together) must read to the same numbers.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gongkai
from gongkai.readers.blocks import Block

HERE = Path(__file__).parent
SHARED = Path(os.environ.get("GONGKAI_SHARED") or HERE.parents[1] / "shared")
PORTAL = SHARED / "samples" / "portal"
CASES = sorted(p.name.removesuffix(".expected.json") for p in (HERE / "corpus_portal").glob("*.expected.json"))

pytestmark = pytest.mark.skipif(not PORTAL.is_dir(), reason="shared samples not present")


def expected(name: str) -> dict[str, Any]:
    return json.loads((HERE / "corpus_portal" / f"{name}.expected.json").read_text(encoding="utf-8"), parse_float=Decimal)


def differences(got: dict[str, Any], exp: dict[str, Any]) -> list[str]:
    """Every cell and fact of ``exp`` that ``got`` does not have (cells absent count)."""
    out = [f"{k}: {got.get(k)!r} ≠ {exp[k]!r}" for k in ("format", "agency", "year", "published")
           if got.get(k) != exp[k]]
    for t, rows in exp["tables"].items():
        for r, cols in rows.items():
            for c, v in cols.items():
                g = got["tables"].get(t, {}).get(r, {}).get(c, "<absent>")
                if g != v:
                    out.append(f"{t}.{r}.{c}: {g!r} ≠ {v!r}")
    extra = {(t, r) for t, rows in got["tables"].items() for r in rows} - \
            {(t, r) for t, rows in exp["tables"].items() for r in rows}
    out += [f"unexpected row {t}.{r}" for t, r in sorted(extra)]
    return out


def test_every_portal_page_has_an_expected_file():
    pages = sorted(p.parent.name for p in PORTAL.glob("*/page.html"))
    assert pages == CASES


@pytest.mark.parametrize("name", CASES)
def test_page_html_reads_exactly(name):
    report = gongkai.parse(PORTAL / name / "page.html")
    assert differences(report.to_dict(), expected(name)) == []


@pytest.mark.parametrize("name", CASES)
def test_page_html_provenance_points_at_table_cells(name):
    report = gongkai.parse(PORTAL / name / "page.html")
    cell = report.table("requests").cell("new", "natural_person")
    assert cell is not None and cell.loc is not None
    assert cell.loc.table == 2 and cell.loc.row == 4 and cell.loc.col == 4  # after the 3-column label
    assert cell.text == str(expected(name)["tables"]["requests"]["new"]["natural_person"])


@pytest.mark.parametrize("name", CASES)
def test_page_html_blocks(name):
    doc = gongkai.read_document(PORTAL / name / "page.html")
    tables: list[Block] = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 3
    # table 三: 3 header rows + 25 data rows, the corner spanning 3x3, 自然人 read as one word
    t3 = tables[1]
    assert len(t3.rows) == 28
    assert (t3.rows[0][0].rowspan, t3.rows[0][0].colspan) == (3, 3)
    assert t3.rows[1][0].text == "自然人"
    assert t3.rows[5][0].text == "三、本年度办理结果" and t3.rows[5][0].rowspan == 22
    assert [c.text for c in t3.rows[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # table 四: headers printed 结果<br/>纠正 read as one word, one data row of 15 cells
    t4 = tables[2]
    assert [c.text for c in t4.rows[2]][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert len(t4.rows[3]) == 15
    assert doc.meta["title"].startswith(name.split("-")[0])
    assert doc.meta["posted"][:4] == str(int(name.split("-")[1]) + 1)
    assert doc.meta["title"].startswith(expected(name)["agency"])


def test_year_split_over_word_spans_is_joined():
    # 投资促进局's page prints "202</span><span …><span …>5" all over its text
    doc = gongkai.read_document(PORTAL / "平潭综合实验区投资促进局-2025" / "page.html")
    text = "\n".join(b.text for b in doc.blocks if b.kind == "para")
    assert "2025年1月1日至2025年12月31日" in text
    assert "202 5" not in text


# The text version (cells glued) must give the same numbers as the HTML.  Where the glued digits
# admit several splits that satisfy every identity (table 二 has none for 行政规范性文件: "15621"),
# the text reader leaves the cells blank and lists the candidates: the HTML's numbers must be
# one of them.
@pytest.mark.parametrize("name", CASES)
def test_page_txt_reads_to_the_same_numbers_as_the_html(name):
    html = gongkai.parse(PORTAL / name / "page.html")
    txt = gongkai.parse(PORTAL / name / "page.txt")
    for key, table in html.tables.items():
        other = txt.table(key)
        for r, c, cell in table.items():
            got = other.cell(r, c)
            assert got is not None, f"{key}.{r}.{c} absent from page.txt"
            if got.value == cell.value:
                continue
            assert got.value is None and got.note, f"{key}.{r}.{c}: txt {got.value!r} ≠ html {cell.value!r}"
            row = ",".join(str(table.value(r, k)) for k in table.columns_of(r))
            assert row in got.note, f"{key}.{r}: {row} not among the candidates {got.note}"


@pytest.mark.parametrize("name", CASES)
def test_page_exported_to_word_as_an_imported_part_reads_exactly(name):
    """CMS "导出Word" buttons often wrap the page in a .docx as a w:altChunk: same numbers."""
    import io
    import zipfile

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="htmlChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'aFChunk" Target="/word/page.html"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {ns}><w:body>'
                                        '<w:altChunk r:id="htmlChunk"/></w:body></w:document>')
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr("word/page.html", (PORTAL / name / "page.html").read_bytes())
    report = gongkai.parse(buf.getvalue(), name=f"{name}.docx")
    assert differences(report.to_dict(), expected(name)) == []
