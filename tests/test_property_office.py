"""Random valid reports printed as Word/Excel files in varied agency layouts read back exactly.

Each variant draws a report (either format, with blanks, "/" cells and the undivided （六）其他处理
now and then) and a layout (merges, vertical headers, split runs, automatic heading numbers,
text boxes, split tables / one sheet or several, offsets, numbers stored as text …), prints it
with ``gongkai.testing.print_office`` and parses the bytes.  Every table cell, the agency, the
year, the publication date and the format must come back.

``GONGKAI_PROPERTY_N`` sets the number of variants (default 300 DOCX + 150 XLSX; the ``slow``
runs, enabled with ``GONGKAI_SLOW=1``, use 2000 each).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import pytest

import gongkai
from gongkai.model import Report
from gongkai.testing import random_report
from gongkai.testing.print_office import (
    DocxStyle,
    XlsxStyle,
    random_docx_style,
    random_xlsx_style,
    report_docx,
    report_xlsx,
)

N = int(os.environ.get("GONGKAI_PROPERTY_N", "0"))
many = pytest.mark.skipif(not os.environ.get("GONGKAI_SLOW"), reason="set GONGKAI_SLOW=1 for the long runs")


def variant(seed: int) -> tuple[random.Random, Report]:
    rng = random.Random(f"office:{seed}")
    fid = "2019" if rng.random() < 0.25 else "2021"
    report = random_report(rng, fid, blank_rate=rng.choice((0.0, 0.0, 0.05)), na_rate=rng.choice((0.0, 0.1)),
                           collapse_other=rng.random() < 0.2)
    return rng, report


def differences(want: Report, got: Report) -> list[str]:
    out = [f"{k}: {getattr(got, k)!r} ≠ {getattr(want, k)!r}" for k in ("agency", "year", "published")
           if getattr(got, k) != getattr(want, k)]
    if got.format.id != want.format.id:
        out.append(f"format: {got.format.id} ≠ {want.format.id}")
    for key, table in want.tables.items():
        other = got.table(key)
        for r, c, cell in table.items():
            g = other.cell(r, c)
            if g is None or g.value != cell.value:
                out.append(f"{key}.{r}.{c}: {None if g is None else g.value!r} ≠ {cell.value!r}")
        extra = {(r, c) for r, c, _ in other.items()} - {(r, c) for r, c, _ in table.items()}
        out += [f"{key}.{r}.{c}: unexpected" for r, c in sorted(extra)]
    return out


def run(count: int, make: Callable[[random.Random, Report], tuple[bytes, object]], kind: str) -> None:
    failures = []
    for seed in range(count):
        rng, report = variant(seed)
        data, style = make(rng, report)
        back = gongkai.parse(data, name=f"variant-{seed}.{kind}")
        diff = differences(report, back)
        if diff:
            failures.append(f"seed {seed} {style}: {diff[:5]}")
    assert failures == [], f"{len(failures)}/{count} variants differ:\n" + "\n".join(failures[:10])


def docx_variant(rng: random.Random, report: Report) -> tuple[bytes, object]:
    style = random_docx_style(rng)
    return report_docx(report, style, rng), style


def xlsx_variant(rng: random.Random, report: Report) -> tuple[bytes, object]:
    style = random_xlsx_style(rng)
    return report_xlsx(report, style), style


def test_docx_variants_read_back_exactly():
    run(N or 300, docx_variant, "docx")


def test_xlsx_variants_read_back_exactly():
    run(N or 150, xlsx_variant, "xlsx")


@pytest.mark.slow
@many
def test_docx_variants_read_back_exactly_many():
    run(2000, docx_variant, "docx")


@pytest.mark.slow
@many
def test_xlsx_variants_read_back_exactly_many():
    run(2000, xlsx_variant, "xlsx")


def test_every_docx_layout_feature_is_exercised():
    """Each knob of DocxStyle is on in some of the default variants and off in others."""
    styles = [random_docx_style(variant(s)[0]) for s in range(300)]
    for field in DocxStyle.__slots__:
        values = {getattr(s, field) for s in styles}
        assert values == {True, False}, field


def test_every_xlsx_layout_feature_is_exercised():
    styles = [random_xlsx_style(variant(s)[0]) for s in range(150)]
    for field in ("one_sheet", "numbers_as_text", "vertical_headers"):
        assert {getattr(s, field) for s in styles} == {True, False}, field
    assert {s.col_offset for s in styles} == {0, 1, 2}
    assert XlsxStyle().title_row


def test_printed_docx_really_varies():
    """The knobs change the file: numbered headings leave 一、 out of the text, split runs cut numbers."""
    _, report = variant(1)
    plain = report_docx(report, DocxStyle(vertical_headers=False))
    fancy = report_docx(report, DocxStyle(numbered_headings=True, split_runs=True, title_textbox=True,
                                          hmerge=True), random.Random(5))
    import io
    import zipfile

    def body(data: bytes) -> str:
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()

    assert "一、总体情况" in body(plain) and "一、总体情况" not in body(fancy)
    assert "<w:hMerge/>" in body(fancy) and "txbxContent" in body(fancy)
    doc = gongkai.read_document(fancy)
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert "一、总体情况" in paras  # rebuilt from numbering.xml
    assert paras.count(report.title) == 1  # the text box is read once, not twice (VML fallback)
