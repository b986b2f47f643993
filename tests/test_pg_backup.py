"""`xinfang backup` and `restore` on the county ledger: pg_dump/pg_restore, with the SQLite
backup's dated, private, pruned files (store/pg_backup.py)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from tests import pg
from tests.conftest import REGISTER, Run
from tests.pg import County
from xinfang.store import pg_backup

SECOND = [*REGISTER]
SECOND[SECOND.index("张三")] = "李四"
SECOND[SECOND.index("13812345678")] = "13900000000"


def shown(run: Run, dsn: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setenv("XINFANG_DB", dsn)
    return [json.loads(run("show", no, "--json").stdout) for no in ("2026-0001", "2026-0002")]


def role_of(dsn: str) -> str:
    return dsn.split("//")[1].split("@")[0]


def test_backup_then_restore_into_a_fresh_database(
    run: Run, county: County, pg_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XINFANG_DB", county.dsn["a"])
    run(*REGISTER)
    run(*SECOND)
    before = shown(run, county.dsn["a"], monkeypatch)

    out = run("backup", str(tmp_path / "bk"), "--db", county.admin)
    dump = Path(out.stdout.split("：", 1)[1].strip())
    assert dump.parent == tmp_path / "bk" and dump.suffix == ".dump"
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700

    fresh = pg.create_database(pg_cluster, "restored_" + dump.stem.split("-")[1])
    out = run("restore", str(dump), "--db", fresh)
    assert "已恢复" in out.stdout
    dbname = fresh.split("/")[3].split("?")[0]
    after = shown(run, pg_cluster.dsn(dbname, role_of(county.dsn["a"])), monkeypatch)
    assert after == before and after[1]["name"] == "李四"

    # The database now holds cases: a second restore is refused, nothing changed ...
    out = run("restore", str(dump), "--db", fresh, expect=2)
    assert "已有 2 件案件" in out.output and "--force" in out.output
    # ... unless forced, and then what was there is kept aside first.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    out = run("restore", str(dump), "--db", fresh, "--force")
    aside = Path(out.stdout.split("另存为：", 1)[1].strip())
    assert aside.parent == tmp_path / "data" / "xinfang" / f"{dbname}-backups"
    assert aside.is_file() and stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert shown(run, pg_cluster.dsn(dbname, role_of(county.dsn["a"])), monkeypatch) == before


def test_pruning_keeps_the_newest_n(run: Run, county: County, tmp_path: Path) -> None:
    folder = tmp_path / "bk"

    def backed_up() -> Path:
        out = run("backup", str(folder), "--keep", "2", "--db", county.admin)
        return Path(out.stdout.splitlines()[0].split("：", 1)[1])

    made = [backed_up()]
    stem = "-".join(made[0].stem.split("-")[:2])
    # Another ledger's, and a file with this ledger's name that is no dump of it: never touched.
    other = folder / "xinfang-0000abcd-20261101-000000.dump"
    impostor = folder / f"{stem}-20261101-000000.dump"
    for path in (other, impostor):
        path.write_bytes(b"not ours")
        os.utime(path, (0, 0))
    made += [backed_up(), backed_up()]
    assert sorted(folder.glob("*.dump")) == sorted([other, impostor, *made[1:]])


def test_a_clerk_may_not_dump_the_county(run: Run, county: County, tmp_path: Path) -> None:
    out = run("backup", str(tmp_path / "bk"), "--db", county.dsn["a"], expect=2)
    assert "数据库管理员" in out.output
    assert not (tmp_path / "bk").exists()  # refused before anything was written


def test_a_missing_pg_dump_is_a_clear_error(
    run: Run, county: County, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XINFANG_PG_BIN", str(tmp_path / "nowhere"))
    out = run("backup", str(tmp_path / "bk"), "--db", county.admin, expect=2)
    assert "pg_dump" in out.output and "XINFANG_PG_BIN" in out.output


def test_not_a_dump_is_refused(run: Run, county: County, tmp_path: Path) -> None:
    bogus = tmp_path / "x.dump"
    bogus.write_bytes(b"SQLite format 3\0")
    out = run("restore", str(bogus), "--db", county.admin, expect=2)
    assert "不是 pg_dump 的备份文件" in out.output


def test_the_password_is_never_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def record(args: list[str], *, env: dict[str, str], **_: Any) -> Any:
        calls.append((args, env))
        raise psycopg.OperationalError("stop here")

    monkeypatch.setattr(pg_backup.subprocess, "run", record)
    with pytest.raises(psycopg.OperationalError):
        pg_backup._dump(*pg_backup._split_password("postgresql://u:s3cret@/db?host=/x"), Path("f"))
    args, env = calls[0]
    assert not any("s3cret" in arg for arg in args) and env["PGPASSWORD"] == "s3cret"
