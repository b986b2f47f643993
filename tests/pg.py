"""A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` in a temp dir, its
unix socket in that dir on a random port (no TCP at all), removed when the session ends.

PostgreSQL refuses to run as root, so where the tests run as root (CI containers) the
cluster belongs to the `postgres` user and every server command goes through
`runuser -u postgres`; the tests themselves connect over the socket with `trust`
authentication, under whichever role they name. Durability is switched off (fsync,
synchronous_commit): the cluster lives for one session, and the tests are about what is
written and who may read it, not about surviving a power cut.

`missing()` says, in one sentence, why no cluster can be started here (no binaries, no
psycopg, no unprivileged user); the fixtures skip with that sentence.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_BIN = Path(os.environ.get("XINFANG_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_USER = "postgres"  # the owner of the cluster when the tests run as root
SUPERUSER = "xinfang_admin"  # the cluster's bootstrap superuser (initdb -U)


def missing() -> str | None:
    """Why no cluster can be started here, or None."""
    for program in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / program).exists():
            return f"PostgreSQL binaries not found: no {PG_BIN / program} (set XINFANG_PG_BIN)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install -e '.[postgres]'"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and no '{SERVER_USER}' user to own the cluster"
        if shutil.which("runuser") is None:
            return "running as root and no runuser to start the cluster as postgres"
    return None


def _free_port() -> int:
    """A port nothing listens on: it names the socket file, and must not clash with another
    cluster of a parallel test run sharing /tmp."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    directory: Path
    port: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def dsn(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq URI over the unix socket in the cluster's directory."""
        return f"postgresql://{user}@/{dbname}?host={self.directory}&port={self.port}"

    def _server(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        command = _as_owner(*(str(arg) for arg in args))
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}{self.log()}")
        return done

    def start(self) -> None:
        began = time.perf_counter()
        self._server(
            PG_BIN / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        initialised = time.perf_counter()
        options = " ".join(
            f"-c {setting}"
            for setting in (
                "listen_addresses=''",
                f"unix_socket_directories='{self.directory}'",
                f"port={self.port}",
                "fsync=off",
                "synchronous_commit=off",
                "full_page_writes=off",
                "max_connections=60",
                "shared_buffers=32MB",
            )
        )
        self._server(
            PG_BIN / "pg_ctl", "-D", self.data, "-l", self.directory / "server.log",
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        self.timings["initdb"] = initialised - began
        self.timings["start"] = time.perf_counter() - initialised

    def stop(self) -> None:
        began = time.perf_counter()
        try:
            self._server(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
        self.timings["stop"] = time.perf_counter() - began

    def log(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _as_owner(*command: str) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else list(command)


def _base_dir() -> Path:
    """Where the cluster's dir can go: `$XINFANG_PG_TMP`, else the first temp dir the
    cluster's owner can enter and write. As root that is not always the system's: pytest's
    tmp dirs, and /tmp on some machines, are root's alone (0700)."""
    explicit = os.environ.get("XINFANG_PG_TMP")
    candidates = [explicit] if explicit else [tempfile.gettempdir(), "/var/tmp"]
    for candidate in candidates:
        probe = subprocess.run(
            _as_owner("test", "-d", candidate, "-a", "-w", candidate, "-a", "-x", candidate),
            check=False,
        )
        if probe.returncode == 0:
            return Path(candidate)
    raise RuntimeError(f"no temp dir the '{SERVER_USER}' user may write: set XINFANG_PG_TMP")


def start_cluster() -> Cluster:
    """A new running cluster in a new temp dir, handed to the cluster's owner; the caller
    stops it."""
    directory = Path(tempfile.mkdtemp(prefix="xinfang-pg-", dir=_base_dir()))
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SERVER_USER)
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(directory, _free_port())
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return cluster


def create_database(cluster: Cluster, name: str) -> str:
    """A new, empty database in the cluster; returns its superuser DSN."""
    import psycopg

    with psycopg.connect(cluster.dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return cluster.dsn(name)


# A county ledger for the tests: two towns and the county's office, a clerk role for each.
A, B, COUNTY = "office-shahe", "office-xinhua", "office-county"


@dataclass
class County:
    admin: str  # the database owner's DSN
    dsn: dict[str, str]  # role kind ("a", "b", "county") -> that role's DSN

    def connect(self, who: str) -> Any:
        import psycopg

        return psycopg.connect(self.dsn[who], autocommit=True)


def open_county(cluster: Cluster, admin_dsn: str) -> County:
    """Install the schema in the (new) database, add the three offices and their roles (the
    county's sees all). Roles belong to the cluster, so each county's are named apart."""
    import psycopg

    from xinfang.store import pg as store

    suffix = uuid.uuid4().hex[:8]
    roles = {"a": f"town_a_{suffix}", "b": f"town_b_{suffix}", "county": f"county_{suffix}"}
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        store.install(admin)
        for office, name in ((A, "沙河镇"), (B, "新华镇"), (COUNTY, "临泽县信访局")):
            store.add_office(admin, office, name)
        store.grant(admin, roles["a"], A)
        store.grant(admin, roles["b"], B)
        store.grant(admin, roles["county"], COUNTY, sees_all=True)
    dbname = admin_dsn.split("/")[3].split("?")[0]
    return County(admin_dsn, {kind: cluster.dsn(dbname, role) for kind, role in roles.items()})


def owner_dsn(clerk_dsn: str) -> str:
    """The same database as its owner (the cluster's superuser), from a clerk's DSN."""
    user = clerk_dsn.split("//", 1)[1].split("@", 1)[0]
    return clerk_dsn.replace(f"//{user}@", f"//{SUPERUSER}@", 1)
