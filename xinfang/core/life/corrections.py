"""Correcting the course of a case: 撤销 a step entered by mistake (or 作废 a whole case
registered by mistake) and 并案 (two petitions of one matter handled as one). Like an
accounting ledger's reversing entry, nothing is edited: each appends its own event, and
the case's row is what its events, without the withdrawn ones, give (projection.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.intake.fields import later
from xinfang.core.life import joined, projection
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import events_of, find
from xinfang.core.life.states import Status
from xinfang.core.validate import clean_text, parse_int

# A later step that answers an earlier one cannot stand without it.
ANSWERS = {name: action.answered_by for name, action in ACTIONS.items() if action.answered_by}


# Steps whose record lives beside the event log too: withdrawing the event would not
# withdraw it.
KEPT = {"attach": "材料已存入案件文件夹（卷内材料），不能撤销；误加的材料请用 xinfang note 注明"}


def _label(action: str) -> str:
    return ACTIONS[action].label if action in ACTIONS else "登记"


def _main(action: str) -> bool:
    """A step of the case's life (it moves the case on), not a record beside it."""
    return action in ACTIONS and (ACTIONS[action].leads_to is not None or action == "revisit")


@dataclass(frozen=True)
class Voided:
    case_no: str
    number: int  # the step withdrawn, as `show` numbers them (1: the registration)
    label: str  # what that step was
    status: Status  # where the case stands now


def void(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    event: str | int | None = None,
    whole: bool = False,
    on: str | None = None,
    by: str | None = None,
) -> Voided:
    """撤销 the latest step (or step `event`), or with `whole` 作废 the case: a `void`
    event naming the step, and the case re-projected without it. A main case's reply,
    revisit, 公示 or 办结 stays once a case joined into it is filed with them."""
    why = clean_text(reason, "撤销理由", max_length=2_000, required=True, multiline=True)
    number = parse_int(event, "步骤", minimum=1, maximum=1_000_000) if event is not None else None
    if whole and number is not None:
        raise InvalidInput("步骤", "整件作废（--whole）不能再指定步骤")

    def build(case: Case, when: Moment) -> dict[str, Any]:
        events = events_of(conn, case.id)
        target = projection.REGISTRATION if whole else _target(case, events, number)
        step = events[target - 1]
        others = joined.members(conn, case)
        if whole and others:
            why_not = (
                f"已有 {'、'.join(others)} 并入本案；请先撤销其并案（xinfang void {others[0]}）"
            )
            raise _refused(case, why_not)
        kept = joined.filed(conn, case) if step["action"] in joined.FOLLOWED else []
        if kept:
            why_not = (
                f"并入本案的 {'、'.join(kept)} 已随本案办结归档（其并案说明载明本案的答复、"
                f"回访、办结），不能再撤销第 {target} 条「{_label(step['action'])}」"
            )
            raise _refused(case, why_not)
        if when.is_before(step["occurred_at"]):
            raise InvalidInput(
                "日期", f"撤销日期早于第 {target} 条「{_label(step['action'])}」的日期"
            )
        data = {"event": target, "action": step["action"], "reason": why}
        after = projection.project([*events, {**step, "action": "void", "data": data}])
        if not whole:
            _check_dependents(case, events, target, after)
        return data

    done = act(conn, ref, "void", on, by, build)
    data = done.data
    return Voided(done.case_no, data["event"], _label(data["action"]), done.status)


def _refused(case: Case, why: str) -> StepRefused:
    return refusal(case.number, case.status, ACTIONS["void"], why)


