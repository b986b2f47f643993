"""The file as a table: a workbook (.xlsx, .xls, .ods, read by calamine) or a CSV file
(UTF-8 or GBK), its header row found among the first rows under any title, and the
rows below it with their row numbers as the office sees them, read one at a time. What
reading a workbook would cost is measured first (`bounds`); a CSV record is bounded as
it is read."""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO, TypeVar

from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.exchange.importing import biff, bounds, packed
from xinfang.core.exchange.importing.cells import plain
from xinfang.core.exchange.importing.columns import Heading, normalize_header, read_heading

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
T = TypeVar("T")


@dataclass
class Table:
    sheet: str | None
    header_row: int
    header: list[str]  # the header cells as written
    heading: Heading  # the columns as fields
    rows: Rows
    # The rows below the header read anew from the file (a column looked at whole).
    again: Callable[[], Rows] | None = None
    paired: set[int] = field(default_factory=set)  # time columns read into a date's

    @property
    def columns(self) -> dict[int, str]:  # column index -> key
        return self.heading.columns

    @property
    def ignored(self) -> list[str]:
        return self.heading.ignored

    @property
    def doubled(self) -> dict[int, str]:  # column index -> the key another column gives
        return self.heading.doubled


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(
    path: Path, sheet: str | None, names: dict[str, str], mapped: Collection[str] = ()
) -> Table:
    """The first table in the file (or in `sheet`) whose header has at least two of
    `names`, the columns named as `names` says (those in `mapped`, named by --map, whatever
    else the header holds)."""
    shown = shorten(path, 200)
    if not path.exists():
        raise InvalidInput("导入文件", f"找不到 {shown}")
    if path.is_dir():
        raise InvalidInput("导入文件", f"{shown} 是一个目录")
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        return _read_workbook(path, sheet, names, mapped)
    if suffix == ".csv":
        return _read_csv(path, sheet, names, mapped)
    raise InvalidInput(
        "导入文件",
        f"只能导入 .xlsx、.xls、.ods、.csv 或 export 导出的 .json 文件，不能导入“{path.suffix}”",
    )


def _header(cells: Sequence[Any], names: dict[str, str]) -> dict[int, str]:
    found = {}
    for index, cell in enumerate(cells):
        if not blank(cell):
            key = names.get(normalize_header(cell))
            if key is not None:
                found[index] = key
    return found


def _table(
    sheet: str | None, fresh: Callable[[], Rows], names: dict[str, str], mapped: Collection[str]
) -> Table | None:
    """The table in `fresh()` if a header is among its first rows (None: no header)."""
    rows = fresh()
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    for position, (number, cells) in enumerate(head):
        matched = _header(cells, names)
        if len(matched) < 2:
            continue
        header = ["" if blank(c) else re.sub(r"\s+", "", plain(c)) for c in cells]
        below = head[position + 1][1] if position + 1 < len(head) else ()
        sub = _header(below, names)
        if sub and all(blank(c) or i in sub for i, c in enumerate(below)):
            # a two-level header: 信访人 over 姓名 | 电话 | 住址 (merged cells above)
            header += [""] * (len(below) - len(header))
            for index in sub:
                header[index] = re.sub(r"\s+", "", plain(below[index]))
            matched |= sub
            position += 1
            number = head[position][0]
        heading = read_heading(header, matched, mapped)
        rest = itertools.chain(head[position + 1 :], rows)
        return Table(sheet, number, header, heading, rest, partial(_below, fresh, number))
    if not any(not blank(c) for _, cells in head for c in cells):
        raise _Empty
    return None


def _below(fresh: Callable[[], Rows], header_row: int) -> Rows:
    return itertools.dropwhile(lambda numbered: numbered[0] <= header_row, fresh())


class _Empty(Exception):
    """A sheet with nothing in it."""


def _no_header(where: str) -> InvalidInput:
    return InvalidInput(
        "导入文件",
        f"{where}的前 {HEADER_SEARCH_ROWS} 行中找不到表头（至少要有两列可识别的列名，"
        "如 信访人、信访时间、反映问题）；列名不同的可用 --map 列名=字段 指定",
    )


