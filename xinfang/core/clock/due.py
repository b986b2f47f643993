"""A due date as a clerk gives it: a date (12-14: this year, or next once this year's is
over) or a count from the step's own day (10个工作日, 15日, 30天)."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang.core.clock import workdays
from xinfang.core.clock.dates import parse_when

# 15日 is a count of days, as the rules write periods (15日内), not the 15th: the 15th of
# a month is written 12-15 or 12月15日.
_COUNT = re.compile(r"(?P<n>[0-9]{1,3}) ?(?:个)? ?(?P<unit>工作日|日|天)内?", re.ASCII)
HELP = "如 2026-12-05、12-05（不写年份即今后最近的那一天）、10个工作日、15日、30天（从这一步的日期起算）"


@dataclass(frozen=True)
class Due:
    fixed: date | None = None
    count: int = 0
    working: bool = False

    def from_day(self, conn: sqlite3.Connection, start: date) -> date:
        """The due date of a step taken on `start`."""
        if self.fixed is not None:
            return self.fixed
        if self.working:
            return workdays.load(conn).add_workdays(start, self.count)
        return start + timedelta(days=self.count)


def parse_due(text: str, field: str) -> Due:
    """Checked before anything is read or written; counted once the step's day is known."""
    count = _COUNT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if count is not None and int(count["n"]) > 0:
        return Due(count=int(count["n"]), working=count["unit"] == "工作日")
    return Due(fixed=parse_when(text, field, ahead=True)[0].date())
