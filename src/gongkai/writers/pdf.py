"""PDF: the HTML page laid out by WeasyPrint on A4 with GB/T 9704 margins.

Without a font for Chinese (``has_cjk_font``, asked of fontconfig) the writer refuses with a message
naming the package to install, instead of writing boxes.  Fonts come from the system
(fonts-noto-cjk, installed by ``./dev``): the CSS names the usual
公文 fonts first and Noto Serif/Sans CJK SC as the fallback, and WeasyPrint embeds the subset it
uses, so the text is selectable and extracts as Chinese; the PDF is tagged (structure tree).  The PDF's dates are the report's
publication date (or a fixed date) and its identifier is derived from the content, so rendering
twice gives identical bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from typing import Any

from ..errors import RenderError
from ..model import Report
from .html import html_text
from .layout import Layout

#: used for the PDF's dates when the report has no publication date
FIXED_DATE = "2000-01-01"

_PDF_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC", serif; font-size: 12pt; } }
.gongkai-report { max-width: none; }
.gongkai-report td.blank { background: none; }
"""


#: the longest text we lay out as PDF (characters); a real report has 5 000–50 000
MAX_CHARS = 500_000

NO_CJK_FONT = ("无法生成 PDF：本机没有可用的中文字体，生成的 PDF 中汉字会显示为方框。请先安装中文字体"
               "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk；其他系统安装思源宋体/Noto Serif CJK SC），"
               "或改为输出 DOCX、HTML")


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


def has_cjk_font() -> bool:
    """Fontconfig (which WeasyPrint lays text out with, honouring ``FONTCONFIG_FILE``) knows a font
    that covers Simplified Chinese.  Asked in each call: a long-running process may get fonts."""
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        fc = ctypes.CDLL(name)
    except OSError:  # pragma: no cover - WeasyPrint itself would not load without fontconfig
        return True
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.POINTER(_FontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fc.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
    fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    fc.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    pattern = fc.FcNameParse(b":lang=zh-cn")
    objects = fc.FcObjectSetBuild(b"family", None)
    fonts = fc.FcFontList(None, pattern, objects)
    try:
        return bool(fonts) and fonts.contents.nfont > 0
    finally:
        if fonts:
            fc.FcFontSetDestroy(fonts)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)


def write(report: Report, to: str, layout: Layout, **_: Any) -> bytes:
    size = sum(len(t or "") for t in (report.preamble, report.title, *report.sections.values()))
    if size > MAX_CHARS:
        raise RenderError(f"报告文字过长（{size}字），超过 PDF 输出上限（{MAX_CHARS}字），请检查正文是否重复粘贴")
    if not has_cjk_font():  # asked before WeasyPrint is imported (it warns in English without fonts)
        raise RenderError(NO_CJK_FONT)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # pragma: no cover - depends on the system
        raise RenderError(f"无法生成 PDF：缺少 WeasyPrint 或其系统库（{e}），请运行 ./dev setup") from None
    page = html_text(report, layout, extra_css=_PDF_CSS)
    when = (report.published.isoformat() if report.published else FIXED_DATE) + "T00:00:00+08:00"
    page = page.replace("<head>", f'<head>\n<meta name="dcterms.created" content="{when}">\n'
                                  f'<meta name="dcterms.modified" content="{when}">', 1)
    ident = hashlib.md5(page.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
    pdf = HTML(string=page).write_pdf(pdf_identifier=ident, pdf_tags=True)  # tagged: structure for screen readers
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise RenderError("PDF 生成失败")
    return bytes(pdf)
