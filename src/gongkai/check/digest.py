"""A report's digest: the little the across-report rules need, small enough to keep for 100,000 reports.

Built where the report is read (in a worker process for a batch); the report itself is dropped.
Narratives are kept as MinHash signatures (datasketch), tables as fingerprints.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import Report, Table
from ..values import Value
from .reading import unsure_keys, year_guessed

NUM_PERM = 128
#: datasketch's MinHash scheme (32-bit values: a signature is 512 bytes)
SCHEME = "affine32"
SHINGLE = 5
#: narrative sections compared for 内容雷同
COMPARED_SECTIONS = ("overview", "problems")
_STRIP = re.compile(r"[\s\d０-９\u3000，。、；：？！“”‘’（）《》【】,.;:?!()\[\]<>\"'·—…-]+")


@dataclass(slots=True)
class Digest:
    index: int
    label: str
    source: str | None
    agency: str | None
    year: int | None
    published: date | None
    format_id: str
    #: table 三 carried_over / carried_forward rows: column → value
    carried_over: dict[str, Value] = field(default_factory=dict)
    carried_forward: dict[str, Value] = field(default_factory=dict)
    #: table 二 (2021 format): row → (issued, repealed, in_force)
    stock: dict[str, tuple[Value, Value, Value]] = field(default_factory=dict)
    #: table key → (fingerprint of every number, count of non-zero numbers)
    tables: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: fingerprint of all tables together (two versions of one report differ here)
    numbers: str = ""
    #: section key → MinHash signature (``sketch``) of the normalised narrative
    sketches: dict[str, bytes] = field(default_factory=dict)
    #: a few totals for summaries (numbers by year)
    totals: dict[str, int] = field(default_factory=dict)
    #: ``table.row.column`` of the cells our reading is not sure of (``check.reading``): the
    #: across-report rules never blame the agency for them
    unsure: frozenset[str] = frozenset()
    #: every cell's value in the format's declared order, compressed (see ``cell_values``)
    values: bytes = b""
    #: the year is the reader's guess from the publication date (``check.reading.year_guessed``)
    year_guessed: bool = False
    #: the caller's reference of the report (``Report.ref``)
    ref: str | None = None
    #: table 二 stock rows (规章, 行政规范性文件) left open in a glued run: row → the candidate
    #: (issued, repealed, in_force) splits, for the neighbouring years to settle (xyear.I001)
    open_stock: dict[str, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)
    #: ``table.row.column`` → what settled the cell when the layout alone could not
    #: (``Cell.evidence``: narrative, sibling, previous_year, next_year …)
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def agency_key(self) -> str | None:
        return normalise_agency(self.agency)


def normalise_agency(name: str | None) -> str | None:
    if not name:
        return None
    return "".join(name.split()).replace("（", "(").replace("）", ")")


#: rows and columns that only repeat other cells (not counted as independent figures)
_TOTALS = frozenset({"total", "results_total"})


def _fingerprint(t: Table) -> tuple[str, int]:
    """(hash of every number, count of non-zero figures that are not totals)"""
    get, spec = t.cells.get, t.spec  # t.items(), as one list
    items = [(r, c, cell) for r in spec.declared_row_keys for c in spec.column_keys(r)
             if (cell := get((r, c))) is not None]
    nonzero = sum(1 for r, c, cell in items if isinstance(v := cell.value, (int, Decimal)) and v != 0
                  and r not in _TOTALS and c not in _TOTALS)
    text = "|".join([f"{r}.{c}={cell.value}" for r, c, cell in items])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest(), nonzero


@lru_cache(maxsize=1)
def minhash_permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def normalise_text(text: str, agency: str | None) -> str:
    """Narrative without white space, punctuation, digits and the agency's own name (so that two
    reports differing only in names and figures compare as equal)."""
    t = text
    if agency:
        names = {agency}
        for suffix in ("人民政府", "办公室", "管理委员会"):
            if agency.endswith(suffix) and len(agency) > len(suffix) + 1:
                names.add(agency[: -len(suffix)])
        for n in sorted(names, key=len, reverse=True):
            t = t.replace(n, "")
    return _STRIP.sub("", t)


def sketch(text: str) -> bytes:
    """MinHash signature of the text's character shingles (128 × uint32, as 512 bytes)."""
    from datasketch import MinHash

    # zlib.crc32 itself as the hash (not a Python function calling it): one call less per shingle
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=minhash_permutations(), scheme=SCHEME)
    shingles = {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m.hashvalues.astype("<u4").tobytes()


def signature(sk: bytes) -> Any:
    """The signature as a numpy array (uint64, as datasketch expects)."""
    import numpy as np

    return np.frombuffer(sk, dtype="<u4").astype(np.uint64)


def similarity(a: bytes, b: bytes) -> float:
    import numpy as np

    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


@lru_cache(maxsize=8)
def _table_cell_keys(format_id: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(table, its (row, column) keys) of every cell a report of this format can have, in a fixed order."""
    from ..formats import get_format

    return tuple((spec.key, (*spec.cells(), *((col.key, c.key) for col in spec.collapsed for c in spec.columns)))
                 for spec in get_format(format_id).tables)


@lru_cache(maxsize=8)
def _cell_keys(format_id: str) -> tuple[tuple[str, str, str], ...]:
    """(table, row, column) of every cell a report of this format can have, in a fixed order."""
    return tuple((t, r, c) for t, keys in _table_cell_keys(format_id) for r, c in keys)


def _values_blob(report: Report) -> bytes:
    out: list[str] = []
    for t, keys in _table_cell_keys(report.format.id):
        table = report.tables.get(t)
        if table is None or not table.present:
            out.extend(["-"] * len(keys))
            continue
        get = table.cells.get
        out.extend(["-" if (cell := get(k)) is None else "" if cell.value is None else str(cell.value) for k in keys])
    return zlib.compress(",".join(out).encode("ascii"))


def cell_values(d: Digest) -> dict[str, str]:
    """``table.row.column`` → the value as text ('' blank) of every cell the report has."""
    if not d.values:
        return {}
    raw = zlib.decompress(d.values).decode("ascii").split(",")
    return {f"{t}.{r}.{c}": v for (t, r, c), v in zip(_cell_keys(d.format_id), raw, strict=True) if v != "-"}


def _num(v: Value) -> int:
    return int(v) if isinstance(v, (int, Decimal)) else 0


def open_stock(report: Report) -> dict[str, tuple[tuple[int, int, int], ...]]:
    """The stock rows of table 二 a glued run left open, with their candidate splits."""
    from ..readers.evidence import STOCK_COLUMNS, STOCK_ROWS, open_rows

    out: dict[str, tuple[tuple[int, int, int], ...]] = {}
    for o in open_rows(report, ("proactive",), only=lambda t, r: r in STOCK_ROWS):
        if tuple(o.columns) == STOCK_COLUMNS and o.candidates:
            out[o.row] = tuple((int(a), int(b), int(c)) for a, b, c in o.candidates)
    return out


def make_digest(report: Report, index: int = 0, *, min_chars: int = 80, sketches: bool = True) -> Digest:
    d = Digest(index=index, label=report.label, source=report.source, agency=report.agency, year=report.year,
               published=report.published, format_id=report.format.id, ref=report.ref)
    req = report.tables.get("requests")
    if req is not None and req.present:
        cols = [c.key for c in req.spec.columns]
        d.carried_over = {c: req.value("carried_over", c) for c in cols if ("carried_over", c) in req.cells}
        d.carried_forward = {c: req.value("carried_forward", c) for c in cols if ("carried_forward", c) in req.cells}
        d.totals["new"] = _num(req.value("new", "total"))
        d.totals["granted"] = _num(req.value("granted", "total"))
    pro = report.tables.get("proactive")
    if pro is not None and pro.present:
        for r in ("rules", "normative_documents"):
            if {"issued", "repealed", "in_force"} <= set(pro.columns_of(r)) and pro.has_row(r):
                d.stock[r] = (pro.value(r, "issued"), pro.value(r, "repealed"), pro.value(r, "in_force"))
    app = report.tables.get("appeals")
    if app is not None and app.present:
        d.totals["review"] = _num(app.value("review", "total"))
        d.totals["suits"] = _num(app.value("suit_direct", "total")) + _num(app.value("suit_after_review", "total"))
    fps = []
    for k, t in report.tables.items():
        if t.present:
            d.tables[k] = _fingerprint(t)
            fps.append(f"{k}:{d.tables[k][0]}")
    d.numbers = hashlib.blake2b("|".join(sorted(fps)).encode(), digest_size=12).hexdigest()
    d.unsure = unsure_keys(report)
    d.open_stock = open_stock(report)
    d.evidence = {f"{k}.{r}.{c}": cell.evidence for k, t in report.tables.items() if t.present
                  for (r, c), cell in t.cells.items() if cell.evidence}
    d.year_guessed = year_guessed(report)
    d.values = _values_blob(report)
    if sketches:
        for key in COMPARED_SECTIONS:
            sk = section_sketch(report.sections.get(key) or "", report.agency, min_chars)
            if sk is not None:
                d.sketches[key] = sk
    return d


@lru_cache(maxsize=512)
def section_sketch(text: str, agency: str | None, min_chars: int) -> bytes | None:
    """The ``sketch`` of a section's normalised text, None when shorter than ``min_chars``.

    Memoised by the text: the web app's live check digests the report being typed at every
    keystroke, and its sections are mostly the same texts each time (a miss costs one lookup).
    """
    norm = normalise_text(text, agency)
    return sketch(norm) if len(norm) >= min_chars else None
