"""Every call from the web app into the gongkai library goes through this module.

The library reads, checks and renders; the web app never re-implements any of it.  Keeping the
calls here keeps the library's reshaping (``parse``/``validate``/``render``) cheap for the app.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import gongkai
from gongkai import schema
from gongkai.check import Finding
from gongkai.formats import SECTION_KEYS, FormatSpec, TableSpec, format_for_year, get_format
from gongkai.messages import Message
from gongkai.model import Cell
from gongkai.values import NA, Value, ValueSyntaxError, format_value, parse_value
from gongkai.writers import TARGETS
from gongkai.writers.layout import Grid, table_grid

LibReport = gongkai.Report

#: download targets: key → (Chinese name, file extension, content type)
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "docx": ("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "pdf", "application/pdf"),
    "html": ("网页", "html", "text/html; charset=utf-8"),
    "xlsx": ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "md": ("Markdown", "md", "text/markdown; charset=utf-8"),
    "json": ("JSON", "json", "application/json"),
    "csv": ("CSV", "csv", "text/csv; charset=utf-8"),
}
assert set(DOWNLOADS) == set(TARGETS), "every writer target is offered for download"


class Refusal(Exception):
    """The library could not do what was asked; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- the document ---------------------------------------------------------------------------
def format_for(year: int) -> FormatSpec:
    try:
        return format_for_year(year)
    except gongkai.GongkaiError as e:
        raise Refusal(e.message) from None


def load(document: dict[str, Any], *, kind: str | None = None, ref: str | None = None,
         stored: bool = True) -> LibReport:
    """The library's report from a document (the agency's kind always from the tree).
    ``stored``: a document ``dump`` wrote and the app saved (every write goes through ``actions``),
    so the schema check is not repeated on every read; a document from outside (the API's input)
    passes ``stored=False`` and is checked whole."""
    report = LibReport.from_dict(document, trusted=stored)
    if kind is not None:
        report.agency_kind = kind
        report.agency_kind_guessed = False
    report.ref = ref
    return report


#: stored documents already read in this process: (report id, revision, last change, kind) → report
_READ: OrderedDict[tuple[Any, ...], LibReport] = OrderedDict()
_READ_LOCK = threading.Lock()
_READ_SIZE = 128


def load_saved(key: tuple[Any, ...], document: Callable[[], dict[str, Any]], *, kind: str, ref: str) -> LibReport:
    """``load`` of a saved report, read once per ``key`` (its id, revision and last change: every
    save changes them) and handed out as a copy the caller may change (a person's live checks read
    the same draft on every keystroke).  ``document`` gives the stored document; it is called only
    when the report is not kept (a caller may leave the document unread until then)."""
    with _READ_LOCK:
        hit = _READ.get(key)
        if hit is not None:
            _READ.move_to_end(key)
    if hit is None:
        hit = load(document(), kind=kind, ref=ref)
        with _READ_LOCK:
            _READ[key] = hit
            while len(_READ) > _READ_SIZE:
                _READ.popitem(last=False)
    return hit.copy()


def forget_saved() -> None:
    """Drop every report ``load_saved`` kept (tests whose database is rolled back)."""
    with _READ_LOCK:
        _READ.clear()


def dump(report: LibReport) -> dict[str, Any]:
    """The stored document: the model's JSON with provenance and reading notices, keys as FORMAT.md."""
    # through JSON text so dates become strings; amounts stay exact Decimals (gongkai.schema)
    data: dict[str, Any] = schema.loads(report.to_json(provenance=True, indent=None))
    return data


def blank(agency: str, kind: str, year: int) -> LibReport:
    """An empty report in the format the year requires: every cell blank, every section empty."""
    fmt = format_for(year)
    report = LibReport.blank(fmt.id, agency=agency, year=year)
    report.agency_kind = kind
    report.title = f"{agency}{year}年政府信息公开工作年度报告"
    return report


def from_previous(previous: LibReport, agency: str, kind: str, year: int) -> LibReport:
    """A new report starting from last year's narrative; 上年结转 taken from last year's
    结转下年度 (the checker's carry-over rule then holds from the start)."""
    report = blank(agency, kind, year)
    report.preamble = (previous.preamble or "").replace(str(previous.year), str(year)) if previous.year else None
    report.portal = previous.portal
    report.contact = dict(previous.contact)
    for key in SECTION_KEYS:
        report.sections[key] = previous.sections.get(key, "")
    prev_requests = previous.table("requests")
    requests = report.table("requests")
    if prev_requests.present and previous.format.id == report.format.id:
        for col in (c.key for c in requests.spec.columns):
            value = prev_requests.value("carried_forward", col)
            requests.set("carried_over", col, value)
    return report


