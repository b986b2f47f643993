"""Looking a case up by its number, and reading its event log: all that reading commands
need, without the actions (and their imports) of `cases`."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from xinfang.core.errors import NotFound
from xinfang.core.intake.numbering import short_number
from xinfang.core.life import lanes, projection
from xinfang.core.life.case import Case


def find(conn: sqlite3.Connection, ref: str) -> Case:
    """The case of a number as the clerk types it (on the county's ledger perhaps with its
    office, `沙河镇/2026-0001`: lanes.py)."""
    row = lanes.resolve(conn, ref)
    if row is None:
        office, (year, seq) = lanes.split(conn, ref)
        named = f"{lanes.of(conn).names[office]}{lanes.SEPARATOR}" if office else ""
        raise NotFound(f"没有编号为 {named}{short_number(year, seq)} 的案件。")
    return Case.from_row(row)


EVENT_COLUMNS = "id, case_id, action, occurred_at, recorded_at, actor, round, status_after, data"


def events_of(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(  # named: the county's rows carry their office too, which is not history
        f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY id", (case_id,)
    ).fetchall()
    return [{**dict(row), "data": json.loads(row["data"])} for row in rows]


def live_events(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    """The events that count: none withdrawn by a void (撤销), and no void."""
    events = events_of(conn, case_id)
    counted = projection.alive([(event["action"], event["data"]) for event in events])
    return [event for event, kept in zip(events, counted, strict=True) if kept]
