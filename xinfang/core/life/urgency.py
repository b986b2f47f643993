"""重大、紧急信访事项 (seed 000 三; seed 001 二(五)3, 四(三)) and the reports that go up.

A case is urgent from its registration (`register --urgent`) or from the day the clerk
marks it so, with the reason (`mark-urgent`): a report to the leader and to the upper
level is due that same day (stage urgent_report, 当日 in both rule sets: "立即向领导报告，
并在第一时间将信息传递给相关地区和部门"). `report-up` records each report, the first and
every 续报 after it ("跟踪续报…直至事件妥善解决"); it meets whichever of these is open: the
urgent report, and the upper level's 2-day written report on a 舆情 it passed down
(upper_report, seed 000 舆情 第三条) — the reply to the netizen does not meet that one.

网络舆情: the reply is published on the original site only once a leader approved it
("经单位相关领导审定后…反馈"): `approval`, which cases.reply asks.

Each action is one `acting.act` call: one transaction, one event; what it does to the
case and its deadlines is its declaration in actions.py."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from xinfang.core.clock import rules
from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput
from xinfang.core.life.acting import act, done_steps
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find, live_events
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import ONLINE_SOURCE

# The deadlines a report up meets (actions.py, report-up), in the order they are named.
REPORTED_STAGES = ("urgent_report", "upper_report")


def mark_urgent(
    conn: sqlite3.Connection, ref: str, *, reason: str, on: str | None = None, by: str | None = None
) -> str:
    """标记重大紧急: from this day on the case is urgent; its report is due the same day."""
    why = clean_text(reason, "理由", max_length=2_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.urgent:
            raise refusal(
                case.number, case.status, ACTIONS["mark-urgent"],
                "已是重大紧急事项，无需再标记；向领导和上级报告、续报用 xinfang report-up",
                done_steps(conn, case),
            )  # fmt: skip
        return {"reason": why}

    return act(conn, ref, "mark-urgent", on, by, build).case_no


@dataclass(frozen=True)
class Reported:
    case_no: str
    to: str
    follow_up: bool  # 续报: after an earlier report, meeting no deadline of its own
    met: tuple[str, ...]  # the labels of the deadlines it met


def report_up(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    text: str,
    on: str | None = None,
    by: str | None = None,
) -> Reported:
    """上报 / 续报: one report to the leader or the upper level, with what it said."""
    recipient = clean_text(to, "报告对象", max_length=200, required=True) or ""
    body = clean_text(text, "报告内容", max_length=20_000, required=True, multiline=True)

    # What this report will meet, read once: a report meeting none after an earlier one
    # is a 续报.
    waiting = _open_stages(conn, find(conn, ref).id)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        earlier = any(e["action"] == "report-up" for e in live_events(conn, case.id))
        data: dict[str, Any] = {"to": recipient, "text": body}
        if earlier and not waiting:
            data["follow_up"] = True
        return data

    done = act(conn, ref, "report-up", on, by, build)
    met = tuple(rules.STAGES[stage].label for stage in REPORTED_STAGES if stage in waiting)
    return Reported(done.case_no, recipient, bool(done.data.get("follow_up")), met)


def _open_stages(conn: sqlite3.Connection, case_id: int) -> set[str]:
    marks = ",".join("?" * len(REPORTED_STAGES))
    rows = conn.execute(
        f"SELECT stage FROM deadlines WHERE case_id = ? AND met_on IS NULL AND stage IN ({marks})",
        (case_id, *REPORTED_STAGES),
    )
    return {row[0] for row in rows}


def approval(case: Case, approved_by: str | None) -> str | None:
    """The leader who approved a reply (审定); an online one is not published without."""
    name = clean_text(approved_by, "审定领导", max_length=50)
    if case.source == ONLINE_SOURCE and not name:
        raise InvalidInput(
            "审定领导",
            f"{ONLINE_SOURCE}的回复须经单位领导审定后才能在原留言网站发布；"
            "请加 --approved-by 写明审定的领导，如 --approved-by 李局长",
        )
    return name