#: how uploads are read inside a web request
UPLOAD_OPTIONS = gongkai.ReadOptions(ocr="off")


def read_upload(data: bytes, name: str, *, agency: str, kind: str, year: int) -> tuple[LibReport, str | None]:
    """A published report read from an uploaded document (DOCX/PDF/HTML/XLSX/text), and the
    agency name the document printed when it differs from ours.

    The reading's notices stay on the report (``warnings``).  Raises ``Refusal`` with the
    library's Chinese message when the file is not a readable report of this year."""
    try:
        # OCR of a scan takes minutes and about 1 GB: never inside a web request
        report = gongkai.parse(data, name=name, options=UPLOAD_OPTIONS)
    except gongkai.GongkaiError as e:
        message = e.message
        if "OCR" in message:
            message += "。网页导入不做 OCR 识别（扫描件识别一页需要十几秒）：请导入文字版的 PDF、Word 或网页，或由主管部门用“批量核查”在后台识别"
        raise Refusal(message) from None
    if report.year is not None and report.year != year:
        raise Refusal(f"文件是{report.year}年度的报告，不是{year}年度的；请到{report.year}年度导入，或选择正确的文件")
    if report.year is None:
        report.year = year
    if not report.format.applies_to(year):
        # the checker names the retired format (struct rules); the report is kept as read
        pass
    printed = report.agency if report.agency and report.agency != agency else None
    report.agency = agency
    report.agency_kind = kind
    report.agency_kind_guessed = False
    return report, printed


# -- checking --------------------------------------------------------------------------------
@dataclass
class CheckOutcome:
    """The checker's findings on one report, as the workspace shows them."""

    #: defects of the report (``Finding.about == "document"``)
    findings: list[Finding] = field(default_factory=list)
    #: our reading is uncertain (never the agency's fault)
    reading: list[Finding] = field(default_factory=list)
    #: the reader's notices when the report was imported
    notices: list[Message] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    def by_cell(self) -> dict[tuple[str, str, str], list[Finding]]:
        """Findings that point at one cell, keyed by (table, row, column)."""
        out: dict[tuple[str, str, str], list[Finding]] = {}
        for f in self.findings + self.reading:
            if f.at.table and f.at.row and f.at.column:
                out.setdefault((f.at.table, f.at.row, f.at.column), []).append(f)
        return out


def check(report: LibReport, previous: LibReport | None = None) -> CheckOutcome:
    """Run the checker on ``report``; with last year's report the carry-over, stock and copying
    rules compare the two."""
    reports = [previous, report] if previous is not None else [report]
    result = gongkai.validate(reports if len(reports) > 1 else report)
    return _outcome(report, list(result.findings))


def digest(report: LibReport) -> Any:
    """What the across-year rules read of a report (last year's, kept between checks)."""
    from gongkai.check import CheckConfig, make_digest

    return make_digest(report, 0, min_chars=CheckConfig.resolve(None).copying_min_chars)


def check_against(report: LibReport, previous: Any) -> CheckOutcome:
    """``check(report, last_year)`` with last year's ``digest`` made once: the single-report
    rules on ``report`` and the across-year rules on the pair (``gongkai.validate``'s steps,
    without checking last year's report itself, whose findings the workspace never shows)."""
    from gongkai.check import CheckConfig, Context, check_corpus, check_report, make_digest, select_rules

    cfg = CheckConfig.resolve(None)
    ctx = Context(cfg)
    findings = check_report(report, ctx, select_rules(cfg.select, cfg.ignore, scope="report"))
    corpus_rules = select_rules(cfg.select, cfg.ignore, scope="corpus")
    if corpus_rules:
        mine = make_digest(report, 1, min_chars=cfg.copying_min_chars)
        findings += [f for i, f in check_corpus([previous, mine], ctx, corpus_rules) if i in (1, -1)]
    return _outcome(report, findings)


def _outcome(report: LibReport, findings: list[Finding]) -> CheckOutcome:
    mine = report.label
    out = CheckOutcome()
    for f in findings:
        if f.report not in (None, mine):
            continue
        (out.reading if f.about == "reading" else out.findings).append(f)
    # the reader's notices that no finding already passes on
    quoted = " ".join(f.message for f in findings)
    out.notices = [n for n in report.warnings if n.message not in quoted]
    return out


