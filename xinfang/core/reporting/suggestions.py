"""What falls in the supervision scope (seed 000 六): the open cases with a reason to be
supervised (上级交办, 领导批示, 人大代表反映, 短期内重复信访, 集体访, 同类事项集中反映),
each with its reasons, and the category trends behind the last one. Reading only: the
supervision actions themselves are in supervision.py."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xinfang.core import settings
from xinfang.core.intake.numbering import short_number
from xinfang.core.life import projection
from xinfang.core.life.case import Case
from xinfang.core.life.states import OPEN_STATUSES
from xinfang.core.life.supervision import supervise_number, unanswered
from xinfang.core.vocabulary import (
    COLLECTIVE,
    REPEAT_WINDOW_DAYS,
    TREND_DAYS,
    TREND_MINIMUM,
    TREND_WINDOWS,
    UPPER_SOURCE,
)


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
    case: Case,
    history: list[sqlite3.Row],
    linked: list[_Petition],
    window: int,
    trending: dict[str, Trend],
    recent_from: date,
) -> list[Reason]:
    reasons: list[Reason] = []
    if case.source == UPPER_SOURCE:
        ref = case.upper_ref or ""
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
    if case.raised_by:
        kind = f"{case.raised_by}反映"
        reasons.append(Reason(kind, kind, {"raised_by": case.raised_by}))
    received = date.fromisoformat(case.received_at[:10])
    others = [p.case_no for p in linked if abs((p.received - received).days) <= window]
    if others:
        text = f"短期内重复信访（{window}日内同一事项另有 {len(others)} 件：{'、'.join(others)}）"
        reasons.append(Reason("短期内重复信访", text, {"others": others, "window_days": window}))
    if case.persons >= COLLECTIVE:
        text = f"多人联名/集体访（{case.persons}人）"
        reasons.append(Reason("多人联名/集体访", text, {"persons": case.persons}))
    trend = trending.get(case.category or "")
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
    pending = unanswered(events, "supervise", "supervise-answer")
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
    cases = [Case.from_row(row) for row in rows]
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
    for case in cases:
        history = histories.get(case.id, [])
        reasons = _reasons(case, history, linked.get(case.id, []), window, trending, recent_from)
        if not reasons:
            continue
        found.append(
            Suggestion(
                case_no=case.number,
                status=case.status.value,
                status_label=case.status.label,
                received_on=case.received_at[:10],
                category=case.category,
                content=case.content,
                reasons=reasons,
                supervised=_open_supervision(conn, history, as_of),
            )
        )
    return Suggestions(as_of.isoformat(), window, found, all_trends)
