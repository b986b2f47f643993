"""`show` asks every case for the cases joined into it: that question is answered
through an index, not by reading the events of every archived case."""

from __future__ import annotations

import pytest

from xinfang.core.life import joined
from xinfang.core.life.ledger import find
from xinfang.store.db import connect


@pytest.mark.sqlite_only("SQLite's query plan")
def test_the_cases_joined_into_a_case_are_found_through_the_index(db_path, registered):
    conn = connect(db_path)
    asked: list[str] = []
    conn.set_trace_callback(asked.append)
    joined.members(conn, find(conn, registered))
    conn.set_trace_callback(None)
    (query,) = [sql for sql in asked if "'join'" in sql]
    plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "events_join" in plan
    assert "cases_status" not in plan
