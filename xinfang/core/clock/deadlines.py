"""Every deadline of every case, derived from its event history under the rules it was
registered with, and kept in the `deadlines` table so that the overdue scan is one
indexed query.

Counting rules (DOMAIN.md; the legal ones):
- The day of the triggering event is day zero and is not counted.
- A working-day deadline counts only working days (holiday calendar with 调休).
- A calendar-day deadline whose last day is a holiday or weekend moves to the next
  working day.
- A deadline of 0 days (当日: 立即报告) is due the day of the event itself, a weekend or
  holiday included.
- A pause (听证, 鉴定: 条例 art. 36) stops the clock: the days between pause and resume
  are not counted (working days for a working-day deadline, days for the others), and a
  deadline whose clock is stopped has no due date until the case is resumed.
- A deadline that crosses a year whose holidays nobody knows is *provisional*: counted
  weekends-only, and said so wherever it is shown.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xinfang.core.clock import rules as rulebook
from xinfang.core.clock import workdays
from xinfang.core.clock.rules import WORKDAY, Rule, RuleSet
from xinfang.core.clock.workdays import WorkCalendar
from xinfang.core.life import projection
from xinfang.core.life.actions import EVENTS
from xinfang.core.life.case import Case
from xinfang.core.life.states import Status


@dataclass
class Deadline:
    stage: str
    round: int
    starts_on: date
    amount: int | None  # None: a date set by the clerk
    unit: str | None
    fixed_due: date | None = None
    met_on: date | None = None
    due_on: date | None = None
    paused_days: int = 0
    provisional: bool = False
    pauses: list[tuple[date, date | None]] = field(default_factory=list)
    # join | archive: ended on met_on, not met; assumed: met on a day the old ledger never
    # recorded (an imported step's `date_assumed`), so neither on time nor late.
    ended_by: str | None = None

    @property
    def label(self) -> str:
        stage = rulebook.STAGES.get(self.stage) or rulebook.FIXED_STAGES[self.stage]
        return stage.label


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


class _Replay:
    """Walks a case's events in order, opening and meeting its deadlines as each
    action's declaration says (actions.Clock)."""

    def __init__(self, case: Case, rules: RuleSet) -> None:
        self.case = case
        self.rules = rules
        self.anonymous = case.anonymous
        self.deadlines: dict[tuple[str, int], Deadline] = {}
        self.extra: dict[tuple[str, int], int] = {}
        self.pauses: list[list[date | None]] = []
        self.supervisions = 0
        self.imported: set[tuple[str, int]] = set()  # opened by the imported history
        self.current: set[tuple[str, int]] = set()  # opened by its last imported step
        self.closed_on_import = False
        self.historical = False  # imported with --closed-before: its history owes nothing

    def open(self, stage: str, round_no: int, start: date, fixed_due: date | None = None) -> None:
        if fixed_due is not None:
            self.deadlines[(stage, round_no)] = Deadline(
                stage, round_no, start, None, None, fixed_due
            )
            return
        rule = self.rules.get(stage)
        if rule is not None:
            self.deadlines[(stage, round_no)] = Deadline(
                stage, round_no, start, rule.amount, rule.unit
            )

    def meet(self, stage: str, round_no: int | None, day: date) -> None:
        for (name, number), deadline in self.deadlines.items():
            if name == stage and (round_no is None or number == round_no) and not deadline.met_on:
                deadline.met_on = day

    def drop(self, stage: str, round_no: int) -> None:
        self.deadlines.pop((stage, round_no), None)

    def end_all(self, day: date, by: str) -> None:
        for deadline in self.deadlines.values():
            if not deadline.met_on and _office_duty(deadline.stage):  # theirs run on
                deadline.met_on, deadline.ended_by = day, by

    def restart(self, stage: str, round_no: int, start: date) -> None:
        """The deadline counts from a later day (送达); whatever met it stays met."""
        before = self.deadlines.get((stage, round_no))
        self.open(stage, round_no, start)
        after = self.deadlines.get((stage, round_no))
        if before is not None and after is not None:
            after.met_on = before.met_on

    def supervise(self, day: date, due: date) -> None:
        self.supervisions += 1
        self.open("supervise_due", self.supervisions, day, fixed_due=due)

    def pause(self, day: date) -> None:
        self.pauses.append([day, None])

    def resume(self, day: date) -> None:
        if self.pauses:
            self.pauses[-1][1] = day

    def extend(self, stage: str, round_no: int, days: int) -> None:
        key = (stage, round_no)
        self.extra[key] = self.extra.get(key, 0) + days

    def event(self, action: str, day: date, round_no: int, data: dict[str, Any]) -> None:
        """What the action does to the deadlines is its declaration's (actions.py)."""
        times = EVENTS[action].times
        if times is not None:
            times(self, day, round_no, data)

    def told(self, notice: Mapping[str, Any]) -> bool:
        """Does this notice meet the duty? Not a phone call where the rules want it
        written (书面告知); an unreachable petitioner's, with the reason, does."""
        return rulebook.notice_meets(
            self.rules.get("notice"), notice.get("notice_method"), rulebook.decision_of(self.case)
        )

    def history(self, action: str, opened: set[tuple[str, int]], assumed: bool) -> None:
        """An imported step: its deadlines are the old ledger's history. One on an assumed
        day opened none, yet the case went past the step it was waiting for."""
        self.imported |= opened
        closes = EVENTS[action].leads_to is Status.CLOSED
        if opened or closes or (assumed and not EVENTS[action].side):  # a note moves nothing
            self.current = opened
            self.closed_on_import = closes

    def assumed(self, before: set[tuple[str, int]], met: set[tuple[str, int]]) -> None:
        """A step on a day the old ledger never recorded (`date_assumed`) opens nothing,
        and what it meets is ended on that day, never judged on time or late."""
        for key in set(self.deadlines) - before:
            del self.deadlines[key]
        for key, deadline in self.deadlines.items():
            if deadline.met_on and key not in met and deadline.ended_by is None:
                deadline.ended_by = ASSUMED

    def end_of_history(self) -> None:
        """What the old ledger never recorded (a notice, a revisit of a case it had closed)
        is not today's duty: of the office's deadlines only that of the step an imported
        case was waiting for stays, none if it was closed (the petitioner's own windows
        stay). Without this, importing years of cases would fill the morning check with
        their history. A historical import (--closed-before) keeps none, theirs neither."""
        keep = set() if self.closed_on_import or self.historical else self.current
        for key in self.imported - keep:
            deadline = self.deadlines.get(key)
            if deadline and not deadline.met_on and (self.historical or _office_duty(key[0])):
                del self.deadlines[key]
        self.imported = set()


