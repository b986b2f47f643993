"""Print-ready worksheets for forms that are stamped and sent upward: A4 landscape, fitted
to the page width, the header row on every page, 宋体, wrapped text in bordered cells,
page numbers in the footer. Text a petitioner wrote always goes in as text, never as a
formula, and characters the xlsx format forbids are dropped.

openpyxl is imported here, and this module only by the commands that write workbooks."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from xinfang.core.errors import InvalidInput
from xinfang.outputs.tables import clean_cell
from xinfang.store.files import write_bytes

BODY_FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 14.25  # points per line of 11 pt 宋体


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one value; strings stay strings even when they start with = + - @."""
    return _fill(sheet.cell(row=row, column=column), value)


def _fill(cell: Any, value: Any) -> Any:
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
    sheet: Worksheet | WriteOnlyWorksheet,
    name: str,
    alignment: Alignment,
    border: Border | None = None,
    font: Font | None = None,
) -> str:
    """A cell style registered once in the workbook. Setting font, border and alignment
    cell by cell makes openpyxl hash each of them for every cell: 10,000 rows took 10 s;
    a named style is one lookup (and shows in Excel's style gallery under its name)."""
    book = sheet.parent
    if name not in book.named_styles:
        style = NamedStyle(
            name=name, font=font or Font(name=BODY_FONT, size=11), alignment=alignment
        )
        if border is not None:
            style.border = border
        book.add_named_style(style)
    return name


def new_book(first_sheet: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    sheet.title = first_sheet[:31]
    return book, sheet


def new_form_book(first_sheet: str) -> tuple[Workbook, WriteOnlyWorksheet]:
    """A workbook whose one sheet is streamed by form_sheet()."""
    book = Workbook(write_only=True)
    return book, book.create_sheet(first_sheet[:31])


def form_sheet(
    sheet: WriteOnlyWorksheet,
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
    """The paper form: title across the table, the 单位/时间 line, then the table.

    Streamed (a write-only sheet): everything about the layout is set first, then the
    rows go out one by one, as fast as openpyxl writes cells at all."""
    count = len(columns)
    split = max(count // 2, 1)
    header_row = 4 if note else 3
    merged = [(1, 1, count), (2, 1, split), (2, split + 1, count)] + (
        [(3, 1, count)] if note else []
    )
    for at, first, last in merged:
        sheet.merged_cells.add(CellRange(min_row=at, max_row=at, min_col=first, max_col=last))
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 36
    sheet.row_dimensions[header_row].height = 30
    print_setup(sheet, header_row)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = {
        "title": named_style(sheet, "表格标题", Alignment(horizontal="center", vertical="center"),
                             font=Font(name=BODY_FONT, size=18, bold=True)),
        "left": named_style(sheet, "表格抬头", Alignment()),
        "right": named_style(sheet, "表格抬头右", Alignment(horizontal="right")),
        "note": named_style(sheet, "表格说明", Alignment(),
                            font=Font(name=BODY_FONT, size=9, color="555555")),
        "header": named_style(sheet, "表格表头", center, BOX,
                              font=Font(name=BODY_FONT, size=11, bold=True)),
        "wrap": named_style(sheet, "表格正文", Alignment(vertical="center", wrap_text=True), BOX),
        "middle": named_style(sheet, "表格居中", center, BOX),
    }  # fmt: skip
    sheet.append([text_cell(sheet, title, styles["title"])])
    line = [text_cell(sheet, left, styles["left"])] + [None] * (split - 1)
    sheet.append([*line, text_cell(sheet, right, styles["right"])])
    if note:
        sheet.append([text_cell(sheet, note, styles["note"])])
    sheet.append([text_cell(sheet, name, styles["header"]) for name in columns])
    for offset, row in enumerate(rows, 1):
        lines = max(lines_needed(str(v), widths[i]) for i, v in enumerate(row))
        # Excel does not size wrapped rows itself when a file is opened: give the height.
        sheet.row_dimensions[header_row + offset].height = max(lines * LINE_HEIGHT + 6, 20)
        sheet.append(
            [
                text_cell(sheet, value, styles["middle" if i in centered else "wrap"])
                for i, value in enumerate(row)
            ]
        )


def text_cell(sheet: WriteOnlyWorksheet, value: Any, style: str) -> WriteOnlyCell:
    """A streamed cell; strings stay strings even when they start with = + - @."""
    cell = _fill(WriteOnlyCell(sheet), value)
    cell.style = style
    return cell


def print_setup(sheet: Worksheet | WriteOnlyWorksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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
    stream = io.BytesIO()
    book.save(stream)
    write_bytes(path, stream.getbuffer())
    return path
