"""Reading the 并案 links (corrections.join): the case a joined one is handled in, and the
cases joined into a main one. Looked up when read, from the live `join` events, so a
voided join undoes the link and the main case's progress is always its current one. A
joined case stays joined once its own folder is archived (归档 after the main case's
办结, archiving.py): the link is still what its file and the main case's show."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from xinfang.core.clock.dates import chinese_date
from xinfang.core.intake.numbering import parse_case_number, short_number
from xinfang.core.life import lanes, projection
from xinfang.core.life.case import Case
from xinfang.core.life.states import Status

# Where a joined case may stand: following its main case, or filed after it.
JOINED_OR_FILED = (Status.JOINED.value, Status.ARCHIVED.value)


def _number(case: Case) -> str:
    """The number the case's own ledger gave it: a town's number for a merged case, which
    is what the town's join events name."""
    return case.origin_no or case.number


def join_event(conn: sqlite3.Connection, case: Case) -> dict[str, Any] | None:
    """The live `join` event of a joined (or joined, then archived) case: its day and
    data; None when the case is not joined."""
    if case.status not in JOINED_OR_FILED:
        return None
    rows = conn.execute(
        "SELECT action, occurred_at, data FROM events WHERE case_id = ? ORDER BY id",
        (case.id,),
    ).fetchall()
    pairs = [(row["action"], row["data"]) for row in rows]
    live = [row for row, kept in zip(rows, projection.alive(pairs), strict=True)
            if kept and row["action"] == "join"]  # fmt: skip
    if not live:
        return None
    return {"occurred_at": live[-1]["occurred_at"], "data": json.loads(live[-1]["data"])}


def into(conn: sqlite3.Connection, case: Case) -> Case | None:
    """The main case a joined case is handled in (None: the case is not joined)."""
    event = join_event(conn, case)
    if event is None:
        return None
    year, seq = parse_case_number(event["data"]["into"])
    if case.origin_office is not None:  # a town's case at the county: the town's number
        row = conn.execute(
            "SELECT * FROM cases WHERE origin_office = ? AND origin_no = ?",
            (case.origin_office, short_number(year, seq)),
        ).fetchone()
    else:  # the number of a case of its own office
        row = lanes.beside(conn, case.id, year, seq)
    return None if row is None else Case.from_row(row)


# The main case's steps a joined case follows: its 并案说明 tells them (statement()).
FOLLOWED = ("reply", "revisit", "publicize", "close")


def members(conn: sqlite3.Connection, case: Case) -> list[str]:
    """The numbers of the cases joined into this one, in order."""
    return [member.number for member in _members(conn, case)]


def filed(conn: sqlite3.Connection, case: Case) -> list[str]:
    """The numbers of the cases joined into this one and archived since, with the main
    case's steps in their file."""
    return [member.number for member in _members(conn, case) if member.status == Status.ARCHIVED]


def _members(conn: sqlite3.Connection, case: Case) -> list[Case]:
    found = conn.execute(
        "SELECT DISTINCT c.* FROM cases c JOIN events e ON e.case_id = c.id "
        "WHERE c.status IN (?, ?) AND e.action = 'join' AND json_extract(e.data, '$.into') = ? "
        "AND c.origin_office IS ? ORDER BY c.year, c.seq",
        (*JOINED_OR_FILED, _number(case), case.origin_office),
    ).fetchall()
    return [
        other
        for other in map(Case.from_row, found)
        if (main := into(conn, other)) is not None and main.id == case.id
    ]


def _cn(day: str | None) -> str:
    return chinese_date(date.fromisoformat(day[:10])) if day else ""


def statement(conn: sqlite3.Connection, case: Case, main: Case) -> tuple[str, ...]:
    """The 并案说明 filed in the joined case's folder, one paragraph a line: when and why
    it was joined, and the main case's reply, revisit and closing, which are its own.
    Only dates and results of the main case: its petitioner is another person."""
    event = join_event(conn, case)
    assert event is not None, "a joined case has its join"
    main_no = main.number
    lines = [
        f"本案（{case.number}）于{_cn(event['occurred_at'])}并入{main_no}号信访事项办理，"
        "两个编号都保留。"
    ]
    if event["data"].get("reason"):
        lines.append(f"并案理由：{str(event['data']['reason']).rstrip('。；，.;, ')}。")
    lines.append("本案的答复、回访、办结随主案，不另行答复、回访、办结：")
    if main.replied_on:
        lines.append(f"主案于{_cn(main.replied_on)}答复（{main.reply_result}）；")
    if main.revisited_on:
        lines.append(f"主案于{_cn(main.revisited_on)}回访（{main.satisfaction}）；")
    if main.publicized_on:
        lines.append(f"主案于{_cn(main.publicized_on)}公示；")
    lines.append(f"主案于{_cn(main.closed_on)}办结。")
    if main.archived_on:
        lines.append(f"主案已于{_cn(main.archived_on)}归档（主案卷 {main_no}）。")
    else:
        lines.append(f"主案的答复书、结案审批表、回访表见主案卷 {main_no}。")
    return tuple(lines)
