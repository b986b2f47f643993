"""`show`, `list` and `search`: reading the ledger, for the clerk or (with --json) a script."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from xinfang.cli.base import CaseArgument, DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command
from xinfang.core.reporting import query

MaskOption = Annotated[
    bool,
    typer.Option(
        "--mask",
        help="隐去姓名、性别、年龄、电话、身份证号和地址，文字和办理过程中的姓名、电话、身份证号和地址也删去（共享屏幕或发送时用）",
    ),
]


@command("show")
def show_command(
    case: CaseArgument, mask: MaskOption = False, as_json: JsonOption = False, db: DbOption = None
) -> None:
    """查看一件案件：登记信息、当前状态、期限和全部办理过程。

    例：xinfang show 2026-0001；xinfang show 临民信〔2026〕1号 --json
    """
    result = query.show(open_ledger(db), case, mask=mask)
    if as_json:
        print_json(result)
        return
    from xinfang.cli.render import print_case

    print_case(result)


Status = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="状态，如 已受理、已答复（写出状态名中独有的一部分即可）；在办、办理中 = 全部未办结",
    ),
]
Month = Annotated[str | None, typer.Option("--month", help="信访月份，如 2026-11、本月、上月")]
From = Annotated[str | None, typer.Option("--from", help="信访时间起（含），如 11-01、上周一")]
To = Annotated[str | None, typer.Option("--to", help="信访时间止（含），如 11-30、昨天")]
Source = Annotated[str | None, typer.Option("--source", help="信访来源")]
Form = Annotated[str | None, typer.Option("--form", help="信访形式")]
Category = Annotated[
    list[str] | None, typer.Option("--category", help="问题类型；可重复给出，任一即可")
]
Town = Annotated[str | None, typer.Option("--town", help="属地")]
Unit = Annotated[
    list[str] | None,
    typer.Option("--unit", help="承办单位，可只写名称的一部分（如 救助）；可重复给出，任一即可"),
]
Text = Annotated[str | None, typer.Option("--text", help="在姓名、内容、地址、备注中查找")]
Overdue = Annotated[bool, typer.Option("--overdue", help="只列有已超期期限的案件")]
DueWithin = Annotated[
    str | None, typer.Option("--due-within", help="只列 N 个工作日内（含已超期）有期限到期的案件")
]
Sort = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help="排序：最新（newest，最新的在前，默认）、编号（number，--json 默认）或 期限（due，按最近的期限）",
    ),
]
Limit = Annotated[str | None, typer.Option("--limit", help="最多列出几件")]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="全部列出：不分页，未给 --status 时也列已办结的（长列表逐段输出）"),
]


@command("list")
def list_command(
    status: Status = None,
    month: Month = None,
    date_from: From = None,
    date_to: To = None,
    source: Source = None,
    form: Form = None,
    category: Category = None,
    town: Town = None,
    unit: Unit = None,
    text: Text = None,
    overdue: Overdue = False,
    due_within: DueWithin = None,
    sort: Sort = None,
    limit: Limit = None,
    every: AllOption = False,
    mask: MaskOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """按条件列出案件（默认：在办的，最新的在前，每页 50 件）

    按条件列出案件：默认只列在办的，最新的在前，每次 50 件（--all 全部列出）。
    --json 供脚本使用：不分页，未给 --status 时列全部状态，默认按编号排序。

    例：xinfang list；xinfang list --month 2026-11 --town 沙河镇；xinfang list --due-within 3 --sort due；xinfang list --all
    """
    conn = open_ledger(db)
    if as_json:  # for scripts, as it always was: every case selected, by number
        filters = query.Filters(
            status, month, date_from, date_to, source, form, category, town, unit, text,
            overdue, due_within, sort or "number", limit,
        )  # fmt: skip
        print_json(query.list_cases(conn, filters, mask=mask))
        return
    if status is None and not every:
        status = query.OPEN_CASES
    filters = query.Filters(
        status, month, date_from, date_to, source, form, category, town, unit, text,
        overdue, due_within, sort or "newest", limit,
    )  # fmt: skip
    if every:
        _print_all(query.iter_cases(conn, filters, mask=mask))
        return
    found = query.page(conn, filters, mask=mask)
    total = len(found.cases) + found.more
    footer = f"共 {total} 件" if not found.more else (
        f"共 {total} 件，列出最新的 {len(found.cases)} 件；还有 {found.more} 件，--all 全部列出"
    )  # fmt: skip
    _paged(found.cases, footer)


TITLE = "案件列表"


def _paged(cases: list[dict[str, Any]], footer: str) -> None:
    """One page of a list; at a terminal, through a pager when it is longer than the
    screen."""
    from xinfang.cli.render import console, print_cases

    out = console()
    if not sys.stdout.isatty():
        print_cases(cases, title=TITLE, out=out, footer=footer)
        return
    with out.capture() as captured:
        print_cases(cases, title=TITLE, out=out, footer=footer)
    text = captured.get()
    if text.count("\n") < out.height:
        sys.stdout.write(text)
        return
    _pager(text)


def _pager(text: str) -> None:
    """$PAGER (else `less -R`, keeping the colours) at a terminal; plain if none works."""
    import os
    import shlex
    import subprocess

    command = shlex.split(os.environ.get("PAGER") or "less -R")
    try:
        subprocess.run(command, input=text.encode(), check=False)
    except OSError:
        sys.stdout.write(text)


def _print_all(chunks: Iterator[list[dict[str, Any]]]) -> None:
    """Every case selected, chunk by chunk as it is read (never the whole list at once);
    at a terminal through the pager."""
    from xinfang.cli.render import console, print_cases

    out = console()
    total = 0
    paged = sys.stdout.isatty()
    with out.capture() if paged else nullcontext() as captured:
        for chunk in chunks:
            print_cases(chunk, title=TITLE if not total else "", out=out, footer="")
            total += len(chunk)
        out.print(f"共 {total} 件" if total else "没有符合条件的案件。")
    if captured is not None:
        _pager(captured.get())


@command("export")
def export_command(
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="输出文件：.csv、.json 或 .xlsx；不给则写到屏幕（CSV）"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    mask: Annotated[
        bool,
        typer.Option(
            "--mask",
            help="用于统计或外送：去掉姓名、性别、年龄、电话、身份证号、地址，文字中的姓名、电话、身份证号、地址也删去",
        ),
    ] = False,
    status: Status = None,
    month: Month = None,
    date_from: From = None,
    date_to: To = None,
    source: Source = None,
    form: Form = None,
    category: Category = None,
    town: Town = None,
    unit: Unit = None,
    text: Text = None,
    overdue: Overdue = False,
    due_within: DueWithin = None,
    db: DbOption = None,
) -> None:
    """导出案件（CSV、JSON 或 Excel），条件同 list

    导出案件（全部字段和未完成的期限），供其他软件使用；条件同 list。

    例：xinfang export -o 全部案件.xlsx；xinfang export --month 2026-11 --mask -o 统计用.csv；xinfang export -o cases.json
    """
    from xinfang.core.exchange import export

    target = Path(output) if output else None
    if target:
        from xinfang.store.files import check_target

        check_target(target, force=force, suffixes=(".csv", ".json", ".xlsx"))
    filters = query.Filters(
        status, month, date_from, date_to, source, form, category, town, unit, text,
        overdue, due_within,
    )  # fmt: skip
    to_json = target is not None and target.suffix.lower() == ".json"
    rows = export.cases(open_ledger(db), filters, mask=mask, events=to_json)
    if target is not None and to_json:
        from xinfang.store.files import write_text

        write_text(target, json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        from xinfang.outputs.tables import write_csv, write_list

        header = export.columns(mask=mask)
        labels = [label for _, label in header]
        table = [[export.flat(row[key]) for key, _ in header] for row in rows]
        if target:
            from xinfang.cli.progress import bar
            from xinfang.core.progress import WRITE, Told

            with bar() as progress:
                write_list(target, "案件", labels, Told(table, WRITE, progress), force=force)
        else:
            write_csv(None, labels, table)
    if target:
        sys.stderr.write(f"已导出 {len(rows)} 件：{target}\n")


@command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="要查找的文字（任意片段，如姓名、地名、事由）")],
    limit: Annotated[str, typer.Option("--limit", help="最多列出几件")] = "200",
    mask: MaskOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """全文检索：在姓名、反映问题、地址和备注中查找

    全文检索：在信访人姓名、反映问题、地址和备注中查找任意文字片段，最新的在前，默认最多 200 件。

    例：xinfang search 低保金
    """
    found = query.search(open_ledger(db), text, limit=limit, mask=mask)
    cases = found.cases
    if found.more:
        sys.stderr.write(
            f"提示：符合的案件多于 {len(cases)} 件，只列出最新的 {len(cases)} 件；可用 --limit 增加。\n"
        )
    if as_json:
        print_json(cases)
        return
    from xinfang.cli.render import print_cases

    # A name or a phone number searched for is personal data too: not on a shared screen.
    print_cases(cases, title="检索结果（检索词已隐去）" if mask else f"检索“{text}”")
