"""`deliver` (送达): the written 答复书 or 复查意见书 reached the petitioner."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.life import delivery
from xinfang.core.vocabulary import DELIVERY_METHODS


@command("deliver")
def deliver_command(
    case: CaseArgument,
    method: Annotated[
        str, typer.Option("--method", help=f"送达方式：{'、'.join(DELIVERY_METHODS)}")
    ],
    document: Annotated[
        str | None,
        typer.Option(
            "--document", help="送达的文书：处理意见答复书 或 复查意见书（默认最近作出的）"
        ),
    ] = None,
    receipt: Annotated[
        Path | None, typer.Option("--receipt", help="送达回执（扫描件、照片），存入案件材料")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """送达：登记书面答复或复查意见书的送达

    送达：登记书面答复（或复查意见书）送达信访人的日期和方式，送达回执存入案件材料。

    复查申请（复核申请）期限自送达之日起算；未登记送达的，自答复（复查意见）之日起算。
    例：xinfang deliver 2026-0001 --on 2026-11-12 --method 邮寄 --receipt 回执.jpg
    """
    done = delivery.deliver(
        open_ledger(db), case, method=method, document=document, receipt=receipt, on=on, by=by
    )
    window = f"；申请期限自送达之日起算，至 {done.due_on}" if done.due_on else ""
    typer.echo(f"已登记送达：{done.case_no} {done.document}（{done.day} {method}）{window}")
