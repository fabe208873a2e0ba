"""Laying out an upload for the library (no database): safe paths, ZIPs made on Chinese Windows,
hidden and system files, encrypted members, the explicit limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from gongkai_web.audits.unpack import HIDDEN, Limits, Stored, clean_parts, lay_out, member_name, size_text

LIMITS = Limits(max_file=1024, max_unpacked=4096, max_files=5, max_ratio=200)


def zipped(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return out.getvalue()


def encrypted(name: str, data: bytes) -> bytes:
    """A one-member ZIP whose member says it is encrypted (flag bit 0 in both of its headers)."""
    raw = bytearray(zipped((name, data)))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.index(signature) + offset
        raw[at] |= 0x1
    assert zipfile.ZipFile(io.BytesIO(bytes(raw))).infolist()[0].flag_bits & 0x1
    return bytes(raw)


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_paths_never_leave_the_folder() -> None:
    assert clean_parts("../../etc/passwd") == ["etc", "passwd"]
    assert clean_parts("/abs/./年报\\2024.pdf") == ["abs", "年报", "2024.pdf"]
    assert clean_parts("a\x00b/\x1fc.txt") == ["ab", "c.txt"]
    assert clean_parts("") == ["未命名文件"]
    long = "很" * 120 + ".pdf"
    (part,) = clean_parts(long)
    assert part.endswith(".pdf") and len(part.encode()) <= 200


def test_gbk_member_names_without_the_utf8_flag() -> None:
    info = zipfile.ZipInfo("年报.txt".encode("gbk").decode("cp437"))
    assert member_name(info) == "年报.txt"
    utf8 = zipfile.ZipInfo("年报.txt")
    utf8.flag_bits |= 0x800
    assert member_name(utf8) == "年报.txt"


def test_lay_out(tmp_path: Path) -> None:
    root = tmp_path / "upload"
    problems = lay_out([
        Stored("a.txt", 1, b"a"),
        Stored("a.txt", 1, b"b"),                      # the same name twice: both kept
        Stored("目录/.DS_Store", 1, b"x"),              # system file: left out silently
        Stored(".隐藏.txt", 1, b"x"),                   # hidden: listed
        Stored("大.pdf", 5000, None, "文件过大"),         # refused at upload: listed with its reason
        Stored("包.zip", 0, zipped(("年报/b.txt", b"bb"), ("__MACOSX/._b.txt", b""), ("年报/.c.txt", b"c"),
                                   ("年报/大.txt", b"x" * 2000))),
        Stored("密.zip", 0, encrypted("secret.txt", b"s")),
        Stored("../../逃出.txt", 1, b"e"),
    ], root, LIMITS)
    assert files_under(root) == {"a.txt", "a（2）.txt", "包.zip/年报/b.txt", "逃出.txt"}
    reasons = {p.source: p.reason for p in problems}
    assert reasons[".隐藏.txt"] == HIDDEN and reasons["包.zip/年报/.c.txt"] == HIDDEN
    assert reasons["大.pdf"] == "文件过大"
    assert "超过单个文件 1 KB 的上限" in reasons["包.zip/年报/大.txt"]
    assert "密码" in reasons["密.zip/secret.txt"]
    assert not any("DS_Store" in s or "MACOSX" in s for s in reasons)
    assert (tmp_path / "逃出.txt").exists() is False


def test_file_count_and_unpacked_size_limits(tmp_path: Path) -> None:
    many = zipped(*[(f"{i}.txt", b"x" * 900) for i in range(7)])
    problems = lay_out([Stored("多.zip", 0, many)], tmp_path / "u", LIMITS)
    # 4096 bytes unpacked at most: four files of 900 fit, the fifth would pass the limit
    assert len(files_under(tmp_path / "u")) == 4
    assert sum("解压后总大小超过 4 KB" in p.reason for p in problems) == 3
    problems = lay_out([Stored(f"{i}.txt", 1, b"x") for i in range(7)], tmp_path / "v", LIMITS)
    assert len(files_under(tmp_path / "v")) == 5
    assert [p.source for p in problems] == ["5.txt", "6.txt"] and "最多 5 个文件" in problems[0].reason


def test_sizes_in_words() -> None:
    assert size_text(50 * 1024 * 1024) == "50.0 MB"
    assert size_text(2048) == "2 KB"
    assert size_text(12) == "12 字节"


def test_names_as_sent_are_made_storable() -> None:
    from gongkai_web.audits.actions import Upload

    assert Upload("a\x00b\x1f.txt", 1, io.BytesIO(b"")).name == "ab.txt"
    assert Upload("\ud800年报.txt", 1, io.BytesIO(b"")).name == "?年报.txt"
    assert Upload("\x00", 1, io.BytesIO(b"")).name == "未命名文件"


def test_stored_results_hold_no_temporary_path_nul_or_lone_surrogate(tmp_path: Path) -> None:
    from gongkai_web.audits.jobs import _Paths

    paths = _Paths(tmp_path / "upload")
    raw = {"message": f"“{tmp_path / 'upload' / '年报.pdf'}”第1页\x00乱码\udcff", "n": [1, None, "a"]}
    assert paths.clean(raw) == {"message": "“年报.pdf”第1页乱码?", "n": [1, None, "a"]}
    assert paths.rel(str(tmp_path / "upload" / "目录" / "a.txt")) == "目录/a.txt"


def test_a_file_and_a_folder_of_one_name(tmp_path: Path) -> None:
    root = tmp_path / "u"
    problems = lay_out([Stored("年报", 1, b"a"), Stored("年报/b.txt", 1, b"b"),
                        Stored("包.zip", 0, zipped(("x", b"1"), ("x/y.txt", b"2")))], root, LIMITS)
    assert files_under(root) == {"年报", "包.zip/x"}
    assert {p.source for p in problems} == {"年报/b.txt", "包.zip/x/y.txt"}
    assert all("冲突" in p.reason for p in problems)


def test_folder_paths_from_the_page_script() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai_web.audits.views import _folder_names

    files = [SimpleUploadedFile("page.html", b""), SimpleUploadedFile("page.txt", b"")]
    sent = '["县/甲局/page.html", "县/甲局/page.txt"]'
    assert _folder_names(files, sent) == ["县/甲局/page.html", "县/甲局/page.txt"]
    # without the script (or a path that does not end in the file's name): the names alone
    assert _folder_names(files, "") == ["page.html", "page.txt"]
    assert _folder_names(files, '["县/page.html"]') == ["page.html", "page.txt"]
    assert _folder_names(files, '["县/a.html", "县/page.txt"]') == ["page.html", "县/page.txt"]
    assert _folder_names(files, "not json") == ["page.html", "page.txt"]
