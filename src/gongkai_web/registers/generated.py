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

from gongkai.ledger import Appeal, Request
from gongkai_web.orgs.models import Agency


def store_requests(agency: Agency, requests: Iterable[Request], *, today: dt.date, batch: int = 2000,
                   strict: bool = True) -> int:
    """Store engine requests (ids become the tracking numbers); returns how many.  Through
    ``cases.actions.store_history`` (the system as actor), one transaction per ``batch`` requests."""
    from gongkai_web.cases import actions

    libs = sorted(requests, key=lambda r: (r.received_on, r.id))
    n = 0
    for i in range(0, len(libs), batch):
        with transaction.atomic():
            n += len(actions.store_history(None, agency, libs[i:i + batch], note="", imported=not strict,
                                           today=today))
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
