"""Where a case stands: its statuses and their labels. Which action leads from which
status to which, and all else an action means, is declared in actions.py."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    HANDLING = "handling"
    REPORTED = "reported"
    REPLIED = "replied"
    REVISITED = "revisited"
    PUBLICIZED = "publicized"
    CLOSED = "closed"
    REJECTED = "rejected"
    TRANSFERRED = "transferred"
    ARCHIVED = "archived"
    VOIDED = "voided"  # 作废: registered by mistake; the number stays, nothing more is done
    JOINED = "joined"  # 并案: handled as part of another case (corrections.py)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "已登记（待受理）",
    Status.ACCEPTED: "已受理（办理中）",
    Status.ASSIGNED: "已交办（待承办单位受理）",
    Status.HANDLING: "承办单位办理中",
    Status.REPORTED: "承办单位已报送（待答复）",
    Status.REPLIED: "已答复（待回访）",
    Status.REVISITED: "已回访（待公示）",
    Status.PUBLICIZED: "已公示（待办结）",
    Status.CLOSED: "已办结（待归档）",
    Status.REJECTED: "不予受理",
    Status.TRANSFERRED: "已转送",
    Status.ARCHIVED: "已归档",
    Status.VOIDED: "已作废",
    Status.JOINED: "已并案（随主案办理）",
}

# Cases still needing work; the others are finished (归档 or waiting to be).
OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.HANDLING,
        Status.REPORTED,
        Status.REPLIED,
        Status.REVISITED,
        Status.PUBLICIZED,
    }
)
ALL_BUT_ARCHIVED = frozenset(Status) - {Status.ARCHIVED, Status.VOIDED}
LATE_NOTICE_ONLY = frozenset(
    {Status.REPLIED, Status.REVISITED, Status.PUBLICIZED, Status.CLOSED, Status.JOINED}
)
