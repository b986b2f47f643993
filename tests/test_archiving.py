"""The core plans and records the case file (xinfang/core/life/archiving.py); the binder only
writes it. With a binder of plain text files the plan, the manifest and the all-or-nothing
transaction are seen without any template."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import REGISTER, advance

from xinfang.core.errors import InvalidInput
from xinfang.core.life import archiving
from xinfang.core.life.files import sha256
from xinfang.store.db import connect

CASE = "2026-0001"


class TextFolder:
    """Each entry a one-line text file; `fail` names the step that breaks."""

    fail = ""
    discarded: ClassVar[list[bool]] = []

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.folder = folder
        self.staging = folder.parent / f".{folder.name}.tmp"
        self.staging.mkdir(parents=True)
        self.written: list[Path] = []

    def write(self, entry: archiving.Entry, context: Mapping[str, Any]) -> Path:
        target = self.staging / f"{entry.stem}.txt"
        target.write_text(f"{entry.section} {entry.pages} {context['case_no']}", "utf-8")
        self.written.append(target)
        return target

    def count(self, paths: list[Path]) -> tuple[list[int], str]:
        return [1] * len(paths), "每件一页"

    def publish(self) -> list[Path]:
        self.staging.rename(self.folder)
        # The cover and catalogue are written last (after the pages are counted), filed first.
        ordered = sorted(self.written, key=lambda path: not path.name.startswith("0"))
        return [self.folder / path.name for path in ordered]

    def bundle(self) -> Path:
        if self.fail == "bundle":
            raise OSError("disk full")
        return self.folder.with_suffix(".zip")

    def discard(self, *, keep_published: bool) -> None:
        TextFolder.discarded.append(keep_published)


@pytest.fixture
def closed(run, db_path):
    run(*REGISTER)
    advance(run, CASE, "close")
    TextFolder.fail, TextFolder.discarded = "", []
    return connect(db_path)


def test_the_core_plans_and_records_the_case_file(closed):
    done = archiving.archive(closed, CASE, retention="10年", binder=TextFolder, on="2026-11-16")
    assert [path.stem for path in done.files] == [
        "00 案卷封面", "01 案卷目录", "1-01 受理登记表", "3-02 受理告知书", "4-03 交办单",
        "5-04 处理意见答复书", "6-05 结案审批表", "7-06 回访及满意度调查表",
    ]  # fmt: skip
    assert done.pages == 6
    rows = closed.execute("SELECT path, sha256 FROM archive_files ORDER BY position").fetchall()
    base = done.folder.parent.parent
    assert [(base / path, digest) for path, digest in rows] == [
        (path, sha256(path)) for path in done.files
    ]
    assert closed.execute("SELECT status FROM cases").fetchone()[0] == "archived"
    assert TextFolder.discarded == []


@pytest.mark.parametrize(
    ("fail", "retention", "error"),
    [("bundle", "10年", OSError), ("", "九年", InvalidInput)],
)
def test_a_failed_archive_records_nothing(closed, fail, retention, error):
    TextFolder.fail = fail
    with pytest.raises(error):
        archiving.archive(closed, CASE, retention=retention, binder=TextFolder, on="2026-11-16")
    assert closed.execute("SELECT count(*) FROM archive_files").fetchone()[0] == 0
    assert closed.execute("SELECT status FROM cases").fetchone()[0] == "closed"
    assert TextFolder.discarded == [False]  # the binder is told to remove all it wrote
