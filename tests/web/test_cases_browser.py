"""The ledger in a real browser (Playwright driving Debian's chromium, headless): a request received
on the Friday before 国庆 2025 → its due date with the working → 补正 → the corrected request →
consultation → decision ``partial`` → the 告知书 DOCX downloads and names the article → table 三 of
the year shows it under 部分公开 with a link back.  Bad input is refused with a Chinese message and
nothing stored.  Screenshots at desktop and phone width go to artifacts/screenshots/.

Dates counted by hand (2025: 10月1日—8日 off; 9月28日 and 10月11日 working): received 9/26 → 20th
working day 10/30; corrected 10/13 → 11/10; consultation 10/15–10/22 (5 working days) → 11/17."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone
from docx import Document

from gongkai_web.cases import actions
from gongkai_web.cases.models import DisclosureRequest, RequestEvent
from gongkai_web.cases.testing import make_request
from gongkai_web.testing import make_people, make_tree

from .test_browser import ARGS, ARTIFACTS, CHROMIUM, SIZES, login

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
        connections.close_all()  # the test's own connections (see test_browser.browser)


def shoot(page: Any, name: str) -> None:
    """The page as it stands (a refused form included) at desktop and at phone width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size in ("desktop", "phone"):
        page.set_viewport_size(SIZES[size])
        page.screenshot(path=str(ARTIFACTS / f"cases-{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def step(page: Any, key: str, fields: dict[str, str]) -> None:
    box = page.locator(f"#step-{key}")
    if box.get_attribute("open") is None:  # a refused step comes back open
        box.locator("summary").click()
    for name, value in fields.items():
        el = box.locator(f"[name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def test_a_request_from_intake_to_table_three(live_server: Any, transactional_db: None, chromium: Any) -> None:
    tree = make_tree()
    people = make_people(tree)
    base = live_server.url
    ctx = chromium.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    login(page, base, "drafter_a")
    page.goto(f"{base}/cases/")
    page.click("text=登记申请")

    # bad input first: a receipt date in the future
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    page.select_option("[name=channel]", "online")
    page.fill("[name=day]", future)
    page.select_option("[name=applicant_kind]", "natural_person")
    page.fill("[name=applicant_name]", "张三")
    page.fill("[name=id_number]", "230124199001011234")
    page.fill("[name=phone]", "13812345678")
    page.fill("[name=subject]", "会发镇2025年农村道路硬化工程的招标文件和中标结果")
    page.click("button:has-text('登记')")
    assert "日期晚于今天" in page.inner_text("main") and "不能记录尚未发生的事" in page.inner_text("main")
    assert DisclosureRequest.objects.count() == 0
    shoot(page, "intake-refused")

    page.fill("[name=day]", "2025-09-26")
    page.click("button:has-text('登记')")
    page.wait_for_url("**/cases/*/")
    row = DisclosureRequest.objects.get()
    due = page.inner_text("#due")
    working = page.inner_text("#working")
    assert "2025年10月30日" in due
    assert "收到申请：2025年9月26日（周五）" in working and "国庆节、中秋节（2025年10月1日—10月8日）" in working
    assert "第20个工作日为2025年10月30日（周四）" in working
    assert "138****5678" in page.inner_text("main") and "13812345678" not in page.content()
    shoot(page, "request-received")

    # a decision dated before receipt, and an outcome without its legal ground: refused, nothing stored
    step(page, "decide", {"on": "2025-09-20", "outcome": "granted"})
    assert "早于上一事件“收到申请”" in page.inner_text("#step-decide")
    step(page, "decide", {"on": "2025-10-09", "outcome": "other.other"})
    assert "须写明答复依据" in page.inner_text("#step-decide")
    shoot(page, "decision-refused")
    assert RequestEvent.objects.filter(request=row).count() == 1

    step(page, "correction", {"on": "2025-09-29", "days": "15", "items": "请写明所需招标文件对应的项目名称"})
    # (seen from today, long after the 15 working days given: the waiting period is over)
    assert "等待期已满，待处理" in page.inner_text("h1") and "待补正后确定" in page.inner_text("#due")
    assert "补正告知：应在收到申请后7个工作日内（2025年10月13日前）一次性告知；2025年9月29日告知补正（第2个工作日），补正期限15个工作日，至2025年10月27日" in page.inner_text("#working")
    step(page, "corrected", {"on": "2025-10-13"})
    assert "2025年11月10日" in page.inner_text("#due")
    step(page, "consult", {"on": "2025-10-15", "party": "third_party", "whom": "某建设工程有限公司"})
    assert "征求某建设工程有限公司意见（2025年10月15日发出，15个工作日）" in page.inner_text("#working")
    step(page, "answered", {"on": "2025-10-22"})
    assert "2025年11月17日" in page.inner_text("#due")
    assert "不计入，共5个工作日" in page.inner_text("#working")
    step(page, "decide", {"on": "2025-10-24", "outcome": "partial"})
    assert "部分公开" in page.inner_text("main") and "第三十七条" in page.inner_text("main")
    shoot(page, "request-decided")

    with page.expect_download() as dl:
        page.click("text=政府信息公开申请答复告知书（DOCX）")
    data = Path(dl.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "《中华人民共和国政府信息公开条例》第三十七条" in text and "60日内" in text and "6个月内" in text
    assert dl.value.suggested_filename.endswith(".docx")

    # a second extension on another request: refused
    other = make_request(people.drafter_a, tree.town_a, date(2025, 11, 3), applicant_name="李四", subject="低保名单")
    actions.extend(people.drafter_a, other, on=date(2025, 11, 20), days=10, approver="王主任", reason="档案在外地",
                   today=date(2025, 11, 20))
    page.goto(f"{base}/cases/{other.pk}/")
    step(page, "extend", {"on": "2025-11-21", "days": "5", "approver": "王主任", "reason": "再次延期"})
    assert "延长答复期限只能一次（条例第三十三条）" in page.inner_text("#step-extend")
    assert RequestEvent.objects.filter(request=other).count() == 2

    # a broken spreadsheet: every bad row named, nothing imported
    import openpyxl

    from gongkai.ledger.template import template_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = wb["依申请公开台账"]
    headers = [c.value for c in ws[1]]
    for n, values in ((2, {"编号": "X-1", "申请人类型": "自然人", "渠道": "网络", "收到日期": "2025-02-30"}),
                      (3, {"编号": "X-2", "申请人类型": "自然人", "渠道": "飞鸽", "收到日期": date(2025, 3, 3)})):
        for k, v in values.items():
            ws.cell(n, headers.index(k) + 1, v)
    xlsx = ARTIFACTS.parent / "broken-ledger.xlsx"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wb.save(xlsx)
    page.goto(f"{base}/cases/agency/{tree.town_a.pk}/import/")
    page.set_input_files("input[type=file]", str(xlsx))
    page.click("button:has-text('预览')")
    problems = page.inner_text("#preview")
    assert "“依申请公开台账”第2行" in problems and "“依申请公开台账”第3行" in problems and "什么都没有导入" in problems
    assert DisclosureRequest.objects.count() == 2
    shoot(page, "import-refused")

    # the year's table 三 counts it under 部分公开, with a link back to the request
    page.goto(f"{base}/registers/agency/{tree.town_a.pk}/2025/tables/")
    cell = page.locator("a[href$='/requests/partial/natural_person/']")
    assert cell.inner_text().strip() == "1"
    cell.click()
    page.click(f"a[href$='/cases/{row.pk}/']")
    page.wait_for_url(f"**/cases/{row.pk}/")
    assert f"申请{row.number}" in page.inner_text("h1")

    # the lists
    page.goto(f"{base}/cases/agency/{tree.town_a.pk}/?show=all")
    shoot(page, "list")
    ctx.close()
