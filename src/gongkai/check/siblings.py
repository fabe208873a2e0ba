"""One report in two forms: a portal folder's page.html and page.txt, a PDF and its text version.

In a folder, readable files with the same stem side by side are one report.  Both are read; the
better reading is kept (more cells read, fewer reading notices; on a tie the form that carries the
layout: a page's HTML, then DOCX, XLSX, PDF, text); where the two disagree on a number, a reading
notice says so (never the agency's fault: our readings of two forms of one document differ).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..messages import Notice
from ..model import Loc, Report
from .context import cell_at

#: on a tie, the form that carries the layout wins
PREFERENCE = (".html", ".htm", ".shtml", ".docx", ".xlsx", ".pdf", ".txt", ".json")
#: disagreeing cells listed one by one (then one notice says how many more)
MAX_LISTED = 20


def _rank(path: str) -> int:
    ext = os.path.splitext(path)[1].lower()
    return PREFERENCE.index(ext) if ext in PREFERENCE else len(PREFERENCE)


def group_siblings(files: Sequence[str]) -> list[list[str]]:
    """Files (in walk order) grouped by folder and stem: ``a.html``, ``a.txt`` → one group, the
    preferred form first; groups keep the order of their first file."""
    groups: dict[tuple[str, str], list[str]] = {}
    for f in files:
        head, name = os.path.split(f)
        groups.setdefault((head, os.path.splitext(name)[0]), []).append(f)
    return [sorted(g, key=_rank) for g in groups.values()]


def settle_siblings(readings: list[tuple[str, Report]]) -> int:
    """Glued runs one reading left open, settled by another form's reading of the same cells
    (``readers.evidence.settle_by_sibling``: only a split of the printed digits is taken, and only
    from cells the other reading is sure of); the cells settled."""
    from ..readers.evidence import settle_by_sibling
    from .reading import is_unsure

    n = 0
    for i, (_, rep) in enumerate(readings):
        for j, (src, other) in enumerate(readings):
            if i != j:
                n += settle_by_sibling(rep, other, os.path.basename(src), sure=lambda c: not is_unsure(c))
    return n


def score(r: Report) -> tuple[int, int]:
    """(cells read, − reader warnings): the better reading has more of the first, fewer of the second."""
    cells = sum(1 for t in r.tables.values() if t.present for c in t.cells.values() if c.value is not None)
    return cells, -sum(1 for w in r.warnings if w.severity != "info")


def choose(readings: list[tuple[str, Report]]) -> Report:
    """The best of the readings of one report (the first on a tie), with reading notices that name
    the forms read and every number on which the others disagree."""
    best_i = max(range(len(readings)), key=lambda i: (score(readings[i][1]), -i))
    best_src, best = readings[best_i]
    names = "、".join(os.path.basename(s) for s, _ in readings)
    best.warnings.append(Notice("sibling.read", f"同一报告有 {len(readings)} 种形式（{names}），合并为一份核查，"
                                                f"采用 {os.path.basename(best_src)} 的读取结果"))
    for i, (src, other) in enumerate(readings):
        if i != best_i:
            for msg, loc in differences(best, other, os.path.basename(best_src), os.path.basename(src)):
                best.warnings.append(Notice("sibling.differs", msg, loc))
    return best


def differences(a: Report, b: Report, a_name: str, b_name: str) -> list[tuple[str, Loc | None]]:
    """Cells both readings read with different values (the first ``MAX_LISTED``, then how many more)."""
    out: list[tuple[str, Loc | None]] = []
    n = 0
    for key, ta in a.tables.items():
        tb = b.tables.get(key)
        if tb is None or not ta.present or not tb.present:
            continue
        for (row, col), ca in ta.cells.items():
            cb = tb.cells.get((row, col))
            if cb is None or ca.value is None or cb.value is None or ca.value == cb.value:
                continue
            n += 1
            if n <= MAX_LISTED:
                where = cell_at(ta, row, col).label
                out.append((f"{where}：{a_name} 读作 {ca.value}，{b_name} 读作 {cb.value}（采用 {a_name}）", ca.loc))
    if n > MAX_LISTED:
        out.append((f"另有 {n - MAX_LISTED} 个单元格两种形式读法不同", None))
    return out
