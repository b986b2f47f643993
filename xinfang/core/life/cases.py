"""The steps of a case's life after its registration (registration.py): the decision
(accept, reject, transfer) and its notice, 交办 and the unit's report, reply, revisit,
公示, 办结 (归档, with its case file, is archiving.py); the clock (pause, resume, extend);
notes and corrections. Each public function is one user action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import deadlines, rules
from xinfang.core.clock.dates import Moment, moment, parse_when
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.intake.fields import REGISTRATION_FIELDS, check_record, clean_value, later
from xinfang.core.intake.fields import find_field as _find_field
from xinfang.core.intake.numbering import next_in_sequence, number_of, short_number
from xinfang.core.life import urgency
from xinfang.core.life.acting import act, choice, not_before
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.routing import responsible_person
from xinfang.core.life.states import Status
from xinfang.core.papers.notice import public_notice
from xinfang.core.validate import clean_text, parse_int
from xinfang.core.vocabulary import (
    DISSATISFIED,
    FINDINGS,
    NOTICE_METHODS,
    REPLY_RESULTS,
    UNREACHABLE,
    WRITTEN_NOTICE,
)


def _notice(
    case: sqlite3.Row, when: Moment, notified_on: str | None, method: str | None
) -> dict[str, Any]:
    """是否告知: the notice may be given with the decision or later (`notify`)."""
    if notified_on is None and method is None:
        return {}
    if case["anonymous"]:
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
    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        notice = _notice(case, when, notified_on, notice_method)
        return dict(notice)

    return act(conn, ref, "accept", on, by, build)


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

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        notice = _notice(case, when, notified_on, notice_method)
        return {"reason": why, "channel": where, **notice}

    return act(conn, ref, "reject", on, by, build)


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

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        notice = _notice(case, when, notified_on, notice_method)
        return {"to": body, "reason": why, **notice}

    return act(conn, ref, "transfer", on, by, build)


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

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        case_no, status = short_number(case["year"], case["seq"]), Status(case["status"])
        if case["anonymous"]:
            raise refusal(case_no, status, ACTIONS["notify"], "匿名信访无需告知")
        rule = deadlines.rules_of(conn, case).get("notice")
        if deadlines.notice_given(conn, case):
            why_not = f"已于 {case['notified_on']} 告知过信访人"
            raise refusal(case_no, status, ACTIONS["notify"], why_not)
        if case["notified_on"] and not rules.notice_meets(rule, method, rules.decision_of(case)):
            why_not = (
                f"已于 {case['notified_on']} {case['notice_method']}，规则要求书面告知；"
                f"请记录书面告知（--method 书面告知书）或无法联系（--method {UNREACHABLE}）"
            )
            raise refusal(case_no, status, ACTIONS["notify"], why_not)
        if method == UNREACHABLE:
            notice = {"notified_on": when.text[:10], "notice_method": method}
        else:
            notice = _notice(case, when, when.text, method)
        return {**notice, "reason": why}

    return act(conn, ref, "notify", on, by, build)


def assign(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    due: str,
    person: str | None = None,
    phone: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, int, int]:
    """交办 to a township or department with a due date and its own yearly 交办单 number,
    naming the unit's 承办责任人 if known. Returns (case number, 交办 year, 交办 number)."""
    unit = settings.check_unit(conn, to)
    due_day, _ = parse_when(due, "办结期限")
    responsible = responsible_person(person, phone)
    taken: dict[str, int] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        if due_day.date() <= when.day:
            raise InvalidInput("办结期限", f"{due_day.date().isoformat()} 必须晚于交办日期")
        taken["year"] = when.day.year
        taken["seq"] = next_in_sequence(conn, "assign", when.day.year)
        changes = {
            "unit": unit,
            "assigned_on": when.text[:10],
            "assign_due": due_day.date().isoformat(),
            "assign_year": taken["year"],
            "assign_seq": taken["seq"],
            "unit_accepted_on": None,
            "unit_reported_on": None,
            "unit_report": None,
        }
        data = {"to": unit, "due": changes["assign_due"], "number": taken["seq"], **responsible}
        return data

    case_no = act(conn, ref, "assign", on, by, build)
    return case_no, taken["year"], taken["seq"]


