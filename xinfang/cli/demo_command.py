"""`xinfang demo`: a demonstration ledger to try every command on."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.root import command
from xinfang.core import demo
from xinfang.core.life.states import Status
from xinfang.store.db import connect, is_dsn


@command("demo")
def demo_command(
    db: Annotated[
        str | None,
        typer.Option("--db", help="演示台账路径（须为空台账）；默认在临时目录中新建"),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子，相同种子得到相同数据")] = 2026,
) -> None:
    """建立一本演示台账，并打印可试的命令

    建立一本演示台账：各个办理阶段的真实样例案件，并打印它的位置和可试的命令。

    例：xinfang demo；xinfang demo --db /tmp/演示.db
    """
    # Never the clerk's own ledger: XINFANG_DB is deliberately not read here.
    path: str | Path = Path(tempfile.mkdtemp(prefix="xinfang-demo-")) / "xinfang.db"
    if db:  # a postgresql:// address stays one (as a Path it was a folder named like it)
        path = db if is_dsn(db) else Path(db)
    from xinfang.outputs.archive import CaseFolder

    counts = demo.build(connect(path), binder=CaseFolder, seed=seed)
    typer.echo(f"演示台账：{path}")
    for status in Status:
        if counts.get(status.value):
            typer.echo(f"  {status.label}：{counts[status.value]} 件")
    typer.echo(f"  合计：{sum(counts.values())} 件")
    typer.echo("试一试：")
    for example in (
        "list --status 在办",
        "show 2026-0001",
        "search 低保金",
        "list --status 已答复 --json",
    ):
        typer.echo(f"  xinfang {example} --db {path}")
