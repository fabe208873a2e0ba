"""The report model: one annual report bound to one format.

A ``Report`` holds metadata, the three tables and the narrative sections.  Every cell keeps its
value (int | Decimal | None for blank | "NA"), the printed text and where it came from.

JSON keys are the stable keys of FORMAT.md::

    {"format": "2021", "agency": …, "year": …, "published": "YYYY-MM-DD", "period": [from, to],
     "tables": {"proactive": {"rules": {"issued": 0, …}, …}, "requests": {…}, "appeals": {…}},
     "sections": {"overview": "…", "problems": "…", "other": "…"},
     "provenance": {…}, "warnings": […]}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .errors import ModelError
from .formats import SECTION_KEYS, TABLE_KEYS, FormatSpec, TableSpec, get_format
from .messages import Notice
from .schema import check_model, dumps, loads
from .values import NA, Value, ValueSyntaxError, format_value, from_json_value, to_json_value

__all__ = ["NA", "Cell", "Loc", "Notice", "Report", "Table", "TidyCell", "Value", "printed_text"]


@dataclass(slots=True, frozen=True)
class Loc:
    """Where something was read: a line of text, a page, a table cell of a document."""

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    sheet: str | None = None

    def describe(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"第{self.table}个表格")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.col is not None:
            parts.append(f"第{self.col}列")
        if self.line is not None:
            parts.append(f"第{self.line}行" if self.row is None else f"（文本第{self.line}行）")
        return "".join(parts) or "位置不详"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Loc:
        return cls(**{k: raw[k] for k in cls.__slots__ if k in raw})


@dataclass(slots=True)
class Cell:
    value: Value
    #: the text as printed in the source ('' for an empty cell; None when not read from a document)
    text: str | None = None
    loc: Loc | None = None
    #: a unit printed with the number (元, 万元), where the format lets the report choose
    unit: str | None = None
    #: a reader's remark about this cell (e.g. the candidates of an ambiguous split)
    note: str | None = None
    #: what settled a value the layout alone could not (e.g. ``narrative``, ``sibling``,
    #: ``previous_year``, ``ocr``); None when the value was read as printed
    evidence: str | None = None
    #: the reader is not sure of this value (or of its blank): identity failures over it are
    #: reading uncertainty, not the agency's error
    uncertain: bool = False


@dataclass(slots=True, frozen=True)
class TidyCell:
    """One table cell as a row of data (``Report.cells()``): what the CSV, the XLSX data sheet and
    the web app's rows for SQL sums are made of."""

    table: str
    #: e.g. ``表三 收到和处理政府信息公开申请情况``
    table_label: str
    row: str
    row_label: str
    #: the label of the innermost group the row sits in ('' when none), e.g. ``（三）不予公开``
    row_group: str
    column: str
    column_label: str
    #: int | Decimal | None (blank) | "NA"
    value: Value
    #: the text as printed in the source; when not read from a document, the value's printed form
    #: ('' for blank, '/' for not applicable, the unit after the number)
    text: str
    #: what settled the value when the layout alone could not (``Cell.evidence``)
    evidence: str | None = None
    #: the reader is not sure of this value (``Cell.uncertain``)
    uncertain: bool = False


def printed_text(cell: Cell | None) -> str:
    """A cell's canonical printed form: '' for blank, '/' for not applicable, the number and its unit."""
    if cell is None or cell.value is None:
        return ""
    if cell.value == NA:
        return "/"
    text = format_value(cell.value)
    return text + cell.unit if cell.unit else text


