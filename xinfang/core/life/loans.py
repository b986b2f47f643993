"""查阅/借阅登记 (seed 000 八): an archived case file is lent only with a register entry —
who, from which unit, approved by whom, when out, when due back, when returned."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang.core.clock.dates import Moment, parse_date
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.numbering import short_number
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.validate import clean_text


def _open_loan(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM loans WHERE case_id = ? AND returned_on IS NULL", (case_id,)
    ).fetchone()


def lend(
    conn: sqlite3.Connection,
    ref: str,
    *,
    borrower: str,
    unit: str,
    approved_by: str,
    due: str,
    purpose: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    who = clean_text(borrower, "借阅人", max_length=50, required=True)
    where = clean_text(unit, "借阅单位", max_length=100, required=True)
    approver = clean_text(approved_by, "批准人", max_length=50, required=True)
    why = clean_text(purpose, "借阅事由", max_length=500)
    due_day = parse_date(due, "归还期限", ahead=True)  # 12-14: the coming one

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if _open_loan(conn, case.id):
            raise refusal(case.number, case.status, ACTIONS["lend"], "案卷已借出尚未归还")
        if due_day <= when.day:
            raise InvalidInput("归还期限", f"{due_day} 必须晚于借出日期")
        data = {"borrower": who, "unit": where, "approved_by": approver, "due": due_day.isoformat()}
        return {**data, "purpose": why}

    def record(case: Case) -> None:
        conn.execute(
            "INSERT INTO loans (case_id, borrower, unit, approved_by, purpose, lent_on, due_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                case.id,
                who,
                where,
                approver,
                why,
                _day_of_last_step(conn, case),
                due_day.isoformat(),
            ),
        )

    return act(conn, ref, "lend", on, by, build, record).case_no


def _day_of_last_step(conn: sqlite3.Connection, case: Case) -> str:
    """The day of the event just recorded (a loan's lending or return)."""
    return str(
        conn.execute(
            "SELECT substr(occurred_at, 1, 10) FROM events WHERE case_id = ? ORDER BY id DESC LIMIT 1",
            (case.id,),
        ).fetchone()[0]
    )


def give_back(
    conn: sqlite3.Connection, ref: str, *, on: str | None = None, by: str | None = None
) -> str:

    def build(case: Case, when: Moment) -> dict[str, Any]:
        loan = _open_loan(conn, case.id)
        if loan is None:
            raise refusal(case.number, case.status, ACTIONS["return"], "案卷没有借出")
        return {"borrower": loan["borrower"], "unit": loan["unit"]}

    def record(case: Case) -> None:
        conn.execute(
            "UPDATE loans SET returned_on = ? WHERE case_id = ? AND returned_on IS NULL",
            (_day_of_last_step(conn, case), case.id),
        )

    return act(conn, ref, "return", on, by, build, record).case_no


@dataclass(frozen=True)
class Loan:
    case_no: str
    borrower: str
    unit: str
    approved_by: str
    purpose: str | None
    lent_on: str
    due_on: str
    returned_on: str | None

    def overdue(self, today: date) -> bool:
        return self.returned_on is None and self.due_on < today.isoformat()


def register(conn: sqlite3.Connection, *, open_only: bool = False) -> list[Loan]:
    rows = conn.execute(
        "SELECT l.*, c.year, c.seq FROM loans l JOIN cases c ON c.id = l.case_id "
        + ("WHERE l.returned_on IS NULL " if open_only else "")
        + "ORDER BY l.lent_on, l.id"
    ).fetchall()
    return [
        Loan(
            short_number(row["year"], row["seq"]),
            row["borrower"],
            row["unit"],
            row["approved_by"],
            row["purpose"],
            row["lent_on"],
            row["due_on"],
            row["returned_on"],
        )
        for row in rows
    ]
