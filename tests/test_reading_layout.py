"""Layout guesses the reader makes, and what it does when the table's identities then fail
(issue 8 item 1): a value belongs to the nearest label before it, so a row whose label runs
straight into the next label is blank; values printed among the lines of a wrapped label are put
in the order the identities accept, or read as uncertain — never silently into the wrong cells,
and an identity failure over uncertain cells is reading uncertainty, not the agency's error.

The texts are shaped like the real ones (a portal text version with glued cells; ``pdftotext
-layout`` of a Word-made PDF); expected values are written from the text itself.
"""

from __future__ import annotations

import re

import gongkai
from check_texts import F21, portal_text

REQUESTS = F21.table("requests")
ZERO = [0] * 7


def _parse(text: str) -> gongkai.Report:
    return gongkai.parse(text.encode("utf-8"), name="年报.txt")


def _row(r: gongkai.Report, row: str) -> list[object]:
    t = r.table("requests")
    return [t.value(row, c) for c in t.columns_of(row)]


# -- the nearest label --------------------------------------------------------------------------


def test_rows_printed_without_values_stay_blank_and_the_total_goes_to_its_own_label() -> None:
    # …不再处理其政府信息公开申请3.其他（七）总计4000004: （六）2 and （六）3 print no values
    four = [4, 0, 0, 0, 0, 0, 4]
    text = portal_text(requests={"new": four, "granted": four, "other.no_fee": "", "other.other": "",
                                 "results_total": four})
    assert "不再处理其政府信息公开申请3.其他（七）总计4000004四、结转下年度继续办理" in text
    r = _parse(text)
    assert _row(r, "other.no_fee") == [None] * 7
    assert _row(r, "other.other") == [None] * 7
    assert _row(r, "results_total") == four
    assert _row(r, "other.no_correction") == ZERO
    res = gongkai.validate(r)
    assert not [f for f in res.findings if f.id.startswith("t3.E")]
    # the two rows are the document's blanks (the agency left them empty), not our reading's
    blanks = [f.message for f in res.by_id("t3.W001")]
    assert len(blanks) == 2 and all(f.about == "document" for f in res.by_id("t3.W001"))
    assert "3.其他" in blanks[1]


def test_a_group_label_after_a_blank_row_does_not_lend_it_the_next_rows_values() -> None:
    # （二）部分公开 printed with nothing, then （三）不予公开1.属于国家秘密 with its own values
    text = portal_text(requests={"new": [2, 0, 0, 0, 0, 0, 2], "partial": "",
                                 "denied.state_secret": [2, 0, 0, 0, 0, 0, 2], "results_total": [2, 0, 0, 0, 0, 0, 2]})
    assert "不计其他情形）（三）不予公开1.属于国家秘密2000002" in text
    r = _parse(text)
    assert _row(r, "partial") == [None] * 7
    assert _row(r, "denied.state_secret") == [2, 0, 0, 0, 0, 0, 2]
    assert not [f for f in gongkai.validate(r).findings if f.id.startswith("t3.E")]


# -- a wrapped label with its values among its lines ---------------------------------------------

PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def _layout(rows: dict[str, list[int]], partial_lines: list[str]) -> str:
    """Table 三 as ``pdftotext -layout`` prints a Word table: a line per row, cells apart by runs
    of spaces; the 部分公开 label wrapped over the lines given."""
    out = ["三、收到和处理政府信息公开申请情况",
           "                                                申请人情况",
           "（本列数据的勾稽关系为：第一项加第二项之和，          法人或其他组织",
           "等于第三项加第四项之和）         自然人                                         总计",
           "                               商业企业  科研机构  社会公益组织  法律服务机构  其他", ""]
    for spec in REQUESTS.rows:
        if spec.key == "partial":
            out.extend(partial_lines)
            continue
        vals = "      ".join(str(v) for v in rows.get(spec.key, ZERO))
        label = spec.label if spec.key in ("new", "carried_over", "results_total", "carried_forward") \
            else "      " + spec.label
        out.extend([f"{label}          {vals}", ""])
    return "\n".join(out) + "\n"


def _with_layout_table(block: str) -> str:
    text = portal_text(normative="3 0 12")
    a, b = text.index("三、收到和处理政府信息公开申请情况"), text.index("四、政府信息公开行政复议")
    return text[:a] + "\n" + block + text[b:]


def test_values_printed_among_a_wrapped_label_are_ordered_by_the_row_total() -> None:
    # （二）部分公开（区分处理的，只计这一情 38 / 38 0 0 0 0 0 / 形，不计其他情形）: the total was
    # printed on the label's first line, the six applicant cells on the second
    block = _layout({"new": [38, 0, 0, 0, 0, 0, 38], "results_total": [38, 0, 0, 0, 0, 0, 38]},
                    ["      （二）部分公开（区分处理的，只计这一情                         38",
                     "                                38      0      0      0      0      0",
                     "      形，不计其他情形）", ""])
    r = _parse(_with_layout_table(block))
    assert _row(r, "partial") == [38, 0, 0, 0, 0, 0, 38]
    cell = r.table("requests").cell("partial", "total")
    assert cell is not None and cell.evidence == "identities" and not cell.uncertain
    assert [w.code for w in r.warnings if w.code.startswith("row.")] == ["row.reordered"]
    res = gongkai.validate(r)
    assert not [f for f in res.findings if f.id.startswith("t3.E")]


