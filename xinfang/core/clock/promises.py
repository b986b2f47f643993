"""The dates a step has just fixed, as the clerk should read them before a paper goes out:
the reply date an accept promises, the dates an assign gives the unit. A date counted
over a year whose holidays nobody has told us yet is said to be so; an assign's due date
on a day off, or before the unit even has to say whether it takes the case, is pointed
out (a warning: the clerk may mean it)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from xinfang.core.clock import rules, workdays
from xinfang.core.clock.deadlines import unit_words
from xinfang.core.life.ledger import find

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True)
class Provisional:
    """A due date that may move once the year's holidays are entered."""

    label: str
    due_on: str
    counted: bool  # counted by the rules; False: the clerk's own date (交办单)
    years: tuple[int, ...]

    @property
    def note(self) -> str:
        years = "、".join(f"{year}年" for year in self.years)
        if self.counted:
            return f"（按周末估算，{years}节假日未公布）"
        return f"（{years}节假日未公布，无法核对是否节假日）"


def provisional(conn: sqlite3.Connection, ref: str, stages: tuple[str, ...]) -> list[Provisional]:
    """The case's open deadlines of these stages (its latest round of each) whose count
    crosses a year with unknown holidays."""
    case = find(conn, ref)
    rows = conn.execute(
        "SELECT stage, starts_on, due_on, amount FROM deadlines d WHERE case_id = ? "
        "AND met_on IS NULL AND provisional = 1 AND due_on IS NOT NULL "
        f"AND stage IN ({','.join('?' * len(stages))}) AND round = "
        "(SELECT max(round) FROM deadlines WHERE case_id = d.case_id AND stage = d.stage) "
        "ORDER BY due_on",
        (case.id, *stages),
    ).fetchall()
    if not rows:
        return []
    cal = workdays.load(conn, min(date.fromisoformat(row["starts_on"]) for row in rows))
    return [
        Provisional(
            (rules.STAGES.get(row["stage"]) or rules.FIXED_STAGES[row["stage"]]).label,
            row["due_on"],
            row["amount"] is not None,
            tuple(
                cal.unknown_years(
                    date.fromisoformat(row["starts_on"]), date.fromisoformat(row["due_on"])
                )
            ),
        )
        for row in rows
    ]


def assign_warnings(conn: sqlite3.Connection, ref: str) -> list[str]:
    """What looks wrong about the due date the case was just assigned with."""
    case = find(conn, ref)
    if case.assign_due is None:
        return []
    due = date.fromisoformat(case.assign_due)
    warnings = []
    (day,) = workdays.month_days(conn, due, due)
    if not day.workday:
        kind = "节假日" if day.kind == "节假日" else WEEKDAYS[due.weekday()]
        warnings.append(
            f"办结期限 {due} 是{kind}（休息日）；如需改期，可用 xinfang void "
            f"{ref} --reason … 撤销本次交办后重新交办"
        )
    accept = conn.execute(
        "SELECT due_on, amount, unit FROM deadlines WHERE case_id = ? AND stage = 'unit_accept' "
        "AND met_on IS NULL AND due_on IS NOT NULL ORDER BY round DESC LIMIT 1",
        (case.id,),
    ).fetchone()
    if accept and due.isoformat() < accept["due_on"]:
        warnings.append(
            f"办结期限 {due} 早于承办单位的受理期限 {accept['due_on']}"
            f"（交办后 {unit_words(accept['unit'], accept['amount'])}），请核对"
        )
    return warnings
