"""The PDF reader on the three real PDFs and on bad input.

Expected values (tests/corpus_pdf/*.expected.json and the cell texts below) were written by
reading the PDFs themselves (``pdftotext -layout`` and page images), not from the reader.
The PDFs stay in the shared samples folder (GONGKAI_SHARED or ../shared next to the checkout).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.errors import ParseError
from gongkai.options import ReadOptions
from gongkai.readers import read_document
from gongkai.readers.blocks import Block, Document
from gongkai.readers.pdf import pdf_document

sys.path.insert(0, str(Path(__file__).parent))
from pdf_fixtures import CID_PAGE, IMAGE_PAGE, make_pdf, placed_page, text_page

HERE = Path(__file__).parent
SHARED = Path(os.environ.get("GONGKAI_SHARED") or Path(__file__).resolve().parents[2] / "shared")
PDFS = SHARED / "samples" / "pdf"
CASES = {
    "hongze-2023": "淮安市洪泽区人民政府-2023.pdf",
    "hongze-2024": "淮安市洪泽区人民政府-2024.pdf",
    "huaian-2024": "淮安市人民政府-2024.pdf",
}


def sample(case: str) -> Path:
    path = PDFS / CASES[case]
    if not path.exists():
        pytest.skip(f"sample PDF not present: {path}")
    return path


_docs: dict[str, Document] = {}


def doc(case: str) -> Document:
    if case not in _docs:
        _docs[case] = read_document(sample(case))
    return _docs[case]


def tables(d: Document) -> list[Block]:
    return [b for b in d.blocks if b.kind == "table"]


def find_cell(block: Block, text: str):
    for row in block.rows:
        for c in row:
            if c.text == text:
                return c
    raise AssertionError(f"no cell {text!r}")


def row_texts(block: Block, first: str) -> list[str]:
    for row in block.rows:
        if any(c.text == first for c in row):
            return [c.text for c in row]
    raise AssertionError(f"no row with {first!r}")


# -- the blocks layer on the real PDFs -------------------------------------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_three_tables_each_joined_across_pages(case):
    d = doc(case)
    assert d.kind == "pdf"
    ts = tables(d)
    assert len(ts) == 3
    # table 二's four captioned blocks are one table although it runs over a page break
    captions = [c.text for row in ts[0].rows for c in row if c.text.startswith("第二十条")]
    assert [c.replace(" ", "") for c in captions] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    # table 三: the 25 or 23 data rows plus three header rows, in one block
    assert ts[1].rows[0][0].text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert ts[1].rows[0][0].rowspan == 3 and ts[1].rows[0][0].colspan == 3
    assert row_texts(ts[1], "四、结转下年度继续办理")[0] == "四、结转下年度继续办理"
    # table 四: headers printed over two lines come out as one text
    heads = [c.text for c in ts[2].rows[2]]
    assert heads == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2


def test_hongze_2023_cells_as_printed():
    d = doc("hongze-2023")
    t2, t3, t4 = tables(d)
    assert row_texts(t2, "行政规范性文件") == ["行政规范性文件", "0", "5", "5"]
    assert row_texts(t2, "行政事业性收费") == ["行政事业性收费", "7730.28"]
    group = find_cell(t3, "三、本年度办理结果")  # printed one character per line
    assert group.rowspan == 20
    # （四）无法提供 spans its three rows although the third is on the next page
    assert find_cell(t3, "（四）无法提供").rowspan == 3
    assert row_texts(t3, "3.补正后申请内容仍不明确") == ["3.补正后申请内容仍不明确"] + ["0"] * 7
    assert row_texts(t3, "2.其他法律行政止公开")[1:] == ["0"] * 7  # the report's typo, as printed
    assert row_texts(t3, "（六）其他处理") == ["（六）其他处理"] + ["0"] * 7
    assert row_texts(t3, "（七）总计") == ["（七）总计", "21", "0", "0", "0", "0", "0", "21"]
    assert [c.text for c in t4.rows[-1]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    # where a cell came from: page, table, row, column
    ten = t4.rows[-1][0]
    assert (ten.loc.page, ten.loc.table, ten.loc.row, ten.loc.col) == (4, 3, 4, 1)
    petition = find_cell(t3, "1.信访举报投诉类申请")
    assert petition.loc.page == 4


def test_huaian_2024_label_cut_by_the_page_break_is_joined():
    t2, t3, t4 = tables(doc("huaian-2024"))
    cell = find_cell(t3, "（四）无法提供")  # printed （四）无 on page 4 and 法提供 on page 5
    assert cell.rowspan == 3 and cell.loc.page == 4
    assert find_cell(t3, "（六）其他处理").rowspan == 3
    assert row_texts(t3, "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")[-7:] == \
        ["67", "3", "0", "0", "1", "0", "71"]
    assert row_texts(t3, "2.没有现成信息需要另行制作")[1:] == ["11", "0", "0", "0", "0", "0", "11"]
    assert row_texts(t2, "行政处罚") == ["行政处罚", "3985758"]
    assert [c.text for c in t4.rows[-1]] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]


def test_hongze_2024_empty_cells_are_kept_as_printed():
    _t2, t3, t4 = tables(doc("hongze-2024"))
    # this report draws an empty cell between （六）其他处理 and its numbers
    assert row_texts(t3, "（六）其他处理") == ["（六）其他处理", ""] + ["0"] * 7
    assert row_texts(t3, "（七）总计") == ["（七）总计", "", "95", "0", "0", "0", "0", "0", "95"]
    assert [c.text for c in t4.rows[-1]] == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]


@pytest.mark.parametrize("case", list(CASES))
def test_paragraphs_without_page_numbers(case):
    d = doc(case)
    paras = [b.text for b in d.blocks if b.kind == "para"]
    assert not any(p.strip("-— ").isdigit() for p in paras)
    assert paras[0].endswith("人民政府") and "年政府信息公开工作年度报告" in paras[1]
    assert "一、总体情况" in paras
    assert "六、其他需要报告的事项" in paras
    # wrapped lines joined without spaces
    assert any("统计期限自2" in p for p in paras)


def test_paragraph_runs_on_over_the_page_break():
    paras = [b.text for b in doc("hongze-2023").blocks if b.kind == "para"]
    # page 1 ends with 严格执行“分 and page 2 goes on with 级审核、先审后发”
    assert any("严格执行“分级审核、先审后发”程序" in p for p in paras)


@pytest.mark.parametrize("footer", ["- {n} -", "{n}", "Page {n} of 3", "{n} / 3"])
def test_running_headers_and_page_numbers_are_dropped(footer):
    pages = []
    for n in range(1, 4):
        body = [(72, 700 - 16 * k, f"Body text line {k} of page {n}, long enough to fill the measure.")
                for k in range(3)]
        pages.append(placed_page([(200, 800, "Annual Report 2024"), *body, (290, 40, footer.format(n=n))]))
    d = pdf_document(make_pdf(pages), "running.pdf")
    text = " ".join(b.text for b in d.blocks)
    assert "Annual Report" not in text
    assert "of 3" not in text and not any(b.text.strip("- ").isdigit() for b in d.blocks)
    assert "Body text line 2 of page 3" in text


def test_landscape_page_set_by_rotation(backend):
    """A page turned by /Rotate 90 whose text is drawn turned the other way reads left to right."""
    lines = [(72, 500, "Landscape page title"), (72, 480, "second line of text")]
    content = b"BT /F1 12 Tf " + b" ".join(
        f"0 1 -1 0 {560 - y} {x} Tm ({t}) Tj".encode() for x, y, t in lines) + b" ET"
    data = make_pdf([content]).replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 842] /Rotate 90")
    d = pdf_document(data, "landscape.pdf")
    assert [b.text for b in d.blocks] == ["Landscape page title second line of text"]


def test_text_drawn_twice_is_read_once():
    """Fake bold: WPS draws a word twice, a fraction of a point apart."""
    page = placed_page([(72, 700, "Bold heading"), (72.3, 700, "Bold heading"), (72, 680, "plain")])
    d = pdf_document(make_pdf([page]), "bold.pdf")
    assert d.blocks[0].text.startswith("Bold heading") and "Bold headingBold" not in d.blocks[0].text


# -- end to end: every cell ------------------------------------------------------------------

def _expected(case: str) -> dict:
    # amounts as Decimal, compared exactly with the model's
    return json.loads((HERE / "corpus_pdf" / f"{case}.expected.json").read_text("utf-8"), parse_float=Decimal)


def _diff(exp: dict, got: dict) -> list[str]:
    out = []
    for k in ("format", "agency", "year", "published", "period"):
        if exp[k] != got[k]:
            out.append(f"{k}: expected {exp[k]!r}, got {got[k]!r}")
    for t, rows in exp["tables"].items():
        for r in sorted(set(rows) | set(got["tables"].get(t, {}))):
            for c in sorted(set(rows.get(r, {})) | set(got["tables"].get(t, {}).get(r, {}))):
                e = rows.get(r, {}).get(c, "absent")
                g = got["tables"].get(t, {}).get(r, {}).get(c, "absent")
                if e != g:
                    out.append(f"{t}.{r}.{c}: expected {e!r}, got {g!r}")
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_real_pdf_every_cell(case):
    pytest.importorskip("gongkai.readers.assemble")
    from gongkai import parse

    report = parse(sample(case))
    got = report.to_dict(provenance=False)
    assert _diff(_expected(case), got) == []


def test_provenance_points_at_the_printed_cell():
    pytest.importorskip("gongkai.readers.assemble")
    from gongkai import parse

    report = parse(sample("hongze-2023"))
    cell = report.table("appeals").cell("review", "upheld")
    assert cell is not None and cell.text == "10"
    assert cell.loc is not None and cell.loc.page == 4


@pytest.mark.parametrize("case", list(CASES))
def test_both_page_backends_give_the_same_blocks(case, monkeypatch):
    import gongkai.readers.pdf as pdfmod

    data = sample(case).read_bytes()
    slow = pdfmod.pdf_document(data, "x.pdf", ReadOptions(pdf_backend="pdfplumber"))
    fast = pdfmod.pdf_document(data, "x.pdf", ReadOptions(pdf_backend="pdfium"))
    assert fast.debug() == slow.debug()


# -- bad input -------------------------------------------------------------------------------

@pytest.fixture(params=["pdfium", "pdfplumber"])
def backend(request, monkeypatch):
    # the default backend of ReadOptions (pdf_document's default options)
    monkeypatch.setenv("GONGKAI_PDF_BACKEND", request.param)
    assert ReadOptions().pdf_backend == request.param
    return request.param


def test_image_only_pdf_with_ocr_off_says_ocr_is_needed(backend):
    data = make_pdf([IMAGE_PAGE] * 3, image=True)
    with pytest.raises(ParseError) as e:
        pdf_document(data, "扫描件.pdf", ReadOptions(ocr="off"))
    msg = str(e.value)
    assert "扫描图片版" in msg and "OCR 已关闭" in msg and "共3页" in msg and "扫描件.pdf" in msg


def test_an_image_with_no_text_in_it_says_ocr_found_none():
    """A grey picture is recognised (OCR on by default) and yields no text: said so, not a crash."""
    pytest.importorskip("rapidocr_onnxruntime")
    data = make_pdf([IMAGE_PAGE] * 2, image=True)
    with pytest.raises(ParseError) as e:
        pdf_document(data, "扫描件.pdf")
    assert "扫描图片版" in str(e.value) and "OCR 未识别出文字" in str(e.value) and "共2页" in str(e.value)


def test_pdf_without_any_text(backend):
    with pytest.raises(ParseError, match="没有可提取的文字"):
        pdf_document(make_pdf([b""]), "空白.pdf")


def test_fonts_without_a_text_encoding(backend):
    with pytest.raises(ParseError, match="缺少文字编码"):
        pdf_document(make_pdf([CID_PAGE] * 2, cid_font=True), "字形.pdf")


def test_encrypted_pdf(backend):
    with pytest.raises(ParseError, match="已加密"):
        pdf_document(make_pdf([text_page(["hello"])], encrypted=True), "加密.pdf")


def test_copy_restricted_pdf_is_read(backend):
    """Encrypted with an empty opening password (printing/copying "forbidden"): readable."""
    d = pdf_document(make_pdf([text_page(["Restricted copy", "hello world"])], restricted=True), "受限.pdf")
    assert [b.text for b in d.blocks] == ["Restricted copy hello world"]


def test_truncated_pdf(backend):
    data = sample("hongze-2023").read_bytes()
    for cut in (200, len(data) // 2):
        with pytest.raises(ParseError, match="损坏或不完整"):
            pdf_document(data[:cut], "截断.pdf")


def test_garbage_after_pdf_header(backend):
    with pytest.raises(ParseError, match="损坏"):
        read_document(b"%PDF-1.7\n" + bytes(range(256)) * 20, name="乱码.pdf")


def test_long_pdf_is_read_only_as_far_as_needed(backend):
    pages = [text_page([f"Page {i}", "The quick brown fox jumps over the lazy dog"]) for i in range(300)]
    d = pdf_document(make_pdf(pages), "long.pdf")
    assert ("pdf.pages", "PDF 共300页，只读取了前60页") in d.notices
    assert "The quick brown fox" in d.blocks[0].text


def test_long_non_report_pdf_fails_cleanly_in_bounded_time(tmp_path):
    """A 300-page PDF that is not a report: a Chinese message, no traceback, no hang."""
    pytest.importorskip("gongkai.readers.assemble")
    pages = [text_page([f"Chapter {i}"] + ["Lorem ipsum dolor sit amet"] * 40) for i in range(300)]
    path = tmp_path / "book.pdf"
    path.write_bytes(make_pdf(pages))
    code = textwrap.dedent(f"""
        import resource, sys
        from gongkai import parse
        from gongkai.errors import GongkaiError
        try:
            parse({str(path)!r})
        except GongkaiError as e:
            print("ERR", e)
        # peak RSS of this process image (ru_maxrss would include the forking parent's)
        hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")]
        print("RSS", hwm[0].split()[1] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ERR" in out.stdout and "Traceback" not in out.stderr, (out.stdout, out.stderr)
    rss_kb = int(out.stdout.split("RSS")[1])
    assert rss_kb < 300 * 1024, out.stdout


def test_a_scanned_page_among_text_pages_is_reported(backend):
    data = make_pdf([text_page(["Annual report", "page one"]), IMAGE_PAGE], image=True)
    d = pdf_document(data, "mixed.pdf", ReadOptions(ocr="off"))
    assert ("pdf.image_page", "第2页只有图片、没有文字，可能是扫描页；OCR 已关闭，未能读取") in d.notices


def test_a_pdf_that_is_not_a_report(tmp_path):
    pytest.importorskip("gongkai.readers.assemble")
    weasyprint = pytest.importorskip("weasyprint")
    from gongkai import parse
    from gongkai.errors import GongkaiError

    html = ("<html><body><h1>关于召开全市安全生产工作会议的通知</h1>"
            "<p>各县区人民政府，市各有关部门：经研究，定于下周召开全市安全生产工作会议，请准时参加。</p>"
            "<table border=1><tr><td>参会单位</td><td>人数</td></tr><tr><td>应急管理局</td><td>3</td></tr></table>"
            "</body></html>")
    pdf = weasyprint.HTML(string=html).write_pdf()
    with pytest.raises(GongkaiError) as e:
        parse(pdf, name="通知.pdf")
    assert "通知.pdf" in str(e.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message)
