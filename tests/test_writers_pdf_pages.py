"""PDF output a person can trust (issue 8 item 9): no boxes for a missing Chinese font, and merged
group cells never cut by a page break."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from gongkai import parse, render
from gongkai.writers.pdf import has_cjk_font

HERE = Path(__file__).resolve().parent
SEED = HERE / "corpus/seed-2021-huifa/source.txt"

#: sub-row labels inside 表三's group 三、本年度办理结果 (its sub-groups （三）（四）（五）), words no
#: narrative uses
RESULT_ROWS = ("属于国家秘密", "属于行政查询事项", "本机关不掌握", "补正后申请内容", "信访举报投诉", "要求行政机关确认")

needs_cjk = pytest.mark.skipif(not has_cjk_font(), reason="no CJK font installed (./dev installs fonts-noto-cjk)")


def _fontconfig(tmp: Path, fonts: list[Path]) -> dict[str, str]:
    """An environment whose fontconfig sees only ``fonts`` (copied into an otherwise empty directory)."""
    d = tmp / "fonts"
    d.mkdir()
    for f in fonts:
        (d / f.name).write_bytes(f.read_bytes())
    conf = tmp / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>{d}</dir>'
                    f"<cachedir>{tmp / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


@pytest.mark.parametrize("latin", [False, True], ids=["no-fonts", "latin-font-only"])
def test_render_to_pdf_without_a_chinese_font_refuses_naming_the_package(tmp_path, latin):
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin and not dejavu.exists():
        pytest.skip("DejaVu Sans not installed")
    env = _fontconfig(tmp_path, [dejavu] if latin else [])
    out = tmp_path / "年报.pdf"
    p = subprocess.run([sys.executable, "-m", "gongkai", "render", str(SEED), "--to", "pdf", "-o", str(out)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 2, p.stderr
    assert "没有可用的中文字体" in p.stderr and "fonts-noto-cjk" in p.stderr and "方框" in p.stderr
    assert "Traceback" not in p.stderr and "Warning" not in p.stderr  # nothing but the Chinese message
    assert not out.exists()
    # the same check, asked in that environment, from the library
    q = subprocess.run([sys.executable, "-c", "from gongkai.writers.pdf import has_cjk_font; print(has_cjk_font())"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert q.stdout.strip() == "False"


@needs_cjk
def test_with_a_chinese_font_the_check_passes():
    assert has_cjk_font() is True


def _reports() -> list:
    import random

    from gongkai.testing.generate import random_report

    return [parse(SEED)] + [random_report(random.Random(f"groups:{i}"), "2019" if i % 2 else "2021",
                                          collapse_other=i == 2) for i in range(4)]


@pytest.mark.parametrize("i", range(5))
def test_html_keeps_each_group_label_with_all_its_rows_in_one_row_group(i):
    """Every merged row label (三、本年度办理结果, （三）不予公开 …) and all the rows it spans are in one
    ``<tbody class="group">``, which print layout does not break (``break-inside: avoid``)."""
    html = render(_reports()[i], "html")
    assert b"tbody.group" in html and b"break-inside: avoid" in html
    checked = 0
    for table in lxml.html.fromstring(html).xpath("//table"):
        for tbody in table.xpath("./tbody"):
            rows = tbody.xpath("./tr")
            for i, tr in enumerate(rows):
                for th in tr.xpath("./th[@rowspan]"):
                    span = int(th.get("rowspan"))
                    assert tbody.get("class") == "group", th.text_content()
                    assert i + span <= len(rows), f"{th.text_content()} runs out of its row group"
                    checked += 1
    assert checked >= 4  # 表三's 三、本年度办理结果, （三）, （四）, （五） (（六） too when divided); 表四's are in its header


@needs_cjk
def test_pdf_group_cells_stay_whole_across_page_breaks():
    """表三 runs over a page break (its header repeated on the next page); the rows of 三、本年度办理结果
    are all on one page, not split under an empty continuation of the label."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(render(parse(SEED), "pdf"))
    pages = ["".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    assert sum("勾稽关系" in p for p in pages) >= 2, "表三 does not cross a page break: the case is not exercised"
    where = {label: [i for i, p in enumerate(pages) if label in p] for label in RESULT_ROWS}
    assert all(len(v) == 1 for v in where.values()), where
    assert len({v[0] for v in where.values()}) == 1, where
    # and the group's label is printed on that page (its characters, one column wide: 三、/本年/度办/理结/果)
    page = pages[where[RESULT_ROWS[0]][0]]
    assert "（三）不予公" in page and "（五）不予处" in page
