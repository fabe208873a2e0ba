"""Print reports as the PDFs agencies post: Word file → LibreOffice "export as PDF".

Agencies write the report in Word/WPS (our DOCX writer reproduces the national template: merged
cells, header rows repeated on every page, table 四's headers one character per line), add a
``- 1 -`` page number in the footer, and export a PDF.  ``print_pdfs`` does the same with
``soffice --headless --convert-to pdf``, many files per call (LibreOffice starts slowly), in a
private LibreOffice profile so that parallel runs do not share one.

Styles vary what real files vary: ruling lines drawn or not (tables laid out with invisible
borders), the page-number footer, a running header on every page.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from ..model import Report

__all__ = ["PrintStyle", "print_pdf", "print_pdfs", "report_docx", "soffice"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True, slots=True)
class PrintStyle:
    #: table borders drawn (False: the tables are laid out with invisible borders)
    ruled: bool = True
    #: a page number centred in the footer (the writer's "— N —", or "- N -" if it has none)
    page_numbers: bool = True
    #: text repeated at the top of every page (e.g. the agency's name)
    running_header: str | None = None


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def report_docx(report: Report, style: PrintStyle = PrintStyle()) -> bytes:
    """The Word file an agency would export: our DOCX writer's file, styled as ``style`` says."""
    from docx import Document as open_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from ..writers import render

    doc = open_document(io.BytesIO(render(report, "docx")))
    if not style.ruled:
        for tbl in doc.element.body.iter(qn("w:tbl")):
            for borders in tbl.iter(qn("w:tblBorders")):
                for side in list(borders):
                    side.set(qn("w:val"), "nil")
            for borders in list(tbl.iter(qn("w:tcBorders"))):
                borders.getparent().remove(borders)
            for shd in list(tbl.iter(qn("w:shd"))):
                shd.getparent().remove(shd)
    sec = doc.sections[0]
    has_number = any(p.text.strip() for p in sec.footer.paragraphs)  # the writer's own "— N —"
    if not style.page_numbers:
        for p in sec.footer.paragraphs:
            for child in list(p._p):
                if child.tag != qn("w:pPr"):
                    p._p.remove(child)
    elif not has_number:
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("- ")
        p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        p.add_run(" -")
    if style.running_header:
        h = sec.header.paragraphs[0]
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        h.add_run(style.running_header)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def print_pdfs(reports: Sequence[Report], styles: Sequence[PrintStyle] | PrintStyle = PrintStyle(),
               *, timeout: float = 900.0) -> list[bytes]:
    """Each report as a PDF made by LibreOffice from its Word file (one soffice run for all)."""
    exe = soffice()
    if exe is None:
        raise RenderError("未安装 LibreOffice（soffice），无法把 Word 文件转换为 PDF")
    if isinstance(styles, PrintStyle):
        styles = [styles] * len(reports)
    if len(styles) != len(reports):
        raise ValueError("styles and reports differ in length")
    with tempfile.TemporaryDirectory(prefix="gongkai-print-") as tmp:
        root = Path(tmp)
        src, out, profile = root / "docx", root / "pdf", root / "profile"
        src.mkdir()
        out.mkdir()
        names = []
        for i, (report, style) in enumerate(zip(reports, styles, strict=True)):
            name = f"r{i:05d}"
            (src / f"{name}.docx").write_bytes(report_docx(report, style))
            names.append(name)
        # LibreOffice's command line is long enough for a few hundred short names per call
        for start in range(0, len(names), 200):
            batch = [str(src / f"{n}.docx") for n in names[start:start + 200]]
            cmd = [exe, f"-env:UserInstallation=file://{profile}-{uuid.uuid4().hex}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(out), *batch]
            try:
                subprocess.run(cmd, check=False, capture_output=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise RenderError(f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒）") from None
        pdfs = []
        for n in names:
            path = out / f"{n}.pdf"
            if not path.exists():
                raise RenderError(f"LibreOffice 未能把 {n}.docx 转换为 PDF")
            pdfs.append(path.read_bytes())
        return pdfs


def print_pdf(report: Report, style: PrintStyle = PrintStyle()) -> bytes:
    """One report as a PDF made by LibreOffice from its Word file."""
    return print_pdfs([report], style)[0]
