"""The report page shows the check outcome stored with the report's revision; the stored outcome
is not shown once the report or last year's report changed; the live check with last year's
report digested once gives the same findings as the whole checker; the tables' layout drawn
once per shape is the writers' layout; the cell markers read as before."""

from __future__ import annotations

import glob
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai.testing import random_report
from gongkai.writers.layout import Grid, table_grid
from gongkai_web.orgs.models import User
from gongkai_web.reports import actions, checks, library, workspace
from gongkai_web.reports.models import Report, ReportCheck
from gongkai_web.testing import People, Tree, form_data, make_report, valid_report

ROOT = Path(__file__).resolve().parents[2]
TAMPERED = "这是测试写入的核查结果，页面只应在报告未变时显示它"


@pytest.fixture
def draft(tree: Tree, people: People) -> Report:
    return make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023))


def _tamper(report: Report) -> None:
    """Replace the stored outcome's findings by one the checker never writes (same key)."""
    row = ReportCheck.objects.get(report=report)
    row.outcome = {**row.outcome, "findings": [{"id": "t3.E001", "severity": "error", "message": TAMPERED,
                                                "about": "document", "location": {"label": "表三"}}]}
    row.save()


def _page(c: Client, report: Report) -> str:
    r = c.get(reverse("reports:detail", args=[report.pk]))
    assert r.status_code == 200
    return r.content.decode()


