"""Routing a case between the office and its handling units (承办单位), after 交办:

- 退回重办 (send-back): the unit's report is not good enough; the case goes back to the
  unit with a due date (the one in force while it is still ahead, or a new one).
- 改派 (reassign): the case moves to another unit with a 交办单 number of its own; the
  old unit's deadlines end and the new unit's open.
- 退单 (unit-return): the unit says the case is not its business; it goes back to the
  office (已受理) to be assigned again.
- 催办 (urge): a dated reminder to the unit; it changes nothing else.

Each is one action through acting.act: the state machine says where it may come from
(states.ACTIONS), projection.FOLDS what it does to the row, deadlines.py what it opens and ends; unit_ranking.py counts them per unit.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import Moment
from xinfang.core.clock.due import Due, parse_due
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.numbering import next_in_sequence
from xinfang.core.life.acting import act
from xinfang.core.life.case import Case
from xinfang.core.validate import clean_text, normalize_phone

DUE = "办结期限"


def responsible_person(person: str | None, phone: str | None) -> dict[str, Any]:
    """承办责任人 and their phone (seed 001 三(一)2), as the assign event keeps them."""
    name = clean_text(person, "承办责任人", max_length=50)
    if phone is not None and not name:
        raise InvalidInput("承办责任人", "给了责任人电话，请同时用 --person 写明承办责任人")
    number = None
    if phone is not None:
        try:
            number = normalize_phone(phone)
        except InvalidInput as error:  # named for this field, not the petitioner's phone
            raise InvalidInput("责任人电话", error.message.partition("：")[2]) from None
    return {"person": name, "person_phone": number}


def _wanted_due(due: str | None) -> Due | None:
    """A --due checked before anything is read or written."""
    return parse_due(due, DUE) if due is not None else None


def _due(conn: sqlite3.Connection, case: Case, when: Moment, due: Due | None, step: str) -> str:
    """The unit's due date from this step on: the one given, or the one in force while it
    is still ahead of the step."""
    if due is not None:
        wanted = due.from_day(conn, when.day).isoformat()
        if wanted <= when.day.isoformat():
            raise InvalidInput(DUE, f"{wanted} 必须晚于{step}日期")
        return wanted
    current = case.assign_due
    if current and current > when.day.isoformat():
        return current
    if current:
        raise InvalidInput(DUE, f"原办结期限 {current} 已过，请用 --due 给出新的办结期限")
    raise InvalidInput(DUE, "案件没有办结期限，请用 --due 给出")


@dataclass(frozen=True)
class Routed:
    case_no: str
    unit: str | None  # the unit the step concerns
    due: str | None = None


@dataclass(frozen=True)
class Reassigned:
    case_no: str
    from_unit: str | None
    unit: str
    due: str
    assign_year: int  # the new 交办单 number
    assign_seq: int


def send_back(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    due: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Routed:
    """退回重办: the report goes back to the unit, which reports again by the due date."""
    why = clean_text(reason, "退回理由", max_length=2_000, required=True, multiline=True)
    wanted = _wanted_due(due)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"unit": case.unit, "reason": why, "due": _due(conn, case, when, wanted, "退回")}

    done = act(conn, ref, "send-back", on, by, build)
    return Routed(done.case_no, done.data["unit"], done.data["due"])


def reassign(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    reason: str,
    due: str | None = None,
    person: str | None = None,
    phone: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Reassigned:
    """改派 to another unit, with a new 交办单 number of the year."""
    unit = settings.check_unit(conn, to)
    why = clean_text(reason, "改派理由", max_length=2_000, required=True, multiline=True)
    wanted = _wanted_due(due)
    responsible = responsible_person(person, phone)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.unit == unit:
            raise InvalidInput("承办单位", f"案件已由{unit}承办，改派须换一个单位")
        return {
            "from_unit": case.unit,
            "to": unit,
            "due": _due(conn, case, when, wanted, "改派"),
            "number": next_in_sequence(conn, "assign", when.day.year),
            "reason": why,
            **responsible,
        }

    done = act(conn, ref, "reassign", on, by, build)
    data = done.data
    return Reassigned(
        done.case_no, data["from_unit"], unit, data["due"], done.when.day.year, data["number"]
    )


def unit_return(
    conn: sqlite3.Connection, ref: str, *, reason: str, on: str | None = None, by: str | None = None
) -> Routed:
    """退单: the unit gives the case back; the office assigns it again (or replies itself)."""
    why = clean_text(reason, "退单理由", max_length=2_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"unit": case.unit, "reason": why}

    done = act(conn, ref, "unit-return", on, by, build)
    return Routed(done.case_no, done.data["unit"])


def urge(
    conn: sqlite3.Connection,
    ref: str,
    *,
    note: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Routed:
    """催办: a dated reminder to the unit holding the case (by phone, letter …)."""
    words = clean_text(note, "催办内容", max_length=2_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"unit": case.unit, "text": words}

    done = act(conn, ref, "urge", on, by, build)
    return Routed(done.case_no, done.data["unit"])