ASSUMED = "assumed"  # Deadline.ended_by of one met on an assumed day


def _office_duty(stage: str) -> bool:
    """The office's (or its unit's) deadline, not the petitioner's window (复查申请)."""
    return stage not in rulebook.STAGES or rulebook.STAGES[stage].office_duty


def derive(
    case: Case, events: list[sqlite3.Row], rules: RuleSet, cal: WorkCalendar
) -> list[Deadline]:
    replay = _Replay(case, rules)
    pairs = [(event["action"], event["data"] or "{}") for event in events]
    if projection.REGISTRATION in projection.voided(pairs):
        return []  # 作废: a registration made by mistake owes nobody anything
    for event, counts in zip(events, projection.alive(pairs), strict=True):
        if not counts:  # 撤销: as if never entered
            continue
        data = json.loads(event["data"]) if event["data"] else {}
        imported = bool(data.get("imported") or data.get("imported_from"))
        replay.historical = replay.historical or bool(data.get("historical"))
        if replay.imported and not imported:
            replay.end_of_history()
        before = set(replay.deadlines)
        met = {key for key, deadline in replay.deadlines.items() if deadline.met_on}
        replay.event(event["action"], _day(event["occurred_at"]), event["round"], data)
        assumed = imported and bool(data.get("date_assumed"))
        if assumed:
            replay.assumed(before, met)
        if imported:
            replay.history(event["action"], set(replay.deadlines) - before, assumed)
    if replay.imported:
        replay.end_of_history()
    pauses = [(start, end) for start, end in replay.pauses if start is not None]
    for key, deadline in replay.deadlines.items():
        if deadline.amount is not None:
            deadline.amount += replay.extra.get(key, 0)
        _compute_due(deadline, pauses, cal)
    return list(replay.deadlines.values())


