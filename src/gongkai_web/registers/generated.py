"""Generated years of requests stored through the case ledger's models (tests, benchmarks, demos).

    libs = random_requests(random.Random(7), 2000, first=date(2025, 1, 1), last=date(2025, 12, 31),
                           today=date(2026, 1, 20))
    store_requests(agency, libs, today=date(2026, 1, 20))

Each request is stored the way ``cases.actions.import_ledger`` stores a 台账 row — a
``DisclosureRequest`` with the columns ``cases.actions.refresh`` computes from the engine, and one
``RequestEvent`` per engine event (``Event.to_dict()``) — in bulk, so 100,000 requests load in minutes.
Not a user action: nothing here checks a permission or records who did it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from gongkai.ledger import Appeal, Request
from gongkai_web.orgs.models import Agency


def store_requests(agency: Agency, requests: Iterable[Request], *, today: dt.date, batch: int = 2000,
                   strict: bool = True) -> int:
    """Store engine requests (ids become the tracking numbers); returns how many."""
    from gongkai_web.cases import actions, workcal
    from gongkai_web.cases.models import DisclosureRequest, RequestEvent

    wd = workcal.current()
    libs = sorted(requests, key=lambda r: (r.received_on, r.id))
    next_seq: dict[int, int] = {}
    n = 0
    for i in range(0, len(libs), batch):
        chunk = libs[i:i + batch]
        rows = []
        for lib in chunk:
            received = lib.state.received
            assert received is not None
            year = received.date.year
            if year not in next_seq:
                next_seq[year] = (DisclosureRequest.objects.filter(agency=agency, year=year)
                                  .aggregate(m=Max("seq"))["m"] or 0) + 1
            row = DisclosureRequest(agency=agency, year=year, seq=next_seq[year], number=lib.id,
                                    channel=received.channel, received_on=received.date,
                                    applicant_kind=lib.applicant_kind, applicant_name=lib.applicant or "申请人",
                                    subject=lib.subject or "生成的申请", pieces=lib.pieces, imported=not strict)
            next_seq[year] += 1
            actions.refresh(row, lib, today=today, wd=wd, save=False)
            rows.append(row)
        with transaction.atomic():
            DisclosureRequest.objects.bulk_create(rows)
            RequestEvent.objects.bulk_create(
                [RequestEvent(request=row, seq=k, type=e.type, date=e.date, data=e.to_dict())
                 for row, lib in zip(rows, chunk, strict=True) for k, e in enumerate(lib.events, 1)],
                batch_size=5000)
        n += len(rows)
    return n


def store_appeals(agency: Agency, appeals: Iterable[Appeal]) -> int:
    """Store engine appeals, linked to the stored requests they name."""
    from gongkai_web.cases.models import Appeal as AppealRow
    from gongkai_web.cases.models import DisclosureRequest

    n = 0
    with transaction.atomic():
        for a in appeals:
            row = AppealRow.objects.create(agency=agency, number=a.id, kind=a.kind, filed=a.filed, decided=a.decided,
                                           result=a.result or "")
            row.requests.set(DisclosureRequest.objects.filter(agency=agency, number__in=a.requests))
            n += 1
    return n
