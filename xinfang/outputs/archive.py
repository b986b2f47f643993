"""The case file (一案一卷) on disk: the core (xinfang/core/life/archiving.py) plans it and
records it; this binder writes it. Each planned entry goes into a hidden staging folder
(a document rendered from its .docx template, an attachment copied); inside the 归档
transaction the folder takes its final name and a .zip of it is written beside it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xinfang.core.life.archiving import Entry
from xinfang.outputs import docx
from xinfang.store.files import copy_private, private_dir, private_output


class CaseFolder:
    """A `xinfang.core.life.archiving.Binder`: the case file as `folder` and `folder`.zip."""

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.conn = conn
        self.final = folder
        self.zip_path = folder.parent / f"{folder.name}.zip"
        base = private_dir(folder.parent)
        case_no = folder.name.split(" ", 1)[0]
        self.staging = base / f".{case_no}.{os.getpid()}.tmp"
        for stale in base.glob(f".{case_no}.*.tmp"):  # left by an archive that was killed
            shutil.rmtree(stale, ignore_errors=True)
        private_dir(self.staging)
        self.written: list[Path] = []

    def write(self, entry: Entry, context: Mapping[str, Any]) -> Path:
        target = self.staging / entry.stem
        if entry.document:
            target = target.with_suffix(".docx")
            docx.render(docx.template_for(self.conn, entry.document), dict(context), target)
        else:
            assert entry.source is not None
            copy_private(entry.source, target)
        self.written.append(target)
        return target

    def publish(self) -> list[Path]:
        if self.final.exists():  # left by an archive that failed after its rename
            shutil.rmtree(self.final)
        self.staging.rename(self.final)
        return [self.final / path.name for path in self.written]

    def bundle(self) -> Path:
        with (
            private_output(self.zip_path) as partial,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle,
        ):
            for path in self.written:
                bundle.write(self.final / path.name, f"{self.final.name}/{path.name}")
        return self.zip_path

    def discard(self, *, keep_published: bool) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.final.exists() and not keep_published:
            shutil.rmtree(self.final, ignore_errors=True)
            self.zip_path.unlink(missing_ok=True)
