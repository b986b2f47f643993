"""The ledger file: where it lives, how it is opened, and how a write is made atomic.

The hot path uses the standard `sqlite3` module directly: importing sqlite-utils costs
about 110 ms, more than a whole `xinfang show` may take. sqlite-utils is used by the
bulk and inspection commands, which import it themselves.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xinfang.core.errors import XinfangError
from xinfang.store.files import disk_error, disk_full, read_only, storage_problem

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """`$XINFANG_DB`, else `$XDG_DATA_HOME/xinfang/xinfang.db`, else ~/.local/share/…"""
    explicit = os.environ.get("XINFANG_DB")
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "xinfang" / "xinfang.db"


def resolve_path(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_path()


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite touches it: it holds personal
    data. SQLite gives its -wal and -shm files the same mode as the database file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


SCHEMA_VERSION = 7  # = migrations.LATEST (a test checks); known here to skip importing them


def connect(path: str | Path | None = None, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating if needed) the ledger and return a connection in
    autocommit mode; writes go through `transaction()`."""
    db_path = resolve_path(path)
    if not db_path.exists():
        if not create:
            raise XinfangError(f"台账文件不存在：{db_path}")
        try:
            _create_private_file(db_path)
        except OSError as error:
            raise disk_error(error, db_path) from None
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            from xinfang.store import migrations  # only when the file is new or older

            migrations.migrate(conn)
    except sqlite3.DatabaseError as error:
        # A healthy ledger on a full or read-only disk is not "damaged": say what is wrong.
        raise explain(error, db_path) or XinfangError(
            f"无法打开台账文件 {db_path}：{error}（不是 xinfang 台账或已损坏）"
        ) from None
    return conn


def explain(error: sqlite3.Error, path: Path | None) -> XinfangError | None:
    """The disk behind an SQLite error, if that is what it is: full, or read-only. SQLite
    says only "disk I/O error" or "unable to open database file" when it cannot create or
    grow the -wal and -shm files, so the disk itself is looked at."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code
    if code == sqlite3.SQLITE_FULL:
        return disk_full(path or "台账")
    if code == sqlite3.SQLITE_READONLY:
        return read_only(path, "台账")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and path is not None:
        return storage_problem(path)
    return None


def ledger_path(conn: sqlite3.Connection) -> Path:
    return Path(next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One user action = one transaction. BEGIN IMMEDIATE takes the write lock up front,
    so a concurrent writer (cron) makes us wait for the busy timeout instead of failing
    with "database is locked" halfway through, as a deferred BEGIN would."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        problem = explain(error, ledger_path(conn))
        if problem is None:
            raise
        if conn.in_transaction:  # a COMMIT that failed leaves the transaction open
            conn.execute("ROLLBACK")
        raise problem from None
