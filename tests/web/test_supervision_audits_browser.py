"""In a real browser (Playwright driving Debian's chromium): the supervisor's overview with the
reports read from their own batch check, marked 上传核查 — the agency in the app matched by name
shows both, the section lists every uploaded report, a link opens the uploaded report's findings.
Screenshots at desktop and phone width go to artifacts/screenshots/supervision-uploads-*.png."""

from __future__ import annotations

from typing import Any

from gongkai_web.testing import make_agency, make_people, make_tree

from .test_browser import SIZES, browser, login, pytestmark, shoot  # noqa: F401
from .test_supervision_audits import upload_batch

pytestmark = pytestmark  # the same skip when chromium is missing


def test_the_overview_shows_the_uploaded_reports(live_server: Any, transactional_db: None,
                                                 browser: Any) -> None:  # noqa: F811
    tree = make_tree()
    people = make_people(tree)
    finance = make_agency("依兰县财政局", "department", "county", tree.county)
    audit = upload_batch(people.supervisor)
    fin = audit.entries.get(agency="依兰县财政局")
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = ctx.new_page()
    login(page, base, "supervisor")
    page.goto(f"{base}/supervision/?year=2024")
    row = page.locator("#overview-results > .table-scroll tbody tr", has_text=finance.name)
    assert "上传核查" in row.inner_text() and "有错误" in row.inner_text()
    up = page.locator("#uploaded tbody tr")
    assert up.count() == 4
    assert page.locator("#uploaded tbody tr", has_text="未在本系统中").count() == 3
    shoot(browser, page.url, "supervision-uploads", ctx.cookies())
    # errors only, by htmx: the section follows the filter
    page.check("#f-errors")
    page.wait_for_url("**errors=1**")
    page.wait_for_function("document.querySelectorAll('#uploaded tbody tr').length < 4")
    assert "依兰县财政局" in page.inner_text("#uploaded tbody")
    # the agency in the app has no report with errors: the errors-only filter leaves it out of the app's list
    assert page.locator("#overview-results > .table-scroll tbody tr", has_text=finance.name).count() == 0
    # into the uploaded report's findings, from the agency's row of the whole list
    page.goto(f"{base}/supervision/?year=2024")
    row = page.locator("#overview-results > .table-scroll tbody tr", has_text=finance.name)
    row.locator("a.up-mark").click()
    page.wait_for_url(f"**/audits/{audit.pk}/{fin.position}/")
    assert "报告本身的问题" in page.inner_text("main")
