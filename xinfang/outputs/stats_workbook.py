"""信访统计分析 as a workbook for the leaders: 总体情况 (this period, the one before, the
same period last year, 环比 and 同比), 分类统计 (each breakdown against the period before,
with native Excel charts beside the tables) and 承办单位考核 (the ranking). Print-ready
like the monthly tables: 宋体, bordered cells, A4 landscape fitted to the width."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from xinfang.core.clock.dates import chinese_date
from xinfang.core.clock.periods import Period
from xinfang.core.reporting.stats import Analysis, Breakdown, Change
from xinfang.core.vocabulary import COLLECTIVE, SATISFIED
from xinfang.outputs import workbook
from xinfang.outputs.workbook import BODY_FONT, BOX

TITLE = "信访统计分析"
SHEETS = ("总体情况", "分类统计", "承办单位考核")
RATE = "0.0%"
RATIO = "+0.0%;-0.0%;0.0%"
COUNT_DIFF = "+0;-0;0"
POINTS = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
DASH = "—"  # a rate or a change without a base
SATISFIED_COLUMN = 12  # headed with the values 满意 counts (Analysis.satisfied_label)
RANKING_COLUMNS = (
    "名次", "承办单位", "交办件数", "已受理", "按期受理", "按期受理率", "已报送", "按期报送",
    "按期报送率", "超期未报送", "回访数", SATISFIED, "满意率", "报送次数", "报送未退回",
    "退回重办", "办理质量合格率", "退单", "改派", "催办", "综合得分",
)  # fmt: skip
RANKING_WIDTHS = (6, 14, 9, 8, 9, 11, 8, 9, 11, 11, 8, 12, 9, 9, 9, 9, 13, 7, 7, 7, 10)
BREAKDOWN_WIDTHS = (22, 10, 10, 10, 11)
A4_LANDSCAPE_HEIGHT = 595.3  # points (210 mm)
BODY_ROW = 18.0  # points: a row of 11 pt 宋体 with a little air
GAP_ROW = 15.0  # the blank row between two tables
CHART_COLUMN = "G"
CHART_CM = 7.5  # the charts' height
CHART_POINTS = CHART_CM / 2.54 * 72
# The breakdowns drawn as a chart beside their table, and the chart's title.
CHARTED = {
    "信访来源": "信访来源构成",
    "问题类型": "问题类型 本期与上期对比",
}  # charts sit to the right of the five columns of a breakdown


def default_name(period: Period) -> Path:
    return Path(f"{TITLE}_{period.label}.xlsx")


def _span(period: Period) -> str:
    return f"{chinese_date(period.first)}至{chinese_date(period.last)}"


def _heading(sheet: Worksheet, title: str, line: str, width: int) -> None:
    """Title across the table, then one line saying which unit and which days."""
    last = get_column_letter(width)
    sheet.merge_cells(f"A1:{last}1")
    workbook.put(sheet, 1, 1, title).font = Font(name=BODY_FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    workbook.put(sheet, 2, 1, line).font = Font(name=BODY_FONT, size=10)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 30


def _row(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    *,
    bold: bool = False,
    formats: dict[int, str] | None = None,
    label: int = 1,
) -> None:
    """One bordered table row; the `label` column reads left, the figures centred."""
    for column, value in enumerate(values, 1):
        cell = workbook.put(sheet, row, column, DASH if value is None else value)
        cell.font = Font(name=BODY_FONT, size=11, bold=bold)
        cell.border = BOX
        cell.alignment = Alignment(
            horizontal="left" if column == label and not bold else "center",
            vertical="center",
            wrap_text=True,
        )
        if formats and column in formats and isinstance(value, int | float):
            cell.number_format = formats[column]


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _change_cells(value: Change, rate: bool) -> tuple[Any, Any]:
    if value.diff is None:
        return None, None
    if rate:
        return value.diff * 100, None  # in percentage points
    return value.diff, value.ratio


def _overview(sheet: Worksheet, analysis: Analysis, unit_name: str) -> None:
    period = analysis.period
    previous, last_year = period.previous(), period.year_before()
    _heading(
        sheet,
        f"{TITLE}（{period.label}）总体情况",
        f"单位：{unit_name}    统计期间：{_span(period)}    数据截至：{chinese_date(analysis.as_of)}"
        f"    上期：{previous.label}    去年同期：{last_year.label}",
        8,
    )
    header = (
        "指标", f"本期（{period.label}）", f"上期（{previous.label}）", "环比增减", "环比增幅",
        f"去年同期（{last_year.label}）", "同比增减", "同比增幅",
    )  # fmt: skip
    _row(sheet, 3, header, bold=True)
    sheet.row_dimensions[3].height = 30
    for number, line in enumerate(analysis.overview(), 4):
        rate = line.measure.rate
        value_format = RATE if rate else "0"
        diff_format = POINTS if rate else COUNT_DIFF
        _row(
            sheet,
            number,
            (
                line.measure.label,
                line.current,
                line.previous,
                *_change_cells(line.month_on_month, rate),
                line.year_before,
                *_change_cells(line.year_on_year, rate),
            ),
            formats={2: value_format, 3: value_format, 4: diff_format, 5: RATIO}
            | {6: value_format, 7: diff_format, 8: RATIO},
        )
    note_row = 4 + len(analysis.overview()) + 1
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=8)
    note = workbook.put(
        sheet,
        note_row,
        1,
        "口径：登记数按登记（信访）时间；受理、不予受理、转送、待定为本期登记件截至统计日的受理决定，"
        "受理率＝受理数÷登记数；答复数为期内完成的答复（按期答复＝在答复期限内），"
        f"按期办结率＝按期答复÷答复数；{_satisfaction_rule(analysis)}；"
        "办理质量合格率＝报送未退回÷报送次数（报送次数为期内承办单位报送办理情况的次数，"
        "截至统计日被退回重办的不计入报送未退回）；办结数按办结日期；"
        "重复信访＝本期登记件中同一信访人（身份证号、电话或姓名加地址相同，匿名件除外）此前已有登记的；"
        f"集体访＝人数{COLLECTIVE}人以上，人次为其人数之和；超期未办＝截至统计日已过期限仍未完成的本单位及承办单位期限（项）。"
        "环比、同比增幅以上期、去年同期为基数，基数为0或比率无法计算的记“—”。",
    )
    note.font = Font(name=BODY_FONT, size=9, color="555555")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[note_row].height = 96
    _widths(sheet, (14, 20, 20, 14, 11, 24, 14, 11))
    workbook.print_setup(sheet, 3)


def _satisfaction_rule(analysis: Analysis) -> str:
    counted = "".join(f"“{value}”" for value in analysis.satisfied_values)
    return f"满意率＝回访中{counted}的÷回访数（各满意度的回访数见分类统计）"


def _block_heights(block: Breakdown) -> list[float]:
    """Each row's height, header to 合计: set on the rows, so pages can be counted."""
    labels = [block.title, *(name for name, _, _ in block.rows), "合计"]
    width = BREAKDOWN_WIDTHS[0]
    return [
        max(workbook.lines_needed(str(label), width) * workbook.LINE_HEIGHT + 4, BODY_ROW)
        for label in labels
    ]


