"""Build the hand-designed HTML/DOCX/XLSX corpus cases (run by hand: ``python tests/make_office_corpus.py``).

Each case's numbers are written out below, by hand, cell by cell; the document is drawn from them
in one agency layout and ``expected.json`` holds the same hand-written numbers (never the reader's
output).  The documents are small and committed; rerun only to change a case (python-docx and
openpyxl stamp zip entries with the current time, so commit only the cases you changed).

* ``html-gb2312-word-export``: a whole portal page in GB2312, the report pasted from Word
  ("MsoNormal" markup, ``<o:p>``, numbers split over ``<span>``s, ``&nbsp;`` cells, the ghost width
  row Word exports), table 三 cut in two tables, navigation and footer around the article.
* ``docx-2019-county-bureau``: a 2019-format report typed in Word (python-docx): merged cells,
  headers one character per line, numbers in several runs, a soft line break in the signature.
* ``xlsx-2021-one-sheet``: every table on one sheet as a province collects them, merged headers,
  （六）其他处理 printed as one row.
* ``docx-2021-gongwen-numbering``: headings numbered by Word (一、 only in numbering.xml), the title
  in a text box, old-style ``hMerge`` cells, numbers split over runs, table 三 cut in two tables.
* ``xlsx-2019-sheet-per-table``: a 2019-format workbook, one sheet per table, numbers stored as text.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.model import NA, Report, Value  # noqa: E402
from gongkai.schema import dumps  # noqa: E402
from gongkai.writers.layout import Grid, document_layout  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def report(fmt: str, agency: str, year: int, published: date, cells: dict[str, Value],
           collapse_other: bool = False) -> Report:
    r = Report.blank(fmt, agency=agency, year=year, fill=0)
    r.published = published
    r.title = f"{agency}{year}年政府信息公开工作年度报告"
    if collapse_other:
        t = r.table("requests")
        for key in [k for k in t.cells if k[0].startswith("other.")]:
            del t.cells[key]
        for c in t.spec.columns:
            t.set("other", c.key, 0)
    for path, v in cells.items():
        table, row, col = path.split(":")
        r.table(table).set(row, col, v)
    r.preamble = (f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告中所列数据统计期限自{year}年1月1日起至"
                  f"{year}年12月31日止。")
    r.sections = {"overview": f"{year}年，{agency}认真贯彻落实《条例》，扎实推进政府信息公开工作。",
                  "problems": "存在问题：公开的深度还不够。改进措施：加强培训。", "other": "本年度未收取信息处理费。"}
    return r


def expected(r: Report, path: Path) -> None:
    d = r.to_dict(provenance=False)
    out = {k: d[k] for k in ("format", "agency", "year", "published", "tables")}
    path.write_text(dumps(out, indent=1) + "\n", encoding="utf-8")  # amounts exact


# -- the cases, by hand ----------------------------------------------------------------------------

HTML_CASE = report("2021", "宜宾市生态环境局", 2023, date(2024, 1, 18), {
    "proactive:rules:in_force": 1, "proactive:normative_documents:issued": 4,
    "proactive:normative_documents:repealed": 1, "proactive:normative_documents:in_force": 23,
    "proactive:licensing:decisions": 356, "proactive:punishment:decisions": 87, "proactive:coercion:decisions": 5,
    "proactive:fees:amount": Decimal("12.6"),
    "requests:new:natural_person": 14, "requests:new:commercial": 3, "requests:new:social_welfare": 1,
    "requests:new:legal_service": 2, "requests:new:total": 20,
    "requests:carried_over:natural_person": 1, "requests:carried_over:total": 1,
    "requests:granted:natural_person": 8, "requests:granted:commercial": 2, "requests:granted:legal_service": 1,
    "requests:granted:total": 11,
    "requests:partial:natural_person": 2, "requests:partial:total": 2,
    "requests:denied.state_secret:research": NA,
    "requests:denied.third_party:natural_person": 1, "requests:denied.third_party:total": 1,
    "requests:unavailable.not_held:natural_person": 3, "requests:unavailable.not_held:commercial": 1,
    "requests:unavailable.not_held:social_welfare": 1, "requests:unavailable.not_held:legal_service": 1,
    "requests:unavailable.not_held:total": 6,
    "requests:not_processed.duplicate:natural_person": 1, "requests:not_processed.duplicate:total": 1,
    "requests:other.other:other_org": None,
    "requests:results_total:natural_person": 15, "requests:results_total:commercial": 3,
    "requests:results_total:social_welfare": 1, "requests:results_total:legal_service": 2,
    "requests:results_total:total": 21,
    "appeals:review:upheld": 1, "appeals:review:pending": 1, "appeals:review:total": 2,
    "appeals:suit_direct:upheld": 1, "appeals:suit_direct:total": 1,
})

DOCX_CASE = report("2019", "三台县水利局", 2020, date(2021, 1, 25), {
    "proactive:normative_documents:made": 2, "proactive:normative_documents:published": 2,
    "proactive:normative_documents:total_public": 15,
    "proactive:licensing:prev_items": 12, "proactive:licensing:change": -2, "proactive:licensing:decisions": 486,
    "proactive:other_services:prev_items": 5, "proactive:other_services:decisions": 37,
    "proactive:punishment:prev_items": 3, "proactive:punishment:change": 1, "proactive:punishment:decisions": 24,
    "proactive:fees:prev_items": 1,
    "proactive:procurement:projects": 3, "proactive:procurement:amount": Decimal("46.8"),
    "requests:new:natural_person": 5, "requests:new:total": 5,
    "requests:granted:natural_person": 3, "requests:granted:total": 3,
    "requests:unavailable.not_held:natural_person": 1, "requests:unavailable.not_held:total": 1,
    "requests:other:natural_person": 1, "requests:other:total": 1,
    "requests:results_total:natural_person": 5, "requests:results_total:total": 5,
})
DOCX_CASE.table("proactive").cell("procurement", "amount").unit = "万元"  # type: ignore[union-attr]

XLSX_CASE = report("2021", "汝阳县农业农村局", 2022, date(2023, 1, 30), {
    "proactive:normative_documents:issued": 1, "proactive:normative_documents:in_force": 3,
    "proactive:licensing:decisions": 1204, "proactive:punishment:decisions": 36,
    "requests:new:natural_person": 2, "requests:new:commercial": 1, "requests:new:total": 3,
    "requests:granted:natural_person": 1, "requests:granted:commercial": 1, "requests:granted:total": 2,
    "requests:other:natural_person": 1, "requests:other:total": 1,
    "requests:results_total:natural_person": 2, "requests:results_total:commercial": 1,
    "requests:results_total:total": 3,
    "appeals:review:corrected": 1, "appeals:review:total": 1,
}, collapse_other=True)

GONGWEN_CASE = report("2021", "会发镇人民政府", 2024, date(2025, 1, 10), {
    "proactive:normative_documents:issued": 2, "proactive:normative_documents:in_force": 9,
    "proactive:punishment:decisions": 12, "proactive:fees:amount": Decimal("0.35"),
    "requests:new:natural_person": 4, "requests:new:total": 4,
    "requests:carried_over:natural_person": 1, "requests:carried_over:total": 1,
    "requests:granted:natural_person": 2, "requests:granted:total": 2,
    "requests:not_processed.petition:natural_person": 1, "requests:not_processed.petition:total": 1,
    "requests:other.no_correction:natural_person": 1, "requests:other.no_correction:total": 1,
    "requests:results_total:natural_person": 4, "requests:results_total:total": 4,
    "requests:carried_forward:natural_person": 1, "requests:carried_forward:total": 1,
    "appeals:suit_after_review:other": 1, "appeals:suit_after_review:total": 1,
})

SHEETS_CASE = report("2019", "福州市鼓楼区统计局", 2019, date(2020, 3, 2), {
    "proactive:rules:total_public": 0, "proactive:normative_documents:total_public": 4,
    "proactive:licensing:prev_items": 2, "proactive:licensing:change": 1, "proactive:licensing:decisions": 18,
    "proactive:punishment:prev_items": 1, "proactive:punishment:decisions": 3,
    "proactive:fees:prev_items": 0, "proactive:fees:change": NA,
    "proactive:procurement:projects": 1, "proactive:procurement:amount": Decimal("12.5"),
    "requests:new:natural_person": 1, "requests:new:research": 1, "requests:new:total": 2,
    "requests:granted:research": 1, "requests:granted:total": 1,
    "requests:unavailable.needs_creation:natural_person": 1, "requests:unavailable.needs_creation:total": 1,
    "requests:results_total:natural_person": 1, "requests:results_total:research": 1,
    "requests:results_total:total": 2,
})
SHEETS_CASE.table("proactive").cell("procurement", "amount").unit = "万元"  # type: ignore[union-attr]


# -- HTML: Word pasted into a portal CMS -------------------------------------------------------------

def _word_cell(text: str, rs: int, cs: int, value: bool) -> str:
    span = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
    if not text:
        inner = "<span lang=EN-US>&nbsp;<o:p></o:p></span>"
    elif value and len(text) > 1:
        inner = (f"<span lang=EN-US>{escape(text[:-1])}</span>"
                 f"<span lang=EN-US style='font-family:宋体'>{escape(text[-1])}<o:p></o:p></span>")
    elif len(text) <= 4 and not value and cs == 1:
        inner = "<br>".join(f"<span style='font-family:宋体'>{escape(ch)}</span>" for ch in text)
    elif value:
        inner = f"<span lang=EN-US>{escape(text)}<o:p></o:p></span>"
    else:
        inner = f"<span style='font-family:宋体'>{escape(text)}<o:p></o:p></span>"
    return f"<td width=60{span} valign=top><p class=MsoNormal align=center>{inner}</p></td>"


def _word_table(grid: Grid, rows: range) -> str:
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>"]
    for i in rows:
        out.append("<tr>")
        out.extend(_word_cell(c.text, c.rowspan, c.colspan, c.kind == "value") for c in grid.rows[i].cells)
        out.append("</tr>")
    out.append("<![if !supportMisalignedColumns]><tr height=0>" + "<td width=60 style='border:none'></td>" *
               grid.ncols + "</tr><![endif]></table>")
    return "\n".join(out)


def build_html(r: Report) -> bytes:
    lay = document_layout(r)
    body = []
    for it in lay.items:
        if it.kind == "title":
            continue
        if it.kind in ("para", "heading"):
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>"
                        f"{escape(it.text)}</span></p>")
        elif it.kind == "sign":
            body.append(f"<p class=MsoNormal align=right style='text-align:right'><span>{escape(it.text)}</span></p>")
        elif it.grid is not None:
            g = it.grid
            if g.key == "requests":
                body.append(_word_table(g, range(0, len(g.rows) - 1)))
                body.append("<p class=MsoNormal><span lang=EN-US>&nbsp;</span></p>")
                body.append(_word_table(g, range(len(g.rows) - 1, len(g.rows))))
            else:
                body.append(_word_table(g, range(len(g.rows))))
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(lay.title)}-宜宾市人民政府</title>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<div>统计</div>");</script>
<style>.MsoNormal {{ margin:0 }}</style></head>
<body><div class="header"><div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
政府信息公开年报</div></div>
<div class="main"><div class="left"><ul><li><a href="#">一、总体情况解读（相关链接）</a></li></ul></div>
<div class="article"><h1 class="article-title">{escape(lay.title)}</h1>
<div class="article-info"><span>发布时间：2024-01-19 10:32</span><span>来源：宜宾市生态环境局</span></div>
<div class="article-content"><div class=WordSection1>
{chr(10).join(body)}
</div></div></div></div>
<div class="footer"><p>主办：宜宾市人民政府办公室　网站标识码：5115000001　川ICP备05001234号</p></div>
</body></html>
"""
    return page.encode("gb2312")


