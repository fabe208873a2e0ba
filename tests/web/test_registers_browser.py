"""The registers in a real browser (Playwright driving Debian's chromium): register a document,
enter the months (a bad amount refused in Chinese, the typed values kept), see table 二 counted,
fill the year's draft from the ledger and land in the report workspace.  Screenshots at desktop
and phone width go to artifacts/screenshots/registers-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai_web.registers import actions
from gongkai_web.registers.actions import MonthValues
from gongkai_web.registers.models import Month
from gongkai_web.reports.models import Report
from gongkai_web.testing import make_people, make_tree

from .test_browser import ARTIFACTS, CHROMIUM, browser, login, shoot  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="no chromium")]

YEAR = 2025


def test_registers_in_the_browser(live_server: Any, transactional_db: None, browser: Any,  # noqa: F811
                                  tmp_path: Any) -> None:
    tree = make_tree()
    people = make_people(tree)
    actions.add_document(people.drafter_a, tree.town_a, kind="normative_documents", title="关于加强农村人居环境整治的通知",
                         number="甲政规〔2024〕3号", issued=dt.date(2024, 6, 1))
    actions.save_months(people.drafter_a, tree.town_a, YEAR, {1: MonthValues(licensing=14, punishment=2, fee=Decimal("3.2"))})
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    login(page, base, "drafter_a")
    page.goto(f"{base}/registers/agency/{tree.town_a.pk}/{YEAR}/")
    page.select_option("#id_kind", "rules")
    page.fill("#id_title", "某县甲镇集贸市场管理办法")
    page.fill("#id_number", "甲府令〔2025〕1号")
    page.fill("#id_issued", "2025-03-15")
    page.click("#document-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已登记《某县甲镇集贸市场管理办法》" in page.content()
    # a bad amount: refused, what was typed stays
    page.fill("input[name=m2-licensing]", "9")
    page.fill("input[name=m2-fee]", "1.2万")
    page.click("#months-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.content()
    assert "2月“行政事业性收费（万元）”应为数字" in body
    assert page.input_value("input[name=m2-licensing]") == "9"
    assert not Month.objects.filter(agency=tree.town_a, year=YEAR, month=2).exists()
    page.screenshot(path=str(ARTIFACTS / "registers-bad-month-desktop.png"), full_page=True)
    page.fill("input[name=m2-fee]", "1.25")
    page.click("#months-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Month.objects.get(agency=tree.town_a, year=YEAR, month=2).fee == Decimal("1.25")
    # table 二 on the page: 23 licensing decisions (14 + 9), 4.45 万元 (3.2 + 1.25)
    t2 = page.locator("#t-proactive").locator("xpath=following-sibling::div[1]").inner_text()
    assert "23" in t2 and "4.45" in t2
    cookies = ctx.cookies()
    shoot(browser, f"{base}/registers/agency/{tree.town_a.pk}/{YEAR}/", "registers-index", cookies)
    # the year's tables, then the draft filled from them
    page.goto(f"{base}/registers/agency/{tree.town_a.pk}/{YEAR}/tables/")
    shoot(browser, page.url, "registers-tables", cookies)
    page.click("text=按台账统计，生成报告草稿")
    page.wait_for_load_state("networkidle")
    report = Report.objects.get(agency=tree.town_a, year=YEAR)
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert "已按台账和登记簿统计" in page.content()
    page.goto(f"{base}/registers/agency/{tree.town_a.pk}/{YEAR}/tables/proactive/licensing/decisions/")
    assert "2025年1月行政许可" in page.content() and "2025年2月行政许可" in page.content()
    shoot(browser, page.url, "registers-cell", cookies)
    # a workbook with broken rows: every one listed, nothing stored
    from .test_registers import _bad_and_good_book

    bad = tmp_path / "有错误的台账.xlsx"
    bad.write_bytes(_bad_and_good_book())
    page.goto(f"{base}/registers/agency/{tree.town_a.pk}/{YEAR}/import/")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("button:has-text('预览')")
    page.screenshot(path=str(ARTIFACTS / "registers-import-preview-desktop.png"), full_page=True)
    body = page.content()
    assert "文件有3处错误，没有导入任何内容" in body and "“规章和规范性文件”第3行" in body
    assert "确认导入" not in body
    ctx.close()
