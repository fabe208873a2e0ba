"""In a real browser (Playwright driving Debian's chromium, headless): log in, import the seed,
see zero errors, change a number, see the finding appear, submit, approve, publish (errors block
it until a reason is given), open the public page, download the DOCX; a supervisor sees the
overdue agency.  Screenshots of each main page at desktop and phone width go to artifacts/."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from gongkai_web.reports.models import Report
from gongkai_web.testing import PASSWORD, make_people, make_report, make_tree

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian chromium not installed (./dev installs it as root)"),
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
        # While Playwright's sync API runs, the test's ORM calls use database connections of their
        # own (Django keeps connections per context, and the test runs in the context Playwright
        # entered), which the test database's teardown never sees: on PostgreSQL the database
        # could not be dropped ("being accessed by other users").  Close them here, still inside.
        connections.close_all()


def shoot(browser: Any, url: str, name: str, cookies: list[dict[str, Any]] | None = None) -> None:
    """The page at desktop and phone width, whole page, into artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        if cookies:
            ctx.add_cookies(cookies)
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        ctx.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_draft_check_publish_in_the_browser(live_server: Any, transactional_db: None, browser: Any) -> None:
    tree = make_tree()
    make_people(tree)
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    shoot(browser, f"{base}/accounts/login/", "login")

    # the drafter imports the seed and sees zero errors
    login(page, base, "drafter_a")
    page.click("a[href$='/new/?year=2021']")
    page.check("input[name=start][value=import]")
    page.set_input_files("input[name=file]", str(SEED))
    page.click("button:has-text('建立报告')")
    page.wait_for_selector("#findings")
    assert "0 个错误" in page.inner_text("#findings")
    report = Report.objects.get(agency=tree.town_a, year=2021)
    cookies = ctx.cookies()
    shoot(browser, f"{base}/", "workbench-drafter", cookies)
    shoot(browser, f"{base}/reports/agency/{tree.town_a.pk}/new/", "new-report", cookies)

    # change a number: the finding appears beside the cell without saving
    cell = page.locator("input[name='c:requests:new:natural_person']")
    with page.expect_request(lambda r: r.url.endswith("/check/")) as sent:
        cell.fill("5")
    # the live check sends the form as one JSON object (htmx extension gk-json)
    assert sent.value.headers.get("content-type") == "application/json"
    assert json.loads(sent.value.post_data or "")["c:requests:new:natural_person"] == "5"
    page.wait_for_selector("#m-requests-new-natural_person .badge.error")
    findings = page.inner_text("#findings")
    assert "t3.E001" in findings and "新收 5" in findings
    assert Report.objects.get(pk=report.pk).revision == report.revision  # the check saved nothing
    page.screenshot(path=str(ARTIFACTS / "workspace-finding-desktop.png"), full_page=False)
    page.click(".savebar button:has-text('保存')")
    page.wait_for_selector(".msg.success")
    assert "已保存" in page.inner_text(".messages")
    shoot(browser, f"{base}/reports/{report.pk}/", "workspace", ctx.cookies())
    shoot(browser, f"{base}/reports/{report.pk}/history/", "history", ctx.cookies())
    page.click("button:has-text('提交审核')")
    page.wait_for_selector(".s-submitted")
    ctx.close()

    # the approver approves; publishing is blocked by the errors until a reason is given
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    login(page, base, "approver_a")
    page.goto(f"{base}/reports/{report.pk}/")
    page.click("button:has-text('审核通过')")
    page.wait_for_selector(".s-approved")
    page.click("button:has-text('发布')")
    page.wait_for_selector(".msg.error")
    assert "不能发布" in page.inner_text(".messages")
    page.fill("#id_override_reason", "演示：核对后按原件发布")
    page.click("button:has-text('发布')")
    page.wait_for_selector(".s-published")
    ctx.close()

    # anyone opens the public page and downloads the Word file
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{base}/public/")
    page.click(f"a:has-text('{tree.town_a.name}')")
    page.click("a:has-text('2021年度报告')")
    assert "第1版" in page.inner_text(".version-line")
    assert "演示：核对后按原件发布" in page.content()
    with page.expect_download() as info:
        page.click("a.button:has-text('Word')")
    download = info.value
    path = download.path()
    assert download.suggested_filename.endswith(".docx")
    assert Path(path).read_bytes()[:2] == b"PK"
    shoot(browser, f"{base}/public/", "public-index")
    shoot(browser, f"{base}/public/{tree.town_a.pk}/2021/", "public-report")
    ctx.close()


def test_a_supervisor_sees_the_overdue_agency_and_its_findings(
        live_server: Any, transactional_db: None, browser: Any) -> None:
    tree = make_tree()
    people = make_people(tree)
    from gongkai_web.testing import valid_report

    lib = valid_report(tree.town_b, 2023)
    lib.table("requests").set("new", "total", 999)
    make_report(people.drafter_b, tree.town_b, 2023, lib=lib, stage="submitted")
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = ctx.new_page()
    login(page, base, "supervisor")
    page.goto(f"{base}/?year=2023")
    row_a = page.locator("tr", has_text=tree.town_a.name)
    assert "逾期" in row_a.inner_text()  # no report at all, the deadline long past
    row_b = page.locator("tr", has_text=tree.town_b.name)
    assert "待审核" in row_b.inner_text()
    row_b.locator("a", has_text="待审核").click()
    page.wait_for_selector("#findings")
    assert "t3.E" in page.inner_text("#findings")
    assert page.locator("input[name^='c:']").count() == 0  # a supervisor cannot edit the numbers
    shoot(browser, f"{base}/?year=2023", "workbench-supervisor", ctx.cookies())
    ctx.close()
