"""The overview's table built in Python: what each row shows (``item``), the rows' HTML
(``rows_html``), the sortable column headings (``heading``) and the rows of the uploaded reports'
section (``uploaded_html``).

A page has 50 rows of ~20 values each; as a template loop they were ~1,200 template nodes, the
page's main cost.  The HTML is the same the template loop wrote, byte for byte (the tests render
the old loop and compare); every text is escaped as the template's autoescaping did
(``html.escape``, quotes included); the digits ``item`` writes (counts, dates, the indent) need none.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from .overview import Row
from .uploads import Uploaded

#: the sortable columns' headings (the overview's sort keys; 机关层级 is the default order, no column)
HEADINGS: dict[str, str] = {"name": "机关", "status": "状态", "due": "公布期限", "errors": "错误",
                            "warnings": "警告", "updated": "最后修改"}


@lru_cache(maxsize=1)
def _detail() -> str:
    """The report page's URL with ``{}`` for its id (reversed once, not once per row)."""
    return reverse("reports:detail", args=[987654321]).replace("987654321", "{}")


def item(r: Row, indent: int, *, year: int, root_id: int | None, up: Uploaded | None) -> dict[str, Any]:
    """What a row of the table shows, formatted (dates, links, counts); ``root_id``: the agency
    the overview is narrowed to (its row offers no 下辖 link), ``up``: its uploaded report."""
    updated = timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M") if r.updated_at else ""
    sub = r.has_children and r.agency_id != root_id
    return {"r": r, "indent": indent, "url": _detail().format(r.report_id) if r.report_id else "",
            "sub": f"?year={year}&root={r.agency_id}" if sub else "",
            "note": r.status_label if r.status in ("returned", "approved") else "",
            "due": r.due.isoformat() if r.due else "", "updated": updated,
            "errors": str(r.errors) if r.errors is not None else "",
            "warnings": str(r.warnings) if r.warnings is not None else "",
            "up": up}


def _up_line(up: Uploaded) -> str:
    notices = f" · 读取提示 {up.notices}" if up.notices else ""
    return ('\n      <div class="sv-up-line"><a class="up-mark" href="' + escape(up.url) + '" title="'
            + escape(str(up.batch)) + "：" + escape(str(up.source)) + '">上传核查</a> <span class="status u-'
            + escape(str(up.status)) + '">' + escape(up.status_label) + '</span> <span class="small">错误 '
            + str(up.errors) + " · 警告 " + str(up.warnings) + notices
            + "</span></div>")


def _row(i: dict[str, Any]) -> str:
    r: Row = i["r"]
    url, name = escape(i["url"]), escape(r.name)
    late = bool(r.overdue)
    shown = f'<a href="{url}">{name}</a>' if url else name
    sub = (f' <a class="sub" href="{escape(i["sub"])}" title="只看{name}及下辖机关">下辖</a>'
           if i["sub"] else "")
    up = _up_line(i["up"]) if i["up"] else ""
    stage = (f'<a href="{url}"><span class="status s-{escape(str(r.status))}">{escape(r.stage_label)}</span></a>'
             if url else '<span class="status s-none">未开始</span>')
    note = f' <span class="muted small">{escape(i["note"])}</span>' if i["note"] else ""
    overdue = ' <span class="status s-overdue">逾期</span>' if late else ""
    errors = i["errors"]  # item's digits, as are the indent, the dates and the warnings: nothing to escape
    count = f'<a class="error" href="{url}#findings">{errors}</a>' if r.errors else errors
    return (("<tr class=\"late\">" if late else "<tr>")
            + f'\n    <td class="name i{i["indent"]}">{shown}{sub}{up}</td>'
            + f'\n    <td>{stage}{note}{overdue}</td>'
            + f'\n    <td class="due">{i["due"]}</td>'
            + f'\n    <td class="num">{count}</td>'
            + f'\n    <td class="num">{i["warnings"]}</td>'
            + f'\n    <td>{i["updated"]}</td>'
            + f'\n    <td class="muted">{escape(r.kind_label)}</td>'
            + "\n  </tr>")


def rows_html(items: list[dict[str, Any]]) -> SafeString:
    """The table's rows (``<tr>`` … ``</tr>``, nothing between them) for ``item``s."""
    return SafeString("".join(_row(i) for i in items))


def _uploaded_row(u: Uploaded) -> str:
    url = escape(u.url)
    agency = escape(u.agency) if u.agency else "（未读出机关名称）"
    errors = f'<a class="error" href="{url}">{u.errors}</a>' if u.errors else "0"
    if u.agency_id:
        name = escape(u.agency_name)
        app = ((f'<a href="{escape(u.report_url)}">{name}</a>' if u.report_id else name)
               + f' <span class="status s-{escape(u.stage)}">{escape(u.stage_label)}</span>'
               + (' <span class="status s-overdue">逾期</span>' if u.overdue else ""))
    else:
        app = '<span class="muted">未在本系统中</span>'
    at = date_format(timezone.localtime(u.uploaded_at) if timezone.is_aware(u.uploaded_at) else u.uploaded_at,
                     "Y-m-d H:i")  # as the template's |date did (in the current time zone)
    older = f" · 另有较早上传 {u.older} 份" if u.older else ""
    return ("<tr>"
            + f'\n      <td class="name"><span class="up-mark">上传核查</span> <a href="{url}">{agency}</a></td>'
            + f'\n      <td><a href="{url}"><span class="status u-{escape(u.status)}">{escape(u.status_label)}</span></a></td>'
            + f'\n      <td class="num">{errors}</td>'
            + f'\n      <td class="num">{u.warnings}</td>'
            + f'\n      <td class="num">{u.notices}</td>'
            + f"\n      <td>{app}</td>"
            + f'\n      <td class="muted small file">{escape(u.source)}<br>{escape(u.batch)} · {escape(at)}{older}</td>'
            + "\n    </tr>")


def uploaded_html(rows: list[Uploaded]) -> SafeString:
    """The rows of the 上传核查 section's table (``<tr>`` … ``</tr>``, nothing between them)."""
    return SafeString("".join(_uploaded_row(u) for u in rows))


def heading(label: str, url: str, active: bool, desc: bool | None) -> SafeString:
    """A sortable column's heading: a link to the order by it (``url``: the query string), saying
    the current order when it is the ``active`` one."""
    state = ""
    if active:
        state = " ↓<span class=\"sr\">（当前按此降序）</span>" if desc else " ↑<span class=\"sr\">（当前按此升序）</span>"
    u = escape(url)
    return SafeString(f'<a class="sort{" on" if active else ""}" href="?{u}" hx-get="?{u}" '
                      f'hx-target="#overview-results" hx-push-url="true">{escape(label)}{state}</a>\n')