def test_saving_stores_the_outcome_and_the_page_shows_it_without_checking(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    stored = ReportCheck.objects.get(report=draft)
    assert stored.key == checks.key(draft, checks.previous_ref(draft))
    assert stored.outcome["findings"] == []  # a valid report: nothing found
    _tamper(draft)
    page = _page(client_for(people.supervisor), draft)
    assert TAMPERED in page  # read from the store, not checked again
    assert "1 个错误" in page


def test_the_stored_outcome_is_not_shown_after_the_report_changes(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    _tamper(draft)
    data = form_data(draft)
    data["s:problems"] = "存在问题：培训不足。"
    assert client_for(people.drafter_a).post(reverse("reports:detail", args=[draft.pk]), data).status_code == 302
    page = _page(client_for(people.supervisor), draft)
    assert TAMPERED not in page
    assert "0 个错误" in page


def test_a_workflow_step_without_a_save_checks_anew(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    _tamper(draft)
    actions.submit_report(people.drafter_a, draft)  # the row changes (status), the key with it
    page = _page(client_for(people.supervisor), draft)
    assert TAMPERED not in page


def test_the_stored_outcome_is_not_shown_after_last_years_report_changes(
        tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    last = make_report(people.drafter_a, tree.town_a, 2022, lib=valid_report(tree.town_a, 2022))
    lib = valid_report(tree.town_a, 2023)
    last_requests = library.load(last.document).table("requests")
    for col in (c.key for c in last_requests.spec.columns):  # carry-over agrees with 2022
        lib.table("requests").set("carried_over", col, last_requests.value("carried_forward", col))
    carried = last_requests.value("carried_forward", "natural_person")
    assert isinstance(carried, int)
    this = make_report(people.drafter_a, tree.town_a, 2023, lib=lib)
    sup = client_for(people.supervisor)
    assert "xyear.E001" not in _page(sup, this)
    before = ReportCheck.objects.get(report=this).key
    # 2022's 结转下年度 changes: 2023's 上年结转 no longer agrees
    data = form_data(last)
    data["c:requests:carried_forward:natural_person"] = str(carried + 4)
    assert client_for(people.drafter_a).post(reverse("reports:detail", args=[last.pk]), data).status_code == 302
    page = _page(sup, this)
    assert "xyear.E001" in page
    after = ReportCheck.objects.get(report=this)
    assert after.key != before and any(f["id"] == "xyear.E001" for f in after.outcome["findings"])
    # the live check links the changed 2022 report too
    live = client_for(people.drafter_a).post(reverse("reports:check", args=[this.pk]), form_data(this))
    assert live.status_code == 200 and "xyear.E001" in live.content.decode()


def test_a_stored_outcome_of_another_agency_kind_is_not_shown(
        draft: Report, tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    _tamper(draft)
    tree.town_a.kind = "department"
    tree.town_a.save()
    assert TAMPERED not in _page(client_for(people.supervisor), Report.objects.get(pk=draft.pk))


def _dicts(ms: list[Any]) -> list[dict[str, Any]]:
    return [m.to_dict() for m in ms]


def _pairs() -> list[tuple[library.LibReport, library.LibReport]]:
    """Last year's and this year's report of one agency, with the defects the across-year rules
    look for: a carry-over that does not agree, copied narrative, identical tables."""
    rng = random.Random(11)
    out = []
    for i in range(6):
        prev = random_report(rng, "2021", year=2022)
        cur = random_report(rng, "2021", year=2023)
        prev.agency = cur.agency = "某县某镇人民政府"
        prev.ref, cur.ref = "1", "2"
        if i % 3 == 1:
            cur.table("requests").set("carried_over", "total", 987)
        if i % 3 == 2:
            cur.sections = dict(prev.sections)
            cur.tables = prev.tables
        out.append((prev, cur))
    return out


@pytest.mark.parametrize("n", range(6))
def test_the_check_against_last_years_digest_equals_the_whole_checker(n: int) -> None:
    prev, cur = _pairs()[n]
    whole = library.check(cur, prev)
    fast = library.check_against(cur, library.digest(prev))
    assert _dicts(fast.findings) == _dicts(whole.findings)
    assert _dicts(fast.reading) == _dicts(whole.reading)
    assert _dicts(fast.notices) == _dicts(whole.notices)
    if n % 3:
        assert any(f.id.startswith("xyear.") for f in whole.findings)  # the pair was compared


def test_the_stored_form_keeps_every_finding() -> None:
    prev, cur = _pairs()[1]
    outcome = library.check(cur, prev)
    back = checks.loads(checks.dumps(outcome))
    strip = {"report", "ref", "source"}

    def norm(ms: list[Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in m.to_dict().items() if k not in strip} for m in ms]

    assert outcome.findings and norm(back.findings) == norm(outcome.findings)
    assert (back.errors, back.warnings) == (outcome.errors, outcome.warnings)


def _shape(g: Grid) -> list[Any]:
    return [(r.kind, [(c.kind, "" if c.kind == "value" else c.text, c.rowspan, c.colspan, c.row, c.col)
                      for c in r.cells]) for r in g.rows]


def test_the_layout_drawn_once_per_shape_is_the_writers_layout() -> None:
    rng = random.Random(3)
    reports = [random_report(rng, fid) for fid in ("2019", "2021") for _ in range(4)]
    # documents read by the readers: collapsed rows, missing rows, older variants of the 2021 tables
    for path in sorted(glob.glob(str(ROOT / "tests" / "corpus" / "*" / "source.*"))):
        try:
            reports.append(gongkai.parse(Path(path).read_bytes(), name=path))
        except gongkai.GongkaiError:
            continue
    compared = variants = 0
    for lib in reports:
        grids = library.grids(lib)
        full = library.grids(gongkai.Report.blank(lib.format.id))
        for key, table in lib.tables.items():
            if table.present:
                assert _shape(grids[key]) == _shape(table_grid(table)), (lib.source, key)
                compared += 1
                variants += _shape(grids[key]) != _shape(full[key])
    assert compared > 40
    assert variants >= 2  # tables printed in another shape than the full format's were among them


#: the per-cell include the marker replaced (kept here as the reference)
OLD_MARK = Template(
    "{% if c.error %}<span class=\"badge error\" title=\"{{ c.error }}\">错</span><span class=\"sr\">{{ c.error }}</span>"
    "{% elif c.findings %}{% with f=c.findings.0 %}<span class=\"badge {{ f.severity }}{% if f.about == 'reading' %}"
    " reading{% endif %}\" title=\"{% for x in c.findings %}{{ x.id }} {{ x.message }}{% if not forloop.last %}&#10;"
    "{% endif %}{% endfor %}\">{% if f.about == 'reading' %}读{% elif f.severity == 'error' %}错{% elif f.severity =="
    " 'warning' %}警{% else %}提{% endif %}</span><span class=\"sr\">{% for x in c.findings %}{{ x.message }}"
    "{% endfor %}</span>{% endwith %}{% endif %}")


def test_the_cell_marker_reads_as_the_include_did() -> None:
    from gongkai.messages import Location, Message

    at = Location(table="requests", row="new", column="total", label="表三/<总计>")
    findings = [Message("t3.E001", "error", "合计 <3> 与分项之和“4”不符", at=at),
                Message("t3.W002", "warning", "提示 & 说明", at=at)]
    reading = [Message("read.W001", "warning", "读取不确定", at=at, about="reading")]
    cells = [workspace.FormCell("value", "", name="n", findings=findings),
             workspace.FormCell("value", "", name="n", findings=findings[1:]),
             workspace.FormCell("value", "", name="n", findings=reading),
             workspace.FormCell("value", "", name="n", findings=[Message("x.I001", "info", "说明", at=at)]),
             workspace.FormCell("value", "", name="n", error="表三：“-3”不能为负数 <b>"),
             workspace.FormCell("value", "", name="n")]
    for c in cells:
        assert str(c.badge) == OLD_MARK.render(Context({"c": c}))
    assert "&lt;3&gt;" in str(cells[0].badge) and "&#10;" in str(cells[0].badge)


#: the template loop the rows replaced (the reference; the marker as ``c.badge``)
OLD_ROWS = Template(
    '{% for row in t.rows %}<tr>{% for c in row %}{% if c.name %}<td class="v{% if c.severity %} sev-{{ c.severity }}{% endif %}" rowspan="{{ c.rowspan }}" colspan="{{ c.colspan }}">{% if editable %}<input name="{{ c.name }}" value="{{ c.value }}" inputmode="decimal" autocomplete="off" aria-label="{{ c.label }}" aria-describedby="{{ c.mark }}"{% if c.error %} aria-invalid="true"{% endif %}>{% elif drill and c.value and c.value != "0" %}<a class="val" href="{{ drill }}{{ c.name }}/" title="查看计入这个数字的案件或登记">{{ c.value }}</a>{% else %}<span class="val">{{ c.value }}</span>{% endif %}<span class="mark" id="{{ c.mark }}">{{ c.badge }}</span></td>{% elif c.kind == \'value\' %}<td class="v empty" rowspan="{{ c.rowspan }}" colspan="{{ c.colspan }}"></td>{% else %}<th class="{{ c.kind }}" rowspan="{{ c.rowspan }}" colspan="{{ c.colspan }}" scope="{% if c.kind == \'col\' or c.kind == \'colgroup\' %}col{% else %}row{% endif %}">{{ c.text }}</th>{% endif %}{% endfor %}</tr>'
    "\n{% endfor %}")


@pytest.mark.parametrize(("editable", "drill"), [(True, ""), (False, "/registers/cell/1/2023/"), (False, "")])
def test_the_table_rows_read_as_the_template_loop_did(tree: Tree, editable: bool, drill: str) -> None:
    lib = valid_report(tree.town_a, 2023)
    lib.table("requests").set("new", "total", 99999)  # an identity fails: findings beside cells
    lib.table("requests").set("granted", "commercial", 0)
    ws = workspace.build(lib, library.check(lib), typed={"c:requests:new:natural_person": "<三>"},
                         errors={"c:requests:new:natural_person": "表三：“<三>”不是数字"})
    tables = [s.table for s in ws.sections if s.table is not None]
    assert len(tables) == 3
    marked = 0
    for t in tables:
        new = str(workspace.rows_html(t, editable=editable, drill=drill))
        assert new == OLD_ROWS.render(Context({"t": t, "editable": editable, "drill": drill}))
        marked += new.count('class="badge')
    assert marked >= 2


OLD_MARKS = Template('{% for c in ws.cells %}<span class="mark" id="{{ c.mark }}" hx-swap-oob="true">{{ c.badge }}'
                     '</span>{% endfor %}')


def test_the_live_checks_markers_read_as_the_template_loop_did(tree: Tree) -> None:
    lib = valid_report(tree.town_a, 2023)
    lib.table("requests").set("new", "total", 99999)
    ws = workspace.build(lib, library.check(lib))
    new = str(workspace.marks_html(ws))
    assert new == OLD_MARKS.render(Context({"ws": ws}))
    assert new.count("hx-swap-oob") == len(ws.cells()) > 150 and "badge error" in new


def test_a_saved_document_read_once_is_handed_out_as_a_copy(draft: Report, people: People) -> None:
    """``actions.lib_report`` reads a saved document once per revision: each caller gets its own
    copy (a live check's typed values never reach the next reader), and a save is read anew."""
    first = actions.lib_report(draft)
    typed = actions.apply_edit(first, actions.Edit(cells={("requests", "new", "natural_person"): (4321, None)},
                                                   sections={"overview": "正在输入的文字"}))
    assert typed.value("requests", "new", "natural_person") == 4321
    again = actions.lib_report(Report.objects.get(pk=draft.pk))
    assert again is not first
    assert again.value("requests", "new", "natural_person") != 4321
    assert again.sections.get("overview") != "正在输入的文字"
    assert again == library.load(draft.document, kind=draft.agency.kind)
    edit = actions.Edit(cells={("requests", "new", "natural_person"): (77, None)}, sections={})
    saved = actions.save_report(people.drafter_a, Report.objects.get(pk=draft.pk), revision=draft.revision, edit=edit)
    assert actions.lib_report(Report.objects.get(pk=saved.pk)).value("requests", "new", "natural_person") == 77


def test_the_findings_read_as_the_includes_did() -> None:
    """``findings_html``/``section_findings_html`` write what ``reports/_finding.html`` and
    ``reports/_section_findings.html`` wrote (the templates stay the reference)."""
    from django.template.loader import get_template

    from gongkai.messages import Location, Message

    long = "本机关全年共收到政府信息公开申请" * 8 + "<b>件</b>"
    findings = [
        Message("t3.E001", "error", "合计 <3> 与分项之和“4”不符", at=Location(table="requests", label="表三/<总计>"),
                hint="核对 & 改正"),
        Message("text.W001", "warning", "文字与表格不一致", at=Location(section="requests", sentence=long)),
        Message("read.W001", "warning", "读取不确定 'x'", at=Location(label="表二"), about="reading"),
        Message("x.I001", "info", "说明", at=Location()),
    ]
    old_one = get_template("reports/_finding.html")
    assert str(workspace.findings_html(findings)) == "".join(old_one.render({"f": f}) for f in findings)
    assert str(workspace.findings_html([])) == ""
    old_section = get_template("reports/_section_findings.html")
    for section_findings, oob in ((findings, True), (findings[1:2], False), ([], True), ([], False)):
        s = workspace.FormSection("requests", "三、收到和处理政府信息公开申请情况", "", None, section_findings)
        assert str(workspace.section_findings_html(s, oob)) == old_section.render({"s": s, "oob": oob})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１２", min_size=1, max_size=12) | st.integers(0, 10**12).map(str))
def test_a_whole_number_typed_reads_as_the_full_parser_reads_it(text: str) -> None:
    """The fast path of ``parse_cell`` (ASCII digits) gives what ``parse_value`` and the column
    checks give, in every kind of column."""
    from gongkai.formats import get_format
    from gongkai.values import ValueSyntaxError, parse_value

    fmt = get_format("2021")
    for tkey, row, col in (("requests", "new", "natural_person"), ("proactive", "rules", "in_force"),
                           ("proactive", "fees", "amount")):
        spec = fmt.table(tkey)
        try:
            got: Any = library.parse_cell(spec, row, col, text)
        except library.CellError as e:
            got = ("error", e.message)
        if text.isascii() and text.isdigit():
            value, unit = parse_value(text)
            assert got == (value, unit) and isinstance(got[0], int)
        else:
            try:
                parse_value(text)
            except ValueSyntaxError:
                assert got[0] == "error"


def test_the_report_page_reads_the_stored_outcome_with_the_report(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _tamper(draft)
    supervisor = client_for(people.supervisor)
    with CaptureQueriesContext(connection) as seen:
        page = _page(supervisor, draft)
    assert TAMPERED in page  # the stored outcome, read in the report's own query
    sqls = [q["sql"] for q in seen.captured_queries]
    assert not any(s.lstrip().startswith('SELECT "reports_reportcheck"') for s in sqls)
    assert any('"reports_reportcheck"' in s and '"reports_report"."document"' in s for s in sqls)
    writes = [s[:80] for s in sqls if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert not writes, writes  # nothing checked anew
