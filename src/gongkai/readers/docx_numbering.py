"""WordprocessingML automatic numbering (``numbering.xml``): the 公文 numbers (一、 （一） 1. …) that
Word draws but does not store in the text, rebuilt from ``w:numPr`` (direct or through the paragraph
style).  Every attribute is read defensively: a level or a start that is not a small decimal number
(``w:ilvl="—"``, ``w:val="²"``, a number of thousands of digits) is taken as absent."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

__all__ = ["Numbering", "chinese_number", "format_number", "small_int"]


def small_int(text: str | None, default: int, top: int = 1000) -> int:
    """An attribute's non-negative decimal value clamped to ``top`` (without converting thousands of
    digits); ``default`` when it is not one (``str.isdigit`` accepts "²", ``int`` does not)."""
    t = (text or "").strip()
    if not t or not t.isascii() or not t.isdigit():
        return default
    return top if len(t) > 9 else min(int(t), top)


_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting style used by 公文)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                     (_DIGITS[1] if rest < 20 else "") + chinese_number(rest))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_number(n)
    if fmt == "ideographDigital":
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman" or fmt == "upperRoman":
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out if fmt == "lowerRoman" else out.upper()
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalFullWidth":
        return "".join(chr(ord("０") + int(d)) for d in str(n))
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """numbering.xml and the numbered paragraph styles, with running counters."""

    w: str
    #: numId → (abstractNumId, {ilvl: start override})
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    #: paragraph style id → (numId, ilvl)
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, w: str, numbering: etree._Element | None, styles: etree._Element | None) -> Numbering:
        nb = cls(w)
        q = f"{{{w}}}"
        if numbering is not None:
            for a in numbering.iter(f"{q}abstractNum"):
                levels: dict[int, _Level] = {}
                for lvl in a.iter(f"{q}lvl"):
                    lv = _Level()
                    ilvl = small_int(lvl.get(f"{q}ilvl"), 0, 99)
                    e = lvl.find(f"{q}numFmt")
                    if e is not None:
                        lv.fmt = e.get(f"{q}val") or "decimal"
                    e = lvl.find(f"{q}lvlText")
                    if e is not None:
                        lv.text = e.get(f"{q}val") or ""
                    e = lvl.find(f"{q}start")
                    if e is not None:
                        lv.start = small_int(e.get(f"{q}val"), 1)
                    levels[ilvl] = lv
                nb.abstract[a.get(f"{q}abstractNumId") or ""] = levels
            for n in numbering.iter(f"{q}num"):
                a_id = n.find(f"{q}abstractNumId")
                overrides: dict[int, int] = {}
                for o in n.iter(f"{q}lvlOverride"):
                    s = o.find(f"{q}startOverride")
                    if s is not None and small_int(s.get(f"{q}val"), -1) >= 0:
                        overrides[small_int(o.get(f"{q}ilvl"), 0, 99)] = small_int(s.get(f"{q}val"), 1)
                nb.nums[n.get(f"{q}numId") or ""] = ((a_id.get(f"{q}val") or "") if a_id is not None else "",
                                                     overrides)
        if styles is not None:
            based: dict[str, str] = {}
            direct: dict[str, tuple[str, int]] = {}
            for s in styles.iter(f"{q}style"):
                sid = s.get(f"{q}styleId") or ""
                b = s.find(f"{q}basedOn")
                if b is not None:
                    based[sid] = b.get(f"{q}val") or ""
                np_ = s.find(f"{q}pPr/{q}numPr")
                if np_ is not None:
                    nid = np_.find(f"{q}numId")
                    lvl = np_.find(f"{q}ilvl")
                    if nid is not None:
                        direct[sid] = (nid.get(f"{q}val") or "", small_int(lvl.get(f"{q}val"), 0, 99) if lvl is not None else 0)
            for sid in set(based) | set(direct):
                cur, seen = sid, 0
                while cur and cur not in direct and seen < 20:
                    cur, seen = based.get(cur, ""), seen + 1
                if cur in direct:
                    nb.styles[sid] = direct[cur]
        return nb

    def label(self, p: etree._Element) -> str:
        """The automatic number of paragraph ``p`` ('' when it has none), advancing the counters."""
        if not self.nums:
            return ""
        q = f"{{{self.w}}}"
        ppr = p.find(f"{q}pPr")
        if ppr is None:
            return ""
        num_id, ilvl = "", 0
        np_ = ppr.find(f"{q}numPr")
        st = ppr.find(f"{q}pStyle")
        if st is not None and (st.get(f"{q}val") or "") in self.styles:
            num_id, ilvl = self.styles[st.get(f"{q}val") or ""]
        if np_ is not None:
            nid = np_.find(f"{q}numId")
            lvl = np_.find(f"{q}ilvl")
            if nid is not None:
                num_id = nid.get(f"{q}val") or ""
            if lvl is not None:
                ilvl = small_int(lvl.get(f"{q}val"), ilvl, 99)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels or ilvl > 8:
            return ""
        # counters are kept per abstract list (Word continues a list across numIds sharing it)
        counts = self.counters.setdefault(num_id, [0] * 9)
        for k in range(9):
            if counts[k] == 0 and k <= ilvl:
                lv = levels.get(k)
                counts[k] = (overrides.get(k, lv.start if lv else 1)) - (1 if k == ilvl else 0)
        counts[ilvl] += 1
        for k in range(ilvl + 1, 9):
            counts[k] = 0
        text = levels[ilvl].text
        for k in range(ilvl + 1):
            lv = levels.get(k, _Level())
            text = text.replace(f"%{k + 1}", format_number(counts[k], lv.fmt))
        return text


