"""The ``pdftext`` layout: a report as ``pdftotext -layout`` prints a PDF made from Word.

Cells of a row sit on one line separated by runs of spaces; long labels wrap over two lines
(numbers on the first line, or on a line of their own after the label); group labels
(三、本年度办理结果, （三）不予公开) sit on lines of their own in the middle of their rows;
narrative is wrapped at a fixed width with an indented first line; pages end with a page
number and a form feed, anywhere — between table rows too.
"""

from __future__ import annotations

import random
import re
import zlib

from ..model import Report
from .grid import Grid, label_path

_Line = tuple[str, bool]  # (text, a page may break after it)

#: pdftotext puts a space between a run of digits and an adjacent Chinese character ("2023 年")
_CJK_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])")


def _pdf_spaces(lines: list[_Line]) -> list[_Line]:
    return [(_CJK_DIGIT.sub(" ", t), b) for t, b in lines]


def _gap(rng: random.Random, lo: int = 2, hi: int = 6) -> str:
    return " " * rng.randint(lo, hi)


def _nums(vals: list[str], rng: random.Random) -> str:
    out = vals[0]
    for v in vals[1:]:
        out += _gap(rng) + v
    return out


_NO_START = set("，。、；：？！）》」』”’%")


def _cut(p: str, width: int) -> int:
    """Where Word breaks a line of ``width`` characters: never inside a run of Latin letters or
    digits, never before closing punctuation (it hangs at the end of the line)."""
    if len(p) <= width:
        return len(p)
    k = width
    while k > 0 and p[k - 1].isascii() and p[k].isascii() and p[k - 1].isalnum() and (p[k].isalnum() or p[k] in ".-/:"):
        k -= 1
    if k < width // 2:
        k = width
    while k < len(p) and p[k] in _NO_START:
        k += 1
    return k


def _wrap(p: str, width: int, rng: random.Random) -> list[_Line]:
    indent = " " * rng.randint(2, 6)
    k = _cut(p, width - 2)
    lines = [indent + p[:k]]
    rest = p[k:]
    while rest:
        k = _cut(rest, width)
        lines.append(rest[:k])
        rest = rest[k:]
    return [(ln, True) for ln in lines]


def _spaced(label: str, rng: random.Random) -> str:
    """pdftotext sometimes splits a label with spaces (三 、本 年 度办 理 结果)."""
    if len(label) < 8 or rng.random() < 0.7:
        return label
    cut = sorted(rng.sample(range(3, len(label) - 1), 2))
    return label[:cut[0]] + " " + label[cut[0]:cut[1]] + " " + label[cut[1]:]


def _values(grid: Grid, row: int, first_col: int) -> list[str]:
    return [c.text for c in grid[row][first_col:] if c is not None]


def _proactive(report: Report, grid: Grid, rng: random.Random) -> list[_Line]:
    out: list[_Line] = []
    i = 0
    if grid and grid[0][0] is not None and grid[0][0].role == "title":
        out += [(" " * rng.randint(14, 30) + grid[0][0].text, True), ("", True)]
        i = 1
    while i < len(grid):
        c0 = grid[i][0]
        assert c0 is not None
        if c0.role == "caption":
            out += [(" " * rng.randint(10, 38) + c0.text, True), ("", True), ("", True)]
        elif c0.role == "header":
            heads = [c.text for c in grid[i] if c is not None]
            out += [(" " * rng.randint(4, 19) + heads[0] + _gap(rng, 3, 20) + _nums(heads[1:], rng), True),
                    ("", True), ("", True)]
        else:
            vals = _values(grid, i, 1)
            out += [(c0.text + _gap(rng, 4, 30) + _nums(vals, rng), True), ("", True)]
        i += 1
    return out


