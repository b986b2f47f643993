"""What the leaders' figures (stats.py) and the unit ranking (unit_ranking.py) count with
alike: a period's window as of a day, a rate, a deadline met in time, the satisfaction
values 满意率 counts, and the SQL that picks the events counted in a window."""

from __future__ import annotations

import sqlite3
from datetime import date

from xinfang.core import settings
from xinfang.core.clock.periods import Period
from xinfang.core.life import projection
from xinfang.core.vocabulary import BASICALLY_SATISFIED, SATISFACTION_COUNTED


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def window(period: Period, as_of: date) -> tuple[str, str]:
    return period.first.isoformat(), min(period.last, as_of).isoformat()


def satisfaction_counted(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The revisits 满意率 counts as satisfied: 非常满意 and 满意, and 基本满意 where the
    office's setting 基本满意计入满意率 says 是 (seed 002's scale); 一般 never."""
    basic = settings.switched_on(conn, "count_basically_satisfied")
    return (*SATISFACTION_COUNTED, *((BASICALLY_SATISFIED,) if basic else ()))


def in_time(due_on: str | None, met_on: str) -> bool:
    return due_on is None or met_on <= due_on


ASSIGNED = "('assign', 'reassign')"
# A revisit that found the petitioner (无法联系 has no satisfaction to count).
ANSWERED = "json_extract(e.data, '$.satisfaction') IS NOT NULL"
# Every event counted in a window is one that counts: voided steps count nowhere.
IN_WINDOW = (
    "e.occurred_at >= :first AND e.occurred_at < date(:last, '+1 day') AND "
    + projection.counts_sql("e")
)
