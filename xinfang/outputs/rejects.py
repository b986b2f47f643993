"""The rows an import could not read, with the reason for each, as a workbook the clerk
can correct and import again (`<file>_未导入行.xlsx`)."""

from __future__ import annotations

from pathlib import Path

from xinfang.core.exchange.importing.writing import Rejected
from xinfang.outputs import workbook


def write_rejects(target: Path, header: list[str], rejected: list[Rejected]) -> None:
    book, sheet = workbook.new_book("未导入行")
    width = max([len(header), *(len(r.cells) for r in rejected)])
    names = ["原行号", *(header + [""] * width)[:width], "原因"]
    names = [name or f"第{i}列" for i, name in enumerate(names)]
    rows = [
        [r.row, *(list(r.cells) + [None] * width)[:width], "；".join(r.reasons)] for r in rejected
    ]
    workbook.list_sheet(sheet, names, [["" if v is None else v for v in row] for row in rows])
    workbook.save(book, target, force=True)
