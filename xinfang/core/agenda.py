"""The clerk's day (`xinfang today`): what is overdue, due today and due within three
working days, case by case with the next legal step and the command to type; the
notices to print, today's reception, the case files lent out and due back; and the
month's calendar with the number of deadlines falling on each day.

Plain data: the terminal rendering is the CLI's, `--json` is `as_json()`."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from xinfang.core.clock import holidays, rules
from xinfang.core.clock.overdue import LOAN, Item, left_words, scan
from xinfang.core.intake import reception
from xinfang.core.life import lanes
from xinfang.core.life.actions import next_steps
from xinfang.core.life.case import Case
from xinfang.core.life.states import STATUS_LABELS

WITHIN = 3  # working days ahead the agenda looks
# The written notices of a decision (受理/不予受理/转送告知书), the one that fits the case.
NOTICE_DOCUMENTS = ("accept_notice", "reject_notice", "transfer_notice")
_BY_LABEL = {label: status for status, label in STATUS_LABELS.items()}
# Deadlines that count on the calendar: the office's and its units' own (not the
# petitioner's windows).
DUTIES = (
    *(name for name, stage in rules.STAGES.items() if stage.office_duty),
    *rules.FIXED_STAGES,
)


@dataclass(frozen=True)
class Deadline:
    label: str  # 答复, 回访 …
    due_on: str
    left: str  # 剩 2个工作日 / 超期 3日
    handled_by: str


@dataclass(frozen=True)
class Due:
    """A case on the agenda: its deadlines there, and what may come next."""

    case_no: str
    status: str  # its label
    urgent: bool
    petitioner: str | None  # masked: the agenda goes to a shared screen
    content: str
    deadlines: list[Deadline]
    next_steps: list[str]  # labels of the steps that may come next
    commands: list[str]  # the command for each: xinfang reply 2026-0001


@dataclass(frozen=True)
class Notice:
    case_no: str
    document: str  # 受理告知书
    due_on: str | None  # the notice's deadline
    command: str


@dataclass(frozen=True)
class CalendarDay:
    day: str
    kind: str  # 工作日 / 周末 / 节假日 / 调休上班
    deadlines: int


@dataclass(frozen=True)
class MonthView:
    first: str
    known: bool  # the year's holidays are entered (else weekends only)
    days: list[CalendarDay]
    notes: dict[str, str]


@dataclass
class Agenda:
    today: str
    within: int
    horizon: str
    overdue: list[Due] = field(default_factory=list)
    due_today: list[Due] = field(default_factory=list)
    due_soon: list[Due] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    reception: dict[str, Any] | None = None
    loans: list[Due] = field(default_factory=list)
    calendar: MonthView | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _deadline(item: Item) -> Deadline:
    left = left_words(item.days_left, item.day_unit)
    return Deadline(item.label, item.due_on, left, item.handled_by)


def _due(item: Item, untold: set[str]) -> Due:
    status = _BY_LABEL.get(item.status)
    done = () if item.case_no in untold else ("notify",)
    steps = next_steps(status, done) if status and item.stage != LOAN else []
    if item.stage == LOAN:
        labels, commands = ["归还案卷"], [f"xinfang return {item.case_no}"]
    else:
        labels = [step.label for step in steps]
        commands = [f"xinfang {step.name} {item.case_no}" for step in steps]
    return Due(
        item.case_no, item.status.split("（")[0], item.urgent, item.petitioner, item.content,
        [_deadline(item)], labels, commands,
    )  # fmt: skip


def notices_to_print(conn: sqlite3.Connection) -> list[Notice]:
    """Cases decided (受理/不予受理/转送) whose petitioner has not been told yet: the
    notice to print, then `notify` once it is handed over or sent."""
    from xinfang.core.papers import documents

    papers = [documents.find_document(key) for key in NOTICE_DOCUMENTS]
    rows = conn.execute(
        "SELECT c.*, d.due_on AS notice_due FROM deadlines d JOIN cases c ON c.id = d.case_id "
        "WHERE d.stage = 'notice' AND d.met_on IS NULL AND d.ended_by IS NULL "
        "AND c.decided_on IS NOT NULL AND c.anonymous = 0 ORDER BY d.due_on, c.year, c.seq"
    ).fetchall()
    found, lane = [], lanes.of(conn)
    for row in rows:
        case = Case.from_row(row)  # the extra notice_due is left out
        values = documents.context(conn, case)
        paper = next((p for p in papers if p.fits(values) is None), None)
        if paper is not None:
            number = lane.number_of(row)
            command = f"xinfang print {number} {paper.title}"
            found.append(Notice(number, paper.title, row["notice_due"], command))
    return found


def deadlines_per_day(conn: sqlite3.Connection, first: date, last: date) -> dict[str, int]:
    """How many open deadlines of the office and its units fall on each day (one
    grouped query on the index of open deadlines)."""
    marks = ", ".join("?" * len(DUTIES))
    return dict(
        conn.execute(
            "SELECT due_on, count(*) FROM deadlines WHERE met_on IS NULL AND ended_by IS NULL "
            f"AND due_on BETWEEN ? AND ? AND stage IN ({marks}) GROUP BY due_on",
            (first.isoformat(), last.isoformat(), *DUTIES),
        ).fetchall()
    )


def month_view(conn: sqlite3.Connection, month: str) -> MonthView:
    """The month as `calendar show` prints it: each day's kind and its deadlines."""
    view = holidays.month(conn, month)
    last = view.days[-1].day if view.days else view.first
    counts = deadlines_per_day(conn, view.first, last)
    days = [
        CalendarDay(d.day.isoformat(), d.kind, counts.get(d.day.isoformat(), 0)) for d in view.days
    ]
    notes = {day.isoformat(): note for day, note in sorted(view.notes.items())}
    return MonthView(view.first.isoformat(), view.known, days, notes)


def agenda(conn: sqlite3.Connection, as_of: date, within: int = WITHIN) -> Agenda:
    found = scan(conn, as_of, within)
    result = Agenda(found.as_of, within, found.horizon, warnings=list(found.warnings))
    # 告知 is offered while the notice's duty is open, not once the petitioner was told.
    lane = lanes.of(conn)
    untold = {
        lane.qualify(number, office)
        for number, office in conn.execute(
            f"SELECT printf('%d-%04d', c.year, c.seq), {lane.column('c')} FROM deadlines d JOIN cases c "
            "ON c.id = d.case_id WHERE d.stage = 'notice' AND d.met_on IS NULL "
            "AND d.ended_by IS NULL"
        )
    }
    # Case by case: a case is listed once, where its most pressing deadline puts it,
    # with each of its deadlines there (the scan's order: 重大紧急 first, by stage).
    cases: dict[str, Due] = {}
    section: dict[str, int] = {}
    for item in found.overdue + found.due_soon:
        if item.stage == LOAN:
            result.loans.append(_due(item, untold))
            continue
        where = 0 if item.due_on < found.as_of else 1 if item.due_on == found.as_of else 2
        if item.case_no in cases:
            cases[item.case_no].deadlines.append(_deadline(item))
            section[item.case_no] = min(section[item.case_no], where)
        else:
            cases[item.case_no], section[item.case_no] = _due(item, untold), where
    lists = (result.overdue, result.due_today, result.due_soon)
    for number, due in cases.items():
        lists[section[number]].append(due)
    result.notices = notices_to_print(conn)
    held = reception.day_for(conn, as_of)
    result.reception = held.as_json() if held else None
    result.calendar = month_view(conn, as_of.strftime("%Y-%m"))
    return result
