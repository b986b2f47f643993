"""Documents and files: `print`, `templates export`, `attach`, `verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import ByOption, Command, DbOption, OnOption, new_app, open_ledger
from xinfang.cli.root import app, command
from xinfang.core import presets, vocabulary
from xinfang.core.errors import InvalidInput, StepRefused
from xinfang.core.life import files, ledger
from xinfang.core.papers import documents


@command("print")
def print_command(
    case: Annotated[str | None, typer.Argument(help="案件编号，如 2026-0001")] = None,
    document: Annotated[str | None, typer.Argument(help="文书名称，如 受理告知书")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="输出文件（.docx）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    show_list: Annotated[bool, typer.Option("--list", help="列出可打印的文书")] = False,
    db: DbOption = None,
) -> None:
    """打印文书：按案件填好的 Word 文件（.docx）

    打印文书：按案件填好的 Word 文件（.docx），可再打印、签字、盖章。

    例：xinfang print --list；xinfang print 2026-0001 受理告知书；xinfang print 2026-0001 交办单 -o 交办单.docx
    """
    if show_list:
        for item in documents.DOCUMENTS:
            typer.echo(item.title)
        return
    if not case or not document:
        raise InvalidInput(
            "参数", "请给出案件编号和文书名称，如 xinfang print 2026-0001 受理告知书"
        )
    from xinfang.outputs import docx
    from xinfang.store.files import check_target

    conn = open_ledger(db)
    found = ledger.find(conn, case)
    wanted = documents.find_document(document)
    context = documents.context(conn, found)
    why = wanted.fits(context)
    case_no = found.number
    if why:
        raise StepRefused(f"案件 {case_no}（{found.status.label}）不能打印{wanted.title}：{why}。")
    target = Path(output) if output else Path(f"{case_no}_{wanted.title}.docx")
    check_target(target, force=force, suffixes=(".docx",))
    docx.render(docx.template_for(conn, wanted.title), context, target)
    typer.echo(f"已生成：{target}")
    seed = presets.seed_warning(conn)  # said beside the paper, never printed on it
    if seed:
        typer.echo(f"注意：{seed}", err=True)
    if wanted.promises:  # before the paper goes out: a date on it may still move
        from xinfang.core.clock import promises

        for date_ in promises.provisional(conn, case_no, wanted.promises):
            typer.echo(f"注意：文书中的{date_.label}期限 {date_.due_on}{date_.note}，交出前请核对")


templates_app = new_app(
    "文书模板：导出本单位可编辑的 Word 模板\n\n文书模板：导出本单位可编辑的 Word 模板。导出、修改后用 xinfang config templates 目录 启用。\n\n"
    "例：xinfang templates export ./我的模板"
)
app.add_typer(templates_app, name="templates")


@templates_app.command("export", cls=Command)
def templates_export(
    folder: Annotated[Path, typer.Argument(help="导出到的目录")],
    force: Annotated[bool, typer.Option("--force", help="覆盖目录中的同名文件")] = False,
) -> None:
    """把随程序提供的文书模板复制到一个目录供修改

    把随程序提供的文书模板复制到一个目录，供用 Word 或 WPS 修改（加单位抬头、措辞）。

    例：xinfang templates export ./我的模板
    """
    from xinfang.outputs import docx

    copied = docx.export_templates(folder, force=force)
    typer.echo(
        f"已导出 {len(copied)} 个文件到 {folder}；改好后执行：xinfang config templates {folder}"
    )


@command("attach")
def attach_command(
    case: Annotated[str, typer.Argument(help="案件编号")],
    file: Annotated[Path, typer.Argument(help="要添加的文件：扫描件、照片、来信等")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help=f"材料类别：{'、'.join(vocabulary.ATTACHMENT_KINDS)}（决定在案卷目录中的位置）",
        ),
    ] = vocabulary.OTHER_MATERIALS,
    title: Annotated[str | None, typer.Option("--title", help="材料名称，默认用文件名")] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """添加材料：复制到台账并记录校验值

    添加材料：复制到台账的文件夹并记录校验值，归档时按类别放入案卷。

    例：xinfang attach 2026-0001 来信扫描.pdf --kind 来源材料 --title 信访人来信
    """
    done = files.attach(open_ledger(db), case, file, kind=kind, title=title, on=on, by=by)
    typer.echo(
        f"已添加：{done.case_no} {done.title}（{done.pages} 页，SHA-256 {done.sha256[:12]}…）"
    )


@command("verify")
def verify_command(
    case: Annotated[str, typer.Argument(help="案件编号")], db: DbOption = None
) -> None:
    """核对案件材料和案卷文件是否被改动或缺失

    核对案件的材料和案卷文件是否与添加、归档时一致（校验值比对）。有改动或缺失时退出码为 1。

    例：xinfang verify 2026-0001
    """
    results = files.verify(open_ledger(db), case)
    if not results:
        typer.echo("该案件没有材料或案卷文件。")
    for item in results:
        typer.echo(f"[{item.state}] {item.path}")
    raise typer.Exit(1 if any(item.state != "完好" for item in results) else 0)
