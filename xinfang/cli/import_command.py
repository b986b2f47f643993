"""`xinfang import`: an office's existing ledger (Excel 台账 or CSV) read in as cases."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xinfang.cli.base import ByOption, DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command
from xinfang.core.errors import shorten

if TYPE_CHECKING:  # the import machinery is loaded only when a file is imported
    from xinfang.core.exchange.importing import ImportResult, Rejected, Warned

SHOWN_REJECTS = 10
SHOWN_VALUES = 5  # new list values named per list; all of them are in --json
SHOWN_CHARS = 30  # of each value of a sample row (--json has them whole)


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
    value_maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map-value",
            help="字段:原值=新值，把文件里的写法换成列表中的值，如 --map-value 信访来源:群众来访=本级；"
            "该字段没有列时从写着原值的格取（如 --map-value 信访形式:电话来访=来电）",
        ),
    ] = None,
    add_values: Annotated[
        bool,
        typer.Option("--add-values", help="文件中有列表（属地、信访来源等）没有的值时，加入列表"),
    ] = False,
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
    from xinfang.cli.progress import bar
    from xinfang.core.exchange import importing
    from xinfang.outputs.rejects import write_rejects

    out = sys.stdout.write

    def header(sheet: str | None, row: int, kept: list[str]) -> None:
        # Said before the rows are read: the clerk sees at once which table was found.
        where = f"（工作表“{sheet}”）" if sheet else ""
        out(f"读取 {Path(file).name}{where}，表头在第 {row} 行")
        out(f"；其他列（已随案件保留）：{'、'.join(kept)}\n" if kept else "\n")
        sys.stdout.flush()

    with bar(as_json=as_json) as progress:
        result = importing.import_file(
            open_ledger(db), file, sheet=sheet, maps=maps or [], defaults=defaults or [],
            year=year, dry_run=dry_run, rejects=rejects, force=force, by=by,
            write_rejects=write_rejects, closed_before=closed_before,
            value_maps=value_maps or [], add_values=add_values, progress=progress,
            on_header=None if as_json else header,
        )  # fmt: skip
    if as_json:
        print_json(result.as_json())
        raise typer.Exit(2 if result.nothing_imported else 0)
    exported = not result.header_row  # xinfang's own JSON export: cases, not a table
    if exported:
        out(f"读取 {Path(result.file).name}（xinfang 导出的案件及其办理记录）\n")
    if result.dry_run and result.layout:
        _layout(out, result)
    else:
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
        if result.dry_run and not add_values:  # the import itself would refuse them
            parts[-1] += "（正式导入须用 --map-value 换成列表中的值，或加 --add-values）"
    if result.warnings:
        parts.append(f"{result.warnings} 个电话或身份证号未通过校验，已按原样保留")
    if result.historical:
        parts.append(f"其中 {result.historical} 件为历史案件（--closed-before 之前），不计期限")
    if result.overdue:
        parts.append(f"{result.overdue} 件有已超期的期限（xinfang overdue 查看）")
    prefix = "试导入，未写入任何内容：" if result.dry_run else ""
    out(prefix + "；".join(parts) + "。\n")
    if result.dry_run and result.preview:
        out(f"前 {len(result.preview)} {'件' if exported else '行'}将登记为：\n")
        for case in result.preview:
            fields = "；".join(f"{k}：{shorten(v, SHOWN_CHARS)}" for k, v in case.fields.items())
            out(
                f"  第 {case.row} {'件' if exported else '行'} → {case.case_no}  "
                f"{case.name or '（匿名）'}  {case.received_at[:16]}  {case.status_label}\n"
                f"    {fields}\n"
            )
    _rows(out, "已按原样保留、请核对的号码", result.warned)
    _rows(out, "重复跳过的行", result.skipped)
    _rows(out, "未导入的行", result.rejected)
    if result.rejects_file:
        out(f"未导入的行及原因已写入：{result.rejects_file}\n")
    if result.nothing_imported:
        raise typer.Exit(2)


def _layout(out: Callable[[str], object], result: ImportResult) -> None:
    """Each column and what it was read as; the reading taken of it under it."""
    out("各列的读法：\n")
    for item in result.layout:
        out(f"  {item['column']} → {item['read_as']}\n")
        if "reading" in item:
            out(f"    读法：{item['reading']}\n")
    placed = {item.get("reading") for item in result.layout}
    for reading in result.readings:
        if reading not in placed:
            out(f"  列的读法：{reading}\n")


def _rows(out: Callable[[str], object], title: str, rows: Sequence[Warned | Rejected]) -> None:
    """Rows named with their reasons, the first few of them."""
    if not rows:
        return
    out(f"{title}：\n")
    for row in rows[:SHOWN_REJECTS]:
        out(f"  第 {row.row} 行：{'；'.join(row.reasons)}\n")
    if len(rows) > SHOWN_REJECTS:
        out(f"  ……共 {len(rows)} 行\n")
