"""Documents as another office suite saves them: a report written as DOCX/XLSX, then re-saved by
LibreOffice (as DOCX, as an HTML page, as XLSX), reads back to the same numbers.

Made at test time in a temporary folder (nothing committed); skipped without ``soffice``.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

import gongkai
from gongkai.model import Report
from gongkai.testing import random_report
from gongkai.testing.print_office import DocxStyle, XlsxStyle, report_docx, report_xlsx

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")]


def convert(src: Path, target: str, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", target,
                    "--outdir", str(out / target.split(":")[0]), str(src)],
                   check=True, capture_output=True, timeout=240)
    found = list((out / target.split(":")[0]).glob(f"{src.stem}.*"))
    assert found, f"LibreOffice made nothing for {src.name} → {target}"
    return found[0]


def differences(want: Report, got: Report) -> list[str]:
    out = [k for k in ("agency", "year", "published") if getattr(got, k) != getattr(want, k)]
    for key, table in want.tables.items():
        for r, c, cell in table.items():
            if got.value(key, r, c) != cell.value:
                out.append(f"{key}.{r}.{c}: {got.value(key, r, c)!r} ≠ {cell.value!r}")
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Report, Path]]:
    tmp = tmp_path_factory.mktemp("lo")
    rng = random.Random(2024)
    a = random_report(rng, "2021", na_rate=0.05)
    b = random_report(rng, "2019")
    (tmp / "a.docx").write_bytes(report_docx(a, DocxStyle(numbered_headings=True, split_runs=True), rng))
    (tmp / "b.xlsx").write_bytes(report_xlsx(b, XlsxStyle(one_sheet=True, vertical_headers=True)))
    return {
        "docx": (a, convert(tmp / "a.docx", "docx:MS Word 2007 XML", tmp)),
        "html": (a, convert(tmp / "a.docx", "html", tmp)),
        "xlsx": (b, convert(tmp / "b.xlsx", "xlsx", tmp)),
    }


@pytest.mark.parametrize("kind", ["docx", "html", "xlsx"])
def test_resaved_by_libreoffice_reads_back(converted, kind):
    want, path = converted[kind]
    assert gongkai.read_document(path).kind == kind
    assert differences(want, gongkai.parse(path)) == []
