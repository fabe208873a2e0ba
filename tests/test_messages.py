"""One message type for every stage, one catalogue; docs/messages.md is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gongkai
from check_support import SEED, good
from gongkai.check.docs import messages_markdown
from gongkai.messages import CATALOGUE, Location, Message, Notice, catalogue
from gongkai.model import Loc

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "messages.md"
SRC = ROOT / "src" / "gongkai"


def test_docs_messages_md_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == messages_markdown(), \
        "docs/messages.md 已过期：运行 gongkai rules --messages --markdown > docs/messages.md"


def test_every_message_is_declared_with_chinese_text() -> None:
    specs = catalogue()
    assert {s.stage for s in specs.values()} == {"read", "check", "render"}
    for s in specs.values():
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+|[a-z0-9]+\.[EWI]\d{3}", s.id), s.id
        assert re.search(r"[\u4e00-\u9fff]", s.title), s.id
        assert s.about == ("document" if s.stage == "check" else "reading")


#: the ways reader and writer code raise a message with a literal id
_EMITS = re.compile(r"""(?:\.note|Notice|notices\.append)\(\(?\s*["']([a-z0-9_]+\.[a-zA-Z0-9_]+)["']""")
_CONST = re.compile(r"""^(W_[A-Z_]+)\s*=\s*["']([a-z]+\.[A-Z]\d{3})["']""", re.M)


def emitted_ids() -> set[str]:
    """Every message id a reader or writer emits, found in the source."""
    ids: set[str] = set()
    for path in (*SRC.glob("readers/*.py"), *SRC.glob("writers/*.py"), *SRC.glob("check/*.py"), SRC / "model.py"):
        text = path.read_text(encoding="utf-8")
        ids.update(_EMITS.findall(text))
        ids.update(v for _, v in _CONST.findall(text))
    return ids


def test_every_id_a_reader_or_writer_emits_is_in_the_catalogue() -> None:
    found = emitted_ids()
    assert {"glued.ambiguous", "pdf.image_page", "xlsx.formula", "render.W001"} <= found  # the scan sees them
    assert sorted(found - set(CATALOGUE)) == []


def _corpus_sources() -> list[Path]:
    return sorted(p for d in ("corpus", "corpus_portal", "corpus_pdf") for p in (ROOT / "tests" / d).rglob("source.*"))


def test_every_id_the_readers_emit_on_the_corpora_is_in_the_catalogue() -> None:
    seen: set[str] = set()
    for src in _corpus_sources():
        try:
            r = gongkai.parse(src)
        except gongkai.GongkaiError:
            continue
        seen.update(w.id for w in r.warnings)
    assert seen, "the corpora raise some reader notices"
    assert sorted(seen - set(CATALOGUE)) == []


def test_a_notice_is_a_message_of_the_read_stage() -> None:
    n = Notice("glued.ambiguous", "表二“行政规范性文件”：连写数字“97253”有 3 种拆分", Loc(line=12))
    assert isinstance(n, Message)
    assert (n.code, n.id, n.stage, n.severity, n.about, n.loc) == (
        "glued.ambiguous", "glued.ambiguous", "read", "warning", "reading", Loc(line=12))
    assert n.hint and "连写" not in n.id
    # stored compactly in the report model; the rest follows from the catalogue
    assert n.to_dict() == {"code": "glued.ambiguous", "message": "表二“行政规范性文件”：连写数字“97253”有 3 种拆分",
                           "loc": {"line": 12}}
    w = Notice("render.W001", "表三有2个单元格未填写")
    assert (w.stage, w.severity) == ("render", "warning")
    m = n.stamped(report="某县2021年度报告", source="a.txt", ref="7")
    assert type(m) is Message and Message.from_dict(m.to_dict()) == m
    assert m.to_dict()["stage"] == "read" and m.to_dict()["location"]["source_place"] == "第12行"


def test_the_report_json_keeps_its_notices() -> None:
    r = good()
    r.warnings.append(Notice("meta.year", "报告年度按发布日期推定为 2021 年", Loc(line=1)))
    back = gongkai.Report.from_json(r.to_json())
    assert back.warnings == r.warnings and back.warnings[0].severity == "info"


def test_reader_notices_are_reading_notices_in_the_check_result() -> None:
    r = good()
    r.table("appeals").set("review", "upheld", 1)
    r.warnings.append(Notice("pdf.image_page", "第3页只有图片、没有文字，可能是扫描页，未能读取"))
    r.ref = "r-1"
    res = gongkai.validate(r)
    rr = res.reports[0]
    assert [(f.id, f.about, f.ref) for f in rr.notices] == [("struct.I001", "reading", "r-1")]
    assert "第3页只有图片" in rr.notices[0].message
    assert [f.id for f in rr.document_findings] == ["t4.E001"]
    assert res.count("warning") == 0 and res.count("info") == 0 and res.summary() == \
        "发现 1 个错误，0 个警告；另有 1 条读取提示（读取不确定，不是机关的错误）"
    # reading notices never make a report invalid
    r.table("appeals").set("review", "upheld", 0)
    ok = gongkai.validate(r)
    assert ok.valid and ok.reports[0].notices and ok.errors == []
    assert ok.to_dict()["summary"]["reading"] == 1 and ok.to_dict()["reports"][0]["counts"]["reading"] == 1


def test_the_terminal_shows_reading_notices_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.cli import main

    r = good()
    r.warnings.append(Notice("pdf.image_page", "第3页只有图片、没有文字，可能是扫描页，未能读取"))
    p = tmp_path / "a.json"
    p.write_text(r.to_json(), encoding="utf-8")
    assert main(["check", "--no-hints", str(p), str(SEED)]) == 0
    out = capsys.readouterr().out
    assert (f"{p}:读取: struct.I001 〔读取提示，不是报告的问题〕读取提示（PDF 中有图片页（扫描件），其中的文字未读取"
            "（OCR 已关闭或未识别出文字），pdf.image_page）：第3页只有图片、没有文字，可能是扫描页，未能读取") in out
    assert out.strip().splitlines()[-1] == "发现 0 个错误，1 个警告；另有 1 条读取提示（读取不确定，不是机关的错误）"


def test_location_lives_with_the_message() -> None:
    from gongkai.check import Finding
    from gongkai.check import Location as CheckLocation

    assert Finding is Message and CheckLocation is Location


def test_validity_and_counts_look_at_document_findings_only() -> None:
    from gongkai.check import ReportResult

    doc = Message("t4.E001", "error", "表四“行政复议”：总计 0 ≠ …")
    unsure = Message("struct.I002", "error", "表二某行未能读出", about="reading")
    rr = ReportResult(0, findings=[unsure])
    assert rr.valid and rr.count("error") == 0 and rr.to_dict()["counts"] == {
        "error": 0, "warning": 0, "info": 0, "reading": 1}
    rr.findings.append(doc)
    assert not rr.valid and rr.count("error") == 1


def test_outputs_keep_reading_notices_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from gongkai.cli import main

    r = good()
    r.warnings.append(Notice("pdf.image_page", "第3页只有图片、没有文字，可能是扫描页，未能读取"))
    (tmp_path / "a.json").write_text(r.to_json(), encoding="utf-8")
    bad = good("测试县财政局")
    bad.table("appeals").set("review", "upheld", 2)
    (tmp_path / "b.json").write_text(bad.to_json(), encoding="utf-8")
    x, h, j = tmp_path / "o.xlsx", tmp_path / "o.html", tmp_path / "o.json"
    assert main(["check", "-j", "1", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--xlsx", str(x),
                 "--html", str(h), "--json", str(j)]) == 1
    capsys.readouterr()
    wb = load_workbook(x)
    notes = list(wb["读取提示"].iter_rows(values_only=True))
    assert [(n[0], n[3]) for n in notes[1:]] == [(str(tmp_path / "a.json"), "struct.I001")]
    assert "struct.I001" not in [row[3] for row in wb["问题清单"].iter_rows(values_only=True)]
    assert [row[3:8] for row in wb["报告清单"].iter_rows(min_row=2, values_only=True)] == [
        ("通过", 0, 0, 0, 1), ("有错误", 1, 1, 0, 0)]  # b: t4.E001, and xagency.W001 (the builder's overview)
    page = h.read_text(encoding="utf-8")
    block = page.split('id="r0"')[1].split('id="r1"')[0]
    assert '<div class="reading"><b>读取提示（读取不确定，不是机关的错误）</b>' in block and "未发现报告本身的问题" in block
    data = __import__("json").loads(j.read_text(encoding="utf-8"))
    assert (data["summary"]["error"], data["summary"]["reading"]) == (1, 1)
    assert [rr["valid"] for rr in data["reports"]] == [True, False]
