"""Readers: any published report → ``Document`` (blocks) → ``Report``.

The source step is chosen by content, not by file extension (``sniff``).  Everything after it
(``assemble``) is shared by every reader.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from ..errors import ModelError, ParseError
from ..model import Report
from ..options import ReadOptions
from .blocks import Block, Document, TextCell

Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]

#: the Chinese name of each kind of document (for messages)
KIND_NAMES = {"text": "文本文件", "html": "网页", "docx": "Word 文档", "xlsx": "Excel 工作簿", "pdf": "PDF 文件",
              "json": "JSON 数据模型"}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _load(source: Source, name: str | None, opts: ReadOptions) -> tuple[bytes, str | None]:
    """The bytes of a source (a path, bytes, or a binary file object) and how to name it in messages."""
    cap = opts.max_input_bytes
    if isinstance(source, bytes | bytearray):
        data, label = bytes(source), name
    elif hasattr(source, "read"):
        data = source.read(cap + 1)
        label = name or getattr(source, "name", None)
        if not isinstance(data, bytes):
            raise ParseError("请以二进制方式打开文件（open(path, \"rb\")）后再读取", where=label)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        label = name or str(path)
        try:
            if path.is_dir():
                raise ParseError("这是一个文件夹，不是文件", where=label)
            size = path.stat().st_size
            if size > cap:
                raise ParseError(f"文件过大（{_mb(size)}，上限 {_mb(cap)}）", where=label)
            data = path.read_bytes()
        except FileNotFoundError:
            raise ParseError("文件不存在", where=label) from None
        except OSError as e:
            raise ParseError(f"无法读取文件：{e.strerror or e}", where=label) from None
    else:
        raise ParseError(f"无法读取 {type(source).__name__} 类型的输入（应为文件路径、字节串或以二进制方式打开的文件）",
                         where=name)
    if len(data) > cap:
        raise ParseError(f"文件过大（超过上限 {_mb(cap)}）", where=label)
    return data, label


def _check_size(data: bytes, kind: str, label: str | None, opts: ReadOptions) -> None:
    limit = opts.max_bytes(kind)
    if len(data) > limit:
        what = KIND_NAMES.get(kind, "文件")
        raise ParseError(f"{what}过大（{_mb(len(data))}，上限 {_mb(limit)}；真实的年度报告远小于此）", where=label)


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
    if sample.startswith(b"{") or (sample.startswith(b"[") and sample[1:].lstrip(b" \t\r\n").startswith((b"{", b"]"))):
        return "json"  # no report starts with a brace: this is (meant to be) the JSON model
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


def read_document(source: Source, *, name: str | None = None,
                  options: ReadOptions | Mapping[str, object] | None = None) -> Document:
    """The blocks layer of a document (first step of every reader)."""
    opts = ReadOptions.resolve(options)
    data, label = _load(source, name, opts)
    return _document(data, label, sniff(data), opts)


def _document(data: bytes, label: str | None, kind: str, opts: ReadOptions) -> Document:
    if kind in _UNSUPPORTED:
        raise ParseError(_UNSUPPORTED[kind], where=label)
    if kind == "json":
        raise ParseError("这是年报的 JSON 数据模型，不是文档；请用 gongkai.parse 读取", where=label)
    _check_size(data, kind, label, opts)
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

        return pdf_document(data, name=label, options=opts)
    if kind == "xlsx":
        from .xlsx import xlsx_document

        return xlsx_document(data, name=label)
    raise ParseError(f"不支持的文件类型：{kind}", where=label)


def parse(source: Source, *, name: str | None = None,
          options: ReadOptions | Mapping[str, object] | None = None) -> Report:
    """The one way in: a published annual report (text, HTML, DOCX, PDF or XLSX, recognised by its
    content) or a report's JSON model (as ``gongkai parse`` prints it) → ``Report``.

    ``source`` is a path, bytes, or a file object opened in binary mode; ``name`` names it in messages
    (default: the path); ``options`` are ``ReadOptions`` (or a dict of its fields).  Anything that cannot
    be read raises a ``GongkaiError`` (``ParseError``, ``NotAReportError``, ``ModelError``) whose Chinese
    message says what is wrong and where.
    """
    opts = ReadOptions.resolve(options)
    data, label = _load(source, name, opts)
    kind = sniff(data)
    if kind == "json":
        _check_size(data, kind, label, opts)
        report = load_model(data, name=label)
        report.source = report.source or label
        return report
    doc = _document(data, label, kind, opts)
    return _assemble(doc, opts)


def _assemble(doc: Document, opts: ReadOptions) -> Report:
    from .assemble import assemble
    from .ocr_check import settle

    doc.check_bounds()
    if opts.trace is None:
        report = assemble(doc)
        settle(report, doc.ocr_pages)
        return report
    opts.trace(f"===== {doc.name or '文档'}：分块（{doc.kind}）=====")
    opts.trace(doc.debug())
    lines: list[str] = []
    try:
        report = assemble(doc, trace=lines)
        settle(report, doc.ocr_pages)
        return report
    finally:
        opts.trace(f"===== {doc.name or '文档'}：标签匹配 =====")
        for line in lines:
            opts.trace(line)


def load_model(data: bytes, *, name: str | None = None) -> Report:
    """A report from the bytes of its JSON model; a model that does not fit is a ``ModelError``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ModelError("JSON 数据模型不是 UTF-8 编码", where=name) from None
    try:
        return Report.from_json(text)
    except ModelError as e:
        raise ModelError(f"JSON 数据模型有误：{e.message}", where=name) from None


def parse_text(text: str, *, name: str | None = None,
               options: ReadOptions | Mapping[str, object] | None = None) -> Report:
    """Read a report given as a string of plain text."""
    from .text import text_document_from_str

    opts = ReadOptions.resolve(options)
    if len(text) * 3 > opts.max_text_bytes and len(text.encode("utf-8", "surrogatepass")) > opts.max_text_bytes:
        raise ParseError(f"文本过大（上限 {_mb(opts.max_text_bytes)}）", where=name)
    return _assemble(text_document_from_str(text, name=name), opts)


__all__ = ["KIND_NAMES", "Block", "Document", "ReadOptions", "Source", "TextCell", "load_model", "parse",
           "parse_text", "read_document", "sniff"]
