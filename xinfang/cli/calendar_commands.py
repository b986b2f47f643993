"""`xinfang calendar`: the holiday calendar working days are counted by."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.cells import cell_len

from xinfang.cli.base import Command, DbOption, new_app, open_ledger
from xinfang.cli.root import app
from xinfang.core.clock import holidays
from xinfang.core.clock.promises import WEEKDAYS as WEEKDAY_NAMES
from xinfang.core.clock.workdays import HOLIDAY, WORKDAY

if TYPE_CHECKING:
    from xinfang.core import agenda

calendar_app = new_app(
    "工作日历：节假日和调休上班日\n\n工作日历：节假日和调休上班日。已安装的 chinese-calendar 不含的年份，"
    "请按国务院办公厅通知录入（可直接粘贴通知全文）。\n\n例：xinfang calendar（本月）；xinfang calendar show 2026-10；"
    "xinfang calendar import -（粘贴通知）；xinfang calendar set 2027-01-01..2027-01-03 休"
)
calendar_app.info.no_args_is_help = False  # `xinfang calendar` alone: this month
app.add_typer(calendar_app, name="calendar")

WEEKDAYS = "一二三四五六日"


@calendar_app.command("set", cls=Command)
def calendar_set(
    days: Annotated[str, typer.Argument(help="日期或日期范围，如 2027-01-01..2027-01-03")],
    kind: Annotated[str, typer.Argument(help="休（放假）或 班（调休上班）")],
    note: Annotated[str | None, typer.Option("--note", help="说明，如 元旦")] = None,
    db: DbOption = None,
) -> None:
    """录入放假（休）或调休上班（班）的日期

    录入放假（休）或调休上班（班）的日期，并重算受影响案件的期限。

    例：xinfang calendar set 2027-02-06..2027-02-12 休 --note 春节；xinfang calendar set 2027-02-14 班
    """
    done = holidays.enter(open_ledger(db), days, kind, note)
    typer.echo(f"已录入 {done.days} 天（{kind}）；重算了 {done.cases_recounted} 件案件的期限。")
    _print_changes(done)
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
    """确认某年的节假日安排已全部录入

    确认某年的节假日安排已全部录入：此后该年按录入的安排计算，期限不再标为估算。

    例：xinfang calendar confirm 2027
    """
    done = holidays.confirm(open_ledger(db), year)
    typer.echo(f"已确认 {year} 年节假日安排录入完毕；重算了 {done.cases_recounted} 件案件的期限。")
    _print_changes(done)


def _day(day: date) -> str:
    return f"{day}（{WEEKDAY_NAMES[day.weekday()]}）"


def _span(first: date, last: date) -> str:
    if first == last:
        return _day(first)
    return f"{_day(first)}至{_day(last)}，共 {(last - first).days + 1} 天"


def _print_reading(reading: holidays.Reading) -> None:
    """The year as read, laid out as the notice is, for the clerk to hold against it."""
    if reading.notice is None:
        for first, last, kind, note in reading.entries:
            typer.echo(f"  {kind}  {_span(first, last)}" + (f"  {note}" if note else ""))
        return
    typer.echo(f"读到《{reading.notice.title}》：")
    for item in reading.notice.items:
        typer.echo(item.name)
        for first, last in item.blocks:
            typer.echo(f"  {HOLIDAY}  {_span(first, last)}")
        if item.workdays:
            typer.echo(f"  {WORKDAY}  {'、'.join(_day(day) for day in item.workdays)}")


def _print_changes(done: holidays.Entered) -> None:
    for line in done.changes.lines():
        typer.echo(line)


@calendar_app.command("import", cls=Command)
def calendar_import(
    file: Annotated[
        str,
        typer.Argument(
            help="国务院办公厅的放假通知全文，或每行“日期[..日期] 休|班 [说明]”的文件；- 为粘贴"
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示读到的安排，不录入")] = False,
    db: DbOption = None,
) -> None:
    """录入一年的节假日安排（可直接粘贴国务院办公厅通知全文）

    录入一年的节假日安排：直接粘贴国务院办公厅《关于某年部分节假日安排的通知》全文
    （网页上复制的即可，标题、落款、来源、分享按钮等不必删去；繁体转载也可），或用每行
    “日期[..日期] 休|班 [说明]”的文件。全文读完并核对无误才录入（括号里的星期与日期不符、
    “共N天”与起止日期不符的，整份不录入）；录入后该年即视为已知，并列出期限有变化的案件。

    例：xinfang calendar import -（粘贴通知，Ctrl+D 结束；Windows 为 Ctrl+Z 回车）；
    xinfang calendar import 通知.txt --dry-run；xinfang calendar import 2027节假日.txt
    """
    if file == "-":
        if sys.stdin.isatty():
            typer.echo("请粘贴通知全文，粘贴完按 Ctrl+D（Windows：Ctrl+Z 后回车）：", err=True)
        text, source = sys.stdin.read(), "粘贴的内容"
    else:
        text, source = holidays.read_text(Path(file)), file
    reading = holidays.read(text, source)
    if dry_run:
        _print_reading(reading)
        typer.echo("（--dry-run：未录入；核对无误后去掉 --dry-run 再执行）")
        return
    done = holidays.import_reading(open_ledger(db), reading)
    if reading.notice:
        off = [entry for entry in reading.entries if entry[2] == HOLIDAY]
        typer.echo(
            f"已录入《{reading.notice.title}》：放假 {len(off)} 段共 "
            f"{sum((last - first).days + 1 for first, last, _, _ in off)} 天，"
            f"调休上班 {len(reading.entries) - len(off)} 天；"
            f"{reading.notice.year} 年节假日已确认，期限不再按周末估算。"
        )
        typer.echo(f"重算了 {done.cases_recounted} 件案件的期限。")
    else:
        typer.echo(f"已录入 {done.days} 天；重算了 {done.cases_recounted} 件案件的期限。")
    _print_changes(done)


@calendar_app.callback(invoke_without_command=True)
def calendar_default(ctx: typer.Context, db: DbOption = None) -> None:
    """不带子命令：显示本月日历。"""
    if ctx.invoked_subcommand is None:
        calendar_show(None, db)


@calendar_app.command("show", cls=Command)
def calendar_show(
    month: Annotated[str | None, typer.Argument(help="月份，如 2026-10；不给则为本月")] = None,
    db: DbOption = None,
) -> None:
    """按月显示日历：休、班和每天到期的期限数

    按月显示日历：工作日、周末、节假日（休）和调休上班日（班），以及每天到期的期限数。

    例：xinfang calendar；xinfang calendar show 2026-10
    """
    from xinfang.core import agenda
    from xinfang.core.clock.dates import today

    view = agenda.month_view(open_ledger(db), month or today().strftime("%Y-%m"))
    for line in month_lines(view, today()):
        typer.echo(line)


def _padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal cells (休 and 班 take two)."""
    return text + " " * (width - cell_len(text))


