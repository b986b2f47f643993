"""`backup` and `restore`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import DbOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.validate import parse_int


@command("backup")
def backup_command(
    folder: Annotated[
        Path | None, typer.Argument(help="备份目录，默认为台账旁的 xinfang-backups/")
    ] = None,
    keep: Annotated[str, typer.Option("--keep", help="保留最近几份备份")] = "30",
    db: DbOption = None,
) -> None:
    """备份台账（办理中也可备份）

    备份台账：办理中也可备份（SQLite 在线备份），文件名带日期时间，只保留最近 N 份。

    例：xinfang backup；xinfang backup /mnt/备份盘/信访 --keep 60
    """
    from xinfang.cli.progress import bar
    from xinfang.store import backup

    kept = parse_int(keep, "保留份数", minimum=1, maximum=10_000)
    county = _county(db)
    if county:  # a county ledger: pg_dump, named and pruned alike (store/pg_backup.py)
        from xinfang.store import pg_backup

        done = pg_backup.run_backup(county, folder, keep=kept)
    else:
        with bar() as progress:
            done = backup.backup(open_ledger(db), folder, keep=kept, progress=progress)
    typer.echo(f"已备份：{done.path}")
    if done.removed:
        typer.echo(f"已删除较早的备份 {len(done.removed)} 份")


@command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="要恢复的备份文件")],
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="县级台账：数据库中已有案件时仍然恢复（先另存一份）")
    ] = False,
) -> None:
    """从备份恢复台账（先校验备份，再另存当前台账）

    从备份恢复台账：先校验备份文件（完整、结构与其版本相符），升级到当前版本，再把当前台账另存一份，然后恢复。

    例：xinfang restore ~/.local/share/xinfang/xinfang-backups/xinfang-20261123-073000.db
    """
    from xinfang.store import backup
    from xinfang.store.migrations import LATEST

    county = _county(db)
    if county:  # a county ledger: pg_restore (store/pg_backup.py)
        from xinfang.store import pg_backup

        restored = pg_backup.restore(county, file, force=force)
        typer.echo(f"已恢复：数据库 {restored.dbname}")
        if restored.kept_aside:
            typer.echo(f"恢复前的台账已另存为：{restored.kept_aside}")
        return
    backup.check(file)  # before the current ledger is even opened
    done = backup.restore(open_ledger(db), file)
    forward = "" if done.version == LATEST else f"（已从第 {done.version} 版升级到第 {LATEST} 版）"
    typer.echo(f"已恢复：{done.ledger}{forward}")
    typer.echo(f"恢复前的台账已另存为：{done.kept_aside}")


def _county(db: str | None) -> str | None:
    """The DSN where the ledger is the county's on PostgreSQL, else None."""
    from xinfang.store.db import is_dsn

    target = db if db is not None else os.environ.get("XINFANG_DB")
    return target if target is not None and is_dsn(target) else None
