"""Every action on a case, each with its whole meaning in one declaration: the states it
is allowed from and the state it leads to, the case's columns it sets (the projection of
a case from its events, projection.py), the deadlines it opens and meets (the replay in
clock/deadlines.py) and what it changes in the as-of view of the monthly tables
(reporting/reports.py). Those three, the importer and `act` read this table; adding an
action is one entry here plus the core function that checks its input.

The life of a case: register ─► accept ─► [assign ─► unit-accept ─► unit-report] ─► reply
─► revisit ─► publicize ─► close ─► archive; reject / transfer end a case before it is
handled; a 不满意 revisit sends it back to `accepted` for a new handling round. A report
the office finds poor is sent back to the unit (reported ─► handling); a case moves to
another unit (reassign: ─► assigned) or is returned by its unit (unit-return: ─► accepted).
After the written reply, beside the handling and even once the file is archived: its 送达
(deliver), the petitioner's 复查 (review) and the upper level's 复核 (recheck), each
opening or meeting the petitioner's window to contest the writing before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from xinfang.core.errors import StepRefused
from xinfang.core.intake.fields import REGISTRATION_FIELDS
from xinfang.core.life.case import Case
from xinfang.core.life.columns import NOTICE, PROJECTED, REPLY, UNIT_RETURN
from xinfang.core.life.states import ALL_BUT_ARCHIVED, LATE_NOTICE_ONLY, OPEN_STATUSES, Status
from xinfang.core.vocabulary import DISSATISFIED, ONLINE_SOURCE

if TYPE_CHECKING:
    from xinfang.core.reporting.reports import AsOf

Row = dict[str, Any]
Data = Mapping[str, Any]


class Clock(Protocol):
    """What an action may do to a case's deadlines (clock/deadlines.py replays them)."""

    case: Case  # the case's row: its registration facts
    anonymous: bool

    def open(
        self, stage: str, round_no: int, start: date, fixed_due: date | None = None
    ) -> None: ...
    def meet(self, stage: str, round_no: int | None, day: date) -> None: ...
    def drop(self, stage: str, round_no: int) -> None: ...
    def end_all(self, day: date, by: str) -> None: ...
    def told(self, notice: Data) -> bool: ...
    def supervise(self, day: date, due: date) -> None: ...
    def pause(self, day: date) -> None: ...
    def resume(self, day: date) -> None: ...
    def extend(self, stage: str, round_no: int, days: int) -> None: ...
    def restart(self, stage: str, round_no: int, start: date) -> None: ...


# (the event's data, the row before it, the day it happened) -> the columns it sets
Fold = Callable[[Data, Row, str], Row]
# (the replay, the day it happened, the round it belongs to, the event's data)
Timing = Callable[[Clock, date, int, Data], None]
# (the case as of a day, the day it happened, the event's data)
Telling = Callable[["AsOf", date, Data], None]


@dataclass(frozen=True)
class Action:
    name: str  # the command
    label: str  # what the clerk calls it
    allowed_from: frozenset[Status]
    leads_to: Status | None  # None: the state does not change (or its fold says)
    sets: Fold | None = None  # the case's columns it sets; None: none
    times: Timing | None = None  # the deadlines it opens and meets; None: none
    tells: Telling | None = None  # what it changes in the as-of view; None: nothing
    # A record about the case, not a step of its handling: it may be dated before the
    # latest step (a note written later about an earlier call, last week's 督办 typed
    # today) but never before the registration, and does not fix the order of the steps.
    record: bool = False
    side: bool = False  # allowed at most stages, never offered as "the next step"
    answered_by: str | None = None  # the later step that answers it (撤销 needs both gone)
    sets_from_data: bool = True  # False: its fold reads only the day (no JSON to decode)
    numbered: bool = False  # it hands the case to a unit on a new 交办单, numbered yearly


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


# ── the registration ─────────────────────────────────────────────────────────────────


