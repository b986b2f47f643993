"""A case's clock: 暂停计时 and 恢复计时 (听证, 鉴定: the days between are not counted,
条例 art. 36) and 延期 (more days for an open deadline, or 疑难复杂: the rule set's
maximum). The deadlines themselves are clock/deadlines.py's. Each public function is one
user action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from xinfang.core.clock import deadlines, rules
from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find
from xinfang.core.validate import clean_text, parse_int


def pause(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """Stop the case's clock (听证, 鉴定: not counted, 条例 art. 36)."""
    why = clean_text(reason, "暂停理由", max_length=2_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.paused_since:
            why_not = f"已于 {case.paused_since} 暂停计时"
            raise refusal(case.number, case.status, ACTIONS["pause"], why_not)
        return {"reason": why}

    return act(conn, ref, "pause", on, by, build).case_no


def resume(
    conn: sqlite3.Connection, ref: str, *, on: str | None = None, by: str | None = None
) -> tuple[str, int, list[deadlines.Shift]]:
    """Restart the clock; returns (case number, days paused, how far each open deadline
    moved)."""
    before = deadlines.stopped_days(conn, find(conn, ref).id)  # what the pause has held

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if not case.paused_since:
            raise refusal(case.number, case.status, ACTIONS["resume"], "未暂停计时")
        return {"paused_days": (when.day - date.fromisoformat(case.paused_since)).days}

    done = act(conn, ref, "resume", on, by, build)
    moved = deadlines.shifts(conn, done.case.id, before)
    return done.case_no, done.data["paused_days"], moved


def extend(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    days: str | int | None = None,
    stage: str = "reply",
    approved_by: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """延期: add days to an open deadline, or with no days mark the case 疑难复杂 and give
    it the rule set's maximum. Returns (case number, the deadline's new length, in words)."""
    key = rules.find_stage(stage)
    why = clean_text(reason, "延期理由", max_length=2_000, required=True, multiline=True)
    wanted = parse_int(days, "延期天数", minimum=1, maximum=365) if days is not None else None
    approver = clean_text(approved_by, "批准人", max_length=50)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        row = conn.execute(
            "SELECT amount, unit, round, due_on FROM deadlines WHERE case_id = ? AND stage = ? "
            "AND met_on IS NULL AND amount IS NOT NULL ORDER BY round DESC LIMIT 1",
            (case.id, key),
        ).fetchone()
        label = rules.STAGES[key].label
        if row is None:
            why_not = f"没有未到期的{label}期限可以延长"
            raise refusal(case.number, case.status, ACTIONS["extend"], why_not)
        if row["due_on"] and row["due_on"] < when.day.isoformat():
            # 条例 art. 34: an extension is approved within the period, not after it.
            why_not = f"{label}期限已于 {row['due_on']} 届满，不能事后延期"
            raise refusal(case.number, case.status, ACTIONS["extend"], why_not)
        rule = deadlines.rules_of(conn, case).get(key)
        room = deadlines.extension_room(rule, row["amount"])
        unit = rules.UNIT_LABELS[row["unit"]]
        if room == 0:
            raise InvalidInput("延期", f"{label}期限已是最长的 {row['amount']}{unit}，不能再延长")
        add = room if wanted is None else wanted
        if add > room:
            raise InvalidInput(
                "延期天数",
                f"{label}期限最长 {row['amount'] + room}{unit}，最多还能延长 {room}{unit}",
            )
        data = {"stage": key, "days": add, "reason": why, "complex": wanted is None}
        return {**data, "approved_by": approver}

    done = act(conn, ref, "extend", on, by, build)
    extended = conn.execute(  # as the deadline replay now counts it
        "SELECT unit, amount FROM deadlines WHERE case_id = ? AND stage = ? "
        "AND amount IS NOT NULL ORDER BY round DESC LIMIT 1",
        (done.case.id, key),
    ).fetchone()
    return done.case_no, deadlines.unit_words(extended["unit"], extended["amount"])
