"""``gongkai parse``: one object for one file, a list for several, stdin, --debug, errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main

SEED = Path(__file__).parent / "corpus" / "seed-2021-huifa" / "source.txt"


def test_one_file_prints_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, dict)
    assert (out["format"], out["agency"], out["year"], out["published"]) == ("2021", "方正县会发镇人民政府", 2021, "2022-01-20")
    assert out["tables"]["requests"]["new"]["total"] == 0
    assert out["tables"]["appeals"]["review"]["upheld"] == 0
    assert set(out["sections"]) >= {"overview", "problems", "other"}
    # provenance sits beside the data keys, not inside them
    assert out["provenance"]["tables"]["requests"]["new"]["total"]["loc"]["line"] == 110


def test_several_files_print_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), str(SEED), "--no-provenance"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, list) and len(out) == 2
    assert "provenance" not in out[0]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes()), encoding="utf-8"))
    assert main(["parse", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["agency"] == "方正县会发镇人民政府"


def test_debug_shows_blocks_and_label_matches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--debug", str(SEED)]) == 0
    err = capsys.readouterr().err
    assert "分块" in err and "标签匹配" in err
    assert "denied.state_secret：“1.属于国家秘密” 匹配" in err
    assert "表四：表头止于" in err


def test_missing_file_is_exit_2_with_chinese_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "无此文件.txt")]) == 2
    err = capsys.readouterr().err
    assert "文件不存在" in err and "无此文件.txt" in err
    assert "Traceback" not in err


def test_command_line_entry_point_runs(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 50)
    p = subprocess.run([sys.executable, "-m", "gongkai", "parse", str(junk)], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2
    assert "不是文本文件" in p.stderr and "Traceback" not in p.stderr


def test_the_json_model_reads_back_as_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    model = tmp_path / "seed.json"
    model.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["parse", str(model)]) == 0
    again = json.loads(capsys.readouterr().out)
    first = json.loads(model.read_text(encoding="utf-8"))
    assert again == first


def test_a_broken_json_model_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2021", "tables": {"requests": {"no_such_row": {"total": 1}}}}', encoding="utf-8")
    assert main(["parse", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no_such_row" in err and "Traceback" not in err


def test_a_wrong_extension_names_what_the_file_claimed_to_be(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "年报.pdf"
    fake.write_bytes(b"\x00\x01\x02 not a pdf" * 100)
    assert main(["parse", str(fake)]) == 2
    err = capsys.readouterr().err
    assert "扩展名是 .pdf" in err and "不是有效的 PDF 文件" in err and "Traceback" not in err
    # a real report behind a wrong extension is read by its content
    seed_as_docx = tmp_path / "seed.docx"
    seed_as_docx.write_bytes(SEED.read_bytes())
    assert main(["parse", str(seed_as_docx), "--no-provenance"]) == 0
    assert json.loads(capsys.readouterr().out)["agency"] == "方正县会发镇人民政府"
