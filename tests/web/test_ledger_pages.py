"""The ledger pages staff open all day, made cheaper without changing what they show: the request
lists' rows written in Python (``cases.rows``) and the registers' year and agency pickers are the
same HTML as the templates they replaced (kept here, verbatim, as the reference); the due page asks
no permission tables; the tables page and the registers page lock a published year by one rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai_web.cases import actions, rows
from gongkai_web.cases.models import DisclosureRequest
from gongkai_web.cases.testing import make_closed, make_request
from gongkai_web.orgs.models import Agency, User
from gongkai_web.registers import annual
from gongkai_web.reports.forms import report_years
from gongkai_web.testing import People, Tree, make_report

Clients = Callable[[User], Client]
FRI = dt.date(2025, 9, 26)

#: cases/_rows.html as it was before the rows were written in Python
OLD_ROWS = """<div class="table-scroll"><table class="list">
<thead><tr>{% if with_agency %}<th>机关</th>{% endif %}<th>编号</th><th>收到日期</th><th>申请人</th><th>申请人类型</th><th>状态</th><th>答复期限</th><th class="num">剩余工作日</th><th>办理结果</th></tr></thead>
<tbody>
{% for r in rows %}<tr>
  {% if with_agency %}<td>{{ r.agency.name }}</td>{% endif %}
  <td><a href="{% url 'cases:request' r.pk %}">{{ r.number }}</a></td>
  <td>{{ r.received_on|date:"Y-m-d" }}</td>
  <td>{{ r.applicant_name }}</td>
  <td>{{ r.get_applicant_kind_display }}</td>
  <td><span class="status s-{{ r.status }}">{{ r.status_label }}</span>{% if r.provisional %} <span class="muted">暂定</span>{% endif %}</td>
  <td>{{ r.due|date:"Y-m-d"|default:"—" }}</td>
  <td class="num">{% if r.days_left is not None and not r.closed_on %}{{ r.days_left }}{% endif %}</td>
  <td>{{ r.outcome_label }}</td>
</tr>{% empty %}<tr><td colspan="9" class="muted">没有申请</td></tr>{% endfor %}
</tbody></table></div>
"""

#: registers/_years.html as it was before the pickers' options were written in Python
OLD_YEARS = """<form method="get" class="inline-form" action="">
  {% if agencies|length > 1 %}<label for="agency-pick">机关</label>
  <select id="agency-pick" onchange="location.href=this.value">{% for a in agencies %}<option value="{% url target a.pk year %}"{% if a.pk == agency.pk %} selected{% endif %}>{{ a.name }}</option>{% endfor %}</select>{% endif %}
  <label for="year-pick">年度</label>
  <select id="year-pick" onchange="location.href=this.value">{% for y in years %}<option value="{% url target agency.pk y %}"{% if y == year %} selected{% endif %}>{{ y }}年度</option>{% endfor %}</select>
