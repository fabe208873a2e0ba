"""Laying out an upload as a folder for the library's batch reader, ZIPs unpacked with limits.

The job writes every stored file under one temporary folder (the folder paths of a folder upload
kept, so a portal page's ``page.html`` and ``page.txt`` stay side by side and are read as one
report) and unpacks each ZIP into a folder named after it.  Everything that cannot be laid out —
a file refused at upload, a damaged ZIP, a zip bomb, an encrypted member — becomes a ``Problem``
(the file and a Chinese reason) instead of an exception.  Which files are reports is the library's
business: ``gongkai.check_files`` reads the folder and lists what it skips (``.doc``, images …).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: ZIP flag bits: bit 0 the member is encrypted; bit 11 its name is UTF-8
_ENCRYPTED = 0x1
_UTF8 = 0x800
_CHUNK = 1 << 16
#: members smaller than this are never called zip bombs, whatever their ratio
_BOMB_FLOOR = 1 << 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    max_file: int
    max_unpacked: int
    max_files: int
    max_ratio: int


@dataclass(frozen=True)
class Problem:
    """A file that is not read, and why (shown as a result row)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Stored:
    """A file of the upload as the job gets it from the database."""

    name: str
    size: int
    content: bytes | None
    refused: str = ""


def size_text(n: int) -> str:
    """``50.0 MB``, ``320 KB``, ``12 字节``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} 字节"


def clean_parts(name: str) -> list[str]:
    """The folder path of a name, safe to write under a folder: no absolute paths, no ``..``, no
    control characters, no component longer than a file system takes."""
    parts = []
    for part in re.split(r"[/\\]+", name):
        part = _CONTROL.sub("", part).strip()
        if part in ("", ".", ".."):
            continue
        if len(part.encode()) > 200:
            stem, ext = os.path.splitext(part)
            part = stem[:60] + ext[:20]
        parts.append(part)
    return parts or ["未命名文件"]


def _free(path: Path) -> Path:
    """``path``, or ``name（2）.ext`` … when a file of that name is already there."""
    if not path.exists():
        return path
    stem, ext = os.path.splitext(path.name)
    n = 2
    while (candidate := path.with_name(f"{stem}（{n}）{ext}")).exists():
        n += 1
    return candidate


def _write(root: Path, parts: list[str], data: bytes) -> str | None:
    """Write the file; why it could not be written (a folder and a file of one name …), or None."""
    try:
        target = _free(root.joinpath(*parts))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as e:
        return f"无法按此名称整理文件（与同名的文件或文件夹冲突，或名称不被文件系统接受：{e.strerror or e}），未读取；请改名后重新上传"
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author saw it: ZIPs made on Chinese Windows store GBK names without
    the UTF-8 flag, which Python decodes as CP437."""
    if info.flag_bits & _UTF8:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


#: files the operating system leaves in folders and ZIPs (nobody put them there on purpose)
_JUNK = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
HIDDEN = "隐藏文件（名称以“.”开头），未读取；如确是年报，请改名后重新上传"


def _silent(parts: list[str]) -> bool:
    """Files nobody put there on purpose: macOS resource forks and folder files, Windows thumbnails."""
    return parts[0] == "__MACOSX" or parts[-1].lower() in _JUNK or parts[-1].startswith("._")


def _hidden(parts: list[str]) -> bool:
    """The library's folder reading leaves hidden files out silently: they are listed instead."""
    return any(p.startswith(".") for p in parts)


def unpack_zip(name: str, data: bytes, root: Path, limits: Limits, budget: list[int]) -> list[Problem]:
    """Unpack the ZIP ``name`` into the folder ``root/name``; ``budget`` holds the number of files
    the batch may still take (shared across ZIPs)."""
    problems: list[Problem] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        return [Problem(name, f"压缩包已损坏或不是 ZIP 格式，无法打开（{e}）；请重新压缩后再上传")]
    base = clean_parts(name)
    unpacked = 0
    with archive:
        for info in members:
            if info.is_dir():
                continue
            inner = member_name(info)
            parts = clean_parts(inner)
            if _silent(parts):
                continue
            shown = "/".join([*base, *parts])
            if _hidden(parts):
                problems.append(Problem(shown, HIDDEN))
                continue
            if budget[0] <= 0:
                problems.append(Problem(shown, f"一次核查最多 {limits.max_files} 个文件，此文件及之后的文件未解压；请分批上传"))
                break
            if info.flag_bits & _ENCRYPTED:
                problems.append(Problem(shown, "压缩包内的文件设有密码，无法解压；请去掉密码后重新压缩上传"))
                continue
            if info.file_size > limits.max_file:
                problems.append(Problem(shown, f"文件过大（{size_text(info.file_size)}），超过单个文件 "
                                               f"{size_text(limits.max_file)} 的上限，未解压"))
                continue
            if info.file_size > _BOMB_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                problems.append(Problem(shown, f"压缩比异常（解压后是压缩后的 {ratio} 倍），疑似“压缩炸弹”，未解压"))
                continue
            if unpacked + info.file_size > limits.max_unpacked:
                problems.append(Problem(shown, f"压缩包解压后总大小超过 {size_text(limits.max_unpacked)} 的上限，"
                                               "此文件未解压；请分成几个压缩包上传"))
                continue
            try:
                content = _read_member(archive, info, limits.max_file)
            except _TooLarge:
                problems.append(Problem(shown, f"文件解压后超过单个文件 {size_text(limits.max_file)} 的上限"
                                               "（与压缩包记录的大小不符，疑似“压缩炸弹”），未解压"))
                continue
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError,
                    ValueError) as e:
                problems.append(Problem(shown, f"压缩包内的文件已损坏或使用了不支持的压缩方式，无法解压（{e}）"))
                continue
            unpacked += len(content)
            budget[0] -= 1
            if (why := _write(root, [*base, *parts], content)) is not None:
                problems.append(Problem(shown, why))
    return problems


class _TooLarge(Exception):
    pass


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The member's bytes, never more than ``cap`` whatever its header says."""
    out = bytearray()
    with archive.open(info) as src:
        while chunk := src.read(_CHUNK):
            out += chunk
            if len(out) > cap:
                raise _TooLarge
    return bytes(out)


def is_zip(name: str) -> bool:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower() == ".zip"


def lay_out(files: Iterable[Stored], root: Path, limits: Limits) -> list[Problem]:
    """Write the upload under ``root`` (ZIPs unpacked); the files that could not be laid out."""
    root.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    budget = [limits.max_files]
    for f in files:
        if f.content is None:
            problems.append(Problem(f.name, f.refused or "文件未保存，无法读取"))
            continue
        parts = clean_parts(f.name)
        if _silent(parts):
            continue
        if _hidden(parts):
            problems.append(Problem(f.name, HIDDEN))
            continue
        if is_zip(f.name):
            problems.extend(unpack_zip(f.name, f.content, root, limits, budget))
            continue
        if budget[0] <= 0:
            problems.append(Problem(f.name, f"一次核查最多 {limits.max_files} 个文件，此文件未读取；请分批上传"))
            continue
        budget[0] -= 1
        if (why := _write(root, parts, f.content)) is not None:
            problems.append(Problem(f.name, why))
    return problems
