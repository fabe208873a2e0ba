"""DOCX writer: the national template's table structure, GB/T 9704 page, determinism, LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gongkai import Report, parse, render

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path("/work/shared/samples/docx/年度报告格式模板（空白）.docx")
SEED = ROOT / "tests/corpus/seed-2021-huifa/source.txt"


def _structure(tbl) -> list[list[tuple[str, int, str]]]:
    """Rows of (label text or '#' for a value cell, gridSpan, vMerge state) of a Word table."""
    out = []
    for tr in tbl.iter(qn("w:tr")):
        row = []
        for tc in tr.iter(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            text = "".join(text.split()).replace("\u3000", "")
            state = "" if vm is None else (vm.get(qn("w:val")) or "continue")
            if state == "continue":
                text = ""
            elif not text or text.replace(".", "").isdigit() or text == "/":
                text = "#"
            row.append((text, int(span.get(qn("w:val"))) if span is not None else 1, state))
        out.append(row)
    return out


def _tables(data: bytes | Path) -> list:
    d = docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    return [t._tbl for t in d.tables]


def _seed() -> Report:
    return parse(SEED)


@pytest.mark.skipif(not TEMPLATE.exists(), reason="national template not available")
def test_tables_have_the_merges_of_the_national_template():
    mine = [_structure(t) for t in _tables(render(Report.blank("2021", agency="某局", year=2022, fill=0), "docx"))]
    theirs = [_structure(t) for t in _tables(TEMPLATE)]
    assert len(mine) == len(theirs) == 3
    for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        assert len(a) == len(b), f"table {k}: {len(a)} rows, template {len(b)}"
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            assert ra == rb, f"table {k} row {i}:\n mine     {ra}\n template {rb}"


def test_gbt9704_page_fonts_and_headings():
    d = docx.Document(io.BytesIO(render(_seed(), "docx")))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) \
        == (37, 35, 28, 26)
    paras = [p for p in d.paragraphs if p.text.strip()]
    assert paras[0].text == "方正县会发镇2021年政府信息公开工作年度报告"
    assert paras[0].runs[0].font.size.pt == 22
    assert paras[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heads = [p.text for p in paras if p.style.name == "Heading 1"]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    lead = next(p for p in paras if p.text.startswith("（一）主动公开方面。"))
    assert lead.runs[0].text == "（一）主动公开方面。"
    assert lead.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert lead.runs[1]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # agency and date at the end, right-aligned
    assert [p.text for p in paras[-2:]] == ["方正县会发镇人民政府", "2022年1月20日"]
    assert all(p.alignment == 2 for p in paras[-2:])  # WD_ALIGN_PARAGRAPH.RIGHT
    footer = d.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer  # page number “— 1 —”
    fonts = zipfile.ZipFile(io.BytesIO(render(_seed(), "docx"))).read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong,Noto Serif CJK SC"/>' in fonts


def test_table4_headers_vertical_and_header_rows_repeat():
    tbls = _tables(render(_seed(), "docx"))
    t4 = tbls[2]
    rows = list(t4.iter(qn("w:tr")))
    def vertical(tr) -> list[str]:
        return ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))
                if tc.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") is not None]

    # the five 行政复议 columns (merged down over two rows) and the ten 行政诉讼 sub-columns
    assert vertical(rows[1]) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert vertical(rows[2]) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    dirs = [tc.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") for tc in rows[2].iter(qn("w:tc"))]
    assert [d.get(qn("w:val")) for d in dirs if d is not None] == ["tbRlV"] * 10
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows[:3])
    assert rows[3].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    t3rows = list(tbls[1].iter(qn("w:tr")))
    assert sum(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in t3rows) == 3


def test_deterministic_bytes_and_core_properties():
    r = _seed()
    a, b = render(r, "docx"), render(r, "docx")
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    cp = docx.Document(io.BytesIO(a)).core_properties
    assert cp.created.date() == date(2022, 1, 20) == cp.modified.date()
    assert cp.title == "方正县会发镇2021年政府信息公开工作年度报告"
    r2 = Report.blank("2021", fill=0)
    assert render(r2, "docx") == render(r2, "docx")
    assert docx.Document(io.BytesIO(render(r2, "docx"))).core_properties.created.year == 2000


def test_user_text_is_escaped_in_xml():
    r = Report.blank("2021", agency="A&B<局>", year=2022, fill=0)
    r.sections["other"] = "含有 <w:t> & 特殊字符 \"引号\""
    d = docx.Document(io.BytesIO(render(r, "docx")))
    texts = [p.text for p in d.paragraphs]
    assert "含有 <w:t> & 特殊字符 \"引号\"" in texts
    assert "A&B<局>2022年政府信息公开工作年度报告" in texts


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) or pdftoppm not installed")
def test_libreoffice_converts_without_warnings_and_pages_render(tmp_path: Path):
    src = tmp_path / "seed.docx"
    src.write_bytes(render(_seed(), "docx"))
    env = dict(os.environ, HOME=str(tmp_path))  # a private LibreOffice profile
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr
    noise = ("javaldx", "java may not function")  # the JRE is not installed; unrelated to the document
    problems = [ln for ln in (proc.stderr + proc.stdout).splitlines()
                if ln.strip() and not any(n in ln for n in noise) and not ln.startswith("convert ")]
    assert problems == []
    pdf = tmp_path / "seed.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    art = Path(os.environ.get("GONGKAI_ARTIFACTS", tmp_path)) / "writers-docx"
    art.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(art / "seed-docx")], check=True, timeout=120)
    pages = sorted(art.glob("seed-docx-*.png"))
    assert 2 <= len(pages) <= 6
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "收到和处理政府信息公开申请情况" in text and "\ufffd" not in text