def deadline(report: LibReport) -> date | None:
    """The day by which the report must be published (the checker's rule for its kind)."""
    from gongkai.check.context import Context
    from gongkai.check.rules_structure import due_date

    due = due_date(report, Context())
    return None if due is None else due.effective


def deadline_for(agency: str, kind: str, year: int) -> date | None:
    """The publication deadline of ``agency``'s report for ``year``."""
    report = LibReport(format=format_for(year), agency=agency, year=year, agency_kind=kind)
    return deadline(report)


# -- rendering -------------------------------------------------------------------------------
def render(report: LibReport, target: str) -> bytes:
    try:
        return gongkai.render(report, target)
    except gongkai.GongkaiError as e:
        raise Refusal(e.message) from None


def grids(report: LibReport) -> dict[str, Grid]:
    """The official grid of each table (the same layout the writers draw).  A grid's shape
    (headers, spans, which cell shows which row and column) depends on the table's format and on
    which of its cells are present (a report may print a collapsed row instead of its parts), not
    on the numbers: it is drawn once per shape and shared (callers never modify it)."""
    return {key: layout(report.format.id, key, frozenset(t.cells)) for key, t in report.tables.items()}


@lru_cache(maxsize=64)
def layout(format_id: str, table: str, present: frozenset[tuple[str, str]]) -> Grid:
    """The grid of a table of ``format_id`` whose present cells are ``present`` (all blank)."""
    from gongkai.model import Table

    skeleton = Table(get_format(format_id).table(table))
    for row, col in sorted(present):
        skeleton.set(row, col, None)
    return table_grid(skeleton)


def cells(report: LibReport) -> Iterator[tuple[str, str, str, Decimal | None, bool]]:
    """(table, row, column, number or None, printed “/”) of every present cell."""
    for tkey, table in report.tables.items():
        if not table.present:
            continue
        for row, col, cell in table.items():
            v = cell.value
            if v == NA:
                yield tkey, row, col, None, True
            elif v is None:
                yield tkey, row, col, None, False
            else:
                yield tkey, row, col, Decimal(v), False


# -- editing ---------------------------------------------------------------------------------
class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(cell: Cell | None) -> str:
    """What an input shows for a cell: '' blank, '/' not applicable, the number otherwise."""
    if cell is None:
        return ""
    text = format_value(cell.value)
    return text + cell.unit if cell.unit and text not in ("", "/") else text


def parse_cell(spec: TableSpec, row: str, col: str, text: str) -> tuple[Value, str | None]:
    """A typed value from what a person typed, checked against the column's kind.

    Raises ``CellError`` with a Chinese message naming the cell and what is wrong."""
    if text.isascii() and text.isdigit():  # nearly every cell: a whole number, right in every column
        return int(text), None
    where = cell_label(spec, row, col)
    try:
        value, unit = parse_value(text)
    except ValueSyntaxError:
        raise CellError(f"{where}：“{text.strip()}”不是数字（可填数字、“/”表示不适用，或留空）") from None
    kind = spec.column(col).kind
    if value is None or value == NA:
        return value, None
    assert isinstance(value, int | Decimal)
    if kind in ("count", "delta") and not isinstance(value, int):
        raise CellError(f"{where}：应为整数，填写的是“{text.strip()}”")
    if kind != "delta" and value < 0:
        raise CellError(f"{where}：不能为负数，填写的是“{text.strip()}”")
    if unit and kind != "amount_unit" and not (kind == "amount" and unit == "万元"):
        raise CellError(f"{where}：本栏不填单位（“{unit}”），只填数字")
    return value, unit


#: id(spec) → (the spec, its cells' labels): a frozen spec hashes all its rows and columns, too
#: slow to be a cache key ~200 times per page
_LABELS: dict[int, tuple[TableSpec, dict[tuple[str, str], str]]] = {}


def cell_label(spec: TableSpec, row: str, col: str) -> str:
    """How the checker names a cell (表三/（一）予以公开/自然人); the same for every report."""
    entry = _LABELS.get(id(spec))
    if entry is None or entry[0] is not spec:
        entry = _LABELS[id(spec)] = (spec, {})
    label = entry[1].get((row, col))
    if label is None:
        from gongkai.check.context import cell_at
        from gongkai.model import Table

        label = entry[1][(row, col)] = cell_at(Table(spec), row, col).label or f"表{spec.number}"
    return label


def section_headings(fmt: FormatSpec) -> list[tuple[str, str, str | None]]:
    """(section key, official heading, table key or None), in the official order."""
    return [(s.key, s.heading, s.table) for s in fmt.sections]


def get_format_spec(format_id: str) -> FormatSpec:
    return get_format(format_id)
