"""A bundle's zip read without trusting it: only `bundle.json` and
`attachments/<case number>/<file>` may be in it (no links, no folders of their own, no
name twice), every size is bounded before reading and again while reading (a header can
lie), and the files are staged in a private folder beside the ledger's files folder and
moved into place only when the merge's transaction is about to commit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from xinfang.core.errors import XinfangError, shorten
from xinfang.store.files import disk_error, private_dir

MANIFEST = "bundle.json"
FOLDER = "attachments"
MANIFEST_LIMIT = 64 << 20  # a town's year is a few MB; 10,000 cases a month, 30 MB
# Objects, lists and items in it, counted before parsing: parsed, each costs ~100 bytes
# (30 MB of real cases hold 1.1 million).
NODES_LIMIT = 3_000_000
FILE_LIMIT = 256 << 20  # one scan, photo or recording
FILES_LIMIT = 2 << 30  # all the files of one merge
MEMBERS_LIMIT = 100_000
SPARE = 256 << 20  # left free on the disk after the files are written
_BLOCK = 1 << 20


class Refused(XinfangError):
    """What is wrong with one bundle; the merge names the bundle in front of it."""


@dataclass
class Archive:
    path: Path
    manifest: Any
    files: dict[tuple[str, str], zipfile.ZipInfo] = field(default_factory=dict)


def _corrupt() -> Refused:
    return Refused("不是 xinfang 汇总包（xinfang bundle 生成的 .zip），或已损坏")


def open_bundle(path: Path) -> Archive:
    """The manifest (parsed JSON, checked by bundle_check) and the listed files."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            files = _members(members)
            info = next((m for m in members if m.filename == MANIFEST), None)
            if info is None:
                raise _corrupt()
            if info.file_size > MANIFEST_LIMIT:
                raise Refused(
                    f"{MANIFEST} 解压后过大（{info.file_size >> 20} MB，最多 {MANIFEST_LIMIT >> 20} MB）"
                )
            with archive.open(info) as stream:
                raw = stream.read(MANIFEST_LIMIT + 1)
            if len(raw) > MANIFEST_LIMIT:  # the header said less
                raise Refused(f"{MANIFEST} 解压后过大（最多 {MANIFEST_LIMIT >> 20} MB）")
    except FileNotFoundError:
        raise Refused("文件不存在") from None
    except IsADirectoryError:
        raise Refused("是文件夹，不是汇总包") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError):
        raise _corrupt() from None
    nodes = raw.count(b"{") + raw.count(b"[") + raw.count(b",")
    if nodes > NODES_LIMIT:
        raise Refused(f"{MANIFEST} 的条目过多（约 {nodes} 个，最多 {NODES_LIMIT} 个）")
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(f"{MANIFEST} 不是有效的 JSON（UTF-8）") from None
    return Archive(path, manifest, files)


def _members(members: list[zipfile.ZipInfo]) -> dict[tuple[str, str], zipfile.ZipInfo]:
    """(case number, file name) -> member, for every member but the manifest."""
    if len(members) > MEMBERS_LIMIT:
        raise Refused(f"文件过多（{len(members)} 个）")
    seen: set[str] = set()
    files: dict[tuple[str, str], zipfile.ZipInfo] = {}
    for info in members:
        name = info.filename
        if name in seen:
            raise Refused(f"“{shorten(name)}”出现了两次")
        seen.add(name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode) or info.flag_bits & 0x1:
            raise Refused(f"“{shorten(name)}”是链接或加密文件，不能汇入")
        if name == MANIFEST:
            continue
        parts = name.split("/")
        if (
            len(parts) != 3
            or parts[0] != FOLDER
            or not all(parts)
            or "\\" in name
            or any(part in (".", "..") for part in parts)
        ):
            raise Refused(f"含有不该有的文件“{shorten(name)}”")
        if info.file_size > FILE_LIMIT:
            raise Refused(
                f"材料“{shorten(parts[2])}”解压后过大（{info.file_size >> 20} MB，"
                f"每个最多 {FILE_LIMIT >> 20} MB）"
            )
        files[(parts[1], parts[2])] = info
    return files


