"""The workspace: create, edit, check as you type, save with the version counter, import, download;
bad input gets a Chinese message and nothing stored is lost."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai_web.orgs.models import User
from gongkai_web.reports import library
from gongkai_web.reports.models import Report, ReportCell
from gongkai_web.testing import People, Tree, form_data, make_report, valid_report

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed-2021-huifa" / "source.txt"


@pytest.fixture
def draft(tree: Tree, people: People) -> Report:
    return make_report(people.drafter_a, tree.town_a, 2023, lib=valid_report(tree.town_a, 2023))


def test_a_new_report_has_the_years_format(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    c = client_for(people.drafter_a)
    for year, fmt in ((2020, "2019"), (2023, "2021")):
        r = c.post(reverse("reports:new", args=[tree.town_a.pk]), {"year": year, "start": "blank"})
        assert r.status_code == 302
        report = Report.objects.get(agency=tree.town_a, year=year)
        assert report.format_id == fmt
        assert report.document["agency_kind"] == "township"
        page = c.get(r["Location"]).content.decode()
        assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page  # table 三's corner
        assert 'name="c:requests:new:natural_person"' in page


def test_last_years_narrative_and_carry_over_as_a_starting_point(
        tree: Tree, people: People, draft: Report, client_for: Callable[[User], Client]) -> None:
    r = client_for(people.drafter_a).post(reverse("reports:new", args=[tree.town_a.pk]),
                                          {"year": 2024, "start": "previous"})
    assert r.status_code == 302
    new = Report.objects.get(agency=tree.town_a, year=2024)
    last = draft.document
    assert new.document["sections"]["overview"] == last["sections"]["overview"]
    assert new.document["tables"]["requests"]["carried_over"] == last["tables"]["requests"]["carried_forward"]
    assert new.document["tables"]["requests"]["new"]["total"] is None  # numbers of the year are not copied


def test_saving_changes_a_cell_records_it_and_derives_rows(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    data = form_data(draft)
    old = data["c:requests:granted:natural_person"]
    data["c:requests:granted:natural_person"] = str(int(old) + 3)
    data["s:problems"] = "存在问题：培训不足。"
    r = client_for(people.drafter_a).post(reverse("reports:detail", args=[draft.pk]), data)
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.document["tables"]["requests"]["granted"]["natural_person"] == int(old) + 3
    assert draft.document["sections"]["problems"] == "存在问题：培训不足。"
    cell = ReportCell.objects.get(report=draft, table="requests", row="granted", col="natural_person")
    assert cell.value == int(old) + 3
    event = draft.events.get(kind="edited")
    assert event.actor == people.drafter_a
    changes = {(c["kind"], c.get("row") or c.get("key")): c for c in event.changes}
    assert changes[("cell", "granted")]["old"] == old and changes[("cell", "granted")]["new"] == str(int(old) + 3)
    assert changes[("cell", "granted")]["label"] == "表三/（一）予以公开/自然人"
    assert ("section", "problems") in changes
    # the identity now fails: the error is stored with the report
    assert draft.errors >= 1


@pytest.mark.parametrize(("typed", "message"), [
    ("-3", "不能为负数"),
    ("三个", "不是数字"),
    ("2.5", "应为整数"),
])
def test_a_bad_cell_is_refused_with_a_chinese_message_and_nothing_is_lost(
        draft: Report, people: People, client_for: Callable[[User], Client], typed: str, message: str) -> None:
    data = form_data(draft)
    data["c:requests:new:natural_person"] = typed
    data["c:requests:granted:commercial"] = "7"  # a good change in the same form
    data["s:other"] = "本年度未收取信息处理费。"
    before = (draft.revision, draft.document)
    r = client_for(people.drafter_a).post(reverse("reports:detail", args=[draft.pk]), data)
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page and "表三/一、本年新收政府信息公开申请数量/自然人" in page
    assert f'value="{typed}"' in page and 'value="7"' in page  # what was typed is still there
    assert "本年度未收取信息处理费。" in page
    draft.refresh_from_db()
    assert (draft.revision, draft.document) == before


def test_a_stale_second_save_is_refused_and_nothing_is_lost(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    first, second = client_for(people.drafter_a), client_for(people.approver_a)
    data_a, data_b = form_data(draft), form_data(draft)
    data_a["c:appeals:review:upheld"] = "1"
    data_a["c:appeals:review:total"] = "1"
    assert first.post(reverse("reports:detail", args=[draft.pk]), data_a).status_code == 302
    data_b["s:problems"] = "第二个人写的文字"
    r = second.post(reverse("reports:detail", args=[draft.pk]), data_b)
    assert r.status_code == 409
    page = r.content.decode()
    assert "保存未成功" in page and "没有丢失" in page and "第二个人写的文字" in page
    assert "表四/行政复议/结果维持" in page  # what the other person changed is listed
    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.document["tables"]["appeals"]["review"]["upheld"] == 1
    assert draft.document["sections"]["problems"] != "第二个人写的文字"
    # the refused form shows both people's work: the stored change and the second person's text
    assert 'name="c:appeals:review:upheld" value="1"' in page
    assert 'name="revision" value="2"' in page
    resave = {k: v for k, v in data_b.items()}
    resave.update({"revision": "2", "c:appeals:review:upheld": "1", "c:appeals:review:total": "1"})
    assert second.post(reverse("reports:detail", args=[draft.pk]), resave).status_code == 302
    draft.refresh_from_db()
    assert draft.document["sections"]["problems"] == "第二个人写的文字"
    assert draft.document["tables"]["appeals"]["review"]["upheld"] == 1


def test_a_stale_save_names_the_places_both_people_changed(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    data_a, data_b = form_data(draft), form_data(draft)
    data_a["c:requests:granted:natural_person"] = "11"
    data_b["c:requests:granted:natural_person"] = "12"
    client_for(people.drafter_a).post(reverse("reports:detail", args=[draft.pk]), data_a)
    r = client_for(people.approver_a).post(reverse("reports:detail", args=[draft.pk]), data_b)
    assert r.status_code == 409
    page = r.content.decode()
    assert "双方改了同一处" in page and "您填的是“12”，对方保存的是“11”" in page
    draft.refresh_from_db()
    assert draft.document["tables"]["requests"]["granted"]["natural_person"] == 11


def test_the_live_check_marks_the_cell_and_saves_nothing(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    data = form_data(draft)
    data["c:requests:new:total"] = str(int(data["c:requests:new:total"]) + 5)
    r = client_for(people.drafter_a).post(reverse("reports:check", args=[draft.pk]), data)
    assert r.status_code == 200
    page = r.content.decode()
    assert 'id="findings"' in page
    assert "t3.E" in page  # an identity of table 三 fails
    marker = page.split('id="m-requests-new-total" hx-swap-oob="true">', 1)[1].split("</span></span>", 1)[0]
    assert "badge error" in marker
    clean = page.split('id="m-requests-new-natural_person" hx-swap-oob="true">', 1)[1].split("</span>", 1)[0]
    assert "badge" not in clean
    draft.refresh_from_db()
    assert draft.revision == 1
    bad = dict(data, **{"c:requests:new:total": "-1"})
    page = client_for(people.drafter_a).post(reverse("reports:check", args=[draft.pk]), bad).content.decode()
    assert "不能为负数" in page


def test_importing_the_seed_reads_it_with_zero_errors(
        tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    upload = SimpleUploadedFile("会发镇2021年度报告.txt", SEED.read_bytes(), content_type="text/plain")
    r = client_for(people.drafter_a).post(reverse("reports:new", args=[tree.town_a.pk]),
                                          {"year": 2021, "start": "import", "file": upload})
    assert r.status_code == 302
    report = Report.objects.get(agency=tree.town_a, year=2021)
    assert report.errors == 0
    assert report.source_name == "会发镇2021年度报告.txt"
    assert report.document["agency"] == tree.town_a.name  # the tree's name, the file's noted
    # numbers read from the document (the seed's table 二: 规范性文件 现行有效 — read from source.txt)
    expected = json.loads((SEED.parent / "expected.json").read_text(encoding="utf-8"))
    assert report.document["tables"] == json.loads(json.dumps(expected["tables"]))
    page = client_for(people.drafter_a).get(r["Location"]).content.decode()
    assert "0 个错误" in page
    assert "方正县会发镇人民政府" in page  # the reading's notice about the name


def upload_new(c: Client, tree: Tree, name: str, data: bytes) -> tuple[int, str]:
    r = c.post(reverse("reports:new", args=[tree.town_a.pk]),
               {"year": 2021, "start": "import", "file": SimpleUploadedFile(name, data)})
    return r.status_code, r.content.decode()


def test_a_malformed_upload_is_refused(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    status, page = upload_new(client_for(people.drafter_a), tree, "报告.docx", b"PK\x03\x04 this is not a zip")
    assert status == 400
    assert "已损坏" in page or "不是有效的" in page
    assert not Report.objects.filter(agency=tree.town_a).exists()


def test_a_50_mb_upload_is_refused(tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    status, page = upload_new(client_for(people.drafter_a), tree, "大文件.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    assert status == 400
    assert "文件过大" in page and "20 MB" in page
    assert not Report.objects.filter(agency=tree.town_a).exists()


def test_a_document_that_is_not_a_report_is_refused(
        tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    text = "关于召开全镇安全生产工作会议的通知\n各村委会：定于下周一召开会议，请准时参加。\n".encode()
    status, page = upload_new(client_for(people.drafter_a), tree, "通知.txt", text)
    assert status == 400
    assert "年度报告" in page or "年报" in page
    assert not Report.objects.filter(agency=tree.town_a).exists()


def test_a_scanned_pdf_is_refused_at_once_with_what_to_do(tree: Tree, people: People,
                                                          client_for: Callable[[User], Client]) -> None:
    """An image-only PDF is not OCR'd inside a web request (minutes, ~1 GB): a clear refusal, nothing stored."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (827, 1169), "white")
    ImageDraw.Draw(page).rectangle((100, 100, 700, 300), outline="black", width=3)
    buf = io.BytesIO()
    page.save(buf, format="PDF", resolution=100)
    status, text = upload_new(client_for(people.drafter_a), tree, "扫描件.pdf", buf.getvalue())
    assert status == 400
    assert "扫描图片版 PDF" in text and "OCR 已关闭" in text  # refused before any OCR ran
    assert "网页导入不做 OCR 识别" in text and "批量核查" in text
    assert not Report.objects.filter(agency=tree.town_a).exists()


