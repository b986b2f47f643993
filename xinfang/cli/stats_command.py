"""`xinfang report stats`: the analysis for the leaders, in the terminal or as a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from xinfang.cli.base import Command, DbOption, open_ledger
from xinfang.cli.report_commands import (
    Force,
    From,
    Half,
    Month,
    Quarter,
    To,
    Year,
    period_and_day,
    report_app,
    xlsx_target,
)
from xinfang.core import settings
from xinfang.core.clock.dates import chinese_date
from xinfang.core.reporting import stats

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="按哪一天的台账统计，默认统计期间的最后一天（期间尚未结束的，为今天）",
    ),
]
Output = Annotated[
    str | None,
    typer.Option("--output", "-o", help="另存为 Excel 文件（.xlsx），写指定的文件名"),
]
Xlsx = Annotated[
    bool,
    typer.Option("--xlsx", help="生成 Excel 文件，文件名为 信访统计分析_期间.xlsx（当前目录）"),
]
RANKING_HEADER = (
    "名次", "承办单位", "交办件数", "按期受理率", "按期报送率", "超期未报送", "满意率", "综合得分",
)  # fmt: skip
QUALITY_HEADER = ("承办单位", "报送次数", "退回重办", "办理质量合格率", "退单", "改派", "催办")


@report_app.command("stats", cls=Command)
def report_stats(
    month: Month = None,
    quarter: Quarter = None,
    half: Half = None,
    year: Year = None,
    date_from: From = None,
    date_to: To = None,
    as_of: AsOf = None,
    output: Output = None,
    xlsx: Xlsx = False,
    force: Force = False,
    db: DbOption = None,
) -> None:
    """信访统计分析：总体情况、分类统计、承办单位考核

    信访统计分析：总体情况（本期、上期、环比、去年同期、同比）、分类统计和承办单位考核排名。

    不加 -o 或 --xlsx 时在终端显示；--xlsx 生成 信访统计分析_2026年11月.xlsx 这样命名的文件，
    -o 文件名 另存为指定文件（含三张表和统计图）。已有同名文件的，须加 --force 才覆盖。

    口径：登记数按登记时间；受理数、不予受理、转送、待定为本期登记件截至统计日的决定，
    受理率＝受理数÷登记数；答复数为期内完成的答复，按期办结率＝按期答复÷答复数；
    满意率＝回访中“非常满意”“满意”的÷回访数（设置 基本满意计入满意率 为“是”的，
    “基本满意”也计入；“一般”不计入），满意度各项另列；办理质量合格率＝期内报送的
    办理情况中截至统计日未被退回重办的（报送未退回）÷报送次数；办结数按办结日期；重复信访＝关联为此前案件
    重复信访的（同一信访人自动关联，内容相似的经确认关联；以 link/unlink 更正后为准）；集体访＝人数 5 人以上；
    超期未办＝截至统计日已过期限仍未完成的期限（项）。承办单位综合得分＝
    40×按期受理率＋40×按期报送率＋20×满意率（无可计算的按满分计，三项均无可计算的不评分、列于最后）；承办单位的办理质量合格率
    同上按单位计；退回重办、退单、改派（改出）、催办按次计。

    例：xinfang report stats --month 2026-11；xinfang report stats --quarter 2026Q4 --xlsx；xinfang report stats --half 2026H2；xinfang report stats --year 2026 -o 2026年信访分析.xlsx --force
    """
    period, day = period_and_day(month, quarter, half, year, date_from, date_to, as_of)
    target = xlsx_target(output)
    if xlsx or target is not None:
        from xinfang.outputs import stats_workbook
        from xinfang.store.files import check_target

        target = target or stats_workbook.default_name(period)
        check_target(target, force=force, suffixes=(".xlsx",))  # before the work, not after
    conn = open_ledger(db)
    analysis = stats.compute(conn, period, day)
    if target is None:
        _print(analysis)
        return
    written = stats_workbook.write(
        analysis, unit_name=settings.get(conn, "unit_name"), path=target, force=force
    )
    typer.echo(
        f"已生成：{written}（{period.label}，登记 {analysis.current.registered} 件，"
        f"数据截至 {chinese_date(day)}）"
    )


def _print(analysis: stats.Analysis) -> None:
    from rich.table import Table

    from xinfang.cli.render import console

    out = console()
    period = analysis.period
    previous, last_year = period.previous(), period.year_before()
    # Headings as lines of their own: a table's title wraps at the table's narrow width.
    out.print(
        f"信访统计分析（{period.label}）总体情况　数据截至 {chinese_date(analysis.as_of)}\n"
        f"本期：{period.label}；上期：{previous.label}；去年同期：{last_year.label}",
        soft_wrap=True,
    )
    overview = Table()
    # Period names stay out of the headings: a range's would squeeze the figures.
    headings = ("指标", "本期", "上期", "环比", "去年同期", "同比")
    for heading in headings:
        overview.add_column(heading, no_wrap=True, justify="left" if heading == "指标" else "right")
    for row in analysis.overview():
        rate = row.measure.rate
        overview.add_row(
            row.measure.label,
            stats.describe(row.current, rate=rate),
            stats.describe(row.previous, rate=rate),
            stats.describe_change(row.month_on_month, rate=rate),
            stats.describe(row.year_before, rate=rate),
            stats.describe_change(row.year_on_year, rate=rate),
        )
    out.print(overview)
    for block in analysis.breakdowns():
        table = Table(title=f"{block.title}：本期与上期", title_justify="left")
        for heading in (block.title, "本期", "上期", "增减"):
            table.add_column(
                heading, no_wrap=True, justify="left" if heading == block.title else "right"
            )
        for name, now, before in block.rows:
            table.add_row(name, str(now), str(before), f"{now - before:+d}")
        now_total, before_total = block.totals
        table.add_row("合计", str(now_total), str(before_total), f"{now_total - before_total:+d}")
        out.print(table)
    _print_ranking(analysis)


def _print_ranking(analysis: stats.Analysis) -> None:

    from xinfang.cli.render import console

    if not analysis.ranking:
        typer.echo("承办单位考核：本期没有交办件。")
        return
    table = _unit_table(
        "承办单位考核（综合得分＝40×按期受理率＋40×按期报送率＋20×满意率）", RANKING_HEADER
    )
    for unit in analysis.ranking:
        table.add_row(
            "—" if unit.rank is None else str(unit.rank),
            unit.unit,
            str(unit.assigned),
            _rate_with_counts(
                unit.accept_rate, unit.accepts_on_time, unit.accepts + unit.overdue_accepts
            ),
            _rate_with_counts(
                unit.report_rate, unit.reports_on_time, unit.reports + unit.overdue_reports
            ),
            str(unit.overdue_reports),
            _rate_with_counts(unit.satisfaction_rate, unit.satisfied, unit.revisited),
            "—" if unit.score is None else f"{unit.score:.1f}",
        )
    console().print(table)
    _print_quality(analysis)


def _unit_table(title: str, headings: Sequence[str]) -> Any:
    """A table of the handling units: their names left, the figures right."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for heading in headings:
        table.add_column(
            heading, no_wrap=True, justify="left" if heading == "承办单位" else "right"
        )
    return table


def _print_quality(analysis: stats.Analysis) -> None:
    """The units' 办理质量 and routing counts, in the ranking's order."""

    from xinfang.cli.render import console

    table = _unit_table("承办单位办理质量（办理质量合格率＝报送未退回÷报送次数）", QUALITY_HEADER)
    for unit in analysis.ranking:
        table.add_row(
            unit.unit,
            str(unit.submissions),
            str(unit.sent_back),
            _rate_with_counts(unit.quality_rate, unit.passed, unit.submissions),
            str(unit.returned),
            str(unit.reassigned_away),
            str(unit.urged),
        )
    console().print(table)


def _rate_with_counts(rate: float | None, part: int, whole: int) -> str:
    return f"{stats.describe(rate, rate=True)}（{part}/{whole}）" if whole else "—"
