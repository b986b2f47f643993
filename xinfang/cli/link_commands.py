"""`link`, `unlink`: a repeat petition (重复信访) linked after its registration, or a
wrong link removed."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.life import links


@command("link")
def link_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="此前的同一事项的案件编号")],
    reason: Annotated[str | None, typer.Option("--reason", help="关联理由")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """关联重复信访：本案与此前的案件是同一事项

    关联重复信访：经核实，本案与此前的案件是同一事项（登记时未关联的，如内容相似的旧件）。

    例：xinfang link 2026-0002 --to 2026-0001 --reason "核实为同一事项"
    """
    conn = open_ledger(db)
    case_no, earlier = links.link(conn, case, to=to, reason=reason, on=on, by=by)
    typer.echo(f"已关联：{case_no} 作为重复信访关联到 {earlier} 所属事项")


@command("unlink")
def unlink_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="解除关联的理由，如：不是同一信访人")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """解除重复信访关联

    解除重复信访关联：本案被误作此前案件的重复信访。因本案而关联的后续案件仍随本案。

    例：xinfang unlink 2026-0002 --reason "同一电话，但不是同一信访人"
    """
    conn = open_ledger(db)
    case_no, earlier = links.unlink(conn, case, reason=reason, on=on, by=by)
    typer.echo(f"已解除：{case_no} 不再作为 {earlier} 的重复信访")
