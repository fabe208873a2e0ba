"""Across reports (RULES.md 14–17, 19): the same agency across years, other agencies of the same year.

Corpus rules see ``Corpus`` (digests grouped by agency and year) and yield ``(digest, Draft)``:
the finding belongs to that report and names the other one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property

from .context import Context
from .digest import Digest, cell_values, similarity
from .engine import Draft, Location, rule

_TABLE_ZH = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
_SECTION_ZH = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况"}
_COL_ZH = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
           "social_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他", "total": "总计"}


class Corpus:
    """Digests of every report in a run, grouped for the across-report rules."""

    def __init__(self, digests: list[Digest]) -> None:
        self.digests = digests

    @cached_property
    def versions(self) -> dict[tuple[str, int], list[Digest]]:
        """(agency, year) → every version given, in input order.  A report whose year is the
        reader's guess is paired with no other: a wrong guess would compare it with the wrong year."""
        out: dict[tuple[str, int], list[Digest]] = defaultdict(list)
        for d in self.digests:
            if d.agency_key and d.year is not None and not d.year_guessed:
                out[(d.agency_key, d.year)].append(d)
        return out

    @cached_property
    def by_agency(self) -> dict[str, dict[int, Digest]]:
        """agency → year → the report that stands for that year (the last version given)."""
        out: dict[str, dict[int, Digest]] = defaultdict(dict)
        for (agency, year), ds in self.versions.items():
            out[agency][year] = ds[-1]
        return out

    def year_pairs(self) -> Iterator[tuple[Digest, Digest]]:
        """(last year's report, this year's report) of the same agency."""
        for years in self.by_agency.values():
            for y, cur in sorted(years.items()):
                prev = years.get(y - 1)
                if prev is not None:
                    yield prev, cur

    @cached_property
    def by_year(self) -> dict[int, list[Digest]]:
        out: dict[int, list[Digest]] = defaultdict(list)
        for years in self.by_agency.values():
            for y, d in years.items():
                out[y].append(d)
        for ds in out.values():
            ds.sort(key=lambda d: d.index)
        return out


def _ref(d: Digest) -> str:
    """How a finding names another report: the caller's reference (``Report.ref``: an id in the
    web app, the file in a batch), else its file, else its label."""
    return d.ref or d.source or d.label


def _unsure_row(d: Digest, table: str, row: str) -> bool:
    return any(k.startswith(f"{table}.{row}.") for k in d.unsure)


def _unsure_table(d: Digest, table: str) -> bool:
    return any(k.startswith(f"{table}.") for k in d.unsure)


def _n(v: object) -> int | Decimal | None:
    return v if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else None


@rule("xyear.E001", title="上年结转与上年度结转下年度不符", tags={"xyear", "arithmetic"}, scope="corpus", spec=(14,),
      hint="本年“上年结转”应照抄上一年度报告的“结转下年度继续办理”，核对两份报告",
      example="“上年结转”总计 2 ≠ 方正县会发镇人民政府2021年度报告的“结转下年度继续办理”总计 0")
