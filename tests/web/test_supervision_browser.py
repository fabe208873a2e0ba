"""In a real browser (Playwright driving Debian's chromium): a supervisor opens 年报监督, sees the
overdue agency, narrows the list to the late ones without a page load (htmx), opens a report
and sees its findings; the sums and trend pages.  Screenshots at desktop and phone width go to
artifacts/screenshots/."""

from __future__ import annotations

from typing import Any

from gongkai_web.testing import make_people, make_report, make_tree, valid_report

from .test_browser import ARTIFACTS, SIZES, browser, login, pytestmark, shoot  # noqa: F401

pytestmark = pytestmark  # the same skip when chromium is missing


def test_a_supervisor_finds_the_overdue_agency_and_its_findings(
        live_server: Any, transactional_db: None, browser: Any) -> None:  # noqa: F811
    tree = make_tree()
    people = make_people(tree)
    for year in (2021, 2022, 2023):
        make_report(people.drafter_a, tree.town_a, year, lib=valid_report(tree.town_a, year), stage="published",
                    approver=people.approver_a)
    broken = valid_report(tree.town_b, 2023)
    broken.table("requests").set("new", "total", 999)
    report_b = make_report(people.drafter_b, tree.town_b, 2023, lib=broken, stage="submitted")
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = ctx.new_page()
    login(page, base, "supervisor")
    page.click("nav a:has-text('年报监督')")
    page.select_option("#sv-year", "2023")
    page.wait_for_selector("#overview-results tbody tr")
    row_b = page.locator("#overview-results tr", has_text=tree.town_b.name)
    assert "待审核" in row_b.inner_text() and "逾期" in row_b.inner_text()
    row_a = page.locator("#overview-results tr", has_text=tree.town_a.name)
    assert "已发布" in row_a.inner_text() and "逾期" not in row_a.inner_text()
    shoot(browser, page.url, "supervision-overview", ctx.cookies())

    # only the late ones, by htmx: the list changes, the page does not reload
    page.evaluate("window.__kept = true")
    page.select_option("#f-status", "overdue")
    page.wait_for_function("!document.querySelector('#overview-results').innerText.includes('已发布')")
    assert page.evaluate("window.__kept") is True
    assert "status=overdue" in page.url
    names = page.locator("#overview-results tbody td.name").all_inner_texts()
    assert any(tree.town_b.name in n for n in names) and not any(tree.town_a.name in n for n in names)

    # a name typed: the list follows as one types; the button does the same without a reload
    page.fill("#f-q", "乙乡")
    page.wait_for_function("document.querySelectorAll('#overview-results tbody tr').length === 1")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**q=**")
    assert page.evaluate("window.__kept") is True
    assert tree.town_b.name in page.inner_text("#overview-results tbody")
    page.fill("#f-q", "")
    page.wait_for_function("document.querySelectorAll('#overview-results tbody tr').length > 1")

    # the worst first, then into the report and its findings
    page.click("#overview-results a.sort:has-text('错误')")
    page.wait_for_url("**sort=errors**")
    first = page.locator("#overview-results tbody tr").first
    assert tree.town_b.name in first.inner_text()
    # a filter changed after sorting by a heading keeps that order
    page.select_option("#f-kind", "township")
    page.wait_for_url("**kind=township**")
    assert "sort=errors" in page.url and "dir=desc" in page.url
    first = page.locator("#overview-results tbody tr").first
    assert tree.town_b.name in first.inner_text()
    first.locator("a", has_text="待审核").click()
    page.wait_for_selector("#findings")
    assert page.url.endswith(f"/reports/{report_b.pk}/")
    assert "t3.E001" in page.inner_text("#findings")
    assert page.locator("input[name^='c:']").count() == 0  # a supervisor reads, never edits the numbers

    page.goto(f"{base}/supervision/sums/?year=2023&scope=all")
    assert "汇总数不平衡" in page.inner_text("#findings")
    shoot(browser, page.url, "supervision-sums", ctx.cookies())
    page.goto(f"{base}/supervision/trends/")
    assert page.locator("svg.chart").count() == 2
    shoot(browser, page.url, "supervision-trends", ctx.cookies())
    ctx.close()
