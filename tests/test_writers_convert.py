"""Converting real published reports (``gongkai render old.pdf --to docx``): what the reader got from
the original comes back from the converted document — every table cell, agency, year, dates,
title, preamble, portal and contact.  (The narrative is compared by the round-trip tests; two
reader gaps with real reports are described in the writers' report: an agency signed without a
date is read as text of 六, and the text reader joins a sub-heading paragraph to the next one.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai import Report


def _samples(shared: Path) -> list[Path]:
    s = shared / "samples"
    return sorted((s / "pdf").glob("*.pdf")) + sorted((s / "portal").glob("*/page.html")) \
        + sorted((s / "portal").glob("*/page.txt"))


def _facts(r: Report) -> dict:
    c = r.content()
    c.pop("sections")
    return c


@pytest.fixture(scope="module")
def originals(shared_dir: Path) -> list[tuple[str, Report]]:
    out = []
    for p in _samples(shared_dir):
        out.append((f"{p.parent.name}/{p.name}", gongkai.parse(p)))
    if not out:
        pytest.skip("no real samples in the shared folder")
    return out


@pytest.mark.parametrize("to", ["docx", "html", "md"])
def test_real_reports_convert_without_losing_a_number(originals, to: str) -> None:
    failures = []
    for name, r in originals:
        back = gongkai.parse(gongkai.render(r, to), name=f"converted.{to}")
        if _facts(back) != _facts(r):
            failures.append(name)
    assert failures == []
    assert {name.rsplit(".", 1)[1] for name, _ in originals} == {"pdf", "html", "txt"}
