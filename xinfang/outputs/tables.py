"""Plain tables to files: CSV that Excel and WPS open in Chinese, and simple workbooks.
Every value a petitioner wrote goes in as text, never as a formula."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from xinfang.store.files import private_output

# Characters the xlsx format forbids (XML 1.0): removed rather than crash the export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What a spreadsheet would take for a formula at the start of a cell.
FORMULA_START = ("=", "+", "-", "@")


def clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def write_csv(path: Path | None, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """To a file (with a BOM, so that Excel on Windows reads the Chinese), or to stdout."""
    if path is None:
        _csv_rows(sys.stdout, header, rows)
        return
    with (
        private_output(path) as partial,
        partial.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        _csv_rows(handle, header, rows)


def _csv_rows(handle: TextIO, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(header)
    for row in rows:
        # A leading tab keeps a spreadsheet from reading text as a formula.
        writer.writerow(
            [
                "\t" + v if isinstance(v, str) and v.startswith(FORMULA_START) else clean_cell(v)
                for v in row
            ]
        )


def write_list(
    path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], *, force: bool
) -> None:
    """A list as .csv or as a one-sheet .xlsx, by the file's extension."""
    if path.suffix.lower() == ".csv":
        write_csv(path, header, rows)
        return
    from xinfang.outputs import workbook

    book, sheet = workbook.new_book(title)
    workbook.list_sheet(sheet, header, rows)
    workbook.save(book, path, force=force)


def write_form(
    path: Path,
    *,
    sheet_name: str,
    title: str,
    left: str,
    right: str,
    note: str | None,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[Any]],
    centered: Sequence[int],
    force: bool,
) -> None:
    """A list to print and hand on: as .csv the bare table, as .xlsx the paper form
    (title, office and date lines, bordered wrapped cells, the header on every page)."""
    if path.suffix.lower() == ".csv":
        write_csv(path, header, rows)
        return
    from xinfang.outputs import workbook

    book, sheet = workbook.new_form_book(sheet_name)
    workbook.form_sheet(
        sheet, title=title, left=left, right=right, note=note, columns=header,
        widths=widths, rows=rows, centered=centered,
    )  # fmt: skip
    workbook.save(book, path, force=force)