def _target(case: Case, events: list[dict[str, Any]], number: int | None) -> int:
    """The step to withdraw: the one named, or the latest that still counts."""
    pairs = [(e["action"], e["data"]) for e in events]
    withdrawn = projection.voided(pairs)
    whole = f"登记有误的整件作废：xinfang void {case.number} --whole --reason 理由"
    if number is None:
        live = [n for n, kept in enumerate(projection.alive(pairs), 1) if kept and n > 1]
        if not live:
            raise _refused(case, f"没有可撤销的步骤；{whole}")
        number = live[-1]
    if number > len(events):
        raise InvalidInput(
            "步骤",
            f"本案只有第 1—{len(events)} 条办理记录（xinfang show {case.number} 查看编号）",
        )
    action = events[number - 1]["action"]
    if action == projection.VOID:
        raise _refused(case, f"第 {number} 条是撤销记录，不能再撤销")
    if number in withdrawn:
        by = withdrawn[number]
        raise _refused(case, f"第 {number} 条「{_label(action)}」已由第 {by} 条撤销")
    if number == projection.REGISTRATION:
        raise _refused(case, f"登记不能单独撤销；{whole}")
    if action in KEPT:
        raise _refused(case, f"第 {number} 条「{_label(action)}」：{KEPT[action]}")
    return number


def _check_dependents(
    case: Case, events: list[dict[str, Any]], target: int, after: projection.Row
) -> None:
    """Refuse when a later step stands on the one withdrawn: a later step of the case's
    life (only the latest may go), a step the state machine would not allow without it,
    the answer to it, or a later correction of the same field."""
    step = events[target - 1]
    row: projection.Row | None = None
    counted = projection.alive([(e["action"], e["data"]) for e in events])
    for number, (event, kept) in enumerate(zip(events, counted, strict=True), 1):
        if not kept or number == target:
            continue
        action = event["action"]
        if number > target and row is not None:
            allowed = action not in ACTIONS or event["data"].get("imported")
            allowed = allowed or Status(row["status"]) in ACTIONS[action].allowed_from
            same_field = action == "correct" == step["action"]
            same_field = same_field and event["data"].get("field") == step["data"].get("field")
            if (
                not allowed
                or (_main(step["action"]) and _main(action))
                or ANSWERS.get(step["action"]) == action
                or same_field
            ):
                raise _refused(
                    case,
                    f"其后的第 {number} 条「{_label(action)}」（{event['occurred_at'][:10]}）"
                    f"以它为前提；须先撤销其后的步骤（从最后一步起：xinfang void {case.number}）",
                )
        row = projection.step(row, action, event["occurred_at"], event["data"])
    firsts = [e["occurred_at"] for e, kept in zip(events, counted, strict=True)
              if kept and e["action"] != "register"]  # fmt: skip
    if firsts and later(after["received_at"], min(firsts)):
        raise _refused(case, f"撤销后信访时间 {after['received_at']} 晚于本案已记录的步骤")


def join(
    conn: sqlite3.Connection,
    ref: str,
    *,
    into: str,
    reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """并案: the case is handled as part of `into` (the main case), whose reply, revisit
    and closing are its own; its deadlines end, both numbers stay. Returns (case number,
    main case number)."""
    why = clean_text(reason, "并案理由", max_length=2_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        main = find(conn, into)
        main_no, status = main.number, main.status
        if main.id == case.id:
            raise InvalidInput("并入", "不能并入本案自身")
        if status == Status.JOINED:
            root = joined.into(conn, main)
            root_no = root.number if root is not None else "其主案"
            raise StepRefused(
                f"{main_no} 已并入 {root_no}；请并入主案：xinfang join {case.number} --into {root_no}"
            )
        if status in (Status.REPLIED, Status.REVISITED, Status.PUBLICIZED, Status.CLOSED):
            raise StepRefused(f"主案 {main_no} 已答复，不能再并入；请单独办理本案")
        if status not in ACTIONS["join"].allowed_from:
            first = "；请先受理主案（xinfang accept）" if status == Status.REGISTERED else ""
            raise StepRefused(f"主案 {main_no} 当前状态为「{status.label}」，不能并入{first}")
        others = joined.members(conn, case)
        if others:
            why_not = f"已有 {'、'.join(others)} 并入本案，本案不能再并入他案"
            raise refusal(case.number, case.status, ACTIONS["join"], why_not)
        return {"into": main_no, "reason": why}

    done = act(conn, ref, "join", on, by, build)
    return done.case_no, done.data["into"]
