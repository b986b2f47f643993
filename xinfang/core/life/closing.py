"""After the reply: 回访 (a 不满意 one opens the next handling round), 公示 and 办结
(结案审批). 归档, with its case file, is archiving.py's. Each public function is one user
action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.states import Status
from xinfang.core.papers.notice import public_notice
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import DISSATISFIED, UNREACHABLE

# 公示 and 办结 wait for the revisit, unless nobody can be revisited (匿名).
REVISIT_FIRST = "答复后须先回访信访人（匿名信访除外）"


def revisit(
    conn: sqlite3.Connection,
    ref: str,
    *,
    method: str,
    satisfaction: str | None,
    opinion: str | None = None,
    reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, int]:
    """回访. 不满意 opens a new handling round: the case goes back to 已受理 with its
    number kept and its round counted. 无法联系 (with the reason) meets the duty with no
    satisfaction to count. Returns (case number, round now)."""
    why = clean_text(reason, "理由", max_length=2_000, multiline=True)
    if method == UNREACHABLE:
        if satisfaction:
            raise InvalidInput("满意度", "无法联系的回访没有满意度；不填 --satisfaction")
        if not why:
            raise InvalidInput(
                "理由", "信访人无法联系的须写明理由（--reason），如：多次电话无人接听"
            )
    else:
        settings.check_choice(conn, "revisit_method", method, "回访方式")
        if not satisfaction:
            raise InvalidInput(
                "满意度", f"缺少 --satisfaction（信访人联系不上的用 --method {UNREACHABLE}）"
            )
        settings.check_choice(conn, "satisfaction", satisfaction, "满意度")
    words = clean_text(opinion, "信访人意见", max_length=5_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        data = {"method": method, "satisfaction": satisfaction, "opinion": words, "reason": why}
        if satisfaction == DISSATISFIED:
            return {**data, "new_round": case.round + 1}
        return data

    done = act(conn, ref, "revisit", on, by, build)
    return done.case_no, done.data.get("new_round", done.case.round)


def publicize(
    conn: sqlite3.Connection,
    ref: str,
    *,
    where: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """公示; returns (case number, the public notice text, kept in the event too)."""
    place = clean_text(where, "公示位置", max_length=200)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.status == Status.REPLIED and not case.anonymous:
            raise refusal(case.number, Status.REPLIED, ACTIONS["publicize"], REVISIT_FIRST)
        return {"where": place, "notice": public_notice(conn, case, when.day)}

    done = act(conn, ref, "publicize", on, by, build)
    return done.case_no, done.data["notice"]


def close(
    conn: sqlite3.Connection,
    ref: str,
    *,
    opinion: str | None = None,
    approved_by: str | None = None,
    publicize: bool = True,
    reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """办结 (结案审批), after the 公示 or, 不公示 with the reason on the 结案审批表 (是否公示
    否), after the revisit (the reply of an anonymous case)."""
    words = clean_text(opinion, "承办人意见", max_length=2_000, multiline=True)
    approver = clean_text(approved_by, "审批人", max_length=50)
    why = clean_text(reason, "不公示理由", max_length=2_000, multiline=True)
    if not publicize and not why:
        raise InvalidInput("不公示理由", "不能为空；写明为何不公示（--reason），如：涉及个人隐私")
    if publicize and why:
        raise InvalidInput("不公示理由", "只在不公示时填写：--no-publicize --reason 理由")

    def build(case: Case, when: Moment) -> dict[str, Any]:
        status = case.status
        if status != Status.PUBLICIZED and publicize:
            refused = refusal(case.number, status, ACTIONS["close"], "不能办结")
            hint = "不公示的（如涉及个人隐私），加 --no-publicize --reason 写明理由后办结。"
            raise StepRefused(refused.message + hint)
        if status == Status.PUBLICIZED and not publicize:
            why_not = f"已于 {case.publicized_on} 公示，不能再选不公示"
            raise refusal(case.number, status, ACTIONS["close"], why_not)
        if status == Status.REPLIED and not case.anonymous:
            raise refusal(case.number, status, ACTIONS["close"], REVISIT_FIRST)
        data: dict[str, Any] = {"opinion": words, "approved_by": approver}
        if not publicize:
            data |= {"publicize": False, "reason": why}
        return data

    return act(conn, ref, "close", on, by, build).case_no
