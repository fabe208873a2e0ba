"""Finding the six section headings of a report, in order, with or without their ordinal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats import FORMATS, FormatSpec, SectionSpec
from ..model import Loc, Notice
from ..textnorm import fold
from .blocks import Document
from .glued import Budget
from .tokens import Unit, units_of

Pos = tuple[int, int]  # (unit index, char offset)


@dataclass(slots=True)
class Heading:
    key: str
    start: Pos
    end: Pos
    text: str
    loc: Loc


class Ctx:
    def __init__(self, doc: Document, trace: list[str] | None) -> None:
        self.doc = doc
        self.units: list[Unit] = units_of(doc.blocks)
        self.trace = trace
        self.notices: list[Notice] = []
        self._folded: dict[int, str] = {}
        #: the work the glued-digit search may still spend on this document
        self.glued_budget = Budget()

    def note(self, code: str, message: str, loc: Loc | None = None) -> None:
        self.notices.append(Notice(code, message, loc))
        self.log(f"提示[{code}] {message}")

    def log(self, line: str) -> None:
        if self.trace is not None:
            self.trace.append(line)

    def folded(self, i: int) -> str:
        f = self._folded.get(i)
        if f is None:
            text = self.units[i].text
            f = fold(text)
            if len(f) != len(text):  # keep offsets aligned with the printed text
                f = "".join((fold(ch) or " ")[0] for ch in text)
            self._folded[i] = f
        return f


# -- headings ----------------------------------------------------------------------------------

_STOP = "。；;\n\t"


#: words of a retitled heading (with an ordinal): 五、工作中的不足之处及下一步打算, 五、信息处理费收取情况
_RETITLED = {"problems": ("不足", "问题", "改进"), "other": ("信息处理费", "其他")}
#: any ordinal of a top-level heading, followed by its 、: sections are found by their title when a
#: report renumbers them (六、存在的主要问题… after an added 五、信息处理费收取情况; 三、主动公开… after an
#: added 二、重点领域信息公开情况)
_ANY_ORDINAL = "[一二三四五六七八九十]{1,2}"


def _heading_patterns(spec: SectionSpec, number: str | None = None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    kws = "|".join(re.escape(fold(k)) for k in spec.keywords)
    words = (*spec.keywords, *_RETITLED.get(spec.key, ()))
    closed = [re.escape(fold(k)) for k in words if k.endswith(("情况", "事项"))]
    open_ = [re.escape(fold(k)) for k in words if not k.endswith(("情况", "事项"))]
    gap = rf"[^{_STOP}\s0-9、]{{0,24}}?"
    # a keyword in the middle of a heading (行政复议 in 四、…行政复议、提起行政诉讼情况) runs on to
    # the heading's closing 情况/事项; one that ends the heading itself does not
    tail = rf"(?:[^{_STOP}\s0-9]{{0,16}}?(?:情况|事项)(?![^{_STOP}\s0-9]{{0,6}}(?:情况|事项)))?"
    alts = []
    if closed:
        alts.append(f"(?:{'|'.join(closed)})")
    if open_:
        alts.append(f"(?:{'|'.join(open_)}){tail}")
    # (二是… enumerates points inside a paragraph: never a heading)
    with_ordinal = re.compile(
        rf"(?<![（(])(?:(?<![\u4e00-\u9fff])|(?<=[元件条项个次]))"
        rf"{number or spec.number}(?!\s*是)\s*{'[、.．]' if number else '[、.,，．]?'}\s*{gap}(?:{'|'.join(alts)})")
    bare = re.compile(rf"(?:{kws})")
    return with_ordinal, bare


_PATTERNS = {s.key: _heading_patterns(s) for s in FORMATS["2021"].sections}
_RENUMBERED = {s.key: _heading_patterns(s, _ANY_ORDINAL)[0] for s in FORMATS["2021"].sections
               if s.key != "overview"}


def find_headings(ctx: Ctx, fmt: FormatSpec) -> list[Heading]:
    out: list[Heading] = []
    pos: Pos = (0, 0)
    units = ctx.units
    for spec in fmt.sections:
        with_ord, bare = _PATTERNS.get(spec.key) or _heading_patterns(spec)
        found: Heading | None = None
        for ui in range(pos[0], len(units)):
            u = units[ui]
            if u.in_table:
                continue
            text = ctx.folded(ui)
            m = with_ord.search(text, pos[1] if ui == pos[0] else 0)
            if m:
                end = m.end()
                rest = text[end:].strip()
                if len(text.strip()) <= 48 and "。" not in text[: m.start()] and (not rest or len(rest) <= 4):
                    end = len(text)
                found = Heading(spec.key, (ui, m.start()), (ui, end), u.text[m.start():end].strip(), u.loc)
                break
        if found is None and spec.key != "overview":
            # a heading whose ordinal was lost (Word auto-numbering): a short line of its own
            for ui in range(pos[0] + (1 if pos[1] else 0), len(units)):
                u = units[ui]
                t = u.text.strip()
                if u.in_table or not t or len(t) > 32 or "。" in t or (u.cells and len([c for c in u.cells if c.text]) > 1):
                    continue
                if bare.search(ctx.folded(ui)):
                    # not one of table 三/四's own title rows when a heading with ordinal comes later
                    found = Heading(spec.key, (ui, 0), (ui, len(u.text)), t, u.loc)
                    break
        if found is None and spec.key in _RENUMBERED:
            found = _renumbered(ctx, spec, pos)
        if found is not None:
            # a later section's heading must not come before this one: stop at the first such
            out.append(found)
            pos = found.end
            ctx.log(f"章节 {spec.number}（{spec.key}）：“{found.text}” @ {found.loc.describe()}")
        else:
            ctx.log(f"章节 {spec.number}（{spec.key}）：未找到")
    return out


def _renumbered(ctx: Ctx, spec: SectionSpec, pos: Pos) -> Heading | None:
    """A section found by its title under another ordinal (六、存在的主要问题及改进情况 after an added
    五、…; 七、其他需要报告的事项): the content is the format's, the number is the report's."""
    pattern = _RENUMBERED[spec.key]
    units = ctx.units
    for ui in range(pos[0], len(units)):
        u = units[ui]
        if u.in_table:
            continue
        text = ctx.folded(ui)
        m = pattern.search(text, pos[1] if ui == pos[0] else 0)
        if m:
            end = m.end()
            rest = text[end:].strip()
            if len(text.strip()) <= 48 and "。" not in text[: m.start()] and (not rest or len(rest) <= 4):
                end = len(text)
            ctx.log(f"章节 {spec.number}（{spec.key}）按标题找到，编号不同")
            return Heading(spec.key, (ui, m.start()), (ui, end), u.text[m.start():end].strip(), u.loc)
    return None
