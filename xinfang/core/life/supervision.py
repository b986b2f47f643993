"""Supervision (督办, seed 000 六), leaders' instructions (领导批示) and cross-unit letters
(信访事项联系函, seed 002 附件7). Which open cases fall in the supervision scope is
suggestions.py's.

Each action is one `acting.act` call: one transaction, one event. A 督办通知 and a
联系函 each take the next number of their own yearly sequence; the supervision's due date
becomes a `supervise_due` deadline (xinfang/core/clock/deadlines.py) that the unit's answer
meets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import Moment, chinese_date, chinese_upper_date, parse_date
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.intake.numbering import formal_number, next_in_sequence
from xinfang.core.life.acting import act, done_steps, not_before
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import live_events
from xinfang.core.validate import clean_text

SUPERVISE_SEQUENCE = "supervise"
LIAISON_SEQUENCE = "liaison"


def _refused(conn: sqlite3.Connection, case: Case, action: str, why: str) -> StepRefused:
    """A side step refused for a reason of its own; the hint leaves out a notice given."""
    return refusal(case.number, case.status, ACTIONS[action], why, done_steps(conn, case))


def _events(conn: sqlite3.Connection, case_id: int, *actions: str) -> list[dict[str, Any]]:
    return [event for event in live_events(conn, case_id) if event["action"] in actions]


def unanswered(events: list[dict[str, Any]], sent: str, answer: str) -> list[dict[str, Any]]:
    """The `sent` events not yet followed by an `answer` that names their number."""
    open_ones: list[dict[str, Any]] = []
    for event in events:
        if event["action"] == sent:
            open_ones.append(event)
        elif event["action"] == answer:
            answered = set(event["data"].get("answers", []))
            open_ones = [e for e in open_ones if e["data"]["number"] not in answered]
    return open_ones


def _answered(
    conn: sqlite3.Connection, case_id: int, sent: str, answer: str
) -> list[dict[str, Any]]:
    """The `sent` events that the case's latest `answer` answered, read back once it is
    recorded."""
    events = _events(conn, case_id, sent, answer)
    numbers = set(events[-1]["data"]["answers"])
    return [e for e in unanswered(events[:-1], sent, answer) if e["data"]["number"] in numbers]


def open_supervisions(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    """The case's supervise events still waiting for the unit's answer, oldest first."""
    events = _events(conn, case_id, "supervise", "supervise-answer")
    return unanswered(events, "supervise", "supervise-answer")


def supervise_number(conn: sqlite3.Connection, data: dict[str, Any]) -> str:
    return formal_number(settings.get(conn, "supervise_prefix"), data["year"], data["number"])


def liaison_number(conn: sqlite3.Connection, data: dict[str, Any]) -> str:
    return formal_number(settings.get(conn, "liaison_prefix"), data["year"], data["number"])


# ---------------------------------------------------------------- the actions


@dataclass(frozen=True)
class Issued:
    case_no: str
    number: str  # the formal number: 临民督办字〔2026〕1号
    to: str
    due: str


def supervise(
    conn: sqlite3.Connection,
    ref: str,
    *,
    due: str,
    reason: str,
    to: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Issued:
    """督办: a 督办通知 to the handling unit (or `to`) with its own yearly number and a
    due date."""
    why = clean_text(reason, "督办事由", max_length=2_000, required=True, multiline=True)
    unit = settings.check_unit(conn, to) if to is not None else None
    due_day = parse_date(due, "督办期限", ahead=True)  # 12-14: the coming one

    def build(case: Case, when: Moment) -> dict[str, Any]:
        target = unit or case.unit
        if not target:
            raise InvalidInput(
                "被督办单位",
                f"案件 {case.number} 尚未交办，没有承办单位；请用 --to 指定被督办单位",
            )
        if due_day <= when.day:
            raise InvalidInput(
                "督办期限",
                f"{due_day.isoformat()} 必须晚于督办日期 {when.day.isoformat()}",
            )
        year = when.day.year
        number = next_in_sequence(conn, SUPERVISE_SEQUENCE, year)
        return {"due": due_day.isoformat(), "number": number, "year": year, "to": target,
                "reason": why}  # fmt: skip

    done = act(conn, ref, "supervise", on, by, build)
    number = supervise_number(conn, done.data)
    return Issued(done.case_no, number, done.data["to"], due_day.isoformat())


def supervise_answer(
    conn: sqlite3.Connection,
    ref: str,
    *,
    text: str,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, list[str]]:
    """督办回复: the supervised unit's answer; it answers every supervision of the case
    still open and meets their deadlines. Returns (case number, the notices answered)."""
    words = clean_text(text, "督办回复内容", max_length=20_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        pending = open_supervisions(conn, case.id)
        if not pending:
            raise _refused(
                conn, case, "supervise-answer", "没有待回复的督办（先用 xinfang supervise 督办）"
            )
        not_before(when, pending[-1]["occurred_at"], "督办的日期", "督办回复")
        return {
            "text": words,
            "unit": pending[-1]["data"]["to"],
            "answers": [e["data"]["number"] for e in pending],
        }

    done = act(conn, ref, "supervise-answer", on, by, build)
    answered = _answered(conn, done.case.id, "supervise", "supervise-answer")
    return done.case_no, [supervise_number(conn, event["data"]) for event in answered]


def instruct(
    conn: sqlite3.Connection,
    ref: str,
    *,
    leader: str,
    text: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """领导批示: a leader's instruction on the case, kept in its history."""
    who = clean_text(leader, "批示领导", max_length=50, required=True)
    words = clean_text(text, "批示内容", max_length=5_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"leader": who, "text": words}

    return act(conn, ref, "instruct", on, by, build).case_no


