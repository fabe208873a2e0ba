"""What kind of body an agency is: it decides the publication deadline (条例第四十九条) and the
content a report must carry (第五十条 for a whole government).

The kind is data on the report (``Report.agency_kind``), set by the caller or the web app from its
organisation tree.  A reader may only *guess* it from the name, and then says so
(``Report.agency_kind_guessed``).
"""

from __future__ import annotations

from typing import Literal

AgencyKind = Literal["government", "government_office", "department", "dispatched", "township"]

#: kind → how a person names it
AGENCY_KINDS: dict[str, str] = {
    "government": "人民政府",
    "government_office": "人民政府办公厅（室）",
    "department": "政府部门",
    "dispatched": "派出机关、管委会",
    "township": "乡镇人民政府、街道办事处",
}


def is_kind(value: object) -> bool:
    return isinstance(value, str) and value in AGENCY_KINDS


__all__ = ["AGENCY_KINDS", "AgencyKind", "is_kind"]
