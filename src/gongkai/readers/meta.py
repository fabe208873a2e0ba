"""Metadata printed around the report: dates, statistics period, title in a portal's furniture,
the signature (agency and date) at the end, contact details."""

from __future__ import annotations

import re
from datetime import date

from ..textnorm import cn_date_part

# -- metadata ----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(r"([二〇○零一三四五六七八九OＯ0]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
                     r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")
POSTCODE = re.compile(r"邮编\s*[:：]?\s*(\d{6})")
PHONE = re.compile(r"(?:联系电话|电话|咨询电话)\s*[:：]?\s*((?:\d{3,4}\s*[-－—]\s*)?\d{7,8}(?:\s*[-－—]\s*\d{1,4})?)")
ADDRESS = re.compile(r"(?:地址|通讯地址|办公地址)\s*[:：]\s*([^，,；;。）)\n]{3,60})")
#: link texts a portal prints after the report ("附件下载", "【打印本页】"…)
_TRAILER_END = re.compile(r"(?:附件下载|附件[:：]?|【?打印本页】?|【?关闭窗口】?|【?打印】?|【?关闭】?|分享到[:：]?)$")


def strip_trailer(line: str) -> str:
    r"""``line`` without the link texts a portal prints after the report, from the end — linear in the
    line's length (a regex that repeats ``\s*`` before each link was quadratic on a line of 40,000
    spaces, issue 13)."""
    end = len(line.rstrip())
    while end:
        m = _TRAILER_END.search(line, max(0, end - 8), end)
        if m is None:
            break
        end = m.start()
        while end and line[end - 1].isspace():
            end -= 1
    return line[:end]
UNIT_AFTER = re.compile(r"\s*(?:万元|元)")
#: how the names of administrative bodies end (a signature line without a date)
_AGENCY_ENDS = ("政府", "局", "委员会", "委", "办公室", "办", "厅", "部", "署", "院", "中心", "处", "所", "站", "队",
                "管委会", "委员会办公室", "分局", "支队", "大队")
#: a portal page's furniture before the report: breadcrumb, source and date, toolbar
FURNITURE = re.compile(r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|来源[:：]|信息来源|时间[:：]|发布时间|发布日期|"
                        r"字号|【|打印|关闭|分享|浏览次数|点击数|索引号|主题分类|首页\s*[>＞»])")
CRUMBS = re.compile(r"\S\s*[>＞»]\s*\S.*[>＞»]")
TITLE_AT_START = re.compile(r"\s*(\S.{2,80}?年度报告)")
PREAMBLE_WORDS = ("本报告", "根据", "依据", "按照", "依照")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")


def make_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def findmake_date(text: str) -> tuple[date | None, re.Match[str] | None]:
    m = _DATE.search(text)
    if m:
        return make_date(*m.groups()), m
    m = _DATE_CN.search(text)
    if m:
        y = "".join(str(cn_date_part(ch) or 0) for ch in m.group(1))
        mo, d = cn_date_part(m.group(2)), cn_date_part(m.group(3))
        if mo and d:
            return make_date(y, str(mo), str(d)), m
    return None, None


def title_in_furniture(text: str, meta_title: str | None) -> tuple[str, int] | None:
    """A report title inside a line of portal furniture (breadcrumb … title 来源： 时间： …), and
    where the report's own text starts after it (its first preamble word, when close)."""
    end = -1
    title = None
    if meta_title and meta_title in text:
        title = meta_title
        end = text.index(meta_title) + len(meta_title)
    else:
        for m in re.finditer(r"([^\s>＞»：:]{4,60}?年度?(?:政府信息公开)?(?:工作)?年度报告)", text):
            title, end = m.group(1), m.end()
            break
    if title is None:
        return None
    near = [i for i in (text.find(w, end, end + 300) for w in PREAMBLE_WORDS) if i >= 0]
    return title, (min(near) if near else end)


