"""`bundle` and `merge`: towns send their cases of a period to the county, which merges
them into one ledger and runs the monthly tables over the whole county."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import DbOption, open_ledger
from xinfang.cli.progress import bar
from xinfang.cli.report_commands import From, Half, Month, Quarter, To, Year
from xinfang.cli.root import command
from xinfang.core import settings
from xinfang.core.clock import periods
from xinfang.core.exchange import bundle
from xinfang.store.files import check_target


@command("bundle")
def bundle_command(
    month: Month = None,
    quarter: Quarter = None,
    half: Half = None,
    year: Year = None,
    date_from: From = None,
    date_to: To = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="汇总包文件（.zip），默认按单位和期间命名")
    ] = None,
    with_attachments: Annotated[
        bool, typer.Option("--with-attachments", help="连同材料（扫描件、照片等）一起打包")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    db: DbOption = None,
) -> None:
    """生成上报汇总包，交县级用 xinfang merge 汇总

    生成上报汇总包：本期登记的和本期有办理记录的全部案件及其办理过程（不含材料，除非 --with-attachments），
    交县级用 xinfang merge 汇总。

    例：xinfang bundle --month 2026-11；xinfang bundle --month 2026-11 -o 沙河镇_2026年11月.zip --with-attachments
    """
    period = periods.choose(
        month=month, quarter=quarter, half=half, year=year, date_from=date_from, date_to=date_to
    )
    conn = open_ledger(db)
    target = (
        Path(output)
        if output
        else Path(f"{settings.get(conn, 'unit_name')}_信访汇总包_{period.label}.zip")
    )
    check_target(target, force=force, suffixes=(".zip",))
    with bar() as progress:
        done = bundle.write(
            conn, period, target, with_attachments=with_attachments, progress=progress
        )
    typer.echo(
        f"已生成：{done.path}（{period.label}，{done.cases} 件，{done.events} 条办理记录"
        + (f"，{done.attachments} 个材料文件" if with_attachments else "")
        + "）"
    )


@command("merge")
def merge_command(
    files: Annotated[list[Path], typer.Argument(help="各单位的汇总包（.zip），可一次给多个")],
    db: DbOption = None,
) -> None:
    """汇入下级单位的汇总包，汇总全县的报表和统计

    汇入下级单位的汇总包：每件保留来源单位和原编号；同一期间再次汇入只更新、不重复，
    先汇入较新的、后汇入较旧的也不会倒退。单位按其单位标识识别（改名、同名都不会混淆）。
    汇入前逐包全面检查，任何一包有问题则整批不汇入。
    汇入后 report accept/handle/stats 即覆盖全县（统计分析按来源单位分列）。

    例：xinfang merge 沙河镇_信访汇总包_2026年11月.zip 新华镇_信访汇总包_2026年11月.zip
    """
    with bar() as progress:
        results = bundle.merge(open_ledger(db), files, progress)
    for result in results:
        added = f"；新增承办单位 {'、'.join(result.units_added)}" if result.units_added else ""
        if result.values_added:
            added += f"；列表新增 {'、'.join(result.values_added)}"
        notes = f"（{'；'.join(result.notes)}）" if result.notes else ""
        attached = f"，{result.files} 个材料文件" if result.files else ""
        typer.echo(
            f"{result.office}{notes}：新增 {result.new} 件，更新 {result.updated} 件，"
            f"无变化 {result.unchanged} 件，新增办理记录 {result.events} 条{attached}{added}"
        )
