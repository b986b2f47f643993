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
from typing import cast

from xinfang.core.errors import XinfangError
from xinfang.store.files import disk_error, disk_full, private_dir, read_only, storage_problem

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """`$XINFANG_DB`, else `$XDG_DATA_HOME/xinfang/xinfang.db`, else ~/.local/share/…"""
    explicit = os.environ.get("XINFANG_DB")
    if explicit:
        return Path(explicit).expanduser()
    return data_dir() / "xinfang.db"


def is_dsn(target: str | Path | None) -> bool:
    """Whether a --db / XINFANG_DB value names a PostgreSQL database, not a file (kept here,
    not in store/pg.py, so that opening a town's file loads nothing of PostgreSQL)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def data_dir() -> Path:
    """`$XDG_DATA_HOME/xinfang`, else ~/.local/share/xinfang: the ledger's and backups' home."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "xinfang"


def resolve_path(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_path()


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")


def _create(path: Path) -> None:
    """Make a whole new ledger under a temporary name, private (0600: it will hold personal
    data; SQLite gives its -wal and -shm files the same mode), and link it in under its
    name: the name never shows an empty or half-made ledger, so an empty file there is never
    xinfang's own. Two first commands at once each make one; the first link wins, and the
    other opens that one."""
    from xinfang.store import migrations  # only when the file is new

    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.new")
    partial.unlink(missing_ok=True)  # left by a crashed run that had our process id
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            _configure(conn)
            migrations.migrate(conn)
        finally:
            conn.close()
        try:
            os.link(partial, path)
        except FileExistsError:
            pass  # another xinfang made it first: use theirs
        except OSError:  # a file system without hard links (FAT, some shares)
            _copy_new(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(f"{partial.name}-journal").unlink(missing_ok=True)


def _copy_new(source: Path, target: Path) -> None:
    """Copy into a name nobody holds yet; if somebody does, theirs is the ledger. (Only
    here can another command see the name empty for a moment: it refuses, and a retry
    works.)"""
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)  # no half ledger under its name
        raise


SCHEMA_VERSION = 12  # = migrations.LATEST (a test checks); known here to skip importing them


def connect(path: str | Path | None = None, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating if needed) the ledger and return a connection in
    autocommit mode; writes go through `transaction()`. A postgresql:// address opens the
    county ledger instead (store/pg_ledger.py: the same subset of sqlite3)."""
    target = path if path is not None else os.environ.get("XINFANG_DB")
    if is_dsn(target):
        from xinfang.store import pg_ledger

        return cast(sqlite3.Connection, pg_ledger.connect(str(target)))
    db_path = resolve_path(path)
    if not db_path.exists():
        if not create:
            raise XinfangError(f"台账文件不存在：{db_path}")
        try:
            _create(db_path)
        except OSError as error:
            raise disk_error(error, db_path) from None
        except sqlite3.Error as error:
            raise explain(error, db_path) or XinfangError(
                f"无法创建台账文件 {db_path}：{error}"
            ) from None
    elif db_path.is_file() and db_path.stat().st_size == 0:
        # Never a ledger xinfang made (see _create): a ledger emptied, or a copy that
        # never arrived. Filling it would hide that behind a new, empty ledger.
        raise XinfangError(
            f"台账文件 {db_path} 是空文件（0 字节），不是 xinfang 台账，可能已被清空或未复制完整；"
            "请先移走这个空文件，再从备份恢复（xinfang restore 备份文件）或新建台账"
        )
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        _configure(conn)
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
    """The ledger's file. For the county's database, a name on this machine: the files a
    clerk keeps beside the ledger (attachments, archived case folders) stay on this machine."""
    local = getattr(conn, "local_path", None)
    if local is not None:
        return Path(local)
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
