"""Fixtures: every test gets its own ledger file in a temp dir, a fixed clock and clerk,
and a `run` that drives the real CLI through typer's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from xinfang.cli import app
from xinfang.store.db import connect

TODAY = "2026-11-23 10:00"

# typer builds the whole command tree on every CliRunner.invoke (~30 ms); build it once.
_build_command = typer.testing._get_command
_built: dict[int, Any] = {}


def _built_once(app: Any) -> Any:
    if id(app) not in _built:
        _built[id(app)] = _build_command(app)
    return _built[id(app)]


typer.testing._get_command = _built_once


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real ~/.local/share, and the clock is fixed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("XINFANG_DB", raising=False)
    monkeypatch.setenv("XINFANG_NOW", TODAY)
    monkeypatch.setenv("XINFANG_USER", "王芳")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("XINFANG_SOFFICE", "")  # estimate pages: LibreOffice takes seconds
    return tmp_path


@pytest.fixture(scope="session")
def template_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new ledger made once; each test gets a copy (making one builds the calendar)."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        conn = connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


def fresh_identity(path: Path) -> None:
    """A copied ledger is another office: it gets an office id of its own."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'office_id'", (json.dumps(uuid.uuid4().hex),)
        )
    conn.close()


# The stores every ledger test runs on: `--store sqlite|postgresql|both` (default both;
# XINFANG_TEST_STORE the same). A test that is about the SQLite file itself (its bytes,
# modes, journal, PRAGMAs) is marked `sqlite_only` with the reason.
STORES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=(*STORES, "both"),
        default=os.environ.get("XINFANG_TEST_STORE", "both"),
        help="which store the ledger tests run on (default: both)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test about the SQLite file itself, run on SQLite only"
    )
    config.addinivalue_line(
        "markers",
        "variants_on_sqlite: each test's parameter variants run on SQLite, the first on both",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A parameter marked `sqlite_only` (pytest.param(..., marks=...)) runs on SQLite alone;
    in a module marked `variants_on_sqlite` (its parameters are inputs, formats or widths
    for one code path, not different use of the store), PostgreSQL runs each test's first
    parameter set."""
    keep, dropped = [], []
    seen: set[tuple[str, str]] = set()
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("store") == "postgresql"
        function = (item.nodeid.split("[")[0], "")
        again = on_pg and item.get_closest_marker("variants_on_sqlite") and function in seen
        if on_pg:
            seen.add(function)
        (dropped if on_pg and (item.get_closest_marker("sqlite_only") or again) else keep).append(
            item
        )
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("store")
    stores = list(STORES) if chosen == "both" else [chosen]
    about_the_file = {"no_ledger"} & set(metafunc.fixturenames)
    if about_the_file or metafunc.definition.get_closest_marker("sqlite_only"):
        stores = [store for store in stores if store == "sqlite"]
    elif {"county", "pg_dsn", "pg_cluster"} & set(metafunc.fixturenames) and "postgresql" in stores:
        stores = ["postgresql"]  # a test of the county's store itself: once is enough
    metafunc.parametrize("store", stores, indirect=True)


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """The store this test's ledger is on (parametrized by pytest_generate_tests)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_town(pg_cluster: Any) -> tuple[str, str]:
    """A county database holding one town's office, its clerk's role and its prepared lane
    (settings, lists, the calendar), made once: each test's ledger is a copy of it, as each
    SQLite test's is a copy of `template_ledger`. Returns (database, role)."""
    import psycopg

    from tests.pg import create_database
    from xinfang.store import pg as pg_store
    from xinfang.store.db import connect as open_ledger

    name = f"town_{uuid.uuid4().hex[:8]}"
    role = f"clerk_{name[5:]}"
    with psycopg.connect(create_database(pg_cluster, name), autocommit=True) as admin:
        pg_store.install(admin)
        pg_store.add_office(admin, uuid.uuid4().hex, "测试单位")
        pg_store.grant(admin, role, admin.execute("SELECT office_id FROM offices").fetchone()[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        open_ledger(pg_cluster.dsn(name, role)).close()
    return name, role


class Towns:
    """The PostgreSQL tests' ledgers: the town's database, emptied back to its first state
    for each test, or a copy of a moved SQLite ledger (from_file)."""

    def __init__(self, cluster: Any, town: tuple[str, str]) -> None:
        self.cluster = cluster
        self.template, self.role = town
        self.used: list[str] = []  # the copies made (the cluster goes with the session)
        self.moved: dict[Path, str] = {}  # SQLite ledger -> its database (from_file)
        self.shared: Any = None  # the owner's connection to the copy being reused
        self.shared_name = ""
        self.baseline: tuple[Any, ...] | None = None

    def from_file(self, ledger: Path) -> str:
        """A copy, for one test, of a SQLite ledger moved into a town's database (moved once
        per file with `migrate-store`, then copied as the town's own is)."""
        import psycopg

        from xinfang.store import migrate_store
        from xinfang.store import pg as pg_store

        if ledger not in self.moved:
            name = f"f_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(self.cluster.dsn(), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            office = json.loads(
                sqlite3.connect(ledger)
                .execute("SELECT value FROM settings WHERE key = 'office_id'")
                .fetchone()[0]
            )
            with psycopg.connect(self.cluster.dsn(name), autocommit=True) as admin:
                pg_store.install(admin)
                pg_store.add_office(admin, office, "测试单位")
                pg_store.grant(admin, self.role, office)
            migrate_store.migrate(str(ledger), str(self.cluster.dsn(name, self.role)))
            self.moved[ledger] = name
        copy = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.cluster.dsn(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{self.moved[ledger]}"')
        self.used.append(copy)
        return str(self.cluster.dsn(copy, self.role))

    def take(self) -> str:
        """The town's database as new, for one test; the clerk's DSN to it. A copy is made
        once per worker and emptied back to the town's first state before each test (a
        copy of its own costs ~0.25 s in checkpoints; emptying costs ~20 ms). A test that
        rebuilt the calendar, added an office or loosened a rule leaves that copy behind."""
        import psycopg

        if self.shared is not None and _shared_state(self.shared) != self.baseline:
            self.shared.close()
            self.shared = None
        if self.shared is None:
            name = f"t_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(self.cluster.dsn(), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            self.used.append(name)
            self.shared_name = name
            self.shared = psycopg.connect(self.cluster.dsn(name), autocommit=True)
            self.baseline = self.baseline or _shared_state(self.shared)
            self.shared.execute("CREATE SCHEMA first")
            for table in FIRST_STATE:
                self.shared.execute(f"CREATE TABLE first.{table} AS TABLE public.{table}")
        else:
            with self.shared.transaction():
                self.shared.execute(
                    "SET LOCAL lock_timeout = '2s'"
                )  # a test left a transaction open
                self.shared.execute("SET LOCAL session_replication_role = replica")  # events' guard
                self.shared.execute(
                    f"TRUNCATE {', '.join(CASE_TABLES + FIRST_STATE)} RESTART IDENTITY"
                )
                for table in FIRST_STATE:
                    self.shared.execute(f"INSERT INTO {table} TABLE first.{table}")
        return str(self.cluster.dsn(self.shared_name, self.role))


# A town's database: the tables a test fills, and those it starts with rows in (its lane's).
CASE_TABLES = (
    "case_texts",
    "loans",
    "archive_files",
    "attachments",
    "deadlines",
    "events",
    "cases",
)
FIRST_STATE = (
    "settings", "choices", "units", "sequences", "reception_days", "rule_versions",
    "calendar_entries",
)  # fmt: skip


def _shared_state(conn: Any) -> tuple[Any, ...]:
    """What a test may change that emptying the lane does not put back, in brief: the
    calendar (rebuilt from the entries), the offices, the rules of the lanes and triggers."""
    return tuple(
        conn.execute(
            "SELECT (SELECT count(*) || ':' || coalesce(max(day), '') || sum(known) FROM calendar),"
            "       (SELECT count(*) FROM offices),"
            "       (SELECT count(*) FROM pg_class WHERE relforcerowsecurity),"
            "       (SELECT count(*) FROM pg_trigger WHERE tgenabled = 'O')"
        ).fetchone()
    )


@pytest.fixture(scope="session")
def pg_towns(pg_cluster: Any, pg_town: tuple[str, str]) -> Towns:
    return Towns(pg_cluster, pg_town)


@pytest.fixture
def db_path(
    store: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The test's ledger: a copy of a new SQLite ledger, or (store postgresql) of a new town's
    database, the DSN of its clerk's role (in its lane); XINFANG_DB names it either way."""
    if store == "postgresql":
        dsn = request.getfixturevalue("pg_towns").take()
        monkeypatch.setenv("XINFANG_DB", dsn)
        return dsn  # type: ignore[return-value]  # connect() takes either
    path = tmp_path / "ledger.db"
    shutil.copyfile(request.getfixturevalue("template_ledger"), path)
    os.chmod(path, 0o600)
    fresh_identity(path)
    monkeypatch.setenv("XINFANG_DB", str(path))
    return path


def ledger_files(db_path: Path) -> Path:
    """The folder of files kept beside the ledger (attachments, archived case folders), on
    either store (for the county's database it is on the clerk's machine)."""
    from xinfang.core.life.files import files_dir

    conn = connect(db_path)
    try:
        return files_dir(conn)
    finally:
        conn.close()


def beside_ledger(db_path: Path) -> list[Path]:
    """What lies in the folder of the ledger's files folder (where staging would be left)."""
    folder = ledger_files(db_path).parent
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def no_ledger(db_path: Path) -> Path:
    """The ledger's path with no file there yet: the first command creates it."""
    db_path.unlink()
    return db_path


Run = Callable[..., "Result"]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run(db_path: Path) -> Run:
    """run("accept", "2026-0001", "--on", "2026-11-03") -> Result; expect=0 by default."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, expect: int | None = 0) -> Result:
        result = runner.invoke(app, list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        out = Result(result.exit_code, result.stdout, result.stderr)
        if out.exit_code == 4 and expect != 4:
            print(out.stderr)  # an internal error's whole traceback, in the report
        if expect is not None:
            assert out.exit_code == expect, (args, out.output)
        return out

    return invoke


@pytest.fixture
def sql(db_path: Path) -> Callable[[str], list[tuple]]:
    """Read the ledger directly, as a second opinion on what the CLI says."""

    def query(statement: str, *params: object) -> list[tuple]:
        conn: Any = connect(db_path) if isinstance(db_path, str) else sqlite3.connect(db_path)
        try:
            return [tuple(row) for row in conn.execute(statement, params).fetchall()]
        finally:
            conn.close()

    return query


def dump(db_path: Path) -> str:
    """The whole ledger as SQL text: equal dumps mean nothing was written (on PostgreSQL,
    every row of the office's lane, table by table)."""
    if isinstance(db_path, str):
        conn: Any = connect(db_path)
        try:
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
            lines = []
            for (table,) in tables:
                if table in ("office_roles",):  # the owner's alone
                    continue
                rows = conn.execute(f"SELECT * FROM {table} ORDER BY {table}::text").fetchall()
                lines += [f"{table}: {tuple(row)!r}" for row in rows]
            return "\n".join(lines)
        finally:
            conn.close()
    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def show(run: Run, case_no: str = "2026-0001") -> dict:
    """What `xinfang show --json` says about a case."""
    return json.loads(run("show", case_no, "--json").stdout)


REGISTER = (
    "register", "--name", "张三", "--phone", "13812345678", "--source", "本级",
    "--form", "来访", "--content", "反映低保评定不公，家中两位老人无收入",
    "--category", "最低生活保障", "--town", "沙河镇", "--receiver", "王芳",
    "--on", "2026-11-02 09:30",
)  # fmt: skip


@pytest.fixture
def registered(run: Run) -> str:
    """A freshly registered case; returns its number."""
    out = run(*REGISTER)
    return out.stdout.split("：")[1].split("（")[0]


# A case's whole life, dated in November 2026, for tests that need a case at some stage.
LIFE = [
    ("accept", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
    ("assign", "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04"),
    ("unit-accept", "--on", "2026-11-05"),
    ("unit-report", "--text", "经入户核查属实，已重新评定", "--on", "2026-11-09"),
    ("reply", "--result", "已解决", "--finding", "属实", "--text", "已纳入低保并补发", "--on", "2026-11-10"),
    ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-11"),
    ("publicize", "--where", "县政府门户网站", "--on", "2026-11-12"),
    ("close", "--approved-by", "李主任", "--on", "2026-11-13"),
    ("archive", "--retention", "10年", "--on", "2026-11-16"),
]  # fmt: skip
_LAST_STEP = {
    "registered": None, "accepted": "accept", "assigned": "assign", "handling": "unit-accept",
    "reported": "unit-report", "replied": "reply", "revisited": "revisit",
    "publicized": "publicize", "closed": "close", "archived": "archive",
}  # fmt: skip


def advance(run: Run, case: str, until: str) -> None:
    """Take a case on from where it stands through LIFE, up to and including `until`."""
    actions = [step[0] for step in LIFE]
    done = _LAST_STEP[show(run, case)["status"]]
    start = actions.index(done) + 1 if done else 0
    for action, *options in LIFE[start : actions.index(until) + 1]:
        run(action, case, *options)


def long_form(request: pytest.FixtureRequest) -> bool:
    """The long crash and concurrency runs: XINFANG_LONG=1 or `-m long`."""
    marks = request.config.getoption("markexpr", "") or ""
    return os.environ.get("XINFANG_LONG") == "1" or ("long" in marks and "not long" not in marks)


def subprocess_env() -> dict[str, str]:
    """The environment for a real `python -m xinfang` process: the test's ledger and clock."""
    env = dict(os.environ)
    for key in ("XINFANG_DB", "XINFANG_NOW", "XDG_DATA_HOME"):
        assert env.get(key), key
    return env


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: what a careless cron line or a shared account may run with."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def on_a_terminal(columns: int, *args: str) -> str:
    """What `xinfang` shows on a real terminal of that width (a pseudo-terminal)."""
    import fcntl
    import pty
    import struct
    import termios

    env = subprocess_env()
    env.pop("COLUMNS", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    subprocess.run(
        [sys.executable, "-m", "xinfang", *args], stdout=slave, stderr=subprocess.DEVNULL,
        env=env, timeout=60, check=False,
    )  # fmt: skip
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other side is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return out.decode("utf-8", "replace")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One throwaway PostgreSQL cluster for the session (tests/pg.py); skipped, saying why,
    where the binaries or psycopg are absent (failed instead with XINFANG_PG_REQUIRED=1)."""
    from tests import pg

    reason = pg.missing()
    if reason and os.environ.get("XINFANG_PG_REQUIRED") == "1":  # CI: never skip silently
        pytest.fail(f"PostgreSQL tests required (XINFANG_PG_REQUIRED=1): {reason}")
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    cluster = pg.start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_dsn(pg_cluster: Any) -> str:
    """A new, empty database of its own for each test; the superuser's DSN to it."""
    from tests import pg

    return pg.create_database(pg_cluster, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def county(pg_cluster: Any, pg_dsn: str) -> Any:
    """A county ledger in a new database: two towns and the county, a role each (tests/pg.py)."""
    from tests import pg

    return pg.open_county(pg_cluster, pg_dsn)
