"""Human output: a case with its timeline, and lists of cases, as rich tables. rich is
imported here only, so commands that print one line never pay for it."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from xinfang.core.clock.overdue import UNIT_WORDS, left_words, window_words
from xinfang.core.clock.rules import WORKDAY
from xinfang.core.intake.fields import CASE_SECTIONS, REGISTRATION_FIELDS
from xinfang.core.life.actions import ACTIONS
from xinfang.core.life.finality import NOT_AGAIN
from xinfang.core.vocabulary import RECEIPTS, URGENT

ACTION_LABELS = {"register": "登记", **{name: a.label for name, a in ACTIONS.items()}}

DATA_LABELS = {
    "to": "对象",
    "unit": "承办单位",
    "due": "办结期限",
    "number": "编号",
    "from": "来函单位",
    "result": "结果",
    "finding": "是否属实",
    "text": "内容",
    "method": "方式",
    "satisfaction": "满意度",
    "opinion": "意见",
    "new_round": "重新办理轮次",
    "reason": "理由",
    "channel": "法定途径/有权机关",
    "where": "位置",
    "retention": "保管期限",
    "approved_by": "审批人",
    "notified_on": "告知日期",
    "notice_method": "告知方式",
    "repeat_of": "重复信访（首件编号）",
    "unlinked_from": "原关联",
    "requested_on": "复查申请日期",
    "late_reason": "逾期理由",
    "outcome": "复查结论",
    "upper_outcome": "复核结论",
    "upper_body": "复核机关",
    "upper_text": "复核意见",
    "recheck_body": "可请求复核的机关",
    "recheck_requested_on": "复核申请日期",
    "document": "文书",
    "receipt": RECEIPTS,
    "examiner": "核实人",
    "findings": "核实情况",
    "leader": "批示领导",
    "matter": "联系事项",
    "borrower": "借阅人",
    "title": "材料",
    "kind": "类别",
    "days": "延长天数",
    "from_unit": "原承办单位",
    "person": "承办责任人",
    "person_phone": "责任人电话",
    "into": "并入",
    "follow_up": "续报",
}


def console() -> Console:
    import sys

    # Piped to a file or cron mail: no terminal to fit, so do not squeeze the columns.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def _who(case: dict[str, Any]) -> str:
    """信访人 in a list: 匿名, or the name, with 等N人 for a 集体访 unless the name says so."""
    if case["anonymous"]:
        return "（匿名）"
    name = _value(case["name"])
    crowd = f"等{case['persons']}人"
    return name + (crowd if case.get("collective") and not name.endswith(crowd) else "")


def describe_event(event: dict[str, Any]) -> str:
    data = event["data"]
    action = event["action"]
    parts = (
        _describe(action, data),
        _provenance(data) if action == "register" or "imported" in data else "",
    )
    return "；".join(part for part in parts if part)


def _provenance(data: dict[str, Any]) -> str:
    """Where a step came from when it was not typed here: an old ledger, a town's bundle
    (said once, at the registration, for a merged case)."""
    if "imported_from" in data:
        source = data["imported_from"]
        where = f"{source.get('file', '')}" + (
            f"（{source['sheet']}）" if source.get("sheet") else ""
        )
        return f"导入自 {where} 第 {source.get('row', '?')} 行"
    if "merged_from" in data:
        return f"汇总自 {data['merged_from']['office']} {data['merged_from']['case']}"
    if data.get("imported"):
        return "导入" + ("（原台账未记日期，按上一步）" if data.get("date_assumed") else "")
    return ""


def _describe(action: str, data: dict[str, Any]) -> str:
    if action == "register":
        urgent = f" · 重大{URGENT}" if data.get("urgent") else ""
        return f"{data.get('source', '')} · {data.get('form', '')}{urgent}"
    if action == "void":
        what = "整件作废" if data.get("event") == 1 else f"撤销第 {data.get('event')} 条"
        label = ACTION_LABELS.get(data.get("action", ""), "")
        return f"{what}「{label}」：{data.get('reason', '')}"
    if action == "correct":
        detail = (
            f"{data['label']}：{_value(data.get('old')) or '（空）'} → {_value(data.get('new'))}"
        )
        return detail + (f"（{data['reason']}）" if data.get("reason") else "")
    return "；".join(
        f"{DATA_LABELS.get(key, key)}：{_value(value)}"
        for key, value in data.items()
        if key in DATA_LABELS
    )


def print_case(case: dict[str, Any]) -> None:
    out = console()
    round_text = f" · [red]重大{URGENT}[/]" if case.get("urgent") else ""
    round_text += f" · 第 {case['round']} 轮办理" if case["round"] > 1 else ""
    if case.get("collective"):
        round_text += f" · 集体访（{case['persons']} 人）"
    if case.get("repeat_of"):
        round_text += (
            f" · 重复信访（同 {case['repeat_of']}，该事项第 {case['petitions_in_matter']} 次）"
        )
    elif case.get("petitions_in_matter", 1) > 1:
        round_text += f" · 此后重复信访 {case['petitions_in_matter'] - 1} 次"
    main = case.get("joined_into")
    if main:
        round_text += (
            f" · 随主案 {main['case_no']} 办理（主案{main['status_label'].split('（')[0]}）"
        )
    if case.get("joined"):
        round_text += f" · 并案：{'、'.join(case['joined'])} 随本案办理"
    if case.get("ended"):  # 终结: the 复核 decided, or none asked for in time
        round_text += f" · [bold]已终结[/]（{case['ended']['why']}）"
    elif case.get("matter_ended"):
        round_text += f" · 该事项{NOT_AGAIN}（{case['matter_ended']['why']}）"
    out.print(
        f"[bold]{case['case_no']}[/]  {case['formal_no']}  [cyan]{case['status_label']}[/]{round_text}"
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for field in REGISTRATION_FIELDS:
        value = case.get(field.key)
        if value not in (None, "", False) or field.key in ("name", "content"):
            grid.add_row(field.label, _value(value) or ("（匿名）" if case["anonymous"] else ""))
    for key, label in CASE_SECTIONS:
        if case.get(key) not in (None, ""):
            grid.add_row(label, _value(case[key]))
    out.print(grid)
    if case.get("imported_extra"):  # the columns of an old ledger no field holds
        extra = Table(title="原台账其他列", box=box.SIMPLE_HEAD, title_justify="left")
        extra.add_column("列名", style="dim", no_wrap=True)
        extra.add_column("内容", overflow="fold")
        for column, text in case["imported_extra"].items():
            extra.add_row(column, text)
        out.print(extra)
    if case.get("deadlines"):
        out.print(deadline_table(case["deadlines"]))
    timeline = Table(title="办理过程", box=box.SIMPLE_HEAD, title_justify="left")
    timeline.add_column("#", justify="right")  # the number `xinfang void` takes
    timeline.add_column("时间", no_wrap=True)
    timeline.add_column("事项", no_wrap=True)
    timeline.add_column("轮次", justify="right")
    timeline.add_column("经办人")
    timeline.add_column("内容", overflow="fold")
    for event in case["events"]:
        withdrawn = event.get("voided")
        timeline.add_row(
            str(event.get("no", "")),
            event["occurred_at"][:16],
            ACTION_LABELS.get(event["action"], event["action"]),
            str(event["round"]),
            event["actor"],
            describe_event(event)
            + (f"（已撤销，见第 {event['voided_by']} 条）" if withdrawn else ""),
            style="strike dim" if withdrawn else None,
        )
    out.print(timeline)


STATE_WORDS = {"met": "按期完成", "met_late": "逾期完成", "paused": "暂停计时"}
# A deadline ended unmet, by what ended it.
ENDED_WORDS = {
    "join": "随主案终止",
    "archive": "归档时终止",
    "assumed": "原台账未记完成日期（按上一步推定），不计按期或超期",
}


def deadline_state(deadline: dict[str, Any]) -> str:
    if deadline["state"] == "ended":
        return ENDED_WORDS.get(deadline["ended_by"], "已终止")
    left = deadline["days_left"]
    day_unit = UNIT_WORDS[deadline["unit"] == WORKDAY]
    if not deadline["office_duty"]:  # the petitioner's window: never 超期
        words = window_words(deadline["state"], left, day_unit)
    else:
        words = STATE_WORDS.get(deadline["state"]) or left_words(left, day_unit)
        words = f"[red]{words}[/]" if deadline["state"] == "overdue" else words
    if deadline["provisional"] and deadline["state"] in ("open", "overdue"):
        words += "（按周末估算）"
    return "；".join(filter(None, (words, deadline.get("counted_from"))))


def deadline_table(deadlines: list[dict[str, Any]]) -> Table:
    table = Table(title="期限", box=box.SIMPLE_HEAD, title_justify="left")
    for heading in ("环节", "轮次", "起算", "期限", "到期日", "完成日", "情况"):
        table.add_column(heading, no_wrap=heading != "情况")
    for deadline in deadlines:
        unit = "个工作日" if deadline["unit"] == "workday" else "天"
        paused = f"（暂停 {deadline['paused_days']}{unit}）" if deadline["paused_days"] else ""
        table.add_row(
            deadline["label"],
            str(deadline["round"]),
            deadline["starts_on"],
            deadline["rule"] + paused,
            deadline["due_on"] or "—",
            deadline["met_on"] or "",
            deadline_state(deadline),
        )
    return table


SPARE = ("问题类型", "属地", "承办单位")  # left out of a list on a narrow terminal
LIST_HEADER = (
    "编号",
    "信访时间",
    "信访人",
    "问题类型",
    "属地",
    "承办单位",
    "状态",
    "最近期限",
    "反映问题",
)


def print_cases(
    cases: list[dict[str, Any]],
    *,
    title: str,
    out: Console | None = None,
    footer: str | None = None,
) -> None:
    """`out`: a console of the caller's (a pager's); `footer`: said instead of 共 N 件
    ("" for none: a list printed in chunks)."""
    out = out or console()
    if not cases:
        out.print("没有符合条件的案件。")
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    rows = [
        (
            case["case_no"] + (f" [red]{URGENT}[/]" if case.get("urgent") else ""),
            case["received_at"][:10],
            _who(case) + ("（重复）" if case.get("repeat_of") else ""),
            _value(case["category"]),
            _value(case["township"]),
            _value(case["unit"]),
            case["status_label"].split("（")[0],
            _value(case.get("next_due")),
            case["content"].replace("\n", " "),
        )
        for case in cases
    ]
    # Narrow terminals: the number and the dates are never cut (their width is their
    # longest value's); below 100 columns 问题类型, 属地 and 承办单位 are left out (`show`
    # has them) and the other columns give way.
    narrow = out.width < 100
    shown = [at for at, heading in enumerate(LIST_HEADER) if not (narrow and heading in SPARE)]
    for at in shown:
        heading = LIST_HEADER[at]
        if heading in ("编号", "信访时间", "最近期限"):
            width = max(cell_len(Text.from_markup(row[at]).plain) for row in rows)
            table.add_column(heading, no_wrap=True, min_width=max(width, cell_len(heading)))
        else:
            keep = {"信访人": 4, "状态": 6, "反映问题": 4}.get(heading)
            table.add_column(
                heading, overflow="ellipsis", no_wrap=True, min_width=keep,
                max_width=36 if heading == "反映问题" else None,
            )  # fmt: skip
    for row in rows:
        table.add_row(*(row[at] for at in shown))
    out.print(table)
    if footer != "":
        out.print(footer or f"共 {len(cases)} 件")
