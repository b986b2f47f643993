"""Backups with SQLite's online backup API: a consistent copy while the clerk and cron
keep working, dated, private (0600), checked after writing, the last N kept. A backup's
name carries the ledger's office id, and pruning removes only this ledger's own: two
offices' `xinfang.db` may share a USB folder.

A restore takes only a file whose schema is exactly what its version must have (shape.py),
brings a copy of it forward to the current version, and only then keeps the current
ledger aside and replaces it; the clerk is told where the previous ledger was kept.

(Only the database: the files folder beside it — attachments and archived case files —
is copied with ordinary tools; see README "Backups".)"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xinfang.core import settings
from xinfang.core.clock.dates import now
from xinfang.core.errors import XinfangError
from xinfang.core.progress import COPY, Progress
from xinfang.store import migrations, shape

_OFFICE_IN_NAME = 8  # hex digits of the office id a backup's name carries


def _main_path(conn: sqlite3.Connection) -> Path:
    return Path(next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"))


def default_dir(conn: sqlite3.Connection) -> Path:
    path = _main_path(conn)
    return path.parent / f"{path.stem}-backups"


BACKUP_STEP = 4096  # pages copied between progress reports (16 MB at 4 KB pages)


def _copy(source: sqlite3.Connection, target: Path, progress: Progress | None = None) -> None:
    publish(target, lambda partial: _fill(source, partial, progress))


def publish(target: Path, write: Callable[[Path], None]) -> None:
    """Write a new private file, and check it (`write` does both). It is written under a
    temporary name and renamed once checked, so nobody (a pruning backup run, a restore)
    ever sees half a copy."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        write(partial)
        os.link(partial, target)  # fails if the name was taken meanwhile: never overwrites
    finally:
        partial.unlink(missing_ok=True)


def _copy_dated(
    source: sqlite3.Connection, folder: Path, stem: str, progress: Progress | None = None
) -> Path:
    return dated(folder, stem, lambda partial: _fill(source, partial, progress))


def dated(folder: Path, stem: str, write: Callable[[Path], None], suffix: str = ".db") -> Path:
    """A new file named stem-YYYYmmdd-HHMMSS.db; two in the same second (cron and the clerk)
    take the next free name."""
    stamp = now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        name = f"{stem}-{stamp}" if number == 1 else f"{stem}-{stamp}-{number}"
        try:
            publish(folder / f"{name}{suffix}", write)
            return folder / f"{name}{suffix}"
        except FileExistsError:
            continue
    raise XinfangError(f"{folder} 中同一秒内的副本过多，请稍后再试")


def _fill(source: sqlite3.Connection, target: Path, progress: Progress | None = None) -> None:
    copy = sqlite3.connect(target)
    try:
        if progress is None:
            source.backup(copy)
        else:  # in steps, to tell how far it has got

            def step(_status: int, remaining: int, total: int) -> None:
                progress(COPY, total - remaining, total)

            source.backup(copy, pages=BACKUP_STEP, progress=step)
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


def backup(
    conn: sqlite3.Connection,
    folder: Path | None = None,
    *,
    keep: int = 30,
    progress: Progress | None = None,
) -> BackedUp:
    target_dir = make_dir(folder or default_dir(conn), keep)
    office = settings.office_id(conn)
    short = office[:_OFFICE_IN_NAME]
    target = _copy_dated(conn, target_dir, f"{_main_path(conn).stem}-{short}", progress)
    return BackedUp(target, prune(target_dir, short, lambda old: _holds(old, office), keep))


def make_dir(folder: Path, keep: int) -> Path:
    """The backup folder (0700), made if need be; `keep` checked first."""
    if keep < 1:
        raise XinfangError("保留份数至少为 1")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise XinfangError(f"无法创建备份目录 {folder}：{error.strerror}") from None
    return folder


def prune(
    folder: Path, short: str, holds: Callable[[Path], bool], keep: int, suffix: str = ".db"
) -> list[Path]:
    """Keep the newest `keep` backups of this ledger: named with its id and holding it
    (another ledger's are never touched, whatever their names). Another backup run may
    be pruning at the same moment: a file that is already gone is simply skipped."""
    dated = []
    for path in folder.glob(f"*-{short}-????????-??????*{suffix}"):
        try:
            dated.append((path.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:
            continue
    dated.sort()
    removed = []
    for _, _, old in dated[: max(len(dated) - keep, 0)]:
        if holds(old):
            old.unlink(missing_ok=True)
            removed.append(old)
    return removed


def _holds(path: Path, office: str) -> bool:
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(settings.get(probe, "office_id") == office)
        finally:
            probe.close()
    except sqlite3.Error:  # gone meanwhile, or not a ledger: not ours to remove
        return False


def check(path: Path) -> int:
    """Is this file a sound xinfang ledger, shaped as its version must be? Returns its
    schema version."""
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
            differs = shape.differences(probe, version) if 0 < version <= migrations.LATEST else []
        finally:
            probe.close()
    except sqlite3.DatabaseError as error:
        raise XinfangError(f"{path} 不是可用的台账文件：{error}") from None
    if result != "ok":
        raise XinfangError(f"{path} 校验未通过：{result}")
    if not {"cases", "events", "settings"} <= tables or not 0 < version <= migrations.LATEST:
        raise XinfangError(f"{path} 不是 xinfang 台账（或版本 {version} 不受支持）")
    if differs:
        shown = "、".join(differs[:6]) + (f" 等 {len(differs)} 处" if len(differs) > 6 else "")
        raise XinfangError(
            f"{path} 的结构与第 {version} 版 xinfang 台账应有的不符（{shown}），不能恢复"
        )
    return int(version)


@dataclass(frozen=True)
class Restored:
    ledger: Path
    kept_aside: Path
    version: int  # of the file restored, before it was brought forward


def restore(conn: sqlite3.Connection, source: Path) -> Restored:
    """Replace the ledger with a checked backup, brought forward to the current version
    first; the current ledger is kept aside just before it is replaced."""
    version = check(source)
    ledger = _main_path(conn)
    staged = ledger.with_name(f".{ledger.name}.{os.getpid()}.restoring")
    fd = os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        copy = sqlite3.connect(staged, isolation_level=None)
        try:
            incoming = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                incoming.backup(copy)
            finally:
                incoming.close()
            _bring_forward(copy, source)
            aside = _copy_dated(conn, ledger.parent, f"{ledger.stem}-before-restore")
            try:
                _replace(conn, copy)
            except (sqlite3.Error, OSError) as error:
                raise XinfangError(f"恢复未完成（{error}）；恢复前的台账已另存为 {aside}") from None
        finally:
            copy.close()
    finally:
        for leftover in (staged, staged.with_name(f"{staged.name}-journal")):
            leftover.unlink(missing_ok=True)
    return Restored(ledger, aside, version)


def _bring_forward(copy: sqlite3.Connection, source: Path) -> None:
    try:
        migrations.migrate(copy)
    except (sqlite3.Error, XinfangError) as error:
        raise XinfangError(f"{source} 无法升级到当前版本（{error}），不能恢复") from None
    differs = shape.differences(copy, migrations.LATEST)
    if differs:  # cannot happen for a file that passed check(); a last look all the same
        raise XinfangError(f"{source} 升级后的结构不符（{'、'.join(differs[:6])}），不能恢复")


def _replace(conn: sqlite3.Connection, staged: sqlite3.Connection) -> None:
    # The backup API copies page by page under the destination's write lock, so a
    # reader never sees half a ledger.
    staged.backup(conn)
