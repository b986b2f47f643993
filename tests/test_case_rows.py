"""A case's row is read as a typed `Case` (core/life/case.py): one attribute per column of
`cases`, built by column name, frozen; the core reads `case.x`, never `case["x"]`."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from xinfang.core.life import columns, ledger
from xinfang.core.life.case import COLUMNS, Case
from xinfang.core.life.states import Status
from xinfang.store.db import connect

CORE = Path(__file__).resolve().parents[1] / "xinfang" / "core"


def test_a_case_has_every_column_of_the_table_in_its_order(db_path: Path) -> None:
    conn = connect(db_path)
    table = [column[0] for column in conn.execute("SELECT * FROM cases LIMIT 0").description]
    if isinstance(db_path, str):  # the county's table: the office's lane comes second
        assert table.pop(1) == "office_id"
    assert list(COLUMNS) == table
    assert set(COLUMNS) == set(columns.PROJECTED) | set(columns.LOCAL)


def test_a_case_is_built_by_column_name_whatever_the_query_shape(
    run, registered: str, db_path: Path
) -> None:
    run("accept", registered, "--notified-on", "2026-11-23")
    conn = connect(db_path)
    found = ledger.find(conn, registered)
    backwards = ", ".join(reversed(COLUMNS))
    row = conn.execute(f"SELECT 'extra' AS note, {backwards} FROM cases").fetchone()
    assert Case.from_row(row) == found
    assert found.number == registered
    assert (found.status, found.anonymous, found.complex) == (Status.ACCEPTED, False, False)
    assert found.notified_on == "2026-11-23"
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.status = Status.CLOSED  # type: ignore[misc]
    with pytest.raises(KeyError, match="content"):
        Case.from_row(conn.execute("SELECT id, year, seq, status FROM cases").fetchone())


def test_a_mapping_must_hold_every_column(db_path: Path, registered: str) -> None:
    found = ledger.find(connect(db_path), registered)
    values = {name: getattr(found, name) for name in COLUMNS}
    assert Case.from_row(values) == found
    del values["content"]
    with pytest.raises(KeyError):
        Case.from_row(values)


# The core's case rows are Cases; other rows (events, deadlines, joined queries) and the
# `--json` dictionaries keep their keys.
TYPED = ("life", "clock", "papers", "intake")


def test_the_core_reads_cases_by_attribute() -> None:
    lookups = re.compile(r"""\b(case|main|earlier|target)\[["']""")
    found = [
        f"{path.relative_to(CORE)}:{number}: {line.strip()}"
        for folder in TYPED
        for path in sorted((CORE / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if lookups.search(line)
    ]
    assert found == []
