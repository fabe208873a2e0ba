"""Batch check in a real browser (Playwright driving Debian's chromium): a supervisor uploads a
folder (the portal page and its text version side by side, a report, a .doc), the database worker
runs, the page's htmx polling shows the results without a reload, the report's findings open.
Screenshots at desktop and phone width go to artifacts/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gongkai_web.audits.models import Audit, AuditEntry
from gongkai_web.testing import make_people, make_tree

from .test_audits import PORTAL, SAMPLES, run_worker
from .test_browser import ARTIFACTS, CHROMIUM, SIZES, browser, login, shoot

__all__ = ["browser"]  # the fixture, imported for pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian chromium not installed (./dev installs it as root)"),
    pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not on this machine"),
]


def test_folder_upload_progress_and_findings(live_server: Any, transactional_db: None, browser: Any,
                                             tmp_path: Path) -> None:
    make_people(make_tree())
    folder = tmp_path / "2023年度年报"
    shutil.copytree(PORTAL, folder / PORTAL.name)
    shutil.copy(SAMPLES / "wild" / "平潭综合实验区管委会办公室-2023.txt", folder)
    (folder / "旧稿.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

    base = live_server.url
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = ctx.new_page()
    login(page, base, "supervisor")
    page.click("nav a:has-text('批量核查')")
    page.wait_for_selector("#audit-upload")
    shoot(browser, page.url, "audits-index-empty", ctx.cookies())
    page.fill("#id_title", "2023年度平潭部门年报")
    page.set_input_files("#id_folder", str(folder))
    page.click("button:has-text('上传并核查')")
    page.wait_for_selector("#audit-progress .a-queued")
    audit = Audit.objects.get(title="2023年度平潭部门年报")
    # the folder paths came with the files: the page and its text version are side by side
    assert set(audit.files.values_list("name", flat=True)) == {
        f"2023年度年报/{PORTAL.name}/page.html", f"2023年度年报/{PORTAL.name}/page.txt",
        "2023年度年报/平潭综合实验区管委会办公室-2023.txt", "2023年度年报/旧稿.doc"}
    page.screenshot(path=str(ARTIFACTS / "audits-queued-desktop.png"), full_page=True)

    run_worker()

    # the page asks for progress by itself and shows the results
    page.wait_for_selector("#audit-progress .a-done", timeout=20_000)
    text = page.inner_text("#audit-progress")
    assert "平潭综合实验区经济发展局2023年度报告" in text and "平潭综合实验区管委会办公室2023年度报告" in text
    assert "未读取的文件（1 个）" in text and "另存为 .docx" in text
    assert f"＋2023年度年报/{PORTAL.name}/page.txt" in text
    shoot(browser, page.url, "audits-results", ctx.cookies())
    shoot(browser, f"{base}/audits/", "audits-index", ctx.cookies())

    page.click("a:has-text('平潭综合实验区经济发展局2023年度报告')")
    page.wait_for_selector("h2:has-text('报告本身的问题')")
    entry = AuditEntry.objects.get(audit=audit, source=f"2023年度年报/{PORTAL.name}/page.html")
    for f in entry.document_findings:
        assert f["message"] in page.inner_text(".findings-panel")
    shoot(browser, page.url, "audits-entry", ctx.cookies())
    ctx.close()