def carry_over(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """表三逐列：本年度“二、上年结转政府信息公开申请数量”= 同一机关上一年度的“四、结转下年度继续办理”。"""
    for prev, cur in corpus.year_pairs():
        bad = []
        for col, v in cur.carried_over.items():
            if f"requests.carried_over.{col}" in cur.unsure or f"requests.carried_forward.{col}" in prev.unsure:
                continue  # our reading of one side is not sure: struct.I002 says so
            a, b = _n(v), _n(prev.carried_forward.get(col))
            if a is not None and b is not None and a != b:
                bad.append((col, a, b))
        if not bad:
            continue
        parts = "；".join(f"{_COL_ZH.get(c, c)} {a} ≠ {b}" for c, a, b in bad)
        first = bad[0]
        yield cur, Draft(
            f"“上年结转”{_COL_ZH.get(first[0], first[0])} {first[1]} ≠ {prev.label}的“结转下年度继续办理”"
            f"{_COL_ZH.get(first[0], first[0])} {first[2]}" + (f"（逐列：{parts}）" if len(bad) > 1 else ""),
            at=Location(table="requests", row="carried_over", column=first[0], label="表三/上年结转"),
            related=[_ref(prev)])


_STOCK_ZH = {"rules": "规章", "normative_documents": "行政规范性文件"}


@rule("xyear.W001", title="现行有效件数与上年不衔接", tags={"xyear", "table2"}, scope="corpus", spec=(15,),
      hint="现行有效件数一般等于上年现行有效 + 本年制发 − 本年废止；有失效、修订等情况的请在正文说明",
      example="表二“规章”现行有效 10 ≠ 上年现行有效 8 + 本年制发 3 − 本年废止 0 = 11（上年为××2022年度报告）")
def stock(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """表二规章、行政规范性文件：本年现行有效件数 ≈ 上年现行有效件数 + 本年制发 − 本年废止（文件到期失效、
    修订计入制发等原因会造成差异，只作警告）。"""
    tol = ctx.config.stock_tolerance
    for prev, cur in corpus.year_pairs():
        for row, (issued, repealed, in_force) in cur.stock.items():
            if row not in prev.stock or _unsure_row(cur, "proactive", row) or _unsure_row(prev, "proactive", row):
                continue
            p = _n(prev.stock[row][2])
            i, r, f = _n(issued), _n(repealed), _n(in_force)
            if p is None or i is None or r is None or f is None:
                continue
            want: int | Decimal = p + i - r
            if abs(Decimal(f) - Decimal(want)) > tol:
                yield cur, Draft(
                    f"表二“{_STOCK_ZH[row]}”现行有效 {f} ≠ 上年现行有效 {p} + 本年制发 {i} − 本年废止 {r} = {want}"
                    f"（上年为{prev.label}）",
                    at=Location(table="proactive", row=row, column="in_force", label=f"表二/{_STOCK_ZH[row]}"),
                    related=[_ref(prev)])


@rule("xyear.I001", title="连写数字依据本机关相邻年度拆分", tags={"xyear", "table2", "reader"}, scope="corpus",
      spec=(15,),
      hint="网页文字版把一行数字连写在一起、有多种拆分时，按上年现行有效 + 本年制发 − 本年废止 = 本年现行有效推定；"
           "请对照原文核对",
      example="表二“行政规范性文件”：连写数字有多种拆分，依据本机关下一年度报告（××2022年度报告）的现行有效 89、"
              "制发 34、废止 0 推定现行有效件数 55、本年制发件数 20、本年废止件数 1")
def stock_settles_glued(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """表二规章、行政规范性文件一行连写、有多种拆分而无法读出时，用同一机关相邻年度（同一次核查中的）
    报告按“上年现行有效 + 本年制发 − 本年废止 = 本年现行有效”推定：只有符合的拆分在某个单元格上都相同时
    才说出该单元格的数字。这是关于读取的提示，不是报告的问题；推定的数字不用于其他核对。批量核查文件时
    （gongkai check、check_files），读完全部报告后能这样确定的单元格直接填入并重新核查该报告（读取提示
    “依据本机关相邻年度报告拆分”），本条只在单元格未填入时出现（如核查已读出的报告、同一年度有多个版本）。"""
    from ..readers.evidence import stock_fits

    for prev, cur in corpus.year_pairs():
        for row in _STOCK_ZH:
            if row in cur.open_stock and row in prev.stock and not _unsure_row(prev, "proactive", row):
                p = _n(prev.stock[row][2])
                if p is not None:
                    fits = stock_fits(cur.open_stock[row], prev_in_force=p)
                    said = _agreed(fits, cur.open_stock[row])
                    if said:
                        yield cur, Draft(
                            f"表二“{_STOCK_ZH[row]}”：连写数字有多种拆分，依据本机关上一年度报告（{prev.label}）的"
                            f"现行有效 {p} 推定{said}",
                            at=Location(table="proactive", row=row, label=f"表二/{_STOCK_ZH[row]}"),
                            related=[_ref(prev)], about="reading")
            if row in prev.open_stock and row in cur.stock and not _unsure_row(cur, "proactive", row):
                nums = [_n(v) for v in cur.stock[row]]
                if all(v is not None for v in nums):
                    this = [v for v in nums if v is not None]
                    said = _agreed(stock_fits(prev.open_stock[row], this_year=this), prev.open_stock[row])
                    if said:
                        yield prev, Draft(
                            f"表二“{_STOCK_ZH[row]}”：连写数字有多种拆分，依据本机关下一年度报告（{cur.label}）的"
                            f"现行有效 {this[2]}、制发 {this[0]}、废止 {this[1]} 推定{said}",
                            at=Location(table="proactive", row=row, label=f"表二/{_STOCK_ZH[row]}"),
                            related=[_ref(cur)], about="reading")


_STOCK_COL_ZH = ("本年制发件数", "本年废止件数", "现行有效件数")


def _agreed(fits: list[list[int | Decimal]], cands: tuple[tuple[int, int, int], ...]) -> str:
    """The cells on which every fitting split agrees and the candidates did not already, in words
    ('' when none or no split fits)."""
    if not fits:
        return ""
    parts = [f"{_STOCK_COL_ZH[i]} {fits[0][i]}" for i in range(3)
             if len({f[i] for f in fits}) == 1 and len({c[i] for c in cands}) > 1]
    return "、".join(parts)


@rule("xyear.W002", title="正文与本机关上年报告雷同", tags={"xyear", "copying"}, scope="corpus", spec=(16,),
      hint="年报应总结本年度的工作，不要沿用上年的文字",
      example="“一、总体情况”与本机关上年报告（××2022年度报告）相似度约 96%")
def copy_previous(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """总体情况、存在的主要问题及改进情况等叙述部分与本机关上一年度报告几乎相同（去掉数字、机关名称后
    比较 MinHash 估计的相似度，达到阈值时警告，并写明相似度和对比的报告）。"""
    threshold = ctx.config.copying
    for prev, cur in corpus.year_pairs():
        for key, sig in cur.sketches.items():
            other = prev.sketches.get(key)
            if other is None:
                continue
            s = similarity(sig, other)
            if s >= threshold:
                yield cur, Draft(f"“{_SECTION_ZH.get(key, key)}”与本机关上年报告（{prev.label}）相似度约 {s:.0%}",
                                 at=Location(section=key, label=_SECTION_ZH.get(key, key)),
                                 related=[_ref(prev)])


@rule("xagency.W001", title="正文与其他机关报告雷同", tags={"xagency", "copying"}, scope="corpus", spec=(16,),
      hint="年报应反映本机关自己的工作，不要套用其他机关的文字",
      example="“一、总体情况”与××镇人民政府2023年度报告相似度约 100%（去掉机关名称和数字后比较）")
def copy_other_agency(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """同一年度不同机关的叙述部分几乎相同（MinHash/LSH 找出近似重复，不做两两比较）：每份报告指出与之最相似
    的、排在它前面的另一机关报告及相似度。"""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    from .digest import NUM_PERM, SCHEME, signature

    threshold = ctx.config.copying
    for _year, ds in sorted(corpus.by_year.items()):
        for key in ("overview", "problems"):
            members = [d for d in ds if key in d.sketches]
            if len(members) < 2:
                continue
            lsh = MinHashLSH(threshold=max(0.05, threshold - 0.15), num_perm=NUM_PERM)
            for d in members:
                lsh.insert(d.index, LeanMinHash(seed=1, hashvalues=signature(d.sketches[key]), scheme=SCHEME))
            pos = {d.index: k for k, d in enumerate(members)}
            sigs = np.stack([np.frombuffer(d.sketches[key], dtype="<u4") for d in members])
            for k, d in enumerate(members):
                cand = sorted(pos[j] for j in lsh.query(LeanMinHash(seed=1, hashvalues=signature(d.sketches[key]), scheme=SCHEME))
                              if j < d.index and members[pos[j]].agency_key != d.agency_key)
                best: tuple[float, Digest] | None = None
                if cand:
                    sims = (sigs[cand] == sigs[k]).mean(axis=1)
                    top = int(np.argmax(sims))
                    if sims[top] >= threshold:
                        best = (float(sims[top]), members[cand[top]])
                if best is not None:
                    s, o = best
                    yield d, Draft(f"“{_SECTION_ZH.get(key, key)}”与{o.label}相似度约 {s:.0%}（去掉机关名称和数字后比较）",
                                   at=Location(section=key, label=_SECTION_ZH.get(key, key)),
                                   related=[_ref(o)])


@rule("xyear.W003", title="表格与本机关上年完全相同", tags={"xyear", "identical"}, scope="corpus", spec=(17,),
      hint="核对表格是否更新为本年度的数字",
      example="表三的每个数字都与本机关上年报告（××2022年度报告）相同")
def identical_across_years(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """同一机关相邻两年的某张表格每个数字都相同，且至少有3个不为0的数字（总计行、总计列不算）：
    很可能沿用了上年的表格。"""
    for prev, cur in corpus.year_pairs():
        for key, (fp, nonzero) in cur.tables.items():
            if _unsure_table(cur, key) or _unsure_table(prev, key):
                continue  # “every number the same” cannot be said of numbers we could not read
            if nonzero >= ctx.config.identical_min_nonzero and prev.tables.get(key, ("", 0))[0] == fp:
                yield cur, Draft(f"{_TABLE_ZH[key]}的每个数字都与本机关上年报告（{prev.label}）相同",
                                 at=Location(table=key, label=_TABLE_ZH[key]), related=[_ref(prev)])


@rule("xagency.W002", title="表格与其他机关完全相同", tags={"xagency", "identical"}, scope="corpus", spec=(17,),
      hint="核对表格是否填写了本机关自己的数字",
      example="表三的每个数字都与××局2023年度报告相同")
def identical_across_agencies(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """同一年度不同机关的某张表格每个数字都相同，且至少有3个不为0的数字（总计行、总计列不算，避免只有
    一两件申请的小表格偶然相同）：很可能套用了别的机关的表格。"""
    for _year, ds in sorted(corpus.by_year.items()):
        first: dict[tuple[str, str], Digest] = {}
        for d in ds:
            for key, (fp, nonzero) in d.tables.items():
                if nonzero < ctx.config.identical_min_nonzero or _unsure_table(d, key):
                    continue
                o = first.setdefault((key, fp), d)
                if o is not d and o.agency_key != d.agency_key:
                    yield d, Draft(f"{_TABLE_ZH[key]}的每个数字都与{o.label}相同",
                                   at=Location(table=key, label=_TABLE_ZH[key]), related=[_ref(o)])


def _differing_tables(a: Digest, b: Digest) -> list[str]:
    """Tables (in words) whose numbers differ between two versions, leaving out the cells our
    reading of either version is not sure of."""
    if not a.unsure and not b.unsure:
        return [_TABLE_ZH[k] for k in _TABLE_ZH if a.tables.get(k, ("", 0))[0] != b.tables.get(k, ("", 0))[0]]
    va, vb = cell_values(a), cell_values(b)
    skip = a.unsure | b.unsure
    differ = {k.split(".", 1)[0] for k in va.keys() | vb.keys() if k not in skip and va.get(k) != vb.get(k)}
    return [_TABLE_ZH[k] for k in _TABLE_ZH if k in differ]


@rule("xyear.W004", title="同一年报有数字不同的版本", tags={"xyear", "version"}, scope="corpus", spec=(19,),
      hint="年报公布后修改了数字：应在新版本中说明修改内容和原因，并保留修改记录",
      example="与同一年报的另一版本（2021年度报告.pdf）数字不同：表三")
def changed_after_publication(corpus: Corpus, ctx: Context) -> Iterator[tuple[Digest, Draft]]:
    """同一机关同一年度给出了两个以上版本，且表格数字不同：年报公布后被修改过，应当让人看得出来。"""
    for _key, ds in corpus.versions.items():
        if len(ds) < 2:
            continue
        base = ds[0]
        for d in ds[1:]:
            if d.numbers == base.numbers:
                continue
            tables = _differing_tables(base, d)
            if not tables:
                continue  # the versions differ only where our reading of one is not sure
            when = ""
            if base.published and d.published and base.published != d.published:
                when = f"（发布日期 {base.published.isoformat()} → {d.published.isoformat()}）"
            yield d, Draft(f"与同一年报的另一版本（{base.source or base.label}）数字不同：{'、'.join(tables)}{when}",
                           at=Location(label="版本"), related=[_ref(base)])
