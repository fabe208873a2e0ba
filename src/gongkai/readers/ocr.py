"""OCR of image-only PDF pages (图片版): a page image → the chars and ruling lines of a ``RawPage``.

Runs inside the PDF engine's worker process (``pdf_engine``), so its time and memory are bounded
like any page's.  The page is rendered by PDFium at ``SCALE`` (144 dpi), then

* the text is recognised by RapidOCR (``rapidocr-onnxruntime``: PaddleOCR's PP-OCRv4 Chinese
  detection and recognition models, shipped inside the wheel and run by ONNX Runtime — nothing is
  downloaded), each recognised piece giving chars with positions (its word boxes split by width);
* ruling lines are found in the image (long horizontal and vertical runs of dark pixels, OpenCV
  morphology), so that tables are rebuilt as lattices exactly as for a text PDF.

Every number read this way is marked ``ocr`` in the report's provenance (``ocr_check``).

``GONGKAI_OCR_ENGINE=tesseract`` uses Debian's ``tesseract`` with ``chi_sim`` instead (measured
against RapidOCR in ``benchmarks/bench_ocr.py``; not the default: it reads table cells poorly).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from typing import Any

from ..errors import ParseError
from .pdf_page import RawPage
from .pdf_text import Char

#: render scale (72 dpi × 3 = 216 dpi): a lone "0" in a 9-pt table cell is found (at 144 dpi the
#: detector misses many), half the pixels of 300 dpi
SCALE = 3.0
#: seconds one page's OCR may take in the worker (5–10 s of CPU; several times that on a loaded machine)
PAGE_SECONDS = 120.0
#: seconds a whole document read with OCR may take (its pages past it are not read, with a notice)
DOCUMENT_SECONDS = 600.0
#: address space of the worker while it recognises (ONNX Runtime reserves more than PDFium needs)
MEMORY_MB = 2000
#: a ruling line is at least this many points long (longer than any CJK glyph's stroke)
MIN_RULING = 16.0

_MISSING = ("这是扫描图片版 PDF，需要 OCR 识别，但未安装 OCR 引擎 rapidocr-onnxruntime"
            "（请重新安装 gongkai：pip install gongkai）")

_engine: Any = None


def engine_name() -> str:
    return "tesseract" if os.environ.get("GONGKAI_OCR_ENGINE") == "tesseract" else "rapidocr"


def ocr_page(page: Any, number: int, images: int) -> RawPage:
    """The chars and rulings of a PDFium page (``pypdfium2.PdfPage``) read from its image."""
    import numpy as np

    width, height = page.get_size()
    bitmap = page.render(scale=SCALE, grayscale=True, rotation=0)
    img = np.ascontiguousarray(bitmap.to_numpy().reshape(bitmap.height, bitmap.width))
    pieces = [(words, _snapped(texts), score) for words, texts, score in _recognise(img)]
    chars = [c for piece in pieces for c in _chars(*piece)]
    size = sorted(c["bottom"] - c["top"] for c in chars)[len(chars) // 2] if chars else 10.0
    lines, mask = _rulings(img, max(MIN_RULING, 1.6 * size))
    if engine_name() == "rapidocr":
        chars = _recheck_cells(img, mask, chars, lines, size)
    return (number, float(width), float(height), chars, lines, [], images)


# -- the printed labels of the national format ----------------------------------------------

_vocabulary: dict[int, list[str]] | None = None


def _labels() -> dict[int, list[str]]:
    """Row, column, group and section labels of every format, and their first and last parts
    (a label wrapped in its cell is recognised line by line), by length."""
    global _vocabulary
    if _vocabulary is None:
        from ..formats import FORMATS

        words: set[str] = set()
        for fmt in FORMATS.values():
            for t in fmt.tables:
                for r in t.rows:
                    words.update(filter(None, (r.label, r.group, r.caption, *r.aliases)))
                for c in t.columns:
                    words.update(filter(None, (c.label, c.group, *c.aliases)))
                words.update(g[0] for g in t.header_groups)
                words.add(f"{t.number}、{t.title}")
        parts = {w[:n] for w in words for n in range(4, len(w) + 1)}
        parts |= {w[-n:] for w in words for n in range(4, len(w) + 1)}
        _vocabulary = {}
        for w in parts:
            _vocabulary.setdefault(len(w), []).append(w)
    return _vocabulary


def snap(text: str) -> str:
    """A recognised piece that differs from a printed label (or its first or last part) in one
    character (two in a long one) is that label: OCR's 子以公开 is （一）予以公开's 予以公开.  A piece
    near two labels is left as read."""
    if len(text) < 4 or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    same = _labels().get(len(text), [])
    if text in same:
        return text
    limit = 1 if len(text) < 8 else 2
    near = {w for w in same if sum(a != b for a, b in zip(w, text, strict=True)) <= limit
            and sum(a.isdigit() != b.isdigit() for a, b in zip(w, text, strict=True)) == 0}
    return near.pop() if len(near) == 1 else text


def _snapped(texts: list[str]) -> list[str]:
    """The word texts of a piece with the piece snapped to a label (substitutions only, so each
    word keeps its length and box)."""
    texts = ["".join(t.split()) for t in texts]
    whole = "".join(texts)
    fixed = snap(whole)
    if fixed == whole:
        return texts
    out, k = [], 0
    for t in texts:
        out.append(fixed[k:k + len(t)])
        k += len(t)
    return out


# -- table cells the detector passed over ---------------------------------------------------

def _plausible(text: str) -> bool:
    """What a table cell prints: a number, a dash or slash, or words (two characters or more)."""
    return bool(_VALUE.match(text)) or sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 2


_VALUE = re.compile(r"^[\d.,，]+(万元|元|件|个|条|项)?$|^[/／—\-－–]+$|^无$")


def _recheck_cells(img: Any, mask: Any, chars: list[Char], lines: list[dict[str, Any]], size: float) -> list[Char]:
    """A ruled cell with ink but no recognised text (the detector passes over a lone small "0"), or
    with a reading no cell prints (口, I~-): its ink, the rulings erased, is recognised on its own
    (one line; recognition only).  The chars with the cells' new readings."""
    import cv2
    import numpy as np

    from .pdf_tables import lattices, ruling_segments

    img = img.copy()
    img[cv2.dilate(mask, np.ones((5, 5), np.uint8)) > 0] = 255
    crops: list[Any] = []
    where: list[tuple[float, float, float, float]] = []
    replaced: list[list[int]] = []
    for lat in lattices(ruling_segments(lines, [])):
        for cell in lat.cells:
            x0, top, x1, bottom = cell.bbox
            inside = [i for i, c in enumerate(chars)
                      if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            within = all(chars[i]["top"] >= top - 2 and chars[i]["bottom"] <= bottom + 2
                         and chars[i]["bottom"] - chars[i]["top"] >= 0.5 * size for i in inside)
            if inside and within and _plausible("".join(chars[i]["text"] for i in inside)):
                continue  # read, and by a box of its own (not one spilling over the next row's cell)
            pad = 3
            px0, pt, px1, pb = (int(x0 * SCALE) + pad, int(top * SCALE) + pad, int(x1 * SCALE) - pad,
                                int(bottom * SCALE) - pad)
            if px1 - px0 < 6 or pb - pt < 6:
                continue
            sub = img[pt:pb, px0:px1]
            if (sub < 200).sum() < 10:
                continue  # no ink (a light glyph has few pixels darker than mid-grey: counted too)
            ys, xs = np.nonzero(sub < 200)  # the glyph's light edges too (a thin "0" at 100 dpi)
            if (ys.max() - ys.min()) > 1.8 * size * SCALE:
                continue  # more than one line: not a number
            glyph = sub[max(0, ys.min() - 3):ys.max() + 4, max(0, xs.min() - 3):xs.max() + 4]
            crops.append(cv2.cvtColor(cv2.copyMakeBorder(glyph, 6, 6, 6, 6, cv2.BORDER_CONSTANT, value=255),
                                      cv2.COLOR_GRAY2BGR))
            a, c = pt + max(0, ys.min() - 3), px0 + max(0, xs.min() - 3)
            where.append((float(c), float(a), float(c + glyph.shape[1]), float(a + glyph.shape[0])))
            replaced.append(inside)
    if not crops:
        return chars
    results, _ = _engine.text_rec(crops)
    drop: set[int] = set()
    added: list[Char] = []
    for box, res, old in zip(where, results, replaced, strict=True):
        text, score = "".join(str(res[0]).split()), float(res[1])
        if text and score >= 0.3 and _plausible(text):
            drop.update(old)
            added += _chars([box], [text], score)
    return [c for i, c in enumerate(chars) if i not in drop] + added


@contextlib.contextmanager
def memory() -> Iterator[None]:
    """While a page is recognised the worker may use up to its hard address-space limit
    (``MEMORY_MB`` at most, set by the engine at start); the page step's lower soft limit is
    restored afterwards."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except ImportError:  # pragma: no cover - not Linux
        yield
        return
    if soft == resource.RLIM_INFINITY:
        yield
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# -- recognition ----------------------------------------------------------------------------

#: a recognised piece: its word boxes (x0, top, x1, bottom in pixels) with their texts
Piece = tuple[list[tuple[float, float, float, float]], list[str], float]


def _recognise(img: Any) -> list[Piece]:
    if engine_name() == "tesseract":
        return _tesseract(img)
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise ParseError(_MISSING) from None
        # one thread: the machine is shared (a web worker, a batch); more threads barely help a page
        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    # low thresholds: a lone digit in a cell scores low, and a false reading is caught by the
    # identities, a missed one only left blank
    result, _ = _engine(img, use_cls=False, return_word_box=True, box_thresh=0.3, text_score=0.3)
    out: list[Piece] = []
    for item in result or []:
        quad, text, score = item[0], item[1], float(item[2])
        words = item[3] if len(item) > 4 and item[3] else [quad]
        texts = item[4] if len(item) > 4 and item[4] else [text]
        if len(words) != len(texts):
            words, texts = [quad], [text]
        out.append(([_box(w) for w in words], [str(t) for t in texts], score))
    return out


def _box(quad: Any) -> tuple[float, float, float, float]:
    xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _tesseract(img: Any) -> list[Piece]:
    import cv2

    clean = img.copy()
    for ln in rulings(img, MIN_RULING):  # tesseract reads ruled cells poorly: erase the rulings
        x0, x1, top, bottom = (round(ln[k] * SCALE) for k in ("x0", "x1", "top", "bottom"))
        clean[max(0, top - 3):bottom + 4, max(0, x0 - 3):x1 + 4] = 255
    _ok, png = cv2.imencode(".png", clean)
    try:
        out = subprocess.run(["tesseract", "-", "-", "-l", "chi_sim", "--psm", "11", "tsv"], input=png.tobytes(),
                             capture_output=True, timeout=PAGE_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        raise ParseError("OCR 引擎 tesseract 无法运行（请安装 Debian 软件包 tesseract-ocr 与 tesseract-ocr-chi-sim）") from None
    pieces: list[Piece] = []
    for row in out.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or not f[11].strip() or float(f[10]) < 0:
            continue
        x, y, w, h = (float(v) for v in f[6:10])
        pieces.append(([(x, y, x + w, y + h)], [f[11].strip()], float(f[10]) / 100))
    return pieces


def _chars(words: list[tuple[float, float, float, float]], texts: list[str], _score: float) -> list[Char]:
    """Chars of a recognised piece in points: each word box shared among its chars by their
    widths (a CJK char an em, a digit or Latin letter half of one)."""
    out: list[Char] = []
    texts = ["".join(text.split()) for text in texts]
    for k, ((x0, top, x1, bottom), text) in enumerate(zip(words, texts, strict=True)):
        if not text:
            continue  # a space between words
        if k + 1 < len(words) and texts[k + 1] and 0 < words[k + 1][0] - x1 < 0.6 * (bottom - top):
            x1 = words[k + 1][0]  # no space recognised between them: one run (4000, not 40 00)
        weights = [0.5 if ch.isascii() else 1.0 for ch in text]
        unit = (x1 - x0) / sum(weights)
        x = x0
        for ch, w in zip(text, weights, strict=True):
            out.append({"text": ch, "x0": x / SCALE, "x1": (x + w * unit) / SCALE, "top": top / SCALE,
                        "bottom": bottom / SCALE, "size": (bottom - top) / SCALE * 0.85})
            x += w * unit
    return out


# -- ruling lines ---------------------------------------------------------------------------

def rulings(img: Any, min_points: float) -> list[dict[str, Any]]:
    """Horizontal and vertical ruling lines of a page image (points, pdfplumber's line shape):
    runs of dark pixels at least ``min_points`` long, found by morphological opening."""
    return _rulings(img, min_points)[0]


def _rulings(img: Any, min_points: float) -> tuple[list[dict[str, Any]], Any]:
    """The rulings and the mask of their pixels."""
    import cv2
    import numpy as np

    dark = np.where(img < 160, 255, 0).astype(np.uint8)
    length = max(8, int(min_points * SCALE))
    out: list[dict[str, Any]] = []
    both: Any = np.zeros_like(dark)
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        mask = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
        both = cv2.bitwise_or(both, mask)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            if horizontal and w >= length and h <= 8:
                mid = (y + h / 2) / SCALE
                out.append({"x0": x / SCALE, "x1": (x + w) / SCALE, "top": mid, "bottom": mid,
                            "stroking_color": (0.0, 0.0, 0.0)})
            elif not horizontal and h >= length and w <= 8:
                mid = (x + w / 2) / SCALE
                out.append({"x0": mid, "x1": mid, "top": y / SCALE, "bottom": (y + h) / SCALE,
                            "stroking_color": (0.0, 0.0, 0.0)})
    return out, both
