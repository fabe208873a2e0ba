"""What the checker keeps instead of recomputing (issue 11) gives what the direct computation gives.

The live check of the web app runs at every keystroke, so the checker derives some things once:
per format table (declared rows, the columns of a row), per check run of one report (a table's
unsure cells, ``Context.one_report``), per text (a narrative's claims and MinHash sketch).  Each
test here compares the kept value with the plain computation — written out again here as the
code computed it before — over many random reports, including cells a reader was not sure of.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from decimal import Decimal

import pytest

from check_support import SEED
from gongkai import Report, parse
from gongkai.check import CheckConfig, Context, Draft, Registry, check_report, select_rules
from gongkai.check.digest import cell_values, make_digest, normalise_text, section_sketch, sketch
from gongkai.check.engine import run_rule
from gongkai.check.numerals import claims, text_claims
from gongkai.check.reading import is_unsure, table_blank, unsure_cells, unsure_rows
from gongkai.formats import FORMATS, TableSpec, identities
from gongkai.model import NA, Cell, Table
from gongkai.testing import random_report

SPECS = [spec for fmt in FORMATS.values() for spec in fmt.tables]

#: a reader's notes on cells it left blank (``check.reading``): a glued run, digits it could not place,
#: and a note that does not make a cell unsure
NOTES = ("连写数字 20155 可拆为 2,0,155 / 20,1,55", "未读到本行全部数字", "原文此处有涂改")


# -- the plain computations, as the code did them before issue 11 ----------------------------------


def direct_declared_rows(spec: TableSpec) -> list[str]:
    keys: list[str] = []
    replaced = {k: c.key for c in spec.collapsed for k in c.replaces}
    for r in spec.rows:
        if r.key in replaced and replaced[r.key] not in keys:
            keys.append(replaced[r.key])
        keys.append(r.key)
    return keys


def direct_columns_of(spec: TableSpec, row: str) -> list[str]:
    if row in {c.key for c in spec.collapsed}:
        return [c.key for c in spec.columns]
    return [c.key for c in spec.row_columns(row)]


def direct_row_keys(table: Table) -> list[str]:
    present = {r for r, _ in table.cells}
    return [k for k in direct_declared_rows(table.spec) if k in present]


def direct_unsure_cells(table: Table) -> set[tuple[str, str]]:
    if not table.present:
        return set()
    out: set[tuple[str, str]] = set()
    for r in direct_row_keys(table):
        cells = [(c, table.cells.get((r, c))) for c in direct_columns_of(table.spec, r)]
        row_read = any(cell is not None and cell.value is not None for _, cell in cells)
        for c, cell in cells:
            if is_unsure(cell, row_read):
                out.add((r, c))
    return out


# -- reports with what readers leave behind ----------------------------------------------------------


def rough_report(rng: random.Random) -> Report:
    """A random report with cells marked uncertain, blanks with and without the reader's note, "/",
    wrong sums and fractions, now and then a row read only in part or a table printed blank."""
    fmt = rng.choice(sorted(FORMATS))
    rep = random_report(rng, fmt, busy=rng.random(), collapse_other=rng.random() < 0.3)
    for t in rep.tables.values():
        if rng.random() < 0.05:
            t.present = False
            continue
        for cell in t.cells.values():
            x = rng.random()
            if x < 0.04:
                cell.uncertain = True
            elif x < 0.08:
                cell.value, cell.note = None, rng.choice(NOTES)
            elif x < 0.10:
                cell.value = None
            elif x < 0.11:
                cell.value = NA
            elif x < 0.14 and isinstance(cell.value, int):
                cell.value += rng.choice([-2, 1, 3])
            elif x < 0.145:
                cell.value = Decimal("2.5")
        if rng.random() < 0.1:  # a row of which only the first figure was read
            r = rng.choice(t.row_keys())
            for c in t.columns_of(r)[1:]:
                t.cells[(r, c)] = Cell(None, note=NOTES[1])
        if rng.random() < 0.05:  # the blank template
            for cell in t.cells.values():
                cell.value = None
    return rep


def rough_reports(n: int, seed: int) -> Iterator[Report]:
    rng = random.Random(seed)
    for _ in range(n):
        yield rough_report(rng)


# -- per format table --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_a_table_spec_keeps_what_its_rows_and_columns_give(spec: TableSpec) -> None:
    assert list(spec.declared_row_keys) == direct_declared_rows(spec)
    assert spec.collapsed_keys == {c.key for c in spec.collapsed}
    assert spec.cells() == [(r.key, c.key) for r in spec.rows for c in spec.row_columns(r)]
    for key in direct_declared_rows(spec):
        assert list(spec.column_keys(key)) == direct_columns_of(spec, key)
        assert spec.column_set(key) == set(direct_columns_of(spec, key))
        assert spec.row(key).key == key
    for col in spec.columns:
        assert spec.column(col.key) is col
    for bad in ("no_such_row", ""):
        with pytest.raises(KeyError):
            spec.column_keys(bad)
        with pytest.raises(KeyError):
            spec.row(bad)
    with pytest.raises(KeyError):
        spec.column("no_such_column")


def test_the_collapsed_other_row_stands_where_the_rows_it_replaces_would() -> None:
    """FORMAT.md: （六）其他处理 printed as one row replaces its three rows, in their place; it has
    every column of table 三."""
    spec = FORMATS["2021"].table("requests")
    keys = list(spec.declared_row_keys)
    assert keys.index("other") + 1 == keys.index("other.no_correction")
    assert spec.column_keys("other") == tuple(c.key for c in spec.columns)
    assert spec.row("other").label == "（六）其他处理"


def test_a_table_helper_gives_what_it_gave_before() -> None:
    for rep in rough_reports(60, seed=1):
        for t in rep.tables.values():
            assert t.row_keys() == direct_row_keys(t)
            assert t.declared_rows() == direct_declared_rows(t.spec)
            assert list(t.items()) == [(r, c, t.cells[(r, c)]) for r in direct_row_keys(t)
                                       for c in direct_columns_of(t.spec, r) if (r, c) in t.cells]


# -- per check run ----------------------------------------------------------------------------------


def test_unsure_cells_are_those_the_direct_walk_finds() -> None:
    seen = 0
    for rep in rough_reports(150, seed=2):
        for t in rep.tables.values():
            want = direct_unsure_cells(t)
            seen += len(want)
            assert unsure_cells(t) == want
    assert seen > 500  # the reports do hold unsure cells


def test_unsure_cells_are_kept_for_one_report_only() -> None:
    rep = rough_report(random.Random(3))
    table = rep.tables["requests"]
    ctx = Context()
    assert unsure_cells(table, ctx) is not unsure_cells(table, ctx)  # no run: computed each time
    with ctx.one_report():
        first = unsure_cells(table, ctx)
        assert unsure_cells(table, ctx) is first
        assert first == direct_unsure_cells(table)
        with ctx.one_report():  # a nested run keeps its own
            assert unsure_cells(table, ctx) is not first
        assert unsure_cells(table, ctx) is first
    table.cells[next(iter(table.cells))].uncertain = True  # after the run the report may change
    assert unsure_cells(table, ctx) == direct_unsure_cells(table)


def test_table_blank_and_unsure_rows_agree_with_and_without_a_run() -> None:
    for rep in rough_reports(40, seed=4):
        ctx = Context()
        plain = ([table_blank(t) for t in rep.tables.values()],
                 [(u.table.spec.key, u.row, u.columns, u.reason) for u in unsure_rows(rep)])
        with ctx.one_report():
            kept = ([table_blank(t, ctx) for t in rep.tables.values()],
                    [(u.table.spec.key, u.row, u.columns, u.reason) for u in unsure_rows(rep, ctx)])
        assert kept == plain


def test_the_findings_of_a_check_run_are_those_of_each_rule_run_alone() -> None:
    """``check_report`` keeps what its rules derive for the run; each rule run on its own (no run,
    so nothing is kept) finds the same."""
    cfg = CheckConfig.resolve(None)
    rules = select_rules(cfg.select, cfg.ignore, scope="report")
    reports = [parse(SEED), *rough_reports(40, seed=5)]
    ids: set[str] = set()
    for rep in reports:
        kept = check_report(rep, Context(cfg), rules)
        ctx = Context(cfg)
        alone = [f for r in rules for f in run_rule(r, rep, ctx, report=rep.label, source=rep.source, ref=rep.ref)]
        assert [f.to_dict() for f in kept] == [f.to_dict() for f in alone]
        ids.update(f.id for f in kept)
    # the rules that ask for unsure cells did speak
    assert {"struct.I002", "t3.E001", "t3.E002", "t3.E003", "t3.W001", "t2.W001"} <= ids


# -- per text --------------------------------------------------------------------------------------


def _texts() -> list[str]:
    rep = parse(SEED)
    texts = [t for t in rep.sections.values() if t]
    texts += ["本年度共收到政府信息公开申请5件，予以公开3件。", "全年无信息公开申请。", "", "共收到申请十二件"]
    return texts


def test_the_claims_of_a_text_are_those_read_afresh() -> None:
    text_claims.cache_clear()
    for text in _texts() * 2:
        assert list(claims(text)) == list(text_claims.__wrapped__(text))
    assert text_claims.cache_info().hits >= len(_texts())
    assert any(list(claims(t)) for t in _texts())  # some text does state a figure


def test_the_sketch_of_a_section_is_the_sketch_of_its_normalised_text() -> None:
    section_sketch.cache_clear()
    agency = parse(SEED).agency
    for text in _texts() * 2:
        norm = normalise_text(text, agency)
        want = sketch(norm) if len(norm) >= 80 else None
        assert section_sketch(text, agency, 80) == want
        assert section_sketch.__wrapped__(text, agency, 80) == want
    assert section_sketch.cache_info().hits >= len(_texts())
    assert any(section_sketch(t, agency, 80) is not None for t in _texts())


# -- the registry's order --------------------------------------------------------------------------


def test_the_registry_order_follows_rules_added_and_removed() -> None:
    reg = Registry()

    def fn(report: object, ctx: object) -> Iterator[Draft]:
        yield from ()

    for rid in ("t4.E001", "t2.W001", "struct.E001"):
        reg.rule(rid, title=rid)(fn)
    assert list(reg) == ["t2.W001", "t4.E001", "struct.E001"]  # the order of the report
    reg.rule("t3.E002", title="t3")(fn)
    assert list(reg) == ["t2.W001", "t3.E002", "t4.E001", "struct.E001"]
    del reg["t4.E001"]
    assert list(reg) == ["t2.W001", "t3.E002", "struct.E001"]


# -- the digest's values ---------------------------------------------------------------------------


def test_the_digest_keeps_every_cell_value_the_report_has() -> None:
    for rep in rough_reports(60, seed=6):
        want = {f"{k}.{r}.{c}": "" if cell.value is None else str(cell.value)
                for k, t in rep.tables.items() if t.present for (r, c), cell in t.cells.items()}
        assert cell_values(make_digest(rep, sketches=False)) == want


def test_the_failing_lines_are_the_evaluated_lines_that_do_not_hold() -> None:
    """``identities.failures`` skips the lines that hold before making an Evaluation of them."""
    failing = 0
    for rep in rough_reports(80, seed=7):
        for t in rep.tables.values():
            for ident in (None, *t.spec.identities):
                want = [e for e in identities.evaluate(t, ident) if e.holds is False]
                assert identities.failures(t, ident) == want
                failing += len(want)
    assert failing > 100


def test_a_sketch_is_datasketch_minhash_of_the_crc32_of_each_shingle() -> None:
    """The digest's scheme, computed step by step with datasketch: 128 permutations (seed 1,
    affine32), the CRC-32 of each 5-character shingle."""
    from datasketch import MinHash

    def crc(b: bytes) -> int:
        return zlib.crc32(b)

    for text in _texts():
        norm = normalise_text(text, "某某区人民政府")
        m = MinHash(num_perm=128, seed=1, hashfunc=crc, scheme="affine32")
        m.update_batch([norm[i:i + 5].encode("utf-8") for i in range(max(1, len(norm) - 4))])
        assert sketch(norm) == m.hashvalues.astype("<u4").tobytes()
