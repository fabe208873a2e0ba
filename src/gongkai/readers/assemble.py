"""Document (blocks) → Report: the steps every reader shares.

1. blocks → units (lines, paragraphs, table rows) — ``tokens.units_of``
2. units → sections: the six headings, found in order (with or without their ordinal) — ``headings``
3. table sections → tokens → rows: each official row label is matched in order and the values
   printed after it are read; digit runs whose separators were lost are split by the identities —
   ``tables`` and ``glued``
4. metadata: title, agency, year, statistics period, publication date, portal, contact — ``meta``
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import NotAReportError
from ..formats import FORMATS, FormatSpec, get_format
from ..model import Cell, Report, Table
from ..textnorm import key
from .appeals import read_appeals
from .blocks import Document
from .evidence import settle_by_narrative
from .headings import Ctx, Heading, Pos, find_headings
from .meta import (
    ADDRESS,
    CRUMBS,
    FURNITURE,
    PERIOD,
    PHONE,
    POSTCODE,
    PREAMBLE_WORDS,
    TITLE_AT_START,
    UNIT_AFTER,
    URL,
    YEAR,
    choose_agency,
    make_date,
    split_signature,
    tidy,
    title_in_furniture,
)
from .tables import read_rows_table, table_start
from .tokens import tokenize

# -- the whole -----------------------------------------------------------------------------------

def _slice(ctx: Ctx, a: Pos, b: Pos, skip: tuple[Pos, Pos] | None = None) -> str:
    """Printed text between two positions, paragraphs joined by newlines, minus a skipped span."""
    paras: list[str] = []
    units = ctx.units
    for ui in range(a[0], min(b[0] + 1, len(units))):
        u = units[ui]
        lo = a[1] if ui == a[0] else 0
        hi = b[1] if ui == b[0] else len(u.text)
        pieces = []
        if skip is not None and skip[0][0] <= ui <= skip[1][0]:
            s_lo = skip[0][1] if ui == skip[0][0] else 0
            s_hi = skip[1][1] if ui == skip[1][0] else len(u.text)
            pieces = [u.text[lo:min(hi, s_lo)], u.text[max(lo, s_hi):hi]]
        else:
            pieces = [u.text[lo:hi]]
        for p in pieces:
            p = p.strip().strip("\t").strip()
            if p and not u.in_table:
                paras.append(tidy(p))
    return "\n".join(paras)


#: the single space a PDF extraction puts between Chinese and digits (2023 年, 第 711 号)
def _detect_format(ctx: Ctx, region_text: str, year: int | None) -> FormatSpec:
    """The format whose table 二 column labels the report prints (the share of them found), ties
    broken by the report year, then by the format's own markers."""
    k = key(region_text)

    def score(f: FormatSpec) -> tuple[float, int, int]:
        cols = f.table("proactive").columns
        found = sum(1 for c in cols if any(key(x) in k for x in (c.label, *c.aliases)))
        fits = 1 if year is not None and f.applies_to(year) else 0
        return found / len(cols), fits, sum(1 for m in f.markers if key(m) in k)

    scores = {fid: score(f) for fid, f in FORMATS.items()}
    best = max(scores.values())
    if best[0] == 0 and year is not None:
        for f in FORMATS.values():
            if f.applies_to(year):
                return f
    return get_format(next(fid for fid, sc in scores.items() if sc == best))


