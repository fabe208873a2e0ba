"""``gongkai render`` and ``gongkai new``: thin shells over ``gongkai.render``."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from gongkai import Report
from gongkai.cli import main

SEED = Path(__file__).resolve().parent / "corpus/seed-2021-huifa/source.txt"


def test_render_a_document_to_docx_and_md(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "seed.docx"
    assert main(["render", str(SEED), "--to", "docx", "-o", str(out)]) == 0
    d = docx.Document(str(out))
    assert len(d.tables) == 3
    assert "已输出" in capsys.readouterr().err
    md = tmp_path / "seed.md"
    assert main(["render", str(SEED), "-o", str(md)]) == 0  # target from the extension
    assert md.read_text(encoding="utf-8").startswith("# 方正县会发镇2021年政府信息公开工作年度报告")


def test_render_json_model_to_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    model = tmp_path / "r.json"
    r = Report.blank("2021", agency="某局", year=2022, fill=3)
    model.write_text(r.to_json(), encoding="utf-8")
    assert main(["render", str(model), "--to", "html", "-o", "-", "-q"]) == 0
    out = capsysbinary.readouterr()
    assert out.out.startswith(b"<!DOCTYPE html>") and "某局2022年".encode() in out.out
    assert out.err == b""


def test_render_warns_about_blank_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    model = tmp_path / "r.json"
    r = Report.blank("2021", agency="某局", year=2022, fill=1)
    r.table("appeals").set("review", "total", None)
    model.write_text(r.to_json(), encoding="utf-8")
    assert main(["render", str(model), "--to", "csv", "-o", str(tmp_path / "r.csv")]) == 0
    err = capsys.readouterr().err
    assert "提示：" in err and "表四" in err and "render.W001" in err


@pytest.mark.parametrize("argv, message", [
    (["--to", "rtf"], "不支持的输出格式“rtf”"),
    ([], "请用 --to 指定输出格式"),
])
def test_render_bad_target(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str):
    assert main(["render", str(SEED), *argv]) == 2
    assert message in capsys.readouterr().err


def test_render_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["render", str(tmp_path / "无此文件.json"), "--to", "md"]) == 2
    assert "文件不存在" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2021", "tables": {"requests": {"nope": {}}}}', encoding="utf-8")
    assert main(["render", str(bad), "--to", "md"]) == 2
    assert "没有“nope”这一行" in capsys.readouterr().err
    same = tmp_path / "same.md"
    same.write_bytes(SEED.read_bytes())
    assert main(["render", str(same), "--to", "md", "-o", str(same)]) == 2
    assert "输出文件与输入文件相同" in capsys.readouterr().err
    assert same.read_bytes() == SEED.read_bytes()


def test_new_writes_a_blank_report_of_the_right_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "blank.json"
    assert main(["new", "--agency", "某县某局", "--year", "2020", "-o", str(out)]) == 0
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["format"] == "2019" and raw["agency"] == "某县某局" and raw["year"] == 2020
    assert raw["tables"]["requests"]["other"]["total"] is None  # blank, to fill in; never 0
    assert raw["period"] == ["2020-01-01", "2020-12-31"]
    assert "国办公开办函〔2019〕60号" in capsys.readouterr().err
    d = tmp_path / "blank.docx"
    assert main(["new", "--agency", "某县某局", "--year", "2024", "-o", str(d), "--zeros"]) == 0
    doc = docx.Document(str(d))
    assert doc.paragraphs[0].text == "某县某局2024年政府信息公开工作年度报告"
    assert doc.tables[1].cell(3, 3).text == "0"


def test_new_refuses_years_without_a_national_format(capsys: pytest.CaptureFixture[str]):
    assert main(["new", "--agency", "某局", "--year", "2015"]) == 2
    assert "2015年度没有适用的全国统一年报格式" in capsys.readouterr().err


def test_help_is_chinese(capsys: pytest.CaptureFixture[str]):
    for cmd in ("render", "new"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        text = capsys.readouterr().out
        assert "输出格式" in text
