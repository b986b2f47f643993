"""The documents the clerk prints (DOMAIN.md): which exist, when each fits a case, and
the values that fill them. Plain data; the .docx rendering is xinfang/outputs/docx.py.

Dates are written `2026年11月22日` in the text and `二〇二六年十一月二十二日` in the
signature blocks (`…_upper`), as the forms do."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import chinese_date, chinese_upper_date, today
from xinfang.core.errors import StepRefused, shorten
from xinfang.core.intake import reception
from xinfang.core.intake.numbering import formal_number
from xinfang.core.life import supervision
from xinfang.core.life.actions import REVIEW_OPINION
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import live_events
from xinfang.core.life.projection import project
from xinfang.core.life.states import Status
from xinfang.core.papers import followups, review_opinion
from xinfang.core.vocabulary import (
    ACCUSATION,
    DISSATISFIED,
    OWN_SOURCE,
    RECEPTION_SOURCE,
    REPLY_RESULTS,
    UPPER_SOURCE,
)

CHECKED, UNCHECKED = "☑", "□"
CANNOT_SOLVE = REPLY_RESULTS[3]  # 不能解决
# 检举控告 (条例 art. 30): papers sent out of the office do not name the petitioner.
WITHHELD = "保密"
# A handling unit inside the office itself (社会救助股): no 属地管理, no 门户网站 of its own.
INTERNAL_SUFFIXES = ("股", "科", "室")
UPPER_UNSET = "（上级信访部门未设置：xinfang config set 上级信访部门 名称）"
SIGN_BLANK = "年　　月　　日"  # a date the signer writes by hand: no event dates it yet
# 不予受理: the legal channel, typed as a body (县人民法院) or a whole clause (向…提起诉讼).
REMEDY_VERBS = ("提起", "申请", "提出", "起诉", "投诉", "申诉", "举报", "控告", "反映")

Context = dict[str, Any]  # the placeholders: context()
Check = Callable[[Context], str | None]  # None: fits; else why not


def _after_decision(kind: str, label: str) -> Check:
    def check(values: Context) -> str | None:
        if values["decision"] != kind:
            return f"案件未{label}"
        return None

    return check


def _has(key: str, why: str) -> Check:
    return lambda values: None if values.get(key) else why


def _status_in(statuses: set[Status], why: str) -> Check:
    return lambda values: None if Status(values["status"]) in statuses else why


def _all(*checks: Check) -> Check:
    def check(values: Context) -> str | None:
        return next((why for c in checks if (why := c(values))), None)

    return check


CLOSED_OR_LATER = {Status.CLOSED, Status.ARCHIVED}


def _named(values: Context) -> str | None:
    return "匿名信访无需告知" if values["anonymous"] else None


@dataclass(frozen=True)
class Document:
    key: str
    title: str  # also the template's file name (title.docx)
    fits: Check
    # The deadlines whose due dates it prints: `print` says when one is only an estimate
    # (a year whose holidays nobody has entered yet).
    promises: tuple[str, ...] = ()


DOCUMENTS: tuple[Document, ...] = (
    Document("registration", "受理登记表", lambda case: None),
    Document(
        "accept_notice",
        "受理告知书",
        _all(_after_decision("accept", "受理"), _named),
        promises=("reply",),
    ),
    Document(
        "reject_notice",
        "不予受理告知书",
        _all(_after_decision("reject", "作出不予受理决定"), _named),
    ),
    # 转送 (条例 art. 23): the petitioner is told where the matter went; the receiving
    # body gets the matter, not the petitioner's numbers (they travel with the materials).
    Document("transfer_notice", "转送告知书", _all(_after_decision("transfer", "转送"), _named)),
    Document("transfer_letter", "转送函", _after_decision("transfer", "转送")),
    Document("reply_letter", "处理意见答复书", _has("replied_on", "案件尚未答复")),
    Document("assign_order", "交办单", _has("assign_seq", "案件未交办"), promises=("assign_due",)),
    Document(
        "supervise_notice",
        "督办通知",
        _has("supervise_no", "案件没有督办记录"),
        promises=("supervise_due",),
    ),
    Document(
        "closing_form",
        "结案审批表",
        _status_in({Status.PUBLICIZED, *CLOSED_OR_LATER}, "案件尚未公示，还不能结案审批"),
    ),
    Document("revisit_form", "回访及满意度调查表", _has("replied_on", "案件尚未答复，无从回访")),
    Document(
        "cover",
        "案卷封面",
        _status_in({*CLOSED_OR_LATER, Status.REJECTED, Status.TRANSFERRED}, "案件尚未办结"),
    ),
    Document(
        "catalogue",
        "案卷目录",
        _status_in({*CLOSED_OR_LATER, Status.REJECTED, Status.TRANSFERRED}, "案件尚未办结"),
    ),
    Document("dissatisfied_check", "不满意核实件", _has("check_round", "案件没有不满意的回访")),
    Document("liaison_letter", "信访事项联系函", _has("liaison_no", "案件没有联系函记录")),
    Document(
        "reception_order",
        "接访交办通知单",
        lambda c: None if c["source"] == RECEPTION_SOURCE else "不是领导接访的案件",
        promises=("assign_due",),
    ),
    Document(
        "reception_result",
        "办理结果回复单",
        _all(
            lambda c: None if c["source"] == RECEPTION_SOURCE else "不是领导接访的案件",
            _has("replied_on", "案件尚未答复"),
        ),
    ),
    Document("review_opinion", REVIEW_OPINION, _has("review_outcome", "复查意见尚未作出")),
    # Issue 17's papers, each dated by the event it records (followups.py).
    Document(
        "extend_notice",
        "延期告知书",
        _all(_has("extended_cn", "案件没有延长答复期限的记录"), _named),
        promises=("reply",),
    ),
    Document(
        "urge_notice", "催办单", _has("urged_cn", "案件没有催办记录"), promises=("assign_due",)
    ),
    # seed 000 五: a problem that 不能解决 is explained, and the petitioner signs this form.
    Document(
        "feedback_form",
        "反馈意见表",
        _all(
            lambda c: (
                None if c["reply_result"] == CANNOT_SOLVE else f"答复结果不是“{CANNOT_SOLVE}”"
            ),
            _named,
        ),
    ),
    # seed 004 一2: a 上级交办 case's result is reported up (结案报告).
    Document(
        "upper_report",
        "办理结果报告",
        _all(
            lambda c: None if c["is_upper"] else "不是上级交办的案件",
            _has("replied_on", "案件尚未答复"),
        ),
    ),
    # seed 002 附件3: the "2211" sheet, filled along the case's life from its registration.
    Document("handling_sheet", "信访流程办理单", lambda case: None),
)
BY_KEY = {document.key: document for document in DOCUMENTS}
BY_TITLE = {document.title: document for document in DOCUMENTS}


def find_document(name: str) -> Document:
    """A document by its key, its title or a part only one title has (答复书)."""
    from xinfang.core import words

    fitting = words.matching(
        name, [(d.key, d) for d in DOCUMENTS] + [(d.title, d) for d in DOCUMENTS]
    )
    if len(fitting) == 1:
        return next(iter(fitting.values()))
    if fitting:
        titles = [document.title for document in fitting.values()]
        raise StepRefused(f"“{shorten(name)}”可指{'、'.join(titles)}；请写得更完整些")
    raise StepRefused(
        f"没有“{shorten(name)}”这种文书；可打印：{'、'.join(d.title for d in DOCUMENTS)}（xinfang print --list）"
    )


def _cn(text: str | None) -> str:
    return chinese_date(date.fromisoformat(text[:10])) if text else ""


def _upper(text: str | None) -> str:
    return chinese_upper_date(date.fromisoformat(text[:10])) if text else ""


class Boxes(dict[str, str]):
    """A form's boxes, one per value of the office's list as it stands now, the case's
    own value ticked (a value since taken off the list too). A template written for
    other values gets an empty box for each of them rather than failing."""

    def __missing__(self, key: str) -> str:
        return UNCHECKED

    def line(self) -> str:
        return "\u3000".join(value + box for value, box in self.items())


def _boxes(conn: sqlite3.Connection, list_name: str, chosen: str | None) -> Boxes:
    options = settings.choices(conn, list_name)
    if chosen and chosen not in options:
        options.append(chosen)
    return Boxes((option, CHECKED if option == chosen else UNCHECKED) for option in options)


def _yes_no(done: bool) -> str:
    return f"是 {CHECKED}  否 {UNCHECKED}" if done else f"是 {UNCHECKED}  否 {CHECKED}"


def context(conn: sqlite3.Connection, case: Case, until: int | None = None) -> dict[str, Any]:
    """Every placeholder the templates may use (templates/README.md lists them). With
    `until` (an event's id), the case as its events told it just after that event: the
    case file keeps each round's 答复书 and 回访表 as they were printed in their round."""
    events = live_events(conn, case.id)  # a step withdrawn (撤销) fills no form
    if until is not None:
        events = [event for event in events if event["id"] <= until]
        # What the event recorded, over the case as it stood before it: a 不满意 回访
        # opens the next round, but its own form still shows the reply it was about.
        before = project(events[:-1]) if len(events) > 1 else {}
        recorded = {key: value for key, value in project(events).items() if value is not None}
        case = Case.from_row({**asdict(case), **before, **recorded})
    last = {event["action"]: event for event in events}
    decision = next(
        (e["action"] for e in reversed(events) if e["action"] in ("accept", "reject", "transfer")),
        None,
    )
    unit = conn.execute("SELECT liaison, phone FROM units WHERE name = ?", (case.unit,)).fetchone()
    reply_due = conn.execute(
        "SELECT due_on FROM deadlines WHERE case_id = ? AND stage = 'reply' ORDER BY round LIMIT 1",
        (case.id,),
    ).fetchone()
    revisited = _answering(events, "revisit", "reply")  # the revisit of the reply shown
    revisit = revisited["data"] if revisited else {}
    office = settings.get(conn, "unit_name")
    received = case.received_at
    forms = _boxes(conn, "form", case.form)
    methods = _boxes(conn, "revisit_method", revisit.get("method"))
    scale = _boxes(conn, "satisfaction", revisit.get("satisfaction"))
    values: dict[str, Any] = {
        "office": office,
        "case_no": case.number,
        "formal_no": formal_number(settings.get(conn, "case_prefix"), case.year, case.seq),
        "today_cn": chinese_date(today()),
        "today_upper": chinese_upper_date(today()),
        "status": case.status.value,
        "decision": decision,
        "name": "匿名" if case.anonymous else case.name or "",
        "sex": case.sex or "",
        "age": str(case.age or ""),
        "persons": str(case.persons),
        "phone": case.phone or "",
        "id_number": case.id_number or "",
        "address": case.address or "",
        "anonymous": case.anonymous,
        "received_cn": _cn(received),
        "received_upper": _upper(received),
        "received_time": _cn(received) + (f" {received[11:16]}" if len(received) > 10 else ""),
        "source": case.source,
        "source_line": case.form if case.source == OWN_SOURCE else f"{case.form}（{case.source}）",
        "is_upper": case.source == UPPER_SOURCE,
        "upper_ref": case.upper_ref or "",
        "upper_office": settings.get(conn, "upper_office") or UPPER_UNSET,
        "sent": _sent(case),
        "form": case.form,
        "form_boxes": forms,
        "form_line": forms.line(),
        "content": case.content,
        "matter": _matter(case.content),
        "category": case.category or "",
        "kind": case.kind or "",
        "township": case.township or "",
        "receiver": case.receiver or "",
        "receiver_opinion": case.receiver_opinion or "",
        "accepted_cn": _cn(case.decided_on) if decision == "accept" else "",
        "accepted_upper": _upper(case.decided_on) if decision == "accept" else "",
        # 受理/不予受理告知书: signed the day the petitioner was told, else of the decision.
        "notice_upper": _upper(case.notified_on or case.decided_on),
        "decided_cn": _cn(case.decided_on),
        "decided_upper": _upper(case.decided_on),
        "reply_due_cn": _cn(reply_due[0]) if reply_due and reply_due[0] else "",
        "reply_due_upper": _upper(reply_due[0]) if reply_due and reply_due[0] else "",
        "reject_reason": _clause(case.decision_reason) if decision == "reject" else "",
        "reject_channel": _remedy(case.reject_channel),
        "transfer_to": case.transfer_to or "",
        "transfer_reason": _clause(case.decision_reason) if decision == "transfer" else "",
        "transferred_cn": _cn(case.decided_on) if decision == "transfer" else "",
        "transferred_upper": _upper(case.decided_on) if decision == "transfer" else "",
        "unit": case.unit or "",
        "internal_unit": (case.unit or "").endswith(INTERNAL_SUFFIXES),
        "assign_no": formal_number(
            settings.get(conn, "assign_prefix"), case.assign_year, case.assign_seq
        )
        if case.assign_year and case.assign_seq
        else "",
        "assign_year": str(case.assign_year or ""),
        "assign_seq": str(case.assign_seq or ""),
        "assigned_cn": _cn(case.assigned_on),
        "assigned_upper": _upper(case.assigned_on),
        "assign_due_cn": _cn(case.assign_due),
        "assign_due_upper": _upper(case.assign_due),
        "unit_liaison": unit["liaison"] or "" if unit else "",
        "unit_phone": unit["phone"] or "" if unit else "",
        "unit_report": case.unit_report or "",
        "unit_reported_cn": _cn(case.unit_reported_on),
        "reply_result": case.reply_result or "",
        "reply_finding": case.reply_finding or "",
        "reply_text": case.reply_text or "",
        "replied_on": case.replied_on or "",
        "replied_cn": _cn(case.replied_on),
        "replied_upper": _upper(case.replied_on),
        "investigated_by": case.unit or office,
        "investigated_cn": _month_day(_investigated(events) or case.replied_on),
        **_review_bodies(conn),
        "revisit_by": revisited["actor"] if revisited else "",
        "revisited_cn": _cn(revisited["occurred_at"]) if revisited else "",
        "revisit_method": revisit.get("method") or "",
        "revisit_satisfaction": revisit.get("satisfaction") or "",
        "revisit_opinion": revisit.get("opinion") or "",
        "method_boxes": methods,
        "method_line": methods.line(),
        "satisfaction_boxes": scale,
        "satisfaction_line": scale.line(),
        "publicized_cn": _cn(case.publicized_on),
        "publicize_where": last.get("publicize", {}).get("data", {}).get("where", "")
        or _unpublicized(last.get("close", {}).get("data", {})),
        "publicized_box": _yes_no(bool(case.publicized_on)),
        "closed_cn": _cn(case.closed_on),
        "closed_upper": _upper(case.closed_on),
        "close_opinion": last.get("close", {}).get("data", {}).get("opinion", ""),
        "approved_by": last.get("close", {}).get("data", {}).get("approved_by", ""),
        "closed_box": _yes_no(bool(case.closed_on)),
        "archived_cn": _cn(case.archived_on),
        "retention": case.retention or "",
        "handler": last["register"]["actor"] if "register" in last else "",
        "pages_total": str(last["archive"]["data"].get("pages", "")) if "archive" in last else "",
        "catalogue": [{"number": str(n), "title": "", "pages": ""} for n in range(1, 9)],
        **_reception(conn, case, events),  # 接访交办通知单 / 办理结果回复单
        "contact_person": last["register"]["actor"] if "register" in last else "",
        # 督办通知 and 联系函: from the latest supervise and liaise events.
        **supervision.print_values(conn, events),
    }
    values.update(_dissatisfied(events))
    values.update(review_opinion.print_values(conn, case, events))  # 复查意见书
    values.update(followups.print_values(conn, case, events))  # issue 17's papers
    return values


def _reception(
    conn: sqlite3.Connection, case: Case, events: list[dict[str, Any]]
) -> dict[str, str]:
    """The leader, day and place of the reception the case was taken at, from the plan
    (the 接访人 may be the clerk who wrote it up); without a plan day, a blank leader
    for the pen and the office's reception place (or a blank). `instruction`: the latest 领导批示."""
    instructed = next((e["data"] for e in reversed(events) if e["action"] == "instruct"), None)
    instruction = f"{instructed['leader']}批示：{instructed['text']}" if instructed else ""
    if case.source != RECEPTION_SOURCE:
        return {"leader": "", "reception_cn": "", "reception_place": "", "instruction": instruction}
    held = reception.held_for(conn, date.fromisoformat(case.received_at[:10]))
    return {
        "leader": held.leader if held else "",
        "reception_cn": _cn(held.day.isoformat() if held else case.received_at),
        "reception_place": (held.place if held else None)
        or settings.get(conn, "reception_place")
        or "",
        "instruction": instruction,
    }


def _review_bodies(conn: sqlite3.Connection) -> dict[str, str]:
    """Where a 复查 may be sought: the 同级人民政府 or the 上级部门 of a department; a
    town's government has only the county's government above it (no department set)."""
    government = settings.get(conn, "review_government") or ""
    department = settings.get(conn, "review_department") or ""
    bodies = "或".join(body for body in (government, department) if body)
    return {
        "review_government": government,
        "review_department": department,
        "review_bodies": bodies,
    }


def _investigated(events: list[dict[str, Any]]) -> str | None:
    """The day of the investigation the reply shown rests on: the latest unit report or
    核实 before the latest reply (a second round's 答复书 does not cite the first's)."""
    replied = max((i for i, e in enumerate(events) if e["action"] == "reply"), default=None)
    before = events if replied is None else events[:replied]
    found = (e for e in reversed(before) if e["action"] in ("unit-report", "reexamine"))
    event = next(found, None)
    return str(event["occurred_at"]) if event else None


def _answering(events: list[dict[str, Any]], action: str, after: str) -> dict[str, Any] | None:
    """The latest `action` event if it answers the latest `after` one (comes later)."""
    for event in reversed(events):
        if event["action"] == after:
            return None
        if event["action"] == action:
            return event
    return None


def _matter(content: str) -> str:
    """The complaint inside “…” after 您反映的: without a leading 反映 or closing mark."""
    text = _clause(content.strip())
    return text.removeprefix("反映").lstrip("：:，, ") or text


def _remedy(channel: str | None) -> str:
    """The whole clause after 程序: 向 + body + 提出, or the clause as the clerk wrote it."""
    text = _clause((channel or "").strip())
    if not text or text.startswith(REMEDY_VERBS):
        return text
    body = text.removeprefix("向")
    return f"向{body}" if any(verb in body for verb in REMEDY_VERBS) else f"向{body}提出"


def _sent(case: Case) -> dict[str, Any]:
    """The petitioner as written on a paper sent out of the office (交办单, 督办通知, 转送函…):
    `name` for a table cell, `who` for a sentence (信访人张三)."""
    if case.anonymous:
        return {"name": "匿名", "who": "匿名信访人", "phone": "", "id_number": "", "address": "",
                "withheld": False}  # fmt: skip
    if case.kind == ACCUSATION:
        hidden = f"（姓名{WITHHELD}）"
        return {"name": hidden, "who": f"信访人{hidden}", "phone": WITHHELD,
                "id_number": WITHHELD, "address": WITHHELD, "withheld": True}  # fmt: skip
    return {"name": case.name or "", "who": f"信访人{case.name or ''}", "phone": case.phone or "",
            "id_number": case.id_number or "", "address": case.address or "", "withheld": False}  # fmt: skip


def _clause(reason: str | None) -> str:
    """A reason written into a sentence of the letter: without its closing mark."""
    return (reason or "").rstrip("。；，.;, ")


def _unpublicized(closing: dict[str, Any]) -> str:
    """不公示: the reason, where the 结案审批表 names the 公示 channel."""
    return f"不公示：{closing.get('reason', '')}" if closing.get("publicize") is False else ""


def _month_day(text: str | None) -> str:
    if not text:
        return ""
    day = date.fromisoformat(text[:10])
    return f"{day.month}月{day.day}日"


def _dissatisfied(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest 不满意 round: what the petitioner said, the reply it was about, and the
    reply that followed it (the 核实件 and 核实情况说明 of seed 002)."""
    found: dict[str, Any] = {
        "check_round": "", "check_requirement": "", "original_reply": "",
        "check_findings": "", "check_reply": "", "check_by": "", "check_upper": "",
    }  # fmt: skip
    previous_reply: dict[str, Any] | None = None
    for index, event in enumerate(events):
        data = event["data"]
        if event["action"] == "reply":
            previous_reply = data
        if event["action"] == "revisit" and data.get("satisfaction") == DISSATISFIED:
            later = [
                e
                for e in events[index + 1 :]
                if e["action"] in ("reply", "unit-report", "reexamine")
            ]
            reply = next((e["data"] for e in later if e["action"] == "reply"), None)
            report = next(
                (e["data"] for e in later if e["action"] in ("reexamine", "unit-report")), None
            )
            examiner = (report or {}).get("examiner")
            found.update(
                check_round=str(event["round"]),
                check_requirement=data.get("opinion") or "信访人对处理结果不满意",
                original_reply=(
                    f"{previous_reply['result']}。{previous_reply['text']}"
                    if previous_reply
                    else ""
                ),
                check_findings=(report or {}).get("findings")
                or (report or {}).get("text", "")
                or (reply or {}).get("text", ""),
                check_reply=f"{reply['result']}。{reply['text']}" if reply else "",
                check_by=examiner or event["actor"],
                # 核实情况说明: dated by the re-check's answer (or report), never the print day
                check_upper=_upper(
                    next((e["occurred_at"] for e in later if e["action"] == "reply"), None)
                    or next((e["occurred_at"] for e in later if e["action"] != "reply"), None)
                )
                or SIGN_BLANK,
            )
    return found


def fits(conn: sqlite3.Connection, case: Case, document: Document) -> str | None:
    return document.fits(context(conn, case))
