"""The one guard around Office Open XML archives (DOCX, XLSX, the 台账 workbook).

Every archive is opened and checked here before anything is decompressed (a zip bomb declares its
sizes), and every member is read here with a bound.  A damaged archive can make ``zipfile`` raise
almost anything while reading (``ValueError`` for a negative seek, ``struct.error``, ``zlib.error``,
``EOFError``, ``OverflowError`` …): all of it becomes one ``ParseError`` naming the file and the member.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..errors import ParseError

__all__ = ["MAX_MEMBER", "MAX_MEMBERS", "MAX_RATIO", "MAX_TOTAL", "check_zip", "open_zip", "parse_xml",
           "read_member"]

#: limits for one archive member and for the whole archive, uncompressed
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_MEMBERS = 5000
#: a ratio above this on a member larger than 8 MB is a bomb, not a document
MAX_RATIO = 200

_XML = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                       huge_tree=False)


def open_zip(data: bytes, what: str, where: str | None) -> zipfile.ZipFile:
    """The archive, checked (``check_zip``); a ``ParseError`` when it cannot be opened."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # zipfile raises many kinds on a damaged central directory
        raise ParseError(f"{what}已损坏或不完整，无法打开", where=where) from None
    try:
        check_zip(z, what, where)
    except BaseException:
        z.close()
        raise
    return z


def check_zip(z: zipfile.ZipFile, what: str, where: str | None) -> None:
    """Refuse an archive whose declared sizes are those of a zip bomb."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"{what}内含 {len(infos)} 个部件，超出正常文件的范围，拒绝读取", where=where)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 8 * 1024 * 1024 and ratio > MAX_RATIO):
            raise ParseError(f"{what}中的“{info.filename}”解压后过大（{info.file_size // 1024 // 1024} MB，"
                             f"压缩比 {ratio:.0f}:1），疑似压缩炸弹，拒绝读取", where=where)
    if total > MAX_TOTAL:
        raise ParseError(f"{what}解压后总计 {total // 1024 // 1024} MB，超出上限，拒绝读取", where=where)


def read_member(z: zipfile.ZipFile, name: str, what: str, where: str | None) -> bytes | None:
    """One archive member, read with a bound (None when absent).  Whatever reading a damaged member
    raises becomes a ``ParseError`` that names it."""
    try:
        with z.open(name) as f:
            data = f.read(MAX_MEMBER + 1)
    except KeyError:
        return None
    except MemoryError:
        raise ParseError(f"{what}中的“{name}”解压时内存不足，拒绝读取", where=where) from None
    except Exception:  # BadZipFile, zlib.error, EOFError, ValueError (negative seek), struct.error …
        raise ParseError(f"{what}已损坏或不完整（“{name}”无法解压）", where=where) from None
    if len(data) > MAX_MEMBER:
        raise ParseError(f"{what}中的“{name}”解压后过大，疑似压缩炸弹，拒绝读取", where=where)
    return data


def parse_xml(data: bytes, name: str, what: str, where: str | None) -> etree._Element:
    """An archive member's XML, parsed without entities, network or huge trees."""
    try:
        return etree.fromstring(data, parser=_XML)
    except etree.XMLSyntaxError as e:
        if "depth" in str(e).lower():
            raise ParseError(f"{what}已损坏（{name} 的元素嵌套层数过深，不是正常的文件）", where=where) from None
        raise ParseError(f"{what}已损坏（{name} 第{e.lineno}行无法解析）", where=where) from None
    except ValueError:  # lxml refuses some inputs (e.g. an encoding declaration it cannot use)
        raise ParseError(f"{what}已损坏（{name} 无法解析）", where=where) from None
