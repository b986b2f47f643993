"""`xinfang doctor`: a health check of the ledger file."""

from __future__ import annotations

import typer

from xinfang.cli.base import DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command
from xinfang.core import doctor
from xinfang.store.db import ledger_path


@command("doctor")
def doctor_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """检查台账：完整性、权限、工作日历、期限

    检查台账：完整性、外键、结构版本、文件权限、工作日历是否录入、期限是否与办理记录一致。

    发现问题时退出码为 1。

    例：xinfang doctor
    """
    conn = open_ledger(db)
    findings = doctor.check(conn, ledger_path(conn))  # the county's: its files on this machine
    if as_json:
        print_json([finding.__dict__ for finding in findings])
    else:
        for finding in findings:
            typer.echo(f"[{finding.level}] {finding.check}：{finding.detail}")
    raise typer.Exit(1 if any(f.level == doctor.PROBLEM for f in findings) else 0)
