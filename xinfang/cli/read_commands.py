"""`show`, `list` and `search`: reading the ledger, for the clerk or (with --json) a script."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.app import command
from xinfang.cli.base import CaseArgument, DbOption, JsonOption, open_ledger, print_json
from xinfang.core import query

MaskOption = Annotated[
    bool, typer.Option("--mask", help="隐去姓名、电话、身份证号和地址（共享屏幕或发送时用）")
]


@command("show")
def show_command(
    case: CaseArgument, mask: MaskOption = False, as_json: JsonOption = False, db: DbOption = None
) -> None:
    """查看一件案件：登记信息、当前状态、期限和全部办理过程。

    例：xinfang show 2026-0001；xinfang show 临民信〔2026〕1号 --json
    """
    result = query.show(open_ledger(db), case)
    if mask:
        result = query.masked(result)
    if as_json:
        print_json(result)
        return
    from xinfang.cli.render import print_case

    print_case(result)


@command("list")
def list_command(
    status: Annotated[
        str | None, typer.Option("--status", help="状态，如 已受理、已答复；在办 = 全部未办结")
    ] = None,
    month: Annotated[str | None, typer.Option("--month", help="信访月份，如 2026-11")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="信访时间起（含）")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="信访时间止（含）")] = None,
    source: Annotated[str | None, typer.Option("--source", help="信访来源")] = None,
    form: Annotated[str | None, typer.Option("--form", help="信访形式")] = None,
    category: Annotated[str | None, typer.Option("--category", help="问题类型")] = None,
    town: Annotated[str | None, typer.Option("--town", help="属地")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="承办单位")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="在姓名、内容、地址、备注中查找")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列有已超期期限的案件")] = False,
    due_within: Annotated[
        str | None,
        typer.Option("--due-within", help="只列 N 个工作日内（含已超期）有期限到期的案件"),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="排序：number（按编号，默认）或 due（按最近的期限）")
    ] = "number",
    limit: Annotated[str | None, typer.Option("--limit", help="最多列出几件")] = None,
    mask: MaskOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """按条件列出案件，可按期限筛选和排序。

    例：xinfang list --month 2026-11 --status 在办 --town 沙河镇；xinfang list --due-within 3 --sort due
    """
    filters = query.Filters(
        status=status,
        month=month,
        date_from=date_from,
        date_to=date_to,
        source=source,
        form=form,
        category=category,
        township=town,
        unit=unit,
        text=text,
        overdue=overdue,
        due_within=due_within,
        sort=sort,
        limit=limit,
    )
    cases = query.list_cases(open_ledger(db), filters)
    if mask:
        cases = [query.masked(case) for case in cases]
    if as_json:
        print_json(cases)
        return
    from xinfang.cli.render import print_cases

    print_cases(cases, title="案件列表")


@command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="要查找的文字（任意片段，如姓名、地名、事由）")],
    mask: MaskOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """全文检索：在信访人姓名、反映问题、地址和备注中查找任意文字片段。

    例：xinfang search 低保金
    """
    cases = query.search(open_ledger(db), text)
    if mask:
        cases = [query.masked(case) for case in cases]
    if as_json:
        print_json(cases)
        return
    from xinfang.cli.render import print_cases

    print_cases(cases, title=f"检索“{text}”")
