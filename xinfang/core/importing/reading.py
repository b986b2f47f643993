"""The file as a table: a workbook (.xlsx, .xls, .ods, read by calamine) or a CSV file
(UTF-8 or GBK), its header row found among the first rows under any title, and the
rows below it with their row numbers as the office sees them."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.importing.columns import SKIP, normalize_header

HEADER_SEARCH_ROWS = 15  # the header is looked for in this many rows at the top
# The workbooks calamine reads, as a clerk would name them (with the space a Latin word
# takes after Chinese).
WORKBOOKS = {
    ".xlsx": " Excel 文件（.xlsx）",
    ".xlsm": " Excel 文件（.xlsm）",
    ".xls": "旧版 Excel（.xls）文件",
    ".ods": " OpenDocument 表格（.ods）",
}

Rows = Iterator[tuple[int, Sequence[Any]]]  # (row number, the row's cells)


@dataclass
class Table:
    sheet: str | None
    header_row: int
    header: list[str]  # the header cells as written
    columns: dict[int, str]  # column index -> key
    ignored: list[str]
    rows: Rows


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(path: Path, sheet: str | None, names: dict[str, str]) -> Table:
    """The first table in the file (or in `sheet`) whose header has at least two of
    `names`, the columns named as `names` says."""
    shown = shorten(path, 200)
    if not path.exists():
        raise InvalidInput("导入文件", f"找不到 {shown}")
    if path.is_dir():
        raise InvalidInput("导入文件", f"{shown} 是一个目录")
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        return _read_workbook(path, sheet, names)
    if suffix == ".csv":
        return _read_csv(path, sheet, names)
    raise InvalidInput(
        "导入文件", f"只能导入 .xlsx、.xls、.ods 或 .csv 文件，不能导入“{path.suffix}”"
    )


def _header(cells: Sequence[Any], names: dict[str, str]) -> dict[int, str]:
    found = {}
    for index, cell in enumerate(cells):
        if not blank(cell):
            key = names.get(normalize_header(cell))
            if key is not None:
                found[index] = key
    return found


def _table(sheet: str | None, rows: Rows, names: dict[str, str]) -> Table | None:
    """The table in `rows` if a header is among its first rows (None: no header)."""
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    for position, (number, cells) in enumerate(head):
        matched = _header(cells, names)
        if len(matched) < 2:
            continue
        header = ["" if blank(c) else re.sub(r"\s+", "", str(c)) for c in cells]
        below = head[position + 1][1] if position + 1 < len(head) else ()
        sub = _header(below, names)
        if sub and all(blank(c) or i in sub for i, c in enumerate(below)):
            # a two-level header: 信访人 over 姓名 | 电话 | 住址 (merged cells above)
            header += [""] * (len(below) - len(header))
            for index in sub:
                header[index] = re.sub(r"\s+", "", str(below[index]))
            matched |= sub
            position += 1
            number = head[position][0]
        columns: dict[int, str] = {}
        ignored = []
        for index, text in enumerate(header):
            key = matched.get(index)
            if key is None:
                if text:
                    ignored.append(text)
            elif key != SKIP and key in columns.values():
                ignored.append(f"{text}（与前一列重复）")
            elif key != SKIP:
                columns[index] = key
        rest = itertools.chain(head[position + 1 :], rows)
        return Table(sheet, number, header, columns, ignored, rest)
    if not any(not blank(c) for _, cells in head for c in cells):
        raise _Empty
    return None


class _Empty(Exception):
    """A sheet with nothing in it."""


def _no_header(where: str) -> InvalidInput:
    return InvalidInput(
        "导入文件",
        f"{where}的前 {HEADER_SEARCH_ROWS} 行中找不到表头（至少要有两列可识别的列名，"
        "如 信访人、信访时间、反映问题）；列名不同的可用 --map 列名=字段 指定",
    )


def _read_workbook(path: Path, sheet: str | None, names: dict[str, str]) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    shown = shorten(path.name, 80)
    try:
        book = CalamineWorkbook.from_path(path)
    except PasswordError:
        raise InvalidInput(
            "导入文件", f"{shown} 设有打开密码；请在 Excel 或 WPS 中取消密码后再导入"
        ) from None
    except (CalamineError, OSError):
        raise InvalidInput(
            "导入文件",
            f"{shown} 不是有效的{WORKBOOKS[path.suffix.lower()]}，无法读取；"
            "CSV 文本请用 .csv 扩展名，其他文件请在 Excel 或 WPS 中另存为 .xlsx",
        ) from None
    with book:
        sheets = book.sheet_names
        if sheet is not None and sheet not in sheets:
            raise InvalidInput(
                "--sheet", f"没有名为“{shorten(sheet)}”的工作表；有：{'、'.join(sheets)}"
            )
        empty = 0
        for name in [sheet] if sheet is not None else sheets:
            try:
                grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except CalamineError:
                raise InvalidInput(
                    "导入文件",
                    f"工作表“{shorten(name)}”已损坏，无法读取；请在 Excel 或 WPS 中另存后再导入",
                ) from None
            try:
                table = _table(name, _sheet_rows(grid), names)
            except _Empty:  # an empty sheet, or a chart sheet
                empty += 1
                continue
            if table is not None:
                return table
    if sheet is not None and empty:
        raise InvalidInput("--sheet", f"工作表“{shorten(sheet)}”是空的")
    if empty == len(sheets):
        raise InvalidInput("导入文件", f"{shown} 中没有任何数据")
    where = f"工作表“{sheet}”" if sheet else f"{shown} 的各工作表"
    raise _no_header(where)


def _sheet_rows(grid: list[list[Any]]) -> Rows:
    """The sheet's rows from row 1 and column A (calamine gives an empty cell as ""),
    without the blank cells at the end of a row, and without the blank rows, which a
    workbook does not even store unless formatted."""
    for number, cells in enumerate(grid, 1):
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            yield number, cells


def _read_csv(path: Path, sheet: str | None, names: dict[str, str]) -> Table:
    if sheet is not None:
        raise InvalidInput("--sheet", "CSV 文件没有工作表，请去掉 --sheet")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads every GBK file
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost any byte string
        raise InvalidInput("导入文件", "无法识别文件的编码；请另存为 UTF-8 或 GBK 编码的 CSV")
    if "\x00" in text:
        raise InvalidInput("导入文件", f"{shorten(path.name, 80)} 不是文本（CSV）文件")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:20_000], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = enumerate(csv.reader(io.StringIO(text), dialect), 1)
    try:
        table = _table(None, rows, names)
    except _Empty:
        raise InvalidInput("导入文件", f"{shorten(path.name, 80)} 是空的") from None
    except csv.Error as error:
        raise InvalidInput("导入文件", f"无法读取 CSV：{error}") from None
    if table is None:
        raise _no_header(shorten(path.name, 80))
    return table
