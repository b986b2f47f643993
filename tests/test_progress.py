"""Progress of long work: the core tells a plain callback how far it has got (rows read
and written, pages copied, cases packed); the command line draws a bar from it only at a
terminal, never in a pipe or with --json."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REGISTER, subprocess_env
from test_import import ledger_workbook, row

from xinfang.cli import progress as cli_progress
from xinfang.core.clock.periods import Period
from xinfang.core.exchange import bundle, importing
from xinfang.core.progress import COPY, EVERY, PACK, READ, WRITE, Told, counted
from xinfang.store import backup
from xinfang.store.db import connect

ROWS = EVERY * 2 + 50  # more than one report's worth, not a multiple of it


class Heard:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, step: str, done: int, total: int) -> None:
        self.calls.append((step, done, total))

    def of(self, step: str) -> list[tuple[int, int]]:
        return [(done, total) for name, done, total in self.calls if name == step]


def big_ledger(tmp_path: Path) -> Path:
    rows = [
        row(n, f"信访人{n}", f"2026-11-{n % 20 + 1:02d}", f"反映事项{n}")
        for n in range(1, ROWS + 1)
    ]
    return ledger_workbook(tmp_path / "台账.xlsx", rows)


def test_counted_tells_start_every_step_and_end() -> None:
    heard = Heard()
    assert list(counted(range(450), "x", heard)) == list(range(450))
    assert heard.of("x") == [(0, 450), (200, 450), (400, 450), (450, 450)]
    stream = Heard()
    assert list(counted(iter(range(3)), "y", stream)) == [0, 1, 2]
    assert stream.of("y") == [(0, 0), (3, 3)]  # a stream's total is known only at its end
    assert list(Told([1, 2], "z", None)) == [1, 2]


def test_import_tells_the_header_first_then_rows_read_and_written(db_path, tmp_path) -> None:
    heard = Heard()
    order: list[str] = []

    def header(sheet: str | None, header_row: int, ignored: list[str]) -> None:
        order.append(f"header {sheet} {header_row}")
        assert heard.calls == []  # before any row is read

    def progress(step: str, done: int, total: int) -> None:
        order.append(step)
        heard(step, done, total)

    result = importing.import_file(
        connect(db_path), big_ledger(tmp_path), progress=progress, on_header=header
    )
    assert result.imported == ROWS
    assert order[0] == "header 2026年台账 3"
    read = heard.of(READ)
    assert read[-1][0] == ROWS and [done for done, _ in read] == sorted(done for done, _ in read)
    assert heard.of(WRITE)[0] == (0, ROWS) and heard.of(WRITE)[-1] == (ROWS, ROWS)
    assert len(heard.calls) < ROWS // 50  # a few reports, not one per row


@pytest.mark.sqlite_only("sqlite3 backup's pages")
def test_backup_tells_the_pages_copied(run, db_path, tmp_path) -> None:
    run(*REGISTER)
    heard = Heard()
    done = backup.backup(connect(db_path), tmp_path / "bk", progress=heard)
    assert done.path.exists()
    copied = heard.of(COPY)
    assert copied and copied[-1][0] == copied[-1][1] > 0


def test_bundle_tells_the_cases_packed(run, db_path, tmp_path) -> None:
    for _ in range(3):
        run(*REGISTER)
    heard = Heard()
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "month")
    made = bundle.write(
        connect(db_path), period, tmp_path / "b.zip", with_attachments=False, progress=heard
    )
    assert made.cases == 3
    assert heard.of(PACK) == [(0, 3), (3, 3)]


def test_no_progress_text_when_not_a_terminal(db_path, tmp_path) -> None:
    source = big_ledger(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "xinfang", "import", str(source)],
        env=subprocess_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("读取 台账.xlsx（工作表“2026年台账”），表头在第 3 行；")
    assert "━" not in done.stdout and "\x1b" not in done.stdout


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_at_a_terminal_but_not_with_json(monkeypatch) -> None:
    monkeypatch.setattr(cli_progress, "SHOW_AFTER", 0)
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with cli_progress.bar(as_json=True) as progress:
        assert progress is None
    with cli_progress.bar() as progress:
        assert progress is not None
        for _ in counted(range(500), WRITE, progress):
            pass
    assert WRITE in screen.getvalue() and "500/500" in screen.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli_progress.bar() as progress:
        assert progress is None
