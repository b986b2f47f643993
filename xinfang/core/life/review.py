"""复查 (信访工作条例 art. 35; seeds 000 答复书, 001 三（四）) and the 核实 of a 不满意
round (seed 002 附件5、6).

A petitioner who does not accept the written reply may ask for a 复查 within the rule
set's `review_request` window, counted from the reply's 送达 (delivery.py) by the deadline
rule; the office answers within `review` days, 维持, 撤销 or 变更 the reply, in a 复查意见书
that tells them of the 复核 (recheck.py)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any, NoReturn

from xinfang.core.clock.dates import Moment, parse_date
from xinfang.core.errors import InvalidInput
from xinfang.core.life import windows
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import live_events
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import REVIEW_OUTCOMES


def _reviews(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    return [e["data"] for e in live_events(conn, case_id) if e["action"] == "review"]


def _refuse(case: Case, why: str) -> NoReturn:
    raise refusal(case.number, case.status, ACTIONS["review"], why)


def request(
    conn: sqlite3.Connection,
    ref: str,
    *,
    requested_on: str,
    late_reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """The petitioner asks for a 复查; refused after the window unless a reason is given."""
    asked = parse_date(requested_on, "申请日期")
    why_late = clean_text(late_reason, "逾期理由", max_length=500)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if any(r.get("requested_on") for r in _reviews(conn, case.id)):
            _refuse(case, "已经申请过复查（同一事项复查一次）")
        if not case.replied_on:
            _refuse(case, "尚无书面答复，无从复查")
        replied = date.fromisoformat(case.replied_on[:10])
        if asked < replied or asked > when.day:
            raise InvalidInput("申请日期", f"应在答复日期 {replied} 与今天之间")
        windows.check_in_time(conn, case, "review_request", asked, why_late)
        return {"requested_on": asked.isoformat(), "late_reason": why_late}

    return act(conn, ref, "review", on, by, build).case_no


def decide(
    conn: sqlite3.Connection,
    ref: str,
    *,
    outcome: str,
    text: str,
    recheck_body: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """The office's 复查意见: 维持, 撤销 or 变更 the reply, with the reasons; `recheck_body`
    names where a 复核 may be asked for (the 复查意见书 says so)."""
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput("复查结论", f"只能是 {'、'.join(REVIEW_OUTCOMES)}，不能是“{outcome}”")
    opinion = clean_text(text, "复查意见", max_length=20_000, required=True, multiline=True)
    body = clean_text(recheck_body, "复核机关", max_length=100)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        reviews = _reviews(conn, case.id)
        if not any(r.get("requested_on") for r in reviews):
            _refuse(case, "尚未申请复查")
        if any(r.get("outcome") for r in reviews):
            _refuse(case, "复查意见已经作出")
        return {"outcome": outcome, "text": opinion, "recheck_body": body}

    return act(conn, ref, "review", on, by, build).case_no


def reexamine(
    conn: sqlite3.Connection,
    ref: str,
    *,
    examiner: str,
    findings: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """核实: after a 不满意 revisit, who re-examined the matter and what was found."""
    who = clean_text(examiner, "核实人", max_length=50, required=True)
    found = clean_text(findings, "核实情况", max_length=20_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.round < 2:
            case_no = case.number
            why = "没有不满意的回访，无需核实"
            raise refusal(case_no, case.status, ACTIONS["reexamine"], why)
        return {"examiner": who, "findings": found}

    return act(conn, ref, "reexamine", on, by, build).case_no
