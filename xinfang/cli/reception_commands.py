"""`xinfang reception`: the leaders' reception days (领导接访日程安排表, seed 003)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import Command, DbOption, JsonOption, new_app, open_ledger, print_json
from xinfang.cli.root import app
from xinfang.core.clock.dates import chinese_date, today
from xinfang.core.intake import reception, reception_rules

reception_app = new_app(
    "领导接访：编排和查看全年的领导接访日程\n\n领导接访：按规则编排全年的领导接访日程安排表（遇节假日提前到前一个工作日），"
    "查看日程。\n\n例：xinfang reception plan --year 2027 --rule "
    '"last-friday 09:00-11:00" --leaders 张三,李四,王五；xinfang reception show --year 2027'
)
app.add_typer(reception_app, name="reception")

COLUMNS = ("序号", "接访日期", "星期", "接访时间", "接访领导", "接访地点", "备注")
WIDTHS = (6, 18, 9, 14, 12, 16, 46)


def _row(
    number: int, entry: reception.ReceptionDay, note: str | None, *, chinese: bool
) -> list[str]:
    return [
        str(number),
        chinese_date(entry.day) if chinese else entry.day.isoformat(),
        reception_rules.WEEKDAY_NAMES[entry.day.weekday()],
        f"{entry.starts}—{entry.ends}",
        entry.leader,
        entry.place or "",
        note or "",
    ]


def _print_table(title: str, rows: Sequence[Sequence[str]]) -> None:
    from rich.table import Table

    from xinfang.cli.render import console

    table = Table(title=title, title_justify="left")
    for heading in COLUMNS:
        table.add_column(heading, no_wrap=heading != "备注")
    for row in rows:
        table.add_row(*row)
    console().print(table)


def _xlsx_target(output: str, force: bool) -> Path:
    from xinfang.store.files import check_target

    path = Path(output)
    if not path.suffix:
        path = path.with_suffix(".xlsx")
    check_target(path, force=force, suffixes=(".xlsx",))
    return path


def _write_xlsx(plan: reception.Plan, unit: str, path: Path, force: bool) -> None:
    from xinfang.outputs import workbook

    # For the public noticeboard: the caveat about unentered holidays is the clerk's
    # (said on the screen), not the public's.
    note = f"接访规则：{plan.rule.label}；接访领导按 {'、'.join(plan.leaders)} 的顺序逐月轮流。"
    book, sheet = workbook.new_form_book(f"领导接访日程{plan.year}年")
    workbook.form_sheet(
        sheet,
        title=f"领导接访日程安排表（{plan.year}年）",
        left=f"单位：{unit}",
        right=f"制表日期：{chinese_date(today())}",
        note=note,
        columns=COLUMNS,
        widths=WIDTHS,
        rows=[
            _row(number, day.entry, day.note, chinese=True)
            for number, day in enumerate(plan.days, 1)
        ],
        centered=(0, 1, 2, 3, 4),
    )
    workbook.save(book, path, force=force)


@reception_app.command("plan", cls=Command)
def reception_plan(
    year: Annotated[str, typer.Option("--year", help="年份，如 2027")],
    rule: Annotated[
        str,
        typer.Option(
            "--rule",
            help="接访规则：first|second|third|fourth|last-星期（monday…sunday）加时间段，"
            "如 last-friday 09:00-11:00；也可写 每月最后一个周五 09:00-11:00",
        ),
    ],
    leaders: Annotated[
        str, typer.Option("--leaders", help="接访领导，按轮流顺序用逗号分隔，如 张三,李四,王五")
    ],
    place: Annotated[
        str | None, typer.Option("--place", help="接访地点，默认取设置中的领导接访地点")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="该年已有日程时，整年重新编排（替换原日程）")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="另存为可打印的 Excel 文件（.xlsx），写指定的文件名"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    db: DbOption = None,
) -> None:
    """编排一年的领导接访日程安排表

    编排一年的领导接访日程安排表：每月一天，领导按顺序逐月轮流。

    规则给出的日子遇节假日（或非调休的周末）时，提前到前一个工作日，并在备注中说明。
    该年节假日尚未录入时按周末计算，并予以提示。一年只有一份日程，重排请加 --replace。

    例：xinfang reception plan --year 2027 --rule "last-friday 09:00-11:00" --leaders 张三,李四,王五 -o 领导接访日程安排表_2027年.xlsx
    """
    target = _xlsx_target(output, force) if output else None
    conn = open_ledger(db)

    def write(made: reception.Plan) -> None:
        if target is not None:
            from xinfang.core import settings

            _write_xlsx(made, str(settings.get(conn, "unit_name") or ""), target, force)

    made = reception.plan(conn, year, rule, leaders, place, replace=replace, before_commit=write)
    action = f"已重新编排 {made.year} 年领导接访日程（替换原有 {made.replaced} 天）"
    typer.echo(
        f"{action if made.replaced else f'已编排 {made.year} 年领导接访日程'}：{made.rule.label}，"
        f"领导 {'、'.join(made.leaders)} 逐月轮流，共 {len(made.days)} 次。"
    )
    if target is None:
        _print_table(
            f"领导接访日程安排表（{made.year}年）",
            [
                _row(number, day.entry, day.note, chinese=False)
                for number, day in enumerate(made.days, 1)
            ],
        )
    else:
        for day in made.days:
            if day.note:
                typer.echo(f"调整：{day.note}")
    for warning in made.warnings:
        typer.echo(f"注意：{warning}")
    if target is not None:
        typer.echo(f"已保存：{target}")


@reception_app.command("show", cls=Command)
def reception_show(
    year: Annotated[
        str | None, typer.Option("--year", help="年份，如 2027；默认今年及以后各年")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """查看领导接访日程安排表

    查看领导接访日程安排表；按现在的工作日历已不是工作日的接访日会标出。

    例：xinfang reception show --year 2027；xinfang reception show --json
    """
    schedule = reception.show(open_ledger(db), year)
    if as_json:
        print_json(
            {
                "years": schedule.years,
                "rules": {str(number): label for number, label in schedule.rules.items()},
                "days": [day.as_json() for day in schedule.days],
                "warnings": schedule.warnings,
            }
        )
        return
    if not schedule.days:
        which = f"{year} 年" if year else f"{today().year} 年及以后"
        typer.echo(
            f"没有{which}的领导接访日程。编排：xinfang reception plan --year … "
            '--rule "last-friday 09:00-11:00" --leaders 张三,李四,王五'
        )
        return
    for number in schedule.years:
        days = [day for day in schedule.days if day.entry.day.year == number]
        rows = []
        for position, day in enumerate(days, 1):
            notes = [day.note] if day.note else []
            if day.off_now:
                notes.append(f"【现为{day.off_now}，需重排】")
            if day.upcoming:
                notes.append("← 下次接访")
            rows.append(_row(position, day.entry, "；".join(notes), chinese=False))
        rule = schedule.rules.get(number)
        _print_table(f"领导接访日程安排表（{number}年）" + (f"　{rule}" if rule else ""), rows)
    for warning in schedule.warnings:
        typer.echo(f"注意：{warning}")