def unit_accept(
    conn: sqlite3.Connection, ref: str, *, on: str | None = None, by: str | None = None
) -> str:
    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        return {"unit": case["unit"]}

    return act(conn, ref, "unit-accept", on, by, build)


def unit_report(
    conn: sqlite3.Connection,
    ref: str,
    *,
    text: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    report = clean_text(text, "办理情况", max_length=20_000, required=True, multiline=True)

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        return {"unit": case["unit"], "text": report}

    return act(conn, ref, "unit-report", on, by, build)


def reply(
    conn: sqlite3.Connection,
    ref: str,
    *,
    result: str,
    finding: str,
    text: str,
    approved_by: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """答复; a 网络舆情 reply names the leader who approved it (urgency.approval)."""
    values = {
        "reply_result": choice(result, REPLY_RESULTS, "答复结果"),
        "reply_finding": choice(finding, FINDINGS, "是否属实"),
        "reply_text": clean_text(
            text, "答复内容", max_length=20_000, required=True, multiline=True
        ),
    }

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        data = {"result": result, "finding": finding, "text": values["reply_text"]}
        return {**data, "approved_by": urgency.approval(case, approved_by)}

    return act(conn, ref, "reply", on, by, build)


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
    rounds: dict[str, int] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        data = {"method": method, "satisfaction": satisfaction, "opinion": words, "reason": why}
        if satisfaction == DISSATISFIED:
            rounds["now"] = case["round"] + 1
            return {**data, "new_round": rounds["now"]}
        rounds["now"] = case["round"]
        return data

    case_no = act(conn, ref, "revisit", on, by, build)
    return case_no, rounds["now"]


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
    text: dict[str, str] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        if case["status"] == Status.REPLIED and not case["anonymous"]:
            why = "答复后须先回访信访人（匿名信访除外）"
            raise refusal(number_of(case), Status.REPLIED, ACTIONS["publicize"], why)
        text["notice"] = public_notice(conn, case)
        return {"where": place, "notice": text["notice"]}

    return act(conn, ref, "publicize", on, by, build), text["notice"]


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

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        status = Status(case["status"])
        if status != Status.PUBLICIZED and publicize:
            refused = refusal(number_of(case), status, ACTIONS["close"], "不能办结")
            hint = "不公示的（如涉及个人隐私），加 --no-publicize --reason 写明理由后办结。"
            raise StepRefused(refused.message + hint)
        if status == Status.PUBLICIZED and not publicize:
            why_not = f"已于 {case['publicized_on']} 公示，不能再选不公示"
            raise refusal(number_of(case), status, ACTIONS["close"], why_not)
        if status == Status.REPLIED and not case["anonymous"]:
            why_not = "答复后须先回访信访人（匿名信访除外）"
            raise refusal(number_of(case), status, ACTIONS["close"], why_not)
        data: dict[str, Any] = {"opinion": words, "approved_by": approver}
        if not publicize:
            data |= {"publicize": False, "reason": why}
        return data

    return act(conn, ref, "close", on, by, build)


def pause(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """Stop the case's clock (听证, 鉴定: not counted, 条例 art. 36)."""
    why = clean_text(reason, "暂停理由", max_length=2_000, required=True, multiline=True)

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        if case["paused_since"]:
            why_not = f"已于 {case['paused_since']} 暂停计时"
            raise refusal(number_of(case), Status(case["status"]), ACTIONS["pause"], why_not)
        return {"reason": why}

    return act(conn, ref, "pause", on, by, build)


def resume(
    conn: sqlite3.Connection, ref: str, *, on: str | None = None, by: str | None = None
) -> tuple[str, int, list[deadlines.Shift]]:
    """Restart the clock; returns (case number, days paused, how far each open deadline
    moved)."""
    paused: dict[str, int] = {}
    before: dict[tuple[str, int], int] = {}
    moved: list[deadlines.Shift] = []

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        if not case["paused_since"]:
            raise refusal(number_of(case), Status(case["status"]), ACTIONS["resume"], "未暂停计时")
        paused["days"] = (when.day - date.fromisoformat(case["paused_since"])).days
        before.update(deadlines.stopped_days(conn, case["id"]))
        return {"paused_days": paused["days"]}

    def after(case: sqlite3.Row) -> None:  # the deadlines are re-derived by now
        moved.extend(deadlines.shifts(conn, case["id"], before))

    return act(conn, ref, "resume", on, by, build, after), paused["days"], moved


def extend(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    days: str | int | None = None,
    stage: str = "reply",
    approved_by: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """延期: add days to an open deadline, or with no days mark the case 疑难复杂 and give
    it the rule set's maximum. Returns (case number, the deadline's new length, in words)."""
    key = rules.find_stage(stage)
    why = clean_text(reason, "延期理由", max_length=2_000, required=True, multiline=True)
    wanted = parse_int(days, "延期天数", minimum=1, maximum=365) if days is not None else None
    approver = clean_text(approved_by, "批准人", max_length=50)
    result: dict[str, str] = {}

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        row = conn.execute(
            "SELECT amount, unit, round, due_on FROM deadlines WHERE case_id = ? AND stage = ? "
            "AND met_on IS NULL AND amount IS NOT NULL ORDER BY round DESC LIMIT 1",
            (case["id"], key),
        ).fetchone()
        label = rules.STAGES[key].label
        if row is None:
            why_not = f"没有未到期的{label}期限可以延长"
            raise refusal(number_of(case), Status(case["status"]), ACTIONS["extend"], why_not)
        if row["due_on"] and row["due_on"] < when.day.isoformat():
            # 条例 art. 34: an extension is approved within the period, not after it.
            why_not = f"{label}期限已于 {row['due_on']} 届满，不能事后延期"
            raise refusal(number_of(case), Status(case["status"]), ACTIONS["extend"], why_not)
        rule = deadlines.rules_of(conn, case).get(key)
        room = deadlines.extension_room(rule, row["amount"])
        unit = rules.UNIT_LABELS[row["unit"]]
        if room == 0:
            raise InvalidInput("延期", f"{label}期限已是最长的 {row['amount']}{unit}，不能再延长")
        add = room if wanted is None else wanted
        if add > room:
            raise InvalidInput(
                "延期天数",
                f"{label}期限最长 {row['amount'] + room}{unit}，最多还能延长 {room}{unit}",
            )
        result["length"] = f"{row['amount'] + add}{unit}"
        data = {"stage": key, "days": add, "reason": why, "complex": wanted is None}
        return {**data, "approved_by": approver}

    return act(conn, ref, "extend", on, by, build), result["length"]


def note(
    conn: sqlite3.Connection, ref: str, text: str, *, on: str | None = None, by: str | None = None
) -> str:
    words = clean_text(text, "备注", max_length=20_000, required=True, multiline=True)

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        return {"text": words}

    return act(conn, ref, "note", on, by, build)


def correct(
    conn: sqlite3.Connection,
    ref: str,
    *,
    field: str,
    value: str,
    reason: str | None = None,
    force: bool = False,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """更正 a registration field. The old value stays in the event: nothing is
    overwritten silently."""
    target = _find_field(field)
    why = clean_text(reason, "更正理由", max_length=2_000, multiline=True)

    def build(case: sqlite3.Row, when: Moment) -> dict[str, Any]:
        new = clean_value(conn, target, value, force=force)
        if target.key == "received_at" and new is not None:
            year = int(str(new)[:4])
            if year != case["year"]:
                raise InvalidInput("信访时间", "更正后不能跨年（案件编号按年编排）")
            step = conn.execute(
                "SELECT occurred_at, action FROM events WHERE case_id = ? AND action != 'register' "
                "ORDER BY occurred_at LIMIT 1",
                (case["id"],),
            ).fetchone()
            not_before(when, str(new), "本案登记的日期", ACTIONS["correct"].label)
            if step and later(new, step["occurred_at"]):
                raise InvalidInput(
                    "信访时间",
                    f"{new} 晚于本案已记录的“{_label(step['action'])}”（{step['occurred_at']}）",
                )
        record = {f.key: case[f.key] for f in REGISTRATION_FIELDS}
        record[target.key] = new
        check_record(record)
        old = case[target.key]
        if target.kind == "bool":
            old = bool(old)
        if old == new:
            raise InvalidInput(target.label, "新值与原值相同，无需更正")
        data = {"field": target.key, "label": target.label, "old": old, "new": new, "reason": why}
        return data

    return act(conn, ref, "correct", on, by, build)


def _label(action: str) -> str:
    return ACTIONS[action].label if action in ACTIONS else action