class Table:
    """The cells of one table, keyed by (row key, column key)."""

    __slots__ = ("cells", "present", "spec")

    def __init__(self, spec: TableSpec, cells: dict[tuple[str, str], Cell] | None = None,
                 present: bool = True) -> None:
        self.spec = spec
        self.cells: dict[tuple[str, str], Cell] = cells if cells is not None else {}
        self.present = present

    def cell(self, row: str, col: str) -> Cell | None:
        return self.cells.get((row, col))

    def value(self, row: str, col: str) -> Value:
        c = self.cells.get((row, col))
        return None if c is None else c.value

    def set(self, row: str, col: str, value: Value, text: str | None = None,
            loc: Loc | None = None, **extra: Any) -> Cell:
        c = Cell(value, text, loc, **extra)
        self.cells[(row, col)] = c
        return c

    def has_row(self, row: str) -> bool:
        return any(r == row for r, _ in self.cells)

    def row_keys(self) -> list[str]:
        """Rows present, in the declared order (collapsed rows where they would stand)."""
        present = {r for r, _ in self.cells}
        return [key for key in self.spec.declared_row_keys if key in present]

    def declared_rows(self) -> list[str]:
        """Declared rows, with each collapsed row placed before the rows it replaces."""
        return list(self.spec.declared_row_keys)

    def columns_of(self, row: str) -> list[str]:
        return list(self.spec.column_keys(row))

    def items(self) -> Iterator[tuple[str, str, Cell]]:
        """Present cells in reading order."""
        # every declared row in order: a row the table lacks has no cell to yield (as row_keys skips it)
        cells, spec = self.cells, self.spec
        for r in spec.declared_row_keys:
            for c in spec.column_keys(r):
                cell = cells.get((r, c))
                if cell is not None:
                    yield r, c, cell

    def missing(self) -> list[tuple[str, str]]:
        """Declared cells this table does not have (collapsed rows count for what they replace)."""
        have = {r for r, _ in self.cells}
        replaced = {k for c in self.spec.collapsed if c.key in have for k in c.replaces}
        return [(r, c) for r, c in self.spec.cells() if (r, c) not in self.cells and r not in replaced]

    def printed_rows(self) -> list[tuple[str, str]]:
        """(row key, group label) of the rows as the official layout prints them: the declared rows,
        with a collapsed row (e.g. （六）其他处理 as one row) in place of the rows it replaces when the
        report has it and none of those rows."""
        spec = self.spec
        have = {r for r, _ in self.cells}
        out: list[tuple[str, str]] = []
        done: set[str] = set()
        for r in spec.rows:
            col = next((c for c in spec.collapsed if r.key in c.replaces), None)
            if col is None or col.key not in have or any(k in have for k in col.replaces):
                out.append((r.key, r.group or ""))
            elif col.key not in done:
                done.add(col.key)
                out.append((col.key, _enclosing_group(spec, spec.row(col.replaces[0]).group)))
        return out

    def tidy(self) -> Iterator[TidyCell]:
        """Every printed cell of this table (blank ones included), in the printed order."""
        spec = self.spec
        label = f"表{spec.number} {spec.title}"
        for r, group in self.printed_rows():
            row_label = spec.row(r).label
            for c in self.columns_of(r):
                cell = self.cells.get((r, c))
                text = cell.text if cell is not None and cell.text is not None else printed_text(cell)
                yield TidyCell(spec.key, label, r, row_label, group, c, spec.column(c).label,
                               None if cell is None else cell.value, text,
                               None if cell is None else cell.evidence, cell is not None and cell.uncertain)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r, c, cell in self.items():
            out.setdefault(r, {})[c] = to_json_value(cell.value)
        return out

    def __repr__(self) -> str:
        return f"<Table {self.spec.key} {len(self.cells)} cells>"


def _enclosing_group(spec: TableSpec, inner: str | None) -> str:
    """The group enclosing ``inner`` (the label a collapsed row sits under), '' when none."""
    if not inner:
        return ""
    span: dict[str, list[int]] = {}
    for i, r in enumerate(spec.rows):
        if r.group:
            span.setdefault(r.group, [i, i])[1] = i
    a, b = span[inner]
    outer = [(h, hb - ha) for h, (ha, hb) in span.items() if h != inner and ha <= a and b <= hb]
    return min(outer, key=lambda x: x[1])[0] if outer else ""