def _register_sets(data: Data, row: Row, day: str) -> Row:
    """The registration record, as register() and the import keep it in the event
    (empty values and a false 匿名 are left out there)."""
    record = {field.key: data.get(field.key) for field in REGISTRATION_FIELDS}
    record["anonymous"] = int(bool(record["anonymous"]))
    record["persons"] = record["persons"] or 1
    return {**dict.fromkeys(PROJECTED), **record, "status": Status.REGISTERED.value,
            "round": 1, "complex": 0, "urgent": int(bool(data.get("urgent")))}  # fmt: skip


def _register_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    case = clock.case
    clock.open("notice", round_no, _day(case.received_at))
    if case.source == ONLINE_SOURCE:
        # 网络舆情: counted from the post itself when the clerk knows when it was.
        posted = _day(case.posted_at) if case.posted_at else day
        clock.open("online_reply", round_no, posted)
        if case.upper_ref:
            clock.open("upper_report", round_no, day)
    if data.get("urgent"):  # 重大紧急: reported the same day (urgency.py)
        clock.open("urgent_report", round_no, day)


REGISTER = Action(
    "register", "登记", frozenset(), Status.REGISTERED, sets=_register_sets, times=_register_times
)


# ── the decision and its notice ──────────────────────────────────────────────────────


def _notice(data: Data) -> Row:
    return {key: data[key] for key in NOTICE if key in data}


def _decided(clock: Clock, day: date, round_no: int, data: Data) -> None:
    if clock.anonymous or (data.get("notified_on") and clock.told(data)):
        clock.meet("notice", None, _day(data.get("notified_on") or day.isoformat()))


def _accept_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    _decided(clock, day, round_no, data)
    clock.open("reply", round_no, day)


def _notified(clock: Clock, day: date, round_no: int, data: Data) -> None:
    if clock.told(data):
        clock.meet("notice", None, day)


def _decision_tells(state: AsOf, when: date, data: Data, action: str) -> None:
    state.decision, state.decided_on = action, when
    state.decision_detail = data.get("channel") or data.get("to")
    if data.get("notified_on"):
        state.notified_on = _day(data["notified_on"])
        state.notice_method = data.get("notice_method")


def _notify_tells(state: AsOf, when: date, data: Data) -> None:
    state.notified_on, state.notice_method = when, data.get("notice_method")


# ── the units: 交办, their answers, and the office's routing ─────────────────────────


def _assign_sets(data: Data, row: Row, day: str) -> Row:
    number = data.get("number")
    return {
        "unit": data.get("to"),
        "assigned_on": day,
        "assign_due": data.get("due"),
        "assign_year": int(day[:4]) if number is not None else None,
        "assign_seq": number,
        "unit_accepted_on": None,
        "unit_reported_on": None,
        "unit_report": None,
    }


def _assign_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    # 改派 too: the new unit's deadlines take the place of the old unit's.
    clock.open("unit_accept", round_no, day)
    clock.open("assign_due", round_no, day, fixed_due=_day(data["due"]))


def _assign_tells(state: AsOf, when: date, data: Data) -> None:
    state.unit, state.unit_reported = data.get("to"), False


def _send_back_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    # 退回重办: the report is due again, from the send-back to its due date.
    clock.open("assign_due", round_no, day, fixed_due=_day(data["due"]))


def _send_back_tells(state: AsOf, when: date, data: Data) -> None:
    state.unit_reported = False
    state.sent_back += 1


def _unit_return_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    # 退单 is the unit's answer on taking the case; its report is no longer due.
    clock.meet("unit_accept", round_no, day)
    clock.drop("assign_due", round_no)


def _unit_return_tells(state: AsOf, when: date, data: Data) -> None:
    state.unit, state.unit_reported = None, False


def _reported_tells(state: AsOf, when: date, data: Data) -> None:
    state.unit_reported = True


# ── the reply and after ──────────────────────────────────────────────────────────────


def _reply_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    # Not the upper level's written report on its 舆情: that is report-up's (urgency.py).
    clock.meet("reply", round_no, day)
    clock.meet("online_reply", None, day)
    clock.open("publicize" if clock.anonymous else "revisit", round_no, day)
    clock.open("review_request", round_no, day)  # the petitioner's 30 days


