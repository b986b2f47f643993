"""Backups with SQLite's online backup API: a consistent copy while the clerk and cron
keep working, dated, private (0600), checked after writing, the last N kept. A restore
checks the file first and keeps the current ledger aside before replacing it.

(Only the database: the files folder beside it — attachments and archived case files —
is copied with ordinary tools; see README "Backups".)"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from xinfang.core.dates import now
from xinfang.core.errors import XinfangError
from xinfang.store import migrations


def _main_path(conn: sqlite3.Connection) -> Path:
    return Path(next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"))


def default_dir(conn: sqlite3.Connection) -> Path:
    path = _main_path(conn)
    return path.parent / f"{path.stem}-backups"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live database into a new private file, and check the copy. It is written
    under a temporary name and renamed once checked, so nobody (a pruning backup run, a
    restore) ever sees half a copy."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        _fill(source, partial)
        os.link(partial, target)  # fails if the name was taken meanwhile: never overwrites
    finally:
        partial.unlink(missing_ok=True)


def _fill(source: sqlite3.Connection, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
    if result != "ok":
        raise XinfangError(f"备份文件校验未通过：{result}")


@dataclass(frozen=True)
class BackedUp:
    path: Path
    removed: list[Path]


def backup(conn: sqlite3.Connection, folder: Path | None = None, *, keep: int = 30) -> BackedUp:
    if keep < 1:
        raise XinfangError("保留份数至少为 1")
    target_dir = folder or default_dir(conn)
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise XinfangError(f"无法创建备份目录 {target_dir}：{error.strerror}") from None
    stem = _main_path(conn).stem
    stamp = now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        # Two backups in the same second (cron and the clerk) take the next free name.
        target = target_dir / (
            f"{stem}-{stamp}.db" if number == 1 else f"{stem}-{stamp}-{number}.db"
        )
        try:
            _copy(conn, target)
            break
        except FileExistsError:
            continue
    return BackedUp(target, _prune(target_dir, stem, keep))


def _prune(folder: Path, stem: str, keep: int) -> list[Path]:
    """Keep the newest `keep` backups. Another backup run may be pruning at the same
    moment: a file that is already gone is simply skipped."""
    dated = []
    for path in folder.glob(f"{stem}-????????-??????*.db"):
        try:
            dated.append((path.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:
            continue
    dated.sort()
    removed = [path for _, _, path in dated[: max(len(dated) - keep, 0)]]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


def check(path: Path) -> int:
    """Is this file a sound xinfang ledger? Returns its schema version."""
    if path.is_dir():
        raise XinfangError(f"{path} 是一个目录，不是备份文件；请给出其中的某个 .db 文件")
    if not path.is_file():
        raise XinfangError(f"{path} 不存在")
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = probe.execute("PRAGMA integrity_check").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
        finally:
            probe.close()
    except sqlite3.DatabaseError as error:
        raise XinfangError(f"{path} 不是可用的台账文件：{error}") from None
    if result != "ok":
        raise XinfangError(f"{path} 校验未通过：{result}")
    if not {"cases", "events", "settings"} <= tables or not 0 < version <= migrations.LATEST:
        raise XinfangError(f"{path} 不是 xinfang 台账（或版本 {version} 不受支持）")
    return int(version)


@dataclass(frozen=True)
class Restored:
    ledger: Path
    kept_aside: Path


def restore(conn: sqlite3.Connection, source: Path) -> Restored:
    """Replace the ledger with a checked backup; the current one is kept aside first."""
    check(source)
    ledger = _main_path(conn)
    aside = ledger.parent / f"{ledger.stem}-before-restore-{now():%Y%m%d-%H%M%S}.db"
    _copy(conn, aside)
    incoming = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        # The backup API copies page by page under the destination's write lock, so a
        # reader never sees half a ledger.
        incoming.backup(conn)
    finally:
        incoming.close()
    migrations.migrate(conn)
    return Restored(ledger, aside)
