"""No internal code in a user message without its Chinese explanation (issue 8 item 9): reader
notices say in Chinese what happened and never quote an id such as ``glued.ambiguous``; when the
check result relays a notice (struct.I001) the id stands next to its Chinese title from the
catalogue.  Scanned over the corpora, the shared samples and the fuzz reproducers (documents; a JSON
model's errors name its keys on purpose)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import GongkaiError
from gongkai.messages import catalogue

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
#: a message id: dotted lower-case words (glued.ambiguous, pdf.image_page, struct.I001)
CODE = re.compile(r"(?<![A-Za-z0-9_.])([a-z]+\.[A-Za-z0-9_]+)(?![A-Za-z0-9_(])")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _sources() -> list[Path]:
    files = [p for p in sorted(HERE.glob("corpus/*/source.*"))]
    for sub, pattern in (("samples", "**/*"), ("fuzz", "*")):
        base = SHARED / sub
        if base.is_dir():
            files += [p for p in sorted(base.glob(pattern)) if p.is_file() and p.suffix in (".txt", ".html", ".docx",
                                                                                         ".xlsx")]
    return files


def _codes_outside_titles(message: str, titles: dict[str, str]) -> list[str]:
    """Ids in ``message`` not written as “（<Chinese title>，<id>）”."""
    bad = []
    for m in CODE.finditer(message):
        code = m.group(1)
        if code.split(".")[-1] in ("com", "cn", "gov", "html", "htm", "txt", "docx", "xlsx", "pdf", "json", "xml",
                                   "rels"):
            continue  # a file or web address, not an id
        title = titles.get(code)
        if title is None or not message[: m.start()].endswith(f"{title}，"):
            bad.append(code)
    return bad


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_messages_carry_no_bare_internal_code(path: Path) -> None:
    titles = {k: v.title for k, v in catalogue().items()}
    try:
        report = gongkai.parse(path)
    except GongkaiError as e:
        assert CJK.search(e.message) and not _codes_outside_titles(e.message, titles), e.message
        return
    for w in report.warnings:
        assert CJK.search(w.message), w.message
        assert not _codes_outside_titles(w.message, {}), w.message  # a notice never quotes an id
    for f in gongkai.validate(report).findings:
        assert not _codes_outside_titles(f.message, titles), f.message


def test_a_relayed_notice_names_its_id_with_its_title() -> None:
    from gongkai.model import Notice

    report = gongkai.Report.blank("2021", agency="某县交通运输局", year=2023, fill=0)
    report.warnings.append(Notice("row.merged", "表三“（一）予以公开”：相邻数字按勾稽关系合并读取（1 2 0 0 0 0 12）"))
    relayed = [f.message for f in gongkai.validate(report).findings if f.id == "struct.I001"]
    assert relayed == ["读取提示（相邻数字按勾稽关系合并读取，row.merged）：表三“（一）予以公开”：相邻数字按勾稽关系合并读取"
                       "（1 2 0 0 0 0 12）"]