def _reply_tells(state: AsOf, when: date, data: Data) -> None:
    state.replied_on = when
    state.reply_result, state.reply_finding = data.get("result"), data.get("finding")
    state.reply_text = data.get("text")


def _revisit_sets(data: Data, row: Row, day: str) -> Row:
    if data.get("satisfaction") == DISSATISFIED:  # handled again, in the next round
        return {"status": Status.ACCEPTED.value, "round": row["round"] + 1,
                **dict.fromkeys(REPLY)}  # fmt: skip
    return {
        "status": Status.REVISITED.value,
        "revisited_on": day,
        "revisit_method": data.get("method"),
        "satisfaction": data.get("satisfaction"),
        "revisit_opinion": data.get("opinion"),
    }


def _revisit_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    clock.meet("revisit", round_no, day)
    if data.get("satisfaction") == DISSATISFIED:
        clock.open("reply", round_no + 1, day)
    else:
        clock.open("publicize", round_no, day)


def _revisit_tells(state: AsOf, when: date, data: Data) -> None:
    if data.get("satisfaction") == DISSATISFIED:
        state.replied_on = state.reply_result = state.reply_finding = state.reply_text = None
        state.round += 1


def _close_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    if data.get("publicize") is False:  # 不公示, with the reason on record
        clock.meet("publicize", None, day)
    clock.open("archive", round_no, day)


def _archive_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    """归档 meets its own deadline; whatever else the office still owes (a notice never
    given) ends here, unmet. The petitioner's own windows run on: a 复查 may be asked for
    after the file is archived."""
    clock.meet("archive", None, day)
    clock.end_all(day, "archive")


def _join_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    """并案: handled as the main case, under its deadlines; the case's own end here,
    unmet (late, if they were due): no reply of its own is counted."""
    clock.end_all(day, "join")


def _review_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    if data.get("requested_on"):
        requested = _day(data["requested_on"])
        clock.meet("review_request", None, requested)
        clock.open("review", round_no, requested)
    if data.get("outcome"):
        clock.meet("review", None, day)
        clock.open("recheck_request", round_no, day)  # the petitioner's 30 days for a 复核


# 送达: the written decision the petitioner may contest -> the window its delivery opens.
REPLY_LETTER, REVIEW_OPINION = "处理意见答复书", "复查意见书"
DELIVERED_WINDOWS = {REPLY_LETTER: "review_request", REVIEW_OPINION: "recheck_request"}


def _deliver_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    """The window runs from the day the petitioner received the writing (自收到之日起),
    not from the day it was made; a request already made stays made."""
    clock.restart(DELIVERED_WINDOWS[data["document"]], round_no, day)


def _recheck_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    """复核 (条例 art. 36): asked for within the window the 复查意见 opened, decided within
    the rule's days from the request (extended up to its maximum)."""
    if data.get("recheck_requested_on"):
        requested = _day(data["recheck_requested_on"])
        clock.meet("recheck_request", None, requested)
        clock.open("recheck", round_no, requested)
    if data.get("days"):
        clock.extend("recheck", round_no, int(data["days"]))
    if data.get("upper_outcome"):
        clock.meet("recheck", None, day)


def _reported_up(clock: Clock, day: date, round_no: int, data: Data) -> None:
    clock.meet("urgent_report", None, day)
    clock.meet("upper_report", None, day)


def _correct_sets(data: Data, row: Row, day: str) -> Row:
    value = data.get("new")
    return {data["field"]: int(bool(value)) if data["field"] == "anonymous" else value}


def _extend_times(clock: Clock, day: date, round_no: int, data: Data) -> None:
    clock.extend(data["stage"], round_no, int(data["days"]))


def _meets(stage: str) -> Timing:
    """The action meets the stage's deadline of its round."""
    return lambda clock, day, round_no, data: clock.meet(stage, round_no, day)


def _meets_any(stage: str) -> Timing:
    """The action meets the stage's open deadline, whatever its round."""
    return lambda clock, day, round_no, data: clock.meet(stage, None, day)