def liaise(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    matter: str,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """发联系函 to a unit or body whose duties the case touches (seed 002 附件7), with its
    own yearly number. Returns (case number, the letter's formal number)."""
    body = clean_text(to, "收函单位", max_length=200, required=True)
    words = clean_text(matter, "协调联系事项", max_length=5_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        year = when.day.year
        number = next_in_sequence(conn, LIAISON_SEQUENCE, year)
        return {"to": body, "matter": words, "number": number, "year": year}

    done = act(conn, ref, "liaise", on, by, build)
    return done.case_no, liaison_number(conn, done.data)


def liaise_answer(
    conn: sqlite3.Connection,
    ref: str,
    *,
    text: str,
    sender: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str, str]:
    """联系函回复: the answer to one letter still unanswered. With several unanswered,
    `sender` (the body that answered) says which. Returns (case number, the letter's
    formal number, who answered)."""
    words = clean_text(text, "回复内容", max_length=20_000, required=True, multiline=True)
    who = clean_text(sender, "回复单位", max_length=200)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        events = _events(conn, case.id, "liaise", "liaise-answer")
        pending = unanswered(events, "liaise", "liaise-answer")
        if not pending:
            raise _refused(
                conn, case, "liaise-answer", "没有待回复的联系函（先用 xinfang liaise 发函）"
            )
        addressees = "、".join(
            f"{e['data']['to']}（{liaison_number(conn, e['data'])}）" for e in pending
        )
        if who is None:
            if len(pending) > 1:
                raise InvalidInput(
                    "回复单位", f"有 {len(pending)} 份联系函待回复，请用 --from 指明：{addressees}"
                )
            letter = pending[0]
        else:
            matching = [e for e in pending if e["data"]["to"] == who]
            if not matching:
                raise InvalidInput("回复单位", f"“{who}”没有待回复的联系函；待回复的：{addressees}")
            letter = matching[-1]
        not_before(when, letter["occurred_at"], "联系函的日期", "联系函回复")
        return {"text": words, "from": letter["data"]["to"], "answers": [letter["data"]["number"]]}

    done = act(conn, ref, "liaise-answer", on, by, build)
    sender_of = done.data["from"]
    letters = _answered(conn, done.case.id, "liaise", "liaise-answer")
    letter = [e for e in letters if e["data"]["to"] == sender_of][-1]
    return done.case_no, liaison_number(conn, letter["data"]), sender_of


# ------------------------------------------------------------- the documents


def print_values(conn: sqlite3.Connection, events: list[dict[str, Any]]) -> dict[str, str]:
    """The 督办通知 and 联系函 placeholders, from the case's latest supervise and liaise
    events ("" when there is none). `supervise_no` is 〔2026〕1号, `supervise_prefix_no`
    临民督办字〔2026〕1号; `liaison_no` is the whole 临民联〔2026〕1号. `supervised_…` and
    `liaised_…` are the days they were issued (a reprint keeps its date)."""
    values = dict.fromkeys(
        (
            "supervise_no", "supervise_prefix_no", "supervise_due_cn", "supervise_due_upper",
            "supervise_reason", "supervise_to", "supervised_cn", "supervised_upper",
            "liaison_no", "liaison_to", "liaison_matter", "liaised_cn", "liaised_upper",
        ),
        "",
    )  # fmt: skip
    latest = {e["action"]: e for e in events if e["action"] in ("supervise", "liaise")}
    if "supervise" in latest:
        supervision = latest["supervise"]["data"]
        due = date.fromisoformat(supervision["due"])
        issued = date.fromisoformat(latest["supervise"]["occurred_at"][:10])
        values.update(
            supervise_no=formal_number("", supervision["year"], supervision["number"]),
            supervise_prefix_no=supervise_number(conn, supervision),
            supervise_due_cn=chinese_date(due),
            supervise_due_upper=chinese_upper_date(due),
            supervise_reason=supervision["reason"],
            supervise_to=supervision["to"],
            supervised_cn=chinese_date(issued),
            supervised_upper=chinese_upper_date(issued),
        )
    if "liaise" in latest:
        letter = latest["liaise"]["data"]
        sent = date.fromisoformat(latest["liaise"]["occurred_at"][:10])
        values.update(
            liaison_no=liaison_number(conn, letter),
            liaison_to=letter["to"],
            liaison_matter=letter["matter"],
            liaised_cn=chinese_date(sent),
            liaised_upper=chinese_upper_date(sent),
        )
    return values
