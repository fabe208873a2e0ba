"""The rows of a workspace table as one tag: ~200 value cells per report page, each rendered by
``workspace.rows_html`` instead of a template loop with a dozen lookups per cell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from gongkai_web.reports.workspace import (
    FormSection,
    FormTable,
    Workspace,
    findings_html,
    marks_html,
    rows_html,
    section_findings_html,
)

register = template.Library()


@register.simple_tag
def grid_rows(table: FormTable, editable: bool = False, drill: str = "") -> SafeString:
    return rows_html(table, editable=bool(editable), drill=drill or "")


@register.simple_tag
def oob_marks(ws: Workspace) -> SafeString:
    return marks_html(ws)


@register.simple_tag
def finding_items(findings: list[Any]) -> SafeString:
    """The findings' ``<li>`` (as ``reports/_finding.html`` writes each)."""
    return findings_html(list(findings or ()))


@register.simple_tag
def section_findings(section: FormSection, oob: bool = False) -> SafeString:
    return section_findings_html(section, bool(oob))
