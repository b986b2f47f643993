"""The two monthly tables of seed 000 as workbooks: 信访问题受理情况汇总表 and
信访问题办理情况汇总表."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xinfang.core import reports, settings
from xinfang.core.dates import chinese_date
from xinfang.core.periods import Period
from xinfang.outputs import workbook

ACCEPT_TITLE = "信访问题受理情况汇总表"
HANDLE_TITLE = "信访问题办理情况汇总表"
ACCEPT_WIDTHS = (6, 10, 14, 14, 14, 42, 9, 11, 13, 20)
HANDLE_WIDTHS = (6, 14, 36, 14, 17, 9, 44, 8, 18)


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int


def default_name(title: str, period: Period) -> Path:
    return Path(f"{title}_{period.label}.xlsx")


def write_accept(
    conn: sqlite3.Connection,
    period: Period,
    *,
    as_of: date,
    filled_on: date,
    path: Path | None,
    force: bool,
) -> Written:
    rows = reports.accept_rows(conn, period, as_of)
    book, sheet = workbook.new_book("受理情况")
    workbook.form_sheet(
        sheet,
        title=ACCEPT_TITLE,
        left=f"单位：{settings.get(conn, 'unit_name')}",
        right=f"时间：{chinese_date(filled_on)}",
        note=f"统计期间：{period.label}（按登记时间）；受理、告知情况截至 {chinese_date(as_of)}",
        columns=reports.ACCEPT_COLUMNS,
        widths=ACCEPT_WIDTHS,
        rows=rows,
        centered=(0, 4, 6, 7),
    )
    target = path or default_name(ACCEPT_TITLE, period)
    return Written(workbook.save(book, target, force=force), len(rows))


def write_handle(
    conn: sqlite3.Connection,
    period: Period,
    *,
    as_of: date,
    filled_on: date,
    path: Path | None,
    force: bool,
) -> Written:
    rows = reports.handle_rows(conn, period, as_of)
    book, sheet = workbook.new_book("办理情况")
    workbook.form_sheet(
        sheet,
        title=HANDLE_TITLE,
        left=f"填报单位（盖章）：{settings.get(conn, 'unit_name')}",
        right=f"填报时间：{chinese_date(filled_on)}",
        note=f"统计期间：{period.label}（按受理时间）；办理情况截至 {chinese_date(as_of)}",
        columns=reports.HANDLE_COLUMNS,
        widths=HANDLE_WIDTHS,
        rows=rows,
        centered=(0, 3, 5, 7),
    )
    target = path or default_name(HANDLE_TITLE, period)
    return Written(workbook.save(book, target, force=force), len(rows))
