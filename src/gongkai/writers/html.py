"""HTML: one self-contained, accessible page, fit to paste into a portal CMS.

Real ``<table>``s with a ``<caption>``, ``<th scope>`` for every header (``col``/``colgroup``
over columns, ``row``/``rowgroup`` for row labels and their group labels), ``rowspan``/``colspan``
for merged cells, no layout tables.  All styles are in one ``<style>`` scoped to
``.gongkai-report`` so the page can be pasted into a CMS without disturbing it; the print rules
give an A4 page with GB/T 9704 margins (also used for the PDF).  Every piece of user text is
escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from ..model import Report
from .layout import Grid, GridCell, GridRow, Layout, document_layout, xml_safe

BODY_FONTS = '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif'
TITLE_FONTS = '"方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong", "Noto Serif CJK SC", serif'
HEI_FONTS = '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif'
KAI_FONTS = '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif'

CSS = f"""
.gongkai-report {{ font-family: {BODY_FONTS}; font-size: 16pt; line-height: 1.75; color: #000;
  max-width: 156mm; margin: 0 auto; }}
.gongkai-report h1 {{ font-family: {TITLE_FONTS}; font-size: 22pt; font-weight: bold; text-align: center;
  line-height: 1.5; margin: 0 0 1.5em; }}
.gongkai-report h2 {{ font-family: {HEI_FONTS}; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0;
  text-indent: 2em; }}
.gongkai-report p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.gongkai-report .lead {{ font-family: {KAI_FONTS}; }}
.gongkai-report p.sign {{ text-align: right; text-indent: 0; padding-right: 2em; }}
.gongkai-report p.note {{ text-indent: 0; text-align: center; }}
.gongkai-report table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5em 0 1em;
  font-size: 10.5pt; line-height: 1.4; }}
.gongkai-report caption {{ font-family: {HEI_FONTS}; font-size: 12pt; padding: 0.3em 0; }}
.gongkai-report th, .gongkai-report td {{ border: 1px solid #000; padding: 2px 3px; text-align: center;
  vertical-align: middle; font-weight: normal; overflow-wrap: anywhere; }}
