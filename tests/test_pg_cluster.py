"""The throwaway cluster itself: it starts, answers, and has what the store needs."""

from __future__ import annotations

from typing import Any


def test_cluster_answers_with_trigram_search(pg_dsn: str, pg_cluster: Any) -> None:
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        assert version is not None and int(version[0]) >= 150000
        conn.execute("CREATE EXTENSION pg_trgm")
        row = conn.execute("SELECT similarity('反映低保评定不公', '低保评定')").fetchone()
        assert row is not None and row[0] > 0
    assert str(pg_cluster.directory).startswith("/")
    print("cluster timings (s):", {k: round(v, 2) for k, v in pg_cluster.timings.items()})
