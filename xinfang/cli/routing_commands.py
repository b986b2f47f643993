"""The commands that route a case between the office and its handling units after 交办:
退回重办, 改派, 退单 and 催办. Each parses its options, calls one core function in
xinfang/core/life/routing.py and prints one line."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import (
    ByOption,
    CaseArgument,
    DbOption,
    OnOption,
    PersonOption,
    PhoneOption,
    open_ledger,
)
from xinfang.cli.root import command
from xinfang.core.clock import due as due_words
from xinfang.core.intake.numbering import formal_number
from xinfang.core.life import routing
from xinfang.core.settings import get as setting

DueOption = Annotated[
    str | None,
    typer.Option("--due", help=f"新的办结期限，{due_words.HELP}；不填则沿用原期限（须未届满）"),
]


@command("send-back")
def send_back_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="退回理由：办理情况哪里不合要求")],
    due: DueOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """退回重办：报送的办理情况不合要求，退回重办

    退回重办：承办单位报送的办理情况不合要求，退回原承办单位重新办理。

    计入该单位的退回重办次数和办理质量合格率（承办单位考核）。

    例：xinfang send-back 2026-0001 --reason "未附入户核查记录" --due 2026-12-05
    """
    routed = routing.send_back(open_ledger(db), case, reason=reason, due=due, on=on, by=by)
    typer.echo(f"已退回重办：{routed.case_no} → {routed.unit}，办结期限 {routed.due}")


@command("reassign")
def reassign_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="改派给哪个承办单位")],
    reason: Annotated[str, typer.Option("--reason", help="改派理由")],
    due: DueOption = None,
    person: PersonOption = None,
    phone: PhoneOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """改派：改交另一承办单位办理

    改派：已交办（或承办单位办理中）的案件改交另一承办单位，生成新的交办单编号。

    原承办单位的期限随之结束，新承办单位的受理和办结期限从改派之日起算。

    例：xinfang reassign 2026-0001 --to 新华镇 --reason "属新华镇辖区" --due 2026-12-05
    """
    conn = open_ledger(db)
    routed = routing.reassign(
        conn, case, to=to, reason=reason, due=due, person=person, phone=phone, on=on, by=by
    )
    number = formal_number(setting(conn, "assign_prefix"), routed.assign_year, routed.assign_seq)
    typer.echo(
        f"已改派：{routed.case_no} {routed.from_unit or '（无）'} → {routed.unit}，"
        f"交办单 {number}，办结期限 {routed.due}"
    )


@command("unit-return")
def unit_return_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="退单理由：为何不属该单位职责")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """退单：承办单位将不属其职责的案件退回

    退单：承办单位认为不属其职责，将案件退回本单位，案件回到已受理，待重新交办。

    例：xinfang unit-return 2026-0001 --reason "属县人社局职责"
    """
    routed = routing.unit_return(open_ledger(db), case, reason=reason, on=on, by=by)
    typer.echo(
        f"已记录退单：{routed.case_no}（{routed.unit or '承办单位'}退回），"
        "案件回到已受理，请重新交办（xinfang assign）"
    )


@command("urge")
def urge_command(
    case: CaseArgument,
    note: Annotated[
        str | None, typer.Option("--note", help="催办内容，如 电话催问入户核查进度")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """催办：记录一次对承办单位的催办

    催办：记录一次对承办单位的催办（电话、发函等），列入办理过程，计入承办单位考核。

    例：xinfang urge 2026-0001 --note "电话催问入户核查进度"
    """
    routed = routing.urge(open_ledger(db), case, note=note, on=on, by=by)
    typer.echo(f"已催办：{routed.case_no} → {routed.unit}")
