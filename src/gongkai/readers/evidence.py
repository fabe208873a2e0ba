"""Settling glued digits with evidence the document carries (issue 8 item 2).

A portal's text version often glues a whole row (``行政规范性文件97253``) into a run that several
splits fit, and the table's identities cannot tell them apart.  Before such cells are left blank,
evidence is taken in this order:

1. the report's own narrative (``制发行政规范性文件9件，…废止文件7件，现行有效…共253件``) —
   ``settle_by_narrative``, called by the reader for every report;
2. another form of the same report read in the same run (page.html beside page.txt; a PDF and
   its text version) — ``settle_by_sibling``, called by the batch (``check.batch.read_forms``);
3. the same agency's previous or next year in the same run (stock: last year's 现行有效 + 本年制发
   − 本年废止 = this year's 现行有效) — ``settle_by_years``, called by the batch once every report
   of the run is read (``check.years``: the reports it settles are read and checked again);
   ``validate``, which never changes the reports it is given, only says it (xyear.I001).

Evidence only chooses among the splits of the printed digits: a statement that no split fits is
ignored (a narrative that contradicts the table never overrides it), a row the layout alone settled
is never touched, and a cell is taken only when every split that fits the evidence gives it the
same value.  The cell records what settled it (``Cell.evidence``) and a reading notice
(``glued.settled``) says so; what nothing settles stays an honest blank with its candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..formats.identities import Number, row_predicate
from ..messages import Notice
from ..model import Cell, Report, Table
from .glued import Budget, narrow, search

#: evidence kinds, in the order they are tried (``Cell.evidence``)
NARRATIVE, SIBLING, PREVIOUS_YEAR, NEXT_YEAR = "narrative", "sibling", "previous_year", "next_year"
EVIDENCE_ZH = {NARRATIVE: "报告正文", SIBLING: "同一报告的另一种形式", PREVIOUS_YEAR: "本机关上一年度报告",
               NEXT_YEAR: "本机关下一年度报告", "identities": "勾稽关系"}

#: the note of a cell the reader left open in a glued run (``readers.tables``)
_OPEN_NOTE = "连写数字"


@dataclass
class OpenRow:
    """A row of a glued run with cells the layout alone could not settle."""

    table: str
    row: str
    columns: list[str]
    #: the run as printed (its pieces)
    runs: list[str]
    #: every split of the runs the identities allow and the cells already read agree with (None:
    #: more than the search lists — then only a statement of the whole row can settle it)
    candidates: list[list[Number]] | None
    #: the (row, column) of each number of the run: the row's columns, or table 四's run over its
    #: three rows (``row`` is then ``ALL_ROWS``)
    keys: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = [(self.row, c) for c in self.columns]


#: the ``row`` of an open run that spans the whole table (table 四)
ALL_ROWS = "*"


def _open(cell: Cell | None) -> bool:
    return cell is not None and cell.value is None and bool(cell.text) and (cell.note or "").startswith(_OPEN_NOTE)


#: the tables whose glued runs evidence may settle
TABLES = ("proactive", "requests", "appeals")


def open_rows(report: Report, tables: Sequence[str] = ("proactive", "requests"),
              only: Callable[[str, str], bool] | None = None) -> list[OpenRow]:
    """The rows of ``report`` with cells left open in a glued run, each with its candidate splits
    (table 四's run spans its three rows: one ``OpenRow`` whose ``row`` is ``ALL_ROWS``, when
    ``appeals`` is asked for).  ``only(table, row)``: the
    rows wanted (the others are not searched).  The searches of one call share the budget the
    reader has for a document (``glued.MAX_DOCUMENT_STEPS``)."""
    out: list[OpenRow] = []
    budget = Budget()
    for tkey in tables:
        table = report.tables.get(tkey)
        if table is None or not table.present:
            continue
        if tkey == "appeals":
            if only is None or only(tkey, ALL_ROWS):
                out.extend(_open_appeals(table, budget))
            continue
        rows: list[OpenRow] = []
        for r in table.row_keys():
            if only is not None and not only(tkey, r):
                continue
            cols = table.columns_of(r)
            cells = [table.cells.get((r, c)) for c in cols]
            first = next((c for c in cells if _open(c)), None)
            if first is None or first.text is None:
                continue
            runs = first.text.split()
            # a run the reader found too many splits of is not searched again
            many = "无法拆分" in (first.note or "")
            rows.append(OpenRow(tkey, r, cols, runs, None if many else _candidates(table, r, cols, runs, budget)))
        if len(rows) > 1 or (rows and table.spec.identities):
            _narrow(table, rows)
        out.extend(rows)
    return out


def _open_appeals(table: Table, budget: Budget) -> list[OpenRow]:
    """Table 四 printed as one glued run over its three rows (15 numbers), with cells left open."""
    keys = [(r, c) for r in table.row_keys() for c in table.columns_of(r)]
    first = next((table.cells[k] for k in keys if _open(table.cells.get(k))), None)
    if first is None or first.text is None or len(keys) != 15:
        return []
    runs = first.text.split()
    cols = table.columns_of(keys[0][0])
    check = row_predicate(table.spec, cols)  # 3 rows of 5, each row's total checked
    kinds = [table.spec.column(c).kind for _, c in keys]
    cands: list[list[Number]] | None = None
    if "无法拆分" not in (first.note or ""):  # a run with too many splits is not searched again
        found = search(runs, len(keys), check, kinds=kinds, prefix=check, budget=budget)
        cands = found.candidates if found.complete else None
    if cands is not None:
        read = [(i, table.value(*k)) for i, k in enumerate(keys)]
        cands = [v for v in cands if all(x is None or v[i] == x for i, x in read)]
    return [OpenRow(table.spec.key, ALL_ROWS, [c for _, c in keys], runs, cands, keys=keys)]


def _candidates(table: Table, row: str, cols: list[str], runs: list[str], budget: Budget) -> list[list[Number]] | None:
    spec = table.spec
    check = row_predicate(spec, cols)
    kinds = [spec.column(c).kind for c in cols]
    found = search(runs, len(cols), check, kinds=kinds, prefix=check, budget=budget)
    if not found.complete:
        return None
    cands = found.candidates
    if not cands:  # no split satisfies the identities: the reader considered every split
        every = search(runs, len(cols), None, kinds=kinds, budget=budget)
        if not every.complete:
            return None
        cands = every.candidates
    read = [(i, table.value(row, c)) for i, c in enumerate(cols)]
    return [v for v in cands if all(x is None or v[i] == x for i, x in read)]


def _narrow(table: Table, rows: list[OpenRow]) -> None:
    """The candidates of the open rows of one table that satisfy the column identities together
    with the rows read (as the reader narrowed them)."""
    listed = {o.row: o.candidates for o in rows if o.candidates}
    if not listed:
        return
    known: dict[str, list[Number | None]] = {}
    for r in table.row_keys():
        if r not in listed:
            known[r] = [v if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else None
                        for v in (table.value(r, c) for c in table.columns_of(r))]
    narrowed = narrow(table.spec, {k: v for k, v in listed.items() if v is not None}, known)
    for o in rows:
        if o.candidates:
            o.candidates = narrowed.get(o.row, o.candidates)


def _spells(runs: list[str], values: list[Number], kinds: Sequence[str]) -> bool:
    """``values`` are one split of ``runs`` (checked by a search that follows them only)."""
    found = search(runs, len(values), lambda v: list(v) == values, kinds=kinds,
                   prefix=lambda p: list(p) == values[:len(p)], limit=1)
    return bool(found.candidates)


def take(report: Report, row: OpenRow, fits: list[list[Number]], evidence: str,
         why: str) -> list[tuple[str, str]]:
    """Set the open cells of ``row`` on which every split in ``fits`` agrees; the cells set."""
    table = report.tables[row.table]
    if not fits:
        return []
    done: list[tuple[str, str]] = []
    glued = " ".join(row.runs)
    for i, key in enumerate(row.keys):
        cell = table.cells.get(key)
        if not _open(cell):
            continue
        assert cell is not None
        values = {f[i] for f in fits}
        if len(values) != 1:
            continue
        v = values.pop()
        table.cells[key] = Cell(v, str(v), cell.loc, note=f"由连写数字“{glued}”拆分，依据{why}", evidence=evidence)
        done.append(key)
    if done:
        spec = table.spec
        label = f"表{spec.number}" if row.row == ALL_ROWS else f"表{spec.number}“{spec.row(row.row).label}”"
        left = [k for k in row.keys if _open(table.cells.get(k))]
        for key in left:
            # what is still open lists only the splits the evidence left
            cell = table.cells[key]
            cell.note = "连写数字有多种拆分：" + " / ".join(",".join(map(str, f)) for f in fits[:6])
        if not left:
            # nothing of the row is left open: the reader's "could not split" no longer stands
            report.warnings = [w for w in report.warnings
                               if not (w.code == "glued.ambiguous" and w.message.startswith(label + "："))]
        names = "、".join(f"{spec.row(r).label + '·' if row.row == ALL_ROWS else ''}{spec.column(c).label} "
                         f"{table.value(r, c)}" for r, c in done)
        report.warnings.append(Notice(
            "glued.settled", f"{label}：连写数字“{glued}”依据{why}拆分，"
                             f"读作{names}", cell.loc if cell is not None else None))
    return done


def fits_statements(report: Report, row: OpenRow, stated: dict[tuple[str, str], set[Number]],
                    whole: bool = False) -> list[list[Number]]:
    """The splits of ``row`` that agree with what is stated of its columns.  When no split agrees
    with every statement, the statements no split agrees with are dropped (they contradict the
    printed digits and never override them) — unless ``whole``: the statements are one reading of
    the whole row (another form of the report), taken whole or not at all."""
    idx = {k: i for i, k in enumerate(row.keys)}
    stated = {k: v for k, v in stated.items() if k in idx and v}
    if not stated:
        return []
    if row.candidates is None:
        # too many splits to list: only a statement of the whole row, if it spells the digits
        if set(stated) != set(row.keys) or any(len(v) != 1 for v in stated.values()):
            return []
        vec = [next(iter(stated[k])) for k in row.keys]
        kinds = [report.tables[row.table].spec.column(c).kind for _, c in row.keys]
        return [vec] if _spells(row.runs, vec, kinds) else []
    cands = row.candidates
    usable = [c for c in stated if whole or any(v[idx[c]] in stated[c] for v in cands)]
    return [v for v in cands if all(v[idx[c]] in stated[c] for c in usable)] if usable else []


# -- 1. the narrative ----------------------------------------------------------------------------

_N = r"(\d+(?:\.\d+)?)"
_DOCS = r"(?:行政)?规范性文件"
#: (table, row, column, pattern) — what the narrative states of a cell (white space removed first)
NARRATIVE_PATTERNS: tuple[tuple[str, str, str, str], ...] = (
    ("proactive", "normative_documents", "issued",
     rf"(?:制发|制定|印发|出台)(?:了)?{_DOCS}(?:共)?{_N}(?:件|份|个)"),
    ("proactive", "normative_documents", "issued", rf"{_DOCS}(?:本年)?(?:制发|制定|印发)(?:件数)?(?:为|共)?{_N}(?:件|份|个)"),
    ("proactive", "normative_documents", "repealed", rf"废止(?:了)?(?:{_DOCS}|文件)(?:共)?{_N}(?:件|份|个)"),
    ("proactive", "normative_documents", "repealed",
     rf"(?:失效或废止|废止或失效)(?:的)?(?:{_DOCS}|文件)(?:共)?{_N}(?:件|份|个)"),
    # “制发规范性文件9件、废止7件、现行有效253件”: 废止 in a clause about 规范性文件
    ("proactive", "normative_documents", "repealed", rf"规范性文件[^。；，]{{0,12}}?[、，]废止(?:了)?{_N}(?:件|份|个)"),
    ("proactive", "normative_documents", "in_force",
     rf"现行有效(?:的)?(?:{_DOCS})?(?:件数|数量)?(?:共|为)?{_N}(?:件|份|个)"),
    ("proactive", "rules", "issued", rf"(?:制发|制定|出台)(?:了)?(?:政府)?规章(?:共)?{_N}(?:件|部|个)"),
    ("proactive", "rules", "repealed", rf"废止(?:了)?(?:政府)?规章(?:共)?{_N}(?:件|部|个)"),
    ("proactive", "procurement", "projects", rf"采购(?:信息|项目)(?:共)?{_N}(?:条|批次|个|项)"),
    ("proactive", "procurement", "amount", rf"采购[^。；]{{0,30}}?(?:金额|共)(?:约|为)?{_N}元"),
    ("proactive", "punishment", "decisions", rf"行政处罚(?:决定)?(?:共)?{_N}(?:起|件|个|份)"),
    ("proactive", "licensing", "decisions", rf"行政许可(?:决定)?(?:共)?{_N}(?:件|个|项)"),
    ("appeals", "review", "total", rf"行政复议(?:案件)?(?:共)?{_N}(?:起|件|宗)"),
    ("requests", "new", "total", rf"(?:共|累计|全年)(?:收到|受理|新收)[^，。；]{{0,16}}?申请(?:共)?{_N}(?:件|条|个|宗)"),
)
_COMPILED = tuple((t, r, c, re.compile(p)) for t, r, c, p in NARRATIVE_PATTERNS)


def _number(text: str) -> Number | None:
    t = text.replace(",", "")
    try:
        return Decimal(t) if "." in t else int(t)
    except ArithmeticError:
        return None


def narrative_statements(report: Report) -> dict[tuple[str, str, str], set[Number]]:
    """(table, row, column) → the numbers the report's own words state for that cell."""
    text = "".join("\n".join([report.preamble or "", *(v or "" for v in report.sections.values())]).split())
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    text = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)  # thousands separators
    out: dict[tuple[str, str, str], set[Number]] = {}
    for t, r, c, rx in _COMPILED:
        for m in rx.finditer(text):
            n = _number(m.group(1))
            if n is not None:
                out.setdefault((t, r, c), set()).add(n)
    return out


