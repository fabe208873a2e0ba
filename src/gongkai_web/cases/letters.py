"""The letters a request needs, as DOCX from templates (docxtpl) the agency may replace.

Kinds: 告知书 (the reply, one body per outcome), 补正通知书, 征求意见函, 延期答复告知书, 收费通知书.
Each built-in template is made here with python-docx (Jinja tags in plain paragraphs), so an agency
downloads it, edits it in Word and uploads its own (``actions``-free: ``upload`` checks it renders).
Every letter cites its article, the reply states the remedies (行政复议 60 days, 行政诉讼 6 months)
and every letter ends with the agency's seal line and date.  The facts (dates, periods, amounts)
come from the engine: the stored events and ``clock``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from gongkai.ledger import (
    CONSULTED,
    FEE_METHODS,
    OUTCOMES,
    REMEDIES,
    ConsultationStarted,
    Request,
    clock,
    fees,
)
from gongkai.ledger.catalogue import FEE_RULES, REGULATION, applicant_label
from gongkai.ledger.events import format_date

from . import workcal
from .models import DisclosureRequest, LetterTemplate


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    #: paragraphs of the built-in template (Jinja)
    body: tuple[str, ...]
    remedies: bool = False


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("reply", "政府信息公开申请答复告知书", ("{{ body }}",), remedies=True),
    Kind("correction", "政府信息公开申请补正通知书", (
        "本机关于{{ received }}收到您提交的政府信息公开申请（{{ subject }}）。经审查，您的申请内容不明确，"
        "根据{{ article }}的规定，请您对以下事项作出补正：",
        "{{ items }}",
        "请于{{ deadline }}前（{{ days }}个工作日内）提交补正后的申请。无正当理由逾期不补正的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
    )),
    Kind("consultation", "政府信息公开征求意见函", (
        "本机关于{{ received }}收到政府信息公开申请，申请获取{{ subject }}。该信息{{ reason }}，"
        "根据{{ article }}的规定，现书面征求您的意见。",
        "请于收到本函之日起15个工作日内提出意见。逾期未提出意见的，由本机关依照"
        "《中华人民共和国政府信息公开条例》的规定决定是否公开。",
    )),
    Kind("extension", "政府信息公开申请延期答复告知书", (
        "本机关于{{ received }}收到您提交的政府信息公开申请（{{ subject }}）。因{{ reason }}，不能在规定期限内答复。"
        "经本机关政府信息公开工作机构负责人同意，根据{{ article }}的规定，答复期限延长{{ days }}个工作日，"
        "本机关将于{{ due }}前作出答复。",
    )),
    Kind("fee", "政府信息公开信息处理费收费通知书", (
        "本机关于{{ received }}收到您提交的政府信息公开申请（{{ subject }}）。根据{{ article }}的规定，"
        "本申请按{{ method }}收取信息处理费{{ amount }}元。计算过程：{{ working }}",
        "请于{{ deadline }}前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    )),
)}


def _default_docx(kind: Kind) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(kind.title)
    run.bold = True
    run.font.size = Pt(20)
    no = doc.add_paragraph("申请编号：{{ number }}")
    no.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{{ addressee }}：")
    for text in kind.body:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    if kind.remedies:
        doc.add_paragraph("{{ remedies }}").paragraph_format.first_line_indent = Pt(28)
    doc.add_paragraph("特此告知。" if kind.key != "consultation" else "特此函告。").paragraph_format.first_line_indent = Pt(28)
    doc.add_paragraph("")
    for text in ("{{ agency }}（印章）", "{{ date }}"):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@cache
def default_template(key: str) -> bytes:
    return _default_docx(KINDS[key])


def template_for(agency_id: int, key: str) -> bytes:
    own = LetterTemplate.objects.filter(agency_id=agency_id, kind=key).values_list("data", flat=True).first()
    return bytes(own) if own is not None else default_template(key)


def available(lib: Request) -> list[tuple[str, str]]:
    """The letters this request's events call for: (kind, title)."""
    st = lib.state
    out = []
    if st.corrections:
        out.append("correction")
    if st.consultations:
        out.append("consultation")
    if st.extensions:
        out.append("extension")
    if st.fee is not None:
        out.append("fee")
    if lib.outcome is not None and st.closing is not None and st.closing.type != "withdrawn":
        out.append("reply")
    return [(k, KINDS[k].title) for k in out]


