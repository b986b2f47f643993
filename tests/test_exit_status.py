"""A defect of the program never looks like an answer: cron reads `overdue`'s 0 as "nothing
overdue" and 1 as "something overdue", so a crash must exit with neither."""

from __future__ import annotations

from pathlib import Path

from xinfang.cli.base import INTERNAL
from xinfang.store.db import connect


def test_a_crash_is_an_internal_error_not_an_overdue_answer(run, registered, db_path: Path) -> None:
    # A ledger damaged by hand (the case in a state no action leads to).
    with connect(db_path) as conn:
        conn.execute("UPDATE cases SET status = 'suspended'")
    conn.close()
    for command in (["overdue"], ["overdue", "--json"], ["show", "2026-0001"], ["list", "--all"]):
        result = run(*command, expect=None)
        assert result.exit_code == INTERNAL, (command, result.output)
        assert "内部错误" in result.stderr.splitlines()[-1]
