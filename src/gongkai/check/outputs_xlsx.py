"""The batch result as an XLSX workbook: findings to filter, reading notices apart, reports, agencies, rules.

Headers are bold and frozen, every sheet has a filter, and the file-name column is as wide as the
longest file name (shown whole)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .catalogue import registry
from .engine import SEVERITY_ZH
from .outputs import Collector

FINDING_COLUMNS = ("文件", "机关", "年度", "规则", "级别", "规则名称", "说明", "提示", "位置", "原文位置", "相关报告")
NOTICE_COLUMNS = ("文件", "机关", "年度", "编号", "说明", "提示", "位置", "原文位置")
REPORT_COLUMNS = ("文件", "机关", "年度", "状态", "错误", "警告", "提示", "读取提示", "引用")


def status_zh(valid: bool, read: bool, warnings: int) -> str:
    if not read:
        return "无法读取"
    if not valid:
        return "有错误"
    return "有警告" if warnings else "通过"


def _col(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else "A" + chr(ord("A") + i - 26)


class _Sheet:
    """A write-only sheet with a bold frozen header, column widths and a filter over what was written."""

    def __init__(self, wb: Any, title: str, header: Sequence[str], widths: Sequence[int]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = wb.create_sheet(title)
        self.ws.freeze_panes = "A2"
        for i, w in enumerate(widths):
            self.ws.column_dimensions[_col(i)].width = w
        cells = []
        for h in header:
            c = WriteOnlyCell(self.ws, value=h)
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDE4EE")
            c.alignment = Alignment(vertical="center")
            cells.append(c)
        self.ws.append(cells)
        self.width = len(header)
        self.rows = 1

    def append(self, row: Sequence[Any]) -> None:
        self.ws.append(list(row))
        self.rows += 1

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{_col(self.width - 1)}{self.rows}"


def write_xlsx(c: Collector, path: str) -> None:
    from openpyxl import Workbook

    rules = registry()
    file_w = min(max(c.widest_source + 2, 20), 250)
    wb = Workbook(write_only=True)
    found = _Sheet(wb, "问题清单", FINDING_COLUMNS, (file_w, 28, 8, 14, 8, 24, 70, 50, 24, 22, 30))
    notes = _Sheet(wb, "读取提示", NOTICE_COLUMNS, (file_w, 28, 8, 16, 70, 50, 24, 22))
    reps = _Sheet(wb, "报告清单", REPORT_COLUMNS, (file_w, 28, 8, 10, 8, 8, 8, 10, file_w))
    for rr in c.results():
        counts = {"error": rr.count("error"), "warning": rr.count("warning"), "info": rr.count("info")}
        reps.append([rr.source or rr.label or "", rr.agency or "", rr.year,
                     status_zh(rr.valid, rr.read, counts["warning"]), counts["error"], counts["warning"],
                     counts["info"], len(rr.notices), rr.ref or ""])
        if not rr.read:
            found.append([rr.source or "", "", "", "read", "错误", "无法读取", rr.unreadable or "", "", "", "", ""])
            continue
        for f in rr.findings:
            loc = f.at.to_dict()
            if f.about == "reading":
                notes.append([rr.source or "", rr.agency or "", rr.year, f.id, f.message, f.hint or "",
                              loc.get("label") or "", loc.get("source_place") or ""])
                continue
            r = rules.get(f.id)
            found.append([rr.source or "", rr.agency or "", rr.year, f.id, SEVERITY_ZH.get(f.severity, f.severity),
                          r.title if r else "", f.message, f.hint or "", loc.get("label") or "",
                          loc.get("source_place") or "", "；".join(f.related)])
    for sheet in (found, notes, reps):
        sheet.close()

    ags = _Sheet(wb, "机关汇总", ("机关", "报告数", "错误", "警告", "提示", "读取提示"), (40, 8, 8, 8, 8, 10))
    for shown, *cnt in sorted(c.agencies.values(), key=lambda v: (-v[2], -v[3], v[0])):
        ags.append([shown, *cnt])
    ags.close()

    by_rule = _Sheet(wb, "规则汇总", ("规则", "级别", "规则名称", "发现数"), (16, 8, 30, 10))
    for rid, k in sorted(c.by_rule.items(), key=lambda kv: -kv[1]):
        r = rules.get(rid)
        by_rule.append([rid, SEVERITY_ZH.get(r.severity, "") if r else "", r.title if r else "", k])
    by_rule.close()

    if c.skipped:
        sk = _Sheet(wb, "跳过的文件", ("文件", "原因"), (file_w, 60))
        for skip in c.skipped:
            sk.append([skip.source, skip.reason])
        sk.close()
    wb.save(str(path))
