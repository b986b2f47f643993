"""Working days under China's official holiday calendar, with its adjusted workdays (调休).

Where the facts come from, in order: a day the office entered itself (`calendar set` /
`calendar import`, from the State Council's notice), then the installed chinese-calendar
package for the years it knows, then the plain rule "Saturday and Sunday are off". A
year known to neither is *unknown*: it is counted weekends-only, and every deadline that
crosses it is marked provisional, so nothing is miscounted silently.

The three sources are folded once into the `calendar` table (one row per day with a
running count of working days), so counting working days is a subtraction and neither
`show` nor the overdue scan imports chinese-calendar or loops over days per case.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from xinfang.core.clock.dates import today
from xinfang.core.errors import InvalidInput

HOLIDAY = "休"
WORKDAY = "班"
FIRST_DAY = date(2004, 1, 1)  # chinese-calendar's first year
YEARS_AHEAD = 2  # the table reaches this many years past the last year anyone knows


@dataclass(frozen=True)
class WorkCalendar:
    """Day-indexed facts from `first` on: workday flags, known flags and the running count
    of working days (`counts[i]` = working days in first..first+i)."""

    first: date
    workday: tuple[bool, ...]
    known: tuple[bool, ...]
    counts: tuple[int, ...]

    @classmethod
    def build(cls, first: date, workday: list[bool], known: list[bool]) -> WorkCalendar:
        return cls(first, tuple(workday), tuple(known), tuple(accumulate(map(int, workday))))

    def _extend_to(self, day: date) -> WorkCalendar:
        """Past the table: weekends only, unknown. Rarely needed; the table runs ahead."""
        last = self.first + timedelta(days=len(self.workday) - 1)
        if day <= last:
            return self
        extra = [last + timedelta(days=i) for i in range(1, (day - last).days + 370)]
        return WorkCalendar.build(
            self.first,
            [*self.workday, *(d.weekday() < 5 for d in extra)],
            [*self.known, *(False for _ in extra)],
        )

    def _index(self, day: date) -> int:
        if day < self.first:
            raise InvalidInput("日期", f"{day} 早于 {self.first}，超出工作日历范围")
        return (day - self.first).days

    def is_workday(self, day: date) -> bool:
        cal = self._extend_to(day)
        return cal.workday[cal._index(day)]

    def is_known(self, day: date) -> bool:
        cal = self._extend_to(day)
        return cal.known[cal._index(day)]

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: the start day itself is not counted. Negative
        when end is before start."""
        cal = self._extend_to(max(start, end))
        return cal.counts[cal._index(end)] - cal.counts[cal._index(start)]

    def add_workdays(self, start: date, amount: int) -> date:
        """The `amount`-th working day after `start` (legal counting: day zero is the day
        of the event, so "within 3 working days" of a Wednesday 2026-09-30 ends on the
        adjusted workday Saturday 2026-10-10). `amount` 0 is `start` itself."""
        if amount <= 0:
            return start
        cal = self._extend_to(start + timedelta(days=amount * 2 + 60))
        target = cal.counts[cal._index(start)] + amount
        while target > cal.counts[-1]:  # a very long holiday stretch beyond the guess
            cal = cal._extend_to(cal.first + timedelta(days=len(cal.counts) + 366))
        return cal.first + timedelta(days=bisect_left(cal.counts, target))

    def next_workday(self, day: date) -> date:
        """`day` if it is a working day, else the first working day after it."""
        return day if self.is_workday(day) else self.add_workdays(day, 1)

    def add_days(self, start: date, amount: int) -> date:
        """A calendar-day deadline: `amount` days after `start`; a last day that falls on a
        holiday or weekend moves to the next working day (as for 期间 in procedural law)."""
        return self.next_workday(start + timedelta(days=amount))

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years in (start, end] whose holidays nobody has told us."""
        if end <= start:
            return []
        cal = self._extend_to(end)  # once, not per day
        # Days before the loaded range count as known only if the caller never asks.
        first, last = max((start - cal.first).days + 1, 0), cal._index(end)
        return sorted(
            {
                (cal.first + timedelta(days=i)).year
                for i in range(first, last + 1)
                if not cal.known[i]
            }
        )

    def year_known(self, year: int) -> bool:
        return self.is_known(date(year, 6, 30))


def _package_calendar() -> tuple[str, dict[date, bool], set[int]]:
    """What the installed chinese-calendar knows: its version, the days that differ from
    the weekend rule (True = working day), and the years it covers."""
    from chinese_calendar import constants

    overrides: dict[date, bool] = {}
    for day in constants.holidays:
        overrides[day] = False
    for day in constants.workdays:
        overrides[day] = True
    years = set(range(min(d.year for d in constants.holidays), max(constants.holidays).year + 1))
    return _package_version(), overrides, years


def _package_version() -> str:
    from importlib import metadata  # ~10 ms: not for commands that only count days

    return metadata.version("chinese_calendar")


def _office_entries(conn: sqlite3.Connection) -> dict[date, bool]:
    rows = conn.execute("SELECT day, kind FROM calendar_entries").fetchall()
    return {date.fromisoformat(day): kind == WORKDAY for day, kind in rows}


def confirmed_years(conn: sqlite3.Connection) -> set[int]:
    """Years whose whole notice the office has entered (`calendar confirm`, or a file
    import): only these count as known. A year with a few days entered is not."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'calendar_confirmed'").fetchone()
    return set(json.loads(row[0])) if row else set()


