"""HTML reader: the blocks layer on hand-written pages, and bad input."""

from __future__ import annotations

import time

import pytest

from gongkai import ParseError, read_document
from gongkai.readers.blocks import Block, Document
from gongkai.readers.html import decode_html, html_document


def tables(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "table"]


def texts(block: Block) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows]


PORTAL = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>某县教育局2024年政府信息公开工作年度报告_年报_某县人民政府</title>
<script>var x = "<table><tr><td>1</td></tr></table>";</script><style>p {{ color: red }}</style>
<meta name="ArticleTitle" content="某县教育局2024年政府信息公开工作年度报告">
</head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li>政府信息公开年报</li></ul></div>
<div class="sidebar"><p>一、总体情况（侧栏链接，不是正文）</p></div>
<div class="info">发布时间：2025年1月20日 来源：某县教育局</div>
<div class="content"><div class="TRS_Editor">
<p>一、总体情况</p><p>2024年，我局……</p>
<p>二、主动公开政府信息情况</p>
<table border="1"><tbody>
<tr><td colspan="4"><p>第二十条第（一）项</p></td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td><span>1</span><span>2</span></td><td>&nbsp;</td><td><p><span style="font-family:宋体">3</span><span>4</span></p></td></tr>
</tbody></table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2"><p>结</p><p>果</p><p>维</p><p>持</p></td><td rowspan="2">结果<br/>纠正</td>
<td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td>
<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>
<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr style="display:none"><td>9</td></tr>
</table>
<p style="text-align:right">某县教育局<br>2025年1月15日</p>
</div></div>
<div class="footer"><p>版权所有：某县人民政府 主办单位：某县人民政府办公室</p></div>
</body></html>"""


def page(charset: str = "utf-8") -> bytes:
    return PORTAL.format(charset=charset).encode("gb18030" if charset.lower() in ("gb2312", "gbk") else "utf-8")


def test_article_found_and_page_furniture_left_out():
    doc = read_document(page(), name="p.html")
    assert doc.kind == "html"
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert "一、总体情况" in paras
    assert not any("侧栏" in p or "版权所有" in p or "首页" in p or "var x" in p or "color" in p for p in paras)
    assert paras[-2:] == ["某县教育局", "2025年1月15日"]  # <br> ends a line
    assert len(tables(doc)) == 2  # the table inside the script is not a table


def test_meta_title_and_posted_date():
    doc = html_document(page())
    assert doc.meta["title"] == "某县教育局2024年政府信息公开工作年度报告"
    assert doc.meta["posted"] == "2025-01-20"
    # the title is not printed in the article: it is put first so the report's name is read
    assert doc.blocks[0].text == "某县教育局2024年政府信息公开工作年度报告"


def test_word_pasted_spans_are_joined_and_nbsp_cells_empty():
    t2 = tables(html_document(page()))[0]
    assert texts(t2)[2] == ["规章", "12", "", "34"]
    assert t2.rows[0][0].colspan == 4


def test_vertical_headers_and_spans_once_at_first_position():
    t4 = tables(html_document(page()))[1]
    rows = texts(t4)
    assert rows[0] == ["行政复议", "行政诉讼"]
    assert rows[1][:3] == ["结果维持", "结果纠正", "其他结果"]
    assert t4.rows[1][0].rowspan == 2
    # third header row starts in grid column 6 (the five cells above span two rows)
    assert t4.rows[2][0].loc.col == 6 and t4.rows[2][0].loc.row == 3
    assert rows[3] == ["1", "0", "0", "0", "1"] + ["0"] * 10
    assert len(rows) == 4  # the hidden row is not read
    assert t4.rows[3][4].loc.table == 2 and t4.rows[3][4].loc.col == 5


@pytest.mark.parametrize("charset", ["gb2312", "GBK", "utf-8"])
def test_declared_charsets(charset):
    doc = html_document(page(charset))
    assert doc.meta["title"].startswith("某县教育局")
    assert not doc.notices


def test_undeclared_gbk_is_detected():
    raw = PORTAL.replace('<meta charset="{charset}">', "").format().encode("gb18030")
    text, notice = decode_html(raw)
    assert "某县教育局" in text
    doc = html_document(raw)
    assert tables(doc)[0].rows[2][1].text == "12"
    assert notice is None or "编码" in notice


def test_bom_wins_over_a_wrong_declaration():
    raw = b"\xef\xbb\xbf" + PORTAL.format(charset="gb2312").encode("utf-8")
    assert html_document(raw).meta["title"].startswith("某县教育局")


def test_layout_table_is_walked_through():
    html = ("<html><body><table><tr><td>导航</td></tr><tr><td>"
            "<p>一、总体情况</p><p>正文</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>5</td></tr></table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
            "</td></tr></table></body></html>").encode()
    doc = html_document(html)
    assert [texts(t) for t in tables(doc)] == [[["一、本年新收政府信息公开申请数量", "5"]]]
    assert [b.text for b in doc.blocks if b.kind == "para"][:2] == ["一、总体情况", "正文"]


def test_one_table_split_in_pieces_keeps_order():
    html = ("<html><body><div><p>三、收到和处理政府信息公开申请情况</p>"
            "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>5</td></tr></table>"
            "<p>&nbsp;</p>"
            "<table><tr><td>二、上年结转政府信息公开申请数量</td><td>1</td></tr></table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p></div></body></html>").encode()
    doc = html_document(html)
    assert [texts(t)[0][1] for t in tables(doc)] == ["5", "1"]
    assert [t.loc.table for t in tables(doc)] == [1, 2]


def test_rowspan_zero_and_absurd_spans_are_clamped():
    html = (b"<html><body><table><tr><td rowspan='0'>a</td><td colspan='99999'>b</td></tr>"
            b"<tr><td>c</td></tr></table></body></html>")
    t = tables(html_document(html))[0]
    assert t.rows[0][0].rowspan == 2 and t.rows[0][1].colspan == 1000
    assert t.rows[1][0].loc.col == 2


def test_ten_thousand_nested_tags_give_a_chinese_message_quickly():
    html = b"<html><body>" + b"<div>" * 10000 + b"x" + b"</div>" * 10000 + b"</body></html>"
    t0 = time.perf_counter()
    with pytest.raises(ParseError) as e:
        read_document(html, name="deep.html")
    assert "嵌套" in str(e.value) and "deep.html" in str(e.value)
    assert time.perf_counter() - t0 < 5


def test_nesting_within_limits_reads_without_recursion_error():
    html = b"<html><body>" + b"<span>" * 200 + b"<p>deep</p>" + b"</span>" * 200 + b"</body></html>"
    doc = read_document(html)
    assert [b.text for b in doc.blocks] == ["deep"]


def test_empty_and_truncated_pages():
    with pytest.raises(ParseError, match="空"):
        html_document(b"   ")
    cut = page()[: len(page()) // 2]  # cut inside table 二
    doc = read_document(cut, name="cut.html")
    assert doc.kind == "html"
    assert texts(tables(doc)[0])[0] == ["第二十条第（一）项"]


def test_wrong_extension_is_sniffed(tmp_path):
    p = tmp_path / "report.docx"
    p.write_bytes(page())
    assert read_document(p).kind == "html"


def test_a_table_in_its_own_box_is_not_left_out_of_the_article():
    heads = "".join(f"<p>{h}</p>" for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                            "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))
    html = (f"<html><body><div class='left'><p>一、总体情况</p></div><div class='main'><div class='a'>{heads}"
            "<table><tr><td>信息内容</td><td>1</td></tr></table>"
            "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>2</td></tr></table></div>"
            "<div class='b'><p>四、政府信息公开行政复议、行政诉讼情况</p>"
            "<table><tr><td>行政复议</td></tr><tr><td>3</td></tr></table></div></div></body></html>").encode()
    doc = html_document(html)
    assert [texts(t)[-1][-1] for t in tables(doc)] == ["1", "2", "3"]
    assert sum(b.text == "一、总体情况" for b in doc.blocks) == 1  # the sidebar's copy is left out


def test_page_without_a_recognisable_report_drops_furniture_by_class():
    html = ("<html><body><div class='top-nav'>首页 政务公开</div><div id='content'><p>正文一段</p></div>"
            "<div class='footer'>版权所有</div><div class='share-bar'>分享到</div></body></html>").encode()
    assert [b.text for b in html_document(html).blocks] == ["正文一段"]


def test_page_saved_by_a_browser_starts_with_a_comment():
    raw = ("<!-- saved from url=(0045)http://www.example.gov.cn/zwgk/t2024.html -->\r\n"
           "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gbk'></head>"
           "<body><p>某镇人民政府2023年政府信息公开工作年度报告</p></body></html>").encode("gbk")
    doc = read_document(raw)
    assert doc.kind == "html"
    assert [b.text for b in doc.blocks] == ["某镇人民政府2023年政府信息公开工作年度报告"]


def test_one_cell_frame_table_is_text():
    html = ("<html><body><table><tr><td><p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p></td></tr></table>"
            "<table><tr><td>规章</td><td>1</td></tr></table></body></html>").encode()
    doc = html_document(html)
    assert [(b.kind, b.text or texts(b)) for b in doc.blocks] == [
        ("para", "某局2023年政府信息公开工作年度报告"), ("para", "一、总体情况"), ("table", [["规章", "1"]])]


def test_a_page_far_too_large_is_refused():
    from gongkai.readers import html as html_reader

    big = b"<html><body>" + b"<p>x</p>" * (html_reader.MAX_HTML // 8 + 1) + b"</body></html>"
    with pytest.raises(ParseError, match="网页过大"):
        html_document(big, name="big.html")
