"""A finished batch as the library's own result files: the XLSX workbook and the HTML summary that
``gongkai check --xlsx/--html`` writes (问题清单, 读取提示, 报告清单, 机关汇总, 规则汇总, 跳过的文件).

The stored rows are turned back into the library's ``ReportResult`` (``from_dict``) and handed to
its writers; nothing of the workbook is drawn here."""

from __future__ import annotations

import os
import tempfile

from gongkai.check import ReportResult, Skipped
from gongkai.check.outputs import Collector, write_html, write_xlsx

from .models import Audit, AuditEntry

#: what may be downloaded: format → (media type, writer)
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
    "html": ("text/html; charset=utf-8", write_html),
}


def collect(audit: Audit) -> Collector:
    c = Collector()
    for e in audit.entries.order_by("position").iterator():
        if e.status == AuditEntry.Status.SKIPPED:
            c.skipped.append(Skipped(e.source, e.reason))
            continue
        c.add(ReportResult.from_dict({
            "index": e.position, "ref": e.source, "label": e.label or e.source, "source": e.source,
            "agency": e.agency or None, "year": e.year, "findings": e.findings, "other_forms": e.other_forms,
            "unreadable": (e.reason or "无法读取") if e.status == AuditEntry.Status.UNREADABLE else None}))
    return c


def export(audit: Audit, fmt: str) -> bytes:
    _, writer = FORMATS[fmt]
    c = collect(audit)
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-audit-export-") as tmp:
            path = os.path.join(tmp, f"result.{fmt}")
            writer(c, path)
            with open(path, "rb") as f:
                return f.read()
    finally:
        c.close()
