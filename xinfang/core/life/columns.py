"""The columns of a case's row in `cases`, by what writes them: the projection of its
events (projection.py, with each action's fold in actions.py) or the ledger's own
bookkeeping."""

from __future__ import annotations

from xinfang.core.intake.fields import REGISTRATION_FIELDS

NOTICE = ("notified_on", "notice_method")
REPLY = ("replied_on", "reply_result", "reply_finding", "reply_text")
# The ledger's own bookkeeping, not facts of the case: numbers, links and stamps given
# where the row is written (a county numbers a merged case itself).
LOCAL = ("id", "year", "seq", "rule_version", "updated_at", "repeat_of",
         "origin", "origin_no", "origin_office")  # fmt: skip
# The town's 交办单 number: its own at the town, none at the county.
ASSIGN_NUMBER = ("assign_year", "assign_seq")
PROJECTED: tuple[str, ...] = (
    "status", "round", *(field.key for field in REGISTRATION_FIELDS),
    "decided_on", "decision_reason", "reject_channel", "transfer_to", *NOTICE,
    "unit", *ASSIGN_NUMBER, "assigned_on", "assign_due", "unit_accepted_on",
    "unit_reported_on", "unit_report", *REPLY, "revisited_on", "revisit_method",
    "satisfaction", "revisit_opinion", "publicized_on", "closed_on", "archived_on",
    "retention", "complex", "paused_since", "urgent",
)  # fmt: skip
# 退单: the unit gives the case back; its 交办 (unit, 交办单, dates, report) is undone.
UNIT_RETURN = dict.fromkeys(
    ("unit", *ASSIGN_NUMBER, "assigned_on", "assign_due", "unit_accepted_on",
     "unit_reported_on", "unit_report"),
)  # fmt: skip
