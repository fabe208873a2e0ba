"""The working-day calendar the ledger uses: the library's bundled national calendar plus the
arrangements an administrator loaded (``CalendarArrangement``), rebuilt only when those change."""

from __future__ import annotations

import threading

from gongkai.calendar import WorkCalendar, load_calendar, parse_arrangement
from gongkai.ledger import WorkingDays, working_days

from .models import CalendarArrangement

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], WorkingDays] | None = None


def _stamp() -> tuple[object, ...]:
    """Changes whenever an arrangement is loaded (or a test's transaction rolled back)."""
    return tuple(CalendarArrangement.objects.order_by("pk").values_list("pk", "loaded_at"))


def build(extra: list[CalendarArrangement] | None = None) -> WorkCalendar:
    """A fresh calendar: bundled years, then the stored arrangements in the order loaded."""
    cal = load_calendar()
    rows = list(CalendarArrangement.objects.order_by("loaded_at", "pk")) if extra is None else extra
    for row in rows:
        cal.add(parse_arrangement(row.text, where=f"{row.year}年放假安排"))
    return cal


def current() -> WorkingDays:
    """The calendar in force (its working-day index, cached until an arrangement is loaded)."""
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, working_days(build()))
        return _cached[1]
