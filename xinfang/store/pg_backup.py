"""Backups of the county ledger (a postgresql:// ledger) with pg_dump and pg_restore: the
same dated, private (0600), checked, pruned files as a SQLite ledger's (store/backup.py),
in pg_dump's custom format.

A dump holds every office's cases, so it is taken by the database's administrator (a
superuser or a BYPASSRLS role): a clerk's role, kept in its lane by row-level security,
is refused with a clear message rather than given a dump of one lane. Roles belong to the
cluster, not the database: a dump restores with its grants where the same roles exist.

The password never goes on a command line (other users can read those): it is taken out
of the DSN and handed to pg_dump/pg_restore in PGPASSWORD."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang.core.errors import XinfangError
from xinfang.store import backup, pg
from xinfang.store.db import data_dir

SUFFIX = ".dump"
_ID_IN_NAME = 8  # hex digits of the database's identity a backup's name carries
_TIMEOUT = 6 * 3600  # seconds: a county's dump is minutes; a hung server is not forever


def binary(name: str) -> Path:
    """pg_dump or pg_restore: in XINFANG_PG_BIN if set, else on PATH, else the newest
    /usr/lib/postgresql/*/bin (Debian's packages put them there, off PATH)."""
    explicit = os.environ.get("XINFANG_PG_BIN")
    if explicit:
        found = Path(explicit) / name
        if found.is_file() and os.access(found, os.X_OK):
            return found
        raise XinfangError(f"XINFANG_PG_BIN 指定的目录 {explicit} 中没有 {name}")
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if installed:
        return installed[-1]
    raise XinfangError(
        f"找不到 PostgreSQL 的 {name} 程序：请安装 postgresql-client，"
        "或用环境变量 XINFANG_PG_BIN 指定其所在目录"
    )


def _split_password(dsn: str) -> tuple[str, dict[str, str]]:
    """The DSN without its password, and the environment carrying it."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(dsn)
    except Exception as error:  # psycopg.ProgrammingError: a malformed DSN
        raise XinfangError(f"县级台账地址无法解析：{error}") from None
    env = dict(os.environ)
    password = params.pop("password", None)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**{key: str(value) for key, value in params.items()}), env


def _run(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(binary(name)), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"退出码 {done.returncode}"]
        said = next((line for line in lines if "error:" in line), lines[-1])
        raise XinfangError(f"{name} 未能完成：{said}")
    return done


@dataclass(frozen=True)
class Ledger:
    """Where a county ledger is: its database name, and a short id of server and database
    that a backup's name carries (two counties' `xinfang` databases may share a folder)."""

    dbname: str
    short: str
    cases: int | None  # None: the database has no ledger yet


def _probe(dsn: str) -> Ledger:
    psycopg: Any = pg.driver()
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.OperationalError as error:
        raise XinfangError(f"无法连接县级台账数据库：{str(error).strip()}") from None
    with conn:
        dbname = str(conn.info.dbname)
        where = f"{conn.info.host}:{conn.info.port}/{dbname}"
        sees_every_lane = conn.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
        if not sees_every_lane:
            raise XinfangError(
                "备份或恢复县级台账需要数据库管理员的连接（超级用户或 BYPASSRLS 角色）；"
                "各单位经办人的角色只看得到本单位的案件"
            )
        exists = conn.execute("SELECT to_regclass('public.cases') IS NOT NULL").fetchone()[0]
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0] if exists else None
    short = hashlib.sha256(where.encode()).hexdigest()[:_ID_IN_NAME]
    return Ledger(dbname, short, cases)


def default_dir(ledger: Ledger) -> Path:
    """In the data dir, where a SQLite ledger would be, named after the database."""
    return data_dir() / f"{ledger.dbname}-backups"


def _dump(dsn: str, env: dict[str, str], partial: Path) -> None:
    _run("pg_dump", "--format=custom", f"--file={partial}", f"--dbname={dsn}", env=env)
    _dbname_of(partial)  # checked: pg_restore reads back its table of contents


def _dbname_of(path: Path) -> str | None:
    """The database a dump was taken of (from its table of contents), or None where the
    file is not a readable dump."""
    try:
        listed = _run("pg_restore", "--list", str(path), env=dict(os.environ))
    except XinfangError:
        return None
    for line in listed.stdout.splitlines():
        if line.startswith(";") and "dbname:" in line:
            return line.split("dbname:", 1)[1].strip()
    return None


def run_backup(dsn: str, folder: Path | None = None, *, keep: int = 30) -> backup.BackedUp:
    plain, env = _split_password(dsn)
    ledger = _probe(dsn)
    target_dir = backup.make_dir(folder or default_dir(ledger), keep)
    stem = f"{ledger.dbname}-{ledger.short}"
    target = backup.dated(target_dir, stem, lambda part: _dump(plain, env, part), SUFFIX)
    removed = backup.prune(
        target_dir, ledger.short, lambda old: _dbname_of(old) == ledger.dbname, keep, SUFFIX
    )
    return backup.BackedUp(target, removed)


@dataclass(frozen=True)
class Restored:
    dbname: str
    kept_aside: Path | None  # the cases the database held, dumped before they were replaced


def restore(dsn: str, source: Path, *, force: bool = False) -> Restored:
    """Restore a dump into the database: an empty one, or, with force, one whose cases are
    first dumped aside. All or nothing: one transaction, stopping at the first error."""
    if source.is_dir() or not source.is_file():
        raise XinfangError(f"{source} 不存在或不是文件；请给出某个 {SUFFIX} 备份文件")
    if _dbname_of(source) is None:
        raise XinfangError(f"{source} 不是 pg_dump 的备份文件（--format=custom），不能恢复")
    plain, env = _split_password(dsn)
    ledger = _probe(dsn)
    aside = None
    if ledger.cases:
        if not force:
            raise XinfangError(
                f"数据库 {ledger.dbname} 中已有 {ledger.cases} 件案件，恢复会覆盖它们；"
                "确需覆盖请加 --force（覆盖前会先另存一份）"
            )
        folder = backup.make_dir(default_dir(ledger), 1)
        aside = backup.dated(
            folder,
            f"{ledger.dbname}-before-restore",
            lambda part: _dump(plain, env, part),
            SUFFIX,
        )
    replace = ["--clean", "--if-exists"] if ledger.cases is not None else []
    _run(
        "pg_restore", "--single-transaction", "--exit-on-error", *replace,
        f"--dbname={plain}", str(source), env=env,
    )  # fmt: skip
    return Restored(ledger.dbname, aside)
