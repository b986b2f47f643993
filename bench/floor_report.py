"""The floor for `xinfang report`: a bare openpyxl loop writing the same cells.

    python bench/floor_report.py dump REPORT.xlsx CELLS.json   # once, not timed
    python bench/floor_report.py write CELLS.json OUT.xlsx [--write-only | --styled]   # timed

`dump` reads the workbook xinfang wrote (every row of its sheet, values only) into JSON;
`write` loads it and writes a fresh workbook, one sheet, one `ws.append(row)` per row,
without styles, merges or page set-up; `--styled` streams the same cells each with the
one style the paper form needs on every cell (宋体, thin borders, wrapped): what openpyxl
charges for a bordered cell, without anything of xinfang's. Run as its own process, so
that it pays for its Python start-up and the openpyxl import as xinfang does.
"""

from __future__ import annotations

import argparse
import json

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side


def dump(report: str, cells: str) -> None:
    """Every row of the report's first sheet, as values, to a JSON file."""
    book = load_workbook(report, read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    with open(cells, "w", encoding="utf-8") as out:
        json.dump(rows, out, ensure_ascii=False)


def write(cells: str, target: str, *, write_only: bool, styled: bool) -> None:
    """The same rows in a new workbook: one sheet, appended row by row, then saved."""
    with open(cells, encoding="utf-8") as source:
        rows = json.load(source)
    book = Workbook(write_only=write_only or styled)
    sheet = book.create_sheet("报表") if write_only or styled else book.active
    if styled:
        thin = Side(style="thin")
        book.add_named_style(
            NamedStyle(
                name="cell",
                font=Font(name="宋体", size=11),
                border=Border(left=thin, right=thin, top=thin, bottom=thin),
                alignment=Alignment(vertical="center", wrap_text=True),
            )
        )
    for row in rows:
        if styled:
            row = [_styled(sheet, value) for value in row]
        sheet.append(row)
    book.save(target)


def _styled(sheet: object, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.style = "cell"
    return cell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_args = commands.add_parser("dump")
    dump_args.add_argument("report")
    dump_args.add_argument("cells")
    write_args = commands.add_parser("write")
    write_args.add_argument("cells")
    write_args.add_argument("target")
    write_args.add_argument("--write-only", action="store_true")
    write_args.add_argument("--styled", action="store_true")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.report, args.cells)
    else:
        write(args.cells, args.target, write_only=args.write_only, styled=args.styled)


if __name__ == "__main__":
    main()
