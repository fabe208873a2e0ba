"""Every permission of the web app, declared once (django-rules).

Views, actions and the API ask ``user.has_perm("reports.change_report", report)``; list pages use
the ``for_user(user)`` querysets (``Agency.objects.for_user``, ``Report.objects.for_user``), and a
parametrized test proves the two agree.

Roles (``orgs.models.Role``):
  填报人 drafts the reports of their agency;
  审核人 drafts too, approves and publishes them;
  主管部门 reads everything in the subtree of their agency, comments and returns reports, but never
  edits their numbers;
  系统管理员 reads everything and manages agencies and people.
"""

from __future__ import annotations

from typing import Any

import rules

from gongkai_web.orgs.models import Agency, Role, User
from gongkai_web.reports.models import EDITABLE, Report, Status


def _agency(obj: Any) -> Agency | None:
    if isinstance(obj, Agency):
        return obj
    if isinstance(obj, Report):
        return obj.agency
    agency = getattr(obj, "agency", None)
    return agency if isinstance(agency, Agency) else None


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


@rules.predicate
def is_admin(user: Any) -> bool:
    return _active(user) and user.role == Role.ADMIN


@rules.predicate
def is_member(user: Any, obj: Any) -> bool:
    """The user belongs to the agency (of the report)."""
    agency = _agency(obj)
    return _active(user) and agency is not None and user.agency_id == agency.pk


@rules.predicate
def is_agency_staff(user: Any, obj: Any) -> bool:
    """A 填报人 or 审核人 of the agency (of the report)."""
    return bool(is_member(user, obj)) and user.role in (Role.DRAFTER, Role.APPROVER)


@rules.predicate
def is_agency_approver(user: Any, obj: Any) -> bool:
    return bool(is_member(user, obj)) and user.role == Role.APPROVER


@rules.predicate
def supervises(user: Any, obj: Any) -> bool:
    """A 主管部门 user whose subtree holds the agency (of the report)."""
    agency = _agency(obj)
    if not _active(user) or user.role != Role.SUPERVISOR or user.agency_id is None or agency is None:
        return False
    return agency.is_in_subtree_of(user.agency)


@rules.predicate
def is_editable(_user: Any, report: Any) -> bool:
    return isinstance(report, Report) and report.status in EDITABLE


def status_is(*states: str) -> rules.Predicate:
    @rules.predicate(name=f"status_is({','.join(states)})")
    def check(_user: Any, report: Any) -> bool:
        return isinstance(report, Report) and report.status in states

    return check


can_read = is_admin | supervises | is_member

# organisations and people
rules.add_perm("orgs.view_agency", can_read)
rules.add_perm("orgs.manage_agencies", is_admin)
rules.add_perm("orgs.manage_users", is_admin)

# reports: reading
rules.add_perm("reports.view_report", can_read)
rules.add_perm("reports.view_history", can_read)
rules.add_perm("reports.download_report", can_read)
rules.add_perm("reports.comment_report", supervises | is_member)
# reports: the agency's own work (obj: the Agency for creating, the Report otherwise)
rules.add_perm("reports.create_report", is_agency_staff)
rules.add_perm("reports.change_report", is_agency_staff & is_editable)
rules.add_perm("reports.submit_report", is_agency_staff & is_editable)
rules.add_perm("reports.approve_report", is_agency_approver & status_is(Status.SUBMITTED))
rules.add_perm("reports.publish_report", is_agency_approver & status_is(Status.APPROVED))
rules.add_perm("reports.reopen_report", is_agency_staff & status_is(Status.PUBLISHED))
# returning a report: its approver, or a supervisor above it
rules.add_perm("reports.return_report", (is_agency_approver | supervises)
               & status_is(Status.SUBMITTED, Status.APPROVED))

#: every permission with an object, for the test that proves rules and querysets agree
REPORT_PERMISSIONS = ("reports.view_report", "reports.change_report")


# supervision: the overview, sums and trends of a subtree (obj: the subtree's root Agency)
@rules.predicate
def is_supervisor(user: Any) -> bool:
    return _active(user) and user.role == Role.SUPERVISOR and user.agency_id is not None


rules.add_perm("supervision.view_overview", is_admin | is_supervisor)
rules.add_perm("supervision.view_subtree", is_admin | supervises)

# batch checks of published reports (gongkai_web.audits): a 主管部门 user uploads and sees their own
# batches; a 系统管理员 every batch; nobody else (obj: the Audit)


@rules.predicate
def owns_audit(user: Any, audit: Any) -> bool:
    return _active(user) and audit is not None and getattr(audit, "created_by_id", None) == user.pk


rules.add_perm("audits.upload_audit", is_admin | is_supervisor)
rules.add_perm("audits.view_audit", is_admin | (is_supervisor & owns_audit))
rules.add_perm("audits.rerun_audit", is_admin | (is_supervisor & owns_audit))
