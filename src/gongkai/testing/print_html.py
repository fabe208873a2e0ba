"""Print a ``Report`` as a government-portal page, in the styles real portals use.

Styles (``HTML_STYLES``):

``cms``        a clean CMS article: ``<p>`` per paragraph, tables with rowspan/colspan, header
               cells broken with ``<br/>``, numbers inside ``<p>``
``wordpaste``  text pasted from Word into the editor: ``MsoNormal`` paragraphs, ``<span>`` runs
               that split numbers (``<span>1</span><span>2</span>``), ``&nbsp;`` in empty cells,
               header cells one character per paragraph
``export``     a table saved from Word (``MsoNormalTable``, ``<o:p>``), several tables for table 二

Every page has navigation, scripts, a breadcrumb, an info line and a footer around the article
div.  ``print_html`` returns a ``Printed`` (bytes + the report a perfect reader must return);
deterministic given the ``random.Random``.
"""

from __future__ import annotations

import copy
import html
import random

from ..model import Report
from .grid import GCell, Grid, shuffle_free, table_grid
from .print_text import HEADINGS, Printed, noisy_values, relabel_map, sign_date, variants

__all__ = ["HTML_STYLES", "print_html"]

HTML_STYLES = ("cms", "wordpaste", "export")
_ORDER = ("overview", "proactive", "requests", "appeals", "problems", "other")
_TD = 'style="border-width: 1px; border-style: solid; border-color: rgb(0, 0, 0);" valign="center"'


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _split_spans(s: str, rng: random.Random) -> str:
    """Word splits runs at arbitrary points: ``12`` may arrive as two spans."""
    if len(s) < 2 or rng.random() < 0.6:
        return f"<span style=\"font-size:10.5pt;font-family:宋体\">{_esc(s)}</span>"
    k = rng.randint(1, len(s) - 1)
    return (f"<span style=\"font-size:10.5pt\">{_esc(s[:k])}</span>"
            f"<span lang=\"EN-US\" style=\"font-size:10.5pt\">{_esc(s[k:])}</span>")


def _cell_html(c: GCell, style: str, rng: random.Random) -> str:
    attrs = ""
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"'
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"'
    text = c.text
    if style == "cms":
        if c.role == "header" and len(c.paras) > 1:
            inner = "<br/>".join(_esc(p) for p in c.paras)
        else:
            inner = _esc(text) if text else ("&nbsp;" if rng.random() < 0.5 else "")
        return f"<td{attrs} {_TD}><p>{inner}</p></td>"
    if style == "wordpaste":
        if not text:
            body = '<p class="MsoNormal" align="center">&nbsp;</p>'
        elif c.role == "header" and len(c.paras) > 1:
            body = "".join(f'<p class="MsoNormal" align="center"><span>{_esc(p)}</span></p>' for p in c.paras)
        else:
            body = f'<p class="MsoNormal" align="center">{_split_spans(text, rng)}</p>'
        return f"<td{attrs} width=\"{rng.randint(40, 160)}\" style=\"border:solid windowtext 1.0pt\">{body}</td>"
    inner = "<br>".join(_esc(p) for p in c.paras) if c.role == "header" else _esc(text)
    if not inner:
        inner = "<o:p>&nbsp;</o:p>"
    return (f"<td{attrs} valign=\"top\" style=\"padding:0cm 5.4pt\"><p class=\"MsoNormal\" align=\"center\">"
            f"<span lang=\"EN-US\">{inner}<o:p></o:p></span></p></td>")


def _table_html(g: Grid, style: str, rng: random.Random) -> str:
    cls = ' class="MsoNormalTable"' if style == "export" else ""
    rows = []
    for i, row in enumerate(g):
        tr = ' class="firstRow"' if i == 0 and style == "cms" else (' style="height:22.5pt"' if style == "export" else "")
        rows.append(f"<tr{tr}>" + "".join(_cell_html(c, style, rng) for c in row if c is not None) + "</tr>")
    return (f'<table{cls} border="1" cellspacing="0" cellpadding="0" align="center" '
            f'style="border-collapse: collapse;"><tbody>' + "".join(rows) + "</tbody></table>")


def _split_proactive(g: Grid) -> list[Grid]:
    """Table 二 as several tables, one per 第二十条 block (the title row goes with the first)."""
    out: list[Grid] = []
    for row in g:
        c0 = row[0]
        if c0 is not None and c0.role == "caption" and out and any(
                r[0] is not None and r[0].role != "title" for r in out[-1]):
            out.append([])
        if not out:
            out.append([])
        out[-1].append(row)
    return out


def _split_at(g: Grid, k: int) -> list[Grid]:
    """The grid as two tables, rows ``[:k]`` and ``[k:]``; a merged cell crossing the cut ends in
    the first and continues as an empty merged cell in the second (as Word splits a table)."""
    top = [list(r) for r in g[:k]]
    bottom = [list(r) for r in g[k:]]
    for i, row in enumerate(top):
        for j, c in enumerate(row):
            if c is not None and i + c.rowspan > k:
                rest = i + c.rowspan - k
                top[i][j] = GCell(c.paras, k - i, c.colspan, c.role)
                bottom[0][j] = GCell([""], rest, c.colspan, c.role)
    return [top, bottom]


