"""Reading the ledger: the engine's objects rebuilt from the stored events, and the plain SQL the
lists and tables need (from the columns ``actions.refresh`` keeps up to date).

    library_requests(agency, 2025)   -> [gongkai.ledger.Request]  (the year's and those carried over)
    library_appeals(agency, 2025)    -> [gongkai.ledger.Appeal]   (filed in the year)
    open_requests(agency_queryset)   -> QuerySet of DisclosureRequest not closed

A library request's ``id`` is the tracking number (unique per agency) and its ``ref`` the
database id, so a table cell's drill-down (``Tally.cases``) maps back to rows with
``pks_for_numbers`` and the URL ``cases:request``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.ledger import Appeal as LibAppeal
from gongkai.ledger import FeeWorking, LedgerError, event_from_dict, fee_by_pages, piece_fees
from gongkai.ledger import Request as LibRequest
from gongkai_web.orgs.models import Agency

from .models import Appeal, DisclosureRequest, RequestEvent

__all__ = [
    "DUE_SOON",
    "OVERDUE",
    "FeeRefused",
    "applicant_key",
    "build_request",
    "due_soon",
    "duplicates",
    "fee_working",
    "library_appeals",
    "library_request",
    "library_requests",
    "open_requests",
    "overdue",
    "pks_for_numbers",
    "year_requests",
]


def applicant_key(row: DisclosureRequest) -> str:
    """Who the applicant is for 按件计收 (all requests of one applicant in a month count together):
    the name, with the ID number when one was given (two people may share a name)."""
    return f"{row.applicant_name}·{row.id_number}" if row.id_number else row.applicant_name


def build_request(row: DisclosureRequest, events: Iterable[dict[str, Any]]) -> LibRequest:
    """The engine's request from a row and its stored events (in recorded order)."""
    evs = [event_from_dict(d, where=f"申请{row.number}第{i}项事件") for i, d in enumerate(events, 1)]
    return LibRequest(row.number, row.applicant_kind, evs, applicant=applicant_key(row), subject=row.subject,
                      pieces=row.pieces, ref=str(row.pk), strict=not row.imported)


def library_request(row: DisclosureRequest) -> LibRequest:
    data = RequestEvent.objects.filter(request=row).order_by("seq").values_list("data", flat=True)
    return build_request(row, list(data))


def year_requests(agency: Agency | int, year: int | None) -> QuerySet[DisclosureRequest]:
    """The rows a year's table 三 counts: received by 31 December and not closed before 1 January
    (the year's own and those carried over); every request of the agency when ``year`` is None."""
    qs = DisclosureRequest.objects.filter(agency=agency)
    if year is not None:
        qs = qs.filter(received_on__lte=dt.date(year, 12, 31)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=dt.date(year, 1, 1)))
    return qs


def _rebuild(rows: QuerySet[DisclosureRequest]) -> list[LibRequest]:
    rows = rows.order_by("received_on", "seq")
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rid, data in (RequestEvent.objects.filter(request__in=rows.values("pk"))
                      .order_by("request_id", "seq").values_list("request_id", "data")):
        events[rid].append(data)
    return [build_request(r, events.get(r.pk, ())) for r in rows]


def library_requests(agency: Agency | int, year: int | None) -> list[LibRequest]:
    """The engine's requests, rebuilt from the stored events (see ``year_requests``)."""
    return _rebuild(year_requests(agency, year))


def library_appeals(agency: Agency | int, year: int) -> list[LibAppeal]:
    """The agency's appeals filed in ``year`` (table 四 counts those), with the tracking numbers of
    the requests they concern."""
    qs = (Appeal.objects.filter(agency=agency, filed__year=year).order_by("filed", "number")
          .prefetch_related("requests"))
    return [LibAppeal(a.number, a.kind, a.filed, a.decided, a.result or None,
                      tuple(r.number for r in a.requests.all()), ref=str(a.pk)) for a in qs]


def similar_subject(a: str, b: str) -> bool:
    """The same information asked again: equal once spaces and punctuation are ignored, or one
    contains the other."""
    def norm(s: str) -> str:
        return "".join(ch for ch in s if ch.isalnum())

    x, y = norm(a), norm(b)
    return bool(x and y) and (x == y or (min(len(x), len(y)) >= 8 and (x in y or y in x)))


def duplicates(agency: Agency, applicant_name: str, id_number: str, subject: str,
               exclude: int | None = None) -> list[DisclosureRequest]:
    """The applicant's earlier requests to this agency asking the same (for 不予处理：重复申请)."""
    qs = DisclosureRequest.objects.filter(agency=agency)
    qs = qs.filter(id_number=id_number) if id_number else qs.filter(applicant_name=applicant_name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return [r for r in qs.order_by("received_on", "seq")[:200] if similar_subject(r.subject, subject)]


def open_requests(agencies: QuerySet[Agency] | Agency) -> QuerySet[DisclosureRequest]:
    """Requests of these agencies (or of one) not yet closed."""
    if isinstance(agencies, Agency):
        return DisclosureRequest.objects.filter(agency=agencies, closed_on__isnull=True)
    return DisclosureRequest.objects.filter(agency__in=agencies, closed_on__isnull=True)


#: the statuses of the due-soon list (a waiting period over is as pressing) and of the overdue list
DUE_SOON = ("due_soon", "lapsed")
OVERDUE = ("late",)


def due_soon(agencies: QuerySet[Agency] | Agency) -> QuerySet[DisclosureRequest]:
    """Open requests due within the warning period (status computed by the daily refresh)."""
    return open_requests(agencies).filter(status__in=DUE_SOON).order_by("due", "pk")


def overdue(agencies: QuerySet[Agency] | Agency) -> QuerySet[DisclosureRequest]:
    return open_requests(agencies).filter(status__in=OVERDUE).order_by("due", "pk")


class FeeRefused(Exception):
    """A fee the engine cannot compute for this request; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


UNNAMED = "（台账未填写）"


def fee_working(row: DisclosureRequest, method: str, pages: int | None = None) -> FeeWorking:
    """The fee the engine computes: 按量计收 from the pages; 按件计收 from this request's place among
    the applicant's requests to the agency in the month of receipt."""
    if method == "page":
        if pages is None or pages < 1:
            raise FeeRefused("按量计收须填写页数（正整数）")
        try:
            return fee_by_pages(pages)
        except LedgerError as e:
            raise FeeRefused(str(e)) from None
    if method != "piece":
        raise FeeRefused("收费方式应为按件计收或按量计收")
    if row.imported and row.applicant_name == UNNAMED:
        raise FeeRefused("台账未填写申请人，无法与同一申请人当月的其他申请合并按件计算；请按量计收或先补全申请人")
    month = DisclosureRequest.objects.filter(
        agency_id=row.agency_id, received_on__year=row.received_on.year, received_on__month=row.received_on.month)
    month = month.filter(id_number=row.id_number) if row.id_number else month.filter(
        applicant_name=row.applicant_name, id_number="")
    working = piece_fees(_rebuild(month))
    return working[row.number]


def pks_for_numbers(agency: Agency | int, numbers: Iterable[str]) -> dict[str, int]:
    """Tracking number → database id (for drill-down links to ``cases:request``)."""
    wanted = list(numbers)
    out: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        out.update(DisclosureRequest.objects.filter(agency=agency, number__in=wanted[i:i + 500])
                   .values_list("number", "pk"))
    return out
