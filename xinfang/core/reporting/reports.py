"""The two monthly tables sent upward (seed 000): which cases belong to a period and what
each column says, as the ledger stood at the end of the period. Plain data; the
workbook is drawn by xinfang/outputs/summary.py.

- 受理情况汇总表: the cases *registered* in the period.
- 办理情况汇总表: the cases *accepted* in the period, in the state they were in at the
  period's end (or an earlier or later --as-of day).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xinfang.core.clock import deadlines
from xinfang.core.clock import rules as rulebook
from xinfang.core.clock.dates import chinese_date
from xinfang.core.clock.periods import Period
from xinfang.core.life import joined, projection
from xinfang.core.life.actions import EVENTS
from xinfang.core.life.case import Case
from xinfang.core.life.states import Status
from xinfang.core.vocabulary import COLLECTIVE, OWN_SOURCE, UNREACHABLE

ACCEPT_COLUMNS = (
    "序号", "投诉人", "联系电话", "信访来源", "投诉时间", "投诉问题", "接访人", "是否受理", "是否告知", "备注",
)  # fmt: skip
HANDLE_COLUMNS = (
    "序号", "信访来源", "投诉问题", "受理时间", "问题类型", "是否属实", "办理情况及处理结果", "是否办结", "备注",
)  # fmt: skip
FINISHED = ("closed", "archived")
VOIDED = Status.VOIDED.value  # 作废: registered by mistake, in neither table


@dataclass
class AsOf:
    """What the ledger said about a case at the end of a given day."""

    status: str = "registered"
    decision: str | None = None  # accept | reject | transfer
    decided_on: date | None = None
    decision_detail: str | None = None
    notified_on: date | None = None
    notice_method: str | None = None
    unit: str | None = None
    unit_reported: bool = False
    replied_on: date | None = None
    reply_result: str | None = None
    reply_finding: str | None = None
    reply_text: str | None = None
    round: int = 1
    extended: bool = False
    sent_back: int = 0  # 退回重办, times
    joined_into: str | None = None  # 并案: the main case's number
    notes: list[str] = field(default_factory=list)


def fold(events: list[sqlite3.Row], day: date) -> AsOf:
    """Replay a case's events up to the end of `day`."""
    state = AsOf()
    for event in events:
        when = date.fromisoformat(event["occurred_at"][:10])
        if when > day:
            break
        data: dict[str, Any] = json.loads(event["data"])
        state.status = event["status_after"]
        state.round = event["round"]
        tells = EVENTS[event["action"]].tells  # what the action changes: actions.py
        if tells is not None:
            tells(state, when, data)
    return state


def _source(case: Case) -> str:
    """信访来源 as the paper form means it: the channel, with where it came from."""
    if case.source == OWN_SOURCE:
        return case.form
    detail = f" {case.upper_ref}" if case.upper_ref else ""
    return f"{case.form}（{case.source}{detail}）"


# The events fold() reads: those that change the view or the status. The others (the
# registration's big record, notes, files) only cost time to decode: a month of 10,000
# cases spent half its time on them. They are still listed, without their data, because
# a void names the step it withdraws by its number in the case.
_CHANGING = [
    name
    for name, action in EVENTS.items()
    if action.tells is not None or (action.leads_to is not None and name != "register")
]
FOLDED = (*_CHANGING, projection.VOID)