def _read_workbook(
    path: Path, sheet: str | None, names: dict[str, str], mapped: Collection[str]
) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    shown = shorten(path.name, 80)
    unreadable = InvalidInput(
        "导入文件",
        f"{shown} 不是有效的{WORKBOOKS[path.suffix.lower()]}，无法读取；"
        "CSV 文本请用 .csv 扩展名，其他文件请在 Excel 或 WPS 中另存为 .xlsx",
    )
    try:
        _measure(path)
        book = _calamine(lambda: CalamineWorkbook.from_path(path))
    except PasswordError:
        raise InvalidInput(
            "导入文件", f"{shown} 设有打开密码；请在 Excel 或 WPS 中取消密码后再导入"
        ) from None
    except (CalamineError, OSError, bounds.Unreadable):
        raise unreadable from None
    with book:
        sheets = book.sheet_names
        if sheet is not None and sheet not in sheets:
            listed = "、".join(plain(name, 40) for name in sheets)
            raise InvalidInput("--sheet", f"没有名为“{shorten(sheet)}”的工作表；有：{listed}")
        empty = 0
        for name in [sheet] if sheet is not None else sheets:
            try:
                rows = partial(_sheet_rows, _calamine(partial(book.get_sheet_by_name, name)))
            except (CalamineError, bounds.Unreadable):
                raise InvalidInput(
                    "导入文件",
                    f"工作表“{plain(name, 40)}”已损坏，无法读取；请在 Excel 或 WPS 中另存后再导入",
                ) from None
            try:
                table = _table(plain(name, 100), rows, names, mapped)
            except _Empty:  # an empty sheet, or a chart sheet
                empty += 1
                table = None
            del rows  # a sheet passed over is let go before the next one is laid out
            if table is not None:
                return table
    if sheet is not None and empty:
        raise InvalidInput("--sheet", f"工作表“{shorten(sheet)}”是空的")
    if empty == len(sheets):
        raise InvalidInput("导入文件", f"{shown} 中没有任何数据")
    where = f"工作表“{plain(sheet, 40)}”" if sheet else f"{shown} 的各工作表"
    raise _no_header(where)


def _measure(path: Path) -> None:
    """Refuse, before calamine reads a byte, a workbook it would read without bound
    (see `bounds`). What calamine reads is told by the bytes, not the name: a compound
    file is measured as .xls, anything that is a zip as .xlsx and .ods."""
    bounds.check_file(path)
    with path.open("rb") as handle:
        compound = handle.read(8) == biff.SIGNATURE
    if compound:
        biff.check_xls(path)
    if not compound or packed.is_zip(path):
        packed.check_zip(path)


def _calamine(read: Callable[[], T]) -> T:
    """A panic inside calamine (a malformed file it does not foresee) is a damaged file,
    not a traceback: pyo3 raises it as a BaseException of its own."""
    try:
        return read()
    except BaseException as error:
        if type(error).__name__ == "PanicException":
            raise bounds.Unreadable from None
        raise


def _sheet_rows(sheet: Any) -> Rows:
    """The sheet's rows from row 1, one at a time (calamine gives an empty cell as "",
    and starts each row at the first column that has anything), without the blank cells
    at the end of a row, and without the blank rows."""
    if sheet.start is None:  # nothing in it (iter_rows would panic)
        return
    for number, cells in enumerate(sheet.iter_rows(), 1):
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            yield number, cells


def _read_csv(
    path: Path, sheet: str | None, names: dict[str, str], mapped: Collection[str]
) -> Table:
    if sheet is not None:
        raise InvalidInput("--sheet", "CSV 文件没有工作表，请去掉 --sheet")
    bounds.check_file(path)
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(20_000)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        table = _table(None, partial(_csv_rows, path, encoding, dialect), names, mapped)
    except _Empty:
        raise InvalidInput("导入文件", f"{shorten(path.name, 80)} 是空的") from None
    if table is None:
        raise _no_header(shorten(path.name, 80))
    return table


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030 (which
    reads every GBK file); checked in one pass each, a chunk at a time."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(2**20):
                    if b"\x00" in chunk:
                        raise InvalidInput(
                            "导入文件", f"{shorten(path.name, 80)} 不是文本（CSV）文件"
                        )
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise InvalidInput("导入文件", "无法识别文件的编码；请另存为 UTF-8 或 GBK 编码的 CSV")


def _csv_rows(path: Path, encoding: str, dialect: Any) -> Rows:
    """The records, numbered, read a line at a time: a record longer than
    MAX_RECORD_CHARS or wider than MAX_COLUMNS is refused before it is held whole."""
    with path.open(encoding=encoding, newline="") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, dialect)
        for number in itertools.count(1):
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise InvalidInput(
                    "导入文件", f"CSV 第 {reader.line_num} 行无法读取：{error}"
                ) from None
            if len(cells) > bounds.MAX_COLUMNS:
                raise InvalidInput(
                    "导入文件",
                    f"CSV 第 {reader.line_num} 行有 {len(cells):,} 列，"
                    f"最多 {bounds.MAX_COLUMNS} 列；请检查分隔符或分成几个文件",
                )
            lines.record = 0
            yield number, cells


class _Lines:
    """The file's lines for csv.reader, none read past the record's allowance."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.number = 0
        self.record = 0  # characters of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(bounds.MAX_RECORD_CHARS - self.record + 1)
        if not line:
            raise StopIteration
        self.number += 1
        self.record += len(line)
        if self.record > bounds.MAX_RECORD_CHARS:
            raise InvalidInput(
                "导入文件",
                f"CSV 第 {self.number} 行超过 {bounds.MAX_RECORD_CHARS:,} 个字符，"
                "不像是台账的一行；请检查文件",
            )
        return line
