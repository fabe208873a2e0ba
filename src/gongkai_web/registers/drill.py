"""The year's tables as pages: every number with a link to the cases counted in it.

Table 三 comes from ``gongkai_web.cases.tables`` (SQL on the request rows' denormalised columns,
proved equal to the engine's ``tally`` by a test) when the case ledger is installed; tables 四 and
二 from ``annual.year_tally`` over the appeals and registers (small); the drill-down of each cell
is the engine's (``Tally.cases``) or, for table 三, the same SQL filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.ledger import Tally
from gongkai.model import Table
from gongkai_web.orgs.models import Agency

from . import annual
from .models import Document, Month
from .queries import has_registers, ledger_version

TABLE_ORDER = ("proactive", "requests", "appeals")
CACHE_SECONDS = 24 * 60 * 60


@dataclass
class CellCases:
    table: str
    table_title: str
    row_label: str
    col_label: str
    value: Any
    #: [{"label", "url" (or None), "detail"}]
    items: list[dict[str, Any]] = field(default_factory=list)
    #: more cases than listed (the list is cut at ``LIMIT``)
    more: int = 0


LIMIT = 500


def _cases_tables() -> Any | None:
    if not apps.is_installed("gongkai_web.cases"):
        return None
    from gongkai_web.cases import tables

    return tables


def _tally(agency: Agency, year: int) -> Tally:
    """Tables 四 and 二 (and table 三 when the ledger is not installed) — requests left to SQL."""
    return annual.year_tally(agency, year, requests=[] if _cases_tables() is not None else None)


def _value_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _present(agency: Agency, year: int, table: Table) -> dict[str, Any]:
    spec = table.spec
    rows = []
    for r in spec.rows:
        cells = []
        for c in spec.row_columns(r):
            value = table.value(r.key, c.key)
            url = (reverse("registers:cell", args=[agency.pk, year, spec.key, r.key, c.key])
                   if isinstance(value, int | Decimal) and value else None)
            cells.append({"col": c.key, "label": c.label, "value": _value_text(value), "url": url})
        rows.append({"key": r.key, "label": r.label, "group": r.group, "cells": cells})
    uniform = all(not r.columns for r in spec.rows)
    return {"key": spec.key, "number": spec.number, "title": spec.title, "uniform": uniform,
            "columns": [c.label for c in spec.columns], "rows": rows}


def annual_tables(agency: Agency, year: int) -> list[dict[str, Any]]:
    t = _tally(agency, year)
    q = _cases_tables()
    if q is not None:
        t.report.tables["requests"] = q.table_three(agency, year)
    out = []
    for key in TABLE_ORDER:
        if key == "proactive" and t.report.table(key).value("fees", "amount") is None:
            continue  # no register entered: table 二 left blank
        out.append(_present(agency, year, t.report.table(key)))
    return out


def tables_html(agency: Agency, year: int) -> str:
    """The year's tables rendered (the same for everyone who may read them), cached under the
    agency's ledger stamp: a write to its requests, appeals or registers changes the stamp in the
    same transaction, so the cached page is never stale."""
    return tables_html_at(agency, year, ledger_version(agency))


def tables_html_at(agency: Agency, year: int, version: int | None) -> str:
    """``tables_html`` with the stamp already read (``queries.ledger_stamp``: with the agency)."""
    key = f"registers:tables:{agency.pk}:{year}:{version}"
    html = cache.get(key) if version is not None else None
    if html is None:
        html = render_to_string("registers/_tables.html", {"tables": annual_tables(agency, year)})
        if version is not None:
            cache.set(key, html, CACHE_SECONDS)
    return str(html)


def registers_table(agency: Agency, year: int) -> dict[str, Any] | None:
    """Table 二 as the registers count it (None when nothing was entered: left blank, never 0)."""
    if not has_registers(agency, year):
        return None
    return _present(agency, year, annual.year_tally(agency, year, requests=[]).report.table("proactive"))


def _labels(t: Tally, table: str, row: str, col: str) -> tuple[str, str, str] | None:
    try:
        spec = t.report.table(table).spec
        r = spec.row(row)
        c = next(c for c in spec.row_columns(r) if c.key == col)
    except (KeyError, StopIteration):
        return None
    return spec.title, f"{r.group or ''}{r.label}", c.label


def cell_cases(agency: Agency, year: int, table: str, row: str, col: str) -> CellCases | None:
    """The cases counted in one cell; None for a cell the table does not have."""
    if table not in TABLE_ORDER:
        return None
    t = _tally(agency, year)
    labels = _labels(t, table, row, col)
    if labels is None:
        return None
    q = _cases_tables()
    if table == "requests" and q is not None:
        t.report.tables["requests"] = q.table_three(agency, year)
    out = CellCases(table, *labels, value=_value_text(t.report.table(table).value(row, col)))
    if table == "requests" and q is not None:
        found = q.cell_requests(agency, year, row, col)
        total = found.count()
        for r in found[:LIMIT]:
            out.items.append({"label": f"申请{r.number}", "url": reverse("cases:request", args=[r.pk]),
                              "detail": f"{r.get_applicant_kind_display()}，{r.received_on:%Y-%m-%d}收到"
                                        + (f"，{r.closed_on:%Y-%m-%d}办结：{r.outcome_label}" if r.closed_on else
                                           "，尚未办结")})
        out.more = max(total - LIMIT, 0)
        return out
    ids = t.cases(table, row, col)
    if table == "proactive":
        out.items = _register_items(ids)
    else:
        appeals = reverse("cases:appeals", args=[agency.pk]) if q is not None else None
        out.items = [{"label": f"案件{i}", "url": appeals, "detail": "行政复议、行政诉讼登记"} for i in ids[:LIMIT]]
        out.more = max(len(ids) - LIMIT, 0)
    return out


def _register_items(ids: tuple[str, ...]) -> list[dict[str, Any]]:
    docs = {f"D{d.pk}": d for d in Document.objects.filter(pk__in=[int(i[1:]) for i in ids if i.startswith("D")])}
    month_pks = {int(i[1:].split("/")[0]) for i in ids if i.startswith("M")}
    months = {m.pk: m for m in Month.objects.filter(pk__in=month_pks)}
    items = []
    for i in ids:
        if i in docs:
            d = docs[i]
            repealed = f"，{d.repealed:%Y-%m-%d}废止" if d.repealed else ""
            items.append({"label": f"《{d.title}》（{d.number}）", "url": reverse("registers:document", args=[d.pk]),
                          "detail": f"{d.get_kind_display()}，{d.issued:%Y-%m-%d}印发{repealed}"})
        elif i.startswith("M"):
            pk, what = i[1:].split("/")
            m = months.get(int(pk))
            if m is None:
                continue
            value = m.fee if what == "fee" else getattr(m, what)
            label = {"licensing": "行政许可", "punishment": "行政处罚", "coercion": "行政强制",
                     "fee": "行政事业性收费（万元）"}[what]
            items.append({"label": f"{m.year}年{m.month}月{label}", "detail": _value_text(value),
                          "url": reverse("registers:index", args=[m.agency_id, m.year])})
    return items
