"""The permissions of the registers and the annual-tables pages (django-rules), on the agency.

Reading: whoever may read the agency (its own people, a supervisor above it, an administrator).
Changing the registers and filling the draft from the ledger: the agency's 填报人 and 审核人.
"""

from __future__ import annotations

import rules

from gongkai_web.permissions import can_read, is_agency_staff

rules.add_perm("registers.view_registers", can_read)
rules.add_perm("registers.change_registers", is_agency_staff)
rules.add_perm("registers.view_tables", can_read)
rules.add_perm("registers.fill_tables", is_agency_staff)
