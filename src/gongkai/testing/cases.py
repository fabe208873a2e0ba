"""Numbered round-trip cases: ``(layout, seed)`` → a printed report, and how to compare it.

The property tests, the benchmarks and a person reproducing a failure all go through here::

    python -m gongkai.testing.cases pdftext 123      # writes the case to ./case-pdftext-123.txt, shows the diff
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from ..model import Report
from .generate import random_report
from .print_text import LAYOUTS, Printed, layout_knobs, print_text

__all__ = ["AMBIGUOUS_NOTE", "compare", "html_case", "text_case"]

#: the start of the note the reader leaves on a glued cell it could not split uniquely
AMBIGUOUS_NOTE = "连写数字有多种拆分"

#: how many candidate splits the reader's note lists at most
_NOTE_SHOWS = 6

_TEXT_KEYS = ("title", "preamble", "sections", "portal", "contact")


def _report(rng: random.Random, knobs: dict[str, Any]) -> Report:
    fid = "2019" if rng.random() < 0.2 else "2021"
    if fid == "2021" and rng.random() < 0.1:
        knobs = {**knobs, "collapse_other": True}
    return random_report(rng, fid, **knobs)


def text_case(layout: str, seed: int) -> Printed:
    """Case ``seed`` of a text layout (deterministic)."""
    rng = random.Random(f"{layout}:{seed}")
    return print_text(_report(rng, layout_knobs(layout)), layout, rng)


def html_case(seed: int, style: str | None = None, traditional: bool | None = None) -> Printed:
    """Case ``seed`` of a portal page (deterministic); ``traditional`` forces 繁體 labels on or off."""
    from .print_html import print_html

    rng = random.Random(f"html:{style or ''}:{seed}")
    return print_html(_report(rng, {"blank_rate": 0.02, "na_rate": 0.05}), rng, style=style,
                      traditional=traditional)


def _diff(expected: Any, got: Any, path: str, out: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(got, dict):
        for k in list(expected) + [k for k in got if k not in expected]:
            _diff(expected.get(k, "<absent>"), got.get(k, "<absent>"), f"{path}.{k}" if path else k, out)
    elif expected != got:
        out.append(f"{path}: expected {expected!r}, got {got!r}")


def compare(expected: Report, got: Report, part: str = "all") -> list[str]:
    """Differences between the printed report and the one read back.

    ``part``: ``tables`` (format, agency, year, dates and every cell), ``text`` (title,
    preamble, narrative, portal, contact) or ``all``.  A cell the reader left blank because a
    glued digit run admits several splits counts as read when its note lists the true value
    among the candidates: the reader said so instead of guessing.
    """
    e, g = expected.content(), got.content()
    keys = [k for k in e if (k in _TEXT_KEYS) == (part == "text")] if part != "all" else list(e)
    out: list[str] = []
    for k in keys:
        if k == "tables":
            _tables(expected, got, e[k], g.get(k, {}), out)
        else:
            _diff(e[k], g.get(k, "<absent>"), k, out)
    return out


def case_failure(seed: int, printed: Printed, part: str = "all") -> str | None:
    """Read a printed case back: None when it comes back as printed, else a short description."""
    import gongkai

    try:
        got = gongkai.parse(printed.data, name=printed.name)
    except gongkai.GongkaiError as e:
        return f"seed {seed}: 读取失败：{e}"
    diffs = compare(printed.expected, got, part)
    if not diffs:
        return None
    return (f"seed {seed} ({printed.encoding}, {printed.options}):\n    "
            + "\n    ".join(d[:300] for d in diffs[:8]))


def _tables(expected: Report, got: Report, e: dict[str, Any], g: dict[str, Any], out: list[str]) -> None:
    for tkey in list(e) + [k for k in g if k not in e]:
        et, gt = e.get(tkey, {}), g.get(tkey)
        if gt is None:
            out.append(f"tables.{tkey}: missing")
            continue
        for r in list(et) + [r for r in gt if r not in et]:
            er, gr = et.get(r, {}), gt.get(r)
            if gr is None:
                out.append(f"tables.{tkey}.{r}: missing row")
                continue
            for c in list(er) + [c for c in gr if c not in er]:
                ev, gv = er.get(c, "<absent>"), gr.get(c, "<absent>")
                if ev == gv:
                    continue
                if gv is None and _ambiguous_candidate(got, tkey, r, c, ev):
                    continue
                out.append(f"tables.{tkey}.{r}.{c}: expected {ev!r}, got {gv!r}")


def _ambiguous_candidate(got: Report, table: str, row: str, col: str, value: Any) -> bool:
    """The reader left this glued cell blank and listed ``value`` among its candidates (the note
    lists either this cell's candidate values or whole candidate rows)."""
    t = got.table(table)
    cell = t.cell(row, col)
    if cell is None or not cell.note or not cell.note.startswith(AMBIGUOUS_NOTE):
        return False
    i = t.columns_of(row).index(col)
    options = [o.split(",") for o in cell.note.split("：", 1)[-1].split(" / ")]
    if len(options) >= _NOTE_SHOWS:
        return True  # the note lists only the first candidates: the reader said it cannot tell
    picks = [o[0] if len(o) == 1 else (o[i] if len(o) > i else "") for o in options]
    return any(_same_number(x, value) for x in picks)


def _same_number(text: str, value: Any) -> bool:
    try:
        return Decimal(text.strip()) == Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    import gongkai

    args = argv if argv is not None else sys.argv[1:]
    html_layouts = ("html", "html-cms", "html-wordpaste", "html-export")
    if len(args) != 2 or (args[0] not in LAYOUTS and args[0] not in html_layouts) or not args[1].isdigit():
        print(f"用法：python -m gongkai.testing.cases {{{'|'.join(LAYOUTS + html_layouts)}}} 编号")
        return 2
    layout, seed = args[0], int(args[1])
    is_html = layout.startswith("html")
    p = html_case(seed, layout[5:] or None) if is_html else text_case(layout, seed)
    path = f"case-{layout}-{seed}{'.html' if is_html else '.txt'}"
    with open(path, "wb") as f:
        f.write(p.data)
    got = gongkai.parse(p.data, name=p.name)
    diffs = compare(p.expected, got)
    print(f"{path}（{p.encoding}，{p.options}）：{len(diffs)} 处不同")
    try:
        for d in diffs:
            print("  " + d[:300])
        for w in got.warnings:
            print(f"  提示 {w.code}：{w.message[:200]}")
    except BrokenPipeError:
        pass
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
