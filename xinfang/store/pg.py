"""The county ledger on PostgreSQL: creating its schema, and the offices and roles that give
each office its lane (schema-pg.sql holds the rules; this module only fills them in).

psycopg is imported here and nowhere on the SQLite path: a town's clerk needs none of it
(`pip install 'xinfang[postgres]'` for a county). See store/dialect.py for the design.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from xinfang.core.errors import InvalidInput, XinfangError

if TYPE_CHECKING:
    import psycopg

# A role name xinfang creates: plain lower-case letters, digits and _ (quoted anyway).
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def is_dsn(target: str | Path | None) -> bool:
    """Whether a --db / XINFANG_DB value names a PostgreSQL database, not a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def driver() -> object:
    """psycopg, or a clear error where the extra is not installed."""
    try:
        import psycopg
    except ImportError:
        raise XinfangError(
            "使用 PostgreSQL 台账需要安装 psycopg：pip install 'xinfang[postgres]'"
        ) from None
    return psycopg


def schema_sql() -> str:
    """schema-pg.sql: inside the installed package, or at the top of a checkout."""
    packaged = resources.files("xinfang").joinpath("schema-pg.sql")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "schema-pg.sql").read_text(encoding="utf-8")


def install(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Create the whole schema in an empty database, in one transaction (as its owner)."""
    with conn.transaction():
        conn.execute(schema_sql().encode())


def add_office(conn: psycopg.Connection[tuple[object, ...]], office_id: str, name: str) -> None:
    """An office sharing the ledger (as the database's owner)."""
    if not office_id.strip() or not name.strip():
        raise InvalidInput("单位", "单位标识和名称都不能为空")
    with conn.transaction():
        conn.execute("INSERT INTO offices (office_id, name) VALUES (%s, %s)", (office_id, name))


def grant(
    conn: psycopg.Connection[tuple[object, ...]],
    role: str,
    office_id: str,
    *,
    sees_all: bool = False,
    login: bool = True,
) -> None:
    """Make `role` a clerk of `office_id`: created if new (LOGIN; its password, or a
    certificate, is the administrator's to set), a member of xinfang_clerk, in the office's
    lane; `sees_all` for the county's role."""
    if not _ROLE.match(role):
        raise InvalidInput("角色", f"“{role}”不是可用的角色名：只用小写字母、数字和下划线")
    from psycopg import sql

    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE ROLE {} {}").format(
                    sql.Identifier(role), sql.SQL("LOGIN" if login else "NOLOGIN")
                )
            )
        conn.execute(sql.SQL("GRANT xinfang_clerk TO {}").format(sql.Identifier(role)))
        conn.execute(
            "INSERT INTO office_roles (role_name, office_id, sees_all) VALUES (%s, %s, %s) "
            "ON CONFLICT (role_name) DO UPDATE "
            "SET office_id = excluded.office_id, sees_all = excluded.sees_all",
            (role, office_id, sees_all),
        )
