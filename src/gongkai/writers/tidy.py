"""JSON (the model) and CSV (tidy cells: one row per table cell).

CSV columns (UTF-8 with BOM so that Excel opens it as Chinese; the same columns as the XLSX
``数据`` sheet)::

    agency, year, format, table, table_label, row, row_label, row_group, column, column_label,
    value, text

``value`` is the machine value (``12``, ``0.35``, ``NA``, empty for unknown), written exactly (a
``Decimal`` with every digit: ``parse_value`` reads it back as the same ``Decimal``); ``text`` is
what the report prints (the source's text when the report was read from a document).  Cells come in the
printed order of the official layout, every declared cell included (blank when unknown).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ..model import Report
from ..values import format_value
from .layout import Layout, xml_safe

TIDY_HEADER = ("agency", "year", "format", "table", "table_label", "row", "row_label", "row_group",
               "column", "column_label", "value", "text")


def tidy_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """One tuple of text per table cell (see ``TIDY_HEADER``), in the printed order: ``Report.cells()``
    as the CSV and the XLSX data sheet print it (values exact: ``Decimal`` with every digit)."""
    agency, year = xml_safe(report.agency or ""), str(report.year or "")
    for c in report.cells():
        yield (agency, year, report.format.id, c.table, c.table_label, c.row, c.row_label, c.row_group, c.column,
               c.column_label, format_value(c.value, na="NA"), xml_safe(c.text))


def write(report: Report, to: str, layout: Layout | None, *, provenance: bool = True, **_: Any) -> bytes:
    """``json``: the model (no layout: blanks stay null, nothing to warn about); ``csv``: the tidy cells."""
    if to == "json":
        return (report.to_json(provenance=provenance) + "\n").encode("utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(TIDY_HEADER)
    w.writerows(tidy_rows(report))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
