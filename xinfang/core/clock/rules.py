"""Deadline rule sets, as data: for each stage, how many days, counted how, from which
event. Two ship: the seed 000 office rules (default) and the national 信访工作条例 (2022).
The office picks one and may override single values; each case keeps the version of the
rules it was registered under (table `rule_versions`), whatever changes later."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from xinfang.core.clock.dates import now
from xinfang.core.errors import InvalidInput
from xinfang.core.vocabulary import ORAL_NOTICES

if TYPE_CHECKING:
    from xinfang.core.life.case import Case

WORKDAY = "workday"  # 工作日: only working days count
DAY = "day"  # 日: calendar days; a last day on a holiday moves to the next working day
UNIT_LABELS = {WORKDAY: "个工作日", DAY: "日"}
SAME_DAY = "当日"  # 0 days: due the day itself (立即), a weekend or holiday included


def length(amount: int, unit: str) -> str:
    """How a rule's length reads: 3个工作日, 30日, 当日."""
    return SAME_DAY if amount == 0 else f"{amount}{UNIT_LABELS[unit]}"


@dataclass(frozen=True)
class Stage:
    label: str
    starts: str  # the event the count starts from (day zero), as the clerk reads it
    office_duty: bool = True  # False: the petitioner's window, never "overdue" for us


STAGES: dict[str, Stage] = {
    "notice": Stage("受理告知", "登记"),
    "unit_accept": Stage("交办单位受理", "交办"),
    "reply": Stage("答复", "受理（不满意重新办理的，自回访）"),
    "revisit": Stage("回访", "答复"),
    "publicize": Stage("公示", "回访（匿名件自答复）"),
    "archive": Stage("归档", "办结"),
    "review_request": Stage("复查申请", "答复书送达（未登记送达的，自答复）", office_duty=False),
    "review": Stage("复查办结", "收到复查申请"),
    "recheck_request": Stage(
        "复核申请", "复查意见书送达（未登记送达的，自复查意见）", office_duty=False
    ),
    "recheck": Stage("复核办结", "收到复核申请"),
    "online_reply": Stage("网络舆情回复", "网民留言"),
    "upper_report": Stage("上级转办舆情书面报告", "收到转办"),
    "urgent_report": Stage("重大紧急事项报告", "登记为重大紧急（或标记为重大紧急）"),
}
# Deadlines whose date the clerk sets (no rule): 交办 due date; 督办 due date later.
FIXED_STAGES: dict[str, Stage] = {
    "assign_due": Stage("交办办结", "交办单所定日期"),
    "supervise_due": Stage("督办办结", "督办通知所定日期"),
}


# The decisions the 受理告知 stage tells the petitioner of (the actions' names).
DECISIONS = ("accept", "reject", "transfer")


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: str
    maximum: int | None = None  # the most an extension (延期 / 疑难复杂) may reach
    # The decisions whose notice must be in writing (书面告知): a phone call is not it.
    written: tuple[str, ...] = ()

    def describe(self) -> str:
        text = length(self.amount, self.unit)
        text += f"（最长 {length(self.maximum, self.unit)}）" if self.maximum else ""
        if self.written:
            from xinfang.core.life.actions import ACTIONS  # only when the rules are described

            text += f"，{'、'.join(ACTIONS[name].label for name in self.written)}须书面告知"
        return text


def stored_rule(value: Mapping[str, Any]) -> Rule:
    """A rule as stored. Rules stored before the decisions were named said `written: true`:
    every decision's notice."""
    written = value.get("written") or ()
    return Rule(**{**value, "written": DECISIONS if written is True else tuple(written)})


def decision_of(case: Case) -> str:
    """The decision a case's notice tells, from its row (a case has one live decision)."""
    if case.transfer_to:
        return "transfer"
    return "reject" if case.reject_channel else "accept"


def notice_meets(rule: Rule | None, method: str | None, decision: str) -> bool:
    """Does a notice of this decision given this way meet the notice duty of these rules?"""
    return not (rule is not None and decision in rule.written and method in ORAL_NOTICES)


RuleSet = dict[str, Rule | None]

