"""Masking applicants' ID and phone numbers in lists, pages and exports (shown in full only to the
agency's own handlers, on request, and logged: ``actions.view_personal``)."""

from __future__ import annotations


def mask_id(value: str) -> str:
    """``230124199001011234`` → ``230***********1234``."""
    v = value.strip()
    if not v:
        return ""
    if len(v) <= 6:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; short numbers keep only their last two digits."""
    v = value.strip()
    if not v:
        return ""
    if len(v) < 7:
        return "*" * (len(v) - 2) + v[-2:] if len(v) > 2 else "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]
