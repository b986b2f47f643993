"""What the import decides about a date column from all its values, not one cell: whether
22/06/2026 is day or month first, and whether a column of times (来访时间 9:30) gives the
time of the date column beside it (来访日期). The file is read a second time for it, only
for a file that needs it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.exchange.importing.cells import Stamped, is_time, year_last_order
from xinfang.core.exchange.importing.columns import STEP_LABELS
from xinfang.core.exchange.importing.reading import Rows, Table, blank
from xinfang.core.intake.fields import REGISTRATION_FIELDS

DATE_KEYS = frozenset(
    [f.key for f in REGISTRATION_FIELDS if f.kind == "when"]
    + [key for key in STEP_LABELS if key.endswith("_on")]
    + ["assign_due"]
)


class Dating:
    """The order of day and month in each date column, decided on first need."""

    def __init__(self, table: Table, labels: dict[str, str]) -> None:
        self.table = table
        self.labels = labels
        self.orders: dict[str, str] = {}

    def order(self, key: str) -> str:
        if key not in self.orders:
            index = next(i for i, k in self.table.columns.items() if k == key)
            texts = (
                unicodedata.normalize("NFKC", cell)
                for cell in _column(self.table, index)
                if isinstance(cell, str)
            )
            try:
                self.orders[key] = year_last_order(self.labels[key], texts)
            except InvalidInput as error:  # the whole file: not one row's fault
                raise XinfangError(error.message) from None
        return self.orders[key]


def pair_times(table: Table) -> None:
    """A date column and a column of times under the same field's names (来访日期 and
    来访时间, in either order): the time is read into the date, cell by cell."""
    for extra, key in list(table.doubled.items()):
        if key not in DATE_KEYS or table.again is None:
            continue
        main = next(i for i, k in table.columns.items() if k == key)
        if _all_times(table, extra):
            day, clock = main, extra
        elif _all_times(table, main):
            day, clock = extra, main
            del table.columns[main]
            table.columns[day] = key
        else:
            continue
        del table.doubled[extra]
        table.paired.add(clock)
        shown = table.header[extra]
        table.heading.ignored = [c for c in table.ignored if not c.startswith(shown + "（")]
        table.rows = _stamped(table.rows, day, clock)


def _all_times(table: Table, index: int) -> bool:
    values = [cell for cell in _column(table, index) if not blank(cell)]
    return bool(values) and all(is_time(cell) for cell in values)


def _column(table: Table, index: int) -> Iterator[Any]:
    assert table.again is not None
    for _, cells in table.again():
        if index < len(cells):
            yield cells[index]


def _stamped(rows: Rows, day: int, clock: int) -> Rows:
    for number, cells in rows:
        # A time without its date stays where it is, read as no field.
        if max(day, clock) < len(cells) and not blank(cells[clock]) and not blank(cells[day]):
            cells = list(cells)
            cells[day] = Stamped(cells[day], cells[clock])
            cells[clock] = None
        yield number, cells
