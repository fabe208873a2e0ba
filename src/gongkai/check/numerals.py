"""Figures written in the narrative: ``共收到政府信息公开申请5件``, ``十二件``, ``两起``, ``全年无信息公开申请``.

Each claim names the table cell (or sum of cells) it speaks about.  Arabic and Chinese numerals
are read (cn2an for 十二/两/一百零五).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_CN = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?P<num>\d[\d,，]*|[{_CN}]+)"
# a unit not followed by what it would then count (三个方面, 两项制度, 5个工作日)
UNIT = r"\s*(?P<unit>件|条|个|份|起|宗|项|例)(?!(?:方面|类|领域|部门|单位|环节|问题|工作日|月|批|专题|栏目|平台|渠道|重点|主题|层面|制度|措施))"
_GAP = r"[^。；;，,：:\d" + _CN + r"]{0,6}?"


@dataclass(frozen=True)
class Target:
    """What a narrative figure claims: the sum of these (table, row, column) cells."""

    key: str
    #: what the figure is, in words (for messages)
    what: str
    cells: tuple[tuple[str, str, str], ...]
    #: an alternative reading that is not an error (table 三: new + carried_over)
    alt: tuple[tuple[str, str, str], ...] = ()
    alt_what: str = ""


NEW = Target("requests.new", "表三“一、本年新收政府信息公开申请数量”总计",
             (("requests", "new", "total"),),
             alt=(("requests", "new", "total"), ("requests", "carried_over", "total")),
             alt_what="本年新收与上年结转之和")
GRANTED = Target("requests.granted", "表三“（一）予以公开”总计", (("requests", "granted", "total"),))
GRANTED_PARTIAL = Target("requests.granted_partial", "表三“（一）予以公开”与“（二）部分公开”总计之和",
                         (("requests", "granted", "total"), ("requests", "partial", "total")))
REVIEW = Target("appeals.review", "表四“行政复议”总计", (("appeals", "review", "total"),))
SUITS = Target("appeals.suits", "表四“行政诉讼”总计（未经复议直接起诉 + 复议后起诉）",
               (("appeals", "suit_direct", "total"), ("appeals", "suit_after_review", "total")))
RULES = Target("proactive.rules", "表二“规章”本年制发件数", (("proactive", "rules", "issued"),))
NORMATIVE = Target("proactive.normative", "表二“行政规范性文件”本年制发件数",
                   (("proactive", "normative_documents", "issued"),))

#: (target, regex); the regex has a ``num`` group, or none for a “no such thing” sentence (0)
PATTERNS: tuple[tuple[Target, re.Pattern[str]], ...] = (
    (NEW, re.compile(r"(?:共|全年|累计|合计)?(?:收到|受理|接收|接到|共有)[^。；;，,：:\d]{0,20}?(?:信息公开|依申请公开)?(?<!复议)(?<!诉讼)申请"
                     + _GAP + NUM + UNIT)),
    (NEW, re.compile(r"(?:无|未收到|没有收到|未接到|未受理|没有)(?:任何)?(?:政府)?(?:信息公开申请|依申请公开申请"
                     r"|依申请公开事项|公开申请)")),
    (GRANTED_PARTIAL, re.compile(r"予以公开(?:及|和|与|、|或)部分公开" + _GAP + NUM + UNIT)),
    (GRANTED, re.compile(r"予以公开(?!(?:及|和|与|、|或)部分公开)" + _GAP + NUM + UNIT)),
    (REVIEW, re.compile(r"行政复议(?:案件|申请)?(?:共|合计|总计)?\s*" + NUM + UNIT)),
    (REVIEW, re.compile(r"(?:未发生|无|没有|未出现|未有)[^。；;，,]{0,8}?行政复议(?![^。；;，,]{0,4}\d)")),
    (SUITS, re.compile(r"行政诉讼(?:案件)?(?:共|合计|总计)?\s*" + NUM + UNIT)),
    (RULES, re.compile(r"制(?:定|发)(?:并公开)?规章" + _GAP + NUM + UNIT)),
    (NORMATIVE, re.compile(r"制(?:定|发)(?:并公开)?(?:行政)?规范性文件" + _GAP + NUM + UNIT)),
)

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def to_int(text: str) -> int | None:
    t = text.replace(",", "").replace("，", "")
    if t.isdigit():
        return int(t)
    try:
        import cn2an

        v = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return int(v) if v == int(v) else None


@dataclass(frozen=True)
class Claim:
    target: Target
    value: int
    #: the words as written (e.g. 共收到政府信息公开申请5件)
    phrase: str
    sentence: str


#: words between the quantity's name and its figure that make the figure something else: a part
#: (其中、涉及), a comparison (同比、较上年), an estimate (约、近、超过)
_GAP_WORDS = ("其中", "涉及", "主要", "包括", "分别", "占", "同比", "较", "增加", "减少", "增长", "下降", "约", "近",
              "超过", "逾", "以上", "左右")
#: words before the verb in the clause that make the subject someone else than the report's agency:
#: another body acting for it (区政府办代表区政府), a wider area (全区、各部门)
_OTHER_SUBJECT = re.compile(r"代表|全(?:省|市|州|盟|区|县|旗|镇|乡)|各(?:级|部门|单位|地|乡镇|街道|县|区|市)|所属|下属|系统")
_CLAUSE = re.compile(r"[，,：:]")


def _clause_before(sentence: str, at: int) -> str:
    """The words of the clause before position ``at`` (after the last comma or colon)."""
    head = sentence[:at]
    cut = max((m.end() for m in _CLAUSE.finditer(head)), default=0)
    return head[cut:]


def _unsure(target: Target, hit: re.Match[str], sentence: str) -> bool:
    """The figure may not be the quantity the target names: do not compare it (when unsure, do
    not report)."""
    before = _clause_before(sentence, hit.start())
    if _OTHER_SUBJECT.search(before):
        return True
    if target is NEW and "其中" in before:
        return True  # a part of the requests received (其中网络申请5件) is not their number
    if "num" not in hit.re.groupindex:
        return False
    gap = sentence[hit.start():hit.start("num")]
    return any(w in gap for w in _GAP_WORDS)


def claims(text: str) -> Iterator[Claim]:
    """Every figure the text states about a table cell, sentence by sentence.  A figure is taken
    only where it names the quantity itself: not a part of it, not another body's, not an estimate."""
    return iter(text_claims(text))


@lru_cache(maxsize=512)
def text_claims(text: str) -> tuple[Claim, ...]:
    """``claims`` as a tuple, memoised by the text: two rules read the same sections of a report,
    and the web app's live check reads the same texts at every keystroke."""
    return tuple(_claims(text))


def _claims(text: str) -> Iterator[Claim]:
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        if not sentence:
            continue
        seen: set[str] = set()
        found: list[tuple[int, Claim]] = []
        for target, pat in PATTERNS:
            if target.key in seen:
                continue
            hit = pat.search(sentence)
            if not hit:
                continue
            if _unsure(target, hit, sentence):
                seen.add(target.key)  # the sentence speaks of this quantity, but not of ours
                continue
            if "num" in pat.groupindex:
                v = to_int(hit.group("num"))
                if v is None:
                    continue
            else:
                v = 0
            seen.add(target.key)
            found.append((hit.start(), Claim(target, v, hit.group(0), sentence)))
        for _, claim in sorted(found, key=lambda x: x[0]):
            yield claim
