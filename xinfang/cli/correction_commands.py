"""`void` (撤销 a step, 作废 a case) and `join` (并案): correcting a case's course."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.life import corrections


@command("void")
def void_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="撤销理由，如 录错案件")],
    step: Annotated[
        str | None,
        typer.Argument(help="要撤销的步骤编号（xinfang show 办理过程中的 # 列）；不填为最后一步"),
    ] = None,
    whole: Annotated[
        bool, typer.Option("--whole", help="整件作废：登记有误的案件，编号保留，不再办理")
    ] = False,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """撤销误录的一步，或整件作废误登记的案件

    撤销误录的一步（默认最后一步），或整件作废误登记的案件。原记录保留并标明已撤销。

    其后的步骤以它为前提的，须先从最后一步起逐条撤销；已归档的案件不能撤销。

    例：xinfang void 2026-0001 --reason "答复录错案件"；xinfang void 2026-0001 7 --reason …；xinfang void 2026-0001 --whole --reason "重复登记"
    """
    done = corrections.void(
        open_ledger(db), case, reason=reason, event=step, whole=whole, on=on, by=by
    )
    if whole:
        typer.echo(f"已作废：{done.case_no}（编号保留，不再办理）")
    else:
        typer.echo(
            f"已撤销：{done.case_no} 第 {done.number} 条「{done.label}」；"
            f"案件现为「{done.status.label}」"
        )


@command("join")
def join_command(
    case: CaseArgument,
    into: Annotated[str, typer.Option("--into", help="主案编号：并入哪件案件办理")],
    reason: Annotated[str | None, typer.Option("--reason", help="并案理由")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """并案：同一事项的两件信访并入主案办理

    并案：同一事项的两件信访并入主案办理，答复、回访、办结随主案，本案期限终止，两个编号都保留。

    例：xinfang join 2026-0002 --into 2026-0001 --reason "同一事项"
    """
    case_no, main_no = corrections.join(
        open_ledger(db), case, into=into, reason=reason, on=on, by=by
    )
    typer.echo(f"已并案：{case_no} 并入 {main_no} 办理（两个编号都保留）")
