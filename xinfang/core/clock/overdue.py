"""Reading deadlines: a case's own, with days left, and the morning scan of every open
deadline in the ledger (one indexed query; the working-day arithmetic is a subtraction
on the precomputed calendar)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xinfang.core.clock import moves, rules, workdays
from xinfang.core.clock.dates import today
from xinfang.core.clock.deadlines import (
    days_left,
    late_by_one_at_least,
    open_on,
    resync_open,
    unit_words,
)
from xinfang.core.clock.rules import WORKDAY
from xinfang.core.clock.workdays import WorkCalendar
from xinfang.core.intake.numbering import short_number
from xinfang.core.life.states import Status
from xinfang.core.vocabulary import OWN_UNIT
from xinfang.store.db import transaction

UNIT_WORDS = {True: "个工作日", False: "日"}  # a working-day deadline, a calendar-day one
# Deadlines that fall on the handling unit rather than on the office itself.
UNIT_STAGES = ("unit_accept", "assign_due", "supervise_due")
LOAN = "loan"  # an archived case file lent out and due back
STAGE_ORDER = {name: i for i, name in enumerate([*rules.STAGES, *rules.FIXED_STAGES, LOAN])}


def left_words(left: int, day_unit: str) -> str:
    """How the days left read wherever a deadline is listed: 剩 2个工作日 / 超期 3日."""
    return f"超期 {-left}{day_unit}" if left < 0 else f"剩 {left}{day_unit}"


# The petitioner's own windows (复查申请, 复核申请) as they stand: theirs to use, so never
# 超期 — a window is open (剩 N 日), used (已申请), or passed (已过).
WINDOW_WORDS = {"met": "已申请", "met_late": "逾期申请", "passed": "已过", "paused": "暂停计时"}


def window_words(state: str, left: int | None, day_unit: str) -> str:
    return WINDOW_WORDS.get(state) or left_words(max(left or 0, 0), day_unit)


def _label(stage: str) -> str:
    if stage == LOAN:
        return "案卷借阅归还"
    return (rules.STAGES.get(stage) or rules.FIXED_STAGES[stage]).label


def case_deadlines(
    conn: sqlite3.Connection, case_id: int, today: date, cal: WorkCalendar
) -> list[dict[str, Any]]:
    """Every deadline of one case, open or met, as `show` prints and `--json` gives it."""
    rows = conn.execute(  # stage breaks ties as SQLite's key order did: the same on PostgreSQL
        "SELECT * FROM deadlines WHERE case_id = ? ORDER BY starts_on, round, stage", (case_id,)
    ).fetchall()
    result = []
    for row in rows:
        due = date.fromisoformat(row["due_on"]) if row["due_on"] else None
        met = date.fromisoformat(row["met_on"]) if row["met_on"] else None
        duty = rules.STAGES[row["stage"]].office_duty if row["stage"] in rules.STAGES else True
        if row["ended_by"]:  # 并案 or 归档 ended it: not met
            state = "ended"
        elif met:
            state = "met" if due is None or met <= due else "met_late"
        elif due is None:
            state = "paused"
        elif due < today:  # the petitioner's window has passed: nobody is late for it
            state = "overdue" if duty else "passed"
        else:
            state = "open"
        result.append(
            {
                "stage": row["stage"],
                "label": _label(row["stage"]),
                "round": row["round"],
                "starts_on": row["starts_on"],
                "rule": unit_words(row["unit"], row["amount"]),
                "unit": row["unit"] or "date",
                "due_on": row["due_on"],
                "met_on": row["met_on"],
                "ended_by": row["ended_by"],  # join | archive, with state "ended"
                "state": state,
                "days_left": days_left(row["unit"], due, today, cal) if due and not met else None,
                "paused_days": row["paused_days"],
                "provisional": bool(row["provisional"]),
                "office_duty": duty,
            }
        )
    return result


@dataclass(slots=True)
class Item:
    case_no: str
    stage: str
    label: str
    round: int
    handled_by: str
    due_on: str
    days_left: int
    day_unit: str
    provisional: bool
    petitioner: str | None
    content: str
    status: str
    urgent: bool = False  # 重大紧急: listed first

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # flat: no deep copy


@dataclass
class Scan:
    as_of: str
    within: int
    horizon: str
    overdue: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def refresh_calendar_if_stale(conn: sqlite3.Connection) -> moves.Changes | None:
    """chinese-calendar upgraded or the table behind the clock: rebuild it and recount
    the open deadlines that depended on it. Returns what that moved, None if nothing
    was done."""
    if not workdays.is_stale(conn):
        return None
    with transaction(conn):
        if not workdays.is_stale(conn):  # another process has done it meanwhile
            return None
        watch = moves.Watch(conn, date.min)
        workdays.rebuild(conn)
        resync_open(conn, workdays.load(conn))
        return watch.changes()


def scan(conn: sqlite3.Connection, as_of: date, within: int) -> Scan:
    """Every open deadline of the office or its units that is past (已超期) or due within
    `within` working days (即将到期), 重大紧急 cases first, grouped by stage and handling
    unit, oldest first.
    As of a past day: what was open then (met later counts as not yet met)."""
    from xinfang.core import privacy

    refreshed = refresh_calendar_if_stale(conn)
    cal = workdays.load(conn)
    horizon = cal.add_workdays(as_of, within)
    duties = [name for name, stage in rules.STAGES.items() if stage.office_duty]
    duties += list(rules.FIXED_STAGES)
    # Today (or later) nothing is met after the day: the same question, asked of the
    # partial index on the open deadlines the morning check relies on.
    past = as_of < today()
    still_open = open_on("d", ":day") if past else "d.met_on IS NULL"
    on_loan = "l.lent_on <= :day AND (l.returned_on IS NULL OR l.returned_on > :day)"
    # Working days left are a subtraction of the calendar's running counts, done in SQL:
    # at a million cases the scan returns tens of thousands of rows. (Sorted below.)
    rows = conn.execute(
        "SELECT d.stage, d.round, d.due_on, d.unit, d.provisional, "
        "printf('%d-%04d', c.year, c.seq), c.name, c.anonymous, c.unit, c.content, c.status, "
        "c.phone, c.id_number, c.address, c.urgent, "
        "CASE WHEN d.unit = :workday THEN due.workdays_so_far - now.workdays_so_far "
        "ELSE CAST(julianday(d.due_on) - julianday(:day) AS INTEGER) END "
        "FROM deadlines d JOIN cases c ON c.id = d.case_id "
        "LEFT JOIN calendar due ON due.day = d.due_on LEFT JOIN calendar now ON now.day = :day "
        f"WHERE {still_open} AND d.due_on <= :horizon AND d.stage IN "
        f"({','.join(f':s{n}' for n in range(len(duties)))})",
        {
            "workday": WORKDAY,
            "day": as_of.isoformat(),
            "horizon": horizon.isoformat(),
            **{f"s{n}": stage for n, stage in enumerate(duties)},
        },
    ).fetchall()
    result = Scan(as_of.isoformat(), within, horizon.isoformat())
    labels = {status.value: status.label for status in Status}
    stage_labels = {stage: _label(stage) for stage in duties}  # once, not per row
    cutoff = as_of.isoformat()
    # The list goes to a shared screen and, from cron, by mail: never a name, phone, ID
    # number or address, not even inside the 反映问题 text. (Not the values a 更正 replaced:
    # finding them costs an events lookup per line; the numbers are caught by their shape.)
    for stage, round_, due_on, unit, provisional, case_no, name, anonymous, handling_unit, \
            content, status, phone, id_number, address, urgent, left in rows:  # fmt: skip
        handled_by = handling_unit if stage in UNIT_STAGES else OWN_UNIT
        if stage == "reply" and handling_unit:
            handled_by = handling_unit
        if left is None:  # a day past the calendar table: counted the slow way
            left = days_left(unit, date.fromisoformat(due_on), as_of, cal)
        left = late_by_one_at_least(left, due_on < cutoff)
        item = Item(
            case_no, stage, stage_labels[stage], round_, handled_by or OWN_UNIT, due_on, left,
            UNIT_WORDS[unit == WORKDAY], bool(provisional),
            "（匿名）" if anonymous else privacy.mask_name(name),
            privacy.Identity(name, address, phone, id_number).scrub(content),
            labels[status], bool(urgent),
        )  # fmt: skip
        (result.overdue if due_on < cutoff else result.due_soon).append(item)
    for loan in conn.execute(
        "SELECT l.*, c.year, c.seq, c.content, c.status, c.name, c.phone, c.id_number, c.address "
        "FROM loans l JOIN cases c ON c.id = l.case_id "
        f"WHERE {on_loan if past else 'l.returned_on IS NULL'} AND l.due_on <= :horizon "
        "ORDER BY l.due_on",
        {"day": as_of.isoformat(), "horizon": horizon.isoformat()},
    ):
        due = date.fromisoformat(loan["due_on"])
        item = Item(
            case_no=short_number(loan["year"], loan["seq"]),
            stage=LOAN,
            label=_label(LOAN),
            round=1,
            handled_by=loan["unit"],
            due_on=loan["due_on"],
            days_left=(due - as_of).days,
            day_unit="日",
            provisional=False,
            petitioner=f"借阅人 {loan['borrower']}",
            content=privacy.Identity.of(loan).scrub(loan["content"]),
            status=Status(loan["status"]).label,
        )
        (result.overdue if due < as_of else result.due_soon).append(item)
    # 重大紧急 cases first; then units in the office's own order (config unit), the
    # office itself first.
    positions = {
        name: n
        for n, (name,) in enumerate(conn.execute("SELECT name FROM units ORDER BY position"), 1)
    }
    positions[OWN_UNIT] = 0
    for items in (result.overdue, result.due_soon):
        items.sort(
            key=lambda i: (
                not i.urgent, STAGE_ORDER[i.stage], positions.get(i.handled_by, len(positions)),
                i.handled_by, i.due_on, len(i.case_no), i.case_no,  # 2026-9999 before 2026-10000
            )
        )  # fmt: skip
    if refreshed and refreshed.lines():
        result.warnings += [
            "工作日历已按新版 chinese-calendar 重建，随之改变的：",
            *refreshed.lines(),
        ]
    warning = workdays.next_year_warning(cal, as_of)
    if warning:
        result.warnings.append(warning)
    if any(item.provisional for item in result.overdue + result.due_soon):
        result.warnings.append("标注“按周末估算”的期限跨入节假日尚未录入的年份，日期可能变化。")
    return result
