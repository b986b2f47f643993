"""Human output: a case with its timeline, and lists of cases, as rich tables. rich is
imported here only, so commands that print one line never pay for it."""

from __future__ import annotations

from collections.abc import Sequence
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


# Below this many columns a list takes two lines an item (a card) instead of a table row.
NARROW = 100
INDENT = "    "


def console() -> Console:
    import os
    import sys

    # Piped to a file or cron mail: no terminal to fit, so do not squeeze the columns,
    # unless COLUMNS says how wide (rich reads it itself).
    told = os.environ.get("COLUMNS", "").isdigit()
    return Console(highlight=False, width=None if sys.stdout.isatty() or told else 160)


def print_cards(
    out: Console,
    heads: list[list[str]],
    tails: list[str],
    *,
    styles: list[str | None] | None = None,
    cut: bool = True,
) -> None:
    """Two lines an item for a narrow screen. Line 1: the fields the clerk acts on (case
    number, dates, state, days), aligned by display width (a Chinese character is two
    columns) and never cut: a field that would pass the edge starts an indented line of
    its own, whole. Line 2, indented: the rest joined by " · ", cut to the screen with `…`
    (`cut`), or wrapped whole."""
    from rich.padding import Padding

    heads_text = [[Text.from_markup(cell) for cell in head] for head in heads]
    widths = [max(cell_len(head[at].plain) for head in heads_text) for at in range(len(heads[0]))]
    for index, (head, tail) in enumerate(zip(heads_text, tails, strict=True)):
        style = (styles[index] if styles else None) or ""
        line = Text()
        for at, cell in enumerate(head):
            padded = cell.copy()
            if at < len(head) - 1:
                padded.append(" " * (widths[at] - cell_len(cell.plain)))
            if at and cell_len(line.plain) + 2 + cell_len(cell.plain) > out.width:
                line.rstrip()
                out.print(line, style=style, overflow="fold")
                line = Text(INDENT)
            elif at:
                line.append("  ")
            line.append_text(padded)
        line.rstrip()
        out.print(line, style=style, overflow="fold")
        if not tail:
            continue
        if cut:
            out.print(Text(INDENT + tail), no_wrap=True, overflow="ellipsis")
        else:
            out.print(Padding(Text(tail), (0, 0, 0, len(INDENT)), expand=False))


def fits(out: Console, table: Table) -> bool:
    """Whether the table shows whole at this width: rich, short of room, cuts every column
    evenly and then crops the ones it may not cut (a case number, a date) at the edge."""
    from rich.measure import Measurement

    return out.width >= NARROW and (
        Measurement.get(out, out.options.update_width(10_000), table).maximum <= out.width
    )


def joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


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
        deadlines = deadline_table(case["deadlines"])
        if fits(out, deadlines):
            out.print(deadlines)
        else:
            print_deadline_cards(out, case["deadlines"])
    if out.width < NARROW:
        _timeline_cards(out, case["events"])
        return
    timeline = Table(title="办理过程", box=box.SIMPLE_HEAD, title_justify="left")
    timeline.add_column("#", justify="right")  # the number `xinfang void` takes
    timeline.add_column("时间", no_wrap=True)
    timeline.add_column("事项", no_wrap=True)
    timeline.add_column("轮次", justify="right")
    timeline.add_column("经办人")
    timeline.add_column("内容", overflow="fold")
    for event in case["events"]:
        withdrawn = event.get("voided")
        timeline.add_row(*_event_cells(event), style="strike dim" if withdrawn else None)
    out.print(timeline)


def _event_cells(event: dict[str, Any]) -> list[str]:
    withdrawn = event.get("voided")
    return [
        str(event.get("no", "")),
        event["occurred_at"][:16],
        ACTION_LABELS.get(event["action"], event["action"]),
        str(event["round"]),
        event["actor"],
        describe_event(event) + (f"（已撤销，见第 {event['voided_by']} 条）" if withdrawn else ""),
    ]