def settle_by_narrative(report: Report, rows: list[OpenRow] | None = None) -> int:
    """Settle open glued cells by what the report's narrative states; the cells settled."""
    stated = narrative_statements(report)
    if not stated:
        return 0
    said = {(t, r) for t, r, _ in stated}
    tables = {t for t, _ in said}
    rows = open_rows(report, TABLES, only=lambda t, r: (t, r) in said or (r == ALL_ROWS and t in tables)) \
        if rows is None else rows
    n = 0
    for o in rows:
        mine = {(r, c): stated[(o.table, r, c)] for r, c in o.keys if (o.table, r, c) in stated}
        n += len(take(report, o, fits_statements(report, o, mine), NARRATIVE, EVIDENCE_ZH[NARRATIVE]))
    return n


# -- 2. another form of the same report ---------------------------------------------------------


def settle_by_sibling(report: Report, other: Report, other_name: str,
                      sure: Callable[[Cell | None], bool] | None = None) -> int:
    """Settle open glued cells of ``report`` by the same cells of another form of it, where that
    reading read every cell of the row and is sure of them; the cells settled."""
    def read_there(table: str, row: str) -> bool:
        t = other.tables.get(table)
        rows = t.row_keys() if t is not None and row == ALL_ROWS else [row]
        return t is not None and t.present and all(
            isinstance(t.value(r, c), (int, Decimal)) for r in rows for c in t.columns_of(r))

    n = 0
    for o in open_rows(report, TABLES, only=read_there):
        t = other.tables.get(o.table)
        if t is None or not t.present or t.spec is not report.tables[o.table].spec:
            continue
        cells = [t.cells.get(k) for k in o.keys]
        if any(c is None or not isinstance(c.value, (int, Decimal)) or isinstance(c.value, bool) or c.uncertain
               or c.evidence == SIBLING or (sure is not None and not sure(c)) for c in cells):
            continue
        stated = {k: {c.value} for k, c in zip(o.keys, cells, strict=True)
                  if c is not None and isinstance(c.value, (int, Decimal))}
        why = f"{EVIDENCE_ZH[SIBLING]}（{other_name}）"
        n += len(take(report, o, fits_statements(report, o, stated, whole=True), SIBLING, why))
    return n


