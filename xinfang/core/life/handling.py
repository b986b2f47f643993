"""The handling of an accepted case: 交办 to a unit, the unit's 受理 and its report
(办理情况), and the office's reply (答复) to the petitioner. Sending a report back,
moving a case to another unit and a unit's 退单 are routing.py's. Each public function is
one user action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import Moment
from xinfang.core.clock.due import parse_due
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.numbering import next_in_sequence
from xinfang.core.life import urgency
from xinfang.core.life.acting import act, choice
from xinfang.core.life.case import Case
from xinfang.core.life.routing import responsible_person
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import FINDINGS, REPLY_RESULTS


def assign(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    due: str,
    person: str | None = None,
    phone: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, int, int]:
    """交办 to a township or department with a due date and its own yearly 交办单 number,
    naming the unit's 承办责任人 if known. Returns (case number, 交办 year, 交办 number)."""
    unit = settings.check_unit(conn, to)
    wanted = parse_due(due, "办结期限")
    responsible = responsible_person(person, phone)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        due_day = wanted.from_day(conn, when.day)
        if due_day <= when.day:
            raise InvalidInput("办结期限", f"{due_day.isoformat()} 必须晚于交办日期")
        number = next_in_sequence(conn, "assign", when.day.year)
        return {"to": unit, "due": due_day.isoformat(), "number": number, **responsible}

    done = act(conn, ref, "assign", on, by, build)
    return done.case_no, done.when.day.year, done.data["number"]


def unit_accept(
    conn: sqlite3.Connection, ref: str, *, on: str | None = None, by: str | None = None
) -> str:
    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"unit": case.unit}

    return act(conn, ref, "unit-accept", on, by, build).case_no


def unit_report(
    conn: sqlite3.Connection,
    ref: str,
    *,
    text: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    report = clean_text(text, "办理情况", max_length=20_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"unit": case.unit, "text": report}

    return act(conn, ref, "unit-report", on, by, build).case_no


def reply(
    conn: sqlite3.Connection,
    ref: str,
    *,
    result: str,
    finding: str,
    text: str,
    approved_by: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """答复; a 网络舆情 reply names the leader who approved it (urgency.approval)."""
    data = {
        "result": choice(result, REPLY_RESULTS, "答复结果"),
        "finding": choice(finding, FINDINGS, "是否属实"),
        "text": clean_text(text, "答复内容", max_length=20_000, required=True, multiline=True),
    }

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {**data, "approved_by": urgency.approval(case, approved_by)}

    return act(conn, ref, "reply", on, by, build).case_no
