"""`xinfang doctor` on the county's database: the same checks of each case's history as on
a town's file, and, in place of the file's own checks, that every lane forces its rules."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from tests.conftest import LIFE, REGISTER, Run
from tests.pg import owner_dsn


def test_doctor_on_the_county_checks_lanes_and_histories(
    run: Run, db_path: str, pg_cluster: object
) -> None:
    run(*REGISTER)
    for action, *options in LIFE[:5]:
        run(action, "2026-0001", *options)
    out = run("doctor").stdout
    assert "单位隔离" in out and "办理记录" in out and "1 件案件的状态与办理记录一致" in out
    assert "integrity_check" not in out  # the file's checks are SQLite's

    with psycopg.connect(owner_dsn(db_path), autocommit=True) as owner:
        owner.execute("ALTER TABLE loans NO FORCE ROW LEVEL SECURITY")
        owner.execute("UPDATE cases SET unit = '新华镇'")  # not what its events say
    out = run("doctor", expect=1).stdout
    assert "loans" in out  # a lane whose rules the owner escapes
    assert "2026-0001" in out  # a case whose row is not what its history gives
