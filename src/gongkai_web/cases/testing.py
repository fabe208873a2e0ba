"""Factories for tests (this app's and the registers'): requests made through ``actions`` the way
a clerk makes them.

    row = make_request(people.drafter_a, tree.town_a, date(2025, 9, 26), today=date(2025, 9, 26))
    row = actions.decide(people.drafter_a, row, on=date(2025, 10, 9), outcome="granted", today=...)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai_web.orgs.models import Agency, User

from . import actions
from .models import DisclosureRequest


def make_request(actor: User | None, agency: Agency, received: dt.date, *, channel: str = "online",
                 applicant_kind: str = "natural_person", applicant_name: str = "张三",
                 subject: str = "2025年本镇农村道路建设项目的招标文件", today: dt.date | None = None,
                 **more: Any) -> DisclosureRequest:
    """A request received (confirmed, signed or handed in, per channel) on ``received``."""
    return actions.intake(actor, agency, channel=channel, day=received, applicant_kind=applicant_kind,
                          applicant_name=applicant_name, subject=subject, today=today or received,
                          **more)


def make_closed(actor: User | None, agency: Agency, received: dt.date, closed: dt.date, outcome: str = "granted",
                **more: Any) -> DisclosureRequest:
    """A request received and decided with ``outcome`` (its legal ground the outcome's article)."""
    row = make_request(actor, agency, received, today=closed, **more)
    ground = "经沟通申请人已通过其他途径获取" if outcome in ("other.other", "not_processed.confirmation") else ""
    return actions.decide(actor, row, on=closed, outcome=outcome, ground=ground, today=closed)
