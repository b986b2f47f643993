"""The machinery every action on a case uses. One user action = one core function =
one transaction = one event: `act` checks the step against the state machine, appends the
action's event and re-projects the case's row from all its events (projection.py), or
raises and writes nothing."""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import deadlines
from xinfang.core.clock.dates import Moment, moment, now
from xinfang.core.errors import InvalidInput
from xinfang.core.life import columns, lanes, projection
from xinfang.core.life.actions import RECORDS, check_step
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find
from xinfang.core.life.states import Status
from xinfang.core.validate import clean_text
from xinfang.store.db import transaction


def actor_name(conn: sqlite3.Connection, given: str | None) -> str:
    name = given or os.environ.get("XINFANG_USER") or settings.get(conn, "clerk")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "未知"
    return clean_text(name, "经办人", max_length=50, required=True) or ""


def choice(value: str, allowed: tuple[str, ...], label: str) -> str:
    if value not in allowed:
        raise InvalidInput(label, f"“{value}”不可用；可选：{'、'.join(allowed)}")
    return value


def _last_step(conn: sqlite3.Connection, case_id: int) -> str:
    """The date of the latest main step; a step withdrawn (撤销) fixes no order."""
    rows = conn.execute(
        "SELECT action, occurred_at, CASE WHEN action = 'void' THEN data END FROM events "
        "WHERE case_id = ? ORDER BY id",
        (case_id,),
    ).fetchall()
    counts = projection.alive([(row[0], row[2]) for row in rows])
    return max(
        row[1] for row, kept in zip(rows, counts, strict=True) if kept and row[0] not in RECORDS
    )


def not_before(when: Moment, earliest: str, what: str, label: str) -> None:
    if when.is_before(earliest):
        shown = earliest[:16] if when.has_time else earliest[:10]
        raise InvalidInput("日期", f"{label}日期 {when.text[:16]} 早于{what} {shown}；请核对 --on")


def _record(
    conn: sqlite3.Connection,
    case: Case,
    action: str,
    when: Moment,
    actor: str,
    data: dict[str, Any],
) -> Status:
    """Append the action's event and re-project the case's row from its whole history
    (projection.py): the row is never written any other way. The caller holds the
    transaction. Returns where the case stands now."""
    data = {k: v for k, v in data.items() if v is not None}
    history = conn.execute(
        "SELECT action, occurred_at, data FROM events WHERE case_id = ? ORDER BY id", (case.id,)
    ).fetchall()
    row = projection.fold([*history, (action, when.text, data)])
    conn.execute(
        "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
        "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case.id,
            action,
            when.text,
            now().isoformat(sep=" "),
            actor,
            case.round,  # the round the action belongs to, even if it opens the next
            row["status"],
            json.dumps(data, ensure_ascii=False),
        ),
    )
    merged = case.origin_office is not None
    values = projection.as_stored(row, merged=merged)
    if merged:  # the county numbers its own 交办单 of a merged case
        values = tuple(
            getattr(case, key) if key in columns.ASSIGN_NUMBER else value
            for key, value in zip(columns.PROJECTED, values, strict=True)
        )
    assignments = ", ".join(f"{column} = ?" for column in columns.PROJECTED)
    conn.execute(
        f"UPDATE cases SET {assignments}, updated_at = ? WHERE id = ?",
        (*values, now().isoformat(sep=" "), case.id),
    )
    deadlines.sync(conn, case.id)
    return Status(row["status"])


@dataclass(frozen=True, slots=True)
class Acted:
    """What an action did: the case it was done to (as it stood before), the day it was
    dated, the event's data as `build` returned it, and where the case stands now."""

    case_no: str
    case: Case
    when: Moment
    data: dict[str, Any]
    status: Status


def done_steps(conn: sqlite3.Connection, case: Case) -> frozenset[str]:
    """Steps this case no longer needs, left out of a refusal's hints: the notice once its
    duty is met (not by a phone call where the rules want it written)."""
    return frozenset({"notify"}) if deadlines.notice_given(conn, case) else frozenset()


def act(
    conn: sqlite3.Connection,
    ref: str,
    action: str,
    on: str | None,
    by: str | None,
    build: Callable[[Case, Moment], dict[str, Any]],
    after: Callable[[Case], None] | None = None,
) -> Acted:
    """Run one action: `build(case, when)` checks the step against the case and returns
    the event's data, or raises StepRefused; what the event does to the case is its fold
    in projection.py, not build's to say; what the action tells its caller is in the
    returned Acted, not passed out of build;
    `after(case)` does the action's other writes (files, manifests) inside the same
    transaction, so that they and the case's state land together or not at all."""
    when = moment(on)
    actor = actor_name(conn, by)  # refused before build() touches any file
    with transaction(conn):
        case = find(conn, ref)
        case_no = lanes.shown(conn, case)  # 沙河镇/2026-0001 where the role sees others'
        step = check_step(case_no, case.status, action, done_steps(conn, case))
        if action in RECORDS:  # may precede the latest step, never the registration
            not_before(when, case.received_at, "本案登记的日期", step.label)
        else:
            not_before(when, _last_step(conn, case.id), "案件上一步的日期", step.label)
        data = build(case, when)  # the row follows from the event (projection.py)
        status = _record(conn, case, action, when, actor, data)
        if after is not None:
            after(case)
    return Acted(case_no, case, when, data, status)
