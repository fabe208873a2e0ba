"""Image-only PDF pages read by OCR (issue 8 item 8).

Fixtures are made at test time from the shared sample PDFs: pages rendered to grey images by
poppler's ``pdftoppm`` and put back into a PDF with no text (``pdf_fixtures.image_only``).  The
expected numbers are the ones printed in the text PDF (its own reading, compared cell by cell with
the tables of the documents in test_reader_pdf's golden files).  OCR is slow (seconds per page), so
the always-on test scans one page; the whole samples are the long run (``GONGKAI_SLOW=1``) and the
figures of ``benchmarks/bench_ocr.py``.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai import parse, validate
from gongkai.errors import ParseError
from gongkai.model import Loc, Report
from gongkai.readers import ocr
from gongkai.readers.ocr_check import alternatives, settle

sys.path.insert(0, str(Path(__file__).parent))
from pdf_fixtures import image_only, with_pages_as_images

SAMPLES = Path(os.environ.get("GONGKAI_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "samples" / "pdf"
HONGZE_2024 = SAMPLES / "淮安市洪泽区人民政府-2024.pdf"

def _sample(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared sample absent: {path}")
    pytest.importorskip("rapidocr_onnxruntime")
    return path


def _cells(report: Report) -> dict[tuple[str, str, str], object]:
    return {(t, r, c): cell.value for t, table in report.tables.items() for r, c, cell in table.items()}


@pytest.fixture(scope="module")
def page_four_scanned() -> Iterator[tuple[Report, Report]]:
    """洪泽区 2024 as printed, and the same PDF whose page 4 (the end of table 三 and table 四) is a scan.
    (OCR's page deadline is lifted: a loaded machine must not make the test fail; its time is
    measured in benchmarks/bench_ocr.py.)"""
    path = _sample(HONGZE_2024)
    saved = ocr.PAGE_SECONDS
    ocr.PAGE_SECONDS = 900.0
    try:
        yield parse(path), parse(with_pages_as_images(str(path), [4]), name="洪泽区-第4页扫描.pdf")
    finally:
        ocr.PAGE_SECONDS = saved


def test_a_scanned_table_page_reads_as_the_printed_one(page_four_scanned):
    text, scanned = page_four_scanned
    assert _cells(scanned) == _cells(text)
    # the reading of the scan is the document's: table 四 read from the image, e.g. its first row
    appeals = scanned.table("appeals")
    assert appeals.value("review", "upheld") == 1 and appeals.value("review", "total") == 2
    assert appeals.value("suit_after_review", "total") == 3


def test_every_number_from_the_scan_is_marked_ocr(page_four_scanned):
    _text, scanned = page_four_scanned
    pages = {(c.loc.page if c.loc else None, c.evidence) for t in scanned.tables.values() for _, _, c in t.items()}
    assert {e for p, e in pages if p == 4} == {"ocr"}
    assert {e for p, e in pages if p != 4} == {None}
    prov = scanned.to_dict()["provenance"]["tables"]["appeals"]["review"]["upheld"]
    assert prov["evidence"] == "ocr" and prov["loc"]["page"] == 4
    assert any(w.id == "pdf.ocr" and "第4页" in w.message and "OCR" in w.message for w in scanned.warnings)


def test_ocr_off_refuses_an_image_only_pdf_with_a_message():
    path = _sample(HONGZE_2024)
    with pytest.raises(ParseError) as e:
        parse(image_only(str(path)), name="扫描件.pdf", options={"ocr": "off"})
    assert "扫描图片版" in e.value.message and "OCR 已关闭" in e.value.message and "共5页" in e.value.message


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("GONGKAI_SLOW"), reason="set GONGKAI_SLOW=1 for the long runs (OCR of 16 pages)")
@pytest.mark.parametrize("name", ["淮安市人民政府-2024.pdf", "淮安市洪泽区人民政府-2023.pdf", "淮安市洪泽区人民政府-2024.pdf"])
def test_a_whole_scanned_sample_reads_as_the_printed_one(name):
    path = _sample(SAMPLES / name)
    saved, ocr.PAGE_SECONDS = ocr.PAGE_SECONDS, 900.0
    try:
        scanned = parse(image_only(str(path)), name=f"扫描-{name}")
    finally:
        ocr.PAGE_SECONDS = saved
    assert _cells(scanned) == _cells(parse(path))
    assert all(c.evidence and c.evidence.startswith("ocr") for t in scanned.tables.values() for _, _, c in t.items())


# -- the identities decide between OCR readings (no OCR engine needed) ------------------------

@pytest.fixture(scope="module")
def printed() -> Report:
    """洪泽区 2024's text reading with every cell placed on a scanned page 1."""
    report = parse(_sample_text(HONGZE_2024))
    for t in report.tables.values():
        for cell in t.cells.values():
            cell.loc = Loc(page=1)
    return report


