"""Markdown: headings, paragraphs and pipe tables.

A pipe table cannot merge cells, so each table is the official grid flattened: a merged cell
is written once, at its first position, and the positions it covers are left empty — the group
labels (三、本年度办理结果, （三）不予公开 …) therefore stand in the first columns of the first row
they cover, exactly as a Word table copied as text shows them.  The first grid row is the pipe
table's header row.
"""

from __future__ import annotations

from typing import Any

from ..model import Report
from .layout import Grid, Layout, document_layout


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _escape_line(text: str) -> str:
    """A paragraph that Markdown would otherwise read as markup keeps its text."""
    t = text.strip()
    if t[:1] in ("#", ">", "|"):
        return "\\" + t
    return t


def table_markdown(grid: Grid) -> str:
    lines = []
    for i, row in enumerate(grid.matrix()):
        lines.append("| " + " | ".join(_cell(c.text) if c is not None else "" for c in row) + " |")
        if i == 0:
            lines.append("|" + "|".join(" --- " for _ in row) + "|")
    return "\n".join(lines)


def markdown_text(report: Report, layout: Layout | None = None) -> str:
    layout = layout or document_layout(report)
    out: list[str] = []
    for item in layout.items:
        if item.kind == "title":
            out.append(f"# {item.text}")
        elif item.kind == "heading":
            out.append(f"## {item.text}")
        elif item.kind == "table" and item.grid is not None:
            out.append(table_markdown(item.grid))
        else:
            out.append(_escape_line(item.text))
    return "\n\n".join(out) + "\n"


def write(report: Report, to: str, layout: Layout, **_: Any) -> bytes:
    return markdown_text(report, layout).encode("utf-8")