@dataclass(eq=False)
class Report:
    format: FormatSpec
    agency: str | None = None
    year: int | None = None
    published: date | None = None
    period: tuple[date, date] | None = None
    title: str | None = None
    preamble: str | None = None
    portal: str | None = None
    contact: dict[str, str] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    #: narrative text of each section whose heading was found (key → text, '' if none)
    sections: dict[str, str] = field(default_factory=dict)
    #: the printed heading of each section found, in document order
    headings: dict[str, Cell] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)
    #: file name or other label of the document this report was read from
    source: str | None = None
    #: where each metadata field was read (field → Cell with text and loc)
    meta_provenance: dict[str, Cell] = field(default_factory=dict)
    #: the kind of body (``gongkai.agency.AGENCY_KINDS``); decides deadlines and required content
    agency_kind: str | None = None
    #: True when ``agency_kind`` was guessed from the name rather than set by the caller
    agency_kind_guessed: bool = False
    #: the caller's reference for this report (a path, a database id); carried into findings
    ref: str | None = None

    def __post_init__(self) -> None:
        for key in TABLE_KEYS:
            if key not in self.tables:
                self.tables[key] = Table(self.format.table(key), present=False)

    def copy(self) -> Report:
        """A copy whose tables (cells set or replaced), sections, contact and notices can change
        without changing this report.  Cells themselves are shared: ``Table.set`` replaces a cell,
        it never changes one in place."""
        return replace(self, tables={k: Table(t.spec, dict(t.cells), t.present) for k, t in self.tables.items()},
                       sections=dict(self.sections), contact=dict(self.contact), headings=dict(self.headings),
                       warnings=list(self.warnings), meta_provenance=dict(self.meta_provenance))

    # -- access -----------------------------------------------------------------------------
    def table(self, key: str) -> Table:
        return self.tables[key]

    def value(self, table: str, row: str, col: str) -> Value:
        return self.tables[table].value(row, col)

    def cells(self) -> Iterator[TidyCell]:
        """Every printed cell of the tables present, one ``TidyCell`` each (blank cells included), in
        the order the official layout prints them — the report's numbers as rows of data."""
        for key in TABLE_KEYS:
            t = self.tables[key]
            if t.present:
                yield from t.tidy()

    @property
    def label(self) -> str:
        """How a person names this report in messages."""
        name = self.agency or self.source or "（未知机关）"
        return f"{name}{self.year}年度报告" if self.year else name

    # -- comparison -------------------------------------------------------------------------
    def content(self) -> dict[str, Any]:
        """The report's data without provenance and reader warnings."""
        return self.to_dict(provenance=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self.content() == other.content()

    __hash__ = None  # type: ignore[assignment]

    # -- JSON -------------------------------------------------------------------------------
    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "format": self.format.id,
            "agency": self.agency,
            # a kind guessed from the name is not the report's content (it shows with provenance)
            "agency_kind": self.agency_kind if provenance or not self.agency_kind_guessed else None,
            "year": self.year,
            "published": self.published.isoformat() if self.published else None,
            "period": [p.isoformat() for p in self.period] if self.period else None,
            "title": self.title,
            "preamble": self.preamble,
            "portal": self.portal,
            "contact": dict(self.contact),
            "tables": {k: t.to_dict() for k, t in self.tables.items() if t.present},
            "sections": {k: self.sections[k] for k in SECTION_KEYS if k in self.sections},
        }
        if provenance:
            d["source"] = self.source
            if self.ref is not None:
                d["ref"] = self.ref
            if self.agency_kind_guessed:
                d["agency_kind_guessed"] = True
            d["provenance"] = self._provenance()
            d["warnings"] = [w.to_dict() for w in self.warnings]
        return d

    def _provenance(self) -> dict[str, Any]:
        def cell_prov(c: Cell) -> dict[str, Any]:
            p: dict[str, Any] = {}
            if c.text is not None:
                p["text"] = c.text
            if c.loc is not None:
                p["loc"] = c.loc.to_dict()
            if c.unit:
                p["unit"] = c.unit
            if c.note:
                p["note"] = c.note
            if c.evidence:
                p["evidence"] = c.evidence
            if c.uncertain:
                p["uncertain"] = True
            return p

        tables: dict[str, Any] = {}
        for k, t in self.tables.items():
            rows: dict[str, Any] = {}
            for r, c, cell in t.items():
                p = cell_prov(cell)
                if p:
                    rows.setdefault(r, {})[c] = p
            if rows:
                tables[k] = rows
        return {
            "tables": tables,
            "headings": {k: cell_prov(c) for k, c in self.headings.items()},
            "meta": {k: cell_prov(c) for k, c in self.meta_provenance.items()},
        }

    def to_json(self, provenance: bool = True, indent: int | None = 2) -> str:
        """The JSON model (amounts written exactly: ``979.66`` stays ``979.66``)."""
        return dumps(self.to_dict(provenance), indent=indent)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, trusted: bool = False) -> Report:
        """A report from its JSON model (as ``to_dict`` gives it); the data is checked against
        ``gongkai.schema.model_schema()`` first, so a wrong type anywhere is one ``ModelError`` naming
        the key.  ``trusted``: the data is what ``to_dict`` wrote and the caller stored itself (a web
        app's saved document), so the schema check — half the time of reading it — is skipped; rows,
        columns and values are still checked as they are read."""
        if not trusted:
            check_model(raw)
        fmt = get_format(raw["format"])

        def get_date(name: str, v: str | None) -> date | None:
            if not v:
                return None
            try:
                return date.fromisoformat(v)
            except ValueError:
                raise ModelError(f"“{name}”不是 YYYY-MM-DD 格式的日期：{v[:40]!r}") from None

        period = raw.get("period")
        per: tuple[date, date] | None = None
        if period:
            a, b = get_date("period[0]", period[0]), get_date("period[1]", period[1])
            if a is not None and b is not None:
                per = (a, b)
        prov = raw.get("provenance") or {}
        tprov = prov.get("tables") or {}
        tables: dict[str, Table] = {}
        for tkey, rows in (raw.get("tables") or {}).items():
            t = Table(fmt.table(tkey))
            spec, tcells = t.spec, t.cells
            declared = set(spec.declared_row_keys)
            rprov = tprov.get(tkey) or {}
            for rkey, cols in rows.items():
                if rkey not in declared:
                    raise ModelError(f"表格“{tkey}”没有“{rkey}”这一行（{fmt.id}格式）")
                allowed = spec.column_set(rkey)
                cprov = rprov.get(rkey) or {}
                for ckey, v in cols.items():
                    if ckey not in allowed:
                        raise ModelError(f"“tables.{tkey}.{rkey}”没有“{ckey}”这一列")
                    try:
                        value = from_json_value(v)
                    except ValueSyntaxError:
                        shown = v[:40] if isinstance(v, str) else v
                        raise ModelError(f"“tables.{tkey}.{rkey}.{ckey}”的值无法识别：{shown!r}") from None
                    p = cprov.get(ckey)
                    if p is None:  # no provenance (a typed report): the value alone
                        tcells[(rkey, ckey)] = Cell(value)
                        continue
                    loc = p.get("loc")
                    tcells[(rkey, ckey)] = Cell(value, p.get("text"), None if loc is None else Loc.from_dict(loc),
                                                p.get("unit"), p.get("note"), p.get("evidence"),
                                                p.get("uncertain", False))
            tables[tkey] = t

        def cells(d: dict[str, dict[str, Any]]) -> dict[str, Cell]:
            return {k: Cell(None, v.get("text"), Loc.from_dict(v["loc"]) if "loc" in v else None)
                    for k, v in d.items()}

        sections = raw.get("sections") or {}
        return cls(
            format=fmt,
            agency=raw.get("agency"),
            agency_kind=raw.get("agency_kind"),
            agency_kind_guessed=raw.get("agency_kind_guessed", False),
            ref=raw.get("ref"),
            year=raw.get("year"),
            published=get_date("published", raw.get("published")),
            period=per,
            title=raw.get("title"),
            preamble=raw.get("preamble"),
            portal=raw.get("portal"),
            contact=dict(raw.get("contact") or {}),
            tables=tables,
            sections={k: sections[k] for k in SECTION_KEYS if k in sections},
            headings=cells(prov.get("headings") or {}),
            warnings=[Notice(w["code"], w["message"], Loc.from_dict(w["loc"]) if "loc" in w else None)
                      for w in raw.get("warnings") or []],
            source=raw.get("source"),
            meta_provenance=cells(prov.get("meta") or {}),
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        return cls.from_dict(loads(text))

    @classmethod
    def blank(cls, format_id: str = "2021", *, agency: str | None = None, year: int | None = None,
              fill: Value = None) -> Report:
        """A report with every declared cell present and set to ``fill`` (None = blank)."""
        fmt = get_format(format_id)
        tables = {}
        for spec in fmt.tables:
            t = Table(spec)
            for r, c in spec.cells():
                t.set(r, c, fill)
            tables[spec.key] = t
        per = (date(year, 1, 1), date(year, 12, 31)) if year else None
        return cls(format=fmt, agency=agency, year=year, period=per, tables=tables,
                   sections=dict.fromkeys(SECTION_KEYS, ""))
