"""The petitioner's own windows to contest a written decision — 复查申请 after the
处理意见答复书, 复核申请 after the 复查意见书 — as the deadline replay counted them (one
count for every decision: the deadline's, clock/deadlines.py), and what each counts from:
the 送达 recorded (delivery.py), or the day the writing was made where none was (said so).
Reading only: `show` uses it without loading the actions."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from xinfang.core.clock import rules
from xinfang.core.clock.deadlines import unit_words
from xinfang.core.errors import InvalidInput
from xinfang.core.life.actions import DELIVERED_WINDOWS, REPLY_LETTER, REVIEW_OPINION
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import live_events

# The day each writing counts from when nobody recorded its delivery: what it is called.
MADE = {REPLY_LETTER: "答复日", REVIEW_OPINION: "复查意见作出之日"}


def latest_delivery(
    conn: sqlite3.Connection, case: Case, document: str, round_no: int
) -> dict[str, Any] | None:
    """The delivery of `document` that counts (the latest recorded) in that round."""
    found = None
    for event in live_events(conn, case.id):
        data, ours = event["data"], event["round"] == round_no
        if ours and event["action"] == "deliver" and data.get("document") == document:
            found = {**data, "on": event["occurred_at"][:10]}
    return found


def counted_from(conn: sqlite3.Connection, case: Case, stage: str, round_no: int) -> str:
    """Where the petitioner's window `stage` counts from, in words."""
    document = next(doc for doc, window in DELIVERED_WINDOWS.items() if window == stage)
    delivered = latest_delivery(conn, case, document, round_no)
    if delivered is None:
        return f"自{MADE[document]}起算（未登记送达）"
    return f"自送达之日起算（{delivered['on']} {delivered['method']}）"


def window_row(conn: sqlite3.Connection, case_id: int, stage: str) -> sqlite3.Row | None:
    """The latest round's window `stage` of a case, as the deadline replay counted it."""
    return conn.execute(
        "SELECT round, starts_on, due_on, amount, unit FROM deadlines "
        "WHERE case_id = ? AND stage = ? ORDER BY round DESC LIMIT 1",
        (case_id, stage),
    ).fetchone()


def check_in_time(
    conn: sqlite3.Connection, case: Case, stage: str, asked: date, late_reason: str | None
) -> None:
    """A request against the petitioner's window, decided by the deadline's own count (the
    one `show` prints: off holidays, in working days where the rules say so): after its
    last day it is refused unless a reason is given, and then it is late there too."""
    row = window_row(conn, case.id, stage)
    if row is None or row["due_on"] is None or asked.isoformat() <= row["due_on"] or late_reason:
        return
    label = rules.STAGES[stage].label
    since = counted_from(conn, case, stage, row["round"])
    raise InvalidInput(
        "申请日期",
        f"已超过{label}期限（{since}，{unit_words(row['unit'], row['amount'])}，"
        f"至 {row['due_on']}）；确有正当理由的，请用 --late-reason 写明",
    )
