"""`xinfang migrate-store FROM TO`: a town's SQLite ledger into its lane of the county's
PostgreSQL ledger and back, whole (every case's `show --json` and the export the same on both
sides, doctor clean), or refused with exit 2 and nothing written."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import TODAY
from xinfang.cli import app


def cli(*args: str, expect: int | None = 0) -> Any:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    if expect is not None:
        assert result.exit_code == expect, (args, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`xinfang demo`'s ledger, built once (it takes seconds); each test copies it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XINFANG_USER", "王芳")
        cli("demo", "--db", str(path))
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


@pytest.fixture
def town(demo_ledger: Path, tmp_path: Path) -> Path:
    path = tmp_path / "town" / "沙河镇.db"
    path.parent.mkdir()
    shutil.copyfile(demo_ledger, path)
    return path


def office_id(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        value = conn.execute("SELECT value FROM settings WHERE key = 'office_id'").fetchone()[0]
    conn.close()
    return str(json.loads(value))


def new_role(pg_cluster: Any, county: Any, *, office: str | None, sees_all: bool = False) -> str:
    """A role for the town's office (added with its id), or for a new office of its own."""
    role = f"mig_{uuid.uuid4().hex[:10]}"
    extra = (["--id", office] if office else []) + (["--county"] if sees_all else [])
    cli("office", "add", f"迁移镇{role[-4:]}", "--role", role, *extra, "--db", county.admin)
    return str(pg_cluster.dsn(county.admin.split("/")[3].split("?")[0], role))


def numbers(db: str) -> list[str]:
    listed = json.loads(cli("list", "--json", "--all", "--db", db).stdout)
    return sorted(case["case_no"] for case in listed)


def shows(db: str, cases: list[str]) -> dict[str, Any]:
    return {no: json.loads(cli("show", no, "--json", "--db", db).stdout) for no in cases}


def renumbered(shown: dict[str, Any]) -> dict[str, Any]:
    """`show --json` less the events' ids, which a county that holds other towns' cases
    gives anew."""
    same = json.loads(json.dumps(shown))
    for case in same.values():
        for event in case.get("events", []):
            event.pop("id")
    return same


def test_a_town_moves_to_the_county_and_back_whole(
    town: Path, tmp_path: Path, pg_cluster: Any, county: Any
) -> None:
    dsn = new_role(pg_cluster, county, office=office_id(town))
    cases = numbers(str(town))
    assert len(cases) > 30
    before = shows(str(town), cases)

    moved = cli("migrate-store", str(town), dsn)
    assert f"{len(cases)} 件案件" in moved.stdout
    assert numbers(dsn) == cases
    after = shows(dsn, cases)
    assert after == before  # exactly: the county's lane column is not in a case's JSON
    county_doctor = cli("doctor", "--db", dsn, expect=None)
    assert county_doctor.exit_code == 0, county_doctor.stdout
    assert f"{len(cases)} 件案件的状态与办理记录一致" in county_doctor.stdout

    back = tmp_path / "back" / "迁回.db"
    cli("migrate-store", dsn, str(back))
    assert stat.S_IMODE(back.stat().st_mode) == 0o600
    assert stat.S_IMODE(back.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in back.parent.iterdir()) == ["迁回.db"]
    assert shows(str(back), cases) == before
    assert office_id(back) == office_id(town)
    exported = []
    for name, db in (("town", town), ("back", back)):
        cli("export", "-o", str(tmp_path / f"{name}.json"), "--db", str(db))
        exported.append((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    assert exported[0] == exported[1]
    doctor = cli("doctor", "--db", str(back), expect=None)
    assert doctor.exit_code == 0, doctor.stdout


def test_every_table_has_as_many_rows_on_both_sides(
    town: Path, tmp_path: Path, pg_cluster: Any, county: Any
) -> None:
    dsn = new_role(pg_cluster, county, office=office_id(town))
    cli("migrate-store", str(town), dsn)
    back = tmp_path / "back.db"
    cli("migrate-store", dsn, str(back))
    tables = ("settings", "choices", "units", "sequences", "reception_days", "cases", "events",
              "deadlines", "attachments", "archive_files", "loans", "calendar_entries", "cases_fts")  # fmt: skip
    for table in tables:
        with sqlite3.connect(town) as one, sqlite3.connect(back) as two:
            query = f"SELECT count(*) FROM {table}"
            assert one.execute(query).fetchone() == two.execute(query).fetchone(), table
        one.close()
        two.close()


def test_ids_are_new_on_the_county_ledger(
    town: Path, pg_cluster: Any, county: Any, tmp_path: Path
) -> None:
    """A second town's cases 1..n would collide with the first's: ids are remapped, numbers kept."""
    first = tmp_path / "first.db"
    shutil.copyfile(town, first)
    with sqlite3.connect(first) as conn:
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'office_id'",
            (json.dumps(uuid.uuid4().hex),),
        )
    conn.close()
    cli("migrate-store", str(first), new_role(pg_cluster, county, office=office_id(first)))
    dsn = new_role(pg_cluster, county, office=office_id(town))
    cli("migrate-store", str(town), dsn)
    cases = numbers(str(town))
    # The events' ids are the county's now (show names them); their order is the town's.
    assert renumbered(shows(dsn, cases)) == renumbered(shows(str(town), cases))


def refused(*args: str, says: str) -> None:
    result = cli("migrate-store", *args, expect=2)
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_bad_input_is_refused_and_nothing_is_written(
    town: Path, tmp_path: Path, pg_cluster: Any, county: Any
) -> None:
    target = tmp_path / "out" / "new.db"
    refused(str(tmp_path / "absent.db"), str(target), says="不存在")
    refused(str(town), str(town), says="同一个")
    refused(str(town), str(tmp_path / "other.db"), says="PostgreSQL")
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"x")
    dsn = new_role(pg_cluster, county, office=None)  # an office that is not the town's
    refused(dsn, str(existing), says="已存在")
    assert existing.read_bytes() == b"x"

    wrong = cli("migrate-store", str(town), dsn, expect=2).stderr
    assert "xinfang office add" in wrong and f"--id {office_id(town)}" in wrong, wrong
    assert numbers(dsn) == []

    right = new_role(pg_cluster, county, office=office_id(town))
    cli("register", "--name", "李四", "--phone", "13812345678", "--source", "本级",
        "--form", "来访", "--content", "已有案件", "--on", "2026-11-02", "--db", right)  # fmt: skip
    refused(str(town), right, says="已有 1 件案件")
    assert numbers(right) == ["2026-0001"]
    assert not target.exists() and not target.parent.exists()
    assert sorted(p.name for p in town.parent.iterdir()) == ["沙河镇.db"]


