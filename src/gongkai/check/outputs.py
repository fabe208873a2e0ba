"""What a batch run writes: the terminal summary, JSON, an XLSX workbook, an HTML page with charts.

``Collector`` takes results as they stream in and keeps only counts; each finding is spooled to a
temporary JSON-lines file, which the writers read back at the end (memory stays flat).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import IO, Any

from .batch import FileResult
from .engine import SEVERITY_ZH, Finding, registry

_SLOT = {"error": 1, "warning": 2, "info": 3}


class Collector:
    def __init__(self) -> None:
        self.spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self.counts: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.reports = 0
        self.unreadable: list[tuple[str, str]] = []
        #: agency → {reports, error, warning, info}
        #: agency → [reports, errors, warnings, infos] (a list: one per agency, kept small)
        self.agencies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        #: year → {reports, new, granted, review, suits, error}
        self.years: dict[int, Counter[str]] = defaultdict(Counter)

    def add(self, res: FileResult) -> None:
        if res.error is not None:
            self.unreadable.append((res.source, res.error))
            self.counts["unreadable"] += 1
            self._spool({"source": res.source, "unreadable": res.error})
            return
        self.reports += 1
        agency = res.agency or "（未知机关）"
        self.agencies[agency][0] += 1
        if res.year is not None:
            y = self.years[res.year]
            y["reports"] += 1
            if res.digest is not None:
                for k, v in res.digest.totals.items():
                    y[k] += v
        for f in res.findings:
            self.add_finding(f, agency, res.year)

    def add_finding(self, f: Finding, agency: str | None = None, year: int | None = None) -> None:
        """One finding; across-report findings give the agency and year from the report's digest."""
        agency = agency or "（未知机关）"
        self.counts[f.severity] += 1
        self.by_rule[f.id] += 1
        self.agencies[agency][_SLOT[f.severity]] += 1
        if year is not None and f.severity == "error":
            self.years[year]["error"] += 1
        d = f.to_dict()
        d["agency"], d["year"] = agency, year
        self._spool(d)

    def _spool(self, d: dict[str, Any]) -> None:
        self.spool.write(json.dumps(d, ensure_ascii=False, default=str) + "\n")

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every spooled finding (and unreadable file), in the order they came."""
        self.spool.flush()
        self.spool.seek(0)
        for line in self.spool:
            yield json.loads(line)
        self.spool.seek(0, 2)

    def findings(self) -> Iterator[dict[str, Any]]:
        return (r for r in self.rows() if "id" in r)

    def summary(self) -> str:
        from . import summary_line

        return summary_line(self.counts["error"], self.counts["warning"], self.counts["info"],
                            self.counts["unreadable"])

    def close(self) -> None:
        self.spool.close()


# -- terminal ------------------------------------------------------------------------------------

def finding_lines(f: Finding) -> list[str]:
    lines = [f.line()]
    if f.hint:
        lines.append(f"  提示：{f.hint}")
    return lines


# -- JSON ------------------------------------------------------------------------------------------

def write_json(c: Collector, path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        out.write(f'"summary": {json.dumps(_summary_dict(c), ensure_ascii=False)},\n')
        out.write('"unreadable": ' + json.dumps([{"source": s, "error": m} for s, m in c.unreadable],
                                                ensure_ascii=False) + ",\n")
        out.write('"findings": [\n')
        first = True
        for row in c.findings():
            out.write(("" if first else ",\n") + json.dumps(row, ensure_ascii=False))
            first = False
        out.write("\n]\n}\n")


def _summary_dict(c: Collector) -> dict[str, Any]:
    return {"reports": c.reports, "error": c.counts["error"], "warning": c.counts["warning"],
            "info": c.counts["info"], "unreadable": c.counts["unreadable"], "valid": not c.counts["error"]
            and not c.counts["unreadable"], "by_rule": dict(sorted(c.by_rule.items()))}


# -- XLSX ------------------------------------------------------------------------------------------

FINDING_COLUMNS = ("文件", "机关", "年度", "规则", "级别", "规则名称", "说明", "提示", "位置", "原文位置", "相关报告")


def write_xlsx(c: Collector, path: str | Path) -> None:
    from openpyxl import Workbook

    rules = registry()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    ws.freeze_panes = "A2"
    widths = (36, 24, 8, 14, 8, 22, 70, 50, 24, 22, 30)
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.append(list(FINDING_COLUMNS))
    n = 1
    for row in c.rows():
        if "unreadable" in row:
            ws.append([row["source"], "", "", "read", "错误", "无法读取", row["unreadable"], "", "", "", ""])
        else:
            loc = row.get("location") or {}
            r = rules.get(row["id"])
            ws.append([row.get("source") or "", row.get("agency") or "", row.get("year"), row["id"],
                       SEVERITY_ZH.get(row["severity"], row["severity"]), r.title if r else "", row["message"],
                       row.get("hint") or "", loc.get("label") or "", loc.get("source_place") or "",
                       "；".join(row.get("related") or [])])
        n += 1
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(FINDING_COLUMNS) - 1)}{n}"

    ws2 = wb.create_sheet("机关汇总")
    ws2.column_dimensions["A"].width = 36
    ws2.append(["机关", "报告数", "错误", "警告", "提示"])
    for agency, cnt in sorted(c.agencies.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0])):
        ws2.append([agency, *cnt])
    ws2.auto_filter.ref = f"A1:E{len(c.agencies) + 1}"

    ws3 = wb.create_sheet("规则汇总")
    ws3.append(["规则", "级别", "规则名称", "发现数"])
    for rid, k in sorted(c.by_rule.items(), key=lambda kv: -kv[1]):
        r = rules.get(rid)
        ws3.append([rid, SEVERITY_ZH.get(r.severity, "") if r else "", r.title if r else "", k])
    wb.save(str(path))


# -- HTML ------------------------------------------------------------------------------------------

def _bars(items: list[tuple[str, float]], title: str, unit: str = "", width: int = 720) -> str:
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
                     f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{row_h - 6}" fill="#b03a2e">'
                     f'<title>{escape(label)}：{v:g}{unit}</title></rect>'
                     f'<text x="{label_w + max(w, 1) + 6}" y="{y + 14}" font-size="12">{v:g}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_html(c: Collector, path: str | Path, title: str = "政府信息公开工作年度报告核查结果") -> None:
    rules = registry()
    by_rule = [(f"{rid} {rules[rid].title}" if rid in rules else rid, float(k))
               for rid, k in sorted(c.by_rule.items(), key=lambda kv: -kv[1])]
    by_agency = sorted(((a, float(cnt[1] + cnt[2])) for a, cnt in c.agencies.items()),
                       key=lambda kv: -kv[1])[:30]
    years = sorted(c.years.items())
    charts = [_bars(by_rule, "按规则统计的发现数"),
              _bars([a for a in by_agency if a[1] > 0], "按机关统计的错误和警告数（前30）")]
    for key, name in (("reports", "报告数"), ("new", "本年新收政府信息公开申请数量（合计）"),
                      ("granted", "予以公开（合计）"), ("review", "行政复议（合计）"), ("error", "错误数")):
        charts.append(_bars([(f"{y}年度", float(cnt[key])) for y, cnt in years], f"按年度：{name}"))
    rows = []
    for i, row in enumerate(c.findings()):
        if i >= 2000:
            rows.append("<tr><td colspan=5>……（只列出前2000条，完整清单见 JSON 或 XLSX）</td></tr>")
            break
        rows.append("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in (
            row.get("source") or "", row["id"], SEVERITY_ZH.get(row["severity"], ""), row["message"],
            (row.get("location") or {}).get("label") or "")) + "</tr>")
    unread = "".join(f"<li>{escape(s)}：{escape(m)}</li>" for s, m in c.unreadable[:500])
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:3px 6px;vertical-align:top}}
.summary{{font-size:18px;font-weight:bold}}</style></head><body>
<h1>{escape(title)}</h1>
<p class="summary">共核查 {c.reports} 份报告：{escape(c.summary())}</p>
{"".join(charts)}
{"<h2>无法读取的文件</h2><ul>" + unread + "</ul>" if unread else ""}
<h2>发现清单</h2>
<table><tr><th>文件</th><th>规则</th><th>级别</th><th>说明</th><th>位置</th></tr>
{"".join(rows)}
</table></body></html>
"""
    Path(path).write_text(doc, encoding="utf-8")