def _para(text: str, style: str, rng: random.Random, *, strong: bool = False, right: bool = False) -> str:
    t = _esc(text)
    if strong:
        t = f"<strong>{t}</strong>"
    if style == "cms":
        align = "right" if right else "left"
        return f'<p style="text-indent: 2em; text-align: {align};">{t}</p>'
    if style == "wordpaste":
        align = ' align="right"' if right else ""
        return (f'<p class="MsoNormal"{align} style="text-indent:32.0pt;line-height:28.0pt">'
                f'<span style="font-size:16.0pt;font-family:仿宋_GB2312">{t}</span></p>')
    return f'<p class="MsoNormal"{" align=right" if right else ""}><span lang="ZH-CN">{t}</span></p>'


def print_html(report: Report, rng: random.Random, *, style: str | None = None, encoding: str | None = None,
               traditional: bool | None = None, noise: bool = True) -> Printed:
    """``report`` as a portal page; see the module docstring."""
    style = style or rng.choice(HTML_STYLES)
    if style not in HTML_STYLES:
        raise ValueError(f"未知的网页样式：{style}")
    encoding = encoding or rng.choice(("utf-8", "utf-8", "utf-8", "gbk", "gb2312"))
    if traditional is None:
        traditional = noise and rng.random() < 0.05
    gopts = shuffle_free(rng)
    gopts.value_text = noisy_values(report, "html", rng, noise)
    if traditional:
        gopts.relabel = relabel_map(report.format.id)
    heads = {k: (rng.choice(v) if noise else v[0]) for k, v in HEADINGS.items()}
    if traditional:
        heads = {k: gopts.relabel.get(h, h) for k, h in heads.items()}
    body: list[str] = []
    for p in (report.preamble or "").split("\n"):
        if p:
            body.append(_para(p, style, rng))
    for key in _ORDER:
        body.append(_para(heads[key], style, rng, strong=noise and rng.random() < 0.5))
        for p in (report.sections.get(key) or "").split("\n"):
            if p:
                body.append(_para(p, style, rng))
        t = report.tables.get(key)
        if t is not None and t.present:
            g = table_grid(report, key, gopts)
            parts = _split_proactive(g) if key == "proactive" and style == "export" else [g]
            if key == "requests" and noise and rng.random() < 0.3:  # one table in two pieces
                first = next(i for i, row in enumerate(g) if row[-1] is not None and row[-1].role == "value")
                parts = _split_at(g, rng.randint(first + 2, len(g) - 2))
            for part in parts:
                body.append(_table_html(part, style, rng))
    date = sign_date(report)
    body.append(_para(report.agency or "", style, rng, right=True))
    body.append(_para(date, style, rng, right=True))
    page = _page(report, "\n".join(body), encoding, rng)
    data = page.encode("gb18030" if encoding in ("gbk", "gb2312") else encoding, errors="xmlcharrefreplace")
    name = f"{report.agency}{report.year}年报告-{style}.html"
    return Printed(data, copy.deepcopy(report), f"html-{style}", encoding, name,
                   {"traditional": traditional, "style": style, "title_row": gopts.title_row,
                    "split_appeals": gopts.split_appeals, "split_applicants": gopts.split_applicants,
                    **variants(report)})


def _page(report: Report, article: str, encoding: str, rng: random.Random) -> str:
    title = _esc(report.title or "")
    site = "人民政府门户网站"
    pub = report.published.isoformat() if report.published else ""
    nav = "".join(f'<li><a href="/{k}/">{_esc(v)}</a></li>' for k, v in (
        ("", "首页"), ("zwgk", "政务公开"), ("zfxxgk", "政府信息公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流")))
    charset = "gb2312" if encoding == "gb2312" else encoding
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="ArticleTitle" content="{title}"/>
<meta name="PubDate" content="{pub} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"/>
<title>{title}_政府信息公开年报_{site}</title>
<link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">
<script type="text/javascript">var _hmt = _hmt || []; if (a < 2 && b > 1) {{ document.write("<p>一、总体情况</p>"); }}</script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/site_logo.png" /></div>
<ul class="nav">{nav}</ul>
<div class="search"><input type="text" placeholder="请输入关键词" /><button>搜索</button></div></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1 class="article_title">{title}</h1>
<div class="article_info">来源：{_esc(report.agency or "")}&nbsp;&nbsp;发布时间：{pub}&nbsp;&nbsp;
<a href="javascript:window.print()">【打印】</a> 字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="article_content TRS_Editor">
{article}
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="#">2023年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：{_esc(report.agency or "")}&nbsp; 网站标识码：3590000001</p>
<p>闽ICP备05008943号-1 &nbsp;公网安备 35012802000001号</p>
<script>(function(){{var s=document.createElement("script");s.src="/js/count.js";}})();</script></div>
</body>
</html>
"""
