"""Page content through PDFium (pypdfium2): chars with boxes, ruling lines and rectangles.

The same shapes pdfplumber gives (dicts with ``x0``/``x1``/``top``/``bottom`` in points from the
top-left corner), about ten times faster because PDFium parses the content streams in C.  Used by
``pdf.py`` when it opens the file; pdfplumber remains the fallback.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

_PATH = raw.FPDF_PAGEOBJ_PATH
_FORM = raw.FPDF_PAGEOBJ_FORM
_IMAGE = raw.FPDF_PAGEOBJ_IMAGE

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _color(getter: Any, obj: Any) -> tuple[float, float, float]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return (0.0, 0.0, 0.0)
    return (r.value / 255, g.value / 255, b.value / 255)


class PageContent:
    """Chars, lines and rects of one page (pdfplumber-shaped dicts)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        # page size as displayed; PDFium reports chars and paths in the unrotated user space
        self.width, self.height = page.get_size()
        self.rotation = page.get_rotation() % 360
        if self.rotation in (90, 270):
            self._uw, self._uh = self.height, self.width
        else:
            self._uw, self._uh = self.width, self.height
        self.chars: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.rects: list[dict[str, Any]] = []
        self.images = 0
        self._read_objects(page)
        self._read_chars(page)

    def display(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point (origin bottom-left) as displayed (origin top-left, /Rotate applied)."""
        r = self.rotation
        if r == 90:
            return y, x
        if r == 180:
            return self._uw - x, y
        if r == 270:
            return self._uh - y, self._uw - x
        return x, self._uh - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space box as displayed: x0, top, x1, bottom."""
        (ax, ay), (bx, by) = self.display(left, bottom), self.display(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    # -- text ------------------------------------------------------------------------------
    def _read_chars(self, page: pdfium.PdfPage) -> None:
        tp = page.get_textpage()
        try:
            rect = raw.FS_RECTF()
            mat = raw.FS_MATRIX()
            for i in range(tp.count_chars()):
                code = raw.FPDFText_GetUnicode(tp, i)
                if code in (0, 9, 10, 13, 32, 0xA0, 0x3000, 0xFFFE, 0xFFFF) or raw.FPDFText_IsGenerated(tp, i) == 1:
                    continue
                if not raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect)):
                    continue
                size = raw.FPDFText_GetFontSize(tp, i)
                if raw.FPDFText_GetMatrix(tp, i, ctypes.byref(mat)):
                    size *= math.hypot(mat.a, mat.b) or 1.0
                text = chr(code) if code < 0x110000 else "\ufffd"
                # the loose box of a char set with extra character spacing runs on to the next
                # char's origin; a glyph's advance is at most about one em
                x0, top, x1, bottom = self.box(rect.left, rect.bottom, rect.right, rect.top)
                self.chars.append({"text": text, "x0": x0, "x1": min(x1, x0 + 1.1 * size), "top": top,
                                   "bottom": bottom, "size": size})
        finally:
            tp.close()

    # -- graphics --------------------------------------------------------------------------
    def _read_objects(self, page: pdfium.PdfPage) -> None:
        for i in range(raw.FPDFPage_CountObjects(page)):
            self._object(raw.FPDFPage_GetObject(page, i), _IDENTITY, 0)

    def _object(self, obj: Any, parent: Matrix, depth: int) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _IMAGE:
            self.images += 1
        elif kind == _FORM and depth < 8:
            m = _mul(_matrix(obj), parent)
            for i in range(raw.FPDFFormObj_CountObjects(obj)):
                self._object(raw.FPDFFormObj_GetObject(obj, i), m, depth + 1)
        elif kind == _PATH:
            self._path(obj, parent)

    def _path(self, obj: Any, parent: Matrix) -> None:
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
            return
        filled, stroked = fill_mode.value != 0, bool(stroke.value)
        if not filled and not stroked:
            return
        a, b, c, d, e, f = _mul(_matrix(obj), parent)
        subpaths: list[list[tuple[float, float]]] = []
        closed: list[bool] = []
        x, y = ctypes.c_float(), ctypes.c_float()
        n = raw.FPDFPath_CountSegments(obj)
        if n > 2000:
            return
        for i in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            point = self.display(x.value * a + y.value * c + e, x.value * b + y.value * d + f)
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([point])
                closed.append(False)
            else:
                subpaths[-1].append(point)
            if raw.FPDFPathSegment_GetClose(seg):
                closed[-1] = True
        fill = _color(raw.FPDFPageObj_GetFillColor, obj) if filled else None
        stroke_color = _color(raw.FPDFPageObj_GetStrokeColor, obj) if stroked else None
        for pts, is_closed in zip(subpaths, closed, strict=True):
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}
            axis = all(abs(p[0] - q[0]) < 0.01 or abs(p[1] - q[1]) < 0.01 for p, q in itertools.pairwise(pts))
            if axis and len(pts) in (4, 5) and (is_closed or pts[0] == pts[-1]):
                self.rects.append({**box, "fill": filled, "stroke": stroked,
                                   "non_stroking_color": fill, "stroking_color": stroke_color})
                continue
            if not stroked:
                continue
            ring = [*pts, pts[0]] if is_closed else pts
            for p, q in itertools.pairwise(ring):
                if abs(p[0] - q[0]) < 0.01 or abs(p[1] - q[1]) < 0.01:
                    self.lines.append({"x0": min(p[0], q[0]), "x1": max(p[0], q[0]), "top": min(p[1], q[1]),
                                       "bottom": max(p[1], q[1]), "stroking_color": stroke_color})
