"""Damaged office files and pages: the HTML, DOCX and XLSX readers either read them or stop with a
Chinese ``ParseError`` (never another exception, never a hang).

Damage is done at test time to the committed corpus cases: cuts at random places, random bytes
overwritten, and — for the zip formats — members rewritten with damaged XML inside a valid zip.
"""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from pathlib import Path

import pytest

import gongkai
from gongkai import GongkaiError

CORPUS = Path(__file__).parent / "corpus"
SOURCES = {
    "html": CORPUS / "html-gb2312-word-export" / "source.html",
    "docx": CORPUS / "docx-2019-county-bureau" / "source.docx",
    "xlsx": CORPUS / "xlsx-2021-one-sheet" / "source.xlsx",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def survive(data: bytes, name: str) -> None:
    t0 = time.perf_counter()
    try:
        gongkai.parse(data, name=name)
    except GongkaiError as e:
        assert CJK.search(e.message), f"{name}: message not in Chinese: {e.message!r}"
    assert time.perf_counter() - t0 < 10, f"{name}: took too long"


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_cut_anywhere(kind):
    data = SOURCES[kind].read_bytes()
    rng = random.Random(kind)
    for cut in sorted(rng.sample(range(1, len(data)), 25)):
        survive(data[:cut], f"cut{cut}.{kind}")


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_bytes_overwritten(kind):
    data = SOURCES[kind].read_bytes()
    rng = random.Random(f"flip:{kind}")
    for i in range(25):
        b = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        survive(bytes(b), f"flip{i}.{kind}")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_damaged_xml_inside_a_valid_zip(kind):
    data = SOURCES[kind].read_bytes()
    rng = random.Random(f"xml:{kind}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml_names = sorted(n for n in members if n.endswith(".xml"))
    for i in range(20):
        victim = rng.choice(xml_names)
        body = members[victim]
        cut = rng.randrange(1, len(body))
        damaged = body[:cut] + rng.choice((b"", b"<", b"&bogus;", b"\x00", b"<w:tbl>" * 50))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n, v in members.items():
                z.writestr(n, damaged if n == victim else v)
        survive(buf.getvalue(), f"xml{i}-{victim.replace('/', '_')}.{kind}")


def test_html_junk():
    rng = random.Random("junk")
    tags = ["<table>", "</table>", "<tr>", "<td rowspan=9999>", "<td colspan=-3>", "</td>", "<p>", "<br>",
            "<script>", "</script>", "一、总体情况", "三、收到和处理政府信息公开申请情况", "12", "&nbsp;", "<![if x]>",
            "<meta charset='x-unknown'>", "\x00"]
    for i in range(30):
        page = "".join(rng.choice(tags) for _ in range(rng.randint(1, 400)))
        survive(page.encode("utf-8"), f"junk{i}.html")