def _sample_text(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared sample absent: {path}")
    return path


def test_one_misread_digit_is_corrected_by_the_identities(printed):
    report = copy.deepcopy(printed)
    cell = report.table("requests").cell("new", "natural_person")
    assert cell is not None and cell.value == 95  # as printed (表三 一、本年新收 自然人)
    cell.value, cell.text = 85, "85"  # 9 read as 8
    settle(report, [1])
    assert cell.value == 95 and cell.evidence == "ocr+identity" and not cell.uncertain
    assert cell.text == "85" and cell.note and "OCR 读作“85”" in cell.note and "按 95 读取" in cell.note
    notice = next(w for w in report.warnings if w.id == "ocr.identity")
    assert "表三" in notice.message and "应为 95" in notice.message
    # every other cell keeps its reading, marked as read by OCR
    others = [c for t in report.tables.values() for _, _, c in t.items() if c is not cell]
    assert {c.evidence for c in others} == {"ocr"} and not any(c.uncertain for c in others)


def test_misreadings_the_identities_cannot_settle_are_reading_uncertainty(printed):
    report = copy.deepcopy(printed)
    t3 = report.table("requests")
    t3.cell("new", "natural_person").value = 85
    t3.cell("new", "total").value = 35  # two digits misread: no single change makes the table hold
    settle(report, [1])
    flagged = {k for k, c in t3.cells.items() if c.uncertain}
    assert {("new", "natural_person"), ("new", "total")} <= flagged
    assert any(w.id == "ocr.uncertain" and "表三" in w.message for w in report.warnings)
    result = validate(report).reports[0]
    # the failing identity is not reported as the agency's arithmetic error
    assert not [f for f in result.document_findings if f.id.startswith("t3.E")]


def test_a_table_whose_identities_hold_is_left_as_read(printed):
    report = copy.deepcopy(printed)
    settle(report, [1])
    assert _cells(report) == _cells(printed)
    assert not [w for w in report.warnings if w.id.startswith("ocr.")]


def test_alternatives_change_one_digit_to_a_confusable_one():
    assert set(alternatives(95)) == {85, 45, 96, 93}
    assert set(alternatives(80)) == {30, 60, 90, 86, 88, 89}  # never a leading zero
    assert set(alternatives(0)) == {6, 8, 9}


def test_a_cell_left_blank_on_a_scanned_page_is_reading_uncertainty_not_the_agencys_blank(printed):
    report = copy.deepcopy(printed)
    cell = report.table("requests").cell("denied.state_secret", "natural_person")
    assert cell is not None and cell.value == 0  # printed 0 (表三 1.属于国家秘密 自然人)
    cell.value, cell.text = None, ""  # OCR saw nothing there
    settle(report, [1])
    assert cell.uncertain and cell.note and "OCR 未能读出" in cell.note
    result = validate(report).reports[0]
    assert not [f for f in result.document_findings if f.id == "t3.W001"]  # not “不要留空”


def test_recognised_labels_are_snapped_to_the_printed_ones():
    from gongkai.readers.ocr import snap

    assert snap("（一）子以公开") == "（一）予以公开"  # 予 read as 子
    assert snap("1.本机关不掌提相关政府信息") == "1.本机关不掌握相关政府信息"
    assert snap("2.重复申清") == "2.重复申请"
    assert snap("2.其他法律行政法规禁止公") == "2.其他法律行政法规禁止公"  # a wrapped label's first line
    assert snap("2024年，全区政府信息公开工作") == "2024年，全区政府信息公开工作"  # prose stays as read
    assert snap("1288") == "1288" and snap("3.危及") == "3.危及"  # numbers and short pieces too


def test_ocr_short_of_memory_is_a_chinese_message_not_a_dead_process(tmp_path):
    """A caller limited to 1 GB of address space: the worker cannot raise its limit past the
    caller's, ONNX Runtime cannot load, and the caller gets a message naming the page."""
    import subprocess

    path = _sample(HONGZE_2024)
    mixed = tmp_path / "mixed.pdf"
    mixed.write_bytes(with_pages_as_images(str(path), [4]))
    code = ("import resource\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))\n"
            "from gongkai import parse\nfrom gongkai.errors import GongkaiError\n"
            f"try:\n    parse({str(mixed)!r})\n    print('READ')\n"
            "except GongkaiError as e:\n    print('ERR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert out.stdout.startswith("ERR") and "第4页" in out.stdout and "OCR" in out.stdout and "内存" in out.stdout


def test_ocr_on_reads_even_a_page_that_has_text():
    """``ocr="on"``: every page is recognised from its image (a PDF whose fonts extract as garbage)."""
    pytest.importorskip("rapidocr_onnxruntime")
    from gongkai.readers import ReadOptions
    from gongkai.readers.pdf import pdf_document
    from pdf_fixtures import make_pdf, text_page

    data = make_pdf([text_page(["Annual report 2024", "Total 4000"], size=20)])
    saved, ocr.PAGE_SECONDS = ocr.PAGE_SECONDS, 900.0
    try:
        on = pdf_document(data, "x.pdf", ReadOptions(ocr="on"))
        auto = pdf_document(data, "x.pdf", ReadOptions())
    finally:
        ocr.PAGE_SECONDS = saved
    assert on.ocr_pages == [1] and auto.ocr_pages == []
    text = " ".join(b.text for b in on.blocks)
    assert "4000" in text and "Annual" in text, text
    assert any(code == "pdf.ocr" for code, _ in on.notices)


def test_the_command_line_turns_ocr_off(tmp_path):
    import subprocess

    path = _sample(HONGZE_2024)
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(image_only(str(path)))
    p = subprocess.run([sys.executable, "-m", "gongkai", "parse", "--ocr", "off", str(scan)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and "OCR 已关闭（ocr=off）" in p.stderr and "共5页" in p.stderr
