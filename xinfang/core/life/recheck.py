"""复核 (信访工作条例 art. 36): a petitioner who does not accept the 复查意见 may ask the
upper level for a 复核 within the rule set's `recheck_request` window, counted from the
复查意见书's 送达 (delivery.py); the 复核 comes back within `recheck` days of the request
(extended up to the rule's maximum). Its decision, or no request in time, closes the
matter for good (终结, finality.py)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any, NoReturn

from xinfang.core.clock import deadlines
from xinfang.core.clock.dates import Moment, parse_date
from xinfang.core.clock.rules import UNIT_LABELS
from xinfang.core.errors import InvalidInput
from xinfang.core.life import windows
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import live_events
from xinfang.core.validate import clean_text, parse_int
from xinfang.core.vocabulary import REVIEW_OUTCOMES


def _steps(conn: sqlite3.Connection, case_id: int) -> list[tuple[str, dict[str, Any]]]:
    """The 复查 and 复核 events that count, as (action, data)."""
    return [
        (e["action"], {**e["data"], "on": e["occurred_at"][:10]})
        for e in live_events(conn, case_id)
        if e["action"] in ("review", "recheck")
    ]


def _refuse(case: Case, why: str) -> NoReturn:
    case_no = case.number
    raise refusal(case_no, case.status, ACTIONS["recheck"], why)


def _requested(steps: list[tuple[str, dict[str, Any]]]) -> bool:
    return any(data.get("recheck_requested_on") for _, data in steps)


def _decided(steps: list[tuple[str, dict[str, Any]]]) -> bool:
    # (`review --upper-outcome` recorded a 复核 the same way before `recheck` existed)
    return any(data.get("upper_outcome") for _, data in steps)


def request(
    conn: sqlite3.Connection,
    ref: str,
    *,
    requested_on: str,
    body: str | None = None,
    late_reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """The petitioner asks for a 复核; refused after the window unless a reason is given."""
    asked = parse_date(requested_on, "申请日期")
    where = clean_text(body, "复核机关", max_length=100)
    why_late = clean_text(late_reason, "逾期理由", max_length=500)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        steps = _steps(conn, case.id)
        opinion = next((d for a, d in steps if a == "review" and d.get("outcome")), None)
        if opinion is None:
            _refuse(case, "复查意见尚未作出，无从申请复核")
        if _requested(steps) or _decided(steps):
            _refuse(case, "已经申请过复核（同一事项复核一次）")
        if asked.isoformat() < opinion["on"] or asked > when.day:
            raise InvalidInput("申请日期", f"应在复查意见日期 {opinion['on']} 与今天之间")
        windows.check_in_time(conn, case, "recheck_request", asked, why_late)
        return {"recheck_requested_on": asked.isoformat(), "upper_body": where,
                "late_reason": why_late}  # fmt: skip

    return act(conn, ref, "recheck", on, by, build).case_no


def extend(
    conn: sqlite3.Connection,
    ref: str,
    *,
    days: str | int | None,
    reason: str,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """The 复核 takes longer: its deadline grows by `days` (all the rule allows when None),
    within the period. Returns (case number, the deadline's new length, in words)."""
    why = clean_text(reason, "延期理由", max_length=2_000, required=True, multiline=True)
    wanted = parse_int(days, "延期天数", minimum=1, maximum=365) if days is not None else None

    def build(case: Case, when: Moment) -> dict[str, Any]:
        row = conn.execute(
            "SELECT amount, unit, due_on FROM deadlines WHERE case_id = ? AND stage = 'recheck' "
            "AND met_on IS NULL AND amount IS NOT NULL ORDER BY round DESC LIMIT 1",
            (case.id,),
        ).fetchone()
        if row is None:
            _refuse(case, "没有未完成的复核期限可以延长")
        if row["due_on"] and row["due_on"] < when.day.isoformat():
            _refuse(case, f"复核期限已于 {row['due_on']} 届满，不能事后延期")
        rule = deadlines.rules_of(conn, case).get("recheck")
        room = deadlines.extension_room(rule, row["amount"])
        unit = UNIT_LABELS[row["unit"]]
        if room == 0 or (wanted or 0) > room:
            longest = f"最长 {row['amount'] + room}{unit}"
            raise InvalidInput("延期天数", f"复核期限{longest}，还能延长 {room}{unit}")
        return {"days": wanted or room, "reason": why}

    done = act(conn, ref, "recheck", on, by, build)
    grown = conn.execute(  # derived again from the events by now
        "SELECT amount, unit FROM deadlines WHERE case_id = ? AND stage = 'recheck' "
        "ORDER BY round DESC LIMIT 1",
        (done.case.id,),
    ).fetchone()
    return done.case_no, f"{grown['amount']}{UNIT_LABELS[grown['unit']]}"


def decide(
    conn: sqlite3.Connection,
    ref: str,
    *,
    outcome: str,
    body: str | None = None,
    text: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """The 复核意见 as it came back: the matter is closed for good (终结)."""
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput("复核结论", f"只能是 {'、'.join(REVIEW_OUTCOMES)}，不能是“{outcome}”")
    where = clean_text(body, "复核机关", max_length=100)
    opinion = clean_text(text, "复核意见", max_length=20_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        steps = _steps(conn, case.id)
        if _decided(steps):
            _refuse(case, "复核意见已经记录，事项已终结")
        if not _requested(steps):
            _refuse(case, "尚未申请复核（先用 --requested-on 登记复核申请）")
        asked = next(d["recheck_requested_on"] for _, d in steps if d.get("recheck_requested_on"))
        if when.day < date.fromisoformat(asked):
            raise InvalidInput("日期", f"复核意见日期早于复核申请日期 {asked}")
        return {"upper_outcome": outcome, "upper_body": where, "upper_text": opinion}

    return act(conn, ref, "recheck", on, by, build).case_no