def _breakdown_block(sheet: Worksheet, top: int, block: Breakdown) -> int:
    """One breakdown from row `top`; returns the last row it used."""
    for offset, height in enumerate(_block_heights(block)):
        sheet.row_dimensions[top + offset].height = height
    _row(sheet, top, (block.title, "本期", "上期", "增减", "本期占比"), bold=True)
    now_total, before_total = block.totals
    for number, (name, now, before) in enumerate(block.rows, top + 1):
        share = now / now_total if now_total else None
        _row(
            sheet,
            number,
            (name, now, before, now - before, share),
            formats={4: COUNT_DIFF, 5: RATE},
        )
    total = top + len(block.rows) + 1
    _row(
        sheet,
        total,
        ("合计", now_total, before_total, now_total - before_total, 1 if now_total else None),
        bold=True,
        formats={4: COUNT_DIFF, 5: RATE},
    )
    return total


def _pie(sheet: Worksheet, top: int, last: int, title: str) -> PieChart:
    chart = PieChart()
    chart.title = title
    chart.add_data(Reference(sheet, min_col=2, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
    # Percentages only: LibreOffice shows every part of a label not switched off.
    chart.dataLabels = DataLabelList(
        showPercent=True, showVal=False, showCatName=False, showSerName=False, showLegendKey=False
    )
    chart.height, chart.width = CHART_CM, 14
    return chart


def _bars(sheet: Worksheet, top: int, last: int, title: str, highest: int) -> BarChart:
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = title
    chart.y_axis.title = "件数"
    # Both series: 本期 (column B) and 上期 (column C), names from the header row.
    chart.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=top, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
    chart.x_axis.delete = False  # openpyxl 3.1 hides the axes unless told otherwise
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.majorUnit = max(1, math.ceil(highest / 5))  # whole cases, not 0.5
    chart.height, chart.width = CHART_CM, 18
    return chart


def _breakdowns(sheet: Worksheet, analysis: Analysis, unit_name: str) -> None:
    period = analysis.period
    _heading(
        sheet,
        f"{TITLE}（{period.label}）分类统计",
        f"单位：{unit_name}    本期：{_span(period)}    上期：{_span(period.previous())}"
        f"    数据截至：{chinese_date(analysis.as_of)}",
        5,
    )
    workbook.print_setup(sheet, 2)
    sheet.row_dimensions[3].height = GAP_ROW
    room = _page_room(sheet)
    repeated = sheet.row_dimensions[2].height  # the print title row, on every page
    used = sheet.row_dimensions[1].height + repeated + GAP_ROW
    top = 4
    for block in analysis.breakdowns():
        charted = bool(block.rows) and block.title in CHARTED
        table = sum(_block_heights(block))
        # A table, its chart beside it and the gap after: the next table starts below
        # the chart, so a page break never cuts a chart.
        footprint = max(table + GAP_ROW, CHART_POINTS if charted else 0)
        # Each table has its own header: one that would not fit on the rest of the
        # page starts the next one, header and all.
        if top > 4 and used + footprint > room:
            sheet.row_breaks.append(Break(id=top - 1))
            used = repeated
        used += footprint
        if used > room:  # taller than a page: it runs on (its header only on the first)
            used = repeated + (used - repeated) % (room - repeated)
        last = _breakdown_block(sheet, top, block)
        sheet.row_dimensions[last + 1].height = footprint - table
        if charted:
            data_last = last - 1  # without the 合计 row
            title = f"{CHARTED[block.title]}（{period.label}）"
            if block.title == "信访来源":
                chart: PieChart | BarChart = _pie(sheet, top, data_last, title)
            else:
                highest = max(max(row[1], row[2]) for row in block.rows)
                chart = _bars(sheet, top, data_last, title, highest)
            sheet.add_chart(chart, f"{CHART_COLUMN}{top}")
        top = last + 2
    _widths(sheet, BREAKDOWN_WIDTHS)


def _page_room(sheet: Worksheet) -> float:
    """Points of rows an A4 landscape page holds between its margins. Fitting the width
    only ever shrinks the print, so a page holds at least this."""
    margins = sheet.page_margins
    return A4_LANDSCAPE_HEIGHT - (margins.top + margins.bottom) * 72


def _ranking(sheet: Worksheet, analysis: Analysis, unit_name: str) -> None:
    period = analysis.period
    _heading(
        sheet,
        f"{TITLE}（{period.label}）承办单位考核",
        f"单位：{unit_name}    统计期间：{_span(period)}    数据截至：{chinese_date(analysis.as_of)}"
        "    综合得分＝40×按期受理率＋40×按期报送率＋20×满意率（无可计算的按满分计，三项均无可计算的不评分、列于最后）；"
        "得分相同的并列。办理质量合格率＝报送未退回÷报送次数，不计入综合得分。",
        len(RANKING_COLUMNS),
    )
    header = list(RANKING_COLUMNS)
    header[SATISFIED_COLUMN - 1] = analysis.satisfied_label
    _row(sheet, 3, header, bold=True)
    sheet.row_dimensions[3].height = 30
    for number, unit in enumerate(analysis.ranking, 4):
        _row(
            sheet,
            number,
            (
                unit.rank,
                unit.unit,
                unit.assigned,
                unit.accepts,
                unit.accepts_on_time,
                unit.accept_rate,
                unit.reports,
                unit.reports_on_time,
                unit.report_rate,
                unit.overdue_reports,
                unit.revisited,
                unit.satisfied,
                unit.satisfaction_rate,
                unit.submissions,
                unit.passed,
                unit.sent_back,
                unit.quality_rate,
                unit.returned,
                unit.reassigned_away,
                unit.urged,
                unit.score,
            ),
            formats={6: RATE, 9: RATE, 13: RATE, 17: RATE, 21: "0.0"},
            label=2,
        )
    if not analysis.ranking:
        sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(RANKING_COLUMNS))
        workbook.put(sheet, 4, 1, "本期没有交办件。").font = Font(name=BODY_FONT)
    _widths(sheet, RANKING_WIDTHS)
    workbook.print_setup(sheet, 3)


def write(analysis: Analysis, *, unit_name: str, path: Path | None, force: bool) -> Path:
    book, sheet = workbook.new_book(SHEETS[0])
    book.properties.title = f"{TITLE}（{analysis.period.label}）"
    book.properties.creator = unit_name
    _overview(sheet, analysis, unit_name)
    _breakdowns(book.create_sheet(SHEETS[1]), analysis, unit_name)
    _ranking(book.create_sheet(SHEETS[2]), analysis, unit_name)
    return workbook.save(book, path or default_name(analysis.period), force=force)
