"""`xinfang overdue`: the morning check, for the clerk and for cron."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from xinfang.cli.base import DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command
from xinfang.core import settings
from xinfang.core.clock import overdue
from xinfang.core.clock.dates import chinese_date, parse_date, today
from xinfang.core.validate import parse_int
from xinfang.core.vocabulary import URGENT

# A screen or a cron mail of tens of thousands of lines helps nobody, and rich takes half a
# millisecond a row: beyond this, a count per stage and unit, then the first rows.
SCREEN_LIMIT = 500
HEADER = ("情况", "环节", "承办", "编号", "期限", "剩余/超期", "信访人", "反映问题", "当前状态")
LATE = "已超期"
# Columns the clerk acts on: the case, its due date and how late it is are never cut.
WHOLE = ("情况", "编号", "期限", "剩余/超期")
# The printed list: 反映问题 whole and wrapped in the widest column.
WIDTHS = (11, 14, 12, 11, 12, 14, 9, 44, 16)
CENTERED = (0, 3, 4, 5, 6)
SCREEN_CONTENT = 40  # characters of 反映问题 on the screen


def _rows(report: overdue.Scan, *, whole: bool = False) -> list[list[str]]:
    """One line an item; `whole`: 反映问题 uncut (files), else its first characters."""
    rows = []
    for kind, items in ((LATE, report.overdue), ("即将到期", report.due_soon)):
        for item in items:
            when = overdue.left_words(item.days_left, item.day_unit)
            if item.provisional:
                when += "（按周末估算）"
            rows.append(
                [
                    f"{kind}（{URGENT}）" if item.urgent else kind,
                    item.label + (f"（第{item.round}轮）" if item.round > 1 else ""),
                    item.handled_by,
                    item.case_no,
                    item.due_on,
                    when,
                    item.petitioner or "",
                    item.content if whole else item.content.replace("\n", " ")[:SCREEN_CONTENT],
                    item.status,
                ]
            )
    return rows


@command("overdue")
def overdue_command(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="按哪一天检查，默认今天；过去的日期按当天的情况（其后才完成的算未完成）",
        ),
    ] = None,
    within: Annotated[str, typer.Option("--within", help="提前几个工作日提示“即将到期”")] = "3",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="另存清单为 .xlsx 或 .csv 文件")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    show_all: Annotated[
        bool,
        typer.Option("--all", help=f"屏幕上列出全部（默认超过 {SCREEN_LIMIT} 项时只列前面的）"),
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """期限检查：列出已超期和即将到期的期限

    期限检查：列出已超期和即将到期的期限，重大紧急案件在前（标“紧急”），按环节和承办
    单位分组，最早的在前。

    供 cron 使用：无终端时不着色、不提问；没有超期退出码 0，有超期 1，出错 2。
    信访人姓名已打码，反映问题中的姓名、电话、身份证号、地址和任何电话、身份证号都已删去
    （屏幕、--json 和 --output 文件都一样），可放心发送到共享屏幕或邮件；
    要看全部信息请用 xinfang list --overdue 或 xinfang show 编号。

    --as-of 过去的某一天：列出那天已超期和即将到期的期限（那天以后才完成的仍算未完成；
    “当前状态”是今天的状态）。

    例：xinfang overdue；xinfang overdue --within 5 --output 超期清单.xlsx；xinfang overdue --as-of 2026-09-30
    """
    day = parse_date(as_of, "检查日期") if as_of else today()
    days = parse_int(within, "提前工作日数", minimum=0, maximum=60)
    target = Path(output) if output else None
    if target:
        from xinfang.store.files import check_target

        check_target(target, force=force, suffixes=(".xlsx", ".csv"))
    conn = open_ledger(db)
    report = overdue.scan(conn, day, days)
    if as_json:
        print_json(
            {
                "as_of": report.as_of,
                "within": report.within,
                "horizon": report.horizon,
                "overdue": [item.as_json() for item in report.overdue],
                "due_soon": [item.as_json() for item in report.due_soon],
                "warnings": report.warnings,
            }
        )
    else:
        _print(report, show_all)
    if target:
        _write(report, day, settings.get(conn, "unit_name"), target, force)
        sys.stderr.write(f"清单已保存：{target}\n")
    raise typer.Exit(1 if report.overdue else 0)


def _write(report: overdue.Scan, day: date, unit: str, target: Path, force: bool) -> None:
    from xinfang.outputs.tables import write_form

    write_form(
        target,
        sheet_name=f"期限检查{report.as_of}",
        title="信访事项期限检查清单",
        left=f"单位：{unit}",
        right=f"检查日期：{chinese_date(day)}",
        note=f"已超期 {len(report.overdue)} 项，{report.within} 个工作日内到期 "
        f"{len(report.due_soon)} 项；信访人姓名已打码，反映问题中的个人信息已删去。",
        header=HEADER,
        widths=WIDTHS,
        rows=_rows(report, whole=True),
        centered=CENTERED,
        force=force,
    )


def _print(report: overdue.Scan, show_all: bool) -> None:
    for warning in report.warnings:
        sys.stderr.write(f"提示：{warning}\n")
    if not report.overdue and not report.due_soon:
        typer.echo(f"{report.as_of}：没有超期或 {report.within} 个工作日内到期的期限。")
        return
    from xinfang.cli.render import console, fits

    title = (
        f"期限检查 {report.as_of}（已超期 {len(report.overdue)} 项，"
        f"{report.within} 个工作日内到期 {len(report.due_soon)} 项）"
    )
    rows = _rows(report)
    shown = rows if show_all else rows[:SCREEN_LIMIT]
    out = console()
    if len(shown) < len(rows):
        out.print(_counts(rows))
    table = _table(title, shown)
    if fits(out, table):
        out.print(table)
    else:
        out.print(title, soft_wrap=True)
        _print_cards(out, shown)
    if len(shown) < len(rows):
        out.print(
            f"另有 {len(rows) - len(shown)} 项未列出；全部列出：xinfang overdue --all，"
            "或另存清单：xinfang overdue --output 期限清单.xlsx"
        )


def _print_cards(out: Any, rows: list[list[str]]) -> None:
    """A narrow screen: the case, its due date, how late and the stage on line 1 (never
    cut), who, which unit, the state and the matter on line 2 (cut to the screen)."""
    from rich.text import Text

    from xinfang.cli.render import joined, print_cards

    heads, tails = [], []
    for kind, stage, unit, case_no, due, when, who, content, status in rows:
        heads.append([Text(cell).markup for cell in (case_no, due, when, kind, stage)])
        tails.append(joined(who, unit, status, content))
    styles: list[str | None] = ["red" if row[0].startswith(LATE) else None for row in rows]
    print_cards(out, heads, tails, styles=styles)


def _table(title: str, shown: list[list[str]]) -> Any:
    from rich.cells import cell_len
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for at, heading in enumerate(HEADER):
        # One line an item; on a narrow terminal the other columns give way.
        whole = heading in WHOLE
        width = max(cell_len(str(row[at])) for row in [list(HEADER), *shown]) if whole else None
        table.add_column(
            heading, no_wrap=True, min_width=width, max_width=30 if heading == "反映问题" else None
        )
    for row in shown:
        table.add_row(*row, style="red" if row[0].startswith(LATE) else None)
    return table


def _counts(rows: list[list[str]]) -> Any:
    """How many items per stage and handling unit: the office head's view of a long list."""
    from collections import Counter

    from rich.table import Table

    counts = Counter((row[1], row[2], row[0].startswith(LATE)) for row in rows)
    table = Table(title=f"按环节和承办单位汇总（共 {len(rows)} 项）", title_justify="left")
    for heading in ("环节", "承办", "已超期", "即将到期"):
        table.add_column(heading, justify="right" if heading.startswith(("已", "即")) else "left")
    for stage, unit in dict.fromkeys((row[1], row[2]) for row in rows):
        table.add_row(
            stage,
            unit,
            str(counts[(stage, unit, True)]),
            str(counts[(stage, unit, False)]),
        )
    return table
