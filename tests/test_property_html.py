"""Property: a random valid report printed as a portal page reads back to exactly that report.

Three page styles (clean CMS tables, Word-pasted spans that split numbers, Word-exported
tables), GBK/GB2312/UTF-8, with navigation, scripts and a footer around the article.
``GONGKAI_PROPERTY_N`` sets the cases per style (default 130, about 400 pages);
``python -m gongkai.testing.cases html-STYLE SEED`` rebuilds a case.
"""

from __future__ import annotations

import os

import pytest

from gongkai.testing.cases import case_failure, html_case
from gongkai.testing.print_html import HTML_STYLES

N = int(os.environ.get("GONGKAI_PROPERTY_N", "130"))


def _run(style: str, part: str, traditional: bool | None = None, n: int = N) -> None:
    failures: list[str] = []
    for seed in range(n):
        p = html_case(seed, style, traditional)
        if traditional is None and p.options["traditional"]:
            continue  # the 繁體 pages are tested on their own below
        failure = case_failure(seed, p, part)
        if failure:
            failures.append(failure)
    assert not failures, (
        f"html-{style}/{part}: {len(failures)} of {n} cases differ "
        f"(reproduce: python -m gongkai.testing.cases html-{style} SEED)\n" + "\n".join(failures[:5]))


@pytest.mark.parametrize("style", HTML_STYLES)
def test_tables_round_trip(style: str) -> None:
    _run(style, "tables")


@pytest.mark.parametrize("style", HTML_STYLES)
def test_text_round_trip(style: str) -> None:
    _run(style, "text")


@pytest.mark.parametrize("style", HTML_STYLES)
def test_traditional_pages_round_trip(style: str) -> None:
    _run(style, "all", traditional=True, n=20)


def test_page_is_a_portal_page() -> None:
    p = html_case(3, "wordpaste")
    text = p.data.decode("gb18030" if p.encoding in ("gbk", "gb2312") else p.encoding)
    assert text.startswith("<!DOCTYPE html>") and "<script" in text and "当前位置" in text
    assert "rowspan=" in text and "colspan=" in text
