"""The one way in: ``gongkai.parse(source, *, name=None, options=None)`` and ``ReadOptions``."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import gongkai
import gongkai.schema
from gongkai import ModelError, ParseError, ReadOptions
from gongkai.cli import main
from gongkai.options import OptionsError

HERE = Path(__file__).resolve().parent
SEED = HERE / "corpus" / "seed-2021-huifa" / "source.txt"
SAMPLES = Path(os.environ.get("GONGKAI_SHARED") or HERE.parents[1] / "shared") / "samples"
PDF = SAMPLES / "pdf" / "淮安市洪泽区人民政府-2023.pdf"


# -- sources -------------------------------------------------------------------------------------

def test_a_path_bytes_and_a_binary_file_give_the_same_report() -> None:
    by_path = gongkai.parse(SEED)
    by_str = gongkai.parse(str(SEED))
    by_bytes = gongkai.parse(SEED.read_bytes(), name="会发镇.txt")
    with SEED.open("rb") as f:
        by_file = gongkai.parse(f)
    assert by_path == by_str == by_bytes == by_file
    assert by_path.agency == "方正县会发镇人民政府"
    assert by_path.source == str(SEED) and by_bytes.source == "会发镇.txt" and by_file.source == str(SEED)


def test_a_text_mode_file_is_a_clear_error() -> None:
    with SEED.open(encoding="utf-8") as f, pytest.raises(ParseError, match="二进制"):
        gongkai.parse(f)  # type: ignore[arg-type]


def test_an_unknown_source_type_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="无法读取 int 类型"):
        gongkai.parse(42)  # type: ignore[arg-type]


def test_a_folder_and_a_missing_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="文件夹") as e:
        gongkai.parse(tmp_path)
    assert e.value.where == str(tmp_path)
    with pytest.raises(ParseError, match="文件不存在"):
        gongkai.parse(tmp_path / "无此文件.txt")


def test_every_old_way_in_is_the_one_loader() -> None:
    from gongkai.check.batch import read_report
    from gongkai.readers import parse
    from gongkai.writers import load_report

    assert parse is gongkai.parse
    seed = gongkai.parse(SEED)
    assert load_report(SEED) == seed
    assert read_report("会发镇.txt", str(SEED)) == seed
    assert read_report("会发镇.txt", str(SEED)).source == "会发镇.txt"
    assert gongkai.parse_text(SEED.read_text(encoding="utf-8")) == seed


# -- options -------------------------------------------------------------------------------------

def test_options_resolve_like_the_check_config() -> None:
    assert ReadOptions.resolve(None) == ReadOptions()
    opts = ReadOptions(ocr="off")
    assert ReadOptions.resolve(opts) is opts
    assert ReadOptions.resolve({"pdf_seconds": 5, "ocr": "on"}) == ReadOptions(pdf_seconds=5, ocr="on")
    with pytest.raises(AttributeError):
        opts.ocr = "on"  # type: ignore[misc]  # frozen


@pytest.mark.parametrize(("raw", "words"), [
    ({"max_pdf_byte": 1}, ("未知的读取设置", "max_pdf_byte", "max_pdf_bytes")),
    ({"ocr": "yes"}, ("OCR", "auto、on、off")),
    ({"pdf_backend": "mupdf"}, ("PDF 读取引擎", "pdfium、pdfplumber")),
    ({"max_text_bytes": 0}, ("文本文件大小上限", "正整数")),
    ({"max_json_bytes": True}, ("JSON", "正整数")),
    ({"pdf_max_pages": 2.5}, ("页数", "正整数")),
    ({"pdf_seconds": -1}, ("时限", "正数")),
    ({"trace": "stderr"}, ("调试输出", "可调用")),
])
def test_bad_options_are_one_chinese_message(raw: dict[str, object], words: tuple[str, ...]) -> None:
    with pytest.raises(OptionsError) as e:
        gongkai.parse(SEED, options=raw)
    assert isinstance(e.value, gongkai.GongkaiError)
    for w in words:
        assert w in str(e.value)


def test_options_of_a_wrong_type_are_refused() -> None:
    with pytest.raises(OptionsError, match="无法识别的读取设置"):
        ReadOptions.resolve(["ocr"])  # type: ignore[arg-type]


def test_limits_are_per_kind_and_far_above_real_reports() -> None:
    opts = ReadOptions()
    largest_real = max(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file()) if SAMPLES.is_dir() else 0
    for kind in ("text", "html", "docx", "xlsx", "pdf", "json"):
        assert opts.max_bytes(kind) >= 10 * 1024 * 1024 > 20 * largest_real
    assert opts.max_input_bytes == max(opts.max_bytes(k) for k in ("text", "html", "docx", "xlsx", "pdf", "json"))
    assert opts.max_bytes("zip") == opts.max_input_bytes


def test_an_input_over_its_kinds_limit_is_refused_before_reading(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    small = {"max_text_bytes": len(data) - 1}
    with pytest.raises(ParseError, match="文本文件过大") as e:
        gongkai.parse(data, name="会发镇.txt", options=small)
    assert e.value.where == "会发镇.txt" and "上限" in e.value.message
    # the limit of another kind does not apply to a text
    assert gongkai.parse(data, options={"max_pdf_bytes": 10}).agency == "方正县会发镇人民政府"
    with pytest.raises(ParseError, match="文本过大"):
        gongkai.parse_text(data.decode("utf-8"), options=small)
    model = tmp_path / "seed.json"
    model.write_text(gongkai.parse(SEED).to_json(), encoding="utf-8")
    with pytest.raises(ParseError, match="JSON 数据模型过大"):
        gongkai.parse(model, options={"max_json_bytes": 100})


def test_a_file_larger_than_every_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(3000)  # a sparse file: only its size is known
    with pytest.raises(ParseError, match="文件过大") as e:
        gongkai.parse(big, options={k: 1000 for k in (
            "max_text_bytes", "max_html_bytes", "max_docx_bytes", "max_xlsx_bytes", "max_pdf_bytes",
            "max_json_bytes")})
    assert e.value.where == str(big)
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(ParseError, match="文件过大"):
        gongkai.parse(stream, options={"max_pdf_bytes": 1000, "max_docx_bytes": 1000, "max_text_bytes": 1000,
                                       "max_html_bytes": 1000, "max_xlsx_bytes": 1000, "max_json_bytes": 1000})


def test_trace_receives_the_blocks_and_the_label_matches() -> None:
    lines: list[str] = []
    report = gongkai.parse(SEED, options={"trace": lines.append})
    assert report.agency == "方正县会发镇人民政府"
    text = "\n".join(lines)
    assert "分块（text）" in text and "标签匹配" in text
    assert "denied.state_secret：“1.属于国家秘密” 匹配" in text


def test_trace_shows_the_blocks_even_when_the_document_is_not_a_report() -> None:
    lines: list[str] = []
    with pytest.raises(ParseError):
        gongkai.parse("这是一份会议通知。\n请各单位准时参加。\n".encode(), name="通知.txt",
                      options={"trace": lines.append})
    assert any("分块" in ln for ln in lines) and any("会议通知" in ln for ln in lines)


@pytest.mark.skipif(not PDF.is_file(), reason="shared samples absent")
def test_pdf_page_cap_and_backend_come_from_the_options() -> None:
    doc = gongkai.read_document(PDF, options={"pdf_max_pages": 1})
    assert ("pdf.pages", "PDF 共5页，只读取了前1页") in doc.notices
    assert {b.loc.page for b in doc.blocks if b.loc is not None} == {1}
    full = gongkai.parse(PDF)
    assert not any("只读取了前" in w.message for w in full.warnings)
    slow = gongkai.parse(PDF, options=ReadOptions(pdf_backend="pdfplumber"))
    assert slow == full


# -- the JSON model ------------------------------------------------------------------------------

def _model_without_format(tmp_path: Path) -> Path:
    raw = gongkai.parse(SEED).to_dict()
    del raw["format"]
    path = tmp_path / "无格式.json"
    path.write_text(gongkai.schema.dumps(raw), encoding="utf-8")
    return path


def test_a_model_without_format_is_a_clear_error(tmp_path: Path) -> None:
    path = _model_without_format(tmp_path)
    with pytest.raises(ModelError) as e:
        gongkai.parse(path)
    assert "缺少“format”" in e.value.message and "2021" in e.value.message and e.value.where == str(path)
    with pytest.raises(ModelError, match="缺少“format”"):
        gongkai.Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
    # a ModelError is a ParseError: callers catching reading errors catch it
    assert issubclass(ModelError, ParseError)


@pytest.mark.parametrize("command", [["parse"], ["check"], ["render", "--to", "html", "-o", "{out}"]])
def test_parse_check_and_render_refuse_a_model_without_format_alike(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _model_without_format(tmp_path)
    out_file = tmp_path / "out.html"
    argv = [c.format(out=out_file) for c in command] + [str(path)]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "缺少“format”" in out + err and "无格式.json" in out + err
    assert "Traceback" not in err and "内部错误" not in err
    assert not out_file.exists()


def test_a_model_with_an_unknown_format_is_a_clear_error() -> None:
    raw = gongkai.parse(SEED).to_dict()
    for bad in ("2030", 2021, ["2021"]):
        raw["format"] = bad
        with pytest.raises(ModelError, match="“format”应为 2021、2019 之一"):
            gongkai.parse(gongkai.schema.dumps(raw).encode(), name="m.json")


def test_anything_that_starts_with_a_brace_is_read_as_the_model() -> None:
    with pytest.raises(ModelError, match="JSON"):
        gongkai.parse(b'  {"agency": "x"', name="m.json")
    with pytest.raises(ModelError, match="缺少“format”"):
        gongkai.parse(b'\xef\xbb\xbf{"agency": "x"}', name="m.json")
    with pytest.raises(ModelError, match="JSON 对象"):
        gongkai.parse(b'[{"format": "2021"}]', name="m.json")
    with pytest.raises(ModelError, match="UTF-8"):
        gongkai.parse('{"format": "2021", "agency": "某局"}'.encode("gb18030"), name="m.json")
