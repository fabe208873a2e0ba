"""The official layout derived from the format declaration (shared by DOCX/HTML/PDF/MD/XLSX)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import RenderError, Report, render
from gongkai.formats import get_format
from gongkai.writers import Rendered, normalize_target, render_document
from gongkai.writers.layout import W_BLANK, W_MISSING_TABLE, Grid, document_layout, table_grid


def _grid(report: Report, key: str) -> Grid:
    return table_grid(report.table(key))


def _spans(grid: Grid) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.rowspan, c.colspan) for c in r.cells if c.kind != "value"] for r in grid.rows]


def test_every_grid_is_a_full_rectangle():
    for fid in ("2021", "2019"):
        r = Report.blank(fid, agency="某局", year=2022 if fid == "2021" else 2020, fill=0)
        for key in ("proactive", "requests", "appeals"):
            g = _grid(r, key)
            m = g.matrix()
            covered = [[False] * g.ncols for _ in g.rows]
            for i, j, c in g.positions():
                for di in range(c.rowspan):
                    for dj in range(c.colspan):
                        assert not covered[i + di][j + dj], (fid, key, i, j)
                        covered[i + di][j + dj] = True
            assert all(all(row) for row in covered), (fid, key)
            assert len(m) == len(g.rows)


def test_table3_header_is_the_templates_three_rows():
    g = _grid(Report.blank("2021", fill=0), "requests")
    assert g.header_rows == 3
    head = _spans(g)[:3]
    corner = get_format("2021").table("requests").corner
    assert head[0] == [(corner, 3, 3), ("申请人情况", 1, 7)]
    assert head[1] == [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)]
    assert head[2] == [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1),
                       ("其他", 1, 1)]
    assert g.ncols == 10


def test_table3_group_labels_span_their_rows():
    g = _grid(Report.blank("2021", fill=0), "requests")
    body = _spans(g)[3:]
    assert body[0] == [("一、本年新收政府信息公开申请数量", 1, 3)]
    assert body[2] == [("三、本年度办理结果", 22, 1), ("（一）予以公开", 1, 2)]
    assert body[4] == [("（三）不予公开", 8, 1), ("1.属于国家秘密", 1, 1)]
    assert body[5] == [("2.其他法律行政法规禁止公开", 1, 1)]
    assert body[12] == [("（四）无法提供", 3, 1), ("1.本机关不掌握相关政府信息", 1, 1)]
    assert body[15] == [("（五）不予处理", 5, 1), ("1.信访举报投诉类申请", 1, 1)]
    assert body[20] == [("（六）其他处理", 3, 1),
                        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 1)]
    assert body[23] == [("（七）总计", 1, 2)]
    assert body[24] == [("四、结转下年度继续办理", 1, 3)]
    assert len(body) == 25


def test_2019_and_collapsed_other_print_one_row():
    g19 = _grid(Report.blank("2019", fill=0), "requests")
    body = _spans(g19)[3:]
    assert len(body) == 23
    assert body[2] == [("三、本年度办理结果", 20, 1), ("（一）予以公开", 1, 2)]
    assert body[20] == [("（六）其他处理", 1, 2)]
    # a 2021 report that printed （六）其他处理 as one row renders it as printed
    r = Report.blank("2021", fill=0)
    t = r.table("requests")
    for k in ("other.no_correction", "other.no_fee", "other.other"):
        for c in [c.key for c in t.spec.columns]:
            del t.cells[(k, c)]
        assert not t.has_row(k)
    for c in t.spec.columns:
        t.set("other", c.key, 4)
    g = _grid(r, "requests")
    rows = _spans(g)[3:]
    assert len(rows) == 23
    assert rows[20] == [("（六）其他处理", 1, 2)]
    assert [c.text for c in g.rows[3 + 20].cells if c.kind == "value"] == ["4"] * 7
    html = render(r, "html").decode()
    assert html.count("（六）其他处理") == 1 and "3.其他" not in html


def test_table4_is_transposed_with_two_header_levels():
    g = _grid(Report.blank("2021", fill=0), "appeals")
    assert g.ncols == 15 and g.header_rows == 3
    head = _spans(g)
    assert head[0] == [("行政复议", 1, 5), ("行政诉讼", 1, 10)]
    assert head[1] == [(t, 2, 1) for t in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] + [
        ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)]
    assert [c.text for c in g.rows[2].cells] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert all(c.vertical for c in g.rows[2].cells)
    data = g.rows[3].cells
    assert len(data) == 15 and all(c.kind == "value" for c in data)
    assert (data[5].row, data[5].col) == ("suit_direct", "upheld")


def test_table2_blocks_2021_and_2019():
    g = _grid(Report.blank("2021", fill=0), "proactive")
    rows = _spans(g)
    assert rows[0] == [("第二十条第（一）项", 1, 4)]
    assert rows[1] == [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)]
    assert rows[5] == [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)]
    assert [r.kind for r in g.rows].count("caption") == 4
    g19 = _grid(Report.blank("2019", fill=0), "proactive")
    captions = [r.cells[0].text for r in g19.rows if r.kind == "caption"]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
                        "第二十条第（九）项"]
    heads = [[c.text for c in r.cells] for r in g19.rows if r.kind == "head"]
    assert ["信息内容", "上一年项目数量", "本年增/减"] in heads
    assert ["信息内容", "采购项目数量", "采购总金额"] in heads


def test_values_blank_na_decimal_negative():
    r = Report.blank("2019", agency="某局", year=2020, fill=0)
    r.table("proactive").set("fees", "change", -2)
    r.table("proactive").set("procurement", "amount", Decimal("12.50"), unit="万元")
    r.table("requests").set("new", "total", None)
    r.table("appeals").set("review", "upheld", "NA")
    texts = {(c.row, c.col): c.text for it in document_layout(r).items if it.grid
             for _, _, c in it.grid.positions() if c.kind == "value"}
    assert texts[("fees", "change")] == "-2"
    assert texts[("procurement", "amount")] == "12.50万元"
    assert texts[("new", "total")] == ""
    assert texts[("review", "upheld")] == "/"


def test_blank_cells_render_empty_with_a_warning_never_zero():
    r = Report.blank("2021", agency="某局", year=2022, fill=7)
    r.table("requests").set("granted", "research", None)
    del r.table("appeals").cells[("review", "pending")]  # a declared cell the model lacks
    out = render_document(r, "html")
    html = out.data.decode()
    codes = [w.code for w in out.messages]
    assert codes.count(W_BLANK) == 2
    assert any("表三" in w.message and "1个单元格" in w.message for w in out.messages)
    assert any("表四" in w.message and "“行政复议”/“尚未审结”" in w.message for w in out.messages)
    assert html.count('<td class="blank"></td>') == 2
    assert ">0<" not in html  # nothing invented


def test_missing_table_renders_a_note_and_a_warning():
    r = Report.blank("2021", agency="某局", year=2022, fill=0)
    r.tables["appeals"].present = False
    r.tables["appeals"].cells.clear()
    for to in ("html", "md", "docx"):
        out = render_document(r, to)
        assert [w.code for w in out.messages] == [W_MISSING_TABLE], to
        assert "政府信息公开行政复议、行政诉讼情况" in out.messages[0].message
    md = render(r, "md").decode()
    assert "（本报告未提供“政府信息公开行政复议、行政诉讼情况”表。）" in md
    assert "结果维持" not in md


def test_document_order_title_and_signature():
    r = Report.blank("2021", agency="某县某局", year=2023, fill=0)
    from datetime import date

    r.published = date(2024, 1, 5)
    r.preamble = "前言第一段。\n\n前言第二段。"
    r.sections["proactive"] = "表前说明。"
    items = document_layout(r).items
    kinds = [(i.kind, i.text) for i in items if i.kind != "table"]
    assert kinds[0] == ("title", "某县某局2023年政府信息公开工作年度报告")
    assert kinds[1:3] == [("para", "前言第一段。"), ("para", "前言第二段。")]
    heads = [t for k, t in kinds if k == "heading"]
    assert heads == [s.heading for s in r.format.sections]
    i_head = next(i for i, it in enumerate(items) if it.text == "二、主动公开政府信息情况")
    assert items[i_head + 1].text == "表前说明。" and items[i_head + 2].kind == "table"
    assert kinds[-2:] == [("sign", "某县某局"), ("sign", "2024年1月5日")]
    r.title = "自定标题"
    assert document_layout(r).items[0].text == "自定标题"


def test_unknown_target_is_a_clear_chinese_error():
    r = Report.blank("2021", fill=0)
    with pytest.raises(RenderError) as e:
        render(r, "rtf")
    assert "不支持的输出格式“rtf”" in str(e.value)
    for k in ("docx", "html", "pdf", "md", "xlsx", "json", "csv"):
        assert k in str(e.value)
    assert normalize_target(".DOCX") == "docx" and normalize_target("markdown") == "md"
    with pytest.raises(RenderError, match="Report"):
        render({"format": "2021"}, "html")  # type: ignore[arg-type]


def test_a_rendering_returns_its_bytes_and_its_messages():
    r = Report.blank("2021", agency="某局", year=2022, fill=0)
    r.table("requests").set("new", "total", None)
    out = render_document(r, "md")
    assert isinstance(out, Rendered) and out.target == "md" and out.media_type.startswith("text/markdown")
    assert out.data.startswith("# 某局2022年".encode()) and out.data == render(r, "md")
    assert [w.code for w in out.messages] == [W_BLANK]
    # the one message type of every stage, with its catalogue entry's stage, severity and hint
    from gongkai.messages import Message

    m = out.messages[0]
    assert isinstance(m, Message) and (m.id, m.stage, m.severity) == (W_BLANK, "render", "warning") and m.hint
    assert render_document(Report.blank("2021", fill=0), "md").messages == ()  # nothing carried over
    # the JSON model keeps the blank as null: nothing to warn about
    js = render_document(r, "json")
    assert js.messages == () and js.media_type == "application/json"
    with pytest.raises(RenderError, match="输出为 md 时不支持选项：warnings"):
        render(r, "md", warnings=[])  # the mutable list argument is gone; no option is silently ignored
    with pytest.raises(AttributeError):
        out.data = b""  # type: ignore[misc]  # frozen


def test_collapsed_row_and_its_items_both_present_prints_the_items_and_warns():
    r = Report.blank("2021", agency="某局", year=2022, fill=0)
    for c in r.table("requests").spec.columns:
        r.table("requests").set("other", c.key, 9)
    out = render_document(r, "html")
    assert [w.code for w in out.messages] == ["render.W003"]
    assert "（六）其他处理" in out.messages[0].message
    html = out.data.decode()
    assert "3.其他" in html and ">9<" not in html


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency=st.text(max_size=30), narrative=st.text(max_size=200))
def test_any_text_renders_in_every_fast_target(agency: str, narrative: str):
    """Control characters, lone surrogates, markup: never a crash; XML targets drop what XML
    cannot hold and keep the rest."""
    import io

    import docx
    import openpyxl

    from gongkai.writers.layout import xml_safe

    r = Report.blank("2021", agency=agency or None, year=2022, fill=0)
    r.sections["other"] = narrative
    for to in ("html", "md", "csv", "json", "docx", "xlsx"):
        assert render(r, to)
    safe = [p for p in xml_safe(narrative.replace("\r\n", "\n").replace("\r", "\n")).split("\n") if p.strip()]
    texts = [p.text for p in docx.Document(io.BytesIO(render(r, "docx"))).paragraphs]
    i = texts.index("六、其他需要报告的事项")
    assert texts[i + 1:i + 1 + len(safe)] == safe
    wb = openpyxl.load_workbook(io.BytesIO(render(r, "xlsx")))
    assert wb.sheetnames[0] == "年度报告"
