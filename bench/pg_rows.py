"""The PostgreSQL rows of bench/run.py: the same commands on the county ledger made from the
SQLite ledger (county.py), each beside the same command on that SQLite ledger, measured in
the same run. The "floor" of these rows is SQLite's figure, so the ratio is what the second
store costs; the answers are checked equal (same overdue items, same search list, same
cells of the table)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from clerks import crowd
from county import County
from run import AS_OF, ENV, FLOOR_REPORT, PYTHON, SEARCH_TERMS, XINFANG, Bench, Row, fmt

PG, LITE = "PostgreSQL", "SQLite"
SAME = "xinfang on SQLite, same ledger"


@dataclass
class PgRows:
    bench: Bench
    ledger: Path  # the SQLite ledger the county ledger was made from
    county: County

    def both(
        self, args: list[str], runs: int, warmup: int = 1, ok: tuple[int, ...] = (0,)
    ) -> tuple[float, float]:
        """Median seconds of `xinfang ARGS` on PostgreSQL and on SQLite."""
        on_pg = self.bench.median([*XINFANG, *args, "--db", self.county.dsn], runs, warmup, ok)
        on_lite = self.bench.median([*XINFANG, *args, "--db", str(self.ledger)], runs, warmup, ok)
        return on_pg, on_lite

    def answers(self, args: list[str], ok: tuple[int, ...] = (0,)) -> tuple[str, str]:
        return (
            self.bench.output([*XINFANG, *args, "--db", self.county.dsn], ok),
            self.bench.output([*XINFANG, *args, "--db", str(self.ledger)], ok),
        )

    def overdue(self) -> Row:
        args = ["overdue", "--json", "--as-of", AS_OF]
        on_pg, on_lite = self.both(args, self.bench.runs.overdue, ok=(0, 1))
        mine, theirs = (json.loads(out)["overdue"] for out in self.answers(args, ok=(0, 1)))
        agrees = mine == theirs
        self.bench.notes.append(
            f"PostgreSQL overdue ({self.ledger.stem}): {len(mine):,} items, "
            + (
                "the same list as on SQLite"
                if agrees
                else f"DIFFERENT from SQLite's {len(theirs):,}"
            )
        )
        what = f"overdue --json --as-of {AS_OF} ({self.ledger.stem})"
        return Row(what, on_pg, on_lite, SAME, agrees=agrees, store=PG)

    def search(self) -> list[Row]:
        rows = []
        for term in SEARCH_TERMS:
            args = ["search", term, "--json"]
            on_pg, on_lite = self.both(args, self.bench.runs.search, warmup=2)
            mine, theirs = (
                [case["case_no"] for case in json.loads(out)] for out in self.answers(args)
            )
            agrees = mine == theirs
            how = "pg_trgm GIN" if len(term) >= 3 else "ILIKE, 2 characters"
            self.bench.notes.append(
                f"PostgreSQL search {term} ({self.ledger.stem}, {how}): {len(mine)} cases, "
                + (
                    "the same list as on SQLite"
                    if agrees
                    else f"DIFFERENT from SQLite's {len(theirs)}"
                )
            )
            what = f"search {term} --json ({self.ledger.stem})"
            rows.append(Row(what, on_pg, on_lite, SAME, agrees=agrees, store=PG))
        return rows

    def report_accept(self, month: str) -> Row:
        out = {store: self.bench.work / f"accept-{store}.xlsx" for store in (PG, LITE)}
        args = ["report", "accept", "--month", month, "--force", "-o"]
        runs = self.bench.runs.report
        on_pg = self.bench.median([*XINFANG, *args, str(out[PG]), "--db", self.county.dsn], runs, 1)
        on_lite = self.bench.median(
            [*XINFANG, *args, str(out[LITE]), "--db", str(self.ledger)], runs, 1
        )
        cells = {}
        for store, workbook in out.items():
            dump = self.bench.work / f"accept-{store}.json"
            self.bench.output([PYTHON, FLOOR_REPORT, "dump", str(workbook), str(dump)])
            cells[store] = json.loads(dump.read_text(encoding="utf-8"))
        agrees = cells[PG] == cells[LITE]
        self.bench.notes.append(
            f"PostgreSQL report accept --month {month}: {len(cells[PG]):,} rows, "
            + ("the same cells as on SQLite" if agrees else "cells DIFFERENT from SQLite's")
        )
        what = f"report accept --month {month} ({self.ledger.stem})"
        return Row(what, on_pg, on_lite, SAME, agrees=agrees, store=PG)


def clerk_rows(
    bench: Bench, store: str, target: str, lists: Path, counts: tuple[int, ...]
) -> list[Row]:
    """Registrations per second with each number of clerks at once, on one store."""
    rows = []
    for clerks in counts:
        print(f"  {clerks} clerk(s) at once on {store} …", file=sys.stderr, flush=True)
        done = crowd(target, lists, clerks, bench.runs.clerk_seconds, ENV)
        agrees = not done.errors and done.added == done.registered and done.numbers_ok
        bench.notes.append(
            f"{store}, {clerks} clerk{'s' if clerks > 1 else ''} at once: {done.registered:,} registered in "
            f"{done.seconds:.1f} s, {done.added:,} cases added, numbers "
            + ("unique and gap-free" if done.numbers_ok else "NOT unique and gap-free")
            + (f"; errors: {'; '.join(done.errors[:3])}" if done.errors else "")
        )
        what = f"register, {clerks} clerk{'s' if clerks > 1 else ''} at once (core API, own connection each)"
        rows.append(
            Row(
                what,
                done.seconds / done.registered if done.registered else None,
                agrees=agrees,
                text=f"{done.per_second:.1f}/s ({fmt(done.seconds / max(done.registered, 1))} each)",
                store=store,
            )
        )
    return rows
