"""Who may do what with the case ledger (django-rules, on top of ``gongkai_web.permissions``).

The object is the ``Agency`` (intake, lists, imports, templates) or a ``DisclosureRequest`` /
``Appeal`` (its agency decides).  Reading: the agency's members, a supervisor above it, an
administrator.  Handling (every staff step, letters, imports): the agency's 填报人 and 审核人.
Applicants' ID and phone numbers: only the agency's own handlers (and each view is logged).
Letter templates: the agency's 审核人.
"""

from __future__ import annotations

import rules

from gongkai_web.permissions import can_read, is_agency_approver, is_agency_staff

rules.add_perm("cases.view_request", can_read)
rules.add_perm("cases.handle_request", is_agency_staff)
rules.add_perm("cases.view_personal", is_agency_staff)
rules.add_perm("cases.import_ledger", is_agency_staff)
rules.add_perm("cases.edit_templates", is_agency_approver)
rules.add_perm("cases.view_appeal", can_read)
rules.add_perm("cases.handle_appeal", is_agency_staff)