def _events_by_case(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    """Each case's events that count (none withdrawn by a void, no void), in order."""
    grouped: dict[int, list[sqlite3.Row]] = {case_id: [] for case_id in ids}
    actions = ",".join(f"'{action}'" for action in FOLDED)
    for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters
        chunk = ids[start : start + 900]
        rows = conn.execute(
            "SELECT case_id, action, occurred_at, round, status_after, "
            f"CASE WHEN action IN ({actions}) THEN data ELSE '{{}}' END AS data FROM events "
            f"WHERE case_id IN ({','.join('?' * len(chunk))}) ORDER BY id",
            chunk,
        )
        for row in rows:
            grouped[row["case_id"]].append(row)
    for case_id, events in grouped.items():
        counted = projection.alive([(event["action"], event["data"]) for event in events])
        grouped[case_id] = [
            e for e, kept in zip(events, counted, strict=True) if kept and e["action"] in FOLDED
        ]
    return grouped


def _as_of(conn: sqlite3.Connection, cases: list[Case], day: date) -> Iterator[tuple[Case, AsOf]]:
    """Each case with its state replayed up to `day`."""
    events = _events_by_case(conn, [case.id for case in cases])
    for case in cases:
        yield case, fold(events[case.id], day)


def _remarks(case: Case, *extra: str | None) -> str:
    parts = [case.number]
    if case.persons >= COLLECTIVE:
        parts.append(f"集体访 {case.persons} 人")
    parts.extend(text for text in extra if text)
    return "；".join(parts)


def accept_rows(conn: sqlite3.Connection, period: Period, as_of: date) -> list[list[Any]]:
    """受理情况汇总表: every case registered in the period, in order of receipt."""
    cases = [
        Case.from_row(row)
        for row in conn.execute(
            "SELECT * FROM cases WHERE received_at >= ? AND received_at < date(?, '+1 day') "
            "AND status != ? ORDER BY received_at, year, seq",
            (period.first.isoformat(), period.last.isoformat(), VOIDED),
        )
    ]
    rows = []
    notice_rules: dict[
        int | None, rulebook.Rule | None
    ] = {}  # by rule version: a few for a whole ledger
    for number, (case, state) in enumerate(_as_of(conn, cases, as_of), 1):
        accepted = {"accept": "是", "reject": "否（不予受理）", "transfer": "否（转送）"}
        version = case.rule_version
        if version not in notice_rules:
            notice_rules[version] = deadlines.rules_of(conn, case).get("notice")
        if case.anonymous:
            told = "匿名，无需告知"
        elif state.notice_method == UNREACHABLE:
            told = UNREACHABLE
        elif state.notified_on:
            on = f"{state.notified_on.month}月{state.notified_on.day}日"
            decision = state.decision or rulebook.decision_of(case)
            if rulebook.notice_meets(notice_rules[version], state.notice_method, decision):
                told = f"是（{on}）"
            else:  # a phone call where the rules want it written: the duty is still open
                told = f"否（{on}{state.notice_method}，须书面告知）"
        else:
            told = "否"
        detail = None
        if state.decision == "reject":
            detail = f"告知途径：{state.decision_detail}"
        elif state.decision == "transfer":
            detail = f"转送{state.decision_detail}"
        rows.append(
            [
                number,
                "匿名" if case.anonymous else case.name,
                case.phone or "",
                _source(case),
                chinese_date(date.fromisoformat(case.received_at[:10])),
                case.content,
                case.receiver or "",
                accepted.get(state.decision or "", "待定"),
                told,
                _remarks(case, detail),
            ]
        )
    return rows


def _accepted_on(events: list[sqlite3.Row]) -> str | None:
    """When the case was accepted, by the acceptance that counts (not a voided one)."""
    return next((e["occurred_at"] for e in reversed(events) if e["action"] == "accept"), None)


def _progress(state: AsOf) -> str:
    """办理情况及处理结果, as the case stood."""
    if state.replied_on:
        # An imported reply may lack its result or its text: no "None" in the table.
        progress = "。".join(part for part in (state.reply_result, state.reply_text) if part)
        return f"交{state.unit}办理；{progress}" if state.unit else progress
    if state.unit:
        return f"已交{state.unit}办理" + ("，已报送办理情况，待答复" if state.unit_reported else "")
    return "正在办理"


def handle_rows(conn: sqlite3.Connection, period: Period, as_of: date) -> list[list[Any]]:
    """办理情况汇总表: every case accepted in the period, as it stood on `as_of`; a joined
    case (并案) as its main case stood."""
    first, last = period.first.isoformat(), period.last.isoformat()
    found = [
        Case.from_row(row)
        for row in conn.execute(
            "SELECT * FROM cases c WHERE status != ? AND EXISTS (SELECT 1 FROM events e "
            "WHERE e.case_id = c.id AND e.action = 'accept' "
            "AND e.occurred_at >= ? AND e.occurred_at < date(?, '+1 day'))",
            (VOIDED, first, last),
        )
    ]
    events = _events_by_case(conn, [case.id for case in found])
    accepted = [(at, case) for case in found if (at := _accepted_on(events[case.id]))]
    accepted = [(at, case) for at, case in accepted if first <= at[:10] <= last]
    accepted.sort(key=lambda pair: (pair[0], pair[1].year, pair[1].seq))
    rows = []
    for number, (accepted_at, case) in enumerate(accepted, 1):
        state = fold(events[case.id], as_of)
        progress, finished = _progress(state), state.status in FINISHED
        main = joined.into(conn, case) if state.joined_into else None
        if main is not None:
            main_state = fold(_events_by_case(conn, [main.id])[main.id], as_of)
            progress = f"并入 {state.joined_into} 办理；{_progress(main_state)}"
            finished = main_state.status in FINISHED
        remarks = [
            f"第 {state.round} 轮办理" if state.round > 1 else None,
            "疑难复杂，已延期" if state.extended else None,
            f"退回重办 {state.sent_back} 次" if state.sent_back else None,
        ]
        rows.append(
            [
                number,
                _source(case),
                case.content,
                chinese_date(date.fromisoformat(accepted_at[:10])),
                case.category or "",
                state.reply_finding or "",
                progress,
                "是" if finished else "否",
                _remarks(case, *remarks),
            ]
        )
    return rows