# -- 3. the same agency's neighbouring year (stock) ----------------------------------------------

STOCK_ROWS = ("rules", "normative_documents")
STOCK_COLUMNS = ("issued", "repealed", "in_force")


def stock_fits(candidates: Sequence[Sequence[Number]], prev_in_force: Number | None = None,
               this_year: Sequence[Number] | None = None) -> list[list[Number]]:
    """The (issued, repealed, in_force) splits that continue the stock: given last year's 现行有效
    (``prev_in_force``), this year's 现行有效 = it + 制发 − 废止; given next year's row
    (``this_year``: its issued, repealed, in_force), the split's 现行有效 is next year's 现行有效 − its
    制发 + its 废止."""
    out: list[list[Number]] = []
    for c in candidates:
        issued, repealed, in_force = c
        after = prev_in_force is not None and in_force == prev_in_force + issued - repealed
        before = this_year is not None and in_force == this_year[2] - this_year[0] + this_year[1]
        if after or before:
            out.append(list(c))
    return out


def year_guessed(report: Report) -> bool:
    """The report does not state its year: the reader took it from the publication date."""
    return any(w.code == "meta.year" for w in report.warnings)


@dataclass(frozen=True)
class YearStock:
    """What a caller knows of a report it does not hold (a batch keeps only its digest): who and
    which year, and the stock rows of table 二 it is sure of (row → issued, repealed, in_force).
    A report with no sure row still counts: a second report of the same agency and year makes the
    pair ambiguous, and then neither is used."""

    agency: str
    year: int
    label: str
    rows: Mapping[str, Sequence[Number]] = field(default_factory=dict)


