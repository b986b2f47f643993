"""`review` (复查), `recheck` (复核) and `reexamine` (不满意件的核实)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.errors import InvalidInput
from xinfang.core.life import recheck, review


@command("review")
def review_command(
    case: CaseArgument,
    requested_on: Annotated[
        str | None, typer.Option("--requested-on", help="信访人提出复查申请的日期")
    ] = None,
    late_reason: Annotated[
        str | None, typer.Option("--late-reason", help="超过复查申请期限仍予复查的理由")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="复查结论：维持、撤销、变更")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="复查意见（理由）")] = None,
    recheck_body: Annotated[
        str | None,
        typer.Option("--recheck-body", help="可以请求复核的机关（写入复查意见书）"),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """复查：登记复查申请，作出复查意见

    复查：登记复查申请（自答复书送达之日起 30 日内，按期限规则计算），作出复查意见（30 日内）。

    复查意见作出后打印复查意见书（xinfang print 编号 复查意见书），上级复核用 xinfang recheck。
    例：xinfang review 2026-0001 --requested-on 2026-12-01；
    xinfang review 2026-0001 --outcome 维持 --text "经复查，原处理意见正确" --recheck-body 张掖市民政局
    """
    if bool(requested_on) == bool(outcome):
        raise InvalidInput(
            "复查", "请用 --requested-on（复查申请）或 --outcome（复查意见）中的一个"
        )
    conn = open_ledger(db)
    if requested_on:
        case_no = review.request(
            conn, case, requested_on=requested_on, late_reason=late_reason, on=on, by=by
        )
        typer.echo(f"已登记复查申请：{case_no}（30 日内作出复查意见）")
        return
    assert outcome is not None
    if not text:
        raise InvalidInput("复查意见", "请用 --text 写明复查意见")
    case_no = review.decide(
        conn, case, outcome=outcome, text=text, recheck_body=recheck_body, on=on, by=by
    )
    typer.echo(
        f"已作出复查意见：{case_no}（{outcome}）；复查意见书：xinfang print {case_no} 复查意见书"
    )


@command("recheck")
def recheck_command(
    case: CaseArgument,
    requested_on: Annotated[
        str | None, typer.Option("--requested-on", help="信访人请求复核的日期")
    ] = None,
    late_reason: Annotated[
        str | None, typer.Option("--late-reason", help="超过复核申请期限仍予受理的理由")
    ] = None,
    extend: Annotated[
        bool, typer.Option("--extend", help="延长复核期限（不超过规则允许的最长期限）")
    ] = False,
    days: Annotated[str | None, typer.Option("--days", help="延长天数；不填则延至最长期限")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="延期理由")] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="复核结论：维持、撤销、变更")
    ] = None,
    body: Annotated[str | None, typer.Option("--body", help="复核机关")] = None,
    text: Annotated[str | None, typer.Option("--text", help="复核意见")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """复核：登记复核申请、延长期限、记录复核意见

    复核：登记复核申请（收到复查意见书 30 日内），延长复核期限，记录复核意见（事项终结）。

    例：xinfang recheck 2026-0001 --requested-on 2026-12-20 --body 张掖市民政局；
    xinfang recheck 2026-0001 --extend --days 30 --reason 需要听证；
    xinfang recheck 2026-0001 --outcome 维持 --text "复查意见正确"
    """
    if sum(map(bool, (requested_on, extend, outcome))) != 1:
        raise InvalidInput(
            "复核",
            "请用 --requested-on（复核申请）、--extend（延期）或 --outcome（复核意见）中的一个",
        )
    conn = open_ledger(db)
    if requested_on:
        case_no = recheck.request(
            conn, case, requested_on=requested_on, body=body, late_reason=late_reason, on=on, by=by
        )
        typer.echo(f"已登记复核申请：{case_no}")
    elif extend:
        case_no, length = recheck.extend(conn, case, days=days, reason=reason or "", on=on, by=by)
        typer.echo(f"已延长复核期限：{case_no}，复核期限现为 {length}")
    else:
        assert outcome is not None
        case_no = recheck.decide(conn, case, outcome=outcome, body=body, text=text, on=on, by=by)
        typer.echo(f"已记录复核意见：{case_no}（{outcome}）；该信访事项已终结")


@command("reexamine")
def reexamine_command(
    case: CaseArgument,
    examiner: Annotated[str, typer.Option("--examiner", help="核实人（再次调查核实的人）")],
    findings: Annotated[str, typer.Option("--findings", help="核实情况")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """核实：信访人不满意后再次调查核实

    核实：信访人不满意后，再次调查核实的人和核实情况（不满意核实件、核实情况说明）。

    例：xinfang reexamine 2026-0001 --examiner 王科长 --findings "经再次入户核查，补发金额无误"
    """
    case_no = review.reexamine(
        open_ledger(db), case, examiner=examiner, findings=findings, on=on, by=by
    )
    typer.echo(f"已记录核实情况：{case_no}")
