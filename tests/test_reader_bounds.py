"""The text side of issue 13, fixed at the class: numbers and attribute values of absurd length, zip
members whose reading raises anything, garbage in numbering.xml, linear paragraph joining and trailer
stripping, and size bounds no real report reaches.  (The time bounds themselves are asserted in a
fresh process by tests/test_fuzz_reproducers.py.)"""

from __future__ import annotations

import io
import random
import re
import zipfile

import docx
import openpyxl
import pytest

from gongkai import ParseError, parse, read_document
from gongkai.errors import GongkaiError
from gongkai.readers.blocks import MAX_BLOCKS, MAX_TEXT_CHARS, Document
from gongkai.readers.docx import docx_document
from gongkai.readers.html import html_document
from gongkai.readers.meta import split_signature, strip_trailer
from gongkai.readers.ooxml import read_member
from gongkai.readers.text import text_document_from_str
from gongkai.readers.xlsx import xlsx_document
from gongkai.textnorm import cn_date_part
from gongkai.values import ValueSyntaxError, parse_value

CJK = re.compile(r"[\u4e00-\u9fff]")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# -- numbers and attributes of absurd length ---------------------------------------------------------

@pytest.mark.parametrize("text", ["9" * 5000, "1" * 101, "１" * 4400, "9" * 4400 + "万元"])
def test_a_number_of_thousands_of_digits_is_not_a_value(text: str) -> None:
    with pytest.raises(ValueSyntaxError):
        parse_value(text)


def test_numbers_of_sane_length_still_read() -> None:
    assert parse_value("1" * 60) == (int("1" * 60), None)  # a whole glued row stays one run to split
    assert parse_value("12.50万元") == (parse_value("12.50")[0], "万元")


def test_a_long_digit_run_in_a_table_is_a_blank_with_a_short_notice() -> None:
    text = ("一、总体情况\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t" + "7" * 4304 + "\t0\t0\t0\t0\t0\t3\n")
    doc = text_document_from_str(text)
    assert any("7" * 4304 in b.plain() for b in doc.blocks)  # the reader keeps the text as printed
    try:
        report = parse(text.encode(), name="long.txt")
    except GongkaiError as e:
        assert CJK.search(e.message)
        return
    for w in report.warnings:
        assert len(str(w)) < 2000  # a notice quotes the start of the run, not 4,304 digits


def test_a_colspan_of_thousands_of_digits_is_clamped() -> None:
    html = (f'<html><body><table><tr><td colspan="{"9" * 4319}">表头</td></tr>'
            f'<tr><td rowspan="{"0" * 10 + "2"}">a</td><td>b</td></tr><tr><td>c</td></tr></table></body></html>')
    doc = html_document(html.encode())
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.rows[0][0].colspan == 1000
    assert table.rows[1][0].rowspan == 2


@pytest.mark.parametrize(("text", "value"), [("²", None), ("٣", None), ("9" * 5000, None), ("12", 12),
                                              ("二〇二三", 2023), ("十二", 12)])
def test_date_parts_are_small_decimal_numbers(text: str, value: int | None) -> None:
    assert cn_date_part(text) == value


# -- numbering.xml and table attributes --------------------------------------------------------------

def _docx(body: str, numbering: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>')
        if numbering:
            z.writestr("word/numbering.xml", numbering)
    return buf.getvalue()


def _numbering(ilvl: str, start: str, override: str) -> str:
    return (f'<w:numbering {W}><w:abstractNum w:abstractNumId="1">'
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="chineseCounting"/>'
            f'<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
            f'<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{override}"/></w:lvlOverride></w:num>'
            f'</w:numbering>')


def _para(text: str, ilvl: str) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="3"/></w:numPr></w:pPr>'
            f'<w:r><w:t>{text}</w:t></w:r></w:p>')


@pytest.mark.parametrize(("ilvl", "start", "override"), [
    ("—", "1", "1"),  # 012: a dash as the level
    ("0", "²", "²"),  # 013: a superscript two passes str.isdigit but not int
    ("0", "9" * 5000, "9" * 5000),  # thousands of digits
    ("-1", "-3", "x"),
])
def test_garbage_in_numbering_is_taken_as_absent(ilvl: str, start: str, override: str) -> None:
    doc = docx_document(_docx(_para("总体情况", ilvl) + _para("主动公开政府信息情况", ilvl),
                              _numbering(ilvl, start, override)))
    texts = [b.text for b in doc.blocks]
    assert [t[-len("总体情况"):] for t in texts[:1]] == ["总体情况"] and len(texts) == 2


def test_sane_numbering_is_still_rebuilt() -> None:
    doc = docx_document(_docx(_para("总体情况", "0") + _para("主动公开政府信息情况", "0"), _numbering("0", "1", "2")))
    assert [b.text for b in doc.blocks] == ["二、总体情况", "三、主动公开政府信息情况"]