def agency_key(name: str) -> str:
    """The agency's name as years are paired (white space removed, brackets made half-width)."""
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def settle_by_years(reports: Sequence[Report], others: Sequence[YearStock] = ()) -> int:
    """Settle the open stock rows of table 二 (规章, 行政规范性文件) of reports held together (the
    same agency, consecutive years; a year the reader guessed pairs with none) by the stock
    identity with the neighbouring year's row the reader is sure of; repeated until nothing more
    settles.  ``others``: the reports of the run not held (their sure rows; a batch's digests).
    The cells settled."""
    by_year: dict[tuple[str, int], list[Report | YearStock]] = {}
    for r in reports:
        if r.agency and r.year is not None and not year_guessed(r):
            by_year.setdefault((agency_key(r.agency), r.year), []).append(r)
    for y in others:
        by_year.setdefault((agency_key(y.agency), y.year), []).append(y)
    single = {k: v[0] for k, v in by_year.items() if len(v) == 1}
    total, changed = 0, True
    while changed:
        changed = False
        for (agency, year), cur in single.items():
            if not isinstance(cur, Report):
                continue
            prev, nxt = single.get((agency, year - 1)), single.get((agency, year + 1))
            for o in open_rows(cur, ("proactive",)):
                if o.row not in STOCK_ROWS or tuple(o.columns) != STOCK_COLUMNS or not o.candidates:
                    continue
                for other, kind in ((prev, PREVIOUS_YEAR), (nxt, NEXT_YEAR)):
                    row = sure_stock(other, o.row)
                    if other is None or row is None:
                        continue
                    fits = stock_fits(o.candidates, prev_in_force=row[2]) if kind == PREVIOUS_YEAR \
                        else stock_fits(o.candidates, this_year=row)
                    why = f"{EVIDENCE_ZH[kind]}（{other.label}）的现行有效件数"
                    n = len(take(cur, o, fits, kind, why))
                    if n:
                        total += n
                        changed = True
                        break
    return total


