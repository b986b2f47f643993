"""`xinfang migrate-store FROM TO`: a town's SQLite ledger into its lane of the county's
PostgreSQL ledger, or an office's lane out into a new SQLite file (store/migrate_store.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.root import command

_WHERE = "SQLite 台账文件路径，或县级台账地址 postgresql://角色@主机/库"


@command("migrate-store")
def migrate_store_command(
    source: Annotated[str, typer.Argument(metavar="FROM", help=f"源台账：{_WHERE}")],
    target: Annotated[str, typer.Argument(metavar="TO", help=f"目标台账：{_WHERE}")],
) -> None:
    """在 SQLite 台账和县级 PostgreSQL 台账之间整本迁移

    整本迁移台账：乡镇的 SQLite 台账迁入县级 PostgreSQL 台账中本单位的名下（该单位须已用
    xinfang office add … --id 单位标识 添加，且还没有案件），或把县级台账中本单位的案件迁出为新的
    SQLite 文件（目标文件须不存在）。全部成功才写入，案件编号不变，迁移后逐表核对行数。

    例：xinfang migrate-store 沙河镇.db postgresql://shahe@县服务器/county；
    xinfang migrate-store postgresql://shahe@县服务器/county 沙河镇-迁回.db
    """
    from xinfang.cli.progress import bar
    from xinfang.store.db import is_dsn
    from xinfang.store.migrate_store import migrate

    with bar() as progress:
        moved = migrate(source, target, progress=progress)
    cases = moved.rows.get("cases", 0)
    events = moved.rows.get("events", 0)
    typer.echo(f"已迁移：{cases} 件案件、{events} 条办理记录（单位标识 {moved.office_id}）")
    if not is_dsn(moved.target):  # an address may carry a password: not echoed
        typer.echo(f"目标台账：{moved.target}")