def _compute_due(
    deadline: Deadline, pauses: list[tuple[date, date | None]], cal: WorkCalendar
) -> None:
    """A pause covers the days from the pause day up to the day before the resume: those
    are not counted. The count is kept in the deadline's own unit: working days for a
    working-day deadline, days for the others (added to the period's own last day, before
    it is moved off a holiday)."""
    start = deadline.starts_on
    # A deadline opened while the clock was stopped starts counting at the resume.
    for paused, resumed in pauses:
        if paused <= start and (resumed is None or start < resumed):
            if resumed is None:
                deadline.due_on = None
                return
            deadline.paused_days += _stopped(deadline, start, resumed, cal)
            start = resumed
    shift = 0
    due = _count(deadline, start, shift, cal)
    for paused, resumed in pauses:
        if not (start < paused <= due) or (deadline.met_on and deadline.met_on <= paused):
            continue
        if resumed is None:
            deadline.due_on = None
            return
        stopped = _stopped(deadline, paused, resumed, cal)
        deadline.paused_days += stopped
        shift += stopped
        due = _count(deadline, start, shift, cal)
    deadline.due_on = due
    deadline.provisional = bool(cal.unknown_years(deadline.starts_on, due))


def _stopped(deadline: Deadline, paused: date, resumed: date, cal: WorkCalendar) -> int:
    """Days in [paused, resumed) in the deadline's unit."""
    if deadline.unit == WORKDAY:
        return cal.workdays_between(paused - timedelta(days=1), resumed - timedelta(days=1))
    return (resumed - paused).days


def _count(deadline: Deadline, start: date, shift: int, cal: WorkCalendar) -> date:
    """The due date from `start`, with `shift` stopped days added in the deadline's unit."""
    if deadline.fixed_due is not None:
        moved = deadline.fixed_due + (start - deadline.starts_on) + timedelta(days=shift)
        return moved if moved == deadline.fixed_due else cal.next_workday(moved)
    assert deadline.amount is not None
    if deadline.amount + shift == 0:
        return start  # 当日 (立即): that very day, a Saturday too, never moved to Monday
    if deadline.unit == WORKDAY:
        return cal.add_workdays(start, deadline.amount + shift)
    return cal.add_days(start, deadline.amount + shift)


def rules_of(conn: sqlite3.Connection, case: Case) -> RuleSet:
    assert case.rule_version is not None, "a case is registered under the rules of its day"
    return rulebook.version_rules(conn, case.rule_version)


def notice_given(conn: sqlite3.Connection, case: Case) -> bool:
    """Is the case's notice duty met: anonymous, or told in a way its rules accept (a
    phone call is recorded but is no 书面告知)?"""
    if case.anonymous:
        return True
    rule = rules_of(conn, case).get("notice")
    decision = rulebook.decision_of(case)
    return bool(case.notified_on) and rulebook.notice_meets(rule, case.notice_method, decision)


def sync(conn: sqlite3.Connection, case_id: int, cal: WorkCalendar | None = None) -> list[Deadline]:
    """Re-derive one case's deadlines and store them; inside the action's transaction.
    Without a calendar, the days from the case's first event on are loaded."""
    case = Case.from_row(conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone())
    events = conn.execute(
        "SELECT action, occurred_at, round, data FROM events WHERE case_id = ? ORDER BY id",
        (case_id,),
    ).fetchall()
    if cal is None:
        known = [case.received_at, case.posted_at, *(e["occurred_at"] for e in events)]
        earliest = min(_day(text) for text in known if text)
        # A week before: a pause counts from the day before it (case paused on day one).
        cal = workdays.load(conn, earliest - timedelta(days=7))
    deadlines = derive(case, events, rules_of(conn, case), cal)
    conn.execute("DELETE FROM deadlines WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO deadlines (case_id, stage, round, starts_on, amount, unit, due_on, met_on, "
        "paused_days, provisional, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                case_id,
                d.stage,
                d.round,
                d.starts_on.isoformat(),
                d.amount,
                d.unit,
                d.due_on.isoformat() if d.due_on else None,
                d.met_on.isoformat() if d.met_on else None,
                d.paused_days,
                int(d.provisional),
                d.ended_by,
            )
            for d in deadlines
        ],
    )
    return deadlines


