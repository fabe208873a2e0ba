"""The overview as an Excel workbook (openpyxl): a bold, frozen header row and whole names."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .overview import Row

HEADER = ("机关名称", "上级机关", "机关类别", "状态", "报告状态", "公布期限", "是否逾期", "错误", "警告", "最后修改")
WIDTHS = (40, 32, 22, 10, 14, 13, 10, 8, 8, 18)


def workbook(rows: Sequence[Row], *, title: str, year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年度"[:31]
    ws.append(HEADER)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for r in rows:
        updated = timezone.localtime(r.updated_at).replace(tzinfo=None) if r.updated_at else None
        ws.append([r.name, r.parent_name, r.kind_label, "逾期" if r.overdue else r.stage_label, r.status_label,
                   r.due, "是" if r.overdue else "否", r.errors, r.warnings, updated])
        for cell in ws[ws.max_row][:2]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name is text, never a formula Excel would run
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm"
    ws.auto_filter.ref = ws.dimensions
    wb.properties.title = title
    wb.properties.creator = "政府信息公开工作年度报告系统"
    wb.properties.created = wb.properties.modified = timezone.now().replace(tzinfo=None, microsecond=0)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
