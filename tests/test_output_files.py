"""Every file xinfang writes for the clerk: private (0600, folders 0700) whatever the
umask, whole or not at all, and a full or read-only disk said in one Chinese line.

The full disk is real where this may mount a tiny tmpfs (root); everywhere else the same
failure is injected where every writer hands its finished file to the disk (os.fsync)."""

from __future__ import annotations

import csv
import errno
import gc
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import LIFE, REGISTER, Run, advance, dump, ledger_files, subprocess_env

from tests.pg import owner_dsn

CASE = "2026-0001"
MONTH = ("--month", "2026-11")
LEFTOVERS = (".part", ".tmp", ".partial")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(LEFTOVERS)]


def rejects_csv(path: Path) -> Path:
    """An office's list with one row xinfang cannot take: its import writes the rejects."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["来访人", "联系方式", "信访时间", "信访形式", "来源", "诉求", "所属乡镇"])
        writer.writerow(["赵六", "13812340006", "2026-13-45", "来访", "本级", "补贴", "沙河镇"])
    return path


# Each command that writes a file for the clerk, with the file it writes (in `out`).
WRITERS: dict[str, Callable[[Path], tuple[list[str], str]]] = {
    "export csv": lambda out: (["export", "-o", str(out / "e.csv")], "e.csv"),
    "export xlsx": lambda out: (["export", "-o", str(out / "e.xlsx")], "e.xlsx"),
    "export json": lambda out: (["export", "-o", str(out / "e.json")], "e.json"),
    "overdue csv": lambda out: (["overdue", "--output", str(out / "od.csv")], "od.csv"),
    "overdue xlsx": lambda out: (["overdue", "--output", str(out / "od.xlsx")], "od.xlsx"),
    "bundle": lambda out: (["bundle", *MONTH, "-o", str(out / "b.zip")], "b.zip"),
    "report accept": lambda out: (
        ["report", "accept", *MONTH, "-o", str(out / "r.xlsx")],
        "r.xlsx",
    ),
    "report handle": lambda out: (
        ["report", "handle", *MONTH, "-o", str(out / "h.xlsx")],
        "h.xlsx",
    ),
    "report stats": lambda out: (["report", "stats", *MONTH, "-o", str(out / "s.xlsx")], "s.xlsx"),
    "print": lambda out: (["print", CASE, "受理登记表", "-o", str(out / "d.docx")], "d.docx"),
    "reception plan": lambda out: (
        [
            "reception",
            "plan",
            "--year",
            "2027",
            "--rule",
            "last-friday 09:00-11:00",
            "--leaders",
            "张三,李四",
            "-o",
            str(out / "plan.xlsx"),
        ],
        "plan.xlsx",
    ),
    "import rejects": lambda out: (
        ["import", str(rejects_csv(out / "台账.csv"))],
        "台账_未导入行.xlsx",
    ),
}


def test_every_file_and_folder_is_private_whatever_the_umask(
    run: Run, registered: str, tmp_path: Path, db_path: Path, open_umask: None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    run("attach", CASE, str(scan), "--kind", "来源材料")
    for name, writer in WRITERS.items():
        args, written = writer(out)
        run(*args, expect=None)
        assert mode(out / written) == 0o600, name
    run("bundle", *MONTH, "--with-attachments", "-o", str(out / "ba.zip"))
    advance(run, CASE, "revisit")
    run("publicize", CASE, "--where", "门户网站", "--on", "2026-11-12", "-o", str(out / "p.txt"))
    advance(run, CASE, "archive")
    # the county's dump holds every office: its owner makes it (tests/test_pg_backup.py)
    owner = () if isinstance(db_path, Path) else ("--db", owner_dsn(db_path))
    run("backup", str(tmp_path / "备份"), *owner)
    for written in ("ba.zip", "p.txt"):
        assert mode(out / written) == 0o600, written
    files = ledger_files(db_path)
    tree = [files, *files.rglob("*")]
    assert {p.relative_to(files).parts[0] for p in tree[1:]} == {"attachments", "archive"}
    assert len(tree) > 12  # the folders, an attachment, the case file and its .zip
    loose = [(str(p), oct(mode(p))) for p in tree if mode(p) != (0o700 if p.is_dir() else 0o600)]
    assert loose == []
    backups = tmp_path / "备份"
    assert mode(backups) == 0o700 and [mode(p) for p in backups.iterdir()] == [0o600]
    assert leftovers(tmp_path) == []
    assert "[正常] 文件权限" in run("doctor").stdout


def test_doctor_checks_the_files_folder_not_only_the_ledger(
    run: Run, registered: str, tmp_path: Path, db_path: Path
) -> None:
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    run("attach", CASE, str(scan))
    attachments = ledger_files(db_path) / "attachments"
    stored = next(attachments.rglob("*.pdf"))
    assert "[正常] 文件权限" in run("doctor").stdout
    os.chmod(attachments, 0o755)
    os.chmod(stored, 0o644)
    out = run("doctor", expect=1).stdout
    assert "[问题] 文件权限" in out
    assert f"{ledger_files(db_path).name}/attachments、" in out and stored.name in out
    assert f"chmod -R go= {ledger_files(db_path)}" in out
    os.chmod(attachments, 0o700)
    os.chmod(stored, 0o600)
    assert "[正常] 文件权限" in run("doctor").stdout


def test_the_folders_of_an_older_ledger_are_made_private_when_next_written(
    run: Run, registered: str, tmp_path: Path, db_path: Path
) -> None:
    files = ledger_files(db_path)
    (files / "attachments").mkdir(parents=True)
    os.chmod(files, 0o755)
    os.chmod(files / "attachments", 0o755)
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    name = ledger_files(db_path).name
    assert f"{name}、{name}/attachments 可被他人读取" in run("doctor", expect=1).stdout
    run("attach", CASE, str(scan))
    assert [mode(p) for p in (files, files / "attachments", files / "attachments" / CASE)] == [
        0o700
    ] * 3
    assert "[正常] 文件权限" in run("doctor").stdout


def one_line(stderr: str) -> str:
    """The one error line (a 提示 may come before it), and no traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("提示：")]
    assert len(lines) == 1 and lines[0].startswith("错误："), lines
    return lines[0]