def confirm_year(conn: sqlite3.Connection, year: int) -> None:
    years = sorted(confirmed_years(conn) | {year})
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('calendar_confirmed', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (json.dumps(years),),
    )


@dataclass(frozen=True)
class Disagreement:
    day: date
    office: bool  # working day by the office's notice
    package: bool  # working day by chinese-calendar
    entered: bool  # the office entered the day itself: the table counts it so


def office_disagreements(conn: sqlite3.Connection) -> list[Disagreement]:
    """Days of the years chinese-calendar covers where the office's own calendar says
    otherwise: each day it entered, and every day of a year whose notice it entered whole
    (a day the notice leaves out is an ordinary day by it)."""
    _, package, years = _package_calendar()
    office = _office_entries(conn)
    days = {day for day in office if day.year in years}
    for year in confirmed_years(conn) & years & {day.year for day in office}:
        first = date(year, 1, 1)
        days |= {first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)}
    found = []
    for day in sorted(days):
        ordinary = day.weekday() < 5
        mine, theirs = office.get(day, ordinary), package.get(day, ordinary)
        if mine != theirs:
            found.append(Disagreement(day, mine, theirs, day in office))
    return found


def rebuild(conn: sqlite3.Connection) -> None:
    """Fold the three sources into the `calendar` table. Call inside a transaction."""
    version, package_days, package_years = _package_calendar()
    office = _office_entries(conn)
    known_years = package_years | confirmed_years(conn) | _known_years(conn)
    entered_years = {day.year for day in office}
    last = date(max(*known_years, *entered_years, today().year) + YEARS_AHEAD, 12, 31)
    rows = []
    count = 0
    day = FIRST_DAY
    while day <= last:
        working = office.get(day, package_days.get(day, day.weekday() < 5))
        holiday = day in office or day in package_days
        count += working
        known = day.year in known_years
        rows.append((day.isoformat(), int(working), int(holiday and not working), count, known))
        day += timedelta(days=1)
    conn.execute("DELETE FROM calendar")
    conn.executemany(
        "INSERT INTO calendar (day, workday, holiday, workdays_so_far, known) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('calendar_source', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f'"chinese_calendar {version}"',),
    )


