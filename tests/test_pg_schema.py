"""schema-pg.sql is written by hand: it must hold every table and column of schema.sql at
the latest version (plus the office each row belongs to), so the stores cannot drift."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from xinfang.store import migrations
from xinfang.store import pg as store
from xinfang.store.db import SCHEMA_VERSION

SHARED = {"rule_versions", "calendar", "calendar_entries"}  # one for all offices


def test_every_sqlite_column_is_on_postgresql(pg_dsn: str) -> None:
    lite = migrations.reference(migrations.LATEST)
    tables = [
        name
        for (name,) in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'cases_fts%'"
        )
    ]
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        store.install(conn)
        for table in tables:
            want = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            have = {
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                    (table,),
                )
            }
            assert set(want) <= have, (table, set(want) - have)
            assert ("office_id" in have) != (table in SHARED), table
        assert conn.execute("SELECT version FROM store_version").fetchone() == (SCHEMA_VERSION,)


def test_schema_names_its_version() -> None:
    assert f"-- schema-version: {SCHEMA_VERSION}\n" in store.schema_sql()
