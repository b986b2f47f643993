"""Each dialect fragment says the same thing on both stores: the same query, built with it,
gives the same rows from SQLite and from PostgreSQL."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from xinfang.store.dialect import POSTGRES, SQLITE, Dialect, translate

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

ROWS = [
    (1, 2026, 7, '{"to": "沙河镇", "urgent": "yes", "imported": {"fingerprint": "ab"}}', "2026-11-02 09:30", "2026-11-30"),
    (2, 2026, 12345, '{"to": null}', "2026-12-31", "2027-01-01"),
    (3, 2025, 1, "{}", "2024-02-28 23:59", "2024-03-01"),
]  # fmt: skip
CREATE = "CREATE TABLE t (id INTEGER, year INTEGER, seq INTEGER, data TEXT, at TEXT, due TEXT)"


def queries(d: Dialect) -> dict[str, tuple[str, tuple[Any, ...]]]:
    return {
        "json_text": (f"SELECT id, {d.json_text('data', 'to')} FROM t ORDER BY id", ()),
        "json_nested": (f"SELECT {d.json_text('data', 'imported.fingerprint')} FROM t ORDER BY id", ()),
        "day_after": (f"SELECT id FROM t WHERE at < {d.day_after('?')} ORDER BY id", ("2026-11-02",)),
        "day_after_value": (f"SELECT {d.day_after('at')} FROM t ORDER BY id", ()),
        "days_between": (f"SELECT {d.days_between('due', '?')} FROM t ORDER BY id", ("2026-11-23",)),
        "case_no": (f"SELECT {d.case_no('year', 'seq')} FROM t ORDER BY id", ()),
        "greatest": (f"SELECT {d.greatest('seq', '?')} FROM t ORDER BY id", (10,)),
        "concat_all": (f"SELECT {d.concat_all('seq', chr(39) + ',' + chr(39))} FROM (SELECT seq FROM t ORDER BY id) s", ()),
        "in_json_list": (f"SELECT id FROM t WHERE {d.in_json_list('id', integers=True)} ORDER BY id", ("[1, 3]",)),
        "in_json_texts": (f"SELECT id FROM t WHERE {d.in_json_list('at')} ORDER BY id", ('["2026-12-31"]',)),
        "literal_percent": ("SELECT id FROM t WHERE at LIKE '2026%' AND seq > ? ORDER BY id", (0,)),
        "named": ("SELECT id FROM t WHERE year = :year ORDER BY id", ({"year": 2026},)),
    }  # fmt: skip


def test_fragments_agree(pg_dsn: str) -> None:
    lite = sqlite3.connect(":memory:")
    lite.execute(CREATE)
    lite.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    with psycopg.connect(pg_dsn, autocommit=True) as pg:
        pg.execute(CREATE)
        with pg.cursor() as cur:
            cur.executemany(translate("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)"), ROWS)
        lite_queries, pg_queries = queries(SQLITE), queries(POSTGRES)
        for name, (sql, params) in lite_queries.items():
            pg_sql, pg_params = pg_queries[name]
            params_lite = params[0] if params and isinstance(params[0], dict) else params
            params_pg = pg_params[0] if pg_params and isinstance(pg_params[0], dict) else pg_params
            want = [tuple(row) for row in lite.execute(sql, params_lite)]
            have = [tuple(row) for row in pg.execute(translate(pg_sql).encode(), params_pg)]
            assert have == want, (name, want, have)


def test_translate_keeps_literals_casts_and_comments() -> None:
    sql = "SELECT a::text, '?:x%' FROM t WHERE b = ? AND c = :day -- why? 100%\n AND d LIKE '%'"
    assert translate(sql) == (
        "SELECT a::text, '?:x%%' FROM t WHERE b = %s AND c = %(day)s -- why? 100%%\n"
        " AND d LIKE '%%'"
    )