def test_values_among_a_wrapped_label_that_no_order_explains_are_uncertain_not_the_agencys_error() -> None:
    # the same shape, but the first line holds two numbers (38 and 7) and no order of the lines
    # makes the row add up: the cells are read as printed and marked uncertain
    block = _layout({"new": [38, 7, 0, 0, 0, 0, 45], "results_total": [38, 7, 0, 0, 0, 0, 45]},
                    ["      （二）部分公开（区分处理的，只计这一情                  45   38",
                     "                                       7      0      0      0      0",
                     "      形，不计其他情形）", ""])
    r = _parse(_with_layout_table(block))
    t = r.table("requests")
    assert _row(r, "partial") == [45, 38, 7, 0, 0, 0, 0]  # as printed
    assert all(t.cell("partial", c).uncertain for c in t.columns_of("partial"))  # type: ignore[union-attr]
    res = gongkai.validate(r)
    wrong = [f for f in res.findings if f.id.startswith("t3.E")]
    assert wrong and all(f.about == "reading" for f in wrong)
    assert all("读取不确定" in f.message and "不能据此认定报告有误" in f.message for f in wrong)
    assert not res.errors  # nothing is blamed on the agency
    notes = [f.message for f in res.by_id("struct.I002")]
    assert len(notes) == 1 and notes[0].startswith(f"表三“{PARTIAL}”行") and "读取不确定" in notes[0]


def test_a_wrapped_label_whose_printed_order_adds_up_is_read_as_printed() -> None:
    # the usual pdftotext shape: the label wraps around one line of all seven values
    block = _layout({"new": [9, 0, 0, 0, 0, 0, 9], "results_total": [9, 0, 0, 0, 0, 0, 9]},
                    ["      （二）部分公开（区分处理的，只计这一情",
                     "                                9      0      0      0      0      0     9",
                     "      形，不计其他情形）", ""])
    r = _parse(_with_layout_table(block))
    assert _row(r, "partial") == [9, 0, 0, 0, 0, 0, 9]
    assert not [w for w in r.warnings if re.match(r"row\.(reordered|uncertain)", w.code)]
    assert not gongkai.validate(r).errors


# -- values far from their label ----------------------------------------------------------------

CONFIRM = "      5.要求行政机关确认或重新出具已获取信息"


def _above(values: str, rows: dict[str, list[int]]) -> gongkai.Report:
    """Table 三 in the pdftotext shape with the 确认 row's numbers printed on the line above its label."""
    block = _layout(rows, ["      " + PARTIAL + "          0      0      0      0      0      0      0", ""])
    line = next(x for x in block.splitlines() if x.startswith(CONFIRM))
    block = block.replace(line, f"                                          {values}\n{CONFIRM}")
    return _parse(_with_layout_table(block))


def test_numbers_printed_before_their_label_go_to_it_when_the_row_adds_up() -> None:
    five = [5, 0, 0, 0, 0, 0, 5]
    r = _above("5      0      0      0      0      0      5",
               {"new": five, "not_processed.confirmation": five, "results_total": five})
    assert _row(r, "not_processed.confirmation") == five
    assert _row(r, "not_processed.excessive") == ZERO and _row(r, "other.no_correction") == ZERO
    assert [w.code for w in r.warnings if w.code.startswith("row.")] == ["row.above"]  # no "extra numbers"
    res = gongkai.validate(r)
    assert not res.errors and not res.by_id("t3.W001")


def test_numbers_before_a_label_that_do_not_add_up_are_uncertain() -> None:
    five = [5, 0, 0, 0, 0, 0, 5]
    r = _above("5      0      0      0      0      0      6",
               {"new": five, "not_processed.confirmation": five, "results_total": five})
    t = r.table("requests")
    assert _row(r, "not_processed.confirmation") == [5, 0, 0, 0, 0, 0, 6]
    assert all(t.cell("not_processed.confirmation", c).uncertain for c in t.columns_of("not_processed.confirmation"))  # type: ignore[union-attr]
    res = gongkai.validate(r)
    assert not res.errors and not res.by_id("t3.W001")
    assert res.by_id("t3.E003") and all(f.about == "reading" for f in res.by_id("t3.E003"))


def test_lines_around_a_wrapped_label_that_add_up_in_two_orders_are_uncertain() -> None:
    # 38 on the label's first line, 0 0 0 0 0 38 on the next: [38,0,0,0,0,0,38] adds up as printed,
    # and so does [0,0,0,0,0,38,38] (the first line being the total) — the reader cannot tell
    block = _layout({"new": [38, 0, 0, 0, 0, 0, 38], "results_total": [38, 0, 0, 0, 0, 0, 38]},
                    ["      （二）部分公开（区分处理的，只计这一情                         38",
                     "                                0      0      0      0      0     38",
                     "      形，不计其他情形）", ""])
    r = _parse(_with_layout_table(block))
    t = r.table("requests")
    assert all(t.cell("partial", c).uncertain for c in t.columns_of("partial"))  # type: ignore[union-attr]
    assert [w.code for w in r.warnings if w.code.startswith("row.")] == ["row.uncertain"]
    assert not gongkai.validate(r).errors
