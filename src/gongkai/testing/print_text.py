"""Print a ``Report`` as plain text, in the layouts real documents come in, with realistic noise.

Layouts (``LAYOUTS``):

``word``      text copied out of Word, like the seed: one cell per line with a leading tab, a
              blank line after each table row, merged cells continued as empty ``\\t`` lines,
              header cells one character per line, the signature right-aligned with spaces
``tsv``       one table row per line, cells separated by tabs, blank cells as empty fields
``markdown``  pipe tables
``pdftext``   as ``pdftotext -layout`` gives: a row's cells on one line separated by runs of
              spaces, long labels wrapped, group labels on lines of their own, page numbers and
              form feeds anywhere (also inside a table), narrative wrapped with indented first lines
``glued``     a portal's "text version": the whole body on one line, table cells glued together

``print_text`` returns a ``Printed``: the bytes, and the report a perfect reader must return
(identical to the input except where the layout cannot show something: the glued layout loses
paragraph breaks).  Deterministic given the ``random.Random``.
"""

from __future__ import annotations

import copy
import random
import zlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import NA, Report
from .grid import Grid, fullwidth, owners, shuffle_free, table_grid, value_text

__all__ = ["LAYOUTS", "Printed", "layout_knobs", "print_text", "relabel_map"]

LAYOUTS = ("word", "tsv", "markdown", "pdftext", "glued")

HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": ("一、总体情况",),
    "proactive": ("二、主动公开政府信息情况",),
    "requests": ("三、收到和处理政府信息公开申请情况", "三、行政机关收到和处理政府信息公开申请情况"),
    "appeals": ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                "四、政府信息公开行政复议和行政诉讼情况"),
    "problems": ("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
    "other": ("六、其他需要报告的事项", "六、其他事项"),
}
_ORDER = ("overview", "proactive", "requests", "appeals", "problems", "other")
_NA_TEXTS = ("/", "/", "—", "-", "——", "不适用")


def layout_knobs(layout: str) -> dict[str, Any]:
    """Generator knobs for reports this layout can show (no blanks where a blank cannot be seen)."""
    if layout == "glued":
        return {"blank_rate": 0.0, "na_rate": 0.0}
    if layout == "pdftext":
        return {"blank_rate": 0.0, "na_rate": 0.05}
    return {"blank_rate": 0.02, "na_rate": 0.05}


@dataclass
class Printed:
    data: bytes
    expected: Report
    layout: str
    encoding: str
    name: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.data.decode(self.encoding)


@lru_cache(maxsize=1)
def _s2t() -> Any:
    from opencc import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=4)
def relabel_map(format_id: str) -> dict[str, str]:
    """Every label of the format (and every heading variant) → its traditional-character form."""
    from ..formats import get_format

    fmt = get_format(format_id)
    labels: set[str] = {"申请人情况", "法人或其他组织", "行政复议", "行政诉讼"}
    for t in fmt.tables:
        labels.update(x for x in (t.title, t.corner) if x)
        labels.update(c.label for c in t.columns)
        labels.update(c.label for c in t.collapsed)
        for r in t.rows:
            labels.update(x for x in (r.label, r.group, r.caption) if x)
    for hs in HEADINGS.values():
        labels.update(hs)
    cc = _s2t()
    out = {s: cc.convert(s) for s in labels}
    out.update({s[:2]: cc.convert(s[:2]) for s in ("商业企业", "科研机构")})
    out.update({s[2:]: cc.convert(s[2:]) for s in ("商业企业", "科研机构")})
    return out


def noisy_values(report: Report, layout: str, rng: random.Random, noise: bool,
                  info: dict[str, str] | None = None) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for tkey, t in report.tables.items():
        if not t.present:
            continue
        for r, c, cell in t.items():
            v = cell.value
            s = value_text(v, cell.unit)
            if v == NA:
                s = rng.choice(_NA_TEXTS) if layout != "pdftext" else rng.choice(("/", "—"))
            elif isinstance(v, Decimal) and noise and rng.random() < 0.2:
                exp = v.as_tuple().exponent
                if isinstance(exp, int) and exp > -4:
                    unit = cell.unit if v else None
                    s = format(v.quantize(Decimal("0.0001")), "f") + (unit or "")
            elif isinstance(v, int) and noise and c == "change" and v > 0 and rng.random() < 0.3:
                s = f"+{v}"  # 2019 本年增/减 printed with its sign
                if info is not None:
                    info["plus_sign"] = "yes"
            elif isinstance(v, int) and noise and layout != "glued":
                if v >= 1000 and rng.random() < 0.3:
                    s = f"{v:,}" + (cell.unit or "")
                if rng.random() < 0.03:
                    s = fullwidth(s)
                if layout in ("word", "tsv") and rng.random() < 0.03:
                    s = rng.choice((" \u3000", " ", "\u3000")) + s
            out[(tkey, r, c)] = s
    return out