def test_grid_spans_of_garbage_are_clamped_or_ignored() -> None:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="{}"/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    body = ("<w:tbl><w:tr>" + cell.format("9" * 5000, "甲") + cell.format("²", "乙") + "</w:tr>"
            "<w:tr>" + cell.format("1", "丙") + cell.format("1", "丁") + "</w:tr></w:tbl>")
    table = next(b for b in docx_document(_docx(body)).blocks if b.kind == "table")
    assert [(c.text, c.colspan) for c in table.rows[0]] == [("甲", 1000), ("乙", 1)]


# -- zip members whose reading raises ------------------------------------------------------------------

def _real_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("2023年政府信息公开工作年度报告")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 1).text = "本年新收", "12"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _real_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["本年新收", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _swapped(data: bytes, rng: random.Random) -> bytes:
    """Two blocks of bytes swapped (how 011 was made): offsets and sizes in the archive no longer fit."""
    n = rng.randint(16, 400)
    a, b = sorted(rng.sample(range(0, len(data) - n), 2))
    if b - a < n:
        return data
    return data[:a] + data[b:b + n] + data[a + n:b] + data[a:a + n] + data[b + n:]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_damaged_archive_gives_a_result_or_a_chinese_message(kind: str) -> None:
    data = _real_docx() if kind == "docx" else _real_xlsx()
    read = docx_document if kind == "docx" else xlsx_document
    rng = random.Random(f"swap-{kind}")
    errors = 0
    for _ in range(150):
        bad = _swapped(data, rng)
        try:
            doc = read(bad, name=f"x.{kind}")
        except ParseError as e:
            assert CJK.search(e.message), e.message
            errors += 1
        else:
            assert isinstance(doc, Document)
    assert errors > 10  # the mutations did damage the archives


def test_every_exception_a_member_raises_becomes_a_parse_error() -> None:
    data = bytearray(_real_docx())
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("word/document.xml")
    # the member's local header says its name is longer than it is: zipfile reads garbage and raises
    data[info.header_offset + 26] = 0xFF
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as broken, pytest.raises(ParseError, match="无法解压"):
        read_member(broken, "word/document.xml", "Word 文件", "x.docx")


def test_the_shared_reproducer_of_a_zip_member_raising(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "shared" / "fuzz" / "011_traceback_docx.docx"
    if not path.exists():
        pytest.skip("shared fuzz reproducers absent")
    with pytest.raises(ParseError, match="Word 文件已损坏"):
        read_document(path)


# -- linear joining and stripping ----------------------------------------------------------------------

def test_ten_thousand_wrapped_lines_join_into_one_paragraph() -> None:
    line = "本机关认真贯彻落实政府信息公开条例有关要求并持续推进各项工作"
    text = "\n".join([line] * 10_000)
    blocks = text_document_from_str(text).blocks
    assert len(blocks) == 1 and blocks[0].text == line * 10_000


def test_wrapped_lines_join_as_before() -> None:
    text = ("一、总体情况\n"
            "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进\n"
            "政务公开工作，主动公开政府信息120条，依申请公开\n"
            "政府信息12件。\n"
            "    二、主动公开政府信息情况\n"
            "（一）信息公开平台建设方面\n"
            "进一步完善门户网站栏目设置，公开的信息\n"
            "及时准确。\n"
            "网址为：\n"
            "https://www.example.gov.cn/zwgk\n"
            "本年度共收到申请12件，办理的\n"
            "结果已全部答复完毕。\n")
    paras = [b.text for b in text_document_from_str(text).blocks]
    assert paras[1] == ("本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作，主动公开政府信息120条，"
                        "依申请公开政府信息12件。")
    assert "（一）信息公开平台建设方面" in paras  # a sub-heading is not joined to what follows
    assert "进一步完善门户网站栏目设置，公开的信息及时准确。" in paras


def test_trailer_links_are_stripped_after_any_amount_of_white_space() -> None:
    assert strip_trailer("某某局 2024年1月20日  【打印本页】 【关闭窗口】") == "某某局 2024年1月20日"
    assert strip_trailer("附件下载  分享到：") == ""
    assert strip_trailer("x" + " " * 40_000) == "x"
    assert strip_trailer("x" + " \t" * 40_000 + "【打印】") == "x"
    body, agency, when, _ = split_signature("正文。\n某某县人民政府办公室\n2024年1月20日" + "\t" * 40_000 + "【关闭】")
    assert (body, agency, str(when)) == ("正文。", "某某县人民政府办公室", "2024-01-20")


# -- bounds no real report reaches -----------------------------------------------------------------------

def test_a_text_larger_than_any_report_is_refused_with_a_message() -> None:
    with pytest.raises(ParseError, match="个字符，远超任何一份年度报告"):
        text_document_from_str("政府信息公开年度报告" + "本年新收12件" * (MAX_TEXT_CHARS // 6))
    with pytest.raises(ParseError, match="行（段）文字，远超任何一份年度报告"):
        text_document_from_str("政府信息公开年度报告\n" + "1\n" * (MAX_BLOCKS + 10))


def test_one_paragraph_longer_than_any_report_is_refused_for_every_kind() -> None:
    html = "<html><body><h1>2023年政府信息公开工作年度报告</h1><p>" + "政务公开" * 80_000 + "</p></body></html>"
    with pytest.raises(ParseError, match="一段文字长达 320,000 个字符"):
        parse(html.encode(), name="long.html")
