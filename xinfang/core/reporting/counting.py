"""What the leaders' figures (stats.py) and the unit ranking (unit_ranking.py) count with
alike: a period's window as of a day, a rate, a deadline met in time, and the SQL that
picks the events counted in a window."""

from __future__ import annotations

from datetime import date

from xinfang.core.clock.periods import Period
from xinfang.core.life import projection


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def window(period: Period, as_of: date) -> tuple[str, str]:
    return period.first.isoformat(), min(period.last, as_of).isoformat()


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