def test_a_copy_that_fails_its_check_leaves_nothing(
    town: Path, tmp_path: Path, pg_cluster: Any, county: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang.core.errors import XinfangError
    from xinfang.store import migrate_store

    def fails(*args: Any) -> None:
        raise XinfangError("迁移核对未通过：测试")

    dsn = new_role(pg_cluster, county, office=office_id(town))
    cli("migrate-store", str(town), dsn)
    monkeypatch.setattr(migrate_store, "_verify", fails)
    back = tmp_path / "back" / "迁回.db"
    refused(dsn, str(back), says="核对未通过")
    assert list(back.parent.iterdir()) == []

    other = new_role(pg_cluster, county, office=None)
    with sqlite3.connect(town) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'office_id'",
                     (json.dumps(_office_of(county, other)),))  # fmt: skip
    conn.close()
    refused(str(town), other, says="核对未通过")
    assert numbers(other) == []


def _office_of(county: Any, dsn: str) -> str:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT office_of(current_user)").fetchone()
    assert row is not None
    return str(row[0])


def test_a_file_that_is_not_a_ledger_is_refused(
    tmp_path: Path, pg_cluster: Any, county: Any
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a ledger at all" * 100)
    refused(str(junk), new_role(pg_cluster, county, office=None), says="junk.db")
    assert junk.read_bytes() == b"not a ledger at all" * 100


def test_a_county_role_moves_only_its_own_office(
    town: Path, tmp_path: Path, pg_cluster: Any, county: Any
) -> None:
    """The county's role sees every office's cases: only its own lane is copied, and only its
    own cases count as the lane's."""
    a = county.dsn["a"]
    cli("register", "--name", "李四", "--phone", "13812345678", "--source", "本级",
        "--form", "来访", "--content", "另一个乡镇的案件", "--on", "2026-11-02", "--db", a)  # fmt: skip
    dsn = new_role(pg_cluster, county, office=office_id(town), sees_all=True)
    cli("migrate-store", str(town), dsn)
    back = tmp_path / "back.db"
    cli("migrate-store", dsn, str(back))
    cases = numbers(str(town))
    assert numbers(str(back)) == cases
    assert shows(str(back), cases) == shows(str(town), cases)
    assert numbers(a) == ["2026-0001"]
