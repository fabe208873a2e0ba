"""PDFs made the way agencies make them — a Word file exported by LibreOffice — read back exactly.

The reports are random (``gongkai.testing.generate``), printed to DOCX by our writer (the national
template: merged cells, header rows repeated on every page, table 四's headers one character per
line), given a ``- N -`` page-number footer, sometimes a running header, sometimes no ruling lines
at all, and converted by ``soffice --headless --convert-to pdf`` in one batch.  Nothing is stored:
the PDFs are made at test time.
"""

from __future__ import annotations

import os
import random

import pytest

from gongkai import parse
from gongkai.model import Report
from gongkai.readers import read_document
from gongkai.testing.generate import random_report
from gongkai.testing.print_pdf import PrintStyle, print_pdfs, soffice

needs_soffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed"),
]


def _soffice(fn):
    for mark in needs_soffice:
        fn = mark(fn)
    return fn

STYLES = [
    PrintStyle(),
    PrintStyle(ruled=False),
    PrintStyle(running_header="政府信息公开工作年度报告"),
    PrintStyle(ruled=False, page_numbers=False),
]


def _facts(r: Report) -> dict:
    d = r.to_dict(provenance=False)
    return {k: d[k] for k in ("format", "agency", "year", "published", "period", "tables")}


def _diff(want: Report, got: Report) -> list[str]:
    a, b = _facts(want), _facts(got)
    out = [f"{k}: {a[k]!r} ≠ {b[k]!r}" for k in ("format", "agency", "year", "published", "period") if a[k] != b[k]]
    for t in sorted(set(a["tables"]) | set(b["tables"])):
        ra, rb = a["tables"].get(t, {}), b["tables"].get(t, {})
        for row in sorted(set(ra) | set(rb)):
            if ra.get(row) != rb.get(row):
                out.append(f"{t}.{row}: {ra.get(row)} ≠ {rb.get(row)}")
    return out


def _variants(n: int, seed: str) -> list[tuple[Report, PrintStyle]]:
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        fid = "2019" if i % 5 == 4 else "2021"
        knobs = {"collapse_other": i % 7 == 3, "busy": 0.5 if i % 3 == 0 else 0.1}
        if i % 4 in (1, 2):  # blanks and "/" in ruled and unruled tables
            knobs.update(blank_rate=0.03, na_rate=0.05)
        out.append((random_report(rng, fid, **knobs), STYLES[i % len(STYLES)]))
    return out


@pytest.fixture(scope="module")
def printed() -> list[tuple[Report, PrintStyle, bytes]]:
    variants = _variants(12, "pdf-corpus")
    pdfs = print_pdfs([r for r, _ in variants], [s for _, s in variants])
    return [(r, s, p) for (r, s), p in zip(variants, pdfs, strict=True)]


@pytest.mark.parametrize("i", range(12))
@_soffice
def test_generated_pdf_reads_back_exactly(printed, i):
    report, style, pdf = printed[i]
    assert _diff(report, parse(pdf, name=f"generated-{i}.pdf")) == [], style