def _timeline_cards(out: Console, events: list[dict[str, Any]]) -> None:
    """办理过程 on a narrow screen: #, time, step, round and who on line 1, what was
    recorded on line 2, wrapped whole (a record is not cut)."""
    out.print("办理过程", style="italic")
    cells = [_event_cells(event) for event in events]
    heads = [[no, when, what, f"第{rnd}轮", actor] for no, when, what, rnd, actor, _ in cells]
    tails = [row[-1] for row in cells]
    styles = ["strike dim" if event.get("voided") else None for event in events]
    print_cards(out, [[Text(c).markup for c in head] for head in heads], tails,
                styles=styles, cut=False)  # fmt: skip


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


def _deadline_cells(deadline: dict[str, Any]) -> list[str]:
    unit = "个工作日" if deadline["unit"] == "workday" else "天"
    paused = f"（暂停 {deadline['paused_days']}{unit}）" if deadline["paused_days"] else ""
    return [
        deadline["label"],
        str(deadline["round"]),
        deadline["starts_on"],
        deadline["rule"] + paused,
        deadline["due_on"] or "—",
        deadline["met_on"] or "",
        deadline_state(deadline),
    ]


def deadline_table(deadlines: list[dict[str, Any]]) -> Table:
    table = Table(title="期限", box=box.SIMPLE_HEAD, title_justify="left")
    for heading in ("环节", "轮次", "起算", "期限", "到期日", "完成日", "情况"):
        table.add_column(heading, no_wrap=heading != "情况")
    for deadline in deadlines:
        table.add_row(*_deadline_cells(deadline))
    return table


def print_deadline_cards(out: Console, deadlines: list[dict[str, Any]]) -> None:
    """期限 on a narrow screen: stage, due date, date met and the state on line 1 (the
    state whole, wrapped if need be), where the count started and the rule on line 2."""
    out.print("期限", style="italic")
    heads, tails = [], []
    for deadline in deadlines:
        stage, rnd, starts, rule, due, met, state = _deadline_cells(deadline)
        round_text = f"（第{rnd}轮）" if rnd != "1" else ""
        state, _, counted_from = state.partition("；")  # how it is counted: line 2
        heads.append([Text(stage + round_text).markup, f"到期 {due}", met and f"完成 {met}", state])
        tails.append(joined(f"{starts} 起算", rule, counted_from))
    print_cards(out, heads, tails, cut=False)


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
    rows = [
        (
            case["case_no"] + (f" [red]{URGENT}[/]" if case.get("urgent") else ""),
            case["received_at"][:10],
            Text(_who(case) + ("（重复）" if case.get("repeat_of") else "")).markup,
            Text(_value(case["category"])).markup,
            Text(_value(case["township"])).markup,
            Text(_value(case["unit"])).markup,
            case["status_label"].split("（")[0],
            _value(case.get("next_due")),
            Text(case["content"].replace("\n", " ")).markup,
        )
        for case in cases
    ]
    table = _case_table(rows, title)
    if not fits(out, table):
        # Two lines a case: the number, the dates and the state whole on the first, who,
        # where, which unit and what about on the second, cut to the screen.
        out.print(title, style="italic")
        heads = [[no, received, status, f"期限 {due}" if due else ""]
                 for no, received, _, _, _, _, status, due, _ in rows]  # fmt: skip
        tails = [
            joined(*(Text.from_markup(cell).plain for cell in (who, town, unit, content)))
            for _, _, who, _, town, unit, _, _, content in rows
        ]
        print_cards(out, heads, tails)
    else:
        out.print(table)
    if footer != "":
        out.print(footer or f"共 {len(cases)} 件")


def _case_table(rows: Sequence[Sequence[str]], title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for at, heading in enumerate(LIST_HEADER):
        if heading in ("编号", "信访时间", "最近期限"):
            # The number and the dates are never cut: their width is their longest value's.
            width = max(cell_len(Text.from_markup(row[at]).plain) for row in rows)
            table.add_column(heading, no_wrap=True, min_width=max(width, cell_len(heading)))
        else:
            keep = {"信访人": 4, "状态": 6, "反映问题": 4}.get(heading)
            table.add_column(
                heading, overflow="ellipsis", no_wrap=True, min_width=keep,
                max_width=36 if heading == "反映问题" else None,
            )  # fmt: skip
    for row in rows:
        table.add_row(*row)
    return table