def test_an_import_of_another_year_is_refused(tree: Tree, people: People,
                                              client_for: Callable[[User], Client]) -> None:
    r = client_for(people.drafter_a).post(reverse("reports:new", args=[tree.town_a.pk]), {
        "year": 2022, "start": "import", "file": SimpleUploadedFile("seed.txt", SEED.read_bytes())})
    assert r.status_code == 400
    assert "2021年度" in r.content.decode()
    assert not Report.objects.filter(agency=tree.town_a).exists()


def test_importing_into_a_draft_keeps_the_old_content_in_the_record(
        draft: Report, tree: Tree, people: People, client_for: Callable[[User], Client]) -> None:
    draft2021 = make_report(people.drafter_a, tree.town_a, 2021)
    r = client_for(people.drafter_a).post(reverse("reports:import", args=[draft2021.pk]),
                                          {"file": SimpleUploadedFile("seed.txt", SEED.read_bytes())})
    assert r.status_code == 302
    draft2021.refresh_from_db()
    event = draft2021.events.get(kind="imported")
    assert any(c["kind"] == "cell" and c["old"] == "" for c in event.changes)  # blank → read value
    assert draft2021.history.count() >= 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("target", sorted(library.DOWNLOADS))
def test_downloads_in_every_writer_format(draft: Report, people: People, client_for: Callable[[User], Client],
                                          target: str) -> None:
    r = client_for(people.supervisor).get(reverse("reports:download", args=[draft.pk, target]))
    assert r.status_code == 200
    assert r["Content-Type"] == library.DOWNLOADS[target][2]
    assert "attachment" in r["Content-Disposition"]
    body = r.content
    magic = {"docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF"}
    if target in magic:
        assert body.startswith(magic[target])
    else:
        assert tree_name_in(body)