RULE_SETS: dict[str, tuple[str, RuleSet]] = {
    "seed000": (
        "临泽县民政领域信访办理工作制度",
        {
            # 三：是否受理的决定，无法当场决定的 3 个工作日内书面告知（转送即不予受理本件）
            "notice": Rule(3, WORKDAY, written=DECISIONS),
            "unit_accept": Rule(3, DAY),  # 四：镇政府收到交办之日起 3 日内决定是否受理
            "reply": Rule(10, WORKDAY, 30),  # 五：一般 10 个工作日，疑难复杂最长 30 个工作日
            "revisit": Rule(3, DAY),  # seed 002：办结后 3 日内完成回访
            "publicize": Rule(3, DAY),  # 信息公开公示制度 第四条：办理完毕后 3 日内公示
            "archive": Rule(5, WORKDAY),  # 八：5 个工作日内形成案卷
            "review_request": Rule(30, DAY),  # 答复书：收到之日起 30 日内提出复查
            "review": Rule(30, DAY),  # seed 001 三（四）：复查 30 日内完成
            # 条例第三十六条（seeds 未另行规定）：收到复查意见 30 日内请求复核，复核 30 日内
            "recheck_request": Rule(30, DAY),
            "recheck": Rule(30, DAY, 60),  # 延长不超过 30 日
            "online_reply": Rule(3, DAY, 5),  # 网络舆情监控制度：3 日内回复，延长不超过 5 日
            "upper_report": Rule(2, DAY),  # 上级转办舆情 2 日内书面上报
            # 三：重大、紧急事项及时采取措施；seed 001 四（三）2：立即向领导报告，第一时间传递
            "urgent_report": Rule(0, DAY),
        },
    ),
    "2022": (
        "信访工作条例（2022）",
        {
            # 第二十三条：接收情况、转送去向、向有权机关提出，15 日内书面告知
            "notice": Rule(15, DAY, written=DECISIONS),
            "unit_accept": Rule(15, DAY),  # 第二十三条：收到交办之日起 15 日内告知接收情况
            "reply": Rule(60, DAY, 90),  # 第三十四条：60 日内办结，延长不超过 30 日
            "revisit": None,  # 条例未规定；单位自定的可用 config rules set 设置
            "publicize": None,
            "archive": None,
            "review_request": Rule(30, DAY),  # 第三十五条
            "review": Rule(30, DAY),  # 第三十五条
            "recheck_request": Rule(30, DAY),  # 第三十六条：收到书面复查意见之日起 30 日内
            "recheck": Rule(30, DAY, 60),  # 第三十六条：收到复核请求之日起 30 日内
            "online_reply": None,
            "upper_report": None,
            # 条例：重大、紧急信访事项和信访信息应当及时报告（按当日计）
            "urgent_report": Rule(0, DAY),
        },
    ),
}
DEFAULT_RULE_SET = "seed000"


def find_stage(name: str) -> str:
    for key, stage in STAGES.items():
        if name in (key, stage.label):
            return key
    allowed = "、".join(f"{s.label}（{k}）" for k, s in STAGES.items())
    raise InvalidInput("期限环节", f"没有“{name}”；可选：{allowed}")


def find_rule_set(name: str) -> str:
    for key, (label, _) in RULE_SETS.items():
        if name in (key, label):
            return key
    allowed = "、".join(f"{key}（{label}）" for key, (label, _) in RULE_SETS.items())
    raise InvalidInput("期限规则", f"没有“{name}”；可选：{allowed}")


def _setting(conn: sqlite3.Connection, key: str, default: Any) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def effective(conn: sqlite3.Connection) -> tuple[str, RuleSet]:
    """The rule set the office has chosen, with its own overrides applied."""
    name = _setting(conn, "rule_set", DEFAULT_RULE_SET)
    rules = dict(RULE_SETS[name][1])
    for stage, value in _setting(conn, "rule_overrides", {}).items():
        rules[stage] = stored_rule(value) if value else None
    return name, rules


def _fields(rule: Rule) -> dict[str, Any]:
    """A rule as stored; `written` only when set, so rules stored before it read the same."""
    return {key: value for key, value in asdict(rule).items() if key != "written" or value}


def _encode(rules: RuleSet) -> str:
    return json.dumps(
        {stage: _fields(rule) if rule else None for stage, rule in rules.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


def current_version(conn: sqlite3.Connection) -> int:
    """The id of the rules a case registered now starts under; a new version is recorded
    when the office has changed them. Call inside the write transaction."""
    name, rules = effective(conn)
    encoded = _encode(rules)
    row = conn.execute(
        "SELECT id, name, rules FROM rule_versions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row and row[1] == name and row[2] == encoded:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO rule_versions (name, rules, created_at) VALUES (?, ?, ?)",
        (name, encoded, now().isoformat(sep=" ")),
    )
    return int(cursor.lastrowid or 0)


def version_rules(conn: sqlite3.Connection, version: int) -> RuleSet:
    """The rules a case was registered under. A stage xinfang learnt after that version
    was stored (重大紧急事项报告, 复核) takes its rule set's value: the office never chose
    otherwise."""
    row = conn.execute("SELECT name, rules FROM rule_versions WHERE id = ?", (version,)).fetchone()
    stored = {
        stage: stored_rule(value) if value else None for stage, value in json.loads(row[1]).items()
    }
    shipped = RULE_SETS.get(row[0], RULE_SETS[DEFAULT_RULE_SET])[1]
    return {**{stage: rule for stage, rule in shipped.items() if stage not in stored}, **stored}


def choose(conn: sqlite3.Connection, name: str) -> str:
    key = find_rule_set(name)
    _save(conn, "rule_set", key)
    _save(conn, "rule_overrides", {})
    return key


def override(
    conn: sqlite3.Connection, stage: str, amount: int | None, unit: str | None, maximum: int | None
) -> None:
    """One stage's value for cases registered from now on; amount None = no deadline."""
    key = find_stage(stage)
    overrides = _setting(conn, "rule_overrides", {})
    if amount is None:
        overrides[key] = None
    else:
        if unit not in UNIT_LABELS:
            raise InvalidInput("计算方式", "只能是“工作日”或“日”")
        if maximum is not None and maximum < amount:
            raise InvalidInput("最长期限", f"不能短于一般期限 {amount}")
        # A new length for the notice keeps the rule set's 书面 requirement.
        base = RULE_SETS[_setting(conn, "rule_set", DEFAULT_RULE_SET)][1].get(key)
        overrides[key] = _fields(Rule(amount, unit, maximum, base.written if base else ()))
    _save(conn, "rule_overrides", overrides)


def _save(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )
