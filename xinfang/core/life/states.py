"""The life of a case as a state machine: which action may follow which state.

register ─► accept ─► [assign ─► unit-accept ─► unit-report] ─► reply ─► revisit ─►
publicize ─► close ─► archive; reject / transfer end a case before it is handled;
a 不满意 revisit sends it back to `accepted` for a new handling round. A report the
office finds poor is sent back to the unit (reported ─► handling); a case moves to
another unit (reassign: ─► assigned) or is returned by its unit (unit-return: ─► accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xinfang.core.errors import StepRefused


class Status(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    HANDLING = "handling"
    REPORTED = "reported"
    REPLIED = "replied"
    REVISITED = "revisited"
    PUBLICIZED = "publicized"
    CLOSED = "closed"
    REJECTED = "rejected"
    TRANSFERRED = "transferred"
    ARCHIVED = "archived"
    VOIDED = "voided"  # 作废: registered by mistake; the number stays, nothing more is done
    JOINED = "joined"  # 并案: handled as part of another case (corrections.py)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "已登记（待受理）",
    Status.ACCEPTED: "已受理（办理中）",
    Status.ASSIGNED: "已交办（待承办单位受理）",
    Status.HANDLING: "承办单位办理中",
    Status.REPORTED: "承办单位已报送（待答复）",
    Status.REPLIED: "已答复（待回访）",
    Status.REVISITED: "已回访（待公示）",
    Status.PUBLICIZED: "已公示（待办结）",
    Status.CLOSED: "已办结（待归档）",
    Status.REJECTED: "不予受理",
    Status.TRANSFERRED: "已转送",
    Status.ARCHIVED: "已归档",
    Status.VOIDED: "已作废",
    Status.JOINED: "已并案（随主案办理）",
}

# Cases still needing work; the others are finished (归档 or waiting to be).
OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.HANDLING,
        Status.REPORTED,
        Status.REPLIED,
        Status.REVISITED,
        Status.PUBLICIZED,
    }
)
ALL_BUT_ARCHIVED = frozenset(Status) - {Status.ARCHIVED, Status.VOIDED}
LATE_NOTICE_ONLY = frozenset(
    {Status.REPLIED, Status.REVISITED, Status.PUBLICIZED, Status.CLOSED, Status.JOINED}
)
# Records about a case, not steps of its handling: they may be dated before its latest
# step (a note written later about an earlier call, last week's 督办 typed today) but never
# before its registration, and they do not fix the order of the main steps (a
# unit-accept of 12-01 may be entered after a 督办 recorded on 12-08).
RECORDS = (
    "note", "correct", "attach", "supervise", "supervise-answer", "instruct", "liaise",
    "liaise-answer", "reexamine", "void", "urge", "link", "unlink",
)  # fmt: skip
# Allowed at most stages but never "the next step" of a case's life.
SIDE_ACTIONS = (
    "note", "correct", "pause", "resume", "extend", "attach", "lend", "return", "supervise",
    "supervise-answer", "instruct", "liaise", "liaise-answer", "reexamine", "review",
    "link", "unlink", "urge", "void", "join",
)  # fmt: skip


@dataclass(frozen=True)
class Action:
    name: str  # the command
    label: str  # what the clerk calls it
    allowed_from: frozenset[Status]
    leads_to: Status | None  # None: the state does not change (or the core decides)


def _action(name: str, label: str, sources: set[Status], target: Status | None) -> Action:
    return Action(name, label, frozenset(sources), target)


S = Status
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _action("accept", "受理", {S.REGISTERED}, S.ACCEPTED),
        _action("reject", "不予受理", {S.REGISTERED}, S.REJECTED),
        _action("transfer", "转送", {S.REGISTERED}, S.TRANSFERRED),
        # A notice given late is still recorded, at any stage after the decision.
        _action("notify", "告知", set(ALL_BUT_ARCHIVED) - {S.REGISTERED}, None),
        _action("assign", "交办", {S.ACCEPTED}, S.ASSIGNED),
        _action("unit-accept", "承办受理", {S.ASSIGNED}, S.HANDLING),
        _action("unit-report", "承办报送", {S.HANDLING}, S.REPORTED),
        _action("reply", "答复", {S.ACCEPTED, S.REPORTED}, S.REPLIED),
        # Routing between the office and its units (seeds 001 二(四)4, 002 二(二)2):
        # a poor report goes back to the unit; a case moves to another unit; a unit
        # returns a case that is not its business (退单); a reminder moves nothing.
        _action("send-back", "退回重办", {S.REPORTED}, S.HANDLING),
        _action("reassign", "改派", {S.ASSIGNED, S.HANDLING}, S.ASSIGNED),
        _action("unit-return", "退单", {S.ASSIGNED, S.HANDLING}, S.ACCEPTED),
        _action("urge", "催办", {S.ASSIGNED, S.HANDLING}, None),
        # 满意 -> revisited; 不满意 -> accepted again, next round (decided in the core).
        _action("revisit", "回访", {S.REPLIED}, None),
        # An anonymous case has nobody to revisit: it may be publicized after the reply.
        _action("publicize", "公示", {S.REVISITED, S.REPLIED}, S.PUBLICIZED),
        # Closed unpublicized (不公示, with the reason) after the revisit, or after the
        # reply of an anonymous case: cases.close decides.
        _action("close", "办结", {S.PUBLICIZED, S.REVISITED, S.REPLIED}, S.CLOSED),
        _action("archive", "归档", {S.CLOSED, S.REJECTED, S.TRANSFERRED, S.JOINED}, S.ARCHIVED),
        _action("pause", "暂停计时", set(OPEN_STATUSES), None),
        _action("resume", "恢复计时", set(ALL_BUT_ARCHIVED), None),
        # 延期 / 疑难复杂: while the reply (or the online reply) is still to come.
        _action(
            "extend", "延期", {S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPORTED}, None
        ),
        _action("attach", "添加材料", set(ALL_BUT_ARCHIVED), None),
        # Supervision, leaders' instructions and cross-unit letters (seed 000 六, 002 附件7).
        _action("supervise", "督办", set(OPEN_STATUSES), None),
        _action("supervise-answer", "督办回复", set(ALL_BUT_ARCHIVED), None),
        _action("instruct", "领导批示", set(ALL_BUT_ARCHIVED), None),
        _action("liaise", "发联系函", set(OPEN_STATUSES), None),
        _action("liaise-answer", "联系函回复", set(ALL_BUT_ARCHIVED), None),
        # 不满意: who re-examined and what was found (seed 002 附件5、6).
        _action("reexamine", "核实", set(ALL_BUT_ARCHIVED), None),
        # 复查 / 复核: asked for after the written reply, even once the file is archived.
        _action(
            "review",
            "复查",
            {S.REPLIED, S.REVISITED, S.PUBLICIZED, S.CLOSED, S.ARCHIVED},
            None,
        ),
        # 查阅/借阅: only an archived file is lent, and it comes back.
        _action("lend", "借阅", {S.ARCHIVED}, None),
        _action("return", "归还", {S.ARCHIVED}, None),
        _action("note", "备注", set(ALL_BUT_ARCHIVED), None),
        _action("correct", "更正", set(ALL_BUT_ARCHIVED), None),
        # 重复信访: a link the clerk makes after registration, or removes (links.py).
        _action("link", "关联重复信访", set(ALL_BUT_ARCHIVED), None),
        _action("unlink", "解除重复关联", set(ALL_BUT_ARCHIVED), None),
        # 撤销 a step entered by mistake (or 作废 the whole case): the case is re-projected
        # without it (projection.py); 并案 into another case handled as the main one.
        _action("void", "撤销", set(ALL_BUT_ARCHIVED), None),
        _action("join", "并案", {S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPORTED}, S.JOINED),
    )
}


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


def refusal(
    case_no: str, status: Status, action: Action, why: str = "", done: frozenset[str] = frozenset()
) -> StepRefused:
    """The Chinese message for a step out of order: where the case is, what may come next
    (leaving out `done`: steps this case no longer needs, such as a notice already given)."""
    # A step refused for a reason of its own is not offered back as the way forward;
    # a late notice is allowed later on but is not what comes next there.
    skip = set(SIDE_ACTIONS) | set(done) | ({action.name} if why else set())
    if status in LATE_NOTICE_ONLY:
        skip.add("notify")
    skip |= {name for name, states in BY_OPTION_ONLY.items() if status in states}
    steps = [a for a in next_actions(status) if a.name not in skip]
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
