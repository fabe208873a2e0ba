"""The workspace form: the official tables (from the writers' layout) as inputs, the narrative
sections as text areas, and the checker's findings placed beside the cells and sentences they
concern.  Pure view-model code: no database, no HTTP.  The tables' layout is drawn once per
format (``library.grids``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as _esc
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from gongkai.check import Finding

from . import library
from .actions import Edit


def cell_name(table: str, row: str, col: str) -> str:
    return f"c:{table}:{row}:{col}"


def mark_id(table: str, row: str, col: str) -> str:
    return f"m-{table}-{row.replace('.', '_')}-{col}"


@dataclass(slots=True)
class FormCell:
    kind: str
    text: str
    rowspan: int = 1
    colspan: int = 1
    #: value cells: the input's name, what it shows, its marker's id, the findings on it
    name: str | None = None
    value: str = ""
    mark: str = ""
    label: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def badge(self) -> SafeString:
        """The marker beside the cell (the first finding's badge; every message for screen
        readers and in the tooltip), built here rather than by a template include per cell."""
        if self.error:
            return format_html('<span class="badge error" title="{}">错</span><span class="sr">{}</span>',
                               self.error, self.error)
        if not self.findings:
            return SafeString("")
        f = self.findings[0]
        reading = f.about == "reading"
        letter = "读" if reading else {"error": "错", "warning": "警"}.get(f.severity, "提")
        title = "&#10;".join(_esc(f"{x.id} {x.message}") for x in self.findings)
        sr = "".join(_esc(x.message) for x in self.findings)
        return SafeString(f'<span class="badge {_esc(f.severity)}{" reading" if reading else ""}" title="{title}">'
                          f'{letter}</span><span class="sr">{sr}</span>')

    @property
    def severity(self) -> str:
        if self.error:
            return "error"
        if not self.findings:
            return ""
        found = {f.severity for f in self.findings}
        return next((s for s in ("error", "warning", "info") if s in found), "")


@dataclass
class FormTable:
    key: str
    number: str
    title: str
    rows: list[list[FormCell]]
    kinds: list[str]


@dataclass
class FormSection:
    key: str
    heading: str
    text: str
    table: FormTable | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Workspace:
    preamble: str
    sections: list[FormSection]
    outcome: library.CheckOutcome
    #: findings placed nowhere else (metadata, whole report)
    general: list[Finding]
    errors: dict[str, str]

    def cells(self) -> list[FormCell]:
        return [c for s in self.sections if s.table for row in s.table.rows for c in row if c.name]


def posted(request: HttpRequest) -> Mapping[str, str] | None:
    """The form as posted: a JSON object of field name → text (the live check, htmx extension
    ``gk-json``: ~20 times cheaper to read than ~200 urlencoded fields) or the urlencoded form.
    None when a JSON body is not such an object."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return data


def parse_form(data: Mapping[str, str], lib: library.LibReport) -> tuple[Edit, dict[str, str], dict[str, str]]:
    """(the edit, what was typed per input, the Chinese error per bad input)."""
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    cells: dict[tuple[str, str, str], tuple[library.Value, str | None]] = {}
    for tkey, grid in library.grids(lib).items():
        spec = lib.table(tkey).spec
        for row in grid.rows:
            for c in row.cells:
                if c.kind != "value" or c.row is None or c.col is None:
                    continue
                name = cell_name(tkey, c.row, c.col)
                if name not in data:
                    continue
                text = str(data[name])[:40]
                typed[name] = text
                try:
                    cells[(tkey, c.row, c.col)] = library.parse_cell(spec, c.row, c.col, text)
                except library.CellError as e:
                    errors[name] = e.message
    sections = {key: str(data[f"s:{key}"]) for key, _h, _t in library.section_headings(lib.format)
                if f"s:{key}" in data}
    preamble = str(data["preamble"]) if "preamble" in data else None
    return Edit(cells=cells, sections=sections, preamble=preamble), typed, errors


def build(lib: library.LibReport, outcome: library.CheckOutcome, *, typed: Mapping[str, str] | None = None,
          errors: Mapping[str, str] | None = None, texts: Mapping[str, str] | None = None) -> Workspace:
    """The workspace for ``lib`` with ``outcome``'s findings; ``typed``/``errors``/``texts`` keep
    what a person entered when it could not be saved."""
    typed = typed or {}
    errors = dict(errors or {})
    texts = texts or {}
    by_cell = outcome.by_cell()
    placed: set[int] = set()
    sections: list[FormSection] = []
    grids = library.grids(lib)
    for key, heading, tkey in library.section_headings(lib.format):
        table = None
        if tkey is not None and lib.table(tkey).present:
            table = _table(lib, tkey, grids[tkey], by_cell, typed, errors, placed)
        sec_findings = [f for f in outcome.findings + outcome.reading
                        if id(f) not in placed and (f.at.section == key or (tkey and f.at.table == tkey))]
        placed.update(id(f) for f in sec_findings)
        sections.append(FormSection(key, heading, texts.get(f"s:{key}", lib.sections.get(key, "")), table,
                                    sec_findings))
    general = [f for f in outcome.findings + outcome.reading if id(f) not in placed]
    preamble = texts.get("preamble", lib.preamble or "")
    return Workspace(preamble, sections, outcome, general, errors)


