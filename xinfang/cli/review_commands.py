"""`review` (复查/复核) and `reexamine` (不满意件的核实)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.errors import InvalidInput
from xinfang.core.life import review


@command("review")
def review_command(
    case: CaseArgument,
    requested_on: Annotated[
        str | None, typer.Option("--requested-on", help="信访人提出复查申请的日期")
    ] = None,
    late_reason: Annotated[
        str | None, typer.Option("--late-reason", help="超过 30 日申请期限仍予复查的理由")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="复查结论：维持、撤销、变更")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="复查（复核）意见")] = None,
    upper_outcome: Annotated[
        str | None, typer.Option("--upper-outcome", help="上级复核结论：维持、撤销、变更")
    ] = None,
    upper_body: Annotated[str | None, typer.Option("--upper-body", help="复核机关")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """复查、复核：登记复查申请（答复后 30 日内），作出复查意见（30 日内），记录上级复核结果。

    例：xinfang review 2026-0001 --requested-on 2026-12-01；
    xinfang review 2026-0001 --outcome 维持 --text "经复查，原处理意见正确"；
    xinfang review 2026-0001 --upper-outcome 维持 --upper-body 张掖市民政局
    """
    modes = [m for m in (requested_on, outcome, upper_outcome) if m]
    if len(modes) != 1:
        raise InvalidInput(
            "复查",
            "请用 --requested-on（申请）、--outcome（复查意见）或 --upper-outcome（复核结果）中的一个",
        )
    conn = open_ledger(db)
    if requested_on:
        case_no = review.request(
            conn, case, requested_on=requested_on, late_reason=late_reason, on=on, by=by
        )
        typer.echo(f"已登记复查申请：{case_no}（30 日内作出复查意见）")
    elif outcome:
        if not text:
            raise InvalidInput("复查意见", "请用 --text 写明复查意见")
        case_no = review.decide(conn, case, outcome=outcome, text=text, on=on, by=by)
        typer.echo(f"已作出复查意见：{case_no}（{outcome}）")
    else:
        assert upper_outcome is not None
        case_no = review.upper(
            conn, case, outcome=upper_outcome, body=upper_body or "", text=text, on=on, by=by
        )
        typer.echo(f"已记录复核结果：{case_no}（{upper_outcome}）")


@command("reexamine")
def reexamine_command(
    case: CaseArgument,
    examiner: Annotated[str, typer.Option("--examiner", help="核实人（再次调查核实的人）")],
    findings: Annotated[str, typer.Option("--findings", help="核实情况")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """核实：信访人不满意后，再次调查核实的人和核实情况（不满意核实件、核实情况说明）。

    例：xinfang reexamine 2026-0001 --examiner 王科长 --findings "经再次入户核查，补发金额无误"
    """
    case_no = review.reexamine(
        open_ledger(db), case, examiner=examiner, findings=findings, on=on, by=by
    )
    typer.echo(f"已记录核实情况：{case_no}")
