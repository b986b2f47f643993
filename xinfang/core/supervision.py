"""Supervision (督办, seed 000 六), leaders' instructions (领导批示) and cross-unit letters
(信访事项联系函, seed 002 附件7), and the list of open cases that fall in the
supervision scope.

Each action is one `acting.act` call: one transaction, one event. A 督办通知 and a
联系函 each take the next number of their own yearly sequence; the supervision's due date
becomes a `supervise_due` deadline (xinfang/core/deadlines.py) that the unit's answer
meets."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xinfang.core import projection, settings
from xinfang.core.acting import act, not_before
from xinfang.core.dates import Moment, chinese_date, chinese_upper_date, parse_date
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.ledger import live_events
from xinfang.core.numbering import formal_number, next_in_sequence, short_number
from xinfang.core.states import ACTIONS, OPEN_STATUSES, Status, refusal
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import (
    COLLECTIVE,
    REPEAT_WINDOW_DAYS,
    TREND_DAYS,
    TREND_MINIMUM,
    TREND_WINDOWS,
    UPPER_SOURCE,
)

SUPERVISE_SEQUENCE = "supervise"
LIAISON_SEQUENCE = "liaison"


def _case_no(case: sqlite3.Row) -> str:
    return short_number(case["year"], case["seq"])


def _refused(case: sqlite3.Row, action: str, why: str) -> StepRefused:
    """A side step refused for a reason of its own; the hint leaves out a notice given."""
    noticed = case["notified_on"] or case["anonymous"]
    done = frozenset({"notify"}) if noticed else frozenset()
    return refusal(_case_no(case), Status(case["status"]), ACTIONS[action], why, done)


def _events(conn: sqlite3.Connection, case_id: int, *actions: str) -> list[dict[str, Any]]:
    return [event for event in live_events(conn, case_id) if event["action"] in actions]


def _unanswered(events: list[dict[str, Any]], sent: str, answer: str) -> list[dict[str, Any]]:
    """The `sent` events not yet followed by an `answer` that names their number."""
    open_ones: list[dict[str, Any]] = []
    for event in events:
        if event["action"] == sent:
            open_ones.append(event)
        elif event["action"] == answer:
            answered = set(event["data"].get("answers", []))
            open_ones = [e for e in open_ones if e["data"]["number"] not in answered]
    return open_ones


def open_supervisions(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    """The case's supervise events still waiting for the unit's answer, oldest first."""
    events = _events(conn, case_id, "supervise", "supervise-answer")
    return _unanswered(events, "supervise", "supervise-answer")


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
    due_day = parse_date(due, "督办期限")
    taken: dict[str, str] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        target = unit or case["unit"]
        if not target:
            raise InvalidInput(
                "被督办单位",
                f"案件 {_case_no(case)} 尚未交办，没有承办单位；请用 --to 指定被督办单位",
            )
        if due_day <= when.day:
            raise InvalidInput(
                "督办期限",
                f"{due_day.isoformat()} 必须晚于督办日期 {when.day.isoformat()}",
            )
        year = when.day.year
        number = next_in_sequence(conn, SUPERVISE_SEQUENCE, year)
        data = {"due": due_day.isoformat(), "number": number, "year": year}
        taken.update(number=supervise_number(conn, data), to=target)
        return {**data, "to": target, "reason": why}

    case_no = act(conn, ref, "supervise", on, by, build)
    return Issued(case_no, taken["number"], taken["to"], due_day.isoformat())


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
    answered: list[str] = []

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        pending = open_supervisions(conn, case["id"])
        if not pending:
            raise _refused(
                case, "supervise-answer", "没有待回复的督办（先用 xinfang supervise 督办）"
            )
        not_before(when, pending[-1]["occurred_at"], "督办的日期", "督办回复")
        answered.extend(supervise_number(conn, e["data"]) for e in pending)
        data = {
            "text": words,
            "unit": pending[-1]["data"]["to"],
            "answers": [e["data"]["number"] for e in pending],
        }
        return data

    case_no = act(conn, ref, "supervise-answer", on, by, build)
    return case_no, answered


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

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        return {"leader": who, "text": words}

    return act(conn, ref, "instruct", on, by, build)


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
    taken: dict[str, str] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        year = when.day.year
        data = {"number": next_in_sequence(conn, LIAISON_SEQUENCE, year), "year": year}
        taken["formal"] = liaison_number(conn, data)
        return {"to": body, "matter": words, **data}

    case_no = act(conn, ref, "liaise", on, by, build)
    return case_no, taken["formal"]


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
    found: dict[str, str] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        events = _events(conn, case["id"], "liaise", "liaise-answer")
        pending = _unanswered(events, "liaise", "liaise-answer")
        if not pending:
            raise _refused(case, "liaise-answer", "没有待回复的联系函（先用 xinfang liaise 发函）")
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
        found["number"] = liaison_number(conn, letter["data"])
        found["from"] = letter["data"]["to"]
        data = {"text": words, "from": found["from"], "answers": [letter["data"]["number"]]}
        return data

    case_no = act(conn, ref, "liaise-answer", on, by, build)
    return case_no, found["number"], found["from"]


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


# ------------------------------------------------------------ the suggestions


@dataclass
class Reason:
    kind: str  # 上级交办, 领导批示, 人大代表反映 …
    text: str  # the whole reason, in Chinese
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Suggestion:
    case_no: str
    status: str
    status_label: str
    received_on: str
    category: str | None
    content: str
    reasons: list[Reason]
    supervised: dict[str, Any] | None  # the open supervision, if any

    def as_json(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no,
            "status": self.status,
            "status_label": self.status_label,
            "received_on": self.received_on,
            "category": self.category,
            "content": self.content,
            "reasons": [{"kind": r.kind, "text": r.text, **r.detail} for r in self.reasons],
            "supervised": self.supervised,
        }


@dataclass
class Trend:
    category: str
    recent: int  # cases in the TREND_DAYS ending on the as-of day
    earlier: list[int]  # the TREND_WINDOWS windows before it, most recent first
    windows: list[tuple[str, str]]  # (first, last) day of each window, recent one first

    @property
    def average(self) -> float:
        return sum(self.earlier) / len(self.earlier)

    @property
    def trending(self) -> bool:
        return self.recent >= TREND_MINIMUM and self.recent > self.average

    def text(self) -> str:
        earlier = "、".join(str(n) for n in self.earlier)
        return (
            f"同类事项集中反映（{self.category}：近{TREND_DAYS}日 {self.recent} 件，"
            f"此前三个{TREND_DAYS}日 {earlier} 件，平均 {self.average:.1f} 件）"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "recent": self.recent,
            "earlier": self.earlier,
            "average": round(self.average, 2),
            "trending": self.trending,
            "windows": [list(w) for w in self.windows],
        }


@dataclass
class Suggestions:
    as_of: str
    repeat_window_days: int
    cases: list[Suggestion]
    trends: list[Trend]


def _windows(as_of: date) -> list[tuple[date, date]]:
    """The latest TREND_DAYS days ending on the as-of day, then the windows before it."""
    return [
        (
            as_of - timedelta(days=TREND_DAYS * (n + 1) - 1),
            as_of - timedelta(days=TREND_DAYS * n),
        )
        for n in range(TREND_WINDOWS + 1)
    ]


def trends(conn: sqlite3.Connection, as_of: date) -> list[Trend]:
    """Every category with cases in the four windows, counted by day received (any
    status: a petition that arrived counts, however it ended)."""
    windows = _windows(as_of)
    rows = conn.execute(
        "SELECT category, substr(received_at, 1, 10) AS day FROM cases "
        "WHERE category IS NOT NULL AND received_at >= ? AND received_at < date(?, '+1 day')",
        (windows[-1][0].isoformat(), as_of.isoformat()),
    ).fetchall()
    counts: dict[str, list[int]] = {}
    for row in rows:
        day = date.fromisoformat(row["day"])
        index = next(n for n, (first, last) in enumerate(windows) if first <= day <= last)
        counts.setdefault(row["category"], [0] * len(windows))[index] += 1
    order = {name: n for n, name in enumerate(settings.choices(conn, "category"))}
    shown = [(first.isoformat(), last.isoformat()) for first, last in windows]
    return [
        Trend(category, numbers[0], numbers[1:], shown)
        for category, numbers in sorted(counts.items(), key=lambda i: (order.get(i[0], 99), i[0]))
    ]


@dataclass(frozen=True)
class _Petition:
    id: int
    case_no: str
    received: date
    repeat_of: int | None


def _linked(conn: sqlite3.Connection, as_of: date) -> dict[int, list[_Petition]]:
    """For every case in a repeat link received by `as_of`: the others it is linked
    with (the case it was linked to, the cases linked to it, and those linked to the
    same earlier case)."""
    rows = conn.execute(
        "SELECT id, year, seq, received_at, repeat_of FROM cases "
        "WHERE (repeat_of IS NOT NULL OR id IN (SELECT repeat_of FROM cases)) "
        "AND received_at < date(?, '+1 day')",
        (as_of.isoformat(),),
    ).fetchall()
    petitions = {
        row["id"]: _Petition(
            row["id"],
            short_number(row["year"], row["seq"]),
            date.fromisoformat(row["received_at"][:10]),
            row["repeat_of"],
        )
        for row in rows
    }
    links: dict[int, set[int]] = {}
    by_earlier: dict[int, set[int]] = {}
    for petition in petitions.values():
        if petition.repeat_of is not None:
            by_earlier.setdefault(petition.repeat_of, set()).add(petition.id)
    for petition in petitions.values():
        related: set[int] = set(by_earlier.get(petition.id, ()))
        if petition.repeat_of is not None:
            related |= {petition.repeat_of, *by_earlier[petition.repeat_of]}
        related.discard(petition.id)
        links[petition.id] = related
    return {
        case_id: sorted(
            (petitions[other] for other in related if other in petitions),
            key=lambda p: p.case_no,
        )
        for case_id, related in links.items()
    }


def _reasons(
    case: sqlite3.Row,
    history: list[sqlite3.Row],
    linked: list[_Petition],
    window: int,
    trending: dict[str, Trend],
    recent_from: date,
) -> list[Reason]:
    reasons: list[Reason] = []
    if case["source"] == UPPER_SOURCE:
        ref = case["upper_ref"] or ""
        reasons.append(
            Reason(UPPER_SOURCE, f"上级交办（上级信访件编号：{ref or '未填'}）", {"upper_ref": ref})
        )
    leaders: list[str] = []
    for event in history:
        leader = json.loads(event["data"]).get("leader")
        if event["action"] == "instruct" and leader and leader not in leaders:
            leaders.append(leader)
    if leaders:
        reasons.append(
            Reason("领导批示", f"领导批示（{'、'.join(leaders)}）", {"leaders": leaders})
        )
    if case["raised_by"]:
        kind = f"{case['raised_by']}反映"
        reasons.append(Reason(kind, kind, {"raised_by": case["raised_by"]}))
    received = date.fromisoformat(case["received_at"][:10])
    others = [p.case_no for p in linked if abs((p.received - received).days) <= window]
    if others:
        text = f"短期内重复信访（{window}日内同一事项另有 {len(others)} 件：{'、'.join(others)}）"
        reasons.append(Reason("短期内重复信访", text, {"others": others, "window_days": window}))
    if case["persons"] >= COLLECTIVE:
        text = f"多人联名/集体访（{case['persons']}人）"
        reasons.append(Reason("多人联名/集体访", text, {"persons": case["persons"]}))
    trend = trending.get(case["category"] or "")
    if trend and received >= recent_from:
        detail = {"recent": trend.recent, "earlier": trend.earlier}
        reasons.append(
            Reason("同类事项集中反映", trend.text(), {**detail, "average": round(trend.average, 2)})
        )
    return reasons


def _open_supervision(
    conn: sqlite3.Connection, history: list[sqlite3.Row], as_of: date
) -> dict[str, Any] | None:
    """The latest supervision not yet answered; overdue when its due day is past."""
    events = [
        {"action": e["action"], "data": json.loads(e["data"])}
        for e in history
        if e["action"] in ("supervise", "supervise-answer")
    ]
    pending = _unanswered(events, "supervise", "supervise-answer")
    if not pending:
        return None
    latest = pending[-1]["data"]
    return {
        "number": supervise_number(conn, latest),
        "to": latest["to"],
        "due": latest["due"],
        "overdue": latest["due"] < as_of.isoformat(),
    }


def suggest(conn: sqlite3.Connection, as_of: date) -> Suggestions:
    """The open cases received by `as_of` that fall in seed 000 六's supervision scope,
    each with every reason that applies, in case-number order. Leaders' instructions
    count up to `as_of`; a case's status and its open supervision are those of now."""
    window = int(settings.get(conn, "repeat_window_days") or REPEAT_WINDOW_DAYS)
    all_trends = trends(conn, as_of)
    trending = {t.category: t for t in all_trends if t.trending}
    recent_from = _windows(as_of)[0][0]
    statuses = sorted(status.value for status in OPEN_STATUSES)
    marks = ",".join("?" * len(statuses))
    rows = conn.execute(
        f"SELECT * FROM cases WHERE status IN ({marks}) "
        "AND received_at < date(?, '+1 day') ORDER BY year, seq",
        (*statuses, as_of.isoformat()),
    ).fetchall()
    histories: dict[int, list[sqlite3.Row]] = {}
    for event in conn.execute(
        "SELECT e.case_id, e.action, e.occurred_at, e.data FROM events e "
        f"JOIN cases c ON c.id = e.case_id WHERE c.status IN ({marks}) "
        "AND (e.action IN ('supervise', 'supervise-answer') "
        "OR (e.action = 'instruct' AND e.occurred_at < date(?, '+1 day'))) "
        f"AND {projection.counts_sql('e')} ORDER BY e.id",
        (*statuses, as_of.isoformat()),
    ):
        histories.setdefault(event["case_id"], []).append(event)
    linked = _linked(conn, as_of)
    found: list[Suggestion] = []
    for case in rows:
        history = histories.get(case["id"], [])
        reasons = _reasons(case, history, linked.get(case["id"], []), window, trending, recent_from)
        if not reasons:
            continue
        found.append(
            Suggestion(
                case_no=_case_no(case),
                status=case["status"],
                status_label=Status(case["status"]).label,
                received_on=case["received_at"][:10],
                category=case["category"],
                content=case["content"],
                reasons=reasons,
                supervised=_open_supervision(conn, history, as_of),
            )
        )
    return Suggestions(as_of.isoformat(), window, found, all_trends)
