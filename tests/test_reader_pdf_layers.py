"""The PDF reader's layers one by one: ruling segments → lattices → cell text; aligned text → grid."""

from __future__ import annotations

import sys
from pathlib import Path

from gongkai.readers.pdf import pdf_document
from gongkai.readers.pdf_tables import Seg, cell_text, lattices, ruling_segments

sys.path.insert(0, str(Path(__file__).parent))
from pdf_fixtures import make_pdf, placed_page


def line(x0, top, x1, bottom):
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom}


def rect(x0, top, x1, bottom, *, stroke=False, fill=False, color=(0, 0, 0)):
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "stroke": stroke, "fill": fill,
            "stroking_color": color, "non_stroking_color": color}


def char(text, x0, top, size=10.0):
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size}


def test_cell_fills_are_not_rulings_but_thin_filled_bars_are():
    segs = ruling_segments([], [
        rect(70, 100, 520, 127, fill=True, color=(1.0, 1.0, 1.0)),  # white background of a line of text
        rect(70, 130, 520, 160, fill=True, color=(0.78, 0.85, 0.95)),  # shaded caption cell
        rect(70, 200, 520, 200.5, fill=True),  # a border drawn as a thin black bar
        rect(70, 300, 200, 400, stroke=True),  # a stroked box: four edges
    ])
    horizontal = sorted((s.pos, s.a, s.b) for s in segs if s.horizontal)
    vertical = sorted((s.pos, s.a, s.b) for s in segs if not s.horizontal)
    assert horizontal == [(200.25, 70, 520), (300, 70, 200), (400, 70, 200)]
    assert vertical == [(70, 300, 400), (200, 300, 400)]


def test_collinear_pieces_are_one_ruling():
    segs = ruling_segments([line(10, 50, 100, 50), line(101, 50.4, 200, 50.4), line(300, 50, 400, 50)], [])
    assert [(round(s.a), round(s.b)) for s in segs] == [(10, 200), (300, 400)]


def test_lattice_with_a_merged_cell():
    # 2 rows × 3 columns; the left column's cells are merged (no line between them)
    hs = [Seg(True, 0, 0, 300), Seg(True, 20, 100, 300), Seg(True, 40, 0, 300)]
    vs = [Seg(False, 0, 0, 40), Seg(False, 100, 0, 40), Seg(False, 200, 0, 40), Seg(False, 300, 0, 40)]
    (lat,) = lattices(hs + vs)
    assert lat.xs == [0, 100, 200, 300] and lat.ys == [0, 20, 40]
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in lat.cells)
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]
    lat.fill([char("总", 40, 5), char("计", 40, 22), char("7", 140, 5)])
    texts = {(c.row, c.col): c.text for c in lat.cells}
    assert texts[(0, 0)] == "总计" and texts[(0, 1)] == "7" and texts[(1, 1)] == ""


def test_a_frame_around_text_is_not_a_table():
    hs = [Seg(True, 0, 0, 300), Seg(True, 500, 0, 300)]
    vs = [Seg(False, 0, 0, 500), Seg(False, 300, 0, 500)]
    assert lattices(hs + vs) == []


def test_cell_text_joins_lines_without_spaces_and_keeps_latin_words_apart():
    vertical = [char(ch, 10, 10 * i) for i, ch in enumerate("结果维持")]
    assert cell_text(vertical) == "结果维持"
    latin = [char("a", 0, 0, 5), char("b", 5, 0, 5), char("c", 14, 0, 5)]
    assert cell_text(latin) == "ab c"


def test_table_without_ruling_lines_from_aligned_text():
    """A hand-made page: labels on the left, numbers right-aligned in three columns, a label
    wrapped over two lines (numbers on its first line), running text above and below."""
    items = [(72, 760, "The table below has no ruling lines at all, only aligned columns of numbers.")]
    rows = [("Rules", ["1", "0", "11"]), ("Normative documents of", ["8", "26", "66"]), ("the agency", None),
            ("Licensing", ["447", "3", "1200"])]
    y = 720
    for label, nums in rows:
        items.append((72, y, label))
        for k, n in enumerate(nums or []):
            items.append((330 + 80 * k - 6 * len(n), y, n))  # right-aligned at 330/410/490
        y -= 16
    items.append((72, y - 30, "Text after the table, again running over the full measure of the page."))
    doc = pdf_document(make_pdf([placed_page(items)]), "unruled.pdf")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["para", "table", "para"]
    grid = doc.blocks[1]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["Rules", "1", "0", "11"],
        ["Normative documents of the agency", "8", "26", "66"],
        ["Licensing", "447", "3", "1200"],
    ]
    assert [c.loc.col for c in grid.rows[2]] == [1, 2, 3, 4]
