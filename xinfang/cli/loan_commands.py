"""`lend`, `return`, `loans`: the register of archived case files lent out (查阅/借阅登记)."""

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
from xinfang.core.clock.dates import today
from xinfang.core.life import loans


@command("lend")
def lend_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="借阅人")],
    unit: Annotated[str, typer.Option("--unit", help="借阅单位（外单位须凭介绍信）")],
    approved_by: Annotated[str, typer.Option("--approved-by", help="批准借阅的领导")],
    due: Annotated[str, typer.Option("--due", help="归还期限")],
    purpose: Annotated[str | None, typer.Option("--purpose", help="借阅事由")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """借阅已归档的案卷

    借阅已归档的案卷：登记借阅人、单位、批准人和归还期限；逾期未还的在 xinfang overdue 中列出。

    例：xinfang lend 2026-0001 --to 王五 --unit 县纪委监委 --approved-by 李主任 --due 2026-12-10
    """
    conn = open_ledger(db)
    case_no = loans.lend(
        conn, case, borrower=to, unit=unit, approved_by=approved_by, due=due,
        purpose=purpose, on=on, by=by,
    )  # fmt: skip
    typer.echo(f"已借出：{case_no} → {to}（{unit}），{due} 前归还")


@command("return")
def return_command(
    case: CaseArgument, on: OnOption = None, by: ByOption = None, db: DbOption = None
) -> None:
    """登记借出的案卷已归还。

    例：xinfang return 2026-0001
    """
    typer.echo(f"已归还：{loans.give_back(open_ledger(db), case, on=on, by=by)}")


@command("loans")
def loans_command(
    open_only: Annotated[bool, typer.Option("--open", help="只列未归还的")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """案卷借阅登记簿：借阅人、单位、批准人、借出和归还日期。

    例：xinfang loans --open
    """
    register = loans.register(open_ledger(db), open_only=open_only)
    if as_json:
        print_json([loan.__dict__ for loan in register])
        return
    if not register:
        typer.echo("没有借阅记录。")
        return
    from rich.markup import escape

    from xinfang.cli.render import console, print_cards

    heads, tails = [], []
    for loan in register:
        state = f"已于 {loan.returned_on} 归还" if loan.returned_on else (
            "【逾期未还】" if loan.overdue(today()) else "未归还")  # fmt: skip
        heads.append([loan.case_no, f"借出 {loan.lent_on}", f"应还 {loan.due_on}", state])
        tails.append(f"{loan.borrower}（{loan.unit}） · 批准：{loan.approved_by}")
    print_cards(console(), [[escape(cell) for cell in head] for head in heads], tails)
