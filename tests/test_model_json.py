"""The JSON model: checked by type before use (one message naming the key), read safely, written
exactly; the tidy cells of the model."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import ModelError, Report
from gongkai.cli import main
from gongkai.schema import MAX_DEPTH, check_model, loads, model_schema
from gongkai.values import parse_value

HERE = Path(__file__).resolve().parent
SEED = HERE / "corpus" / "seed-2021-huifa" / "source.txt"
FUZZ = Path(os.environ.get("GONGKAI_SHARED") or HERE.parents[1] / "shared") / "fuzz"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    return gongkai.parse(SEED).to_dict()


def _set(d: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    d = copy.deepcopy(d)
    *head, last = path.split(".")
    node: Any = d
    for k in head:
        node = node[int(k)] if isinstance(node, list) else node[k]
    node[int(last) if isinstance(node, list) else last] = value
    return d


@pytest.mark.parametrize(("path", "value", "message"), [
    ("provenance.tables.requests.new.total.loc", "第3行", "“provenance.tables.requests.new.total.loc”应为对象（实际是 文字“第3行”）"),
    ("provenance.tables.requests.new.total.loc.line", 1.5, "“provenance.tables.requests.new.total.loc.line”应为整数或null"),
    ("provenance.tables.requests.new", "2021", "“provenance.tables.requests.new”应为对象"),
    ("provenance.tables.requests.new.total.unit", Decimal("0.5"), "“provenance.tables.requests.new.total.unit”应为文字或null（实际是 0.5）"),
    ("provenance.headings", 7, "“provenance.headings”应为对象（实际是 7）"),
    ("provenance.headings.overview.text", ["x"], "“provenance.headings.overview.text”应为文字或null（实际是 列表）"),
    ("provenance.tables.requests.new.total.uncertain", "yes", "“provenance.tables.requests.new.total.uncertain”应为true 或 false"),
    ("preamble", ["a", "b"], "“preamble”应为文字或null（实际是 列表）"),
    ("title", 3, "“title”应为文字或null"),
    ("warnings", True, "“warnings”应为列表（实际是 true）"),
    ("warnings", {"code": "x", "message": "y"}, "“warnings”应为列表（实际是 对象）"),
    ("warnings", [{"code": "x"}], "“warnings[0]”缺少“message”"),
    ("warnings", [{"code": "x", "message": "y", "loc": None}], "“warnings[0].loc”应为对象（实际是 null）"),
    ("year", "2021", "“year”应为整数或null（实际是 文字“2021”）"),
    ("year", 20210, "“year”应在 1900 到 2999 之间：20210"),
    ("period", ["2021-01-01"], "“period”应为两个日期组成的列表"),
    ("contact.电话", 12345, "“contact.电话”应为文字（实际是 12345）"),
    ("agency_kind", "ministry", "“agency_kind”应为 government、government_office、department、dispatched、township、null 之一"),
    ("tables.table5", {}, "未知的表格“table5”（应为 proactive、requests、appeals）"),
    ("sections.summary", "x", "未知的章节键“summary”"),
    ("tables.requests.new.total", {"v": 1}, "“tables.requests.new.total”应为整数或数字或文字或null（实际是 对象）"),
    ("tables.requests.new.total", True, "“tables.requests.new.total”应为整数或数字或文字或null（实际是 true）"),
    ("tables.requests.new", [1, 2], "“tables.requests.new”应为对象（实际是 列表）"),
    ("format", 2021, "“format”应为 2021、2019 之一：2021"),
])
def test_a_wrong_type_anywhere_is_one_message_naming_the_key(seed: dict[str, Any], path: str, value: Any,
                                                              message: str) -> None:
    bad = _set(seed, path, value)
    with pytest.raises(ModelError) as e:
        Report.from_dict(bad)
    assert message in e.value.message, e.value.message
    # the same through the JSON text and the one loader, with the file named
    text = gongkai.schema.dumps(bad).encode()
    with pytest.raises(ModelError) as e2:
        gongkai.parse(text, name="模型.json")
    assert message in e2.value.message and e2.value.where == "模型.json"


def test_the_format_specific_keys_are_still_checked(seed: dict[str, Any]) -> None:
    with pytest.raises(ModelError, match="表格“requests”没有“no_such_row”这一行（2021格式）"):
        Report.from_dict(_set(seed, "tables.requests.no_such_row", {"total": 1}))
    with pytest.raises(ModelError, match=re.escape("“tables.requests.new”没有“nobody”这一列")):
        Report.from_dict(_set(seed, "tables.requests.new.nobody", 1))
    with pytest.raises(ModelError, match=re.escape("“tables.requests.new.total”的值无法识别：'十二'")):
        Report.from_dict(_set(seed, "tables.requests.new.total", "十二"))
    with pytest.raises(ModelError, match="“published”不是 YYYY-MM-DD 格式的日期"):
        Report.from_dict(_set(seed, "published", "2022年1月20日"))
    with pytest.raises(ModelError, match="值无法识别"):
        Report.from_dict(_set(seed, "tables.requests.new.total", "1" * 5000))


def test_the_model_a_reader_writes_fits_its_schema(seed: dict[str, Any]) -> None:
    import fastjsonschema

    fastjsonschema.validate(model_schema(), loads(gongkai.schema.dumps(seed)))
    check_model(Report.blank("2019", agency="某局", year=2020).to_dict())


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "2021", "year": NaN}', "JSON 中不能有 NaN"),
    ('{"format": "2021", "title": -Infinity}', "JSON 中不能有 -Infinity"),
    ('{"format": "2021", "year": Infinity}', "JSON 中不能有 Infinity"),
    ('{"format": "2021", "year": 123456789012345678901}', "整数位数过多"),
    ('{"format": "2021", "year": -' + "9" * 5000 + "}", "整数位数过多"),
    ('{"format": "2021", "tables": {"proactive": {"fees": {"amount": 1e999999999}}}}', "数字过大"),
    ('{"format": "2021", "tables": {"proactive": {"fees": {"amount": 0.' + "1" * 100 + "}}}}", "位数过多"),
    ('{"format": "2021", "title": "a', "JSON 格式错误（第1行"),
    ("[" * 100000 + "]" * 100000, "嵌套层数过深"),
    ('{"format": "2021", "x": ' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}", "嵌套层数过深（超过 32 层）"),
    ('{"format": "2021", "agency": "某\\ud800局"}', "“agency”的文字含有无法编码的字符（U+D800"),
    ('{"format": "2021", "contact": {"\\udfff": "x"}}', "“contact”有一个键含有无法编码的字符（U+DFFF"),
    ('"2021"', "报告数据应为 JSON 对象（实际是 文字“2021”）"),
])
def test_what_the_schema_cannot_say_is_checked_while_reading(text: str, message: str) -> None:
    with pytest.raises(ModelError) as e:
        Report.from_json(text)
    assert message in e.value.message, e.value.message
    assert CJK.search(e.value.message)


def test_numbers_are_read_without_float() -> None:
    data = loads('{"a": 979.66, "b": 12345678901234.56789, "c": 7, "d": 1E+3}')
    assert data == {"a": Decimal("979.66"), "b": Decimal("12345678901234.56789"), "c": 7, "d": Decimal("1E+3")}
    assert isinstance(data["c"], int)


# -- exact amounts -------------------------------------------------------------------------------

EXACT = ["979.66", "12345678901234.56789", "0.1", "0.30", "3.14159265358979323846", "-2.5", "100000000.01"]


def _with_fee(amount: Decimal) -> Report:
    report = gongkai.parse(SEED)
    report.table("proactive").set("fees", "amount", amount)
    return report


@pytest.mark.parametrize("amount", EXACT)
def test_an_amount_survives_json_exactly(amount: str) -> None:
    report = _with_fee(Decimal(amount))
    text = report.to_json()
    assert re.search(rf'"amount": {re.escape(amount)}\b', text)  # a JSON number with every digit
    back = gongkai.parse(text.encode(), name="m.json")
    value = back.value("proactive", "fees", "amount")
    assert isinstance(value, Decimal) and value == Decimal(amount) and str(value) == amount
    cli = gongkai.parse(gongkai.render(report, "json"), name="m.json")
    assert str(cli.value("proactive", "fees", "amount")) == amount


@pytest.mark.parametrize("amount", EXACT)
def test_an_amount_survives_xlsx_and_csv_exactly(amount: str) -> None:
    report = _with_fee(Decimal(amount))
    back = gongkai.parse(gongkai.render(report, "xlsx"), name="r.xlsx")
    value = back.value("proactive", "fees", "amount")
    assert isinstance(value, Decimal) and value == Decimal(amount)
    rows = list(csv.DictReader(io.StringIO(gongkai.render(report, "csv").decode("utf-8-sig"))))
    [fee] = [r for r in rows if r["row"] == "fees"]
    assert fee["value"] == amount and parse_value(fee["value"])[0] == Decimal(amount)


def test_an_amount_a_double_holds_stays_a_number_in_excel() -> None:
    from openpyxl import load_workbook

    for amount, kind in (("979.66", float), ("12345678901234.56789", str)):
        wb = load_workbook(io.BytesIO(gongkai.render(_with_fee(Decimal(amount)), "xlsx")))
        ws = wb["数据"]
        header = [c.value for c in ws[1]]
        [row] = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("row")] == "fees"]
        assert isinstance(row[header.index("value")], kind)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8).flatmap(lambda places: st.decimals(
    allow_nan=False, allow_infinity=False, places=places, min_value=Decimal("-1e15"), max_value=Decimal("1e15"))))
def test_any_decimal_survives_json_exactly(amount: Decimal) -> None:
    report = Report.blank("2021", agency="某局", year=2024)
    report.table("proactive").set("fees", "amount", amount)
    back = Report.from_json(report.to_json())
    assert back.value("proactive", "fees", "amount") == amount


# -- the tidy cells ------------------------------------------------------------------------------

def test_cells_are_every_printed_cell_with_keys_labels_value_and_text() -> None:
    report = gongkai.parse(SEED)
    cells = list(report.cells())
    declared = sum(len(t.spec.cells()) for t in report.tables.values() if t.present)
    assert len(cells) == declared
    assert len({(c.table, c.row, c.column) for c in cells}) == len(cells)
    new = next(c for c in cells if (c.table, c.row, c.column) == ("requests", "new", "total"))
    assert new.value == 0 and new.text == "0" and new.row_label == "一、本年新收政府信息公开申请数量"
    assert new.column_label == "总计" and new.table_label.startswith("表三")
    secret = next(c for c in cells if (c.table, c.row, c.column) == ("requests", "denied.state_secret", "total"))
    assert secret.row_group == "（三）不予公开" and secret.row_label == "1.属于国家秘密"
    assert cells[0].table == "proactive" and cells[-1].table == "appeals"


def test_cells_of_a_blank_and_a_not_applicable_cell() -> None:
    report = Report.blank("2021", agency="某局", year=2024)
    report.table("requests").set("new", "total", gongkai.NA)
    report.table("requests").cells.pop(("new", "commercial"))
    by_key = {(c.table, c.row, c.column): c for c in report.cells()}
    assert by_key[("requests", "new", "total")].text == "/" and by_key[("requests", "new", "total")].value == "NA"
    missing = by_key[("requests", "new", "commercial")]
    assert missing.value is None and missing.text == ""


def test_a_collapsed_row_is_one_row_under_its_enclosing_group() -> None:
    report = Report.blank("2021", agency="某局", year=2024, fill=0)
    t = report.table("requests")
    spec = t.spec
    col = spec.collapsed[0]
    for k in col.replaces:
        for c in [c.key for c in spec.columns]:
            t.cells.pop((k, c), None)
    for c in spec.columns:
        t.set(col.key, c.key, 1)
    rows = [c for c in report.cells() if c.table == "requests" and c.row == col.key]
    assert len(rows) == len(spec.columns) and all(c.value == 1 for c in rows)
    assert not any(c.row in col.replaces for c in report.cells())
    assert rows[0].row_label == col.label and rows[0].row_group == "三、本年度办理结果"


# -- the command line ----------------------------------------------------------------------------

def test_parse_prints_valid_json_when_the_message_quotes_odd_text(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2021", "tables": {"\\udfff\\ud800": {}}}', encoding="utf-8")
    assert main(["parse", str(bad)]) == 2
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert "无法编码" in doc["error"] and "无法编码" in err and "Traceback" not in err


@pytest.mark.skipif(not FUZZ.is_dir(), reason="shared fuzz reproducers absent")
@pytest.mark.parametrize("name", sorted(p.name for p in FUZZ.glob("*.json")) if FUZZ.is_dir() else [])
def test_every_json_reproducer_is_one_chinese_message(name: str) -> None:
    with pytest.raises(ModelError) as e:
        gongkai.parse(FUZZ / name)
    assert CJK.search(e.value.message) and e.value.where == str(FUZZ / name)


def test_a_trusted_read_skips_only_the_schema_check(seed: dict[str, Any]) -> None:
    """``trusted``: what ``to_dict`` wrote and the caller stored reads to the same report without
    the schema check; rows and columns are still checked while reading."""
    full = Report.from_dict(seed)
    fast = Report.from_dict(seed, trusted=True)
    assert fast == full and fast.to_dict() == full.to_dict()
    wrong_type = _set(seed, "title", 7)
    with pytest.raises(ModelError):
        Report.from_dict(wrong_type)
    assert Report.from_dict(wrong_type, trusted=True).title == 7  # the caller vouched for its data
    unknown_row = copy.deepcopy(seed)
    unknown_row["tables"]["requests"]["no_such_row"] = {"natural_person": 1}
    with pytest.raises(ModelError, match="no_such_row"):
        Report.from_dict(unknown_row, trusted=True)


def test_a_copy_changes_without_changing_the_report(seed: dict[str, Any]) -> None:
    report = Report.from_dict(seed)
    before = report.to_dict()
    other = report.copy()
    assert other == report
    other.table("requests").set("new", "natural_person", 999)
    other.table("proactive").present = False
    other.sections["overview"] = "改过的文字"
    other.warnings.clear()
    assert report.to_dict() == before
    assert other.table("requests").value("new", "natural_person") == 999
    assert report.table("requests").value("new", "natural_person") != 999


def test_trusted_json_reads_the_same_numbers_without_the_size_checks(seed: dict[str, Any]) -> None:
    from gongkai.schema import dumps

    text = dumps({**seed, "extra": [979.66, Decimal("0.1"), 12, -3, "12"]}, indent=None)
    assert loads(text, trusted=True) == loads(text)
    exact = loads(text, trusted=True)["extra"]
    assert exact[:2] == [Decimal("979.66"), Decimal("0.1")] and type(exact[2]) is int
    huge = "[" + "9" * 5000 + "]"
    with pytest.raises(ModelError):
        loads(huge)  # hostile input is still checked ...
    with pytest.raises(ModelError):
        loads("[NaN]", trusted=True)  # ... and no NaN either way