def _headings(rng: random.Random, variants: bool, layout: str = "") -> dict[str, str]:
    heads = {k: (rng.choice(v) if variants else v[0]) for k, v in HEADINGS.items()}
    if variants and layout != "glued" and rng.random() < 0.05:
        heads["proactive"] = "行政机关主动公开政府信息情况"  # the seed lost this heading's ordinal
        heads["_no_ordinal"] = "yes"
    return heads


def _paras(text: str | None) -> list[str]:
    return [p for p in (text or "").split("\n") if p]


def print_text(report: Report, layout: str, rng: random.Random, *, encoding: str | None = None,
               traditional: bool | None = None, noise: bool = True) -> Printed:
    """``report`` printed in ``layout``; see the module docstring."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知的文本版式：{layout}")
    if encoding is None:
        encoding = rng.choice(("utf-8",) * 5 + ("utf-8-sig", "utf-8-sig", "gbk", "gb18030", "gb18030"))
    if traditional is None:
        traditional = noise and rng.random() < 0.1
    gopts = shuffle_free(rng)
    if layout == "glued":
        gopts.title_row = False
        gopts.split_appeals = False
        gopts.split_applicants = False
    info: dict[str, str] = {}
    gopts.value_text = noisy_values(report, layout, rng, noise, info)
    if traditional:
        gopts.relabel = relabel_map(report.format.id)
    heads = _headings(rng, noise, layout)
    info.update(variants(report))
    if heads.pop("_no_ordinal", None):
        info["no_ordinal_heading"] = "yes"
    if traditional:
        heads = {k: gopts.relabel.get(h, h) for k, h in heads.items()}
    grids = {k: table_grid(report, k, gopts) for k, t in report.tables.items() if t.present}
    if layout == "pdftext":
        from .pdf_layout import pdf_lines

        text = pdf_lines(report, grids, heads, rng, noise, info)
    elif layout == "glued":
        text = _glued(report, grids, heads, rng, noise, info)
    else:
        printer = {"word": _word, "tsv": _tsv, "markdown": _markdown}[layout]
        text = printer(report, grids, heads, rng, noise)
    crlf = layout in ("word", "tsv") and noise and rng.random() < 0.15
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "gb18030"
        data = text.encode(encoding)
    expected = copy.deepcopy(report)
    if layout == "glued":
        expected.preamble = "".join(_paras(report.preamble)) if report.preamble is not None else None
        expected.sections = {k: "".join(_paras(v)) for k, v in report.sections.items()}
    ext = {"markdown": ".md", "tsv": ".tsv"}.get(layout, ".txt")
    name = f"{report.agency}{report.year}年报告-{layout}{ext}"
    opts = {"traditional": traditional, "crlf": crlf, "title_row": gopts.title_row,
            "split_appeals": gopts.split_appeals, "split_applicants": gopts.split_applicants, **info}
    return Printed(data, expected, layout, encoding, name, opts)


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1..31 as written in a date: 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else _CN_DIGITS[tens]) + ("十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: date) -> str:
    """二〇二二年一月二十日"""
    return "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def variants(report: Report) -> dict[str, str]:
    """Variants of the report's own text that a case is known by (for the property tests)."""
    out = {}
    if report.published and sign_date(report) == cn_date(report.published):
        out["cn_date"] = "yes"
    if "年1月1日至12月31日" in (report.preamble or ""):
        out["short_period"] = "yes"
    return out


def sign_date(report: Report) -> str:
    d = report.published
    if d is None:
        return ""
    # some agencies still date in Chinese numerals (decided apart from the rng, so other cases stay as they were)
    if zlib.crc32((report.title or "").encode("utf-8")) % 20 == 7:
        return cn_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


def _sections(report: Report) -> list[tuple[str, list[str]]]:
    return [(k, _paras(report.sections.get(k))) for k in _ORDER]


# -- word -------------------------------------------------------------------------------------------

def word_grid(g: Grid) -> list[str]:
    own = owners(g)
    out: list[str] = []
    for i, row in enumerate(g):
        for j, c in enumerate(row):
            if c is not None:
                out.append("\t" + "\n\n".join(c.paras))
                continue
            oi, oj = own[i][j]
            if oi != i and (j == oj):  # vertically merged: Word prints an empty cell
                out.append("\t")
        out.append("")
    return out


