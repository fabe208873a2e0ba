"""Readers: any published report → ``Document`` (blocks) → ``Report``.

The source step is chosen by content, not by file extension (``sniff``).  Everything after it
(``assemble``) is shared by every reader.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import IO

from ..errors import ParseError
from ..model import Report
from .blocks import Block, Document, TextCell

Source = str | os.PathLike[str] | bytes | IO[bytes]

#: the largest document we read (bytes); larger input is refused with a message, never a hang
MAX_BYTES = 200 * 1024 * 1024


def _load(source: Source, name: str | None) -> tuple[bytes, str | None]:
    if isinstance(source, bytes):
        return source, name
    if hasattr(source, "read"):
        data = source.read(MAX_BYTES + 1)
        return data, name or getattr(source, "name", None)
    path = Path(source)
    label = name or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ParseError("文件不存在", where=label) from None
    except OSError as e:
        raise ParseError(f"无法读取文件：{e.strerror}", where=label) from None
    if path.is_dir():
        raise ParseError("这是一个文件夹，不是文件", where=label)
    if size > MAX_BYTES:
        raise ParseError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）", where=label)
    return path.read_bytes(), label


def sniff(data: bytes) -> str:
    """The kind of document by its content: pdf, docx, xlsx, html, text, or an unsupported kind."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
            return "broken-zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # a password-protected .docx/.xlsx is a CFB container holding an "EncryptedPackage" stream
        if "EncryptedPackage".encode("utf-16-le") in data[:4 * 1024 * 1024]:
            return "encrypted"
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    sample = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith(b"{") and b'"format"' in data[:200000] and b'"tables"' in data:
        return "json"
    if sample.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<div", b"<table",
                          b"<!--", b"<title")):
        return "html"
    if b"<table" in data[:200000].lower() and b"</" in data[:200000]:
        return "html"
    return "text"


_EXPECTED = {".pdf": " PDF 文件", ".docx": " Word 文档", ".xlsx": " Excel 工作簿", ".doc": " Word 文档",
             ".xls": " Excel 工作簿", ".htm": "网页", ".html": "网页"}

_UNSUPPORTED = {
    "ole": "这是旧版 Office 文件（.doc/.xls），请在 Word/WPS 中另存为 .docx/.xlsx 后再读取",
    "encrypted": "文件已加密（设置了打开密码），无法读取；请在 Word/Excel/WPS 中取消密码后另存，再读取",
    "rtf": "这是 RTF 文件，请另存为 .docx 后再读取",
    "zip": "这是一个压缩包，不是 Word/Excel 文件，请解压后逐个读取",
    "broken-zip": "文件像是 Word/Excel 文件，但已损坏，无法打开",
}


def read_document(source: Source, *, name: str | None = None, kind: str | None = None) -> Document:
    """The blocks layer of a document (first step of every reader)."""
    data, label = _load(source, name)
    kind = kind or sniff(data)
    if kind in _UNSUPPORTED:
        raise ParseError(_UNSUPPORTED[kind], where=label)
    if kind == "json":
        raise ParseError("这是年报的 JSON 数据模型，不是文档；请用 gongkai.parse 读取", where=label)
    if kind == "text":
        from .text import text_document

        try:
            return text_document(data, name=label)
        except ParseError as e:
            # a wrong or damaged file behind a document's extension: say what it claimed to be
            ext = Path(label or "").suffix.lower()
            if ext in _EXPECTED:
                raise ParseError(f"文件扩展名是 {ext}，但内容不是有效的{_EXPECTED[ext]}（{e.message}）", where=label) from None
            raise
    if kind == "html":
        from .html import html_document

        return html_document(data, name=label)
    if kind == "docx":
        from .docx import docx_document

        return docx_document(data, name=label)
    if kind == "pdf":
        from .pdf import pdf_document

        return pdf_document(data, name=label)
    if kind == "xlsx":
        from .xlsx import xlsx_document

        return xlsx_document(data, name=label)
    raise ParseError(f"不支持的文件类型：{kind}", where=label)


def parse(source: Source, *, name: str | None = None, kind: str | None = None) -> Report:
    """Read a published annual report (text, HTML, DOCX, PDF or XLSX), or a report's JSON model
    (as ``gongkai parse`` prints it), into the model."""
    from .assemble import assemble

    data, label = _load(source, name)
    kind = kind or sniff(data)
    if kind == "json":
        from ..errors import ModelError

        try:
            report = Report.from_json(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ParseError("JSON 文件不是 UTF-8 编码", where=label) from None
        except ModelError as e:
            raise ParseError(f"JSON 数据模型有误：{e}", where=label) from None
        report.source = report.source or label
        return report
    return assemble(read_document(data, name=label, kind=kind))


def parse_text(text: str, *, name: str | None = None) -> Report:
    """Read a report given as a string of plain text."""
    from .assemble import assemble
    from .text import text_document_from_str

    return assemble(text_document_from_str(text, name=name))


__all__ = ["Block", "Document", "TextCell", "parse", "parse_text", "read_document", "sniff"]
