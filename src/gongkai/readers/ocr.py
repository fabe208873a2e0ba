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

import os
import subprocess
from typing import Any

from ..errors import ParseError
from .pdf_page import RawPage
from .pdf_text import Char

#: render scale (72 dpi × 2 = 144 dpi): enough for 10-pt CJK, a quarter of the pixels of 300 dpi
SCALE = 2.0
#: seconds one page's OCR may take in the worker (≈ 3–15 s on a loaded 2-core machine)
PAGE_SECONDS = 90.0
#: seconds a whole document read with OCR may take (its pages past it are not read, with a notice)
DOCUMENT_SECONDS = 300.0
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
    boxes = _recognise(img)
    chars = [c for box in boxes for c in _chars(*box)]
    size = sorted(c["bottom"] - c["top"] for c in chars)[len(chars) // 2] if chars else 10.0
    lines = rulings(img, max(MIN_RULING, 1.6 * size))
    return (number, float(width), float(height), chars, lines, [], images)


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
    result, _ = _engine(img, use_cls=False, return_word_box=True)
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
    for (x0, top, x1, bottom), text in zip(words, texts, strict=True):
        text = "".join(text.split())
        if not text:
            continue
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
    import cv2
    import numpy as np

    dark = np.where(img < 160, 255, 0).astype(np.uint8)
    length = max(8, int(min_points * SCALE))
    out: list[dict[str, Any]] = []
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        mask = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
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
    return out
