"""`xinfang report`: the monthly tables sent upward and the analysis for the leaders."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import Command, DbOption, new_app, open_ledger
from xinfang.cli.root import app
from xinfang.core.clock import periods
from xinfang.core.clock.dates import today

report_app = new_app(
    "月度报表（受理、办理情况汇总表）和统计分析\n\n月度报表：信访问题受理情况汇总表、办理情况汇总表（Excel，可直接打印盖章上报）和统计分析。\n\n"
    "例：xinfang report accept --month 2026-11；xinfang report handle --quarter 2026Q4；"
    "xinfang report handle --half 2026H2；"
    "xinfang report stats --month 2026-11"
)
app.add_typer(report_app, name="report")

Month = Annotated[str | None, typer.Option("--month", help="月份，如 2026-11、本月、上月")]
Quarter = Annotated[str | None, typer.Option("--quarter", help="季度，如 2026Q4、本季度、上季度")]
Half = Annotated[str | None, typer.Option("--half", help="半年，如 2026H2（下半年）")]
Year = Annotated[str | None, typer.Option("--year", help="年份，如 2026、今年、去年")]
From = Annotated[str | None, typer.Option("--from", help="起始日期（含），与 --to 同用")]
To = Annotated[str | None, typer.Option("--to", help="截止日期（含）")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="按哪一天的办理状态填写，默认统计期间的最后一天")
]
Output = Annotated[
    str | None, typer.Option("--output", "-o", help="输出文件（.xlsx），默认按表名和期间命名")
]
Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")]


def period_and_day(
    month: str | None,
    quarter: str | None,
    half: str | None,
    year: str | None,
    date_from: str | None,
    date_to: str | None,
    as_of: str | None,
    monthly: bool = False,
) -> tuple[periods.Period, date]:
    period = periods.choose(
        month=month, quarter=quarter, half=half, year=year, date_from=date_from, date_to=date_to,
        monthly=monthly,
    )  # fmt: skip
    return period, periods.as_of_day(period, as_of)


def xlsx_target(output: str | None) -> Path | None:
    if output is None:
        return None
    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(path.suffix + ".xlsx") if path.suffix else path.with_suffix(".xlsx")
    return path


def _table_command(name: str, help_text: str) -> None:
    """`report accept` and `report handle`: the same options, a different form."""

    def command(
        month: Month = None,
        quarter: Quarter = None,
        half: Half = None,
        year: Year = None,
        date_from: From = None,
        date_to: To = None,
        as_of: AsOf = None,
        output: Output = None,
        force: Force = False,
        db: DbOption = None,
    ) -> None:
        from xinfang.outputs import summary

        period, day = period_and_day(
            month, quarter, half, year, date_from, date_to, as_of, monthly=True
        )
        written = summary.write(
            open_ledger(db),
            summary.TABLES[name],
            period,
            as_of=day,
            filled_on=today(),
            path=xlsx_target(output),
            force=force,
        )
        typer.echo(f"已生成：{written.path}（{period.label}，{written.rows} 件）")

    command.__doc__ = help_text
    report_app.command(name, cls=Command)(command)


_table_command(
    "accept",
    """受理情况汇总表：统计期间内登记的全部信访事项

    信访问题受理情况汇总表：统计期间内【登记】的全部信访事项，一件一行。

    是否受理、是否告知按期间最后一天（或 --as-of）的情况填写。不给期间的：每月 10 日前为上月，10 日起为本月。

    例：xinfang report accept --month 2026-11；xinfang report accept --from 2026-11-01 --to 2026-11-15 -o 上半月.xlsx
    """,
)
_table_command(
    "handle",
    """办理情况汇总表：统计期间内受理的全部信访事项

    信访问题办理情况汇总表：统计期间内【受理】的全部信访事项，一件一行。

    办理情况、是否属实、是否办结按期间最后一天（或 --as-of）的状态填写。不给期间的：每月 10 日前为上月，10 日起为本月。

    例：xinfang report handle --month 2026-11；xinfang report handle --quarter 2026Q4 --as-of 2027-01-10
    """,
)
