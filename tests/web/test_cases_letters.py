"""Letters as DOCX: opened with python-docx, each names its article, the reply its remedies and the
seal line; an agency's own template is used once uploaded, a broken one refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from gongkai_web.cases import actions, letters
from gongkai_web.cases.models import DisclosureRequest, LetterTemplate
from gongkai_web.cases.testing import make_request
from gongkai_web.orgs.models import User
from gongkai_web.testing import People, Tree

Clients = Callable[[User], Client]


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def handled(tree: Tree, people: People) -> DisclosureRequest:
    """补正, consultation, extension, fee notice, then a partial decision."""
    u = people.drafter_a
    row = make_request(u, tree.town_a, date(2025, 9, 26), subject="会发镇2025年道路建设项目招标文件")
    row = actions.request_correction(u, row, on=date(2025, 9, 29), days=15, items="请写明项目名称和年份",
                                     today=date(2025, 9, 29))
    row = actions.receive_correction(u, row, on=date(2025, 10, 13), today=date(2025, 10, 13))
    row = actions.start_consultation(u, row, on=date(2025, 10, 15), party="third_party", whom="某建设公司",
                                     today=date(2025, 10, 15))
    row = actions.consultation_answered(u, row, on=date(2025, 10, 22), today=date(2025, 10, 22))
    row = actions.extend(u, row, on=date(2025, 11, 3), days=10, approver="王主任", reason="需要调取档案",
                         today=date(2025, 11, 3))
    row = actions.send_fee_notice(u, row, on=date(2025, 11, 4), method="page", pages=150, today=date(2025, 11, 4))
    row = actions.fee_paid(u, row, on=date(2025, 11, 6), today=date(2025, 11, 6))
    return actions.decide(u, row, on=date(2025, 11, 10), outcome="partial", today=date(2025, 11, 10))


def test_every_letter_names_its_article(handled: DisclosureRequest, people: People, client_for: Clients) -> None:
    c = client_for(people.drafter_a)
    expected = {
        "reply": ["《中华人民共和国政府信息公开条例》第三十七条", "60日内", "6个月内", "（印章）",
                  "2025年11月10日"],
        "correction": ["第三十条", "请写明项目名称和年份", "15个工作日"],
        "consultation": ["第三十二条", "某建设公司", "15个工作日"],
        "extension": ["第三十三条第二款", "延长10个工作日", "需要调取档案"],
        "fee": ["按量计收", "1700元", "《政府信息公开信息处理费管理办法》"],
    }
    for kind, needles in expected.items():
        r = c.get(reverse("cases:letter", args=[handled.pk, kind]))
        assert r.status_code == 200, kind
        assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        text = text_of(r.content)
        for needle in needles:
            assert needle in text, (kind, needle)
        assert "某县甲镇人民政府（印章）" in text and "申请编号：2025-0001" in text
        assert "{{" not in text
    # the fee: 70 pages at 10 元 and 50 at 20 元 (pages 31–100, 101–150)
    assert "1700" in text_of(c.get(reverse("cases:letter", args=[handled.pk, "fee"])).content)


def test_letters_allowed_and_denied(handled: DisclosureRequest, tree: Tree, people: People,
                                   client_for: Clients) -> None:
    url = reverse("cases:letter", args=[handled.pk, "reply"])
    assert client_for(people.approver_a).get(url).status_code == 200
    assert client_for(people.supervisor).get(url).status_code == 403  # names the applicant: handlers only
    assert client_for(people.drafter_b).get(url).status_code == 404
    fresh = make_request(people.drafter_a, tree.town_a, date(2025, 10, 9), applicant_name="李四", subject="低保名单")
    assert client_for(people.drafter_a).get(reverse("cases:letter", args=[fresh.pk, "reply"])).status_code == 404


def test_an_agencys_own_template_is_used_and_a_broken_one_refused(handled: DisclosureRequest, tree: Tree,
                                                                  people: People, client_for: Clients) -> None:
    url = reverse("cases:templates", args=[tree.town_a.pk])
    assert client_for(people.drafter_a).get(url).status_code == 403  # templates: the approver
    assert client_for(people.approver_b).get(url).status_code == 404
    c = client_for(people.approver_a)
    assert c.get(url).status_code == 200
    doc = Document(io.BytesIO(c.get(reverse("cases:template_file", args=[tree.town_a.pk, "reply"])).content))
    doc.add_paragraph("联系人：张填报　电话：0451-57100000　依据：{{ article }}")
    out = io.BytesIO()
    doc.save(out)
    r = c.post(url, {"kind": "reply", "file": _upload("本镇告知书.docx", out.getvalue())})
    assert r.status_code == 302
    text = text_of(client_for(people.drafter_a).get(reverse("cases:letter", args=[handled.pk, "reply"])).content)
    assert "联系人：张填报" in text and "依据：《中华人民共和国政府信息公开条例》第三十七条" in text
    r = c.post(url, {"kind": "reply", "file": _upload("坏.docx", b"not a docx at all")})
    assert r.status_code == 400 and "不是 Word" in r.content.decode()
    broken = Document()
    broken.add_paragraph("{{ article ")
    out = io.BytesIO()
    broken.save(out)
    r = c.post(url, {"kind": "reply", "file": _upload("坏.docx", out.getvalue())})
    assert r.status_code == 400 and "模板无法使用" in r.content.decode()
    assert LetterTemplate.objects.get().name == "本镇告知书.docx"
    with pytest.raises(actions.ActionError):
        actions.upload_template(people.approver_a, tree.town_a, "nonsense", letters.default_template("reply"), "x")


def _upload(name: str, data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