def _requests_header(grid: Grid, rng: random.Random) -> list[_Line]:
    """Header rows of table 三 (``grid`` starts at the corner row)."""
    corner = grid[0][0]
    assert corner is not None
    nhead = corner.rowspan

    def text(i: int, j: int) -> str:
        c = grid[i][j]
        return c.text if c is not None else ""

    applicant, natural, group, total = text(0, 3), text(1, 3), text(1, 4), text(1, 9)
    orgs = [text(2, j) + (text(3, j) if nhead == 4 else "") for j in range(4, 9)]
    labels = [natural, *orgs, total]
    cut = rng.randint(12, len(corner.text) - 6)
    if rng.random() < 0.5:
        return [(" " * 62 + applicant, True), ("", True), (" " * 57 + group, True),
                (corner.text[:cut] + " ", True), (corner.text[cut:], True),
                (" " * 45 + labels[0] + " " * 9 + labels[3][:2] + " " + labels[4][:2] + " " * 16 + labels[6], True),
                (" " * 51 + labels[1][:2] + " " + labels[2][:2], True),
                (" " * 57 + labels[3][2:4] + " " + labels[4][2:4] + " " + labels[5], True),
                (" " * 51 + labels[1][2:] + " " + labels[2][2:], True),
                (" " * 57 + labels[3][4:] + " " + labels[4][4:], True), ("", True)]
    return [(corner.text[:cut], True), (corner.text[cut:] + _gap(rng, 8, 20) + applicant, True),
            (" " * 50 + group, True),
            (" " * 36 + _nums(labels, rng), True), ("", True)]


