"""The overview as an Excel workbook (openpyxl): a bold, frozen header row and whole names.

Sheet one is the agencies in the app; for an agency whose report a supervisor also uploaded for a
batch check, the last three columns (marked 上传核查) give that check's result.  Sheet two, 上传核查,
lists every uploaded report of the year with its agency and year as the library read them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .overview import Row
from .uploads import MARK, Uploads

HEADER = ("机关名称", "上级机关", "机关类别", "状态", "报告状态", "公布期限", "是否逾期", "错误", "警告", "最后修改",
          f"{MARK}结果", f"{MARK}错误", f"{MARK}警告")
WIDTHS = (40, 32, 22, 10, 14, 13, 10, 8, 8, 18, 14, 12, 12)
UPLOAD_HEADER = ("机关名称（上传文件中读取）", "年度", "核查结果", "错误", "警告", "读取提示", "本系统中的机关",
                 "本系统中的报告状态", "文件", "批次", "上传时间", "来源")
UPLOAD_WIDTHS = (40, 8, 12, 8, 8, 10, 36, 18, 48, 24, 18, 10)


def _head(ws: Any, header: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(header))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width


def _as_text(ws: Any, columns: Sequence[int]) -> None:
    for i in columns:
        cell = ws[ws.max_row][i]
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a name is text, never a formula Excel would run


def workbook(rows: Sequence[Row], *, title: str, year: int, uploaded: Uploads | None = None) -> bytes:
    uploaded = uploaded or Uploads()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年度"[:31]
    _head(ws, HEADER, WIDTHS)
    for r in rows:
        updated = timezone.localtime(r.updated_at).replace(tzinfo=None) if r.updated_at else None
        up = uploaded.by_agency.get(r.agency_id)
        ws.append([r.name, r.parent_name, r.kind_label, "逾期" if r.overdue else r.stage_label, r.status_label,
                   r.due, "是" if r.overdue else "否", r.errors, r.warnings, updated,
                   up.status_label if up else None, up.errors if up else None, up.warnings if up else None])
        _as_text(ws, (0, 1))
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm"
    ws.auto_filter.ref = ws.dimensions
    _uploads_sheet(wb.create_sheet(MARK), uploaded)
    wb.properties.title = title
    wb.properties.creator = "政府信息公开工作年度报告系统"
    wb.properties.created = wb.properties.modified = timezone.now().replace(tzinfo=None, microsecond=0)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _uploads_sheet(ws: Any, uploaded: Uploads) -> None:
    """The uploaded reports, each marked 上传核查 (the last column) so that a row copied elsewhere
    still says where it comes from."""
    _head(ws, UPLOAD_HEADER, UPLOAD_WIDTHS)
    for u in uploaded.rows:
        ws.append([u.agency, u.year, u.status_label, u.errors, u.warnings, u.notices, u.agency_name or "未在本系统中",
                   (u.stage_label or "") if u.agency_id else "", u.source, u.batch,
                   timezone.localtime(u.uploaded_at).replace(tzinfo=None), MARK])
        _as_text(ws, (0, 6, 8, 9))
    for row in ws.iter_rows(min_row=2, min_col=11, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm"
    ws.auto_filter.ref = ws.dimensions
