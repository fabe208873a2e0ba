"""JSON (the model) and CSV (tidy cells: one row per table cell).

CSV columns (UTF-8 with BOM so that Excel opens it as Chinese; the same columns as the XLSX
``数据`` sheet)::

    agency, year, format, table, table_label, row, row_label, row_group, column, column_label,
    value, text

``value`` is the machine value (``12``, ``0.35``, ``NA``, empty for unknown); ``text`` is what the
report prints (the source's text when the report was read from a document).  Cells come in the
printed order of the official layout, every declared cell included (blank when unknown).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ..model import Notice, Report
from ..values import format_value
from .layout import Layout, document_layout, group_parents, xml_safe

TIDY_HEADER = ("agency", "year", "format", "table", "table_label", "row", "row_label", "row_group",
               "column", "column_label", "value", "text")


def _value(v: Any) -> str:
    return format_value(v, na="NA")


def tidy_rows(report: Report, layout: Layout | None = None) -> Iterator[tuple[str, ...]]:
    """One tuple per table cell (see ``TIDY_HEADER``), in the printed order."""
    lay = layout or document_layout(report)
    for item in lay.items:
        grid = item.grid
        if grid is None:
            continue
        table = report.tables[grid.key]
        spec = table.spec
        for _i, _j, gc in grid.positions():
            if gc.kind != "value" or gc.row is None or gc.col is None:
                continue
            row = spec.row(gc.row)
            cell = table.cell(gc.row, gc.col)
            group = row.group or ""
            if not group:
                collapsed = next((c for c in spec.collapsed if c.key == gc.row), None)
                inner = spec.row(collapsed.replaces[0]).group if collapsed is not None else None
                if inner:
                    chain = group_parents(list(spec.rows)).get(inner, [])
                    group = chain[-1] if chain else ""
            text = cell.text if cell is not None and cell.text is not None else gc.text
            yield (xml_safe(report.agency or ""), str(report.year or ""), report.format.id, grid.key,
                   f"表{spec.number} {spec.title}", gc.row, row.label, group, gc.col,
                   spec.column(gc.col).label, _value(None if cell is None else cell.value), xml_safe(text))


def write(report: Report, to: str, warnings: list[Notice], *, provenance: bool = True, **_: Any) -> bytes:
    if to == "json":  # the model keeps blanks as null: nothing to warn about
        return (report.to_json(provenance=provenance) + "\n").encode("utf-8")
    layout = document_layout(report)
    warnings.extend(layout.warnings)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(TIDY_HEADER)
    w.writerows(tidy_rows(report, layout))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