# -- DOCX: typed in Word ---------------------------------------------------------------------------

def build_docx(r: Report) -> bytes:
    import docx
    from docx.shared import Pt

    lay = document_layout(r)
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    signs = [it.text for it in lay.items if it.kind == "sign"]
    for it in lay.items:
        if it.kind == "title":
            d.add_paragraph().add_run(it.text).bold = True
        elif it.kind in ("para", "heading", "note"):
            d.add_paragraph(it.text)
        elif it.grid is not None:
            g = it.grid
            t = d.add_table(rows=len(g.rows), cols=g.ncols)
            t.style = "Table Grid"
            for i, j, c in g.positions():
                cell = t.cell(i, j)
                if c.rowspan > 1 or c.colspan > 1:
                    cell = cell.merge(t.cell(i + c.rowspan - 1, j + c.colspan - 1))
                p = cell.paragraphs[0]
                if c.vertical or (c.kind == "rowgroup" and c.rowspan > 8):
                    p.add_run(c.text[:1])
                    for ch in c.text[1:]:
                        cell.add_paragraph(ch)
                elif c.kind == "value" and len(c.text) > 1:
                    for ch in c.text:  # one run per keystroke, as Word keeps them after edits
                        p.add_run(ch)
                else:
                    p.add_run(c.text)
    p = d.add_paragraph()
    for k, s in enumerate(signs):
        run = p.add_run(s)
        if k < len(signs) - 1:
            run.add_break()
    d.core_properties.created = d.core_properties.modified = d.core_properties.last_printed = \
        __import__("datetime").datetime(2021, 1, 25)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# -- XLSX: one sheet ---------------------------------------------------------------------------------

