"""The later steps a row shows — the decision, assignment and the unit's handling, the
reply, revisit, publication and closing — as the events those actions write, in the
order of a case's life."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from xinfang.core.clock import rules
from xinfang.core.clock.dates import parse_month_day, parse_when
from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.exchange.importing.cells import as_text, as_word, decision, yes_no
from xinfang.core.exchange.importing.columns import UNIT_LIST
from xinfang.core.vocabulary import (
    DISSATISFIED,
    FINDINGS,
    NOTICE_METHODS,
    REPLY_RESULTS,
    SATISFIED,
    WRITTEN_NOTICE,
)

if TYPE_CHECKING:
    from xinfang.core.exchange.importing.rows import Reader

NOT_RECORDED = "（原台账未记载）"
# A later column filled in means the case got that far: it was accepted, at least.
LATER = (
    "decided_on", "unit", "assigned_on", "unit_accepted_on", "unit_reported_on", "unit_report",
    "replied_on", "reply_text", "reply_result", "reply_finding", "satisfaction",
    "revisited_on", "publicized_on", "closed_on",
)  # fmt: skip
# A status column (是否办结, 办结状态, 处理状态, 信访件状态): finished or not. It decides
# over the free text of a result column. A 纪检 ledger's is the clue's disposal: 予以了结
# is done; 初核, 立案审查, 谈话函询 and 暂存待查 are still in hand.
FINISHED = (
    ("是", "已办结", "办结", "已结", "已处理", "已完成", "予以了结", "了结"),
    (
        "否", "未办结", "未结", "在办", "办理中", "未处理", "已受理", "受理", "待", "正在",
        "初核", "初步核实", "立案", "谈话函询", "函询", "暂存待查",
    ),
)  # fmt: skip
# 1/0 where the header says which is which: 是否办结(1是0否), 是否办结（是=1）.
ONE_MEANS_YES = re.compile(r"1\s*[=:：]?\s*是|是\s*[=:：]?\s*1")
# What a result cell says while the case is still being handled (正在办理中, 已转县人社局办理，
# 尚未答复, 正在初核, 初核后立案审查): not a reply. Its text is kept as a note.
PROGRESS = re.compile(r"正在|尚未|待|初核|办理中|立案审查|已转.{0,40}?办理")


def in_progress(text: str | None) -> bool:
    return bool(text and PROGRESS.search(text))


@dataclass
class Step:
    action: str
    day: date
    round: int
    data: dict[str, Any]  # the event's; what it does to the case is the action's fold


class Life:
    """The steps a row shows, in the order of a case's life, each dated no earlier than
        the one before; a step without a date of its own takes the previous step's date and
        says so (`date_assumed`). Each step's data is what its action writes in its event; the
    case follows from the events (projection.py), as for an action typed at the terminal."""

    def __init__(
        self,
        reader: Reader,
        values: dict[str, Any],
        record: dict[str, Any],
        listed: list[tuple[str, str]],
    ) -> None:
        self.reader = reader
        self.values = values
        self.record = record
        self.listed = listed
        self.day = date.fromisoformat(record["received_at"][:10])
        self.after = reader.label("received_at")
        self.round = 1
        self.list: list[Step] = []

    def has(self, *keys: str) -> bool:
        return any(self.values.get(key) is not None for key in keys)

    def text(self, key: str, limit: int, *, multiline: bool = False) -> str | None:
        return self.reader.text(self.values, key, limit, multiline=multiline)

    def when(self, key: str) -> tuple[date, bool]:
        """The step's day from its column, or the previous step's day (assumed)."""
        found = self.reader.date(self.values, key)
        if found is None:
            return self.day, True
        day = found[1]
        if day < self.day:
            raise InvalidInput(self.reader.label(key), f"{day} 早于{self.after} {self.day}")
        self.day, self.after = day, self.reader.label(key)
        return day, False

    def add(
        self,
        action: str,
        when: tuple[date, bool],
        data: dict[str, Any],
    ) -> None:
        day, assumed = when
        data = {**data, "imported": True, **({"date_assumed": True} if assumed else {})}
        self.list.append(Step(action, day, self.round, data))

    def steps(self) -> list[Step]:
        decided, transfer_to = None, None
        if self.has("decision"):
            decided, transfer_to = decision(self.values["decision"], self.reader.label("decision"))
        finished = self._finished()
        if decided is None:
            if self.has("reject_channel"):
                decided = "reject"
            elif self.has("transfer_to"):
                decided = "transfer"
            elif self.has(*LATER, "finished"):
                decided = "accept"
        if decided is not None:
            self._decide(decided, transfer_to)
        if decided == "accept":
            self._handle(finished)
        return self.list

    def _finished(self) -> bool | None:
        """The status column's word (None: no such column or cell)."""
        if not self.has("finished"):
            return None
        label, word = self.reader.label("finished"), as_word(self.values["finished"])
        if word in ("1", "0") and ONE_MEANS_YES.search(unicodedata.normalize("NFKC", label)):
            return word == "1"
        return yes_no(word, label, *FINISHED)

    def _note(self, text: str | None) -> None:
        """Text the row holds that no step took (a progress report): kept, searchable."""
        if text:
            self.add("note", (self.day, True), {"text": text})

    def _notice(self, decided: date) -> dict[str, Any]:
        """是否告知 (是 / 是（11月3日）/ 否) or a 告知日期, as accept records it."""
        if self.record["anonymous"]:
            return {}
        told: date | None = None
        label = self.reader.label("notice")
        word = as_word(self.values.get("notice") or "")
        if word.startswith(("是", "已")):
            told = decided
            inner = re.search(r"\((.+)\)", word)
            if inner:
                try:
                    written = parse_month_day(inner.group(1), decided.year, label)
                    told = (written or parse_when(inner.group(1), label))[0].date()
                except InvalidInput as error:
                    raise self.reader.fail("notice", error) from None
        elif word and not word.startswith(("否", "未", "匿名", "无需")):
            raise InvalidInput(label, f"无法识别“{shorten(word)}”；可填 是 或 否")
        found = self.reader.date(self.values, "notified_on")
        told = found[1] if found else told
        if told is None:
            return {}
        if told < decided:
            raise InvalidInput(
                self.reader.label("notified_on"), f"{told} 早于受理决定日期 {decided}"
            )
        method = self.text("notice_method", 20) or WRITTEN_NOTICE
        if method not in NOTICE_METHODS:
            allowed = "、".join(NOTICE_METHODS)
            raise InvalidInput(
                self.reader.label("notice_method"), f"“{method}”不可用；可选：{allowed}"
            )
        return {"notified_on": told.isoformat(), "notice_method": method}

    def _decide(self, decided: str, transfer_to: str | None) -> None:
        when = self.when("decided_on")
        notice = self._notice(when[0])
        data: dict[str, Any] = dict(notice)
        remarks = as_text(self.values.get("remarks") or "")
        reason = self.text("decision_reason", 2_000, multiline=True)
        if decided == "reject":  # the 受理情况汇总表 puts the channel in 备注
            said = re.search(r"告知途径[:：]([^；;]+)", remarks)
            channel = self.text("reject_channel", 200) or (
                self.reader.clean("remarks", said.group(1), 200) if said else None
            )
            reason = reason or self.text("reply_text", 2_000, multiline=True) or NOT_RECORDED
            data |= {"reason": reason, "channel": channel or NOT_RECORDED}
        elif decided == "transfer":
            said = re.search(r"转送([^；;]+)", remarks)
            body = (
                self.text("transfer_to", 200)
                or self.reader.clean("decision", transfer_to, 200)
                or (self.reader.clean("remarks", said.group(1), 200) if said else None)
            )
            data |= {"to": body or NOT_RECORDED, "reason": reason}
        self.add(decided, when, data)

    def _handle(self, finished: bool | None) -> None:
        reply_text = self.text("reply_text", 20_000, multiline=True)
        report = self.text("unit_report", 20_000, multiline=True)
        unit = self.text("unit", 50)
        result = self.text("reply_result", 20)
        # xinfang's 办理情况汇总表 writes "交沙河镇办理；已解决。…": the unit and the result.
        handed = re.match(r"^已?交(\S{1,50}?)办理[；;，,]", reply_text or "")
        if handed and reply_text:
            unit, reply_text = unit or handed.group(1), reply_text[handed.end() :].strip()
        said = re.match(rf"^({'|'.join(REPLY_RESULTS)})[。.，,；;]", reply_text or "")
        if said and reply_text and result is None:
            result, reply_text = said.group(1), reply_text[said.end() :].strip()
        reply_text = reply_text or None
        # What the row says decides, not a cell being filled: a status column first, then
        # progress words; a reply date, finding or revisit is a reply whatever the text.
        said_replied = self.has(
            "replied_on", "reply_finding", "satisfaction", "revisited_on", "publicized_on"
        )
        progress = finished is False or (finished is None and in_progress(reply_text))
        replied = said_replied or bool(finished) or (not progress and bool(reply_text or result))
        kept = None if replied else reply_text  # the progress report, as a note
        # 办理情况 saying 正在办理中 is the unit at work, not its report: a note
        working = report if not replied and in_progress(report) else None
        if unit:
            self.listed.append((UNIT_LIST, unit))
            self._assign(unit, replied, reply_text if replied else None, working is not None)
            self._note(working)
        elif report is not None:  # no unit to report it: kept as a note, not lost
            self._note(report)
        if replied:
            self._reply(result, reply_text)
            if self.has("satisfaction", "revisited_on"):
                self._revisit()
            if self.has("publicized_on"):
                self.add("publicize", self.when("publicized_on"), {})
        self._note(kept)
        if finished or self.has("closed_on"):
            self.add("close", self.when("closed_on"), {})

    def _assign(self, unit: str, replied: bool, reply_text: str | None, working: bool) -> None:
        when = self.when("assigned_on")
        day = when[0]
        found = self.reader.date(self.values, "assign_due")
        data: dict[str, Any] = {"to": unit}
        if found is None:  # not in the file: the reply deadline, counted from the assignment
            rule = self.reader.rules.get("reply")
            cal = self.reader.cal
            if rule is None:
                due = cal.add_days(day, 15)
            elif rule.unit == rules.WORKDAY:
                due = cal.add_workdays(day, rule.amount)
            else:
                due = cal.add_days(day, rule.amount)
            data["due_assumed"] = True
        else:
            due = found[1]
            if due <= day:
                raise InvalidInput(self.reader.label("assign_due"), f"{due} 必须晚于交办日期 {day}")
        self.add("assign", when, {**data, "due": due.isoformat()})
        reported = (
            replied or self.has("unit_reported_on") or (self.has("unit_report") and not working)
        )
        if reported or working or self.has("unit_accepted_on"):
            self.add("unit-accept", self.when("unit_accepted_on"), {"unit": unit})
        if reported:
            report = self.text("unit_report", 20_000, multiline=True) or reply_text
            when = self.when("unit_reported_on")
            self.add("unit-report", when, {"unit": unit, "text": report})

    def _reply(self, result: str | None, text: str | None) -> None:
        if result is not None and result not in REPLY_RESULTS:
            allowed = "、".join(REPLY_RESULTS)
            raise InvalidInput(
                self.reader.label("reply_result"), f"“{result}”不可用；可选：{allowed}"
            )
        finding = self.text("reply_finding", 20)
        if finding is not None and finding not in FINDINGS:
            allowed = "、".join(FINDINGS)
            raise InvalidInput(
                self.reader.label("reply_finding"), f"“{finding}”不可用；可选：{allowed}"
            )
        when = self.when("replied_on")
        data = {"result": result, "finding": finding, "text": text}
        self.add("reply", when, data)

    def _revisit(self) -> None:
        satisfaction = None
        if self.has("satisfaction"):
            word = as_word(self.values["satisfaction"])
            satisfaction = {"是": SATISFIED, "否": DISSATISFIED}.get(word, word)
            allowed = self.reader.satisfaction
            if satisfaction not in allowed:
                raise InvalidInput(
                    self.reader.label("satisfaction"),
                    f"“{shorten(satisfaction)}”不可用；可选：{'、'.join(allowed)}",
                )
        method = self.text("revisit_method", 50)
        if method:
            self.listed.append(("revisit_method", method))
        opinion = self.text("revisit_opinion", 5_000, multiline=True)
        data: dict[str, Any] = {"method": method, "satisfaction": satisfaction, "opinion": opinion}
        when = self.when("revisited_on")
        if satisfaction == DISSATISFIED:  # handled again in a new round, as `revisit` does
            self.add("revisit", when, {**data, "new_round": self.round + 1})
            self.round += 1
            return
        self.add("revisit", when, data)