def month_lines(view: agenda.MonthView, now: date) -> list[str]:
    """The month as a grid, each day with its mark and how many deadlines fall on it; every
    cell as wide as the widest (so the grid fits 60 columns unless a day has 10+ due)."""
    first = date.fromisoformat(view.first)
    title = f"{first.year}年{first.month}月"
    if (now.year, now.month) == (first.year, first.month):
        title += f"（今天 {now.day} 日）"
    lines = [title]
    if not view.known:
        lines.append(f"（{first.year} 年节假日尚未录入，以下按周末计算）")
    texts = []
    for day in view.days:
        mark = {"节假日": "休", "调休上班": "班"}.get(day.kind, "  ")
        due = f"[{day.deadlines}]" if day.deadlines else ""
        texts.append(f"{int(day.day[8:]):>2}{mark}{due}")
    width = max(4, *(cell_len(text) for text in texts))
    lines.append(" ".join(_padded(f"  {d}", width) for d in WEEKDAYS).rstrip())
    cells = [_padded("", width)] * first.weekday() + [_padded(t, width) for t in texts]
    for start in range(0, len(cells), 7):
        lines.append(" ".join(cells[start : start + 7]).rstrip())
    lines.append("休 = 节假日放假　班 = 调休上班")
    lines.append("[n] = 当天到期的期限数（本单位和承办单位的）")
    lines += [f"  {noted}：{note}" for noted, note in view.notes.items()]
    return lines