@_soffice
def test_ruled_table_split_over_pages_is_one_grid_with_its_header_once(printed):
    report, _style, pdf = next(p for p in printed if p[1].ruled and p[0].format.id == "2021")
    doc = read_document(pdf, name="ruled.pdf")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 3
    t3 = tables[1]
    pages = {c.loc.page for row in t3.rows for c in row}
    assert len(pages) >= 2  # table 三 runs over a page break in this layout
    corner = [c for row in t3.rows for c in row if c.text.startswith("（本列数据的勾稽关系为")]
    assert len(corner) == 1  # the header Word repeats on the next page is dropped
    group = next(c for row in t3.rows for c in row if c.text == "三、本年度办理结果")
    results = [r for r in report.table("requests").row_keys() if r not in ("new", "carried_over", "carried_forward")]
    assert group.rowspan == len(results)  # （一） … （七）总计
    # table 四's headers, printed one character per line, are one text each
    t4 = tables[2]
    assert [c.text for c in t4.rows[2]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2


@_soffice
def test_page_numbers_and_running_headers_are_not_text(printed):
    for report, style, pdf in printed:
        doc = read_document(pdf, name="x.pdf")
        paras = [b.text for b in doc.blocks if b.kind == "para"]
        assert not any(p.replace("-", "").strip().isdigit() for p in paras)
        if style.running_header:
            assert style.running_header not in paras
        assert paras[0] == f"{report.agency}{report.year}年政府信息公开工作年度报告" or \
            "".join(paras[:2]).startswith(report.agency or "")


@_soffice
def test_table_without_ruling_lines_is_a_grid(printed):
    report, _style, pdf = next(p for p in printed if not p[1].ruled and p[0].format.id == "2021")
    doc = read_document(pdf, name="unruled.pdf")
    grids = [b for b in doc.blocks if b.kind == "table"]
    assert grids, "no grid rebuilt from aligned text"
    t = report.table("requests")
    row = next(r for g in grids for r in g.rows if r and r[0].text == "一、本年新收政府信息公开申请数量")
    want = [("" if v is None else "/" if v == "NA" else str(v)) for v in
            (t.value("new", c.key) for c in t.spec.columns)]
    assert [c.text for c in row[1:]] == want


#: the always-on slice of the property run: every 19th of its 240 variants (13; all four print styles,
#: both formats, collapsed （六）, blanks and "/"), one LibreOffice batch of ~5 s
SLICE = range(0, 240, 19)


@_soffice
def test_a_slice_of_the_property_run_reads_back_exactly():
    variants = _variants(240, "pdf-property")
    chosen = [variants[i] for i in SLICE]
    assert {s for _, s in chosen} == set(STYLES) and {r.format.id for r, _ in chosen} == {"2019", "2021"}
    pdfs = print_pdfs([r for r, _ in chosen], [s for _, s in chosen])
    failures = [(i, style, d[:3]) for i, (report, style), pdf in zip(SLICE, chosen, pdfs, strict=True)
                if (d := _diff(report, parse(pdf, name=f"v{i}.pdf")))]
    assert failures == []


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("GONGKAI_SLOW"), reason="set GONGKAI_SLOW=1 for the long runs")
@_soffice
def test_many_generated_pdfs_read_back_exactly():
    """A few hundred variants (LibreOffice converts them in batches; 1–2 minutes on a quiet machine,
    past LibreOffice's 15-minute limit when every core is busy, so it is a long run like
    test_property_office's)."""
    variants = _variants(240, "pdf-property")
    pdfs = print_pdfs([r for r, _ in variants], [s for _, s in variants])
    failures = []
    for i, ((report, style), pdf) in enumerate(zip(variants, pdfs, strict=True)):
        d = _diff(report, parse(pdf, name=f"v{i}.pdf"))
        if d:
            failures.append((i, style, d[:3]))
    assert failures == []


@_soffice
def test_period_without_the_repeated_year_from_pdf():
    """The period stated as 2024年1月1日至12月31日 (the year not repeated)."""
    report = random_report(random.Random("short-period"), "2021")
    report.preamble = f"本报告中所列数据的统计期限为{report.year}年1月1日至12月31日。"
    got = parse(print_pdf_one(report), name="short-period.pdf")
    assert _diff(report, got) == []


def print_pdf_one(report: Report) -> bytes:
    return print_pdfs([report])[0]


# -- PDFs from other producers (no LibreOffice needed) ----------------------------------------

@pytest.mark.parametrize("i", range(4))
def test_weasyprint_pdf_reads_back_exactly(i):
    """Our own PDF writer (HTML laid out by WeasyPrint) draws tables with CSS borders."""
    from gongkai import render

    rng = random.Random(f"weasy:{i}")
    report = random_report(rng, "2019" if i == 2 else "2021", collapse_other=i == 3)
    assert _diff(report, parse(render(report, "pdf"), name=f"weasy-{i}.pdf")) == []


@_soffice
def test_unruled_tables_with_blank_cells_and_slashes():
    """Without ruling lines a blank cell prints nothing: its column is known from the other rows
    or from its header, and the cell reads back blank (None), never shifting the numbers."""
    reports = [random_report(random.Random(f"unruled-blank:{i}"), "2019" if i == 3 else "2021",
                             blank_rate=0.08, na_rate=0.05) for i in range(4)]
    pdfs = print_pdfs(reports, PrintStyle(ruled=False))
    blanks = 0
    for i, (report, pdf) in enumerate(zip(reports, pdfs, strict=True)):
        blanks += sum(1 for t in report.tables.values() for _, _, c in t.items() if c.value is None)
        assert _diff(report, parse(pdf, name=f"unruled-blank-{i}.pdf")) == []
    assert blanks >= 10  # the case is really about blanks
