"""How much a file may make the import hold, checked from the file's own bytes before the
workbook reader touches it.

calamine, the reader, makes each sheet one dense grid from its first to its last
non-empty cell: one stray cell at XFD1048576 asks for 17 billion cells (512 GB) and the
process aborts. So the used area of every sheet is measured here first (`packed` for
.xlsx and .ods, `biff` for .xls) and a sheet too large is refused, naming the cell that
makes it so; the rows are then read one at a time. A workbook is a zip (or, for .xls, a
compound file), so its parts are bounded too: their number and the bytes they really
unpack to, whatever their headers declare. A CSV file is bounded line by line (`reading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xinfang.core.errors import InvalidInput, shorten

FIELD = "导入文件"
MAX_FILE_BYTES = 256 * 2**20  # the file as stored
MAX_PART_BYTES = 2**30  # one part of a workbook, unpacked (a 100,000-case export: ~400 MB)
MAX_PARTS = 10_000  # parts of a workbook (a ledger has about ten)
# Rows × columns the reader may lay out, counted from row 1 (rows above the table are
# walked too): 10 million cells are ~320 MB in calamine, a 180,000-case export of 55 columns.
MAX_CELLS = 10_000_000
MAX_COLUMNS = 500  # no ledger is wider; xinfang's own export has 55
MAX_RECORD_CHARS = 1_000_000  # one CSV record (a line, or lines inside quotes)
# Text the reader copies into cells: a shared string, or a repeated .ods cell, is copied
# into every cell that names it, so 500 KB can ask for 10 GB.
MAX_TEXT_BYTES = 512 * 2**20
_ADVICE = (
    "；若是误填的内容，请在 Excel 或 WPS 中删除该格（或把表格复制到新工作表）后再导入，"
    "确有这么多数据请分成几个文件导入"
)


class Unreadable(Exception):
    """The container is not what its name says, or is damaged: refused as unreadable."""


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 16383 -> XFD."""
    name = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell_name(row: int, column: int) -> str:
    return f"{column_name(column)}{row + 1}"


@dataclass
class Area:
    """Where a sheet's non-empty cells lie (rows and columns from 0), with the cell
    furthest down and the one furthest right, to name in a refusal."""

    sheet: str
    bottom: int = -1
    left: int = -1
    right: int = -1
    lowest: tuple[int, int] = (0, 0)
    rightmost: tuple[int, int] = (0, 0)
    held: int = 0  # cells the reader keeps besides the grid (each non-empty one, at least)
    text: int = 0  # bytes of text it copies into cells (at most)

    def add(self, row: int, column: int, last_row: int = -1, last_column: int = -1) -> None:
        """A cell, or a block of them repeated down to last_row and across to last_column."""
        last_row, last_column = max(row, last_row), max(column, last_column)
        if last_row > self.bottom:
            self.bottom, self.lowest = last_row, (last_row, column)
        if last_column > self.right:
            self.right, self.rightmost = last_column, (row, last_column)
        if self.left < 0 or column < self.left:
            self.left = column

    @property
    def width(self) -> int:
        return self.right - self.left + 1 if self.bottom >= 0 else 0

    @property
    def cells(self) -> int:
        """What reading it costs: its width times its rows from row 1."""
        return (self.bottom + 1) * self.width


def check_file(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidInput(
            FIELD,
            f"{shorten(path.name, 80)} 有 {size / 2**20:,.0f} MB，超过可导入的上限 "
            f"{MAX_FILE_BYTES // 2**20} MB；请分成几个文件导入",
        )


def check_part(name: str, size: int) -> None:
    """A workbook part that unpacks (or says it unpacks) to more than the limit."""
    if size > MAX_PART_BYTES:
        raise InvalidInput(
            FIELD,
            f"文件中的“{shorten(name, 80)}”解压后超过 {MAX_PART_BYTES // 2**20:,} MB，"
            "不像是正常的表格（可能是恶意构造的压缩包），已拒绝导入",
        )


def check_areas(areas: list[Area], *, together: bool) -> None:
    """Each sheet within the limits; `together`: the reader holds every sheet at once
    (.xls and .ods), so their sum is bounded too."""
    for area in areas:
        if area.width > MAX_COLUMNS:
            raise InvalidInput(
                FIELD,
                f"{_where(area, area.rightmost)}，表格因此宽达 {area.width:,} 列"
                f"（最多 {MAX_COLUMNS} 列）{_ADVICE}",
            )
        if area.cells > MAX_CELLS:
            raise InvalidInput(
                FIELD,
                f"{_where(area, area.lowest)}，要读取的区域因此达到 {area.bottom + 1:,} 行 × "
                f"{area.width:,} 列（最多共 {MAX_CELLS:,} 格）{_ADVICE}",
            )
        if area.text > MAX_TEXT_BYTES:
            raise InvalidInput(FIELD, _too_much_text(area.sheet, area.text))
        if area.held > MAX_CELLS:
            raise InvalidInput(
                FIELD,
                f"工作表“{_plain(area.sheet)}”要读取 {area.held:,} 个单元格（最多 {MAX_CELLS:,} 个）；"
                "请分成几个文件导入",
            )
    if not together:
        return
    text = sum(area.text for area in areas)
    if text > MAX_TEXT_BYTES:
        raise InvalidInput(FIELD, _too_much_text("、".join(area.sheet for area in areas), text))
    for total in (sum(area.cells for area in areas), sum(area.held for area in areas)):
        if total > MAX_CELLS:
            raise InvalidInput(
                FIELD,
                f"各工作表合计要读取 {total:,} 格，超过上限 {MAX_CELLS:,} 格；"
                "请删去不需要导入的工作表，或分成几个文件导入",
            )


def _too_much_text(sheet: str, size: int) -> str:
    return (
        f"工作表“{_plain(sheet)}”的单元格文字展开后达 {size / 2**20:,.0f} MB（最多 "
        f"{MAX_TEXT_BYTES // 2**20} MB）：同一段文字被大量单元格重复引用，不像是正常的台账；"
        "请在 Excel 或 WPS 中另存或删去重复内容后再导入"
    )


def _where(area: Area, cell: tuple[int, int]) -> str:
    return f"工作表“{_plain(area.sheet)}”的 {cell_name(*cell)} 格有内容"


def _plain(name: str) -> str:
    from xinfang.core.exchange.importing.cells import plain

    return plain(name, 40)
