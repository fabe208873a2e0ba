"""Batch checks of published reports: upload, the real database worker, the results.

Every test that checks runs django-tasks' database worker (``db_worker --batch``) on the real test
database until the queue is empty — nothing is mocked.  The documents are the shared samples; the
expected agencies and years are read from their titles (see /work/shared/samples/README.md).
"""

from __future__ import annotations

import io
import signal
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gongkai_web.audits import actions
from gongkai_web.audits.models import Audit, AuditEntry, AuditFile
from gongkai_web.orgs.models import User
from gongkai_web.testing import People

SAMPLES = Path("/work/shared/samples")
SEEDS = Path("/work/shared/seeds")
FUZZ = Path("/work/shared/fuzz")
PORTAL = SAMPLES / "portal" / "平潭综合实验区经济发展局-2023"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not on this machine")

ClientFor = Callable[[User], Client]


def run_worker() -> None:
    """django-tasks' database worker until the queue is empty (its --batch option), in this process."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def sample(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return upload(name or path.name, path.read_bytes())


def post(client: Client, files: list[SimpleUploadedFile], folder: list[tuple[str, SimpleUploadedFile]] = (),
         title: str = "测试批次") -> Audit:
    data: dict[str, object] = {"title": title, "files": files}
    if folder:
        data["folder"] = [f for _, f in folder]
        data["folder_paths"] = "[" + ",".join(f'"{p}"' for p, _ in folder) + "]"
    before = set(Audit.objects.values_list("pk", flat=True))
    response = client.post(reverse("audits:index"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (pk,) = set(Audit.objects.values_list("pk", flat=True)) - before
    assert response["Location"] == reverse("audits:detail", kwargs={"pk": pk})
    return Audit.objects.get(pk=pk)


def gbk_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A ZIP as Chinese Windows makes it: names in GBK and no UTF-8 flag (Python's writer would set
    the flag, so the names are written as ASCII stand-ins of the same length and swapped after)."""
    out = io.BytesIO()
    swaps = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(members):
            raw = name.encode("gbk")
            stand_in = f"~{i:03d}".ljust(len(raw), "~").encode()
            swaps.append((stand_in, raw))
            z.writestr(zipfile.ZipInfo(stand_in.decode(), date_time=(2024, 1, 1, 0, 0, 0)), data)
    data = out.getvalue()
    for stand_in, raw in swaps:
        data = data.replace(stand_in, raw)
    return data


def entries(audit: Audit) -> dict[str, AuditEntry]:
    return {e.source: e for e in audit.entries.all()}


@pytest.fixture
def tdb(transactional_db: None) -> Iterator[None]:
    # the worker commits (and closes connections between tasks) like a real one: a transactional database
    yield


@pytest.fixture
def supervisor_client(tdb: None, people: People, client_for: ClientFor) -> Client:
    return client_for(people.supervisor)