def _known_years(conn: sqlite3.Connection) -> set[int]:
    """Years the table already counts as known. A confirmation is never withdrawn, and the
    county's calendar is one for all its offices while each confirms in its own settings:
    one office's rebuild must not forget a year another confirmed."""
    rows = conn.execute("SELECT DISTINCT substr(day, 1, 4) FROM calendar WHERE known = 1")
    return {int(year) for (year,) in rows}


def is_stale(conn: sqlite3.Connection) -> bool:
    """Has chinese-calendar been upgraded since the table was built, or has the table
    fallen behind the clock? (Checked by the overdue scan and doctor, not on every run.)"""
    built = conn.execute("SELECT value FROM settings WHERE key = 'calendar_source'").fetchone()
    if built is None or built[0] != f'"chinese_calendar {_package_version()}"':
        return True
    last = conn.execute("SELECT max(day) FROM calendar").fetchone()[0]
    return last is None or date.fromisoformat(last).year < today().year + 1


def load(conn: sqlite3.Connection, since: date = FIRST_DAY) -> WorkCalendar:
    """The calendar from `since` on (a case needs only the days from its receipt). The
    table comes back as one string of flags: thousands of rows as Python objects would
    cost more than the whole command."""
    first = max(since, FIRST_DAY)
    flags = conn.execute(
        "SELECT group_concat(workday * 2 + known, '') FROM "
        "(SELECT workday, known FROM calendar WHERE day >= ? ORDER BY day)",
        (first.isoformat(),),
    ).fetchone()[0]
    if not flags:
        return WorkCalendar.build(first, [], [])._extend_to(first)
    return WorkCalendar.build(first, [f in "23" for f in flags], [f in "13" for f in flags])


def enter_days(
    conn: sqlite3.Connection, first: date, last: date, kind: str, note: str | None
) -> list[date]:
    """The office's own entry of the State Council's notice; call inside a transaction."""
    if kind not in (HOLIDAY, WORKDAY):
        raise InvalidInput(
            "类型", f"只能是“{HOLIDAY}”（放假）或“{WORKDAY}”（调休上班），不能是“{kind}”"
        )
    if last < first:
        raise InvalidInput("日期", "结束日期早于开始日期")
    if (last - first).days > 31:
        raise InvalidInput("日期", "一次最多录入 31 天；请分段录入")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    conn.executemany(
        "INSERT INTO calendar_entries (day, kind, note) VALUES (?, ?, ?) "
        "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
        [(day.isoformat(), kind, note) for day in days],
    )
    return days


@dataclass(frozen=True)
class Day:
    day: date
    workday: bool
    known: bool
    kind: str  # 工作日 | 周末 | 节假日 | 调休上班


def month_days(conn: sqlite3.Connection, first: date, last: date) -> list[Day]:
    """The days of a month as the calendar table has them (weekends-only past its end)."""
    rows = {
        day: (bool(workday), bool(holiday), bool(known))
        for day, workday, holiday, known in conn.execute(
            "SELECT day, workday, holiday, known FROM calendar WHERE day BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
    }
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        weekend = day.weekday() >= 5
        working, holiday, known = rows.get(day.isoformat(), (not weekend, False, False))
        if working:
            kind = "调休上班" if weekend else "工作日"
        else:
            kind = "节假日" if holiday else "周末"
        days.append(Day(day, working, known, kind))
    return days


def next_year_warning(cal: WorkCalendar, today: date) -> str | None:
    """From November on, say so when next year's holidays are not known yet."""
    if today.month < 11 or cal.year_known(today.year + 1):
        return None
    year = today.year + 1
    return (
        f"{year} 年的节假日安排尚未录入完毕（已安装的 chinese-calendar 不含 {year} 年），"
        f"涉及 {year} 年的期限暂按周末计算。国务院办公厅通知发布后，复制通知全文，"
        f"执行 xinfang calendar import - 粘贴即可录入（或逐段 xinfang calendar set 后 "
        f"xinfang calendar confirm {year}；也可升级 chinese-calendar）。"
    )