def build_xlsx(r: Report) -> bytes:
    from gongkai.testing.print_office import XlsxStyle, report_xlsx

    return report_xlsx(r, XlsxStyle(one_sheet=True, col_offset=1, row_offset=1, vertical_headers=True))


def build_gongwen(r: Report) -> bytes:
    import random

    from gongkai.testing.print_office import DocxStyle, report_docx

    style = DocxStyle(hmerge=True, vertical_headers=True, split_runs=True, numbered_headings=True,
                      title_textbox=True, split_tables=True, soft_break_signature=True)
    return report_docx(r, style, random.Random(3))


def build_sheets(r: Report) -> bytes:
    from gongkai.testing.print_office import XlsxStyle, report_xlsx

    return report_xlsx(r, XlsxStyle(one_sheet=False, numbers_as_text=True))


def main() -> None:
    for name, r, build, ext in (("html-gb2312-word-export", HTML_CASE, build_html, "html"),
                                ("docx-2019-county-bureau", DOCX_CASE, build_docx, "docx"),
                                ("xlsx-2021-one-sheet", XLSX_CASE, build_xlsx, "xlsx"),
                                ("docx-2021-gongwen-numbering", GONGWEN_CASE, build_gongwen, "docx"),
                                ("xlsx-2019-sheet-per-table", SHEETS_CASE, build_sheets, "xlsx")):
        case = CORPUS / name
        case.mkdir(parents=True, exist_ok=True)
        (case / f"source.{ext}").write_bytes(build(r))
        expected(r, case / "expected.json")
        print(name, (case / f"source.{ext}").stat().st_size)


if __name__ == "__main__":
    main()
