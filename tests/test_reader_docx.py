"""DOCX reader: the blocks layer on documents made with python-docx (as Word saves them) and on
hand-written WordprocessingML, and bad input."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import docx
import pytest

from gongkai import ParseError, read_document
from gongkai.readers import sniff
from gongkai.readers.blocks import Block, Document
from gongkai.readers.docx import chinese_number, docx_document


@pytest.fixture
def shared_samples() -> Path:
    shared = Path(os.environ.get("GONGKAI_SHARED") or Path(__file__).parents[2] / "shared")
    return shared / "samples"


def saved(d: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def tables(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "table"]


def texts(block: Block) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows]


def table_three_like() -> bytes:
    d = docx.Document()
    d.add_paragraph("某镇人民政府2023年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(1, 1))  # corner: 2 rows x 2 cols
    t.cell(0, 0).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    t.cell(1, 2).text = ""
    p = t.cell(1, 2).paragraphs[0]
    p.add_run("自")
    t.cell(1, 2).add_paragraph("然")
    t.cell(1, 2).add_paragraph("人")
    t.cell(1, 3).text = "商业企业"
    t.cell(1, 4).text = "总计"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "一、本年新收政府信息公开申请数量"
    for c, v in ((2, "1"), (3, "0"), (4, "1")):
        t.cell(2, c).text = v
    t.cell(3, 0).merge(t.cell(4, 0)).text = "三、本年度办理结果"
    t.cell(3, 1).text = "（一）予以公开"
    t.cell(4, 1).text = "（七）总计"
    # a number typed in three runs (Word splits runs at every edit)
    para = t.cell(3, 2).paragraphs[0]
    for piece in ("1", "2", "5"):
        para.add_run(piece)
    t.cell(3, 3).text = "0"
    t.cell(3, 4).text = "125"
    t.cell(4, 2).text = "125"
    t.cell(4, 3).text = " "
    t.cell(4, 4).text = "125"
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    return saved(d)


def test_body_order_of_paragraphs_and_tables():
    doc = docx_document(table_three_like(), name="t.docx")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["para", "para", "table", "para"]
    assert doc.blocks[1].text == "三、收到和处理政府信息公开申请情况"
    assert doc.kind == "docx"


def test_merged_cells_appear_once_with_spans():
    t = tables(docx_document(table_three_like()))[0]
    rows = texts(t)
    assert rows[0] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    assert (t.rows[0][0].rowspan, t.rows[0][0].colspan) == (2, 2)
    assert t.rows[0][1].colspan == 3
    # row 2 starts at grid column 3: the corner covers columns 1-2
    assert rows[1] == ["自然人", "商业企业", "总计"]
    assert [c.loc.col for c in t.rows[1]] == [3, 4, 5]
    assert rows[2] == ["一、本年新收政府信息公开申请数量", "1", "0", "1"]
    assert rows[3] == ["三、本年度办理结果", "（一）予以公开", "125", "0", "125"]
    assert t.rows[3][0].rowspan == 2
    assert rows[4] == ["（七）总计", "125", "", "125"]  # the vMerge continuation is not repeated
    assert (t.rows[4][0].loc.row, t.rows[4][0].loc.col, t.rows[4][0].loc.table) == (5, 2, 1)


def test_text_boxes_soft_breaks_and_content_controls():
    body = (
        '<w:p><w:r><w:t>前言</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wps:txbx><w:txbxContent><w:p><w:r><w:t>框内标题</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
        '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>框内标题'
        '</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
        '<w:p><w:r><w:t>某局</w:t><w:br/><w:t>2024年1月5日</w:t></w:r></w:p>'
        '<w:sdt><w:sdtContent><w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>3</w:t></w:r><w:del><w:r><w:delText>9</w:delText></w:r></w:del></w:p></w:tc>'
        '</w:tr></w:tbl></w:sdtContent></w:sdt>')
    doc = docx_document(make_docx(body))
    assert [b.text for b in doc.blocks if b.kind == "para"] == ["前言", "框内标题", "某局", "2024年1月5日"]
    assert texts(tables(doc)[0]) == [["规章", "3"]]  # deleted (tracked) text is not read


def test_grid_before_hmerge_and_gridspan():
    body = ('<w:tbl><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
            '<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>行政复议</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>'
            '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>行政诉讼</w:t></w:r></w:p></w:tc>'
            '</w:tr><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    t = tables(docx_document(make_docx(body)))[0]
    assert texts(t) == [["行政复议", "行政诉讼"], ["a", "1"]]
    assert [(c.loc.col, c.colspan) for c in t.rows[0]] == [(2, 2), (4, 2)]


NUMBERING = (
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>')
STYLES = (
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style></w:styles>')


def numbered(text: str, ilvl: int | None = None, style: str | None = None) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if ilvl is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="3"/></w:numPr>'
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_gongwen_numbering_is_rebuilt():
    body = (numbered("总体情况", style="H1") + numbered("主动公开", 1) + numbered("依申请公开", 1)
            + numbered("主动公开政府信息情况", style="H1b") + numbered("条目", 1) + numbered("细目", 2)
            + numbered("细目", 2) + numbered("三、收到和处理政府信息公开申请情况", 0))
    doc = docx_document(make_docx(body, numbering=NUMBERING, styles=STYLES))
    assert [b.text for b in doc.blocks] == [
        "一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况", "（一）条目",
        "1.细目", "2.细目", "三、收到和处理政府信息公开申请情况"]  # a typed number is not doubled


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (23, "二十三"), (100, "一百"), (105, "一百零五"), (110, "一百一十"),
                                         (999, "九百九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_the_national_blank_template(shared_samples):
    path = shared_samples / "docx" / "年度报告格式模板（空白）.docx"
    if not path.exists():
        pytest.skip("template not present")
    doc = read_document(path)
    ts = tables(doc)
    assert len(ts) == 3
    assert [len(t.rows) for t in ts] == [14, 28, 4]
    assert texts(ts[1])[2] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert ts[1].rows[5][0].text == "三、本年度办理结果" and ts[1].rows[5][0].rowspan == 22
    assert all(c.text == "" for c in ts[2].rows[3]) and len(ts[2].rows[3]) == 15
    headings = [b.text for b in doc.blocks if b.kind == "para" and b.text[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况"]


# -- bad input ------------------------------------------------------------------------------------

def make_docx(body: str, numbering: str | None = None, styles: str | None = None) -> bytes:
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>')
        if numbering:
            z.writestr("word/numbering.xml", numbering)
        if styles:
            z.writestr("word/styles.xml", styles)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_decompressing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (80 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 1024 * 1024
    t0 = time.perf_counter()
    with pytest.raises(ParseError) as e:
        read_document(data, name="bomb.docx")
    assert "压缩炸弹" in str(e.value) and "bomb.docx" in str(e.value)
    assert time.perf_counter() - t0 < 2


def test_member_lying_about_its_size_is_read_with_a_bound():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"x" * 5_000_000)
    data = bytearray(buf.getvalue())
    # forge the central directory's uncompressed size to 1 KB: the bound still holds
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (1024).to_bytes(4, "little")
    with pytest.raises(ParseError):
        read_document(bytes(data), name="liar.docx")


def test_truncated_and_corrupt_files():
    good = table_three_like()
    with pytest.raises(ParseError, match="损坏"):
        read_document(good[: len(good) // 2], name="cut.docx")
    with pytest.raises(ParseError, match="损坏"):
        read_document(make_docx("<w:p><w:r><w:t>未闭合"), name="bad.docx")


def test_encrypted_office_file_says_password():
    # the directory of a CFB container names its streams in UTF-16; an encrypted OOXML file has
    # "EncryptionInfo" and "EncryptedPackage"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = ("Root Entry".encode("utf-16-le").ljust(128, b"\x00")
                 + "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00")
                 + "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00"))
    data = header + directory + b"\x00" * 4096
    assert sniff(data) == "encrypted"
    with pytest.raises(ParseError) as e:
        read_document(data, name="年报.docx")
    assert "加密" in str(e.value) and "密码" in str(e.value)
    old = header + "WordDocument".encode("utf-16-le").ljust(128, b"\x00")
    with pytest.raises(ParseError, match=r"\.doc"):
        read_document(old, name="old.doc")


def test_wrong_extension_is_sniffed(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(table_three_like())
    assert read_document(p).kind == "docx"


def test_hidden_and_moved_away_text_is_not_read():
    body = ('<w:p><w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
            '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>'
            '<w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>移入</w:t></w:r></w:moveTo>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>=SUM(ABOVE)</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    assert [b.text for b in docx_document(make_docx(body)).blocks] == ["可见显示移入12"]


def test_layout_tables_are_read_through():
    inner = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
             '<w:tc><w:p><w:r><w:t>4</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    body = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            f'<w:tbl><w:tr><w:tc><w:p><w:r><w:t>说明</w:t></w:r></w:p>{inner}<w:p/></w:tc>'
            '<w:tc><w:p><w:r><w:t>右栏</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    doc = docx_document(make_docx(body))
    assert [(b.kind, b.text or texts(b)) for b in doc.blocks] == [
        ("para", "二、主动公开政府信息情况"), ("para", "说明"), ("table", [["规章", "4"]]), ("para", "右栏")]
    assert tables(doc)[0].rows[0][1].loc.table == 1


def alt_chunk_docx(part_name: str, part: bytes) -> bytes:
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    body = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>前表</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>'
            '<w:altChunk r:id="rId9"/><w:p><w:r><w:t>结尾</w:t></w:r></w:p>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"'
            f' Target="{part_name}"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>')
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr(f"word/{part_name}", part)
    return buf.getvalue()


CHUNK_HTML = ("<html><head><meta charset='gbk'></head><body><p>三、收到和处理政府信息公开申请情况</p>"
              "<table><tr><td>一、本年新收政府信息公开申请数量</td><td><span>1</span><span>2</span></td></tr></table>"
              "</body></html>")


@pytest.mark.parametrize("kind", ["html", "mht"])
def test_alt_chunk_parts_are_read_in_place(kind):
    if kind == "html":
        part = CHUNK_HTML.encode("gbk")
    else:
        import base64

        part = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"XX\"\r\n\r\n--XX\r\n"
                "Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(CHUNK_HTML.replace("charset='gbk'", "").encode("gbk")).decode()
                + "\r\n--XX--\r\n").encode("ascii")
    doc = docx_document(alt_chunk_docx(f"afchunk.{kind}", part))
    assert [(b.kind, b.text or texts(b)) for b in doc.blocks] == [
        ("table", [["前表", ""]]), ("para", "三、收到和处理政府信息公开申请情况"),
        ("table", [["一、本年新收政府信息公开申请数量", "12"]]), ("para", "结尾")]
    assert tables(doc)[1].rows[0][1].loc.table == 2  # numbered after the table before the chunk


def test_ten_thousand_nested_elements_give_a_message_not_a_recursion_error():
    deep = "<w:sdt><w:sdtContent>" * 10000 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 10000
    t0 = time.perf_counter()
    with pytest.raises(ParseError, match="嵌套层数过深"):
        read_document(make_docx(deep), name="deep.docx")
    assert time.perf_counter() - t0 < 5
    # within the parser's limits, nesting is walked without recursion
    ok = "<w:sdt><w:sdtContent>" * 100 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 100
    assert [b.text for b in read_document(make_docx(ok)).blocks] == ["x"]
