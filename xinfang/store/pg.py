"""The county ledger on PostgreSQL: creating its schema, and the offices and roles that give
each office its lane (schema-pg.sql holds the rules; this module only fills them in).

psycopg is imported here and nowhere on the SQLite path: a town's clerk needs none of it
(`pip install 'xinfang[postgres]'` for a county). See store/dialect.py for the design.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.store.db import is_dsn

if TYPE_CHECKING:
    import psycopg

# A role name xinfang creates: plain lower-case letters, digits and _ (quoted anyway).
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


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


# What `xinfang office` and `xinfang grant` do: the administrator's side of the county
# ledger, over the database owner's connection (a clerk's role may read offices, no more).


@dataclass(frozen=True)
class Office:
    office_id: str
    name: str
    roles: tuple[str, ...]  # the roles clerking for it; empty where the caller may not see
    sees_all: bool  # one of its roles is the county's


NOT_A_COUNTY = (
    "单位和角色只在县级 PostgreSQL 台账上设置（--db postgresql://…）；"
    "SQLite 台账一个文件就是一个单位，无需添加"
)


def administer(target: str | None) -> psycopg.Connection[tuple[object, ...]]:
    """The owner's connection to the county ledger named by --db / XINFANG_DB; a SQLite
    ledger (a path, or nothing) is refused before anything is opened or created."""
    target = target if target is not None else os.environ.get("XINFANG_DB")
    if not is_dsn(target):
        raise XinfangError(NOT_A_COUNTY)
    psycopg_module: Any = driver()
    try:
        conn: psycopg.Connection[tuple[object, ...]] = psycopg_module.connect(
            target, autocommit=True
        )
    except psycopg_module.OperationalError as error:
        raise XinfangError(f"无法连接县级台账数据库：{str(error).strip()}") from None
    return conn


@contextmanager
def _as_owner(what: str) -> Iterator[None]:
    """A clerk's role doing the administrator's work: one clear line, not a traceback."""
    from psycopg import errors

    try:
        yield
    except errors.InsufficientPrivilege:
        raise XinfangError(
            f"{what}需要县级台账数据库所有者（管理员）的连接；当前连接的角色没有这个权限"
        ) from None


def new_office(
    conn: psycopg.Connection[tuple[object, ...]],
    name: str,
    role: str,
    *,
    county: bool = False,
    office_id: str | None = None,
) -> Office:
    """An office and its clerk's role, in one transaction; the schema first where the
    database is still empty. `office_id`: a town's own (its SQLite ledger's settings
    office_id), so its bundles keep their key; a new one otherwise."""
    from psycopg import errors

    from xinfang.core.exchange.bundle_check import OFFICE_ID

    name = name.strip()
    if office_id is not None and not OFFICE_ID.fullmatch(office_id):
        raise InvalidInput("单位标识", f"“{office_id}”不对：应为 32 位十六进制（见原台账设置）")
    office_id = office_id or uuid.uuid4().hex
    with _as_owner("添加单位"), conn.transaction():
        if conn.execute("SELECT to_regclass('store_version')").fetchone() == (None,):
            install(conn)
        if conn.execute("SELECT 1 FROM offices WHERE name = %s", (name,)).fetchone():
            raise InvalidInput("单位", f"已有名为“{name}”的单位；给它添加角色请用 xinfang grant")
        try:
            add_office(conn, office_id, name)
        except errors.UniqueViolation:
            raise InvalidInput("单位标识", f"单位标识 {office_id} 已被另一个单位使用") from None
        grant(conn, role, office_id, sees_all=county)
    return Office(office_id, name, (role,), county)


def grant_office(
    conn: psycopg.Connection[tuple[object, ...]], role: str, office_name: str
) -> Office:
    """Another clerk's role for an existing office (a role of another office moves here);
    the office's county standing (sees all) goes with it."""
    with _as_owner("分配角色"), conn.transaction():
        found = _find(conn, office_name)
        grant(conn, role, found.office_id, sees_all=found.sees_all)
    return _find(conn, office_name)


def _find(conn: psycopg.Connection[tuple[object, ...]], office_name: str) -> Office:
    for office in offices(conn):
        if office.name == office_name.strip():
            return office
    known = (
        "、".join(office.name for office in offices(conn)) or "（尚无，请先 xinfang office add）"
    )
    raise InvalidInput("单位", f"没有名为“{office_name}”的单位；已有：{known}")


def offices(conn: psycopg.Connection[tuple[object, ...]]) -> list[Office]:
    """Every office by name, with its roles where the connection may read them (the
    owner's); a clerk's role sees the names only."""
    if conn.execute("SELECT to_regclass('offices')").fetchone() == (None,):
        return []
    owner = conn.execute("SELECT has_table_privilege('office_roles', 'SELECT')").fetchone()
    if owner != (True,):
        rows = conn.execute("SELECT office_id, name FROM offices ORDER BY name").fetchall()
        return [Office(str(office_id), str(name), (), False) for office_id, name in rows]
    rows = conn.execute(
        "SELECT o.office_id, o.name, "
        "  coalesce(array_agg(r.role_name ORDER BY r.role_name) "
        "           FILTER (WHERE r.role_name IS NOT NULL), '{}'), "
        "  coalesce(bool_or(r.sees_all), false) "
        "FROM offices o LEFT JOIN office_roles r ON r.office_id = o.office_id "
        "GROUP BY o.office_id, o.name ORDER BY o.name"
    ).fetchall()
    return [
        Office(str(office_id), str(name), tuple(cast(list[str], roles)), bool(sees))
        for office_id, name, roles, sees in rows
    ]
