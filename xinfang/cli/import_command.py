"""`xinfang import`: an office's existing ledger (Excel 台账 or CSV) read in as cases."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xinfang.cli.base import ByOption, DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command

if TYPE_CHECKING:  # the import machinery is loaded only when a file is imported
    from xinfang.core.exchange.importing import Rejected, Warned

SHOWN_REJECTS = 10
SHOWN_VALUES = 5  # new list values named per list; all of them are in --json


@command("import")
def import_command(
    file: Annotated[
        str, typer.Argument(help="要导入的台账：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK）")
    ],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="工作表名称（默认第一个有表头的工作表）")
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="列名=字段，指定不认识的列是哪个字段，如 --map 来访日期=信访时间；字段写“忽略”则不读该列",
        ),
    ] = None,
    defaults: Annotated[
        list[str] | None,
        typer.Option(
            "--default", help="字段=值，文件中没有该列或该格为空时使用，如 --default 信访形式=来信"
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", help="只写了月日（如 11月2日、11.2）的日期属于哪一年"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只检查并显示将会导入的结果，不写入任何内容")
    ] = False,
    rejects: Annotated[
        str | None,
        typer.Option(
            "--rejects",
            help="未导入行的清单（.xlsx），默认为 原文件名_未导入行.xlsx，与原文件同目录",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的 --rejects 文件")] = False,
    closed_before: Annotated[
        str | None,
        typer.Option(
            "--closed-before",
            help="此日期之前登记的案件作为历史导入：无论办到哪一步，都不再产生期限、不列入超期",
        ),
    ] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """导入已有的信访台账（Excel 或 CSV）

    导入已有的信访台账（Excel 或 CSV）：自动找到表头、识别常用列名，每行登记为一件案件，
    并按已填写的内容补记受理、交办、答复、回访、办结等办理过程。无法识别的行不导入，
    连同原因另存一份清单；同一文件重复导入不会产生重复案件。

    例：xinfang import 2025年信访台账.xlsx --dry-run；xinfang import 来访登记.csv --year 2026 --default 信访来源=本级
    """
    from xinfang.core.exchange import importing
    from xinfang.outputs.rejects import write_rejects

    result = importing.import_file(
        open_ledger(db), file, sheet=sheet, maps=maps or [], defaults=defaults or [],
        year=year, dry_run=dry_run, rejects=rejects, force=force, by=by,
        write_rejects=write_rejects, closed_before=closed_before,
    )  # fmt: skip
    if as_json:
        print_json(result.as_json())
        raise typer.Exit(2 if result.nothing_imported else 0)
    out = sys.stdout.write
    where = f"（工作表“{result.sheet}”）" if result.sheet else ""
    out(f"读取 {Path(result.file).name}{where}，表头在第 {result.header_row} 行")
    out(f"；未识别的列：{'、'.join(result.ignored_columns)}\n" if result.ignored_columns else "\n")
    for reading in result.readings:
        out(f"  列的读法：{reading}\n")
    verb = "可导入" if result.dry_run else "已导入"
    parts = [f"{verb} {result.imported} 件"]
    if result.statuses:
        stages = (f"{label.split('（')[0]} {count}" for label, count in result.statuses.items())
        parts[0] += "（" + "、".join(stages) + "）"
    parts.append(f"重复跳过 {result.duplicates} 行")
    parts.append(f"未导入 {len(result.rejected)} 行")
    if result.added:
        count = sum(len(values) for values in result.added.values())
        lists = "、".join(
            f"{name}“{'”“'.join(values[:SHOWN_VALUES])}”"
            + ("等" if len(values) > SHOWN_VALUES else "")
            for name, values in result.added.items()
        )
        parts.append(f"{'将' if result.dry_run else ''}新增列表值 {count} 个：{lists}")
    if result.warnings:
        parts.append(f"{result.warnings} 个电话或身份证号未通过校验，已按原样保留")
    if result.historical:
        parts.append(f"其中 {result.historical} 件为历史案件（--closed-before 之前），不计期限")
    if result.overdue:
        parts.append(f"{result.overdue} 件有已超期的期限（xinfang overdue 查看）")
    prefix = "试导入，未写入任何内容：" if result.dry_run else ""
    out(prefix + "；".join(parts) + "。\n")
    if result.dry_run and result.preview:
        out("前几件：\n")
        for case in result.preview:
            out(
                f"  第 {case.row} 行 → {case.case_no}  {case.name or '（匿名）'}  "
                f"{case.received_at[:16]}  {case.status_label}\n"
            )
    _rows(out, "已按原样保留、请核对的号码", result.warned)
    _rows(out, "未导入的行", result.rejected)
    if result.rejects_file:
        out(f"未导入的行及原因已写入：{result.rejects_file}\n")
    if result.nothing_imported:
        raise typer.Exit(2)


def _rows(out: Callable[[str], object], title: str, rows: Sequence[Warned | Rejected]) -> None:
    """Rows named with their reasons, the first few of them."""
    if not rows:
        return
    out(f"{title}：\n")
    for row in rows[:SHOWN_REJECTS]:
        out(f"  第 {row.row} 行：{'；'.join(row.reasons)}\n")
    if len(rows) > SHOWN_REJECTS:
        out(f"  ……共 {len(rows)} 行\n")
