"""The two monthly tables of seed 000 as workbooks: 信访问题受理情况汇总表 and
信访问题办理情况汇总表."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import chinese_date
from xinfang.core.clock.periods import Period
from xinfang.core.reporting import reports
from xinfang.outputs import workbook
from xinfang.store.files import check_target


@dataclass(frozen=True)
class Table:
    """One of the two forms: its title, the words of its header line, its columns."""

    title: str
    sheet: str
    unit_label: str
    date_label: str
    basis: str  # which cases belong to the period, and as of when
    columns: tuple[str, ...]
    widths: tuple[float, ...]
    centered: tuple[int, ...]
    rows: Callable[[sqlite3.Connection, Period, date], list[list[Any]]]


TABLES = {
    "accept": Table(
        title="信访问题受理情况汇总表",
        sheet="受理情况",
        unit_label="单位",
        date_label="时间",
        basis="按登记时间；受理、告知情况截至",
        columns=reports.ACCEPT_COLUMNS,
        widths=(6, 10, 14, 14, 14, 42, 9, 11, 13, 20),
        centered=(0, 4, 6, 7),
        rows=reports.accept_rows,
    ),
    "handle": Table(
        title="信访问题办理情况汇总表",
        sheet="办理情况",
        unit_label="填报单位（盖章）",
        date_label="填报时间",
        basis="按受理时间；办理情况截至",
        columns=reports.HANDLE_COLUMNS,
        widths=(6, 14, 36, 14, 17, 9, 44, 8, 18),
        centered=(0, 3, 5, 7),
        rows=reports.handle_rows,
    ),
}


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int


def default_name(title: str, period: Period) -> Path:
    return Path(f"{title}_{period.label}.xlsx")


def write(
    conn: sqlite3.Connection,
    table: Table,
    period: Period,
    *,
    as_of: date,
    filled_on: date,
    path: Path | None,
    force: bool,
) -> Written:
    target = path or default_name(table.title, period)
    check_target(target, force=force, suffixes=(".xlsx",))  # say so before doing the work
    rows = table.rows(conn, period, as_of)
    book, sheet = workbook.new_form_book(table.sheet)
    workbook.form_sheet(
        sheet,
        title=table.title,
        left=f"{table.unit_label}：{settings.get(conn, 'unit_name')}",
        right=f"{table.date_label}：{chinese_date(filled_on)}",
        note=f"统计期间：{period.label}（{table.basis} {chinese_date(as_of)}）",
        columns=table.columns,
        widths=table.widths,
        rows=rows,
        centered=table.centered,
    )
    return Written(workbook.save(book, target, force=force), len(rows))
