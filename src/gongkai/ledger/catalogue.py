"""The ledger's vocabulary as data: channels, applicant kinds, outcomes and their legal grounds.

Facts from ``LAW.md`` (条例 = 《中华人民共和国政府信息公开条例》, 国务院令第711号; 费办法 =
《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).  Outcomes are the result rows of table 三 in
the national format; applicant kinds are its columns.  Keys are the project's stable machine names,
labels the Chinese a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import get_format

__all__ = [
    "APPLICANT_KINDS",
    "CHANNELS",
    "CONSULTED",
    "LEDGER_FORMAT",
    "OUTCOMES",
    "REGULATION",
    "REMEDIES",
    "Channel",
    "Outcome",
    "applicant_label",
    "outcome_for",
]

#: the national format the ledger fills (国办公开办函〔2021〕30号, report years 2021 and later)
LEDGER_FORMAT = get_format("2021")
REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》"

_REQUESTS = LEDGER_FORMAT.table("requests")

#: applicant kind (a table 三 column key) → label; 自然人 or one of the five 法人或其他组织 kinds
APPLICANT_KINDS: dict[str, str] = {
    c.key: (f"{c.group}（{c.label}）" if c.key == "other_org" else c.label)
    for c in _REQUESTS.columns if c.key != "total"
}


def applicant_label(kind: str) -> str:
    return APPLICANT_KINDS.get(kind, kind)


@dataclass(frozen=True, slots=True)
class Channel:
    key: str
    label: str
    #: which date is the date of receipt (条例第三十一条)
    receipt_rule: str
    #: the name of that date on an intake form
    date_name: str
    aliases: tuple[str, ...] = ()


CHANNELS: dict[str, Channel] = {c.key: c for c in (
    Channel("in_person", "当面", "以提交之日为收到申请之日", "提交日期", ("当面提交", "现场", "窗口")),
    Channel("post", "邮寄", "以行政机关签收之日为收到申请之日", "签收日期", ("邮寄（签收）", "快递", "挂号信")),
    Channel("letter", "平常信函", "以双方确认之日为收到申请之日（行政机关应于收到当日与申请人确认）", "确认日期",
            ("信函", "平信")),
    Channel("online", "网络", "以双方确认之日为收到申请之日", "确认日期", ("互联网", "网上", "在线", "网站", "网络平台")),
    Channel("fax", "传真", "以双方确认之日为收到申请之日", "确认日期", ()),
    Channel("email", "电子邮件", "以双方确认之日为收到申请之日", "确认日期", ("邮件", "电邮", "email")),
)}

#: the applicant's remedies, as a reply letter states them (行政复议法第二十条: 60 days;
#: 行政诉讼法第四十六条: six months)
REMEDIES = ("申请人对本答复不服的，可以自收到本答复之日起60日内依法申请行政复议，"
            "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")

#: who is consulted (条例第三十二条 third party, 第三十四条 another agency) → label
CONSULTED: dict[str, str] = {"third_party": "第三方", "agency": "其他机关"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """A table 三 result row: how a closed request is counted, and the legal ground of the reply."""

    key: str
    #: short name a clerk picks (group：item)
    label: str
    #: the article the reply cites; None where the law names none (the clerk then writes one)
    ground: str | None


def _cite(article: str, law: str = REGULATION) -> str:
    return f"{law}{article}"


OUTCOMES: dict[str, Outcome] = {o.key: o for o in (
    Outcome("granted", "予以公开", _cite("第三十六条第（一）项、第（二）项")),
    Outcome("partial", "部分公开", _cite("第三十七条")),
    Outcome("denied.state_secret", "不予公开：属于国家秘密", _cite("第十四条")),
    Outcome("denied.law_prohibited", "不予公开：其他法律行政法规禁止公开", _cite("第十四条")),
    Outcome("denied.three_safety", "不予公开：危及“三安全一稳定”", _cite("第十四条")),
    Outcome("denied.third_party", "不予公开：保护第三方合法权益", _cite("第十五条")),
    Outcome("denied.internal_affairs", "不予公开：属于三类内部事务信息", _cite("第十六条")),
    Outcome("denied.process_info", "不予公开：属于四类过程性信息", _cite("第十六条")),
    Outcome("denied.enforcement_file", "不予公开：属于行政执法案卷", _cite("第十六条")),
    Outcome("denied.query_matter", "不予公开：属于行政查询事项", _cite("第三十六条第（七）项")),
    Outcome("unavailable.not_held", "无法提供：本机关不掌握相关政府信息", _cite("第三十六条第（四）项、第（五）项")),
    Outcome("unavailable.needs_creation", "无法提供：没有现成信息需要另行制作", _cite("第三十八条")),
    Outcome("unavailable.unclear", "无法提供：补正后申请内容仍不明确", _cite("第三十条")),
    Outcome("not_processed.petition", "不予处理：信访举报投诉类申请", _cite("第三十九条")),
    Outcome("not_processed.duplicate", "不予处理：重复申请", _cite("第三十六条第（六）项")),
    Outcome("not_processed.publication", "不予处理：要求提供公开出版物", _cite("第三十九条")),
    Outcome("not_processed.excessive", "不予处理：无正当理由大量反复申请", _cite("第三十五条")),
    Outcome("not_processed.confirmation", "不予处理：要求行政机关确认或重新出具已获取信息", None),
    Outcome("other.no_correction", "其他处理：申请人逾期不补正", _cite("第三十条")),
    Outcome("other.no_fee", "其他处理：申请人逾期未缴纳费用", _cite("", FEE_RULES)),
    Outcome("other.other", "其他处理：其他", None),
)}


def outcome_for(text: str) -> Outcome | None:
    """The outcome a clerk named: its key, its short name, its table 三 label, or the item alone
    (``属于国家秘密``).  None when nothing matches exactly."""
    t = "".join(text.split()).replace(":", "：")
    if t in OUTCOMES:
        return OUTCOMES[t]
    for o in OUTCOMES.values():
        row = _REQUESTS.row(o.key)
        item = row.label.lstrip("0123456789.（）一二")
        names = {o.label, o.label.split("：")[-1], row.label, item, item.split("（")[0]}
        if t in names:
            return o
    return None