def _table(lib: library.LibReport, tkey: str, grid: library.Grid, by_cell: dict[tuple[str, str, str], list[Finding]],
           typed: Mapping[str, str], errors: dict[str, str], placed: set[int]) -> FormTable:
    table = lib.table(tkey)
    cells = table.cells
    rows: list[list[FormCell]] = []
    shape = _statics(tkey, grid, table.spec)
    for _kind, statics in shape:
        out: list[FormCell] = []
        for c, name, mark, label in statics:
            if name is not None:
                key = (tkey, c.row, c.col)
                found = by_cell.get(key, [])
                if found:
                    placed.update(id(f) for f in found)
                out.append(FormCell("value", "", c.rowspan, c.colspan, name=name,
                                    value=typed.get(name, library.cell_text(cells.get((c.row, c.col)))),
                                    mark=mark, label=label, findings=found, error=errors.get(name)))
            else:
                out.append(FormCell(c.kind, c.text, c.rowspan, c.colspan))
        rows.append(out)
    return FormTable(tkey, grid.number, grid.title, rows, [kind for kind, _ in shape])


#: id(grid) → (the grid, per row: its kind and per cell (cell, input name, marker id, label) — the
#: parts of a form cell that depend only on the grid's shape, worked out once per shape)
_STATICS: dict[int, tuple[library.Grid, list[tuple[str, list[tuple[Any, str | None, str, str]]]]]] = {}


def _statics(tkey: str, grid: library.Grid, spec: Any) -> list[tuple[str, list[tuple[Any, str | None, str, str]]]]:
    entry = _STATICS.get(id(grid))
    if entry is not None and entry[0] is grid:
        return entry[1]
    rows: list[tuple[str, list[tuple[Any, str | None, str, str]]]] = []
    for grow in grid.rows:
        cells: list[tuple[Any, str | None, str, str]] = []
        for c in grow.cells:
            if c.kind == "value" and c.row is not None and c.col is not None:
                cells.append((c, cell_name(tkey, c.row, c.col), mark_id(tkey, c.row, c.col),
                              library.cell_label(spec, c.row, c.col)))
            else:
                cells.append((c, None, "", ""))
        rows.append((grow.kind, cells))
    if len(_STATICS) > 256:  # grids are kept per shape (library.layout); a few dozen shapes in use
        _STATICS.clear()
    _STATICS[id(grid)] = (grid, rows)
    return rows


#: ``html.escape`` of the tables' texts: the names, labels and marker ids are the format's, and most
#: values are a few digits, so a page escapes the same few hundred strings each time
_e = lru_cache(maxsize=8192)(_esc)


def rows_html(table: FormTable, *, editable: bool, drill: str) -> SafeString:
    """The table's rows (``<tr>`` … ``</tr>`` each followed by a newline): value cells as inputs when
    ``editable``, as links to the ledger's cases when ``drill`` (the cell URL's prefix) is given
    and the number is not 0, as text otherwise; every value cell with its marker."""
    out: list[str] = []
    for row in table.rows:
        out.append("<tr>")
        for c in row:
            span = f'rowspan="{c.rowspan}" colspan="{c.colspan}"'
            if c.name:
                sev = f" sev-{c.severity}" if c.severity else ""
                name, value, mark = _e(c.name), _e(c.value), _e(c.mark)
                if editable:
                    invalid = ' aria-invalid="true"' if c.error else ""
                    shown = (f'<input name="{name}" value="{value}" inputmode="decimal" autocomplete="off" '
                             f'aria-label="{_e(c.label)}" aria-describedby="{mark}"{invalid}>')
                elif drill and c.value and c.value != "0":
                    shown = f'<a class="val" href="{_e(drill)}{name}/" title="查看计入这个数字的案件或登记">{value}</a>'
                else:
                    shown = f'<span class="val">{value}</span>'
                out.append(f'<td class="v{sev}" {span}>{shown}<span class="mark" id="{mark}">{c.badge}</span></td>')
            elif c.kind == "value":
                out.append(f'<td class="v empty" {span}></td>')
            else:
                scope = "col" if c.kind in ("col", "colgroup") else "row"
                out.append(f'<th class="{_e(c.kind)}" {span} scope="{scope}">{_e(c.text)}</th>')
        out.append("</tr>\n")
    return SafeString("".join(out))


def findings_html(findings: list[Finding]) -> SafeString:
    """The ``<li>`` of each finding, as ``reports/_finding.html`` writes it (one template include
    per finding cost the live check a fifth of its rendering)."""
    out = []
    for f in findings:
        at = f.at
        reading = " reading" if f.about == "reading" else ""
        where = f' <span class="where">{_esc(at.label)}</span>' if at.label else ""
        quoted = f"<q>{_esc(Truncator(at.sentence).chars(80))}</q>" if at.sentence else ""
        hint = f'<div class="hint">提示：{_esc(f.hint)}</div>' if f.hint else ""
        out.append(f'<li class="finding {_esc(str(f.severity))}{reading}"><span class="fid">{_esc(f.id)}</span>'
                   f"{where}：{_esc(f.message)}{quoted}{hint}</li>\n")
    return SafeString("".join(out))


def section_findings_html(section: FormSection, oob: bool) -> SafeString:
    """A section's findings block, as ``reports/_section_findings.html`` writes it."""
    swap = ' hx-swap-oob="true"' if oob else ""
    inner = f'<ul class="findings">{findings_html(section.findings)}</ul>' if section.findings else ""
    return SafeString(f'<div class="section-findings" id="sf-{_esc(section.key)}"{swap}>{inner}</div>\n')


def marks_html(ws: Workspace) -> SafeString:
    """Every value cell's marker, to replace the page's out of band (htmx) after a live check."""
    return SafeString("".join(f'<span class="mark" id="{_e(c.mark)}" hx-swap-oob="true">{c.badge}</span>'
                              for c in ws.cells()))