def tree_name_in(body: bytes) -> bool:
    return "某县甲镇人民政府".encode() in body or "某县甲镇人民政府" in body.decode("utf-8", "replace")


def test_an_amount_a_float_cannot_hold_is_stored_exactly(tree: Tree, people: People) -> None:
    """The document goes to the database and back through the library's JSON: 万元 amounts stay Decimal."""
    from decimal import Decimal

    lib = valid_report(tree.town_a, 2023)
    lib.table("proactive").set("fees", "amount", Decimal("12345678901234.56789"))
    report = make_report(people.drafter_a, tree.town_a, 2023, lib=lib)
    stored = Report.objects.get(pk=report.pk)
    assert stored.document["tables"]["proactive"]["fees"]["amount"] == Decimal("12345678901234.56789")
    assert library.load(stored.document).value("proactive", "fees", "amount") == Decimal("12345678901234.56789")


def test_the_live_check_reads_the_form_sent_as_json(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    """The page's live check sends the form as one JSON object (htmx extension gk-json): the same
    findings as the urlencoded form; a body that is not such an object is a Chinese 400, nothing saved."""
    data = form_data(draft)
    data["c:requests:new:total"] = str(int(data["c:requests:new:total"]) + 5)
    c = client_for(people.drafter_a)
    url = reverse("reports:check", args=[draft.pk])
    as_form = c.post(url, data).content.decode()
    as_json = c.post(url, json.dumps(data, ensure_ascii=False), content_type="application/json")
    assert as_json.status_code == 200
    assert as_json.content.decode() == as_form
    assert "t3.E" in as_form
    for bad in ("{不是JSON", "[1, 2]", json.dumps({"c:requests:new:total": 5})):
        r = c.post(url, bad, content_type="application/json")
        assert r.status_code == 400
        assert "核查请求的内容无法读取" in r.content.decode()
    page = c.get(reverse("reports:detail", args=[draft.pk])).content.decode()
    assert 'hx-ext="gk-json"' in page and "json-form" in page
    draft.refresh_from_db()
    assert draft.revision == 1


def test_the_report_page_links_every_download(draft: Report, people: People,
                                              client_for: Callable[[User], Client]) -> None:
    page = client_for(people.supervisor).get(reverse("reports:detail", args=[draft.pk])).content.decode()
    for target, (name, _ext, _type) in library.DOWNLOADS.items():
        assert f'<a class="button" href="{reverse("reports:download", args=[draft.pk, target])}">{name}</a>' in page


def test_the_report_page_counts_each_events_changes(draft: Report, people: People,
                                                    client_for: Callable[[User], Client]) -> None:
    """The record beside the report says how many cells and sections each save changed (counted by
    the database, SQLite and PostgreSQL alike)."""
    data = form_data(draft)
    data["c:requests:new:natural_person"] = str(int(data["c:requests:new:natural_person"]) + 1)
    data["c:requests:new:total"] = str(int(data["c:requests:new:total"]) + 1)
    data["s:problems"] = "存在问题：培训不足。"
    c = client_for(people.drafter_a)
    assert c.post(reverse("reports:detail", args=[draft.pk]), data).status_code == 302
    page = c.get(reverse("reports:detail", args=[draft.pk])).content.decode()
    record = page.split('<ul class="events">', 1)[1].split("</ul>", 1)[0]
    assert "（3处改动）" in record
    event = draft.events.get(kind="edited")
    assert len(event.changes) == 3


def test_the_report_page_lists_its_published_versions(tree: Tree, people: People,
                                                      client_for: Callable[[User], Client]) -> None:
    report = make_report(people.drafter_a, tree.town_a, 2022, stage="published", approver=people.approver_a)
    page = client_for(people.supervisor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    listed = page.split("<h2>已发布版本</h2>", 1)[1].split("</ul>", 1)[0]
    version = report.versions.get()
    assert f'href="{reverse("public:version", args=[tree.town_a.pk, 2022, 1])}">第1版</a>' in listed
    assert timezone.localtime(version.published_at).strftime("%Y-%m-%d %H:%M") in listed


def test_a_repeated_live_check_does_not_read_the_stored_document_again(
        draft: Report, people: People, client_for: Callable[[User], Client]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(people.drafter_a)
    url = reverse("reports:check", args=[draft.pk])
    body = json.dumps(form_data(draft), ensure_ascii=False)

    def document_reads() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as seen:
            r = c.post(url, body, content_type="application/json")
        assert r.status_code == 200
        return sum('"document"' in q["sql"] for q in seen.captured_queries), r.content.decode()

    first, page = document_reads()
    again, same = document_reads()
    assert first == 1 and again == 0  # read once in this process, then kept by revision
    assert same == page and "0 个错误" in page