def _requests(report: Report, grid: Grid, rng: random.Random, noise: bool) -> tuple[list[_Line], list[_Line]]:
    """(title and header lines, one or more lines per row)"""
    spec = report.format.table("requests")
    rows = report.table("requests").row_keys()
    out: list[_Line] = []
    start = 0
    if grid[0][0] is not None and grid[0][0].role == "title":
        out += [(" " * rng.randint(14, 30) + grid[0][0].text, True), ("", True)]
        start = 1
    out += _requests_header(grid[start:], rng)
    head, out = out, []
    body = [row for row in grid if row[-1] is not None and row[-1].role == "value"]
    paths = {r: label_path(spec, r) for r in rows}
    # the printed text of each group label, and the row before which it is printed
    shown: dict[tuple[int, str], str] = {}
    members: dict[tuple[int, str], list[str]] = {}
    for r, row in zip(rows, body, strict=True):
        groups = [c.text for c in row[:3] if c is not None and c.role == "group"]
        starting = [(d, lab) for d, lab in enumerate(paths[r][:-1]) if (d, lab) not in shown and (d, lab)
                    not in members]
        for key, txt in zip(starting, groups, strict=True):
            shown[key] = txt
        for d, lab in enumerate(paths[r][:-1]):
            members.setdefault((d, lab), []).append(r)
    group_at: dict[str, list[tuple[int, str]]] = {}
    for (d, lab), rs in members.items():
        anchor = rs[len(rs) // 2] if noise and rng.random() < 0.7 else rs[0]
        group_at.setdefault(anchor, []).append((d, shown[(d, lab)]))
    indent = {1: 0, 2: rng.choice((5, 18)), 3: rng.choice((17, 28))}
    for r, row in zip(rows, body, strict=True):
        for depth, lab in sorted(group_at.get(r, [])):
            pad = 1 if depth == 0 else 5
            out.append((" " * pad + (_spaced(lab, rng) if noise else lab), True))
        label = next(c.text for c in row[:3] if c is not None and c.role == "label")
        vals = [c.text for c in row[3:] if c is not None]
        ind = " " * indent[len(paths[r])]
        nums = _nums(vals, rng)
        if noise and len(label) > 14 and rng.random() < 0.6:
            k = rng.randint(8, len(label) - 3)
            a, b = label[:k], label[k:]
            # a page may fall inside a wrapped label (（四）无 / 法提供 in the real 洪泽 PDF), rarely
            inside = rng.random() < 0.1
            if rng.random() < 0.35:
                out += [(ind + a + _gap(rng, 3, 12) + nums, inside), (ind + b, True)]
            else:
                out += [(ind + a, inside), (ind + b, False), (" " * rng.randint(30, 46) + nums, True)]
        else:
            out.append((ind + (_spaced(label, rng) if noise and rng.random() < 0.2 else label)
                        + _gap(rng, 3, 14) + nums, True))
    return head, out


def _appeals(report: Report, grid: Grid, rng: random.Random, info: dict[str, str]) -> list[_Line]:
    out: list[_Line] = []
    rows = list(grid)
    if rows[0][0] is not None and rows[0][0].role == "title":
        out += [(" " * rng.randint(14, 30) + rows[0][0].text, True), ("", True)]
        rows = rows[1:]
    review, suit = (c.text for c in rows[0] if c is not None)
    second = [c for c in rows[1] if c is not None]
    outcomes = [c.text for c in second[:5]]
    direct, after = second[5].text, second[6].text
    vals = [c.text for c in rows[-1] if c is not None]
    out += [(" " * 10 + review + " " * 30 + suit, True), ("", True),
            (" " * 30 + direct + " " * 18 + after, True), ("", True)]
    info["appeals_header"] = "stacked" if rng.random() < 0.5 else "flat"
    if info["appeals_header"] == "stacked":  # as pdftotext prints the real 淮安/洪泽 PDFs
        tops = [o[:2] for o in outcomes[:4]]
        bots = [o[2:] for o in outcomes[:4]]
        total = outcomes[4]
        out += [("   ".join(tops), True),
                (" " * 20 + " ".join(total) + " " + " ".join(tops[:3]) + "       " + tops[3] + "     "
                 + " ".join(tops[:3]) + " " + tops[3], True),
                ("   ".join(bots) + " " * 47 + total, True),
                (" " * 42 + " ".join(total), True),
                (" " * 24 + " ".join(bots[:3]) + "       " + bots[3] + "     " + " ".join(bots), True),
                ("", True), ("", True)]
    else:
        out += [(_nums(outcomes * 3, rng), True), ("", True)]
    out += [(_nums(vals, rng), True), ("", True)]
    return out


def pdf_lines(report: Report, grids: dict[str, Grid], heads: dict[str, str], rng: random.Random,
              noise: bool, info: dict[str, str] | None = None) -> str:
    """The report as pdftotext prints it; ``info`` receives the variants chosen."""
    info = {} if info is None else info
    width = rng.randint(26, 36)
    lines: list[_Line] = []
    repeat: tuple[int, int, list[str]] | None = None
    # decided without drawing from ``rng``, so that adding this variant left every other case as it was
    spaced = noise and zlib.crc32((report.title or "").encode("utf-8")) % 10 < 3
    if spaced:
        info["cjk_spaces"] = "yes"

    def prose(ls: list[_Line]) -> list[_Line]:
        return _pdf_spaces(ls) if spaced else ls

    title = report.title or ""
    agency = report.agency or ""
    if noise and rng.random() < 0.3 and title.startswith(agency) and agency:
        lines += prose([(" " * 16 + agency, True), (" " * 6 + title[len(agency):], True), ("", True)])
    else:
        lines += prose([(" " * rng.randint(4, 12) + title, True), ("", True)])
    for p in (report.preamble or "").split("\n"):
        if p:
            lines += prose(_wrap(p, width, rng))
    for key in ("overview", "proactive", "requests", "appeals", "problems", "other"):
        lines.append((" " * rng.randint(2, 5) + heads[key], True))
        for p in (report.sections.get(key) or "").split("\n"):
            if p:
                lines += prose(_wrap(p, width, rng))
        if key in grids:
            if key == "proactive":
                lines += _proactive(report, grids[key], rng)
            elif key == "requests":
                head, body = _requests(report, grids[key], rng, noise)
                lines += head
                # a table continued on the next page may repeat its header rows (Word's 重复标题行)
                if noise and rng.random() < 0.4:
                    info["repeat_header"] = "yes"
                    repeat = (len(lines), len(lines) + len(body), [t for t, _ in head if t.strip()])
                lines += body
            else:
                lines += _appeals(report, grids[key], rng, info)
    from .print_text import sign_date

    date = sign_date(report)
    lines += prose([("", True), (" " * 40 + agency, True), (" " * 42 + date, True)])
    return _paginate(lines, rng, noise, repeat)


def _paginate(lines: list[_Line], rng: random.Random, noise: bool,
              repeat: tuple[int, int, list[str]] | None = None) -> str:
    """Pages of ``lines`` with page numbers and form feeds; ``repeat`` = (first, end, header lines)
    of a table whose header is printed again at the top of a page that continues it."""
    style = rng.choice(("-{n}-", "- {n} -", "— {n} —"))
    header = noise and rng.random() < 0.3
    per_page = rng.randint(38, 56)
    out: list[str] = []
    n, count, pending = 1, 0, False
    for i, (text, breakable) in enumerate(lines):
        if pending:
            top = " " * 20 + "政府信息公开工作年度报告\n" if header else ""
            if repeat and repeat[0] <= i < repeat[1]:
                top += "\n".join(repeat[2]) + "\n"
            text = "\f" + top + text
            pending = False
        out.append(text)
        count += 1
        if count >= per_page and breakable:
            out += ["", "", " " * rng.randint(4, 70) + style.format(n=n)]
            n += 1
            count = 0
            pending = True
    if not pending:
        out += ["", "", " " * rng.randint(4, 70) + style.format(n=n)]
    out.append("\f")
    return "\n".join(out)