def resync_open(conn: sqlite3.Connection, cal: WorkCalendar, since: date | None = None) -> int:
    """After the calendar changed: re-derive every case with a provisional deadline (met
    or not: 按期 figures depend on it) or an open one reaching past `since`. Returns how
    many cases were touched."""
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT case_id FROM deadlines WHERE provisional = 1 "
            "OR (met_on IS NULL AND (due_on IS NULL OR due_on >= ?))",
            ((since or date.min).isoformat(),),
        )
    ]
    for case_id in ids:
        sync(conn, case_id, cal)
    return len(ids)


@dataclass(frozen=True)
class Shift:
    """How far restarting a case's clock moved one of its open deadlines."""

    label: str
    days: int  # in the deadline's own unit
    unit: str  # 个工作日 | 日
    due_on: str


def stopped_days(conn: sqlite3.Connection, case_id: int) -> dict[tuple[str, int], int]:
    """The days each open deadline of a case has left uncounted so far."""
    rows = conn.execute(
        "SELECT stage, round, paused_days FROM deadlines WHERE case_id = ? AND met_on IS NULL",
        (case_id,),
    )
    return {(stage, round_no): days for stage, round_no, days in rows}


def shifts(
    conn: sqlite3.Connection, case_id: int, before: dict[tuple[str, int], int]
) -> list[Shift]:
    """The open deadlines that leave more days uncounted than `before` (stopped_days
    taken before the clock restarted): by how many, in their own unit, and to when."""
    rows = conn.execute(
        "SELECT stage, round, unit, paused_days, due_on FROM deadlines "
        "WHERE case_id = ? AND met_on IS NULL AND due_on IS NOT NULL ORDER BY due_on, stage",
        (case_id,),
    ).fetchall()
    return [
        Shift(
            (rulebook.STAGES.get(stage) or rulebook.FIXED_STAGES[stage]).label,
            days - before.get((stage, round_no), 0),
            rulebook.UNIT_LABELS.get(unit or rulebook.DAY, "日"),
            due_on,
        )
        for stage, round_no, unit, days, due_on in rows
        if days > before.get((stage, round_no), 0)
    ]


def open_on(alias: str, day: str) -> str:
    """SQL: the deadline `alias` was open at the end of `day` (a parameter): opened by then
    and not met by then. The table holds each deadline as its whole history made it; this
    reads it as of a past day (a reply made on 10-07 leaves it open on 09-29)."""
    return f"({alias}.starts_on <= {day} AND ({alias}.met_on IS NULL OR {alias}.met_on > {day}))"


def extension_room(rule: Rule | None, current: int) -> int:
    """How many more days the rule allows beyond `current`."""
    if rule is None or rule.maximum is None:
        return 0
    return max(rule.maximum - current, 0)


def days_left(deadline_unit: str | None, due: date, today: date, cal: WorkCalendar) -> int:
    """Working days left for a working-day deadline, calendar days otherwise; 0 = due
    today, negative = overdue by that many."""
    if deadline_unit == WORKDAY:
        return late_by_one_at_least(cal.workdays_between(today, due), due < today)
    return (due - today).days


def late_by_one_at_least(left: int, past_due: bool) -> int:
    """A deadline past its due day is late by one day at least: a working-day deadline
    due on Friday has no working day behind it on Saturday, yet it reads 超期 1个工作日
    then (and on Monday), never 剩 0个工作日."""
    return min(left, -1) if past_due else left


def unit_words(unit: str | None, amount: int | None) -> str:
    if amount is None or unit is None:
        return "指定日期"
    return rulebook.length(amount, unit)