def _body(lib: Request) -> str:
    o = OUTCOMES[lib.outcome or "other.other"]
    ground = lib.ground or ""
    item = o.label.split("：")[-1]
    group = (lib.outcome or "").split(".")[0]
    if lib.outcome == "granted":
        return (f"经审查，您申请获取的政府信息属于公开范围。根据{ground}的规定，本机关向您提供该政府信息，"
                "或者告知获取该政府信息的方式、途径和时间。")
    if lib.outcome == "partial":
        return (f"经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
                f"根据{ground}的规定，本机关向您提供可以公开的政府信息内容，对不予公开的内容说明理由如下：该部分内容依法不予公开。")
    if group == "denied":
        return f"经审查，您申请获取的政府信息{item}。根据{ground}的规定，决定不予公开。"
    if group == "unavailable":
        return f"经审查，{item}。根据{ground}的规定，特此告知。"
    if group == "not_processed":
        return f"经审查，您的申请属于{item}。根据{ground}的规定，本机关不予处理。"
    return f"您的申请按“{item}”办结。依据：{ground}。"


def context(row: DisclosureRequest, lib: Request, key: str) -> dict[str, Any]:
    """What the template of ``key`` is filled with (every date and amount from the engine)."""
    c = clock(lib, workcal.current(), today=max(e.date for e in lib.events))
    st = lib.state
    ctx: dict[str, Any] = {
        "number": row.number, "agency": row.agency.name, "applicant": row.applicant_name,
        "addressee": row.applicant_name, "applicant_kind": applicant_label(row.applicant_kind),
        "received": format_date(c.received), "subject": row.subject, "remedies": REMEDIES,
        "regulation": REGULATION,
    }
    if key == "reply":
        assert st.closing is not None
        ctx.update(date=format_date(st.closing.date), outcome=OUTCOMES[lib.outcome or "other.other"].label,
                   ground=lib.ground or "", article=lib.ground or "", body=_body(lib))
    elif key == "correction":
        asked = st.corrections[-1]
        ctx.update(date=format_date(asked.date), items=asked.items, days=asked.days,
                   deadline=format_date(c.correction_deadline) if c.correction_deadline else "",
                   article=f"{REGULATION}第三十条")
    elif key == "consultation":
        started: ConsultationStarted = st.consultations[-1].started
        third = started.party == "third_party"
        ctx.update(date=format_date(started.date), addressee=started.whom or CONSULTED[started.party],
                   reason="可能损害第三方合法权益" if third else "涉及其他机关",
                   article=f"{REGULATION}{'第三十二条' if third else '第三十四条'}")
    elif key == "extension":
        ext = st.extensions[0]
        ctx.update(date=format_date(ext.date), days=ext.days, reason=ext.reason or "需要延长答复期限",
                   approver=ext.approver, due=format_date(c.due) if c.due else "",
                   article=f"{REGULATION}第三十三条第二款")
    elif key == "fee":
        fee = st.fee
        assert fee is not None
        working = fee_explained(lib)
        ctx.update(date=format_date(fee.date), method=FEE_METHODS.get(fee.method, fee.method),
                   amount=format(fee.amount, "f"), working=working,
                   deadline=format_date(fees.payment_deadline(fee, workcal.current())),
                   article=f"{REGULATION}第四十二条和{FEE_RULES}")
    return ctx


def fee_explained(lib: Request) -> str:
    """The engine's working of the fee a request's notice states (per page or per piece)."""
    notice = lib.state.fee
    if notice is None:
        return ""
    if notice.method == "page" and notice.pages:
        return fees.fee_by_pages(notice.pages).explain()
    if notice.position:
        return fees.fee_by_pieces(notice.position, lib.pieces).explain()
    return ""


class TemplateProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def render(data: bytes, ctx: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render(ctx, autoescape=True)
    except Exception as e:  # a broken upload: docx, zip or Jinja errors of every kind
        raise TemplateProblem(f"模板无法使用：{type(e).__name__}：{e}"[:300]) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def letter(row: DisclosureRequest, lib: Request, key: str) -> bytes:
    """The DOCX of letter ``key`` for this request (the agency's template, or the built-in one)."""
    return render(template_for(row.agency_id, key), context(row, lib, key))


SAMPLE = {"number": "2026-0001", "agency": "示例机关", "applicant": "张三", "addressee": "张三",
          "applicant_kind": "自然人", "received": "2026年1月5日", "subject": "示例信息", "remedies": REMEDIES,
          "regulation": REGULATION, "date": "2026年1月20日", "outcome": "予以公开", "ground": "条例", "article": "条例",
          "body": "示例", "items": "示例", "days": 15, "deadline": "2026年2月1日", "reason": "示例", "approver": "示例",
          "due": "2026年2月1日", "method": "按件计收", "amount": "100", "working": "示例"}


def check_upload(data: bytes) -> None:
    """An uploaded template must be a DOCX that renders with a sample of every field."""
    if not data.startswith(b"PK"):
        raise TemplateProblem("不是 Word（.docx）文件")
    render(data, SAMPLE)


__all__ = ["KINDS", "TemplateProblem", "available", "check_upload", "context", "default_template",
           "letter", "render", "template_for"]
