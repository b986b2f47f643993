"""督办, 领导批示 and 联系函 (seed 000 六, seed 002 附件7), and `suggest`: the open cases
in the supervision scope. Each command calls one core function and prints one line (or
the list)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import (
    ByOption,
    CaseArgument,
    DbOption,
    JsonOption,
    OnOption,
    open_ledger,
    print_json,
)
from xinfang.cli.root import command
from xinfang.core import vocabulary
from xinfang.core.clock.dates import parse_date, today
from xinfang.core.life import supervision
from xinfang.core.reporting import suggestions


@command("supervise")
def supervise_command(
    case: CaseArgument,
    due: Annotated[str, typer.Option("--due", help="督办要求办结的日期，如 2026-12-05")],
    reason: Annotated[str, typer.Option("--reason", help="督办事由，如 上级交办、县长批示")],
    to: Annotated[str | None, typer.Option("--to", help="被督办单位，默认为案件的承办单位")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """督办：向承办单位发督办通知，限期办结

    督办：向承办单位发督办通知（编号自动生成），限期办结；期限计入 overdue 检查。

    哪些案件应当督办，用 xinfang suggest 查看。

    例：xinfang supervise 2026-0001 --due 2026-12-05 --reason "县长批示，群众反映强烈"
    """
    conn = open_ledger(db)
    done = supervision.supervise(conn, case, due=due, reason=reason, to=to, on=on, by=by)
    typer.echo(f"已督办：{done.case_no} → {done.to}，督办通知 {done.number}，限 {done.due} 前办结")


@command("supervise-answer")
def supervise_answer_command(
    case: CaseArgument,
    text: Annotated[str, typer.Option("--text", help="被督办单位回复的办理情况")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """记录被督办单位对督办通知的回复（督办期限随之完成）。

    例：xinfang supervise-answer 2026-0001 --text "已入户核查，12月起发放低保金"
    """
    conn = open_ledger(db)
    case_no, answered = supervision.supervise_answer(conn, case, text=text, on=on, by=by)
    typer.echo(f"已记录督办回复：{case_no}（{'、'.join(answered)}）")


@command("instruct")
def instruct_command(
    case: CaseArgument,
    leader: Annotated[str, typer.Option("--leader", help="作出批示的领导，如 县长、张副县长")],
    text: Annotated[str, typer.Option("--text", help="批示内容")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """记录领导批示（领导批示的案件属督办范围）。

    例：xinfang instruct 2026-0001 --leader 县长 --text "请民政局抓紧核实，依法依规解决"
    """
    conn = open_ledger(db)
    case_no = supervision.instruct(conn, case, leader=leader, text=text, on=on, by=by)
    typer.echo(f"已记录领导批示：{case_no}（{leader}）")


@command("liaise")
def liaise_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="收函的单位或机关")],
    matter: Annotated[str, typer.Option("--matter", help="协调联系事项")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """发信访事项联系函，请其他单位协同处理

    发信访事项联系函：本单位主办、涉及其他单位职责的事项，请其协同处理（编号自动生成）。

    例：xinfang liaise 2026-0001 --to 县人力资源和社会保障局 --matter "请核实信访人的养老保险缴费情况"
    """
    conn = open_ledger(db)
    case_no, number = supervision.liaise(conn, case, to=to, matter=matter, on=on, by=by)
    typer.echo(f"已发联系函：{case_no} → {to}，联系函 {number}")


@command("liaise-answer")
def liaise_answer_command(
    case: CaseArgument,
    text: Annotated[str, typer.Option("--text", help="对方回复的内容")],
    sender: Annotated[
        str | None,
        typer.Option("--from", help="回复的单位（有多份联系函待回复时必填），即原收函单位"),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """记录对联系函的回复。

    例：xinfang liaise-answer 2026-0001 --from 县人力资源和社会保障局 --text "经查，已足额缴费15年"
    """
    conn = open_ledger(db)
    case_no, number, who = supervision.liaise_answer(
        conn, case, text=text, sender=sender, on=on, by=by
    )
    typer.echo(f"已记录联系函回复：{case_no}（{number}，{who}）")


@command("suggest")
def suggest_command(
    as_of: Annotated[str | None, typer.Option("--as-of", help="按哪一天查找，默认今天")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """督办建议：列出属于督办范围的在办案件及理由

    督办建议：列出属于督办范围的在办案件及理由（上级交办、领导批示、人大代表/政协委员/社会知名人士反映、短期内重复信访、多人联名/集体访、同类事项集中反映），已在督办中的注明。

    只读，不改动台账；确定督办后用 xinfang supervise。

    例：xinfang suggest；xinfang suggest --as-of 2026-11-30 --json
    """
    day = parse_date(as_of, "查找日期") if as_of else today()
    found = suggestions.suggest(open_ledger(db), day)
    if as_json:
        print_json(
            {
                "as_of": found.as_of,
                "repeat_window_days": found.repeat_window_days,
                "trend_days": vocabulary.TREND_DAYS,
                "cases": [item.as_json() for item in found.cases],
                "trends": [trend.as_json() for trend in found.trends],
            }
        )
        return
    if not found.cases:
        typer.echo(f"截至 {found.as_of}，没有属于督办范围的在办案件。")
        return
    from rich.padding import Padding
    from rich.text import Text

    from xinfang.cli.render import console

    out = console()  # lines wrapped at the screen's width, at spaces: numbers stay whole
    out.print(f"截至 {found.as_of}，属于督办范围的在办案件 {len(found.cases)} 件：")
    for item in found.cases:
        mark = ""
        if item.supervised:
            s = item.supervised
            late = "，已超期" if s["overdue"] else ""
            mark = f"  【督办中：{s['number']}，{s['to']}，限 {s['due']}{late}】"
        content = item.content.replace("\n", " ")
        content = content if len(content) <= 40 else content[:40] + "…"
        out.print(Text(f"{item.case_no}  {item.status_label}  {content}{mark}"))
        for reason in item.reasons:
            out.print(Padding(Text(f"· {reason.text}"), (0, 0, 0, 2), expand=False))