def test_worker_reads_and_checks_real_reports(supervisor_client: Client, people: People) -> None:
    folder = [(f"{PORTAL.name}/page.html", sample(PORTAL / "page.html")),
              (f"{PORTAL.name}/page.txt", sample(PORTAL / "page.txt"))]
    audit = post(supervisor_client, [
        sample(SAMPLES / "pdf" / "淮安市洪泽区人民政府-2023.pdf"),
        sample(SAMPLES / "wild" / "平潭综合实验区管委会办公室-2023.txt"),
        sample(SEEDS / "000_486c4dbf7b9bad2b.txt", "会发镇2021年报.txt"),
    ], folder)
    # stored with the job queued in the same transaction; nothing is read before the worker runs
    assert audit.status == Audit.Status.QUEUED and audit.created_by == people.supervisor
    assert audit.files.count() == 5 and not audit.entries.exists()
    assert DBTaskResult.objects.filter(id=audit.task_id).exists()
    stored = AuditFile.objects.get(audit=audit, name=f"{PORTAL.name}/page.html")
    assert bytes(stored.content) == (PORTAL / "page.html").read_bytes()

    run_worker()

    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE, audit.failure
    assert (audit.total, audit.done) == (4, 4)
    assert DBTaskResult.objects.get(id=audit.task_id).status == "SUCCESSFUL"
    rows = entries(audit)
    assert set(rows) == {"淮安市洪泽区人民政府-2023.pdf", "平潭综合实验区管委会办公室-2023.txt",
                         "会发镇2021年报.txt", f"{PORTAL.name}/page.html"}
    # agency and year as the documents' titles give them
    pdf = rows["淮安市洪泽区人民政府-2023.pdf"]
    assert (pdf.agency, pdf.year) == ("洪泽区人民政府", 2023)
    seed = rows["会发镇2021年报.txt"]
    assert (seed.agency, seed.year) == ("方正县会发镇人民政府", 2021)
    wild = rows["平潭综合实验区管委会办公室-2023.txt"]
    assert (wild.agency, wild.year) == ("平潭综合实验区管委会办公室", 2023)
    # the portal page and its text version, uploaded as a folder, are one report read with both forms
    page = rows[f"{PORTAL.name}/page.html"]
    assert (page.agency, page.year) == ("平潭综合实验区经济发展局", 2023)
    assert page.other_forms == [f"{PORTAL.name}/page.txt"]
    # counts agree with the stored findings; reading notices are kept apart from the document's
    for e in rows.values():
        assert e.status != AuditEntry.Status.UNREADABLE
        assert e.errors == sum(1 for f in e.document_findings if f["severity"] == "error")
        assert e.warnings == sum(1 for f in e.document_findings if f["severity"] == "warning")
        assert e.notices == len(e.reading_notices)
        assert all("gongkai-audit-" not in str(f) for f in e.findings)  # no temporary paths shown
    # the 2023 PDF prints table 四 totals of 0 under non-zero results (samples/README.md): errors
    assert pdf.status == AuditEntry.Status.ERRORS and pdf.errors > 0
    assert any(f["id"].startswith("t4.") for f in pdf.document_findings)
    assert audit.summary["reports"] == 4 and audit.summary["error"] == sum(e.errors for e in rows.values())

    # the results page lists every report and links to each one's findings
    page_html = supervisor_client.get(reverse("audits:detail", kwargs={"pk": audit.pk})).content.decode()
    for e in rows.values():
        assert reverse("audits:entry", kwargs={"pk": audit.pk, "position": e.position}) in page_html
    assert "洪泽区人民政府2023年度报告" in page_html and "hx-trigger" not in page_html
    finding_page = supervisor_client.get(reverse("audits:entry", kwargs={"pk": audit.pk, "position": pdf.position}))
    assert finding_page.status_code == 200
    text = finding_page.content.decode()
    assert "报告本身的问题" in text and pdf.document_findings[0]["message"] in text
    # only the reports with errors: the PDF, not the seed (which has none)
    only = supervisor_client.get(reverse("audits:detail", kwargs={"pk": audit.pk}) + "?show=errors").content.decode()
    assert "洪泽区人民政府2023年度报告" in only and "方正县会发镇人民政府2021年度报告" not in only
    assert "方正县会发镇人民政府2021年度报告" in page_html

    # the library's workbook of the batch: every finding stored is a row of 问题清单 or 读取提示
    from openpyxl import load_workbook

    xlsx = supervisor_client.get(reverse("audits:download", kwargs={"pk": audit.pk, "fmt": "xlsx"}))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    wb = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    found = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert len(found) == sum(len(e.document_findings) for e in rows.values())
    assert {r[0] for r in found if r[0]} <= set(rows)
    assert any(r[3] == pdf.document_findings[0]["id"] and r[0] == pdf.source for r in found)
    listed = list(wb["报告清单"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in listed) == sorted(rows)
    html = supervisor_client.get(reverse("audits:download", kwargs={"pk": audit.pk, "fmt": "html"}))
    assert html.status_code == 200 and "default-src 'none'" in html["Content-Security-Policy"]
    assert "洪泽区人民政府" in html.content.decode()
    assert supervisor_client.get(reverse("audits:download", kwargs={"pk": audit.pk, "fmt": "exe"})).status_code == 404


def test_bad_input_is_a_message_per_file_and_the_job_goes_on(supervisor_client: Client) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("炸弹.txt", b"0" * (15 * 1024 * 1024))  # 15 MB of zeros, packed ~1000 times
    # a ZIP made on Chinese Windows: GBK names without the UTF-8 flag, a .doc, an image, a ZIP inside
    packed = gbk_zip([("年报/管委会办公室2024.txt", (SAMPLES / "wild" / "平潭综合实验区管委会办公室-2024.txt").read_bytes()),
                      ("年报/旧稿.doc", b"\xd0\xcf\x11\xe0 not really"), ("年报/扫描件.png", b"\x89PNG\r\n"),
                      ("年报/再压一层.zip", b"PK\x05\x06" + bytes(18)), ("__MACOSX/._x", b"")])
    fifty = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    memo = "关于召开春季运动会的通知\n各科室：定于四月举行春季运动会，请踊跃报名。\n".encode()
    files = [upload("坏的压缩包.zip", b"PK\x03\x04 this is not a zip at all"), upload("炸弹.zip", bomb.getvalue()),
             upload("打包.zip", packed), upload("超大的年报.pdf", fifty), upload("会议通知.txt", memo),
             upload("旧版年报.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), upload("照片.jpg", b"\xff\xd8\xff\xe0"),
             sample(FUZZ / "014_crash_pdf.pdf"), sample(FUZZ / "011_traceback_docx.docx")]
    audit = post(supervisor_client, files)
    # the upload is kept: every file within the limit as sent; the 50 MB file as a row with the reason
    big = audit.files.get(name="超大的年报.pdf")
    assert big.content is None and big.size == len(fifty) and "50.0 MB" in big.refused and "20.0 MB" in big.refused
    assert bytes(audit.files.get(name="打包.zip").content) == packed

    run_worker()

    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE, audit.failure
    rows = entries(audit)
    reasons = {src: e.reason for src, e in rows.items()}
    assert "压缩包已损坏或不是 ZIP 格式" in reasons["坏的压缩包.zip"]
    assert "压缩炸弹" in reasons["炸弹.zip/炸弹.txt"]
    assert "超过单个文件 20.0 MB 的上限" in reasons["超大的年报.pdf"]
    assert ".doc" in reasons["旧版年报.doc"] and "另存为 .docx" in reasons["旧版年报.doc"]
    assert "图片文件" in reasons["照片.jpg"]
    assert "不是一份全国统一格式的年度报告" in reasons["会议通知.txt"]
    assert rows["会议通知.txt"].status == AuditEntry.Status.UNREADABLE
    # the ZIP's GBK names are read as their author wrote them; its report is read, the rest listed
    inner = rows["打包.zip/年报/管委会办公室2024.txt"]
    assert (inner.agency, inner.year) == ("平潭综合实验区管委会办公室", 2024)
    assert "另存为 .docx" in reasons["打包.zip/年报/旧稿.doc"]
    assert "图片文件" in reasons["打包.zip/年报/扫描件.png"]
    assert "压缩包" in reasons["打包.zip/年报/再压一层.zip"]
    assert not any("__MACOSX" in s for s in rows)
    # the fuzzer's reproducers are results too (read or not, never the end of the job)
    assert {"014_crash_pdf.pdf", "011_traceback_docx.docx"} <= set(rows)
    # every file not read says why, in Chinese
    for e in rows.values():
        if e.status in (AuditEntry.Status.SKIPPED, AuditEntry.Status.UNREADABLE):
            assert e.reason and any("\u4e00" <= ch <= "\u9fff" for ch in e.reason), e.source
            assert "Traceback" not in e.reason
    page = supervisor_client.get(reverse("audits:detail", kwargs={"pk": audit.pk})).content.decode()
    assert "未读取的文件" in page and "压缩炸弹" in page and "50.0 MB" in page


def test_rerun_checks_the_stored_upload_again(supervisor_client: Client, people: People) -> None:
    audit = post(supervisor_client, [sample(SAMPLES / "wild" / "平潭综合实验区管委会办公室-2023.txt"),
                                     upload("说明.doc", b"x")])
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE and audit.runs == 1
    first = sorted((e.source, e.status, e.errors, e.warnings) for e in audit.entries.all())
    response = supervisor_client.post(reverse("audits:rerun", kwargs={"pk": audit.pk}))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.QUEUED and audit.events.filter(kind="rerun").count() == 1
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE and audit.runs == 2
    assert sorted((e.source, e.status, e.errors, e.warnings) for e in audit.entries.all()) == first


def test_reader_processes(supervisor_client: Client, settings) -> None:
    """GONGKAI_AUDIT_WORKERS > 1: the library reads in forked processes; the results are the same."""
    settings.GONGKAI_AUDIT_WORKERS = 2
    names = ["平潭综合实验区管委会办公室-2023.txt", "平潭综合实验区管委会办公室-2024.txt", "平潭综合实验区管委会办公室-2025.txt"]
    audit = post(supervisor_client, [sample(SAMPLES / "wild" / n) for n in names])
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE, audit.failure
    rows = entries(audit)
    assert [rows[n].year for n in names] == [2023, 2024, 2025]
    assert {rows[n].agency for n in names} == {"平潭综合实验区管委会办公室"}
    # 2024 prints 行政规范性文件114251; 2025's 9,7,253 (its narrative) gives 2024's 现行有效 253 − 9 + 7 = 251:
    # the library sets the cell and checks 2024 again; the job stores that result once
    y24 = rows[names[1]]
    settled = [f["message"] for f in y24.reading_notices if "下一年度报告" in f["message"]]
    assert len(settled) == 1 and settled[0].endswith("读作现行有效件数 251"), settled
    assert not [f for f in y24.findings if f["id"] == "xyear.I001"]
    assert audit.entries.count() == 3 and audit.summary["reports"] == 3


def test_progress_polls_until_the_job_is_done(supervisor_client: Client) -> None:
    audit = post(supervisor_client, [sample(SAMPLES / "wild" / "平潭综合实验区管委会办公室-2023.txt")])
    url = reverse("audits:progress", kwargs={"pk": audit.pk})
    queued = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="' + url + '"' in queued and "every 2s" in queued and "排队" in queued
    run_worker()
    done = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in done and "已完成" in done and "平潭综合实验区管委会办公室2023年度报告" in done


def test_a_batch_nobody_takes_says_the_worker_may_be_down(supervisor_client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    audit = post(supervisor_client, [sample(SAMPLES / "wild" / "平潭综合实验区管委会办公室-2023.txt")])
    url = reverse("audits:progress", kwargs={"pk": audit.pk})
    assert "可能没有运行" not in supervisor_client.get(url).content.decode()
    Audit.objects.filter(pk=audit.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert "可能没有运行" in supervisor_client.get(url).content.decode()
    run_worker()
    assert "可能没有运行" not in supervisor_client.get(url).content.decode()


def test_a_folder_of_many_files_and_too_many(supervisor_client: Client, settings) -> None:
    # more files than Django takes in one request by default (100): a county's folder of reports
    many = [upload(f"{i:03d}.txt", b"x") for i in range(150)]
    audit = post(supervisor_client, [], [(f"县/{f.name}", f) for f in many])
    assert audit.files.count() == 150 and audit.files.filter(name="县/149.txt").exists()
    settings.GONGKAI_AUDIT_MAX_FILES = settings.DATA_UPLOAD_MAX_NUMBER_FILES = 20
    before = Audit.objects.count()
    response = supervisor_client.post(reverse("audits:index"), {"files": [upload(f"{i}.txt", b"x") for i in range(21)]})
    assert response.status_code == 400
    assert "一次最多上传 20 个文件" in response.content.decode()
    assert Audit.objects.count() == before


def test_empty_upload_is_refused_with_a_message(supervisor_client: Client) -> None:
    response = supervisor_client.post(reverse("audits:index"), {"title": "空"})
    assert response.status_code == 400
    assert "没有选择文件" in response.content.decode()
    assert not Audit.objects.exists() and not DBTaskResult.objects.exists()


def test_oversized_request_is_refused_before_anything_is_stored(supervisor_client: Client, settings) -> None:
    settings.GONGKAI_AUDIT_MAX_BATCH = 1024
    response = supervisor_client.post(reverse("audits:index"), {"files": [upload("a.txt", b"0" * (2 << 20))]})
    assert response.status_code == 413
    assert "超过一次上传" in response.content.decode()
    assert not Audit.objects.exists()


def test_action_refuses_a_township_user(tdb: None, people: People) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_audit(people.drafter_a, "x", [actions.Upload("a.txt", 1, io.BytesIO(b"a"))])
    assert not Audit.objects.exists()


def test_demo_batch_with_findings_across_reports(tdb: None, people: People) -> None:
    from gongkai_web.audits.demo import TITLE, build_audits

    assert build_audits({"zhuguan": people.supervisor}) == 1
    assert build_audits({"zhuguan": people.supervisor}) == 0  # once
    run_worker()
    audit = Audit.objects.get(title=TITLE)
    assert audit.status == Audit.Status.DONE, audit.failure
    rows = entries(audit)
    base = "依兰县2024年度年报.zip/依兰县2024年度年报"
    assert {e.agency for e in rows.values() if e.agency} == {
        "依兰县人民政府办公室", "依兰县财政局", "依兰县依兰镇人民政府", "依兰县达连河镇人民政府"}
    # the sum made not to add up, and the blanks left in table 三
    assert any(f["id"].startswith("t3.E") for f in rows[f"{base}/财政局2024年报.html"].findings)
    assert any(f["id"] == "t3.W001" for f in rows[f"{base}/乡镇/达连河镇2024年报.html"].findings)
    # a comparison across the batch's reports lands in the report it concerns
    assert any(f["id"].startswith("xagency.") for e in rows.values() for f in e.findings)
    assert rows[f"{base}/教育局2024年报.doc"].status == AuditEntry.Status.SKIPPED
    assert rows[f"{base}/卫健局年报扫描件.jpg"].status == AuditEntry.Status.SKIPPED


@pytest.mark.skipif(not FUZZ.is_dir(), reason="the shared fuzz reproducers are not on this machine")
def test_every_fuzz_reproducer_in_one_zip(supervisor_client: Client) -> None:
    """The inputs that once crashed or hung the readers, as one ZIP: the job finishes and every file
    is a result row — read, or not read with a reason."""
    names = sorted(p.name for p in FUZZ.iterdir() if p.is_file())
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.write(FUZZ / name, f"fuzz/{name}")
    audit = post(supervisor_client, [upload("复现文件.zip", packed.getvalue())])
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE, audit.failure
    rows = entries(audit)
    assert set(rows) == {f"复现文件.zip/fuzz/{n}" for n in names}
    for e in rows.values():
        if e.status in (AuditEntry.Status.SKIPPED, AuditEntry.Status.UNREADABLE):
            assert e.reason and "Traceback" not in e.reason, e.source
