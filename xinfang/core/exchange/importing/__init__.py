"""`xinfang import`: an office's existing ledger (an Excel or OpenDocument workbook, or a
CSV file) brought in as cases.

The header row is found by itself (titles, a 单位/时间 line and blank rows may sit above
it) and the usual Chinese column names are recognised, including the columns of
xinfang's own tables. Each row becomes a case written the way the actions write it: a
`register` event that says which file, sheet and row it came from, then the later
steps the row shows (受理, 交办, 答复, 回访, 办结 …) as events marked `imported`, and the
deadlines derived from them. A row that cannot be read is not guessed at: it is left
out with its reasons, cell by cell, and the rest are imported. All rows go in one
transaction; a row already imported (every cell the same) is skipped and named, so
importing a file twice changes nothing. The columns no field reads are kept with the
case (`imported_extra`), and the office's lists grow only with --add-values.

`columns` names the fields, `reading` finds the table in the file, `rows` (with `cells`
and `stages`) plans each row's case, `writing` writes them.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import FIRST_YEAR, LAST_YEAR, parse_date
from xinfang.core.errors import XinfangError
from xinfang.core.exchange.importing.cells import plain
from xinfang.core.exchange.importing.columns import (
    LABELS,
    REQUIRED_KEYS,
    check_columns,
    check_rows,
    default_values,
    header_names,
    mapped_names,
)
from xinfang.core.exchange.importing.dating import Dating, pair_times
from xinfang.core.exchange.importing.reading import Table, blank, read_table
from xinfang.core.exchange.importing.rows import (
    Plan,
    Reader,
    ValueMap,
    Warned,
    fingerprint,
    kept_cells,
    kept_columns,
)
from xinfang.core.exchange.importing.writing import (
    LIST_NAMES,
    Batch,
    Preview,
    Rejected,
    RejectsWriter,
    imported_before,
    known_fingerprints,
    refuse_unlisted,
    rejects_path,
    write,
)
from xinfang.core.life.acting import actor_name
from xinfang.core.life.states import STATUS_LABELS, Status
from xinfang.core.progress import READ, Progress, counted
from xinfang.core.validate import parse_int
from xinfang.core.vocabulary import UPPER_SOURCE

__all__ = ["ImportResult", "Preview", "Rejected", "Warned", "import_file", "rejects_path"]


@dataclass
class ImportResult:
    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # column as written -> the field it was read as
    kept_columns: list[str]  # read as no field: kept with each case as written
    readings: list[str]  # how a word that means two things was read, and why
    # Every column in the header's order: {"column", "read_as": a field's name,
    # 保留为其他列 or 忽略, and "reading" when a word that means two things was read}.
    layout: list[dict[str, str]]
    imported: int
    duplicates: int
    skipped: list[Rejected]  # the duplicate rows, each with why (与第 N 行相同, 已于 … 导入)
    blank: int
    rejected: list[Rejected]
    added: dict[str, list[str]]  # list (Chinese name) -> values added to it
    warnings: int  # phone or ID numbers kept although they fail the check
    warned: list[Warned]  # the rows that hold them, with what is wrong with each
    statuses: dict[str, int]  # status label -> cases
    overdue: int  # imported cases with a deadline already past
    historical: int  # received before --closed-before: history, owing no deadline
    preview: list[Preview]
    rejects_file: str | None
    dry_run: bool

    @property
    def nothing_imported(self) -> bool:
        """Every row that was read rejected: the import failed (a re-import adding nothing
        because every row is already in the ledger has not)."""
        return bool(self.rejected) and not self.imported and not self.duplicates

    def as_json(self) -> dict[str, Any]:
        result = asdict(self)
        result["rejected"] = [{"row": r.row, "reasons": r.reasons} for r in self.rejected]
        result["skipped"] = [{"row": r.row, "reasons": r.reasons} for r in self.skipped]
        return result


def import_file(
    conn: sqlite3.Connection,
    path: str | Path,
    *,
    sheet: str | None = None,
    maps: Iterable[str] = (),
    defaults: Iterable[str] = (),
    year: int | str | None = None,
    dry_run: bool = False,
    rejects: str | Path | None = None,
    force: bool = False,
    by: str | None = None,
    write_rejects: RejectsWriter | None = None,
    closed_before: str | None = None,
    value_maps: Iterable[str] = (),
    add_values: bool = False,
    progress: Progress | None = None,
    on_header: HeaderFound | None = None,
) -> ImportResult:
    """Read the file, plan every row, and (unless dry_run) write the cases, their events
    and deadlines, the new list values and the rejects workbook (with `write_rejects`,
    the outputs' writer: the core writes no workbook itself) in one transaction.
    `on_header` hears where the table is as soon as it is found, `progress` the rows
    read and written."""
    # Nothing here makes reference cycles, but with 100,000 rows in hand the cyclic
    # collector would keep re-scanning them all: a third of the time of a large import.
    if Path(path).suffix.lower() == ".json":  # xinfang's own export: its history replayed
        return _restore(conn, Path(path), dry_run=dry_run)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(
            conn, path, sheet=sheet, maps=maps, defaults=defaults, year=year,
            dry_run=dry_run, rejects=rejects, force=force, by=by, write_rejects=write_rejects,
            closed_before=closed_before, value_maps=value_maps, add_values=add_values,
            progress=progress, on_header=on_header,
        )  # fmt: skip
    finally:
        if enabled:
            gc.enable()


# (the sheet, the header's row number, the columns not read): told before the rows are.
HeaderFound = Callable[[str | None, int, list[str]], None]


def _restore(conn: sqlite3.Connection, path: Path, *, dry_run: bool) -> ImportResult:
    from xinfang.core.exchange.importing.restoring import restore

    done = restore(conn, path, dry_run=dry_run)
    skipped = [Rejected(n, [why], []) for n, why in done.skipped]
    return ImportResult(
        file=str(path), sheet=None, header_row=0, columns={}, kept_columns=[], readings=[],
        layout=[],
        imported=done.imported, duplicates=len(skipped), skipped=skipped, blank=0,
        rejected=[], added=done.added, warnings=0, warned=[],
        statuses={STATUS_LABELS[Status(s)]: n for s, n in done.statuses.items()},
        overdue=done.overdue, historical=0, preview=done.preview, rejects_file=None,
        dry_run=dry_run,
    )  # fmt: skip


KEPT, LEFT, PAIRED = "保留为其他列", "忽略", "时刻（并入同一字段的日期列）"


def _layout(table: Table, kept: dict[int, str]) -> list[dict[str, str]]:
    """What each column was read as, with the reading taken of it, if any."""
    layout = []
    for index, text in enumerate(table.header):
        if index in table.columns:
            read_as = LABELS[table.columns[index]]
        elif index in table.paired:  # a time column read into its date's
            read_as = PAIRED
        elif index in kept:
            read_as = KEPT
        elif text:
            read_as = LEFT
        else:
            continue
        item = {"column": kept.get(index, text), "read_as": read_as}
        said = [r for r in table.heading.readings if text and r.startswith(f"“{text}”")]
        layout.append(item | ({"reading": said[0]} if said else {}))
    return layout


def _upper(cells: Sequence[Any], marks: list[int], values: dict[str, Any]) -> dict[str, Any]:
    """A row sent down from above (its 转来机关 or 转来编号 filled) that does not say where
    it came from is 上级交办, as `register --source 上级交办 --upper-ref` records it."""
    if "source" in values or not any(i < len(cells) and not blank(cells[i]) for i in marks):
        return {}
    return {"source": UPPER_SOURCE}


def _lacking(row: dict[str, Any]) -> list[str]:
    """The required fields a row (as planned: a 匿名 name taken off, the form told from
    the source) has no value for."""
    return [
        key
        for key in REQUIRED_KEYS
        if row.get(key) is None and not (key == "name" and row.get("anonymous"))
    ]


def _no_rejects_writer(target: Path, header: list[str], rejected: list[Rejected]) -> None:
    raise XinfangError("有无法导入的行，但未提供未导入行清单的写法（write_rejects）")


def _import(
    conn: sqlite3.Connection,
    path: str | Path,
    *,
    sheet: str | None,
    maps: Iterable[str],
    defaults: Iterable[str],
    year: int | str | None,
    dry_run: bool,
    rejects: str | Path | None,
    force: bool,
    by: str | None,
    write_rejects: RejectsWriter | None,
    closed_before: str | None,
    value_maps: Iterable[str],
    add_values: bool,
    progress: Progress | None,
    on_header: HeaderFound | None,
) -> ImportResult:
    source = Path(path)
    maps = list(maps)
    history = None if closed_before is None else parse_date(closed_before, "--closed-before")
    names = header_names(maps)
    mapping = ValueMap(value_maps)
    fixed = default_values(defaults)
    if year is not None:
        year = parse_int(year, "--year", minimum=FIRST_YEAR, maximum=LAST_YEAR)
    actor = actor_name(conn, by)
    table = read_table(source, sheet, names, mapped_names(maps))
    pair_times(table)
    labels = {key: table.header[index] for index, key in table.columns.items()}
    unread = [text for i, text in enumerate(table.header) if i not in table.columns]
    upper = {"source"} if table.heading.upper else set()
    check_columns(table.header_row, {*labels, *fixed, *upper}, unread)
    kept = kept_columns(table.header, {*table.columns, *table.paired}, maps)
    if on_header is not None:
        on_header(table.sheet, table.header_row, list(kept.values()))
    target = None if dry_run else rejects_path(source, rejects, force=force)
    reader = Reader(conn, labels, year, Dating(table, labels).order)
    known = known_fingerprints(conn)
    seen: dict[str, int] = {}  # fingerprint -> the row of the file that has it first
    plans: list[Plan] = []
    rejected: list[Rejected] = []
    skipped: list[Rejected] = []
    blanks = 0
    last = table.header_row  # a workbook's empty lines are not read: the gaps count them
    lacking: dict[str, int] = {}  # required field -> rejected rows without it
    for number, cells in counted(table.rows, READ, progress):
        blanks += max(number - last - 1, 0)
        last = number
        values = {
            key: cells[index]
            for index, key in table.columns.items()
            if index < len(cells) and not blank(cells[index])
        }
        if not values:  # blank, or only a 序号 of an unused line of the form
            blanks += 1
            continue
        extra = kept_cells(kept, cells) | mapping.apply(values, reader.label)
        row = fixed | reader.channel(values) | _upper(cells, table.heading.upper, values)
        planned = reader.plan(number, row, fingerprint(table.header, cells), extra)
        if isinstance(planned, list):
            rejected.append(Rejected(number, planned, list(cells)))
            for key in _lacking(row):
                lacking[key] = lacking.get(key, 0) + 1
        elif planned.fingerprint in seen:
            skipped.append(
                Rejected(number, [f"与第 {seen[planned.fingerprint]} 行相同"], list(cells))
            )
        elif before := imported_before(planned, known):
            skipped.append(Rejected(number, [before], list(cells)))
        else:
            seen[planned.fingerprint] = number
            plans.append(planned)
            if history and planned.record["received_at"][:10] < history.isoformat():
                planned.record["historical"] = True  # derive opens nothing for it
    if not plans:
        check_rows(lacking, len(rejected) + len(skipped), unread, settings.choices(conn, "form"))
    if not dry_run and not add_values:
        refuse_unlisted(plans, reader)
    # The rejects workbook names the skipped rows too, in the file's order.
    listed = sorted(
        [*rejected, *(Rejected(r.row, [f"重复：{r.reasons[0]}"], r.cells) for r in skipped)],
        key=lambda r: r.row,
    )
    origin = {"file": plain(source.name), "sheet": table.sheet}  # shown by `show`
    if target is None:  # a dry run: the same batch, not written
        batch = Batch(conn, reader, plans, origin, actor, None)
    else:
        batch, meanwhile = write(
            conn, reader, plans, origin, actor,
            rejected=listed, header=table.header, target=target,
            write_rejects=write_rejects or _no_rejects_writer, progress=progress,
        )  # fmt: skip
        skipped += [Rejected(row, ["已由同时进行的导入写入"], []) for row in meanwhile]
    return ImportResult(
        file=str(source),
        sheet=table.sheet,
        header_row=table.header_row,
        columns={labels[key]: LABELS[key] for key in labels},
        kept_columns=list(kept.values()),
        readings=table.heading.readings,
        layout=_layout(table, kept),
        imported=len(batch.cases),
        duplicates=len(skipped),
        skipped=skipped,
        blank=blanks,
        rejected=rejected,
        added={LIST_NAMES[name]: values for name, values in batch.added.items()},
        warnings=sum(len(row.reasons) for row in reader.warned),
        warned=reader.warned,
        statuses={
            label: batch.statuses[status]
            for status, label in STATUS_LABELS.items()
            if batch.statuses[status]
        },
        overdue=batch.overdue,
        historical=sum(1 for plan in plans if plan.record.get("historical")),
        preview=batch.preview,
        rejects_file=str(target) if target and listed else None,
        dry_run=dry_run,
    )
