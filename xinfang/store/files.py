"""Every file xinfang writes goes through here. It holds personal data, so it is created
0600 (its folders 0700) whatever the umask; it is written under a temporary name in the
same folder and takes its real name only once complete and on disk, so a full disk, a
crash or a refused action never leaves half a file under the name the clerk asked for.
What went wrong on the disk (full, read-only, no permission) becomes one Chinese line."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from xinfang.core.errors import InvalidInput, XinfangError, shorten

FILE_MODE = 0o600
DIR_MODE = 0o700
LOW_SPACE = 1 << 20  # below this much free space a failing disk is taken to be full
_NAME_KEPT = 40  # characters of the target's name kept in the temporary one


def _where(path: Path | str | None) -> str:
    return f" {shorten(path, 200)}" if path else ""


def disk_full(path: Path | str | None) -> XinfangError:
    return XinfangError(f"磁盘已满，无法写入{_where(path)}；请清理磁盘空间后重试")


def read_only(path: Path | str | None, what: str = "文件") -> XinfangError:
    """Which of the three it is: a disk mounted read-only, a folder or a file the user
    may not write (`what` when the path is not known)."""
    if path is None:
        return XinfangError(f"{what}或其所在目录是只读的（没有写入权限，或磁盘只读挂载），无法写入")
    target = Path(path)
    folder = target if target.is_dir() else target.parent
    try:
        mounted_ro = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        mounted_ro = False
    if mounted_ro:
        return XinfangError(
            f"{shorten(folder, 200)} 所在的磁盘是只读挂载的，无法写入{_where(path)}"
        )
    if target.exists() and not target.is_dir() and not os.access(target, os.W_OK):
        return XinfangError(f"{shorten(path, 200)} 是只读文件（没有写入权限），无法写入")
    return XinfangError(
        f"目录 {shorten(folder, 200)} 是只读的（没有写入权限），无法写入 {target.name}"
    )


def disk_error(error: OSError, path: Path | str | None = None) -> XinfangError:
    """An OSError as the clerk should read it; `path` is what was being written (the
    error's own file name wins when it names another file, such as a source)."""
    named = error.filename if isinstance(error.filename, str) else None
    if named and path and Path(named).name.endswith(".part"):
        named = None  # the temporary name means nothing to the clerk
    where = named or path
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path or where)
    if error.errno in (errno.EACCES, errno.EPERM) and named and path and Path(named) != Path(path):
        return XinfangError(f"没有权限读取 {shorten(named, 200)}")  # a source, not the output
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return read_only(where)
    if error.errno == errno.ENOENT and where:
        return XinfangError(f"{shorten(where, 200)} 不存在（或其所在目录不存在）")
    doing = "无法写入" if path else "无法读写"
    return XinfangError(f"{doing}{_where(where)}：{error.strerror or error}")


def storage_problem(path: Path) -> XinfangError | None:
    """Why a file in this folder may fail for reasons of the disk, or None. SQLite says
    only "disk I/O error" when it cannot grow its files on a full disk."""
    import shutil

    folder = path.parent
    try:
        if shutil.disk_usage(folder).free < LOW_SPACE:
            return disk_full(path)
        if os.statvfs(folder).f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
            return read_only(path)
        if path.exists() and not os.access(path, os.W_OK):
            return read_only(path)
    except OSError:
        return None
    return None


def check_target(path: Path, *, force: bool, suffixes: Sequence[str]) -> None:
    """Refuse before anything is recorded: a file the command would fail to write."""
    if path.suffix.lower() not in suffixes:
        raise InvalidInput(
            "输出文件", f"{shorten(path.name, 200)} 的扩展名只能是 {'、'.join(suffixes)}"
        )
    try:
        if path.is_dir():
            raise InvalidInput("输出文件", f"{shorten(path, 200)} 是一个目录")
        if path.exists() and not force:
            raise InvalidInput("输出文件", f"{shorten(path, 200)} 已存在；如要覆盖请加 --force")
        if not path.parent.is_dir():
            raise InvalidInput("输出文件", f"目录 {shorten(path.parent, 200)} 不存在")
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        raise InvalidInput("输出文件", f"“{shorten(path, 200)}”不是可用的文件名") from None


@contextmanager
def private_output(path: Path) -> Iterator[Path]:
    """`with private_output(target) as partial:` write `partial` (any way: open, openpyxl,
    zipfile); on success it is synced and renamed over `target`, on any error removed."""
    import tempfile  # not on the path of the commands that write nothing

    if path.exists() and not path.is_dir() and not os.access(path, os.W_OK):
        raise read_only(path)  # the clerk made it read-only: --force does not overrule that
    try:
        handle, name = tempfile.mkstemp(  # O_EXCL, mode 0600 whatever the umask
            prefix=f".{path.name[:_NAME_KEPT]}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise disk_error(error, path) from None
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        _sync(partial)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise disk_error(error, path) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync(path.parent)


def _sync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError:
        if not path.is_dir():  # some file systems cannot sync a folder; a file must sync
            raise
    finally:
        os.close(handle)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes | memoryview) -> None:
    """For the libraries that write their own zip (openpyxl, python-docx): they write into
    memory and this to the disk. Given the file, on a full disk their half-written zip
    objects would print tracebacks to the terminal as they are collected."""
    with private_output(path) as partial:
        partial.write_bytes(data)


def copy_private(source: Path, target: Path) -> None:
    import shutil

    with private_output(target) as partial:
        shutil.copyfile(source, partial)


def private_dir(base: Path, *parts: str) -> Path:
    """`base/parts…` made and kept 0700 whatever the umask, each folder on the way from
    `base` down (mkdir's mode reaches only the last folder, and not one that already
    exists, as one left open by an older xinfang); returns the last."""
    missing = [folder for folder in base.parents if not folder.exists()]
    path = base.joinpath(*parts)
    levels = [base.joinpath(*parts[:count]) for count in range(len(parts) + 1)]
    try:
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        for folder in [*missing, *levels]:
            if stat.S_IMODE(folder.stat().st_mode) != DIR_MODE:
                os.chmod(folder, DIR_MODE)
    except OSError as error:
        raise disk_error(error, path) from None
    return path