.gongkai-report th[scope=row] {{ text-align: left; }}
.gongkai-report th.caption {{ text-align: left; background: #dce6f2; }}
.gongkai-report td.corner {{ text-align: left; }}
.gongkai-report td.blank {{ background: #fff7d6; }}
.gongkai-report .v {{ display: inline-block; width: 1.1em; word-break: break-all; line-height: 1.2; }}
@media print {{
  @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
  .gongkai-report {{ max-width: none; }}
  .gongkai-report td.blank {{ background: none; }}
  .gongkai-report tr, .gongkai-report h2, .gongkai-report tbody.group {{ break-inside: avoid; }}
  .gongkai-report h2 {{ break-after: avoid; }}
  .gongkai-report caption {{ display: none; }}
}}
"""

_LEAD = re.compile(r"^(（[一二三四五六七八九十]+）[^，,。；;：:\n]{0,24}(?:[。：:]|$))")

_SCOPE = {"col": "col", "colgroup": "colgroup", "row": "row", "rowgroup": "rowgroup", "caption": "rowgroup"}


#: inline styles of the CMS fragment: portal editors (UEditor, KindEditor, TinyMCE) often drop a
#: pasted <style> element but keep ``style`` attributes, so the fragment carries the essentials
_INLINE = {
    "p": "text-indent:2em;margin:0;line-height:1.75",
    "p.sign": "text-align:right;margin:0;padding-right:2em",
    "p.note": "text-align:center;margin:0",
    "table": "border-collapse:collapse;width:100%;table-layout:fixed;font-size:10.5pt",
    "cell": "border:1px solid #000;padding:2px 3px;text-align:center;vertical-align:middle;font-weight:normal",
    "cell.left": "border:1px solid #000;padding:2px 3px;text-align:left;vertical-align:middle;font-weight:normal",
}


def _style(key: str, inline: bool) -> str:
    return f' style="{_INLINE[key]}"' if inline else ""


def _para(text: str, cls: str | None = None, inline: bool = False) -> str:
    attr = (f' class="{cls}"' if cls else "") + _style(f"p.{cls}" if cls else "p", inline)
    m = _LEAD.match(text) if cls is None else None
    if m:
        lead = m.group(1)
        return f'<p{attr}><span class="lead">{escape(lead)}</span>{escape(text[len(lead):])}</p>'
    return f"<p{attr}>{escape(text)}</p>"


def _cell(c: GridCell, inline: bool = False) -> str:
    span = ""
    if c.rowspan > 1:
        span += f' rowspan="{c.rowspan}"'
    if c.colspan > 1:
        span += f' colspan="{c.colspan}"'
    span += _style("cell.left" if c.kind in ("row", "caption", "corner") else "cell", inline)
    text = escape(c.text)
    if c.kind == "value":
        cls = ' class="blank"' if c.blank else ""
        return f"<td{span}{cls}>{text}</td>"
    if c.kind == "corner":
        return f'<td{span} class="corner">{text}</td>'
    if c.vertical:
        v = ' style="display:inline-block;width:1.1em;word-break:break-all"' if inline else ""
        text = f'<span class="v"{v}>{text}</span>'
    cls = ' class="caption"' if c.kind == "caption" else ""
    return f'<th scope="{_SCOPE[c.kind]}"{span}{cls}>{text}</th>'


def table_html(grid: Grid, inline: bool = False) -> str:
    total = sum(grid.widths)
    cols = "".join(f'<col style="width:{w * 100 / total:.2f}%">' for w in grid.widths)
    out = [f'<table class="t-{grid.key}"{_style("table", inline)}>',
           f"<caption>表{escape(grid.number)}　{escape(grid.title)}</caption>",
           f"<colgroup>{cols}</colgroup>"]
    nhead = grid.header_rows
    if nhead:
        out.append("<thead>")
        out += ["<tr>" + "".join(_cell(c, inline) for c in r.cells) + "</tr>" for r in grid.rows[:nhead]]
        out.append("</thead>")
    body = grid.rows[nhead:]
    groups = _group_spans(body)
    for i, r in enumerate(body):
        if i == 0 or i in groups or (r.kind == "caption") or (i - 1) in _ends(groups):
            if i:
                out.append("</tbody>")
            out.append('<tbody class="group">' if i in groups else "<tbody>")
        out.append("<tr>" + "".join(_cell(c, inline) for c in r.cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _group_spans(rows: list[GridRow]) -> dict[int, int]:
    """Body rows held together by a merged row label (a group such as 表三's 三、本年度办理结果 over
    its sub-rows): first row → last row, nested groups inside the outer one.  Each becomes one
    ``<tbody class="group">`` that print layout keeps on one page, so a group label is never cut
    by a page break (its sub-rows continuing on the next page under an empty cell)."""
    spans: list[tuple[int, int]] = []
    for i, r in enumerate(rows):
        for c in r.cells:
            if c.rowspan > 1 and c.kind in ("row", "rowgroup"):
                spans.append((i, min(len(rows), i + c.rowspan) - 1))
    out: dict[int, int] = {}
    for a, b in sorted(spans):
        if out and a <= max(out.values()):
            first = max(k for k in out if k <= a)
            out[first] = max(out[first], b)
        else:
            out[a] = b
    return out


def _ends(groups: dict[int, int]) -> set[int]:
    return set(groups.values())


def html_text(report: Report, layout: Layout | None = None, *, standalone: bool = True, extra_css: str = "") -> str:
    layout = layout or document_layout(report)
    inline = not standalone
    body: list[str] = ['<article class="gongkai-report" lang="zh-CN">']
    for item in layout.items:
        if item.kind == "title":
            center = ' style="text-align:center"' if inline else ""
            body.append(f"<h1{center}>{escape(item.text)}</h1>")
        elif item.kind == "heading":
            body.append(f"<h2>{escape(item.text)}</h2>")
        elif item.kind == "para":
            body.append(_para(item.text, inline=inline))
        elif item.kind in ("note", "sign"):
            body.append(_para(item.text, item.kind, inline))
        elif item.kind == "table" and item.grid is not None:
            body.append(table_html(item.grid, inline))
    body.append("</article>")
    style = f"<style>{CSS}{extra_css}</style>"
    if not standalone:
        return style + "\n" + "\n".join(body) + "\n"
    head = ['<!DOCTYPE html>', '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(layout.title)}</title>", '<meta name="generator" content="gongkai">']
    if report.published:
        head.append(f'<meta name="dcterms.created" content="{report.published.isoformat()}">')
    if report.agency:
        head.append(f'<meta name="author" content="{escape(xml_safe(report.agency))}">')
    head += [style, "</head>", "<body>"]
    return "\n".join(head + body + ["</body>", "</html>", ""])


def write(report: Report, to: str, layout: Layout, *, standalone: bool = True, **_: Any) -> bytes:
    """``standalone=False`` gives only the ``<style>`` and the ``<article>``, with the essential
    styles also inline (for a CMS editor that drops ``<style>``)."""
    return html_text(report, layout, standalone=standalone).encode("utf-8")