def _action(
    name: str, label: str, sources: Iterable[Status], target: Status | None, **meaning: Any
) -> Action:
    return Action(name, label, frozenset(sources), target, **meaning)


S = Status
_DECIDED = set(ALL_BUT_ARCHIVED) - {S.REGISTERED}
_UNIT_WORKING = {S.ASSIGNED, S.HANDLING}
_REPLIED = {S.REPLIED, S.REVISITED, S.PUBLICIZED, S.CLOSED, S.ARCHIVED}  # a written reply stands
# fmt: off
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _action("accept", "受理", {S.REGISTERED}, S.ACCEPTED,
                sets=lambda data, row, day: {"decided_on": day, **_notice(data)},
                times=_accept_times,
                tells=lambda state, when, data: _decision_tells(state, when, data, "accept")),
        _action("reject", "不予受理", {S.REGISTERED}, S.REJECTED,
                sets=lambda data, row, day: {
                    "decided_on": day, "decision_reason": data.get("reason"),
                    "reject_channel": data.get("channel"), **_notice(data)},
                times=_decided,
                tells=lambda state, when, data: _decision_tells(state, when, data, "reject")),
        _action("transfer", "转送", {S.REGISTERED}, S.TRANSFERRED,
                sets=lambda data, row, day: {
                    "decided_on": day, "transfer_to": data.get("to"),
                    "decision_reason": data.get("reason"), **_notice(data)},
                times=_decided,
                tells=lambda state, when, data: _decision_tells(state, when, data, "transfer")),
        # A notice given late is still recorded, at any stage after the decision.
        _action("notify", "告知", _DECIDED, None,
                sets=lambda data, row, day: _notice(data), times=_notified, tells=_notify_tells),
        _action("assign", "交办", {S.ACCEPTED}, S.ASSIGNED, numbered=True,
                sets=_assign_sets, times=_assign_times, tells=_assign_tells),
        _action("unit-accept", "承办受理", {S.ASSIGNED}, S.HANDLING,
                sets=lambda data, row, day: {"unit_accepted_on": day}, sets_from_data=False,
                times=_meets("unit_accept")),
        _action("unit-report", "承办报送", {S.HANDLING}, S.REPORTED,
                sets=lambda data, row, day: {
                    "unit_reported_on": day, "unit_report": data.get("text")},
                times=_meets("assign_due"), tells=_reported_tells),
        _action("reply", "答复", {S.ACCEPTED, S.REPORTED}, S.REPLIED,
                sets=lambda data, row, day: {
                    "replied_on": day, "reply_result": data.get("result"),
                    "reply_finding": data.get("finding"), "reply_text": data.get("text")},
                times=_reply_times, tells=_reply_tells),
        # Routing between the office and its units (seeds 001 二(四)4, 002 二(二)2):
        # a poor report goes back to the unit, to work on to a (new) due date;
        _action("send-back", "退回重办", {S.REPORTED}, S.HANDLING,
                sets=lambda data, row, day: {
                    "assign_due": data.get("due"), "unit_reported_on": None, "unit_report": None},
                times=_send_back_times, tells=_send_back_tells),
        # a case moves to another unit, with its own 交办单 number, as a first assignment;
        _action("reassign", "改派", _UNIT_WORKING, S.ASSIGNED, numbered=True,
                sets=_assign_sets, times=_assign_times, tells=_assign_tells),
        # a unit returns a case that is not its business (退单): its 交办 is undone;
        _action("unit-return", "退单", _UNIT_WORKING, S.ACCEPTED,
                sets=lambda data, row, day: dict(UNIT_RETURN), sets_from_data=False,
                times=_unit_return_times, tells=_unit_return_tells),
        # a reminder moves nothing.
        _action("urge", "催办", _UNIT_WORKING, None, record=True, side=True),
        # 满意 -> revisited; 不满意 -> accepted again, next round (its fold says which).
        _action("revisit", "回访", {S.REPLIED}, None,
                sets=_revisit_sets, times=_revisit_times, tells=_revisit_tells),
        # An anonymous case has nobody to revisit: it may be publicized after the reply.
        _action("publicize", "公示", {S.REVISITED, S.REPLIED}, S.PUBLICIZED,
                sets=lambda data, row, day: {"publicized_on": day}, sets_from_data=False,
                times=_meets_any("publicize")),
        # Closed unpublicized (不公示, with the reason) after the revisit, or after the
        # reply of an anonymous case: cases.close decides.
        _action("close", "办结", {S.PUBLICIZED, S.REVISITED, S.REPLIED}, S.CLOSED,
                sets=lambda data, row, day: {"closed_on": day}, sets_from_data=False,
                times=_close_times),
        # A joined case is filed once its main case is closed (archiving.py checks).
        _action("archive", "归档", {S.CLOSED, S.REJECTED, S.TRANSFERRED, S.JOINED}, S.ARCHIVED,
                sets=lambda data, row, day: {
                    "archived_on": day, "retention": data.get("retention")},
                times=_archive_times),
        _action("pause", "暂停计时", OPEN_STATUSES, None, side=True, answered_by="resume",
                sets=lambda data, row, day: {"paused_since": day}, sets_from_data=False,
                times=lambda clock, day, round_no, data: clock.pause(day)),
        _action("resume", "恢复计时", ALL_BUT_ARCHIVED, None, side=True,
                sets=lambda data, row, day: {"paused_since": None}, sets_from_data=False,
                times=lambda clock, day, round_no, data: clock.resume(day)),
        # 延期 / 疑难复杂: while the reply (or the online reply) is still to come.
        _action("extend", "延期",
                {S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPORTED}, None, side=True,
                sets=lambda data, row, day: {"complex": 1} if data.get("complex") else {},
                times=_extend_times,
                tells=lambda state, when, data: setattr(state, "extended", True)),
        _action("attach", "添加材料", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # Supervision, leaders' instructions and cross-unit letters (seed 000 六, 002 附件7).
        _action("supervise", "督办", OPEN_STATUSES, None, record=True, side=True,
                answered_by="supervise-answer",
                times=lambda clock, day, round_no, data: clock.supervise(day, _day(data["due"]))),
        _action("supervise-answer", "督办回复", ALL_BUT_ARCHIVED, None, record=True, side=True,
                times=_meets_any("supervise_due")),
        _action("instruct", "领导批示", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # 重大、紧急 (seed 000 三, 001 四(三)): reported the same day to the leader and the
        # upper level (urgency.py); a case registered so needs no mark.
        _action("mark-urgent", "标记重大紧急", OPEN_STATUSES, None, record=True, side=True,
                sets=lambda data, row, day: {"urgent": 1}, sets_from_data=False,
                times=lambda clock, day, round_no, data: clock.open(
                    "urgent_report", round_no, day)),
        # Each report to the leader or the upper level, and each 续报 after it: meets the
        # same-day report of an urgent case and the upper level's 2-day written report on
        # its 舆情 (seed 000 舆情 第三条), whichever is open.
        _action("report-up", "上报", ALL_BUT_ARCHIVED, None, record=True, side=True,
                times=_reported_up),
        _action("liaise", "发联系函", OPEN_STATUSES, None, record=True, side=True,
                answered_by="liaise-answer"),
        _action("liaise-answer", "联系函回复", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # 不满意: who re-examined and what was found (seed 002 附件5、6).
        _action("reexamine", "核实", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # 复查 / 复核: asked for after the written reply, even once the file is archived.
        _action("review", "复查", _REPLIED, None, side=True, answered_by="review",
                times=_review_times),
        # 送达 of the 答复书 or 复查意见书 (with its 回执): a record of the day it reached the
        # petitioner, typed when the receipt comes back; their window counts from it.
        _action("deliver", "送达", _REPLIED, None, record=True, side=True,
                times=_deliver_times),
        _action("recheck", "复核", _REPLIED, None, side=True, answered_by="recheck",
                times=_recheck_times),
        # 查阅/借阅: only an archived file is lent, and it comes back.
        _action("lend", "借阅", {S.ARCHIVED}, None, side=True, answered_by="return"),
        _action("return", "归还", {S.ARCHIVED}, None, side=True),
        _action("note", "备注", ALL_BUT_ARCHIVED, None, record=True, side=True),
        _action("correct", "更正", ALL_BUT_ARCHIVED, None, record=True, side=True,
                sets=_correct_sets),
        # 重复信访: a link the clerk makes after registration, or removes (links.py).
        _action("link", "关联重复信访", ALL_BUT_ARCHIVED, None, record=True, side=True),
        _action("unlink", "解除重复关联", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # 撤销 a step entered by mistake (or 作废 the whole case): the case is re-projected
        # without it (projection.py).
        _action("void", "撤销", ALL_BUT_ARCHIVED, None, record=True, side=True),
        # 并案 into another case handled as the main one, under its deadlines.
        _action("join", "并案", {S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPORTED}, S.JOINED,
                side=True, times=_join_times,
                tells=lambda state, when, data: setattr(state, "joined_into", data.get("into"))),
    )
}
# fmt: on
# Every action an event may record: the registration, then the actions on the case.
EVENTS: dict[str, Action] = {REGISTER.name: REGISTER, **ACTIONS}
RECORDS = frozenset(name for name, action in ACTIONS.items() if action.record)
SIDE_ACTIONS = frozenset(name for name, action in ACTIONS.items() if action.side)


# Routes open only with an option of their own (close --no-publicize), or on a condition
# the core checks (a joined case's 归档 waits for its main case's 办结, archiving.py),
# not offered as "the next step" there.
BY_OPTION_ONLY = {
    "close": frozenset({Status.REVISITED, Status.REPLIED}),
    "archive": frozenset({Status.JOINED}),
}
# Where a case with nothing more to do stands instead (the archived one is said below).
ENDED_HINTS = {
    Status.VOIDED: "案件已作废（编号保留），不再办理；如需查阅请用 xinfang show。",
    Status.JOINED: "案件已并入主案办理，答复、回访、办结见主案（xinfang show 查看），"
    "主案办结后归档本案（xinfang archive）；并案有误的可撤销：xinfang void。",
}


def next_actions(status: Status) -> list[Action]:
    return [action for action in ACTIONS.values() if status in action.allowed_from]


def next_steps(status: Status, done: Iterable[str] = ()) -> list[Action]:
    """The steps offered as what comes next (the refusal's hint, `today`'s agenda): no
    side action, nothing in `done`; a late notice is allowed later on but is not what
    comes next there."""
    skip = set(SIDE_ACTIONS) | set(done)
    if status in LATE_NOTICE_ONLY:
        skip.add("notify")
    skip |= {name for name, states in BY_OPTION_ONLY.items() if status in states}
    return [a for a in next_actions(status) if a.name not in skip]


def refusal(
    case_no: str, status: Status, action: Action, why: str = "", done: frozenset[str] = frozenset()
) -> StepRefused:
    """The Chinese message for a step out of order: where the case is, what may come next
    (leaving out `done`: steps this case no longer needs, such as a notice already given)."""
    # A step refused for a reason of its own is not offered back as the way forward.
    steps = next_steps(status, set(done) | ({action.name} if why else set()))
    if steps:
        nexts = "、".join(f"{a.label}（xinfang {a.name}）" for a in steps)
        hint = f"下一步可以：{nexts}。"
    elif status in ENDED_HINTS:
        hint = ENDED_HINTS[status]
    else:
        hint = "案件已归档，不能再办理；如需查阅请用 xinfang show，借阅案卷用 xinfang lend。"
    reason = why or f"不能{action.label}"
    return StepRefused(f"案件 {case_no} 当前状态为「{status.label}」，{reason}。{hint}")


def check_step(
    case_no: str, status: Status, action_name: str, done: frozenset[str] = frozenset()
) -> Action:
    action = ACTIONS[action_name]
    if status not in action.allowed_from:
        raise refusal(case_no, status, action, done=done)
    return action