@dataclass(frozen=True)
class Staged:
    path: Path  # in the staging folder
    size: int


class Staging:
    """Files taken out of bundles into a private folder beside the ledger's files folder
    (the same disk, so that placing them is a rename), removed whatever happens."""

    def __init__(self, files_dir: Path) -> None:
        self.files_dir = files_dir
        self.folder: Path | None = None
        self.placed: list[Path] = []

    def check_room(self, total: int) -> None:
        if total > FILES_LIMIT:
            raise XinfangError(
                f"汇总包中的材料共 {total >> 20} MB，超过一次汇入的上限 {FILES_LIMIT >> 20} MB；请分批汇入"
            )
        if total:
            parent = private_dir(self.files_dir.parent)
            free = shutil.disk_usage(parent).free
            if total + SPARE > free:
                raise XinfangError(f"磁盘空间不足：材料共 {total >> 20} MB，可用 {free >> 20} MB")

    def stage(self, path: Path, info: zipfile.ZipInfo, size: int | None, digest: str) -> Staged:
        """One member copied out, its size and sha256 checked against the manifest's as it
        streams (never more than the manifest and the zip both say)."""
        name = info.filename.rsplit("/", 1)[-1]
        limit = min(info.file_size, FILE_LIMIT if size is None else size)
        target = self._next_path()
        hashed = hashlib.sha256()
        written = 0
        with _private_file(target) as out:
            try:
                with zipfile.ZipFile(path) as archive, archive.open(info) as source:
                    for block in iter(lambda: source.read(_BLOCK), b""):
                        written += len(block)
                        if written > limit:
                            raise Refused(f"材料“{shorten(name)}”比清单所列的大")
                        hashed.update(block)
                        _write(out, block)
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
                    RuntimeError):  # fmt: skip
                raise _corrupt() from None
        if size is not None and written != size:
            raise Refused(
                f"材料“{shorten(name)}”的大小（{written} 字节）与清单所列（{size} 字节）不符"
            )
        if hashed.hexdigest() != digest:
            raise Refused(f"材料“{shorten(name)}”的校验值（sha256）与清单不符，文件已被改动或损坏")
        return Staged(target, written)

    def _next_path(self) -> Path:
        try:
            if self.folder is None:
                parent = private_dir(self.files_dir.parent)
                prefix = f".{self.files_dir.name}-merge-"
                self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            return self.folder / f"{len(list(self.folder.iterdir())):06d}"
        except OSError as error:
            raise XinfangError(f"无法暂存材料：{error.strerror}") from None

    def place(self, moves: list[tuple[Path, Path]]) -> None:
        """Move staged files to their places, none over an existing file; on failure the
        ones already moved go back out."""
        try:
            for source, target in moves:
                private_dir(target.parent)
                if target.exists():
                    raise XinfangError(f"材料文件 {target} 已存在，未覆盖")
                source.rename(target)
                self.placed.append(target)
        except OSError as error:
            self.unplace()
            raise XinfangError(f"无法放置材料文件：{error.strerror}") from None
        except BaseException:
            self.unplace()
            raise

    def unplace(self) -> None:
        for placed in self.placed:
            placed.unlink(missing_ok=True)
        self.placed = []

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise disk_error(error, path) from None
    handle = os.fdopen(fd, "wb")
    try:
        yield handle
    finally:
        try:
            handle.close()  # the last block is written here
        except OSError as error:
            raise disk_error(error, path) from None


def _write(out: IO[bytes], block: bytes) -> None:
    """Written, or a line saying why not (a full disk is not a broken bundle)."""
    try:
        out.write(block)
    except OSError as error:
        raise disk_error(error, Path(out.name)) from None
