"""PDF: the HTML page laid out by WeasyPrint on A4 with GB/T 9704 margins.

Fonts come from the system (fonts-noto-cjk, installed by ``./dev``): the CSS names the usual
公文 fonts first and Noto Serif/Sans CJK SC as the fallback, and WeasyPrint embeds the subset it
uses, so the text is selectable and extracts as Chinese; the PDF is tagged (structure tree).  The PDF's dates are the report's
publication date (or a fixed date) and its identifier is derived from the content, so rendering
twice gives identical bytes.
"""

from __future__ import annotations

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


def write(report: Report, to: str, layout: Layout, **_: Any) -> bytes:
    size = sum(len(t or "") for t in (report.preamble, report.title, *report.sections.values()))
    if size > MAX_CHARS:
        raise RenderError(f"报告文字过长（{size}字），超过 PDF 输出上限（{MAX_CHARS}字），请检查正文是否重复粘贴")
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
