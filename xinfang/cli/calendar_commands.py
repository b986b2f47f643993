"""`xinfang calendar`: the holiday calendar working days are counted by."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import Command, DbOption, new_app, open_ledger
from xinfang.cli.root import app
from xinfang.core.clock import holidays

calendar_app = new_app(
    "工作日历：节假日和调休上班日。已安装的 chinese-calendar 不含的年份，"
    "请按国务院办公厅通知录入。\n\n例：xinfang calendar show 2026-10；"
    "xinfang calendar set 2027-01-01..2027-01-03 休"
)
app.add_typer(calendar_app, name="calendar")

WEEKDAYS = "一二三四五六日"


@calendar_app.command("set", cls=Command)
def calendar_set(
    days: Annotated[str, typer.Argument(help="日期或日期范围，如 2027-01-01..2027-01-03")],
    kind: Annotated[str, typer.Argument(help="休（放假）或 班（调休上班）")],
    note: Annotated[str | None, typer.Option("--note", help="说明，如 元旦")] = None,
    db: DbOption = None,
) -> None:
    """录入放假（休）或调休上班（班）的日期，并重算受影响案件的期限。

    例：xinfang calendar set 2027-02-06..2027-02-12 休 --note 春节；xinfang calendar set 2027-02-14 班
    """
    done = holidays.enter(open_ledger(db), days, kind, note)
    typer.echo(f"已录入 {done.days} 天（{kind}）；重算了 {done.cases_recounted} 件案件的期限。")
    for year in done.unconfirmed:
        typer.echo(
            f"{year} 年尚未确认录入完毕，涉及的期限仍标为“按周末估算”；"
            f"全部录入后请执行 xinfang calendar confirm {year}"
        )


@calendar_app.command("confirm", cls=Command)
def calendar_confirm(
    year: Annotated[str, typer.Argument(help="年份，如 2027")],
    db: DbOption = None,
) -> None:
    """确认某年的节假日安排已全部录入：此后该年按录入的安排计算，期限不再标为估算。

    例：xinfang calendar confirm 2027
    """
    done = holidays.confirm(open_ledger(db), year)
    typer.echo(f"已确认 {year} 年节假日安排录入完毕；重算了 {done.cases_recounted} 件案件的期限。")


@calendar_app.command("import", cls=Command)
def calendar_import(
    file: Annotated[Path, typer.Argument(help="文本文件：每行 日期[..日期] 休|班 [说明]")],
    db: DbOption = None,
) -> None:
    """从文件录入一年的节假日安排（全部成功或全部不录入），文件中的年份即视为录入完毕。

    文件示例（# 后为注释）：
      2027-01-01..2027-01-03 休 元旦
      2027-02-14 班 春节调休

    例：xinfang calendar import 2027节假日.txt
    """
    done = holidays.import_file(open_ledger(db), file)
    typer.echo(f"已录入 {done.days} 天；重算了 {done.cases_recounted} 件案件的期限。")


@calendar_app.command("show", cls=Command)
def calendar_show(
    month: Annotated[str, typer.Argument(help="月份，如 2026-10")],
    db: DbOption = None,
) -> None:
    """按月显示日历：工作日、周末、节假日（休）和调休上班日（班）。

    例：xinfang calendar show 2026-10
    """
    view = holidays.month(open_ledger(db), month)
    typer.echo(f"{view.first.year}年{view.first.month}月")
    if not view.known:
        typer.echo(f"（{view.first.year} 年节假日尚未录入，以下按周末计算）")
    typer.echo("  ".join(f" {d} " for d in WEEKDAYS))
    cells = ["    "] * view.first.weekday()
    for day in view.days:
        mark = {"节假日": "休", "调休上班": "班", "周末": " ", "工作日": " "}[day.kind]
        cells.append(f"{day.day.day:>2}{mark}")
    for start in range(0, len(cells), 7):
        typer.echo("  ".join(f"{c:<4}" for c in cells[start : start + 7]).rstrip())
    typer.echo("休 = 节假日放假　班 = 调休上班　周六、周日未标注的为休息日")
    for noted, note in sorted(view.notes.items()):
        typer.echo(f"  {noted}：{note}")
