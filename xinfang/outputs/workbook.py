"""Print-ready worksheets for forms that are stamped and sent upward: A4 landscape, fitted
to the page width, the header row on every page, 宋体, wrapped text in bordered cells,
page numbers in the footer. Text a petitioner wrote always goes in as text, never as a
formula, and characters the xlsx format forbids are dropped.

openpyxl is imported here, and this module only by the commands that write workbooks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from xinfang.core.errors import InvalidInput
from xinfang.outputs.tables import clean_cell

BODY_FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 14.25  # points per line of 11 pt 宋体


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one value; strings stay strings even when they start with = + - @."""
    cell = sheet.cell(row=row, column=column)
    cell.value = clean_cell(value)
    if isinstance(value, str):
        cell.data_type = "s"  # after the value: openpyxl would have made "=…" a formula
    return cell


def display_width(text: str) -> int:
    """Columns a text takes: CJK and full-width characters count two. GBK gives exactly
    that for every character it has (two bytes for 汉字 and full-width forms, one for
    ASCII), at C speed: per-character lookups cost a second for a 10,000-row table."""
    return len(text.encode("gbk", "replace"))


def lines_needed(text: str, width: float) -> int:
    room = max(width - 1.5, 1)
    if len(text) * 2 <= room and "\n" not in text:  # fits even if every character is wide
        return 1
    return sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n"))


def named_style(
    sheet: Worksheet, name: str, alignment: Alignment, border: Border | None = None
) -> str:
    """A cell style registered once in the workbook. Setting font, border and alignment
    cell by cell makes openpyxl hash each of them for every cell: 10,000 rows took 10 s;
    a named style is one lookup (and shows in Excel's style gallery under its name)."""
    book = sheet.parent
    if name not in book.named_styles:
        style = NamedStyle(name=name, font=Font(name=BODY_FONT, size=11), alignment=alignment)
        if border is not None:
            style.border = border
        book.add_named_style(style)
    return name


def new_book(first_sheet: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    sheet.title = first_sheet[:31]
    return book, sheet


def form_sheet(
    sheet: Worksheet,
    *,
    title: str,
    left: str,
    right: str,
    note: str | None,
    columns: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[Any]],
    centered: Sequence[int] = (0,),
) -> None:
    """The paper form: title across the table, the 单位/时间 line, then the table."""
    count = len(columns)
    last = get_column_letter(count)
    sheet.merge_cells(f"A1:{last}1")
    put(sheet, 1, 1, title).font = Font(name=BODY_FONT, size=18, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 36
    split = max(count // 2, 1)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    sheet.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=count)
    put(sheet, 2, 1, left).font = Font(name=BODY_FONT, size=11)
    put(sheet, 2, split + 1, right).font = Font(name=BODY_FONT, size=11)
    sheet.cell(row=2, column=split + 1).alignment = Alignment(horizontal="right")
    header_row = 3
    if note:
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=count)
        put(sheet, 3, 1, note).font = Font(name=BODY_FONT, size=9, color="555555")
        header_row = 4
    for column, (name, width) in enumerate(zip(columns, widths, strict=True), 1):
        cell = put(sheet, header_row, column, name)
        cell.font = Font(name=BODY_FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[header_row].height = 30
    wrap = named_style(sheet, "表格正文", Alignment(vertical="center", wrap_text=True), BOX)
    middle = named_style(
        sheet, "表格居中", Alignment(horizontal="center", vertical="center", wrap_text=True), BOX
    )
    for offset, row in enumerate(rows, 1):
        number = header_row + offset
        lines = 1
        for column, value in enumerate(row, 1):
            cell = put(sheet, number, column, value)
            cell.style = middle if column - 1 in centered else wrap
            lines = max(lines, lines_needed(str(value), widths[column - 1]))
        # Excel does not size wrapped rows itself when a file is opened: give the height.
        sheet.row_dimensions[number].height = max(lines * LINE_HEIGHT + 6, 20)
    print_setup(sheet, header_row)


def print_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, footer=0.3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    sheet.oddFooter.center.font = f"{BODY_FONT},常规"
    sheet.oddFooter.center.size = 10
    sheet.freeze_panes = f"A{header_row + 1}"


def list_sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain list (no form around it), still safe and printable."""
    for column, name in enumerate(header, 1):
        cell = put(sheet, 1, column, name)
        cell.font = Font(name=BODY_FONT, bold=True)
        width = max([display_width(str(name)), *(display_width(str(r[column - 1])) for r in rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 50)
    body = named_style(sheet, "清单正文", Alignment(wrap_text=True, vertical="top"))
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            put(sheet, number, column, value).style = body
    print_setup(sheet, 1)


def save(book: Workbook | None, path: Path, *, force: bool) -> Path:
    """Save, never over an existing file without `force` (book None: only that check)."""
    if path.exists() and not force:
        raise InvalidInput("输出文件", f"{path} 已存在；如要覆盖请加 --force")
    if book is None:
        return path
    try:
        book.save(path)
    except OSError as error:
        raise InvalidInput("输出文件", f"无法写入 {path}：{error.strerror}") from None
    return path
