"""登记: a new case, its number and its first event (the registration)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xinfang.core.clock import rules
from xinfang.core.clock.dates import moment, now
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.fields import FIELDS_BY_KEY, REGISTRATION_FIELDS, check_record, clean_value
from xinfang.core.intake.numbering import next_in_sequence, short_number
from xinfang.core.intake.repeats import Match, decide, find_earlier, to_confirm
from xinfang.core.life.acting import _record, actor_name
from xinfang.core.life.case import Case
from xinfang.core.life.states import Status
from xinfang.core.vocabulary import RECEPTION_SOURCE
from xinfang.store.db import transaction


@dataclass(frozen=True)
class Registered:
    case_no: str
    repeats: list[Match]  # earlier cases that look like the same matter, most recent first
    linked_to: Match | None  # the one the new case was linked to (None: a new matter)


def register(
    conn: sqlite3.Connection,
    values: dict[str, Any],
    *,
    on: str | None = None,
    by: str | None = None,
    force: bool = False,
    link_repeats: bool = True,
    link_to: str | None = None,
    ask: Callable[[list[Match]], str | None] | None = None,
    urgent: bool = False,
) -> Registered:
    """登记: validate every field, take the next number of the year, look for earlier
    petitions of the same matter, write case + event. Linked as a repeat (repeats.decide):
    to `link_to`, else to the same petitioner's latest unless the clerk says it is a new
    matter; `ask(candidates)` may name one of the similar cases (the clerk at a terminal).
    `urgent`: 重大紧急 from the start, its report due the same day (urgency.py)."""
    unknown = set(values) - set(FIELDS_BY_KEY)
    if unknown:
        raise InvalidInput("字段", f"未知字段：{'、'.join(sorted(unknown))}")
    received = values.get("received_at") or on
    if values.get("source") == RECEPTION_SOURCE:
        values, received = _from_reception_plan(conn, values, received)
    when = moment(received, "信访时间")
    record = {
        field.key: clean_value(conn, field, values.get(field.key), force=force)
        for field in REGISTRATION_FIELDS
        if field.key != "received_at"
    }
    record["anonymous"] = bool(record.get("anonymous"))
    record["persons"] = record.get("persons") or 1
    record["received_at"] = when.text
    check_record(record)
    actor = actor_name(conn, by)
    if ask is not None and link_to is None and link_repeats:  # asked before the write lock
        candidates = to_confirm(find_earlier(conn, record, when.day))
        link_to = ask(candidates) if candidates else None
    with transaction(conn):
        matches = find_earlier(conn, record, when.day)
        link = decide(conn, matches, when, link_to=link_to, automatic=link_repeats)
        seq = next_in_sequence(conn, "case", when.day.year)
        columns = {
            **record,
            "year": when.day.year,
            "seq": seq,
            "status": Status.REGISTERED.value,
            "round": 1,
            "rule_version": rules.current_version(conn),
            "repeat_of": link.root if link else None,
            "updated_at": now().isoformat(sep=" "),
        }
        case_id = conn.execute(
            f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(columns.values()),
        ).lastrowid
        case = Case.from_row(
            conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        )
        data = {k: v for k, v in record.items() if v not in (None, False)}
        if urgent:
            data["urgent"] = True
        if link:
            data["repeat_of"] = link.case_no
            data["repeat_reasons"] = list(link.reasons)
            data["during_handling"] = link.being_handled
        _record(conn, case, "register", when, actor, data)
    return Registered(short_number(when.day.year, seq), matches, link)


def _from_reception_plan(
    conn: sqlite3.Connection, values: dict[str, Any], received: str | None
) -> tuple[dict[str, Any], str | None]:
    """A 领导接访 case takes the leader (as 接访人) and the day from the reception plan:
    the reception of that day, or the latest one within the week before it."""
    from xinfang.core.intake import reception

    day = moment(received, "信访时间").day
    plan = reception.held_for(conn, day)
    if plan is None:
        return values, received
    values = {**values, "receiver": values.get("receiver") or plan.leader}
    return values, received or f"{plan.day.isoformat()} {plan.starts}"
