"""送达: the day a written decision the petitioner may contest (the 处理意见答复书, the
复查意见书) reached them, and how (直接送达, 邮寄, 电子送达, 公告), with its 送达回执 kept
among the case's materials. Their window to contest it (复查申请, 复核申请) counts from
that day — "自收到书面答复之日起" (seed 001 四(四); 条例 art. 35–36) — and from the day the
writing was made where the office recorded no delivery, which is said wherever the window
is shown or decides a request. The count itself is the deadline's (actions.deliver)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput
from xinfang.core.life import windows
from xinfang.core.life.acting import act, choice
from xinfang.core.life.actions import (
    ACTIONS,
    DELIVERED_WINDOWS,
    REPLY_LETTER,
    REVIEW_OPINION,
    refusal,
)
from xinfang.core.life.case import Case
from xinfang.core.life.files import Incoming
from xinfang.core.life.ledger import find, live_events
from xinfang.core.vocabulary import DELIVERY_METHODS, RECEIPTS


@dataclass(frozen=True)
class Delivered:
    case_no: str
    document: str
    day: str
    due_on: str | None  # the last day of the petitioner's window it opened


def written(conn: sqlite3.Connection, case: Case) -> dict[str, str]:
    """The writings of the case's current round the petitioner may contest -> the day each
    was made: the reply standing now, and the 复查意见 once it is made."""
    made = {REPLY_LETTER: case.replied_on[:10]} if case.replied_on else {}
    for event in live_events(conn, case.id):
        if event["action"] == "review" and event["data"].get("outcome"):
            made[REVIEW_OPINION] = event["occurred_at"][:10]
    return made


def deliver(
    conn: sqlite3.Connection,
    ref: str,
    *,
    method: str,
    document: str | None = None,
    receipt: Path | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Delivered:
    """送达: record that the writing (by default the latest one the petitioner may
    contest) reached them on `on`, with its receipt as an attachment."""
    choice(method, DELIVERY_METHODS, "送达方式")
    if document is not None:
        choice(document, tuple(DELIVERED_WINDOWS), "送达文书")
    incoming = Incoming(conn, receipt, kind=RECEIPTS, title=None) if receipt else None
    done: dict[str, str] = {}

    def build(case: Case, when: Moment) -> dict[str, Any]:
        made = written(conn, case)
        what = document or (list(made)[-1] if made else REPLY_LETTER)
        if what not in made:
            why = "尚无书面答复，无从送达" if what == REPLY_LETTER else "复查意见尚未作出，无从送达"
            case_no = case.number
            raise refusal(case_no, case.status, ACTIONS["deliver"], why)
        if when.day.isoformat() < made[what]:
            raise InvalidInput("日期", f"送达日期 {when.day} 早于{what}的日期 {made[what]}")
        done.update(document=what, day=when.day.isoformat())
        data: dict[str, Any] = {"document": what, "method": method}
        if incoming is not None:
            incoming.title = f"{RECEIPTS}（{what}）"
            kept = incoming.copy(case)
            data.update(receipt=kept["file"], sha256=kept["sha256"])
        return data

    if incoming is not None:
        case_no = incoming.bring(ref, "deliver", on, by, build)
    else:
        case_no = act(conn, ref, "deliver", on, by, build).case_no
    stage = DELIVERED_WINDOWS[done["document"]]
    window = windows.window_row(conn, find(conn, case_no).id, stage)
    due = window["due_on"] if window else None
    return Delivered(case_no, done["document"], done["day"], due)
