"""The decision on a registered case — 受理, 不予受理, 转送 — and its notice (告知) to the
petitioner, given with the decision or later (`notify`). Each public function is one
user action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from typing import Any

from xinfang.core.clock import deadlines, rules
from xinfang.core.clock.dates import Moment, moment
from xinfang.core.errors import InvalidInput
from xinfang.core.life.acting import act, choice
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import NOTICE_METHODS, UNREACHABLE, WRITTEN_NOTICE


def _notice(
    case: Case, when: Moment, notified_on: str | None, method: str | None
) -> dict[str, Any]:
    """是否告知: the notice may be given with the decision or later (`notify`)."""
    if notified_on is None and method is None:
        return {}
    if case.anonymous:
        raise InvalidInput("告知", "匿名信访无需告知，不能记录告知")
    notice = moment(notified_on, "告知日期") if notified_on else when
    if notice.day < when.day:
        raise InvalidInput("告知日期", "不能早于受理决定的日期")
    return {
        "notified_on": notice.text[:10],
        "notice_method": choice(method or WRITTEN_NOTICE, NOTICE_METHODS, "告知方式"),
    }


def accept(
    conn: sqlite3.Connection,
    ref: str,
    *,
    on: str | None = None,
    notified_on: str | None = None,
    notice_method: str | None = None,
    by: str | None = None,
) -> str:
    def build(case: Case, when: Moment) -> dict[str, Any]:
        return _notice(case, when, notified_on, notice_method)

    return act(conn, ref, "accept", on, by, build).case_no


def reject(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    channel: str,
    on: str | None = None,
    notified_on: str | None = None,
    notice_method: str | None = None,
    by: str | None = None,
) -> str:
    """不予受理 must name the legal channel or the competent body (seed 000 三)."""
    why = clean_text(reason, "不予受理理由", max_length=2_000, required=True, multiline=True)
    where = clean_text(channel, "法定途径或有权机关", max_length=200, required=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        notice = _notice(case, when, notified_on, notice_method)
        return {"reason": why, "channel": where, **notice}

    return act(conn, ref, "reject", on, by, build).case_no


def transfer(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    reason: str | None = None,
    on: str | None = None,
    notified_on: str | None = None,
    notice_method: str | None = None,
    by: str | None = None,
) -> str:
    body = clean_text(to, "转送机关", max_length=200, required=True)
    why = clean_text(reason, "转送理由", max_length=2_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        notice = _notice(case, when, notified_on, notice_method)
        return {"to": body, "reason": why, **notice}

    return act(conn, ref, "transfer", on, by, build).case_no


def notify(
    conn: sqlite3.Connection,
    ref: str,
    *,
    method: str = WRITTEN_NOTICE,
    reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """Record the notice (告知) given after the decision; 无法联系 (with the reason) meets
    the duty too, a phone call does not where the rules want it written."""
    why = clean_text(reason, "理由", max_length=2_000, multiline=True)
    if method == UNREACHABLE and not why:
        raise InvalidInput(
            "理由", "信访人无法联系的须写明理由（--reason），如：电话空号，地址查无此人"
        )

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.anonymous:
            raise refusal(case.number, case.status, ACTIONS["notify"], "匿名信访无需告知")
        rule = deadlines.rules_of(conn, case).get("notice")
        if deadlines.notice_given(conn, case):
            why_not = f"已于 {case.notified_on} 告知过信访人"
            raise refusal(case.number, case.status, ACTIONS["notify"], why_not)
        if case.notified_on and not rules.notice_meets(rule, method, rules.decision_of(case)):
            why_not = (
                f"已于 {case.notified_on} {case.notice_method}，规则要求书面告知；"
                f"请记录书面告知（--notice-method 书面告知书）或无法联系（--notice-method {UNREACHABLE}）"
            )
            raise refusal(case.number, case.status, ACTIONS["notify"], why_not)
        if method == UNREACHABLE:
            notice = {"notified_on": when.text[:10], "notice_method": method}
        else:
            notice = _notice(case, when, when.text, method)
        return {**notice, "reason": why}

    return act(conn, ref, "notify", on, by, build).case_no
