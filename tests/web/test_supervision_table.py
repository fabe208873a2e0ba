"""The overview's table is built in Python (``supervision.table``) instead of a template loop of
~1,200 nodes a page: its rows, sortable headings and the uploaded reports' rows read byte for byte
as the old templates wrote them, on rows of every variant (overdue, 下辖 link, uploaded report's
line, a note, no report; an upload without an agency read, matched or not, uploaded before) and on
values that need escaping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client

from gongkai_web.orgs.models import User
from gongkai_web.reports.models import Report
from gongkai_web.supervision import overview, table
from gongkai_web.supervision.overview import Row
from gongkai_web.supervision.uploads import Uploaded
from gongkai_web.testing import People, Tree

from .test_supervision import reports  # noqa: F401  (fixture)

ClientFor = Callable[[User], Client]

#: the template loop the rows replaced (``_results.html`` before), the reference
OLD_ROWS = Template(
    """{% for i in items %}<tr{% if i.r.overdue %} class="late"{% endif %}>
    <td class="name i{{ i.indent }}">{% if i.url %}<a href="{{ i.url }}">{{ i.r.name }}</a>{% else %}{{ i.r.name }}{% endif %}{% if i.sub %} <a class="sub" href="{{ i.sub }}" title="只看{{ i.r.name }}及下辖机关">下辖</a>{% endif %}{% if i.up %}
      <div class="sv-up-line"><a class="up-mark" href="{{ i.up.url }}" title="{{ i.up.batch }}：{{ i.up.source }}">上传核查</a> <span class="status u-{{ i.up.status }}">{{ i.up.status_label }}</span> <span class="small">错误 {{ i.up.errors }} · 警告 {{ i.up.warnings }}{% if i.up.notices %} · 读取提示 {{ i.up.notices }}{% endif %}</span></div>{% endif %}</td>
    <td>{% if i.url %}<a href="{{ i.url }}"><span class="status s-{{ i.r.status }}">{{ i.r.stage_label }}</span></a>{% else %}<span class="status s-none">未开始</span>{% endif %}{% if i.note %} <span class="muted small">{{ i.note }}</span>{% endif %}{% if i.r.overdue %} <span class="status s-overdue">逾期</span>{% endif %}</td>
    <td class="due">{{ i.due }}</td>
    <td class="num">{% if i.r.errors %}<a class="error" href="{{ i.url }}#findings">{{ i.errors }}</a>{% else %}{{ i.errors }}{% endif %}</td>
    <td class="num">{{ i.warnings }}</td>
    <td>{{ i.updated }}</td>
    <td class="muted">{{ i.r.kind_label }}</td>
  </tr>{% endfor %}""")

#: ``_sort.html`` (included once per heading, its file's last newline included), the reference
OLD_SORT = Template(
    '<a class="sort{% if link.active %} on{% endif %}" href="?{{ link.url }}" hx-get="?{{ link.url }}" '
    'hx-target="#overview-results" hx-push-url="true">{{ label }}{% if link.active %}{% if link.desc %} ↓'
    '<span class="sr">（当前按此降序）</span>{% else %} ↑<span class="sr">（当前按此升序）</span>{% endif %}'
    '{% endif %}</a>\n')

#: the template loop the uploaded reports' rows replaced (``_uploaded.html`` before), the reference
OLD_UPLOADED = Template(
    """{% for u in uploaded_rows %}<tr>
      <td class="name"><span class="up-mark">上传核查</span> <a href="{{ u.url }}">{{ u.agency|default:"（未读出机关名称）" }}</a></td>
      <td><a href="{{ u.url }}"><span class="status u-{{ u.status }}">{{ u.status_label }}</span></a></td>
      <td class="num">{% if u.errors %}<a class="error" href="{{ u.url }}">{{ u.errors }}</a>{% else %}0{% endif %}</td>
      <td class="num">{{ u.warnings }}</td>
      <td class="num">{{ u.notices }}</td>
      <td>{% if u.agency_id %}{% if u.report_id %}<a href="{{ u.report_url }}">{{ u.agency_name }}</a>{% else %}{{ u.agency_name }}{% endif %} <span class="status s-{{ u.stage }}">{{ u.stage_label }}</span>{% if u.overdue %} <span class="status s-overdue">逾期</span>{% endif %}{% else %}<span class="muted">未在本系统中</span>{% endif %}</td>
      <td class="muted small file">{{ u.source }}<br>{{ u.batch }} · {{ u.uploaded_at|date:"Y-m-d H:i" }}{% if u.older %} · 另有较早上传 {{ u.older }} 份{% endif %}</td>
    </tr>{% endfor %}""")


def uploads_of_every_kind() -> list[Uploaded]:
    def up(agency: str, errors: int, **kw: Any) -> Uploaded:
        u = Uploaded(9, 2, '第<二>批 & "复核"', datetime(2024, 5, 1, 16, 30, tzinfo=UTC), "甲'镇'<2023>.docx",
                     "标签", agency, 2023, "errors" if errors else "ok", errors, 3, 1, agency)
        for k, v in kw.items():
            setattr(u, k, v)
        return u

    return [
        up("", 2),  # no agency read from the document
        up("某县<财政局>", 1, agency_id=5, agency_name="某县 财政局 & 统计", report_id=41, stage="draft",
           overdue=True, older=2),  # in the app with a report, late; uploaded three times
        up("某镇", 0, agency_id=6, agency_name="某镇", stage="none"),  # in the app, nothing begun
        up("外县某局", 0),  # not in the app
    ]


def test_the_uploaded_rows_read_as_the_template_loop_did() -> None:
    ups = uploads_of_every_kind()
    new = str(table.uploaded_html(ups))
    assert new == OLD_UPLOADED.render(Context({"uploaded_rows": ups}))
    rows = new.split("<tr>")[1:]
    assert "（未读出机关名称）" in rows[0] and 'class="error"' in rows[0]
    assert "某县&lt;财政局&gt;" in rows[1] and "/reports/41/" in rows[1] and "逾期" in rows[1]
    assert "另有较早上传 2 份" in rows[1] and "2024-05-02 00:30" in rows[1]  # Asia/Shanghai
    assert "/reports/" not in rows[2] and "s-none" in rows[2] and "未在本系统中" in rows[3]
    assert "甲&#x27;镇&#x27;&lt;2023&gt;.docx" in rows[3] and "第&lt;二&gt;批 &amp; &quot;复核&quot;" in rows[3]


DUE = date(2024, 4, 1)


def row(pk: int, name: str, *, kind: str = "township", children: bool = False, report: int | None = None,
        status: str | None = None, errors: int | None = None, warnings: int | None = None,
        updated: datetime | None = None, stage: str = "none", overdue: bool = False) -> Row:
    return Row(pk, name, kind, 3, f"000100010{pk:03d}", children, report, status, errors, warnings, updated,
               DUE, stage, overdue)


def upload(notices: int) -> Uploaded:
    return Uploaded(7, 3, '县<年报> & "复核"', datetime(2024, 5, 1, tzinfo=UTC), "文件'一'.docx", "标签",
                    "某镇", 2023, "errors", 1234, 5, notices, "某镇")


def variants() -> list[dict[str, Any]]:
    at = datetime(2024, 3, 31, 17, 5, tzinfo=UTC)  # 2024-04-01 01:05 in Asia/Shanghai
    rows = [
        # published, has children (下辖 link), an uploaded report with reading notices, names to escape
        (row(1, '甲<镇> & "乙"\'丙', children=True, report=11, status="published", errors=0, warnings=2,
             updated=at, stage="published"), upload(notices=4)),
        # nothing in the app, late; the overview's own root (no 下辖 link); a kind the app does not know
        (row(2, "某县人民政府", kind="x<y>", children=True, overdue=True), None),
        # returned with errors (a note, the count a link to the findings), late, uploaded, no notices
        (row(3, "某县财政局", kind="department", report=13, status="returned", errors=3, warnings=0,
             updated=at, stage="draft", overdue=True), upload(notices=0)),
        # approved, waiting to be published (a note)
        (row(4, "某县办公室", kind="government_office", report=14, status="approved", errors=0, warnings=0,
             updated=at, stage="pending"), None),
        # a draft without children, never saved since created
        (row(5, "某镇", report=15, status="draft", errors=0, warnings=1, stage="draft"), None),
    ]
    return [table.item(r, indent, year=2023, root_id=2, up=up) for indent, (r, up) in enumerate(rows)]


def test_the_rows_read_as_the_template_loop_did() -> None:
    items = variants()
    new = str(table.rows_html(items))
    assert new == OLD_ROWS.render(Context({"items": items}))
    # each variant says what it is for
    rows = new.split("<tr")[1:]
    assert len(rows) == 5
    assert "甲&lt;镇&gt; &amp; &quot;乙&quot;&#x27;丙" in rows[0] and 'class="sub"' in rows[0]
    assert "读取提示 4" in rows[0] and "错误 1234" in rows[0] and "县&lt;年报&gt;" in rows[0]
    assert rows[1].startswith(' class="late"') and "未开始" in rows[1] and 'class="sub"' not in rows[1]
    assert "x&lt;y&gt;" in rows[1] and "/reports/" not in rows[1]
    assert "退回修改" in rows[2] and "#findings" in rows[2] and "读取提示" not in rows[2] and "逾期" in rows[2]
    assert "已审核" in rows[3] and "2024-04-01 01:05" in rows[3]
    assert 'class="muted small"' not in rows[4] and "<td></td>" in rows[4]


@pytest.mark.parametrize(("active", "desc"), [(False, None), (True, False), (True, True)])
def test_the_sort_headings_read_as_the_include_did(active: bool, desc: bool | None) -> None:
    url = "year=2023&root=5&q=<镇>&sort=name&dir=asc"
    for key, label in table.HEADINGS.items():
        old = OLD_SORT.render(Context({"key": key, "label": label,
                                       "link": {"url": url, "active": active, "desc": desc}}))
        assert str(table.heading(label, url, active, desc)) == old
        assert ("当前按此" in old) == active and "&amp;root=5" in old


def test_the_page_shows_the_rows_and_headings_as_the_templates_did(
        client_for: ClientFor, people: People, tree: Tree, reports: dict[str, Report]) -> None:  # noqa: F811
    c = client_for(people.supervisor)
    r = c.get("/supervision/", {"year": 2023, "sort": "errors"})
    html = r.content.decode()
    items = r.context["items"]
    assert len(items) == 5 and any(i["r"].overdue for i in items) and any(not i["url"] for i in items)
    body = html.split("<tbody>\n  ", 1)[1].split("\n  </tbody>", 1)[0]
    assert body == OLD_ROWS.render(Context({"items": items}))
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    base = f"year=2023&root={people.supervisor.agency_id}"
    q = overview.Query(sort="errors", desc=True)
    for key, label in table.HEADINGS.items():
        desc = not q.desc if q.sort == key else overview.SORTS[key][1]
        link = {"url": f"{base}&{'&'.join(f'{k}={v}' for k, v in q.params(sort=key, dir='desc' if desc else 'asc', page=1).items())}",
                "active": q.sort == key, "desc": q.desc if q.sort == key else None}
        assert OLD_SORT.render(Context({"label": label, "link": link})) in head
    assert head.count("当前按此降序") == 1
