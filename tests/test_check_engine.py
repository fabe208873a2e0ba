"""The engine: selection by id/prefix/tag, settings, results as data, validate over files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import gongkai
from check_support import SEED, good
from gongkai.check import CheckConfig, ConfigError, SelectionError, load_config, select_rules


def ids(**kw: object) -> set[str]:
    return {r.id for r in select_rules(**kw)}  # type: ignore[arg-type]


def test_select_by_id_prefix_and_tag() -> None:
    assert ids(select=["t3.E001"]) == {"t3.E001"}
    assert ids(select=["t4"]) == {"t4.E001", "t4.E002", "t4.W001"}
    assert ids(select=["t3.W"]) == {"t3.W001"}
    assert ids(select=["copying"]) == {"xyear.W002", "xagency.W001"}
    assert ids(select=["identity"]) == {"t3.E001", "t3.E002", "t3.E003", "t4.E001"}
    assert "t4.E001" not in ids(ignore=["arithmetic"])
    assert ids(select=["t4"], ignore=["t4.W001"]) == {"t4.E001", "t4.E002"}


def test_unknown_selection_is_a_chinese_error() -> None:
    with pytest.raises(SelectionError, match=r"“t3\.E999”不匹配任何规则"):
        select_rules(select=["t3.E999"])


def test_validate_select_ignore_and_config_dict() -> None:
    r = good()
    r.table("appeals").set("review", "upheld", 1)
    assert gongkai.validate(r).ids() == ["t4.E001"]
    assert gongkai.validate(r, ignore="t4").ids() == []
    assert gongkai.validate(r, config={"ignore": ["arithmetic"]}).ids() == []
    assert gongkai.validate(r, config={"select": ["content"]}).ids() == []


def test_result_is_data() -> None:
    r = good()
    r.table("appeals").set("review", "upheld", 1)
    res = gongkai.validate(r)
    d = res.to_dict()
    assert d["valid"] is False and d["summary"]["error"] == 1 and d["summary"]["reports"] == 1
    assert [(rr["label"], rr["valid"], rr["counts"]["error"]) for rr in d["reports"]] == [
        ("测试县人民政府2021年度报告", False, 1)]
    f = d["reports"][0]["findings"][0]
    assert f["id"] == "t4.E001" and f["severity"] == "error" and f["report"] == "测试县人民政府2021年度报告"
    assert f["location"] == {"table": "appeals", "row": "review", "column": "total", "label": "表四/行政复议"}
    assert f["hint"] == "每组的“总计”应为结果维持、结果纠正、其他结果、尚未审结之和"
    assert res.summary() == "发现 1 个错误，0 个警告"


def test_check_files_reads_and_reports_the_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    res = gongkai.check_files([SEED, bad], workers=1).result()
    assert [(r.label, r.ref, r.read) for r in res.reports] == [
        ("方正县会发镇人民政府2021年度报告", str(SEED), True), (str(bad), str(bad), False)]
    assert [(r.source, r.unreadable) for r in res.unreadable] == [
        (str(bad), "文件像是 Word/Excel 文件，但已损坏，无法打开")]
    assert not res.valid and res.errors == []
    assert all(f.ref == str(SEED) for f in res.reports[0].findings) and res.reports[0].findings


def test_validate_takes_reports_only(tmp_path: Path) -> None:
    with pytest.raises(gongkai.GongkaiError, match=r"validate 只接受 Report 对象.*gongkai\.check_files"):
        gongkai.validate(str(SEED))  # type: ignore[arg-type]
    with pytest.raises(gongkai.GongkaiError, match="得到 PosixPath"):
        gongkai.validate([good(), SEED])  # type: ignore[list-item]


def test_config_deadlines_and_kinds() -> None:
    cfg = CheckConfig.from_dict({"deadlines": {"department": "1月20日", "jurisdictions": {
        "方正县": {"government": "02-28"}, "方正县会发镇": {"government": "01-10"}}}})
    assert cfg.kind_of("方正县会发镇人民政府") == "township"
    assert cfg.kind_of("方正县财政局") == "department"
    assert cfg.deadline_for("方正县财政局")[0].zh() == "1月20日"
    d, kind, jur = cfg.deadline_for("方正县会发镇人民政府")
    # no township rule is set: the township is held to the government's, and the longer key wins
    assert (d.zh(), kind, jur) == ("1月10日", "township", "方正县会发镇")
    assert cfg.deadline_for("方正县人民政府")[0].zh() == "2月28日"


@pytest.mark.parametrize(("raw", "msg"), [
    ({"colour": 1}, "未知的设置项：colour"),
    ({"deadlines": {"department": "13-01"}}, "期限“13-01”应写作 MM-DD"),
    ({"thresholds": {"speed": 1}}, "未知的阈值“speed”"),
])
def test_bad_settings(raw: dict[str, object], msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        CheckConfig.from_dict(raw)


def test_load_config_forms(tmp_path: Path) -> None:
    a = tmp_path / "gongkai.toml"
    a.write_text('select = ["t3"]\n[thresholds]\ncopying = 0.9\n', encoding="utf-8")
    assert load_config(a).select == ("t3",) and load_config(a).copying == 0.9
    b = tmp_path / "pyproject.toml"
    b.write_text('[project]\nname = "x"\n[tool.gongkai.check]\nignore = "content,time"\n', encoding="utf-8")
    assert load_config(b).ignore == ("content", "time")
    with pytest.raises(ConfigError, match="设置文件不存在"):
        load_config(tmp_path / "none.toml")


def test_copying_threshold_from_settings() -> None:
    a, b = good("甲县人民政府"), good("乙县人民政府")
    assert gongkai.validate([a, b], select=["xagency"]).ids() == ["xagency.W001"]
    b.sections["overview"] = b.sections["overview"][:60] + "。另写的内容：本县重点推进乡村振兴领域信息公开，覆盖全部行政村。" * 2
    low = gongkai.validate([a, b], select=["xagency"], config={"thresholds": {"copying": 0.2}})
    high = gongkai.validate([a, b], select=["xagency"], config={"thresholds": {"copying": 0.99}})
    assert low.ids() == ["xagency.W001"] and high.ids() == []


def test_calendar_files_from_settings_move_the_deadline(tmp_path: Path) -> None:
    r = good("测试县人民政府", 2026)
    r.published = date(2027, 4, 1)  # 2027-03-31 is a Wednesday: one day late on the fallback calendar
    assert gongkai.validate(r, select=["time"]).ids() == ["time.E001"]
    cal = tmp_path / "2027.toml"
    cal.write_text('year = 2027\n[off]\n"假设的假日" = ["2027-03-31"]\n', encoding="utf-8")
    res = gongkai.validate(r, select=["time"], config={"calendar": [str(cal)]})
    assert res.ids() == []
    r.published = date(2027, 4, 2)
    res = gongkai.validate(r, select=["time"], config={"calendar": [str(cal)]})
    assert [f.message for f in res.findings] == [
        "发布日期 2027年4月2日，晚于本级政府年报的公布期限 2027年3月31日（条例第四十九条；按名称推断为人民政府）"
        "（期限日为休息日，顺延至2027年4月1日）"]


def test_check_files_over_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(good("甲县人民政府").to_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(good("乙县人民政府").to_json(), encoding="utf-8")
    (tmp_path / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    res = gongkai.check_files([tmp_path], workers=1).result()
    assert [r.label for r in res.reports] == ["甲县人民政府2021年度报告", "乙县人民政府2021年度报告"]
    # the two share the builder's overview except for the agency name: across-report rules ran
    assert res.ids() == ["xagency.W001"]
    assert res.findings[0].source == str(tmp_path / "b.json")
    assert res.findings[0].ref == str(tmp_path / "b.json") and res.reports[1].findings == res.findings
    assert [(s.source, s.reason) for s in res.skipped] == [
        (str(tmp_path / "c.doc"), "旧版 Word 文档（.doc）无法读取，请另存为 .docx 后再核查")]


def test_findings_carry_the_ref_and_two_copies_stay_two() -> None:
    a, b = good(), good()
    a.table("appeals").set("review", "upheld", 1)
    b.table("appeals").set("review", "upheld", 2)
    a.ref, b.ref = "db:17", "db:18"
    res = gongkai.validate([a, b])
    assert [(rr.index, rr.ref, rr.label) for rr in res.reports] == [
        (0, "db:17", "测试县人民政府2021年度报告"), (1, "db:18", "测试县人民政府2021年度报告")]
    assert [f.ref for f in res.reports[0].findings if f.id == "t4.E001"] == ["db:17"]
    assert [f.ref for f in res.reports[1].findings if f.id == "t4.E001"] == ["db:18"]
    assert res.count("error") >= 2 and res.summary_dict()["reports"] == 2
    # the two versions of one agency's year differ: the finding lands on the second, told apart by
    # its ref and position, not by the label both share
    assert [f.ref for f in res.reports[1].findings if f.id == "xyear.W004"] == ["db:18"]
    assert not [f for f in res.reports[0].findings if f.id == "xyear.W004"]
    assert [rr.ref for rr in res.by_ref("db:18")] == ["db:18"]
