"""HTML (accessible, self-contained, escaped) and PDF (WeasyPrint, CJK fonts embedded)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from gongkai import Report, parse, render

SEED = Path(__file__).resolve().parent / "corpus/seed-2021-huifa/source.txt"


def _cjk_fonts() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60).stdout
    return bool(out.strip())


needs_cjk = pytest.mark.skipif(not _cjk_fonts(), reason="no CJK font installed (./dev installs fonts-noto-cjk)")


@pytest.fixture(scope="module")
def seed() -> Report:
    return parse(SEED)


def _tables(html: bytes) -> list:
    return lxml.html.fromstring(html).xpath("//table")


def _width(tr, spans_above: dict[int, int]) -> int:
    return sum(int(c.get("colspan", 1)) for c in tr.xpath("./th|./td"))


def _grid_ok(table) -> None:
    """Every row of the table, with the rowspans from above, covers the same number of columns."""
    ncols = len(table.xpath("./colgroup/col"))
    pending: list[int] = [0] * ncols
    for tr in table.xpath(".//tr"):
        j = 0
        for c in tr.xpath("./th|./td"):
            while j < ncols and pending[j] > 0:
                j += 1
            cs, rs = int(c.get("colspan", 1)), int(c.get("rowspan", 1))
            for k in range(j, j + cs):
                assert pending[k] == 0
                pending[k] = rs
            j += cs
        assert all(p > 0 for p in pending), lxml.html.tostring(tr, encoding="unicode")[:200]
        pending = [p - 1 for p in pending]


def test_html_tables_are_accessible_and_well_formed(seed):
    html = render(seed, "html")
    doc = lxml.html.fromstring(html)
    assert doc.get("lang") == "zh-CN"
    assert doc.xpath("//title")[0].text == "方正县会发镇2021年政府信息公开工作年度报告"
    tables = _tables(html)
    assert len(tables) == 3
    for t in tables:
        assert t.xpath("./caption")
        _grid_ok(t)
        for th in t.xpath(".//th"):
            assert th.get("scope") in ("col", "colgroup", "row", "rowgroup")
    t3 = tables[1]
    corner = t3.xpath("./thead/tr[1]/td")[0]
    assert corner.get("rowspan") == "3" and corner.get("colspan") == "3"
    assert "勾稽关系" in corner.text_content()
    group = t3.xpath(".//th[@scope='rowgroup' and text()='三、本年度办理结果']")[0]
    assert group.get("rowspan") == "22"
    assert t3.xpath(".//th[@scope='rowgroup' and text()='（三）不予公开']")[0].get("rowspan") == "8"
    assert t3.xpath(".//th[@scope='colgroup' and text()='法人或其他组织']")[0].get("colspan") == "5"
    t4 = tables[2]
    assert len(t4.xpath("./thead/tr")) == 3
    assert len(t4.xpath("./tbody/tr/td")) == 15
    assert len(t4.xpath(".//span[@class='v']")) == 15  # narrow headers printed one character per line
    t2 = tables[0]
    assert len(t2.xpath("./tbody")) == 4  # one row group per captioned block
    assert [th.text for th in t2.xpath(".//th[@scope='rowgroup']")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert not doc.xpath("//table//table")  # no layout tables


def test_html_self_contained_escaped_and_printable():
    r = Report.blank("2021", agency="某局<script>alert(1)</script>", year=2022, fill=0)
    r.sections["overview"] = "<img src=x onerror=alert(1)> & \"quoted\""
    html = render(r, "html").decode()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in html and "@media print" in html
    frag = render(r, "html", standalone=False).decode()
    assert frag.startswith("<style>") and "<html" not in frag and '<article class="gongkai-report"' in frag
    # a CMS editor may drop <style>: borders and alignment are inline as well
    body = lxml.html.fromstring(frag.split("</style>", 1)[1])
    assert all("border:1px solid #000" in (c.get("style") or "") for c in body.xpath("//td|//th"))
    assert "border-collapse:collapse" in body.xpath("//table")[0].get("style")
    assert "border" not in html.split("</style>", 1)[1]  # the full page keeps styles in one place
    assert render(r, "html") == render(r, "html")


def test_html_fragment_reads_back(seed):
    assert parse(render(seed, "html", standalone=False), name="fragment.html") == seed


def test_html_lead_of_a_paragraph_in_kaiti(seed):
    html = render(seed, "html").decode()
    assert '<p><span class="lead">（一）主动公开方面。</span>通过方正县会发镇党委公众号' in html
    assert '<p class="sign">方正县会发镇人民政府</p>' in html and '<p class="sign">2022年1月20日</p>' in html


@pytest.fixture(scope="module")
def seed_pdf(seed) -> bytes:
    return render(seed, "pdf")


@needs_cjk
def test_pdf_text_is_selectable_cjk_without_notdef(seed_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(seed_pdf)) as pdf:
        assert 2 <= len(pdf.pages) <= 7  # 表三's result rows kept on one page may push one page
        w, h = pdf.pages[0].width, pdf.pages[0].height
        assert (round(w * 25.4 / 72), round(h * 25.4 / 72)) == (210, 297)
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    compact = "".join(text.split())
    for label in ("方正县会发镇2021年政府信息公开工作年度报告", "收到和处理政府信息公开申请情况",
                  "8.属于行政查询事项", "未经复议直接起诉", "方正县会发镇人民政府"):
        assert label in compact, label
    assert "\ufffd" not in text and "\x00" not in text
    assert fonts and all("CJK" in f for f in fonts)


@needs_cjk
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdf_fonts_embedded(tmp_path: Path, seed_pdf):
    f = tmp_path / "seed.pdf"
    f.write_bytes(seed_pdf)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, timeout=60, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        emb = cols[-5]
        assert emb == "yes", row  # every font embedded (subset), so no box ever replaces a character
    assert any("Noto-Serif-CJK-SC" in r for r in rows)


def test_pdf_deterministic_and_dated_from_the_report(seed, seed_pdf):
    assert render(seed, "pdf") == seed_pdf
    import pdfplumber

    with pdfplumber.open(io.BytesIO(seed_pdf)) as pdf:
        meta = pdf.metadata
        catalog = pdf.doc.catalog
    assert str(meta.get("CreationDate", "")).startswith("D:20220120")
    assert meta.get("Title") == "方正县会发镇2021年政府信息公开工作年度报告"
    assert "StructTreeRoot" in catalog and "MarkInfo" in catalog  # a tagged PDF (structure for screen readers)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pdf_pages_render_to_png(tmp_path: Path, seed_pdf):
    import os

    art = Path(os.environ.get("GONGKAI_ARTIFACTS", tmp_path)) / "writers-pdf"
    art.mkdir(parents=True, exist_ok=True)
    f = art / "seed.pdf"
    f.write_bytes(seed_pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(f), str(art / "seed-pdf")], check=True, timeout=120)
    pngs = sorted(art.glob("seed-pdf-*.png"))
    assert pngs and all(p.stat().st_size > 1000 for p in pngs)


def test_pdf_refuses_absurdly_long_text_with_a_message():
    from gongkai import RenderError
    from gongkai.writers.pdf import MAX_CHARS

    r = Report.blank("2021", agency="某局", year=2022, fill=0)
    r.sections["other"] = "字" * (MAX_CHARS + 1)
    with pytest.raises(RenderError, match="超过 PDF 输出上限"):
        render(r, "pdf")