def split_signature(text: str) -> tuple[str, str | None, date | None, str | None]:
    """Narrative without the closing signature, the agency signed, the date, the printed date."""
    lines = [ln for ln in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return text, None, None, None
    last = strip_trailer(lines[-1].strip())
    d, m = findmake_date(last)
    if m is None or m.end() < len(last) - 1:
        # an agency signed without a date: a short last line naming a body
        if len(lines) > 1 and 2 <= len(last) <= 30 and not re.search(r"[，。；：,;:！？!?]", last) \
                and last.endswith(_AGENCY_ENDS):
            return "\n".join(lines[:-1]).strip(), last, None, None
        return text, None, None, None
    head = last[: m.start()].strip()
    agency: str | None = None
    if head:
        # the agency sits right before the date, after the last sentence
        tail = re.split(r"[。；！!]\s*|\s{2,}", head)[-1].strip()
        if tail and len(tail) <= 40:
            agency = tail
            head = head[: len(head) - len(tail)].rstrip()
        lines[-1] = head
    else:
        lines.pop()
        if lines and 2 <= len(lines[-1].strip()) <= 40 and "。" not in lines[-1]:
            agency = lines.pop().strip()
        elif lines and "。" in lines[-1]:
            # the last words of the report and the name on one line: 暂无。某某县财政局
            head, _, tail = lines[-1].rstrip().rpartition("。")
            if signed_agency(tail):
                agency = tail.strip()
                lines[-1] = head + "。"
    body = "\n".join(ln for ln in lines).strip()
    return body, agency, d, m.group(0)


_CJK_DIGIT_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，。、：；（）《》“”]) (?=[0-9])|(?<=[0-9]) (?=[\u4e00-\u9fff，。、：；（）《》“”])")


def tidy(text: str) -> str:
    return _CJK_DIGIT_SPACE.sub("", text) if " " in text else text


# -- the agency ------------------------------------------------------------------------------------

#: endings of a body's name besides ``_AGENCY_ENDS`` (towns, streets, commissions, companies)
_NAME_ENDS = (*_AGENCY_ENDS, "镇", "乡", "街道", "会", "司", "馆", "社", "所", "中心", "公司", "集团")
#: what a signature line may carry before the name: the last words of section 六 (无、暂无), a
#: closing formula (此函、特此报告), punctuation; a date printed before the name is stripped apart
_LEAD = re.compile(r"^(?:[\s，。；、：:,;.!！]|特此报告|特此函告|特此说明|特此公告|此函|特此|以上|暂无|没有|"
                   r"无(?![锡为棣极]))+")
_LEAD_DATE = re.compile(r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇○零一三四五六七八九OＯ0]{4}\s*年"
                        r"\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)")
_NOT_IN_NAME = re.compile(r"[0-9０-９，。；：,;:！？!?、“”\"《》<>【】…]")
_TITLE_AGENCY = re.compile(r"^(.{2,40}?)\s*(?:关于)?\s*(?:(?:19|20)\d{2}\s*年)")
_TITLE_AGENCY_AFTER_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年度?\s*(.{2,40}?)(?:政府信息公开|政务公开)")


def signed_agency(signed: str | None) -> str | None:
    """The name of the body that signed, when the signature is clean: what precedes the name on the
    line (无、暂无、此函、特此报告, a date, punctuation) stripped; a name is 2–40 characters without digits
    or sentence punctuation, ending as a body's name does (…局、…人民政府、…镇).  Else None."""
    if not signed:
        return None
    t = signed.strip()
    for _ in range(4):  # a formula, a date, then the name: strip in turn until nothing changes
        before = t
        t = _LEAD.sub("", t)
        t = _LEAD_DATE.sub("", t)
        if t == before:
            break
    parts = t.split()
    if len(parts) > 1:  # words before the name on the same line, separated by spaces
        t = parts[-1]
    t = t.strip()
    if not 2 <= len(t) <= 40 or _NOT_IN_NAME.search(t) or not t.endswith(_NAME_ENDS):
        return None
    return t


def title_agency(title: str | None) -> str | None:
    """The body named at the start of the report's title (平潭综合实验区经济发展局2023年度…), else None."""
    if not title:
        return None
    m = _TITLE_AGENCY.match(title.strip())
    if not m:
        m = _TITLE_AGENCY_AFTER_YEAR.match(title.strip())
        if not m or not m.group(1).endswith(_NAME_ENDS):
            return None
    name = re.sub(r"^(?:关于|[《“\"]+)", "", m.group(1)).strip().rstrip("（(【[《“\"").strip()
    if len(name) < 2 or _NOT_IN_NAME.search(name) or any(w in name for w in ("报告", "信息公开", "年度")) \
            or name.count("（") != name.count("）"):
        return None  # the title starts with its own words (政府信息公开工作年度报告（2023年度）), not a name
    return name


def choose_agency(title: str | None, signed: str | None) -> str | None:
    """The report's agency: from the title first (a signature may carry a typo, 财政全融局, or the last
    words of the report); from the closing signature when the title names none, or when the signature
    is the full name of the body the title names (the title's name is part of it), and only when the
    signature is clean (``signed_agency``)."""
    named, clean = title_agency(title), signed_agency(signed)
    if named and clean and clean != named and named in clean:
        return clean  # the full name of the body the title names briefly (方正县会发镇 → …镇人民政府)
    return named or clean