def sure_stock(report: Report | YearStock | None, row: str) -> list[Number] | None:
    """(issued, repealed, in_force) of a stock row every cell of which is read and not in doubt."""
    if report is None:
        return None
    if isinstance(report, YearStock):
        got = report.rows.get(row)
        return list(got) if got is not None else None
    t = report.tables.get("proactive")
    if t is None or not t.present or tuple(t.columns_of(row)) != STOCK_COLUMNS:
        return None
    cells = [t.cells.get((row, c)) for c in STOCK_COLUMNS]
    out: list[Number] = []
    for c in cells:
        if c is None or c.uncertain or not isinstance(c.value, (int, Decimal)) or isinstance(c.value, bool):
            return None
        out.append(c.value)
    return out


__all__ = [
    "EVIDENCE_ZH",
    "NARRATIVE",
    "NARRATIVE_PATTERNS",
    "NEXT_YEAR",
    "PREVIOUS_YEAR",
    "SIBLING",
    "STOCK_COLUMNS",
    "STOCK_ROWS",
    "OpenRow",
    "YearStock",
    "agency_key",
    "fits_statements",
    "narrative_statements",
    "open_rows",
    "settle_by_narrative",
    "settle_by_sibling",
    "settle_by_years",
    "stock_fits",
    "sure_stock",
    "take",
    "year_guessed",
]
