"""The benchmark's PostgreSQL ledger: a throwaway cluster (tests/pg.py's) holding a SQLite
ledger's cases, moved there by `xinfang migrate-store` into the lane of an office with the
SQLite ledger's own office id, as a town joining the county would.

The cluster is made fresh for each run and removed after it: nothing is cached, so the
PostgreSQL rows are always of the SQLite ledger beside them. Its durability is off (fsync,
synchronous_commit, as in the tests), which flatters PostgreSQL's writes: results.md says so.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests/pg.py: the cluster the test suite uses
    sys.path.insert(0, str(ROOT))

from clerks import cases_in  # noqa: E402

from tests.pg import Cluster, create_database, missing, start_cluster  # noqa: E402

CLERK_ROLE = "bench_clerk"  # the office's clerk: every PostgreSQL command runs as it


def why_not() -> str | None:
    """Why there can be no PostgreSQL rows here (no binaries, no psycopg), or None."""
    return missing()


@dataclass
class County:
    """A running cluster with one office holding a copy of a SQLite ledger."""

    cluster: Cluster
    dsn: str  # the office clerk's connection: what `--db` gets
    migrated_in: float  # seconds `xinfang migrate-store` took
    cases: int
    version: str  # the server's, e.g. 15.5


def office_of(ledger: Path) -> tuple[str, str]:
    """(office_id, unit_name) from a SQLite ledger's settings."""
    with closing(sqlite3.connect(ledger)) as conn:
        values = dict(
            conn.execute(
                "SELECT key, value FROM settings WHERE key IN ('office_id', 'unit_name')"
            ).fetchall()
        )
    return json.loads(values["office_id"]), json.loads(values.get("unit_name", '"本单位"'))


@contextmanager
def county_of(ledger: Path, xinfang: list[str], env: dict[str, str]) -> Iterator[County]:
    """A new cluster and database, an office with `ledger`'s office id and its clerk's role,
    and `xinfang migrate-store ledger DSN`; stopped and removed afterwards."""
    import psycopg

    from xinfang.store import pg

    cluster = start_cluster()
    try:
        admin_dsn = create_database(cluster, "county")
        office_id, unit_name = office_of(ledger)
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            pg.new_office(admin, unit_name or "本单位", CLERK_ROLE, office_id=office_id)
        dsn = cluster.dsn("county", CLERK_ROLE)
        began = time.perf_counter()
        done = subprocess.run(
            [*xinfang, "migrate-store", str(ledger), dsn],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"migrate-store failed: {done.stderr.strip()[-500:]}")
        with psycopg.connect(admin_dsn) as admin:
            admin.execute("ANALYZE")  # as an administrator would after a bulk load
            row = admin.execute("SELECT current_setting('server_version')").fetchone()
        assert row is not None
        yield County(cluster, dsn, took, cases_in(dsn)[0], str(row[0]))
    finally:
        cluster.stop()
