"""What a change of the holiday calendar moved: the open deadlines whose due day is now
another, and the 受理告知书 already given whose promised reply date is no longer the
right one (the clerk may need to tell the petitioner). Taken before the change and
compared after it, inside the same transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from xinfang.core.clock import rules
from xinfang.core.intake.numbering import short_number
from xinfang.core.life.case import Case

# The open deadlines a recount may move (as resync_open picks them).
_OPEN = (
    "SELECT d.case_id, d.stage, d.round, d.due_on, c.year, c.seq FROM deadlines d "
    "JOIN cases c ON c.id = d.case_id WHERE d.met_on IS NULL AND d.due_on IS NOT NULL "
    "AND (d.provisional = 1 OR d.due_on >= ?)"
)
# Cases told of their acceptance whose reply is still to come.
_TOLD = (
    "SELECT c.* FROM cases c WHERE c.notified_on IS NOT NULL AND EXISTS (SELECT 1 FROM "
    "deadlines d WHERE d.case_id = c.id AND d.stage = 'reply' AND d.met_on IS NULL "
    "AND (d.provisional = 1 OR d.due_on >= ?))"
)


@dataclass(frozen=True)
class Moved:
    case_no: str
    label: str
    before: date
    after: date

    @property
    def days(self) -> int:
        """Calendar days later (negative: earlier)."""
        return (self.after - self.before).days

    def line(self) -> str:
        way = "推后" if self.days > 0 else "提前"
        return f"{self.case_no}  {self.label}  {self.before} → {self.after}（{way} {abs(self.days)} 天）"


@dataclass(frozen=True)
class Promise:
    """A 受理告知书 given on `notified_on` that says `promised`; the date is now `now`."""

    case_no: str
    notified_on: str
    promised: str
    now: str

    def line(self) -> str:
        return (
            f"{self.case_no}  {self.notified_on} 告知，"
            f"告知书写的是 {self.promised}，现应为 {self.now}"
        )


@dataclass(frozen=True)
class Changes:
    moved: list[Moved]
    promises: list[Promise]

    def lines(self) -> list[str]:
        """What the clerk is told, heading and one indented line each."""
        said = []
        if self.moved:
            said.append(f"期限有变化的未完成事项 {len(self.moved)} 项：")
            said += [f"  {moved.line()}" for moved in self.moved]
        if self.promises:
            said.append(
                f"已发出的受理告知书中答复期限与现在不同的 {len(self.promises)} 件，"
                "可能需要告知信访人："
            )
            said += [f"  {promise.line()}" for promise in self.promises]
        return said


def _promised(conn: sqlite3.Connection, since: date) -> dict[int, tuple[str, str, str]]:
    """The reply date each given 受理告知书 carries, as the document itself computes it."""
    from xinfang.core.papers import documents  # only when the calendar changes

    notice = documents.BY_KEY["accept_notice"]
    found: dict[int, tuple[str, str, str]] = {}
    for row in conn.execute(_TOLD, (since.isoformat(),)).fetchall():
        case = Case.from_row(row)
        values = documents.context(conn, case)
        if notice.fits(values) is None and values["reply_due_cn"] and case.notified_on:
            found[case.id] = (values["case_no"], case.notified_on, values["reply_due_cn"])
    return found


class Watch:
    """Before the change: what is due when. `changes()` after it says what moved."""

    def __init__(self, conn: sqlite3.Connection, since: date) -> None:
        self.conn, self.since = conn, since
        self.due = {
            (row[0], row[1], row[2]): (row[3], short_number(row[4], row[5]))
            for row in conn.execute(_OPEN, (since.isoformat(),))
        }
        self.promised = _promised(conn, since)

    def changes(self) -> Changes:
        moved = []
        for case_id, stage, round_no, due_on in self.conn.execute(
            "SELECT case_id, stage, round, due_on FROM deadlines "
            "WHERE met_on IS NULL AND due_on IS NOT NULL"
        ):
            before = self.due.get((case_id, stage, round_no))
            if before is not None and before[0] != due_on:
                stage_of = rules.STAGES.get(stage) or rules.FIXED_STAGES[stage]
                moved.append(
                    Moved(
                        before[1],
                        stage_of.label + (f"（第{round_no}轮）" if round_no > 1 else ""),
                        date.fromisoformat(before[0]),
                        date.fromisoformat(due_on),
                    )
                )
        now = _promised(self.conn, self.since)
        promises = [
            Promise(case_no, notified_on, promised, now[case_id][2])
            for case_id, (case_no, notified_on, promised) in self.promised.items()
            if case_id in now and now[case_id][2] != promised
        ]
        moved.sort(key=lambda m: (m.before, len(m.case_no), m.case_no))
        promises.sort(key=lambda p: (len(p.case_no), p.case_no))
        return Changes(moved, promises)
