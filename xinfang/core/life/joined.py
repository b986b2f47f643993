"""Reading the 并案 links (corrections.join): the case a joined one is handled in, and the
cases joined into a main one. Looked up when read, from the live `join` events, so a
voided join undoes the link and the main case's progress is always its current one."""

from __future__ import annotations

import json
import sqlite3

from xinfang.core.intake.numbering import parse_case_number, short_number
from xinfang.core.life import projection
from xinfang.core.life.states import Status


def _number(case: sqlite3.Row) -> str:
    """The number the case's own ledger gave it: a town's number for a merged case, which
    is what the town's join events name."""
    return str(case["origin_no"] or short_number(case["year"], case["seq"]))


def into(conn: sqlite3.Connection, case: sqlite3.Row) -> sqlite3.Row | None:
    """The main case a joined case is handled in (None: the case is not joined)."""
    if case["status"] != Status.JOINED:
        return None
    rows = conn.execute(
        "SELECT action, data FROM events WHERE case_id = ? ORDER BY id", (case["id"],)
    ).fetchall()
    pairs = [(row["action"], row["data"]) for row in rows]
    live = [data for (action, data), kept in zip(pairs, projection.alive(pairs), strict=True)
            if kept and action == "join"]  # fmt: skip
    if not live:
        return None
    year, seq = parse_case_number(json.loads(live[-1])["into"])
    if case["origin_office"] is not None:  # a town's case at the county: the town's number
        return conn.execute(
            "SELECT * FROM cases WHERE origin_office = ? AND origin_no = ?",
            (case["origin_office"], short_number(year, seq)),
        ).fetchone()
    return conn.execute("SELECT * FROM cases WHERE year = ? AND seq = ?", (year, seq)).fetchone()


def members(conn: sqlite3.Connection, case: sqlite3.Row) -> list[str]:
    """The numbers of the cases joined into this one, in order."""
    found = conn.execute(
        "SELECT DISTINCT c.* FROM cases c JOIN events e ON e.case_id = c.id "
        "WHERE c.status = ? AND e.action = 'join' AND json_extract(e.data, '$.into') = ? "
        "AND c.origin_office IS ? ORDER BY c.year, c.seq",
        (Status.JOINED.value, _number(case), case["origin_office"]),
    ).fetchall()
    return [
        short_number(row["year"], row["seq"])
        for row in found
        if (main := into(conn, row)) is not None and main["id"] == case["id"]
    ]