</form>
"""


@pytest.fixture
def various(tree: Tree, people: People) -> list[DisclosureRequest]:
    """Requests in every state a list shows, with names that need escaping."""
    Agency.objects.filter(pk=tree.town_a.pk).update(name="甲镇<人民政府>&“办公室”")
    a = make_request(people.drafter_a, tree.town_a, FRI, applicant_name='王<五> & "赵\'六"')
    b = make_request(people.drafter_a, tree.town_a, FRI, applicant_kind="other_org", applicant_name="某协会")
    c = make_request(people.drafter_b, tree.town_b, FRI, applicant_kind="commercial", applicant_name="某公司")
    actions.refresh_open(today=dt.date(2025, 10, 31))  # one working day late
    d = make_request(people.drafter_a, tree.town_a, dt.date(2025, 10, 9))
    d = actions.request_correction(people.drafter_a, d, on=dt.date(2025, 10, 10), days=10, items="申请内容不明确",
                                   today=dt.date(2025, 10, 10))  # paused: waiting for the correction
    e = make_closed(people.drafter_a, tree.town_a, FRI, dt.date(2025, 10, 9), outcome="granted")
    DisclosureRequest.objects.filter(pk=b.pk).update(provisional=True)  # a due date under a calendar not yet out
    return [a, b, c, d, e]


def test_rows_written_in_python_are_the_templates_rows(various: list[DisclosureRequest]) -> None:
    qs = DisclosureRequest.objects.filter(pk__in=[r.pk for r in various]).order_by("pk")
    states = set(qs.values_list("status", flat=True))
    assert {"late", "paused", "closed"} <= states
    for with_agency in (True, False):
        old = Template(OLD_ROWS).render(Context({"rows": list(qs.select_related("agency")), "with_agency": with_agency}))
        fields = rows.FIELDS_WITH_AGENCY if with_agency else rows.FIELDS
        new = rows.table_html(list(qs.values(*fields)), with_agency=with_agency)
        assert new == old
    assert rows.table_html([], with_agency=True) == Template(OLD_ROWS).render(Context({"rows": [], "with_agency": True}))
    html = rows.table_html(list(qs.values(*rows.FIELDS_WITH_AGENCY)), with_agency=True)
    assert "王&lt;五&gt; &amp; &quot;赵&#x27;六&quot;" in html and "甲镇&lt;人民政府&gt;&amp;“办公室”" in html
    assert "依法暂停计时（等待补正）" in html and "法人或其他组织（其他）" in html and "予以公开" in html
    assert html.count("暂定") == 1 and html.count("已逾期") == 3  # a, b and c


def test_due_page_rows_and_calendar_link(various: list[DisclosureRequest], tree: Tree, people: People,
                                         client_for: Clients) -> None:
    late = list(DisclosureRequest.objects.filter(agency=tree.town_a, status="late").values_list("pk", flat=True))
    url = reverse("cases:agency_due", args=[tree.town_a.pk])
    c = client_for(people.drafter_a)
    with CaptureQueriesContext(connection) as few:
        html = c.get(url).content.decode()
    assert "已逾期（2件）" in html and len(late) == 2
    assert all(f'href="{reverse("cases:request", args=[pk])}"' in html for pk in late)
    assert "放假安排" not in html  # only an administrator loads the holiday arrangement
    assert not any("auth_permission" in q["sql"] for q in few.captured_queries)  # no model-permission lookups
    counted = []
    for n in (30, 60):
        for i in range(30):
            make_request(people.drafter_a, tree.town_a, FRI, applicant_name=f"申请人{n}-{i}")
        actions.refresh_open(today=dt.date(2025, 10, 31))
        with CaptureQueriesContext(connection) as page:
            html = c.get(url).content.decode()
        assert f"已逾期（{n + 2}件）" in html and f"第1页，共{(n + 2 + 24) // 25}页" in html
        assert html.count('<span class="status s-late">') == 25
        counted.append(len(page.captured_queries))
    assert counted[0] == counted[1]  # the same queries for 32 late requests or 62
    third = c.get(url + "?late=3&soon=1").content.decode()
    assert "第3页，共3页" in third and third.count('<span class="status s-late">') == 12  # 62 = 25 + 25 + 12
    assert 'href="?late=2&amp;soon=1#late">上一页</a>' in third and "下一页" not in third.split('id="soon"')[0]
    assert c.get(url + "?late=99").content.decode().count('<span class="status s-late">') == 12  # the last page
    first = c.get(url + "?late=%E2%80%A2x&soon=-1").content.decode()  # not a number: the first page
    assert "第1页，共3页" in first and first.count('<span class="status s-late">') == 25
    admin = client_for(people.admin).get(reverse("cases:due")).content.decode()
    assert f'href="{reverse("cases:calendar")}">放假安排</a>' in admin
    assert client_for(people.drafter_b).get(url).status_code == 404


def test_the_kept_due_lists_follow_every_change(various: list[DisclosureRequest], tree: Tree, people: People,
                                                client_for: Clients) -> None:
    c = client_for(people.drafter_a)
    url = reverse("cases:agency_due", args=[tree.town_a.pk])
    assert "已逾期（2件）" in c.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "已逾期（2件）" in c.get(url).content.decode()
    assert not any("cases_disclosurerequest" in q["sql"] for q in again.captured_queries)  # kept
    late = DisclosureRequest.objects.filter(agency=tree.town_a, status="late").order_by("pk").first()
    assert late is not None
    actions.decide(people.drafter_a, late, on=dt.date(2025, 10, 31), outcome="granted", today=dt.date(2025, 10, 31))
    html = c.get(url).content.decode()
    assert "已逾期（1件）" in html and f'href="{reverse("cases:request", args=[late.pk])}"' not in html
    actions.refresh_open(today=dt.date(2025, 12, 31))  # the daily refresh: the waiting for the correction is over
    html = c.get(url).content.decode()
    assert "已逾期（1件）" in html and "即将到期、等待期已满（1件）" in html and "等待期已满，待处理" in html
    Agency.objects.filter(pk=tree.town_a.pk).update(name="甲镇人民政府（更名）")  # not a write to the ledger
    assert "<td>甲镇人民政府（更名）</td>" in c.get(url).content.decode()


def test_a_supervisors_kept_lists_follow_every_agency_of_the_subtree(various: list[DisclosureRequest], tree: Tree,
                                                                     people: People, client_for: Clients) -> None:
    c = client_for(people.supervisor)
    url = reverse("cases:due")
    assert "已逾期（3件）" in c.get(url).content.decode()  # town_a's two and town_b's one
    with CaptureQueriesContext(connection) as again:
        assert "已逾期（3件）" in c.get(url).content.decode()
    assert not any("cases_disclosurerequest" in q["sql"] for q in again.captured_queries)  # kept
    (late_b,) = DisclosureRequest.objects.filter(agency=tree.town_b, status="late")
    actions.decide(people.drafter_b, late_b, on=dt.date(2025, 10, 31), outcome="granted", today=dt.date(2025, 10, 31))
    html = c.get(url).content.decode()
    assert "已逾期（2件）" in html and tree.town_b.name not in html
    Agency.objects.filter(pk=tree.town_a.pk).update(name="甲镇人民政府（更名）")  # not a write to the ledger
    assert "<td>甲镇人民政府（更名）</td>" in c.get(url).content.decode()
    # the drafter of town_a sees only town_a's lists, never the supervisor's kept ones
    own = client_for(people.drafter_a).get(url).content.decode()
    assert "已逾期（2件）" in own and people.drafter_a.agency_id == tree.town_a.pk
    other = client_for(people.drafter_b).get(url).content.decode()
    assert "已逾期（0件）" in other and "没有申请" in other


def _picker(html: str) -> str:
    found = re.search(r'<form method="get" class="inline-form" action="">.*?</form>\n', html, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("target", ["registers:index", "registers:tables"])
def test_the_pickers_are_the_templates_pickers(target: str, tree: Tree, people: People, client_for: Clients) -> None:
    Agency.objects.filter(pk=tree.town_b.pk).update(name="乙镇<人民政府>")
    for user, agency in ((people.supervisor, tree.town_b), (people.drafter_a, tree.town_a)):
        agency.refresh_from_db()
        page = client_for(user).get(reverse(target, args=[agency.pk, 2025])).content.decode()
        visible = [] if user is people.drafter_a else list(Agency.objects.for_user(user).filter(active=True))
        old = Template(OLD_YEARS).render(Context({"agencies": visible, "years": report_years(), "target": target,
                                                  "agency": agency, "year": 2025}))
        assert _picker(page) == old
        assert ('id="agency-pick"' in page) == (user is people.supervisor)
        assert "乙镇&lt;人民政府&gt;" in page if user is people.supervisor else "乙镇" not in page


def test_one_lock_rule_for_the_registers_and_the_tables_page(tree: Tree, people: People,
                                                             client_for: Clients) -> None:
    # the ledger counts the 2021 format on: a report published for an earlier year locks nothing
    assert not annual.lockable(2020) and annual.lockable(2021)
    make_report(people.drafter_a, tree.town_a, 2020, stage="published", approver=people.approver_a)
    make_report(people.drafter_a, tree.town_a, 2022, stage="published", approver=people.approver_a)
    c = client_for(people.drafter_a)
    for year, locked in ((2020, False), (2022, True)):
        assert annual.cases_locked(tree.town_a, year) is locked
        registers = c.get(reverse("registers:index", args=[tree.town_a.pk, year])).content.decode()
        tables = c.get(reverse("registers:tables", args=[tree.town_a.pk, year])).content.decode()
        assert ("年度报告已经发布" in registers) is locked
        assert ("该年度的年度报告已发布" in tables) is locked
