"""The supervisor's overview lists the reports read from the supervisor's own batch checks
(``audits``) beside the agencies in the app, marked 上传核查 (issue 11 item 4).

The batch is the audits demo's ZIP (four reports of 依兰县's agencies written by the library's
writers: 财政局's table 二 made not to add up, two blanks in 达连河镇's; an old .doc and a scanned
image that are not read), checked by django-tasks' real database worker.  Agency names and the
year are those the documents' titles give (``audits/demo.py``)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.template import Context
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongkai_web.audits import actions
from gongkai_web.audits.demo import demo_zip
from gongkai_web.audits.models import Audit, AuditEntry
from gongkai_web.orgs.models import Agency, User
from gongkai_web.testing import People, Tree, make_agency

from .test_audits import run_worker
from .test_supervision_table import OLD_UPLOADED

URL = "/supervision/"
YEAR = 2024
READ = {"依兰县人民政府办公室", "依兰县财政局", "依兰县依兰镇人民政府", "依兰县达连河镇人民政府"}

ClientFor = Callable[[User], Client]


@pytest.fixture
def tdb(transactional_db: None) -> None:
    # the worker commits like a real one: a transactional database
    return None


def upload_batch(user: User, title: str = "依兰县年报") -> Audit:
    data = demo_zip()
    audit = actions.create_audit(user, title, [actions.Upload("依兰县2024年度年报.zip", len(data), io.BytesIO(data))])
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE, audit.failure
    return audit


@pytest.fixture
def finance(tdb: None, tree: Tree) -> Agency:
    """依兰县财政局 in the app under the county, its name written with a space: the library's
    normalisation (white space removed) still matches it with the uploaded report."""
    return make_agency("依兰县 财政局", "department", "county", tree.county)


def section(html: str) -> str:
    """The rows of the 上传核查 section."""
    assert 'id="uploaded"' in html
    part = html.split('id="uploaded"', 1)[1].split("</section>", 1)[0]
    return part.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in part else ""


def section_text(html: str) -> str:
    return html.split('id="uploaded"', 1)[1].split("</section>", 1)[0]


def main_rows(html: str) -> list[str]:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]


def test_uploaded_reports_are_listed_beside_the_agencies_in_the_app(
        client_for: ClientFor, people: People, tree: Tree, finance: Agency) -> None:
    audit = upload_batch(people.supervisor)
    entries = {e.agency: e for e in audit.entries.exclude(status=AuditEntry.Status.SKIPPED)}
    assert set(entries) == READ and all(e.year == YEAR for e in entries.values())
    fin = entries["依兰县财政局"]
    assert fin.status == AuditEntry.Status.ERRORS and fin.errors > 0  # the sum made not to add up

    response = client_for(people.supervisor).get(URL, {"year": YEAR})
    html = response.content.decode()
    # the section's rows, written in Python, read as the template loop wrote them
    assert section(html) == ("\n    " + OLD_UPLOADED.render(Context({"uploaded_rows": response.context["uploaded_rows"]}))
                             + "\n    ")
    # the agency in the app shows its own state and, marked, the uploaded report's result and link
    (row,) = [r for r in main_rows(html) if f">{finance.name}" in r]
    entry_url = reverse("audits:entry", kwargs={"pk": audit.pk, "position": fin.position})
    assert "上传核查" in row and entry_url in row and "有错误" in row and f"错误 {fin.errors}" in row
    assert "未开始" in row  # no report of its own in the app
    assert sum("上传核查" in r for r in main_rows(html)) == 1  # no other agency in the app matches
    # the section lists every report read, each linked to its findings; unread files are not reports
    part = section(html)
    for e in entries.values():
        assert reverse("audits:entry", kwargs={"pk": audit.pk, "position": e.position}) in part
        assert f">{e.agency}<" in part
    assert part.count("未在本系统中") == 3 and finance.name in part
    assert "教育局" not in part and "扫描件" not in part
    # counts, apart from the app's agencies' and marked
    stats = html.split('aria-label="上传核查的报告"', 1)[1].split("</span>", 1)[0]
    assert "<b>4</b>上传核查的报告" in stats and "<b>3</b>未在本系统中" in stats
    with_errors = sum(1 for e in entries.values() if e.errors)
    assert f"<b>{with_errors}</b>上传核查有错误" in stats
    text = section_text(html)
    assert f"错误 {sum(e.errors for e in entries.values())} 条" in text
    assert f"读取提示 {sum(e.notices for e in entries.values())} 条" in text
    assert "<b>6</b>全部机关" in html  # the app's own count is unchanged (county + 5 agencies)

    # the overview's filters apply: the name's text, errors only
    c = client_for(people.supervisor)
    part = section(c.get(URL, {"year": YEAR, "q": "依兰镇"}).content.decode())
    assert "依兰县依兰镇人民政府" in part and "依兰县财政局" not in part
    part = section(c.get(URL, {"year": YEAR, "errors": "1"}).content.decode())
    for e in entries.values():
        assert (f">{e.agency}<" in part) == (e.errors > 0)
    # the batch's page leads to the overview of the year read
    detail = c.get(reverse("audits:detail", kwargs={"pk": audit.pk})).content.decode()
    assert f'{URL}?year={YEAR}#uploaded">{YEAR}年度</a>' in detail
    # another year: nothing uploaded for it
    assert 'id="uploaded"' not in c.get(URL, {"year": 2023}).content.decode()

    # the same reports uploaded again: shown once, from the latest batch, the earlier one counted
    again = upload_batch(people.supervisor, "依兰县年报（重新上传）")
    html = c.get(URL, {"year": YEAR}).content.decode()
    part = section(html)
    assert "<b>4</b>上传核查的报告" in html and part.count("另有较早上传 1 份") == 4
    assert f"/audits/{again.pk}/" in part and f"/audits/{audit.pk}/" not in part


def test_another_supervisor_never_sees_these_uploads(client_for: ClientFor, people: People, tree: Tree,
                                                     finance: Agency) -> None:
    upload_batch(people.supervisor)
    # the city's supervisor oversees the county (and 依兰县 财政局 in it) but not the county supervisor's batches
    for params in ({"year": YEAR}, {"year": YEAR, "root": tree.county.pk}):
        r = client_for(people.city_supervisor).get(URL, params)
        assert r.status_code == 200
        html = r.content.decode()
        assert finance.name in html and "上传核查" not in html and "依兰县达连河镇" not in html
    r = client_for(people.city_supervisor).get(f"{URL}export.xlsx", {"year": YEAR})
    wb = load_workbook(io.BytesIO(r.content))
    assert wb["上传核查"].max_row == 1  # the header alone
    # township staff: refused, as for the overview itself
    for who in (people.drafter_a, people.approver_a):
        assert client_for(who).get(URL, {"year": YEAR}).status_code == 403
        assert client_for(who).get(f"{URL}export.xlsx", {"year": YEAR}).status_code == 403
    # an administrator sees every batch (as the batch pages answer)
    html = client_for(people.admin).get(URL, {"year": YEAR}).content.decode()
    assert "<b>4</b>上传核查的报告" in html


def test_a_narrower_subtree_shows_only_the_uploads_of_its_agencies(client_for: ClientFor, people: People,
                                                                   tree: Tree, finance: Agency) -> None:
    upload_batch(people.supervisor)
    html = client_for(people.supervisor).get(URL, {"year": YEAR, "root": finance.pk}).content.decode()
    part = section(html)
    assert "依兰县财政局" in part and "未在本系统中" not in part and "依兰县依兰镇" not in part
    assert "<b>1</b>上传核查的报告" in html


def test_the_export_includes_the_uploads_marked(client_for: ClientFor, people: People, tree: Tree,
                                                finance: Agency) -> None:
    audit = upload_batch(people.supervisor)
    fin = audit.entries.get(agency="依兰县财政局")
    r = client_for(people.supervisor).get(f"{URL}export.xlsx", {"year": YEAR})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    main = wb.worksheets[0]
    header = [c.value for c in main[1]]
    assert header[-3:] == ["上传核查结果", "上传核查错误", "上传核查警告"]
    body = {row[0]: row for row in main.iter_rows(min_row=2, values_only=True)}
    assert body[finance.name][-3:] == ("有错误", fin.errors, fin.warnings)
    assert body[tree.town_a.name][-3:] == (None, None, None)
    ws = wb["上传核查"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]
    assert {r["机关名称（上传文件中读取）"] for r in rows} == READ
    assert all(r["来源"] == "上传核查" and r["年度"] == YEAR for r in rows)
    (f,) = [r for r in rows if r["机关名称（上传文件中读取）"] == "依兰县财政局"]
    assert (f["核查结果"], f["错误"], f["本系统中的机关"]) == ("有错误", fin.errors, finance.name)
    assert sum(r["本系统中的机关"] == "未在本系统中" for r in rows) == 3


def test_the_overview_asks_the_database_the_same_whatever_the_number_of_uploads(
        client_for: ClientFor, people: People, tree: Tree, finance: Agency) -> None:
    c = client_for(people.supervisor)
    with CaptureQueriesContext(connection) as none:
        assert c.get(URL, {"year": YEAR}).status_code == 200
    upload_batch(people.supervisor)
    with CaptureQueriesContext(connection) as one:
        assert c.get(URL, {"year": YEAR}).status_code == 200
    # a second batch, and two more of the uploaded agencies now in the app
    upload_batch(people.supervisor, "第二批")
    make_agency("依兰县依兰镇人民政府", "township", "township", tree.county)
    make_agency("依兰县达连河镇人民政府", "township", "township", tree.county)
    with CaptureQueriesContext(connection) as more:
        html = c.get(URL, {"year": YEAR}).content.decode()
    assert sum("上传核查" in r for r in main_rows(html)) == 3
    # without any batch one EXISTS stands for the uploads' queries; with batches: the running ones,
    # the entries of the year, the agencies they match
    assert len(more.captured_queries) == len(one.captured_queries) == len(none.captured_queries) + 3 <= 12


def test_a_long_list_of_uploads_shows_the_worst_first_and_all_on_request(
        client_for: ClientFor, people: People, tree: Tree, finance: Agency, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai_web.supervision import uploads

    audit = upload_batch(people.supervisor)
    monkeypatch.setattr(uploads, "PAGE_ROWS", 2)
    c = client_for(people.supervisor)
    html = c.get(URL, {"year": YEAR}).content.decode()
    rows = section(html).split("<tr")[1:]
    assert len(rows) == 2 and "依兰县财政局" in rows[0]  # the one with errors first
    assert "列出前 2 份（符合条件的共 4 份）" in html and "uploads=all" in html
    assert "<b>4</b>上传核查的报告" in html  # the counts are the whole list's
    html = c.get(URL, {"year": YEAR, "uploads": "all"}).content.decode()
    assert len(section(html).split("<tr")[1:]) == 4 and "全部列出" not in html
    assert audit.entries.exclude(status=AuditEntry.Status.SKIPPED).count() == 4


def test_matching_follows_the_librarys_normalisation_and_reads_only_reports_of_the_year(
        people: People, tree: Tree) -> None:
    """Rows as the job stores them (``AuditEntry``): full-width and ASCII brackets and white space are
    the same name to the library; files not read, other years and other supervisors' batches are not
    listed; a report whose agency was not read is a row of its own."""
    from django.utils import timezone

    from gongkai.check.digest import normalise_agency
    from gongkai_web.orgs.models import Agency
    from gongkai_web.supervision import overview, uploads

    app = make_agency("某县经济开发区（试验区）管理委员会", "dispatched", "county", tree.county)
    assert normalise_agency("某县经济开发区(试验区) 管理委员会") == normalise_agency(app.name)
    mine = Audit.objects.create(title="甲", created_by=people.supervisor, status=Audit.Status.DONE)
    theirs = Audit.objects.create(title="乙", created_by=people.city_supervisor, status=Audit.Status.DONE)
    S = AuditEntry.Status
    for audit, pos, agency, year, status in (
            (mine, 0, "某县经济开发区(试验区) 管理委员会", YEAR, S.ERRORS),
            (mine, 1, "", YEAR, S.OK),
            (mine, 2, "某县教育局", YEAR - 1, S.OK),
            (mine, 3, "", None, S.UNREADABLE),
            (mine, 4, "", None, S.SKIPPED),
            (theirs, 0, "某县卫生健康局", YEAR, S.WARNINGS)):
        AuditEntry.objects.create(audit=audit, position=pos, source=f"{pos}.pdf", agency=agency, year=year,
                                  status=status, errors=int(status == S.ERRORS), warnings=0)
    every = overview.annotated(Agency.objects.subtree(tree.county), YEAR, timezone.localdate())
    found = uploads.collect(people.supervisor, YEAR, every, overview.Query(), whole=True)
    assert [(u.source, u.agency_id) for u in found.all] == [("0.pdf", app.pk), ("1.pdf", None)]
    assert found.by_agency == {app.pk: found.all[0]} and (found.total, found.matched, found.with_errors) == (2, 1, 1)
    narrow = uploads.collect(people.supervisor, YEAR, every, overview.Query(), whole=False)
    assert [u.source for u in narrow.all] == ["0.pdf"]
    assert uploads.collect(people.drafter_a, YEAR, every, overview.Query(), whole=True).total == 0


def test_a_batch_being_checked_is_said_with_its_progress(client_for: ClientFor, people: People,
                                                          tree: Tree, tdb: None) -> None:
    data = demo_zip()
    audit = actions.create_audit(people.supervisor, "尚未核查的一批",
                                 [actions.Upload("依兰县2024年度年报.zip", len(data), io.BytesIO(data))])
    html = client_for(people.supervisor).get(URL, {"year": YEAR}).content.decode()
    text = section_text(html)
    assert "正在核查“尚未核查的一批”：排队等待" in text
    assert reverse("audits:detail", kwargs={"pk": audit.pk}) in text
    assert "尚未核查的一批" not in client_for(people.city_supervisor).get(URL, {"year": YEAR}).content.decode()
    run_worker()  # done: the batch's reports are listed, the notice is gone
    html = client_for(people.supervisor).get(URL, {"year": YEAR}).content.decode()
    assert "正在核查" not in html and "<b>4</b>上传核查的报告" in html