def assemble(doc: Document, trace: list[str] | None = None) -> Report:
    ctx = Ctx(doc, trace)
    for code, msg in doc.notices:
        ctx.note(code, msg)
    units = ctx.units
    if not units or not any(u.text.strip() for u in units):
        raise NotAReportError("文件中没有文字内容", where=doc.name)

    headings = find_headings(ctx, get_format("2021"))
    by_key = {h.key: h for h in headings}
    end_of_doc: Pos = (len(units) - 1, len(units[-1].text))
    first_heading = headings[0].start if headings else end_of_doc

    title, pre_start = _title(ctx, doc, first_heading)
    preamble = _slice(ctx, pre_start, first_heading) if pre_start < first_heading else ""

    year = None
    if title:
        m = YEAR.search(title)
        if m:
            year = int(m.group(1))
    head_text = "\n".join(u.text for u in units[: (first_heading[0] + 1)])[:20000]
    period = None
    pm = PERIOD.search(preamble or head_text)
    if pm:
        y1, m1, d1, y2, m2, d2 = pm.groups()
        a, b = make_date(y1, m1, d1), make_date(y2 or y1, m2, d2)
        if a and b:
            period = (a, b)
            if year is None:
                year = a.year

    # the format: by content of table 二's section (markers), else by year
    h2 = by_key.get("proactive")
    nxt = by_key.get("requests") or by_key.get("appeals") or by_key.get("problems")
    # (table cells included: the markers are table 二's column labels)
    region2 = "\n".join(u.text for u in units[h2.end[0]:nxt.start[0] + 1]) if h2 and nxt \
        else "\n".join(u.text for u in units)
    fmt = _detect_format(ctx, region2, year)
    ctx.log(f"格式：{fmt.id}（{fmt.source}）")

    tables, spans = _tables(ctx, fmt, headings, by_key["overview"].end if "overview" in by_key else pre_start)

    # sections: narrative text between headings, tables cut out
    sections: dict[str, str] = {}
    heads: dict[str, Cell] = {}
    for i, h in enumerate(headings):
        stop = headings[i + 1].start if i + 1 < len(headings) else end_of_doc
        text = _slice(ctx, h.end, stop, spans.get(h.key))
        sections[h.key] = text
        heads[h.key] = Cell(None, h.text, h.loc)

    # signature at the very end: agency and date
    agency = None
    published = None
    meta_prov: dict[str, Cell] = {}
    if headings and (not spans or max(e for _, e in spans.values()) <= headings[-1].end):
        last = headings[-1].key
        body, agency, published, printed = split_signature(sections[last])
        if agency or printed:
            sections[last] = body
        if printed:
            meta_prov["published"] = Cell(None, printed, units[-1].loc)
    elif spans:
        # no heading after the last table (a workbook of tables): the signature follows the tables
        tail_from = max(end for _, end in spans.values())
        _, agency, published, printed = split_signature(_slice(ctx, tail_from, end_of_doc))
        if printed:
            meta_prov["published"] = Cell(None, printed, units[-1].loc)
    if published is None and doc.meta.get("posted"):
        try:
            published = date.fromisoformat(doc.meta["posted"])
            meta_prov["published"] = Cell(None, doc.meta["posted"], None, note="门户网站发布时间")
        except ValueError:
            pass
    agency = choose_agency(title, agency)  # the title first, the signature only when clean
    if year is None and published is not None:
        year = published.year - 1
        ctx.note("meta.year", f"报告年度按发布日期推定为 {year} 年")

    # not a report at all?
    if not tables:
        _not_a_report(doc, title, year, headings, head_text)

    portal, contact = _contact(preamble or head_text)

    for spec in fmt.tables:
        if spec.key not in tables:
            tables[spec.key] = Table(spec, present=False)
    for key_ in ("overview", "problems", "other"):
        if key_ not in sections:
            sec = fmt.section(key_)
            ctx.note("section.missing", f"未找到“{sec.heading.split('、', 1)[-1]}”部分的标题")

    report = Report(
        format=fmt, agency=agency, year=year, published=published, period=period, title=title,
        preamble=preamble or None, portal=portal, contact=contact, tables=tables, sections=sections,
        headings=heads, warnings=ctx.notices, source=doc.name, meta_provenance=meta_prov,
    )
    # glued runs the identities left open: settled by what the report's own words state
    settle_by_narrative(report)
    for tbl in tables.values():
        missing = tbl.missing() if tbl.present else []
        if missing:
            order_ = [x.key for x in tbl.spec.rows]
            rows = sorted({r for r, _ in missing}, key=order_.index)
            labels = "、".join(tbl.spec.row(r).label for r in rows[:5])
            ctx.note("table.rows_missing",
                     f"表{tbl.spec.number}缺少 {len(rows)} 行：{labels}{'等' if len(rows) > 5 else ''}")
    return report

