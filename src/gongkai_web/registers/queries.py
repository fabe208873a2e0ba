"""Reading the registers as the library's ``gongkai.ledger.Registers`` (what ``tally`` counts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from gongkai.ledger import DecisionCount, FeeIncome, RegisteredDocument, Registers
from gongkai_web.orgs.models import Agency

from .models import Document, LedgerStamp, Month

DECISION_FIELDS = (("licensing", "行政许可"), ("punishment", "行政处罚"), ("coercion", "行政强制"))


def document_id(doc: Document) -> str:
    return f"D{doc.pk}"


def library_document(doc: Document) -> RegisteredDocument:
    return RegisteredDocument(document_id(doc), doc.kind, doc.title, doc.number, doc.issued, doc.repealed,
                              ref=str(doc.pk))


def month_entries(m: Month) -> tuple[list[DecisionCount], FeeIncome | None]:
    counts = [DecisionCount(f"M{m.pk}/{kind}", kind, m.year, m.month, value, ref=str(m.pk))
              for kind, _label in DECISION_FIELDS if (value := getattr(m, kind)) is not None]
    fee = FeeIncome(f"M{m.pk}/fee", m.year, m.month, plain(m.fee), ref=str(m.pk)) if m.fee is not None else None
    return counts, fee


def plain(d: Decimal) -> Decimal:
    """The amount as entered, without the column's trailing zeros (10.000000 → 10, 1.50 → 1.5)."""
    n = d.normalize()
    exponent = n.as_tuple().exponent
    return n.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else n


def registers_for(agency: Agency, year: int) -> Registers:
    """The agency's registers as table 二 of ``year`` counts them: every document issued by
    31 December (issued, repealed and in force are all decided from its dates) and the year's months."""
    reg = Registers()
    docs = Document.objects.filter(agency=agency, issued__lte=dt.date(year, 12, 31)).order_by("issued", "pk")
    reg.documents = [library_document(d) for d in docs]
    for m in Month.objects.filter(agency=agency, year=year).order_by("month"):
        counts, fee = month_entries(m)
        reg.decisions.extend(counts)
        if fee is not None:
            reg.fees.append(fee)
    return reg


def has_registers(agency: Agency, year: int) -> bool:
    """Whether anything was entered that table 二 of ``year`` counts (otherwise it stays blank, unknown)."""
    return (Document.objects.filter(agency=agency, issued__lte=dt.date(year, 12, 31)).exists()
            or Month.objects.filter(agency=agency, year=year).exists())


def ledger_version(agency: Agency | int) -> int | None:
    """The agency's ledger stamp (a new value after every write to its requests, appeals or
    registers); None when nothing was ever written."""
    pk = agency.pk if isinstance(agency, Agency) else agency
    return LedgerStamp.objects.filter(agency_id=pk).values_list("version", flat=True).first()


def ledger_stamp() -> Subquery:
    """``ledger_version`` as an annotation of an ``Agency`` query (``.annotate(stamp=ledger_stamp())``):
    the stamp read with the agency, not in a query of its own."""
    return Subquery(LedgerStamp.objects.filter(agency_id=OuterRef("pk")).values("version")[:1])
