"""Leader reception days (领导接访日, seed 003): the 接访日程安排表 of a year, and the
look-ups a case registered at a reception needs.

A plan is made from a rule such as "the last Friday of each month, 09:00–11:00"
(`last-friday 09:00-11:00`, or in Chinese 每月最后一个周五 09:00-11:00; the rule language
is reception_rules.py's), one day a month, the leaders taking the months in turn. A day the
rule gives that is not a working day under the ledger's calendar (a public holiday, or a
weekend that is not an adjusted workday) moves to the nearest EARLIER working day, and the
plan says why. One exception: a January
day whose earlier working day would fall in the previous year moves to the nearest LATER
working day instead, so that a year's plan stays inside its year.

The days are stored in `reception_days`; the rule and the reason each day moved are kept
in the setting `reception_plan_<year>` (JSON), so that `reception show` can repeat them.

For the register command:

* `day_for(conn, day)` is the plan entry of exactly that day (None if no reception then);
* `latest_on_or_before(conn, day)` is the last planned reception on or before that day
  (a case written up a few days after the reception it was taken at);
* `held_for(conn, day)` is the reception a 领导接访 case received on `day` was taken at
  (register fills the 接访人 from it, the 接访交办通知单 its leader, day and place).

This module knows nothing of the terminal.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import workdays
from xinfang.core.clock.dates import today
from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.intake.reception_rules import WEEKDAY_NAMES, Rule, parse_rule
from xinfang.core.validate import clean_text, parse_int
from xinfang.core.vocabulary import RECEPTION_LOOKBACK
from xinfang.store.db import transaction

MAX_LEADERS = 12  # one reception a month: a thirteenth leader would never receive


@dataclass(frozen=True)
class ReceptionDay:
    """One day of the 接访日程安排表: who receives petitioners, when and where."""

    day: date
    starts: str  # 09:00
    ends: str  # 11:00
    leader: str
    place: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "weekday": WEEKDAY_NAMES[self.day.weekday()],
            "starts": self.starts,
            "ends": self.ends,
            "leader": self.leader,
            "place": self.place,
        }


def parse_leaders(text: str) -> list[str]:
    """`张三,李四,王五` (also ，、; or spaces between names), in the order they take turns."""
    names = [
        clean_text(part, "接访领导", max_length=20)
        for part in re.split(r"[,，、;；\s]+", unicodedata.normalize("NFC", text or ""))
    ]
    leaders = [name for name in names if name]
    if not leaders:
        raise InvalidInput("接访领导", "至少写一位领导，多位用逗号分隔，如 张三,李四,王五")
    if len(leaders) > MAX_LEADERS:
        raise InvalidInput(
            "接访领导", f"写了 {len(leaders)} 位；每月一次接访，最多 {MAX_LEADERS} 位轮流"
        )
    repeated = sorted({name for name in leaders if leaders.count(name) > 1}, key=leaders.index)
    if repeated:
        raise InvalidInput("接访领导", f"{'、'.join(repeated)} 重复出现；每位领导只写一次")
    return leaders


@dataclass(frozen=True)
class PlannedDay:
    entry: ReceptionDay
    ruled: date  # the day the rule gave
    note: str | None  # why the day moved, if it did

    def as_json(self) -> dict[str, Any]:
        return {**self.entry.as_json(), "ruled": self.ruled.isoformat(), "note": self.note}


@dataclass(frozen=True)
class Plan:
    year: int
    rule: Rule
    leaders: list[str]
    place: str | None
    days: list[PlannedDay]
    holidays_known: bool
    replaced: int  # days of an earlier plan of the year that this one replaced
    warnings: list[str]


def _short(day: date) -> str:
    return f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"


def _why_off(conn: sqlite3.Connection, day: date) -> str:
    """节假日（中秋节） / 节假日 / 休息日: what the calendar says the day is."""
    found = workdays.month_days(conn, day, day)[0]
    if found.kind != "节假日":
        return "休息日"
    row = conn.execute("SELECT note FROM calendar_entries WHERE day = ?", (day.isoformat(),))
    entered = row.fetchone()
    if entered is not None:
        return f"节假日（{entered[0]}）" if entered[0] else "节假日"
    try:
        import chinese_calendar

        _, name = chinese_calendar.get_holiday_detail(day)
        chinese = chinese_calendar.Holiday(name).chinese if name else None
    except (NotImplementedError, ValueError, AttributeError):
        chinese = None
    return f"节假日（{chinese}）" if chinese else "节假日"


def _schedule(
    conn: sqlite3.Connection,
    cal: workdays.WorkCalendar,
    year: int,
    rule: Rule,
    leaders: list[str],
    place: str | None,
) -> list[PlannedDay]:
    days: list[PlannedDay] = []
    for month in range(1, 13):
        ruled = rule.day_in(year, month)
        day, note = ruled, None
        if not cal.is_workday(ruled):
            earlier = ruled - timedelta(days=1)
            while earlier.year == year and not cal.is_workday(earlier):
                earlier -= timedelta(days=1)
            why = f"原定 {_short(ruled)}为{_why_off(conn, ruled)}"
            if earlier.year == year:
                day = earlier
                note = f"{why}，提前到前一个工作日 {_short(day)}"
            else:
                day = cal.next_workday(ruled)
                later = "调休上班日" if day.weekday() >= 5 else "工作日"
                note = f"{why}，此前的工作日已在上一年，推后到{later} {_short(day)}"
        leader = leaders[(month - 1) % len(leaders)]
        days.append(
            PlannedDay(ReceptionDay(day, rule.starts, rule.ends, leader, place), ruled, note)
        )
    seen: dict[date, int] = {}
    for number, planned in enumerate(days, 1):
        if planned.entry.day in seen:
            raise InvalidInput(
                "接访规则",
                f"{seen[planned.entry.day]} 月和 {number} 月的接访日调整后都落在 "
                f"{planned.entry.day}；请换一个规则",
            )
        seen[planned.entry.day] = number
    return days


def unknown_warning(year: int) -> str:
    return (
        f"{year} 年的节假日安排尚未录入（已安装的 chinese-calendar 不含 {year} 年，本台账也未确认"
        f"录入），以上日期只避开了周末和已录入的假日，法定节假日公布后可能需要调整。"
        f"国务院办公厅通知发布后请用 xinfang calendar set 录入、xinfang calendar confirm {year} "
        f"确认，再用 xinfang reception plan --year {year} … --replace 重新编排。"
    )


def _year_bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _meta_key(year: int) -> str:
    return f"reception_plan_{year}"


def plan(
    conn: sqlite3.Connection,
    year: str | int,
    rule: str,
    leaders: str,
    place: str | None = None,
    *,
    replace: bool = False,
    before_commit: Callable[[Plan], None] | None = None,
) -> Plan:
    """Make and store the year's 接访日程安排表 in one transaction. A year that already has
    a plan is refused unless `replace`. `before_commit` (e.g. writing the xlsx) runs inside
    the transaction: if it raises, nothing is stored."""
    number = parse_int(year, "年份", minimum=workdays.FIRST_DAY.year, maximum=2100)
    parsed = parse_rule(rule)
    names = parse_leaders(leaders)
    where = clean_text(place, "接访地点", max_length=50) or settings.get(conn, "reception_place")
    first, last = _year_bounds(number)
    with transaction(conn):
        existing = conn.execute(
            "SELECT count(*), min(day) FROM reception_days WHERE day BETWEEN ? AND ?",
            (first, last),
        ).fetchone()
        if existing[0] and not replace:
            raise XinfangError(
                f"年份：{number} 年已有领导接访日程（{existing[0]} 天，自 {existing[1]} 起）；"
                f"如要重新编排请加 --replace"
            )
        cal = workdays.load(conn, date(number, 1, 1))
        known = cal.year_known(number)
        days = _schedule(conn, cal, number, parsed, names, where or None)
        conn.execute("DELETE FROM reception_days WHERE day BETWEEN ? AND ?", (first, last))
        conn.executemany(
            "INSERT INTO reception_days (day, starts, ends, leader, place) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    p.entry.day.isoformat(),
                    p.entry.starts,
                    p.entry.ends,
                    p.entry.leader,
                    p.entry.place,
                )
                for p in days
            ],
        )
        meta = {
            "rule": parsed.label,
            "leaders": names,
            "holidays_known": known,
            "planned_on": today().isoformat(),
            "notes": {p.entry.day.isoformat(): p.note for p in days if p.note},
        }
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_meta_key(number), json.dumps(meta, ensure_ascii=False)),
        )
        made = Plan(
            number,
            parsed,
            names,
            where or None,
            days,
            known,
            existing[0],
            [] if known else [unknown_warning(number)],
        )
        if before_commit is not None:
            before_commit(made)
    return made


def _entry(row: sqlite3.Row | tuple[Any, ...]) -> ReceptionDay:
    return ReceptionDay(date.fromisoformat(row[0]), row[1], row[2], row[3], row[4])


def day_for(conn: sqlite3.Connection, day: date) -> ReceptionDay | None:
    """The plan's reception on exactly `day`, or None when no leader receives that day.
    (A day that moved for a holiday is found on the day it moved to.)"""
    row = conn.execute(
        "SELECT day, starts, ends, leader, place FROM reception_days WHERE day = ?",
        (day.isoformat(),),
    ).fetchone()
    return _entry(row) if row else None


def latest_on_or_before(conn: sqlite3.Connection, day: date) -> ReceptionDay | None:
    """The last planned reception on or before `day` (of any year), or None if there is
    none: for a case written up after the reception where it was taken."""
    row = conn.execute(
        "SELECT day, starts, ends, leader, place FROM reception_days WHERE day <= ? "
        "ORDER BY day DESC LIMIT 1",
        (day.isoformat(),),
    ).fetchone()
    return _entry(row) if row else None


def held_for(conn: sqlite3.Connection, day: date) -> ReceptionDay | None:
    """The reception of `day`, or the latest one within the week before it (a petition
    written up after the reception); None when the plan has none."""
    held = latest_on_or_before(conn, day)
    return held if held is not None and day - held.day <= RECEPTION_LOOKBACK else None


@dataclass(frozen=True)
class ShownDay:
    entry: ReceptionDay
    note: str | None  # why it moved, as planned
    off_now: str | None  # 节假日（…）/ 休息日 when the calendar now says it is not a working day
    upcoming: bool  # the next reception from today

    def as_json(self) -> dict[str, Any]:
        return {**self.entry.as_json(), "note": self.note, "off_now": self.off_now}


@dataclass(frozen=True)
class Schedule:
    years: list[int]
    rules: dict[int, str]
    days: list[ShownDay]
    warnings: list[str]


def show(conn: sqlite3.Connection, year: str | int | None = None) -> Schedule:
    """The plan of `year`; without a year, the plans of this year and the years after."""
    if year is None:
        first, last = _year_bounds(today().year)[0], "9999-12-31"
    else:
        first, last = _year_bounds(
            parse_int(year, "年份", minimum=workdays.FIRST_DAY.year, maximum=2100)
        )
    entries = [
        _entry(row)
        for row in conn.execute(
            "SELECT day, starts, ends, leader, place FROM reception_days "
            "WHERE day BETWEEN ? AND ? ORDER BY day",
            (first, last),
        )
    ]
    years = sorted({entry.day.year for entry in entries})
    metas: dict[int, dict[str, Any]] = {}
    for number in years:
        stored = settings.get(conn, _meta_key(number))
        metas[number] = stored if isinstance(stored, dict) else {}
    cal = workdays.load(conn, entries[0].day) if entries else None
    now = today()
    upcoming = next((entry.day for entry in entries if entry.day >= now), None)
    days = []
    warnings = []
    for entry in entries:
        off_now = None
        if cal is not None and not cal.is_workday(entry.day):
            off_now = _why_off(conn, entry.day)
            warnings.append(
                f"{entry.day}（{entry.leader}）按现在的工作日历是{off_now}；"
                f"请用 xinfang reception plan --year {entry.day.year} … --replace 重新编排"
            )
        note = metas[entry.day.year].get("notes", {}).get(entry.day.isoformat())
        days.append(ShownDay(entry, note, off_now, entry.day == upcoming))
    for number in years:
        known_now = cal.year_known(number) if cal is not None else False
        if not known_now:
            warnings.append(unknown_warning(number))
        elif metas[number].get("holidays_known") is False:
            warnings.append(
                f"{number} 年的日程是在该年节假日录入前编排的，现已录入；"
                f"请核对，必要时用 xinfang reception plan --year {number} … --replace 重新编排"
            )
    rules = {number: str(metas[number]["rule"]) for number in years if metas[number].get("rule")}
    return Schedule(years, rules, days, warnings)