def _title(ctx: Ctx, doc: Document, first_heading: Pos) -> tuple[str | None, Pos]:
    """The title and where the preamble starts: the lines before the first heading (a portal's
    breadcrumb, source and toolbar lines are neither)."""
    units = ctx.units
    title_parts: list[str] = []
    ui = 0
    while ui < first_heading[0] and ui < len(units):
        t = units[ui].text.strip()
        if not t:
            ui += 1
            continue
        if FURNITURE.match(t) or CRUMBS.search(t):
            found = title_in_furniture(units[ui].text, doc.meta.get("title"))
            if found is None:
                ui += 1
                continue
            return tidy(found[0]), (ui, found[1])
        if len(t) <= 50 and not re.search(r"[。，,《]", t) and not t.startswith(PREAMBLE_WORDS) \
                and not units[ui].in_table and len(title_parts) < 4:
            title_parts.append(t)
            ui += 1
            continue
        break
    pre_start: Pos = (ui, 0)
    if not title_parts and ui < len(units):
        # a text version with everything on one line: the title runs into the preamble
        head = units[ui].text[: first_heading[1]] if ui == first_heading[0] else units[ui].text
        found = title_in_furniture(head, doc.meta.get("title")) \
            if FURNITURE.match(head) or CRUMBS.search(head[:300]) else None
        mt = TITLE_AT_START.match(head)
        if found is not None:
            title_parts.append(found[0])
            pre_start = (ui, found[1])
        elif mt and not re.search(r"[《，。,]", mt.group(1)) and not mt.group(1).lstrip().startswith(PREAMBLE_WORDS):
            title_parts.append(mt.group(1).strip())
            pre_start = (ui, mt.end())
    return tidy("".join(title_parts)) or doc.meta.get("title"), pre_start


def _tables(ctx: Ctx, fmt: FormatSpec, headings: list[Heading], cursor: Pos
            ) -> tuple[dict[str, Table], dict[str, tuple[Pos, Pos]]]:
    """Each table read in its section (or, with no heading, after the previous table); the span
    of each table in the document, so that narrative can be told apart from it."""
    units = ctx.units
    by_key = {h.key: h for h in headings}
    order = [h.key for h in headings]
    end_of_doc: Pos = (len(units) - 1, len(units[-1].text))
    tables: dict[str, Table] = {}
    spans: dict[str, tuple[Pos, Pos]] = {}
    for spec in fmt.tables:
        sec = next(s for s in fmt.sections if s.table == spec.key)
        h = by_key.get(sec.key)
        start = h.end if h else cursor
        later = [by_key[k].start for k in order[order.index(sec.key) + 1:]] if h else \
            [x.start for x in headings if x.start > start]
        stop = min(later) if later else end_of_doc
        if stop <= start:
            continue
        toks = tokenize(units, start, stop)
        ctx.log(f"表{spec.number}（{spec.key}）：{len(toks)} 个词元")
        if spec.key == "appeals":
            table, reader = read_appeals(ctx, spec, toks)
        else:
            table, reader = read_rows_table(ctx, spec, toks)
        if table.present and reader.first_tok is not None and reader.last_tok is not None:
            tables[spec.key] = table
            t1 = toks[reader.last_tok]
            end = t1.end
            unit_word = UNIT_AFTER.match(units[t1.unit].text, end)  # 0.35 / 万元
            if unit_word:
                end = unit_word.end()
            spans[sec.key] = (table_start(ctx, toks, reader, spec), (t1.unit, end))
            cursor = (t1.unit, end)
        else:
            ctx.note("table.missing", f"未找到表{spec.number}“{spec.title}”的数据", h.loc if h else None)
    return tables, spans


def _contact(src: str) -> tuple[str | None, dict[str, str]]:
    """The portal address and the contact (address, postcode, phone) stated in the preamble."""
    mu = URL.search(src)
    portal = mu.group(0).rstrip(".,;，。") if mu else None
    contact: dict[str, str] = {}
    for name, rx in (("address", ADDRESS), ("postcode", POSTCODE), ("phone", PHONE)):
        mm = rx.search(src)
        if mm:
            contact[name] = re.sub(r"\s+", "", mm.group(1)).strip()
    return portal, contact


def _not_a_report(doc: Document, title: str | None, year: int | None, headings: list[Heading], head: str) -> None:
    if year is not None and year < 2019:
        raise NotAReportError(
            f"这是{year}年度的年报：2019年以前的年报为自由格式，没有全国统一的表格，无法按统一格式读取", where=doc.name)
    k = key(head)
    if "政府信息公开" in k and len(headings) >= 2:
        raise NotAReportError(
            "找到了年报的章节，但没有找到任何一张统一格式的表格（表二、表三、表四），可能是2019年以前的自由格式年报或表格为图片",
            where=doc.name)
    raise NotAReportError("未找到政府信息公开工作年度报告的章节和表格，这不是一份全国统一格式的年度报告", where=doc.name)


__all__ = ["assemble"]