def no_space(handle: int) -> None:
    """The disk fills up as the file is flushed, where every writer hands its file over."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", no_space)


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_full_disk_leaves_no_file_and_says_so(
    run: Run, registered: str, tmp_path: Path, db_path: Path, name: str, disk_fills_up: None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args, written = WRITERS[name](out)
    before = dump(db_path)
    result = run(*args, expect=2)
    assert "磁盘已满" in one_line(result.stderr)
    assert str(out / written) in result.stderr
    assert not (out / written).exists()
    assert leftovers(tmp_path) == []
    assert dump(db_path) == before


def test_a_full_disk_in_the_middle_of_attach_or_archive_leaves_nothing(
    run: Run, registered: str, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n" * 1000)
    advance(run, CASE, "close")
    before = dump(db_path)
    with monkeypatch.context() as disk:
        disk.setattr(os, "fsync", no_space)
        assert "磁盘已满" in one_line(run("attach", CASE, str(scan), expect=2).stderr)
        assert "磁盘已满" in one_line(run("archive", CASE, "--retention", "10年", expect=2).stderr)
    assert dump(db_path) == before
    files = ledger_files(db_path)
    assert [p for p in files.rglob("*") if p.is_file()] == []  # no copy, no case file
    run("attach", CASE, str(scan))
    run("archive", CASE, "--retention", "10年")
    assert leftovers(tmp_path) == []


def permission_bits_apply(tmp_path: Path) -> bool:
    """False for root (CAP_DAC_OVERRIDE), which writes into a folder marked 0500."""
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o500)
    try:
        (probe / "x").touch()
    except PermissionError:
        return True
    finally:
        os.chmod(probe, 0o700)
    return False


def test_a_read_only_target_is_not_overwritten_even_with_force(
    run: Run, registered: str, tmp_path: Path
) -> None:
    if not permission_bits_apply(tmp_path):
        pytest.skip("root ignores permission bits: a read-only file cannot be made here")
    target = tmp_path / "e.csv"
    target.write_text("kept", encoding="utf-8")
    os.chmod(target, 0o400)
    result = run("export", "-o", str(target), "--force", expect=2)
    assert "只读" in one_line(result.stderr) and target.read_text(encoding="utf-8") == "kept"


def test_a_read_only_folder_says_so(
    run: Run, registered: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root the folder is really read-only; as root (which ignores permission
    bits) the refusal the disk would give is injected where the file is created."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if not permission_bits_apply(tmp_path):
        import tempfile

        def refused(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder / ".x.part"))

        monkeypatch.setattr(tempfile, "mkstemp", refused)
    os.chmod(folder, 0o500)
    try:
        result = run("export", "-o", str(folder / "e.csv"), expect=2)
    finally:
        os.chmod(folder, 0o700)
    line = one_line(result.stderr)
    assert "只读" in line and "请稍后重试" not in line
    assert list(folder.iterdir()) == []


# A real full or read-only disk: a tmpfs mounted for the test (root only).


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount(disk, "size=2m,mode=0700"):
        pytest.skip("mounting a tmpfs needs root (the injected full disk covers this)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    """Take every free byte of the disk."""
    with (disk / "filler").open("ab", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


@contextmanager
def read_only_view(disk: Path) -> Iterator[Path]:
    """The same disk seen through a read-only bind mount (a remount would wait for every
    file open on it)."""
    view = disk.parent / "ro"
    view.mkdir()
    subprocess.run(["mount", "--bind", str(disk), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


@pytest.mark.parametrize("name", [name for name in WRITERS if name != "import rejects"])
def test_writing_to_a_really_full_disk(
    run: Run, registered: str, tiny_disk: Path, name: str
) -> None:
    args, written = WRITERS[name](tiny_disk)
    fill(tiny_disk)
    result = run(*args, expect=2)
    assert "磁盘已满" in one_line(result.stderr)
    assert not (tiny_disk / written).exists() and leftovers(tiny_disk) == []


def test_a_full_disk_says_one_line_and_nothing_more_as_the_process_ends(
    run: Run, registered: str, tiny_disk: Path
) -> None:
    """openpyxl and python-docx, failing inside their own zip writer, would leave objects
    that print tracebacks when the process ends: a real process, its whole stderr."""
    fill(tiny_disk)
    for args in (["export", "-o", str(tiny_disk / "e.xlsx")],
                 ["print", CASE, "受理登记表", "-o", str(tiny_disk / "d.docx")]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "xinfang", *args],
            capture_output=True, text=True, env=subprocess_env(), check=False,
        )  # fmt: skip
        assert done.returncode == 2
        assert done.stderr.startswith("错误：磁盘已满") and done.stderr.count("\n") == 1, (
            done.stderr
        )
    assert leftovers(tiny_disk) == []


def test_a_healthy_ledger_on_a_full_disk_is_not_called_damaged(
    run: Run, tiny_disk: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ledger = tiny_disk / "ledger.db"
    monkeypatch.setenv("XINFANG_DB", str(ledger))
    run(*REGISTER)
    gc.collect()  # the ledger closed, as after any command: no -wal or -shm left
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["ledger.db"]
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n" * 20_000)
    fill(tiny_disk)
    for args in (["list"], [*REGISTER], ["attach", CASE, str(scan)], ["backup"]):
        result = run(*args, expect=2)
        line = one_line(result.stderr)
        assert "磁盘已满" in line and "损坏" not in line, (args, line)
    attachments = tiny_disk / "ledger-files" / "attachments"
    assert [p for p in attachments.rglob("*") if p.is_file()] == []  # no partial copy
    assert leftovers(tiny_disk) == []
    (tiny_disk / "filler").unlink()
    assert "2026-0001" in run("list").stdout
    assert run(*LIFE[0][:1], CASE, *LIFE[0][1:]).exit_code == 0


def test_a_ledger_on_a_read_only_disk_says_so(
    run: Run, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XINFANG_DB", str(tiny_disk / "ledger.db"))
    run(*REGISTER)
    gc.collect()  # the ledger closed, as after any command: no -wal or -shm left
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["ledger.db"]
    with read_only_view(tiny_disk) as view:
        monkeypatch.setenv("XINFANG_DB", str(view / "ledger.db"))
        for args in (["list"], [*REGISTER], ["export", "-o", str(view / "e.csv")]):
            line = one_line(run(*args, expect=2).stderr)
            assert "只读" in line and "损坏" not in line and "请稍后重试" not in line, (args, line)


def test_writing_on_a_read_only_disk_while_the_ledger_is_open(
    run: Run, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The -wal and -shm files are there (another command has the ledger open): reading
    works, the first write is refused by SQLite as "readonly database"."""
    import sqlite3

    ledger = tiny_disk / "ledger.db"
    monkeypatch.setenv("XINFANG_DB", str(ledger))
    run(*REGISTER)
    holder = sqlite3.connect(ledger)
    holder.execute("SELECT count(*) FROM cases").fetchall()
    try:
        with read_only_view(tiny_disk) as view:
            monkeypatch.setenv("XINFANG_DB", str(view / "ledger.db"))
            assert "2026-0001" in run("list").stdout
            line = one_line(run("note", CASE, "电话联系", expect=2).stderr)
            assert "只读" in line and "请稍后重试" not in line
    finally:
        holder.close()