def _word(report: Report, grids: dict[str, Grid], heads: dict[str, str], rng: random.Random, noise: bool) -> str:
    lines: list[str] = []
    title = report.title or ""
    if noise and rng.random() < 0.4 and title.endswith("年度报告"):
        lines += [title[:-4], "", "年度报告", ""]
    else:
        lines += [title, ""]

    def para(p: str) -> None:
        pre = rng.choice(("", "", "\u3000\u3000", "  ")) if noise else ""
        post = rng.choice(("",) * 6 + ("  ", " ")) if noise else ""
        lines.append(pre + p + post)
        if not noise or rng.random() < 0.6:
            lines.append("")

    for p in _paras(report.preamble):
        para(p)
    for key, ps in _sections(report):
        lines.append((rng.choice(("", "\u3000\u3000", " ")) if noise else "") + heads[key])
        if not noise or rng.random() < 0.5:
            lines.append("")
        for p in ps:
            para(p)
        if key in grids:
            if lines and lines[-1] != "" and (not noise or rng.random() < 0.5):
                lines.append("")
            body = word_grid(grids[key])
            if noise and rng.random() < 0.4:
                body = body[:-1]  # next heading right after the last row, as in the seed
            lines += body
            if noise and rng.random() < 0.5:
                lines.append("")
    pad = " " * (rng.randint(20, 40) if noise else 31)
    lines += [pad + (report.agency or ""), pad + sign_date(report), "", ""]
    return "\n".join(lines)


# -- tsv / markdown ---------------------------------------------------------------------------------

def _flat(g: Grid) -> list[list[str]]:
    return [[(c.text if c is not None else "") for c in row] for row in g]


def _compact(g: Grid) -> list[list[str]]:
    """Rows as a hand-made sheet has them: label cells not padded for merges."""
    out = []
    for row in g:
        cells = [c.text for c in row if c is not None]
        if cells:
            out.append(cells)
    return out


def _tsv(report: Report, grids: dict[str, Grid], heads: dict[str, str], rng: random.Random, noise: bool) -> str:
    flat = _flat if rng.random() < 0.5 else _compact
    lines = [report.title or "", ""]
    lines += _paras(report.preamble)
    for key, ps in _sections(report):
        lines.append(heads[key])
        lines += ps
        if key in grids:
            if noise and rng.random() < 0.5:
                lines.append("")
            for row in flat(grids[key]):
                if noise and rng.random() < 0.05:
                    row = [c + " " if c else c for c in row]
                lines.append("\t".join(row))
            if noise and rng.random() < 0.5:
                lines.append("")
    lines += ["", report.agency or "", sign_date(report), ""]
    return "\n".join(lines)


def _markdown(report: Report, grids: dict[str, Grid], heads: dict[str, str], rng: random.Random,
              noise: bool) -> str:
    hstyle = rng.choice(("## ", "**", "")) if noise else "## "
    out = ["# " + (report.title or ""), ""]
    for p in _paras(report.preamble):
        out += [p, ""]
    for key, ps in _sections(report):
        h = heads[key]
        out += [f"**{h}**" if hstyle == "**" else hstyle + h, ""]
        for p in ps:
            out += [p, ""]
        if key in grids:
            rows = _flat(grids[key])
            for i, row in enumerate(rows):
                out.append("| " + " | ".join(c.replace("|", "｜") for c in row) + " |")
                if i == 0:
                    out.append("|" + "|".join("---" for _ in row) + "|")
            out.append("")
    out += [report.agency or "", "", sign_date(report), ""]
    return "\n".join(out)


# -- glued ------------------------------------------------------------------------------------------

def _glued(report: Report, grids: dict[str, Grid], heads: dict[str, str], rng: random.Random,
           noise: bool, info: dict[str, str]) -> str:
    def sp() -> str:
        return " " if noise and rng.random() < 0.4 else ""

    parts = [report.title or "", " ", "".join(_paras(report.preamble))]
    for key, ps in _sections(report):
        parts += [sp(), heads[key], sp() if ps else "", "".join(ps)]
        if key in grids:
            parts.append("".join(c.text for row in grids[key] for c in row if c is not None))
    parts += [" ", report.agency or "", sp(), sign_date(report)]
    body = "".join(parts)
    if noise and rng.random() < 0.3:  # as the portal's text-version files are saved
        info["portal_header"] = "yes"
        pub = report.published.isoformat() if report.published else ""
        body = (f"标题: {report.title}\n发布时间: {pub} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}\n文号: \n"
                f"发布机构: \n栏目: 政府信息公开年报\n原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/t{rng.randint(10**7, 10**8)}.htm\n"
                "==================== 正文 ====================\n"
                f"当前位置： 首页政务公开政府信息公开年报 {report.title} 来源： 时间：{pub} --> 微信 微博 QQ空间 "
                f"全真版 文字版 文件下载 相关链接： " + body + (" 附件下载" if rng.random() < 0.5 else ""))
    return body + "\n"
