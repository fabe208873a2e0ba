"""The batch result as one HTML page: summary, charts, a list of reports, each report's findings.

Self-contained (inline CSS and SVG, no script, no link outside the page).  The agency's defects
and our reading notices are shown apart; severities have their colours."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .catalogue import registry
from .engine import SEVERITY_ZH, Finding
from .outputs import Collector
from .outputs_xlsx import status_zh
from .result import ReportResult

#: findings shown on the page (the JSON and XLSX have them all)
MAX_FINDINGS = 3000

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;font-size:13px;margin-bottom:1em}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#dde4ee}
.summary{font-size:18px;font-weight:bold}
.sev-error{color:#fff;background:#b03a2e;padding:0 4px;border-radius:3px}
.sev-warning{color:#222;background:#f0b429;padding:0 4px;border-radius:3px}
.sev-info{color:#fff;background:#5b7db1;padding:0 4px;border-radius:3px}
.st-有错误{color:#b03a2e;font-weight:bold}.st-有警告{color:#8a6100}.st-通过{color:#2e7d32}
.st-无法读取{color:#666;font-weight:bold}
.reading{background:#f4f4f4;border-left:4px solid #999;padding:4px 10px;margin:4px 0 12px}
.reading li{color:#444}
h3{margin-top:1.6em;font-size:16px}
.num{text-align:right}
"""


def _bars(items: list[tuple[str, float]], title: str, unit: str = "", width: int = 720,
          colour: str = "#b03a2e") -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return f"<h2>{escape(title)}</h2><p>（无）</p>"
    top = max(v for _, v in items) or 1
    row_h, label_w = 22, 260
    h = row_h * len(items) + 10
    parts = [f'<h2>{escape(title)}</h2><svg role="img" aria-label="{escape(title)}" width="{width}" height="{h}" '
             f'viewBox="0 0 {width} {h}">']
    for i, (label, v) in enumerate(items):
        y = i * row_h + 4
        w = int((width - label_w - 80) * v / top)
        shown = label if len(label) <= 20 else label[:19] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="13">{escape(shown)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{row_h - 6}" fill="{colour}">'
                     f'<title>{escape(label)}：{v:g}{unit}</title></rect>'
                     f'<text x="{label_w + max(w, 1) + 6}" y="{y + 14}" font-size="12">{v:g}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _sev(f: Finding) -> str:
    return f'<span class="sev-{f.severity}">{SEVERITY_ZH.get(f.severity, f.severity)}</span>'


def _report_block(rr: ReportResult, budget: int) -> tuple[str, int]:
    """The findings of one report: its defects in a table, its reading notices apart."""
    head = escape(rr.label or rr.source or "")
    src = f"<br><small>{escape(rr.source)}</small>" if rr.source and rr.source != rr.label else ""
    parts = [f'<h3 id="r{rr.index}">{head}{src}</h3>']
    if not rr.read:
        parts.append(f"<p>无法读取：{escape(rr.unreadable or '')}</p>")
        return "".join(parts), budget
    doc = rr.document_findings
    if doc:
        parts.append("<table><tr><th>级别</th><th>规则</th><th>位置</th><th>说明</th></tr>")
        for f in doc[:max(budget, 0)]:
            parts.append(f"<tr><td>{_sev(f)}</td><td>{escape(f.id)}</td><td>{escape(f.at.label or '')}</td>"
                         f"<td>{escape(f.message)}</td></tr>")
        parts.append("</table>")
        budget -= len(doc)
    else:
        parts.append("<p>未发现报告本身的问题。</p>")
    notes = rr.notices
    if notes:
        parts.append('<div class="reading"><b>读取提示（读取不确定，不是机关的错误）</b><ul>')
        parts += [f"<li>{escape(f.message)}" + (f"（{escape(f.at.label)}）" if f.at.label not in (None, "读取") else "")
                  + "</li>"
                  for f in notes[:max(budget, 0)]]
        parts.append("</ul></div>")
        budget -= len(notes)
    return "".join(parts), budget


def write_html(c: Collector, path: str, title: str = "政府信息公开工作年度报告核查结果") -> None:
    rules = registry()
    def named(counts: dict[str, int]) -> list[tuple[str, float]]:
        return [(f"{rid} {rules[rid].title}" if rid in rules else rid, float(k))
                for rid, k in sorted(counts.items(), key=lambda kv: -kv[1]) if k]

    by_rule = named({rid: k - c.by_rule_reading[rid] for rid, k in c.by_rule.items()})
    by_agency = sorted(((v[0], float(v[2] + v[3])) for v in c.agencies.values()), key=lambda kv: -kv[1])[:30]
    years = sorted(c.years.items())
    charts = [_bars(by_rule, "按规则统计的报告问题数（错误、警告、提示）"),
              _bars(named(dict(c.by_rule_reading)), "按规则统计的读取提示数（不是机关的错误）", colour="#888"),
              _bars([a for a in by_agency if a[1] > 0], "按机关统计的错误和警告数（前30）")]
    for key, name in (("reports", "报告数"), ("new", "本年新收政府信息公开申请数量（合计）"),
                      ("granted", "予以公开（合计）"), ("review", "行政复议（合计）"), ("error", "错误数")):
        charts.append(_bars([(f"{y}年度", float(cnt[key])) for y, cnt in years], f"按年度：{name}",
                            colour="#3f6fa8"))
    rows, blocks = [], []
    budget = MAX_FINDINGS
    for rr in c.results():
        st = status_zh(rr.valid, rr.read, rr.count("warning"))
        rows.append(f'<tr><td><a href="#r{rr.index}">{escape(rr.source or rr.label or "")}</a></td>'
                    f"<td>{escape(rr.agency or '')}</td><td>{rr.year or ''}</td>"
                    f'<td class="st-{st}">{st}</td><td class="num">{rr.count("error")}</td>'
                    f'<td class="num">{rr.count("warning")}</td><td class="num">{len(rr.notices)}</td></tr>')
        if budget > 0:
            block, budget = _report_block(rr, budget)
            blocks.append(block)
    if budget <= 0:
        blocks.append(f"<p>……（页面只列出约前{MAX_FINDINGS}条，完整清单见 JSON 或 XLSX）</p>")
    skipped = "".join(f"<li>{escape(s.source)}：{escape(s.reason)}</li>" for s in c.skipped[:500])
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{CSS}</style></head><body>
<h1>{escape(title)}</h1>
<p class="summary">共核查 {c.reports} 份报告：{escape(c.summary())}</p>
<p>“错误”“警告”是报告本身的问题；“读取提示”说明哪些内容没能可靠读出及原因，不是机关的错误，也不计入错误数。</p>
<h2>报告清单</h2>
<table><tr><th>文件</th><th>机关</th><th>年度</th><th>状态</th><th>错误</th><th>警告</th><th>读取提示</th></tr>
{"".join(rows)}
</table>
{"".join(charts)}
{"<h2>跳过的文件</h2><ul>" + skipped + "</ul>" if skipped else ""}
<h2>各报告的发现</h2>
{"".join(blocks)}
</body></html>
"""
    Path(path).write_text(doc, encoding="utf-8")
