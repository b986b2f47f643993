"""xinfang's commands beside their floors, measured in the same run.

    python bench/run.py [--sizes 1k,100k,1m] [--data bench/data] [--register N] [--quick]
                        [--store sqlite|postgresql|both]

Prints one table, also written as Markdown to bench/results.md: each figure beside its
floor (the least a program could take for the same answer on this machine), the ratio,
the target and PASS/FAIL. Missing ledgers are made by bench/generate.py first. Every
xinfang call runs with XINFANG_NOW and XINFANG_USER fixed; anything that writes to a
ledger works on a copy. bench/README.md says what each row means. With PostgreSQL (the
default where its binaries are), the main ledger is also moved into a throwaway cluster by
`xinfang migrate-store` and its rows are measured there too (pg_rows.py, county.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from importlib import metadata
from pathlib import Path

from xinfang.core.life.states import OPEN_STATUSES
from xinfang.core.reporting.query import text_matches

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
SCRIPT = Path(PYTHON).with_name("xinfang")
XINFANG = [str(SCRIPT)] if SCRIPT.exists() else [PYTHON, "-m", "xinfang"]
SQLITE_SHELL = shutil.which("sqlite3")
FLOOR_OVERDUE = BENCH / "floor_overdue.sql"
FLOOR_REPORT = str(BENCH / "floor_report.py")
AS_OF = "2026-11-23"
ENV = {**os.environ, "XINFANG_NOW": f"{AS_OF} 10:00", "XINFANG_USER": "王芳"}
ENV.pop("XINFANG_DB", None)  # every command names its ledger with --db
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
MONTH_LEDGER, BUSY_MONTH = "month10k", "2026-10"  # ~10,000 registrations in 2026-10
SEARCH_TERMS = ("低保金", "低保")  # a trigram (FTS5 index) and a 2-character term (scan)
# How `xinfang search` orders and cuts its list (core.query list_cases, sort REGISTERED).
SEARCH_ORDER, SEARCH_LIMIT = "id DESC", 200
LIST_PAGE = 50  # `xinfang list` with no option: the newest 50 open cases (core.query PAGE)
IMPORT_SIZE = "100k"
# The floors' queries when there is no sqlite3 shell: the same SQL from Python.
PY_QUERY = (
    "import sqlite3, sys\n"
    "db, sql, as_of = sys.argv[1:]\n"
    "rows = sqlite3.connect(db).execute(open(sql).read(), {'as_of': as_of})\n"
    "sys.stdout.write(''.join('\\x1f'.join(map(str, row)) + '\\x1e' for row in rows))\n"
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
PLACES = ("西关村", "东寨村", "红沟村", "双泉村", "五里墩村", "新华村", "小屯村")
ISSUES = (
    "低保金停发{n}个月未获告知",
    "残疾人护理补贴少发{n}元",
    "申请临时救助{n}天无人答复",
    "养老院伙食费上涨{n}元",
    "婚姻登记往返{n}次未办成",
    "公墓管理费涨到{n}元",
)
ASKS = ("请求说明原因", "请求尽快处理", "请求公开依据", "请求上门核查", "请求补发")


class Failed(Exception):
    """A command exited with a status it should not have: its section of the table fails."""


@dataclass(frozen=True)
class Runs:
    """How many timed runs each kind of row takes the median of."""

    startup: int = 15
    overdue: int = 5
    report: int = 5
    search: int = 15
    clerk_seconds: float = 20  # how long the clerks register at once, per row


QUICK = Runs(startup=7, overdue=3, report=3, search=7, clerk_seconds=6)
CLERKS = (1, 4, 8)  # clerks registering at once
STORES = {"sqlite": ("SQLite",), "postgresql": ("PostgreSQL",), "both": ("SQLite", "PostgreSQL")}


@dataclass
class Row:
    """One line of the table: a figure beside its floor, with its targets."""

    what: str
    seconds: float | None
    floor: float | None = None
    floor_is: str = ""
    max_ratio: float | None = None
    max_seconds: float | None = None
    agrees: bool = True  # the answer matched the floor's (when checked)
    text: str = ""  # said instead of a figure
    store: str = "SQLite"  # the ledger's store the figure is of

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.seconds and self.floor else None

    def target(self) -> str:
        parts = [f"≤ {self.max_ratio:g}×"] if self.max_ratio else []
        if self.max_seconds:
            limit = self.max_seconds
            parts.append(f"< {limit:g} s" if limit >= 1 else f"< {limit * 1000:g} ms")
        return ", ".join(parts)

    def result(self) -> str:
        if not self.agrees:
            return "FAIL" if self.seconds is None else "FAIL (answer differs)"
        if self.seconds is None:
            return ""
        if not self.target():
            return "info"
        ratio_ok = self.max_ratio is None or (self.ratio or 0) <= self.max_ratio
        time_ok = self.max_seconds is None or self.seconds < self.max_seconds
        return "PASS" if ratio_ok and time_ok else "FAIL"

    def cells(self) -> list[str]:
        ratio = f"{self.ratio:.1f}×" if self.ratio else ""
        return [
            self.store,
            self.what,
            self.text or fmt(self.seconds),
            fmt(self.floor),
            self.floor_is,
            ratio,
            self.target(),
            self.result(),
        ]


HEADINGS = ["store", "what", "time", "floor", "floor is", "ratio", "target", "result"]


def fmt(seconds: float | None) -> str:
    """Milliseconds below a second, seconds above."""
    if seconds is None:
        return ""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:,.0f} s"


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def plain_table(rows: list[list[str]]) -> str:
    """Columns padded to their widest cell, CJK-aware."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(rows: list[list[str]]) -> str:
    """The same table for bench/results.md."""
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n".join(lines)


def records(output: str) -> list[list[str]]:
    """Rows printed in the sqlite3 shell's -ascii mode (fields 0x1F, rows 0x1E)."""
    return [record.split("\x1f") for record in output.split("\x1e") if record]


def query(ledger: Path, sql: str) -> list[tuple]:
    """Rows of one query on a ledger, from this process."""
    with closing(sqlite3.connect(ledger)) as conn:
        return conn.execute(sql).fetchall()


def busiest_month(ledger: Path) -> tuple[str, int]:
    """The month with the most registrations, and how many."""
    ((month, count),) = query(
        ledger,
        "SELECT substr(received_at, 1, 7) m, count(*) FROM cases GROUP BY m ORDER BY 2 DESC LIMIT 1",
    )
    return str(month), int(count)


def copy_ledger(source: Path, target: Path) -> None:
    """A consistent copy (SQLite's backup API: the WAL is included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def registration(n: int, lists: dict[str, list[str]]) -> list[str]:
    """The n-th clerk's `register` command: varied, realistic and valid arguments."""

    def pick(name: str, step: int = 1) -> str:
        return lists[name][(n * step) % len(lists[name])]

    source = pick("source")
    issue = ISSUES[n % len(ISSUES)].format(n=n % 97 + 2)
    args = [
        "register",
        *("--name", f"{SURNAMES[n % len(SURNAMES)]}某{n}", "--phone", f"138{n:08d}"),
        *("--source", source, "--form", pick("form", 7), "--category", pick("category", 3)),
        *("--town", pick("township", 5), "--receiver", "王芳"),
        *("--content", f"反映{PLACES[n % len(PLACES)]}{issue}，{ASKS[n % len(ASKS)]}（{n}）"),
        *("--on", f"2026-11-{16 + n % 5} {8 + n % 9:02d}:{n * 7 % 60:02d}"),
    ]
    if source == "上级交办":
        args += ["--upper-ref", f"张信转〔2026〕{n}号"]
    if source == "网络舆情":
        args += ["--platform", "人民网领导留言板", "--url", f"https://liuyan.people.com.cn/{n}"]
        args += ["--posted-at", "2026-11-15 21:00"]
    return args


@dataclass
class Bench:
    """One run of the benchmark: where the ledgers are, how many runs, what was noted."""

    data: Path
    runs: Runs
    work: Path
    notes: list[str] = field(default_factory=list)

    @cached_property
    def python_floor(self) -> float:
        """`python -c "import sqlite3"`: the start-up floor of any Python CLI."""
        return self.median([PYTHON, "-c", "import sqlite3"], self.runs.startup)

    def once(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> float:
        """Seconds one run of `cmd` takes (output discarded); Failed if it fails."""
        start = time.perf_counter()
        code = subprocess.call(
            cmd,
            env=ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - start
        if code not in ok:
            self.output(cmd, ok)  # again, to show why
        return elapsed

    def median(
        self, cmd: list[str], runs: int, warmup: int = 2, ok: tuple[int, ...] = (0,)
    ) -> float:
        """The median of `runs` timed runs, after `warmup` untimed ones."""
        for _ in range(warmup):
            self.once(cmd, ok)
        return statistics.median(self.once(cmd, ok) for _ in range(runs))

    def output(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> str:
        """What `cmd` prints; Failed, with the last line of its error, when it fails."""
        done = subprocess.run(
            cmd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        if done.returncode not in ok:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            raise Failed(f"exit {done.returncode}: {shlex.join(cmd)[:300]}: {last}")
        return done.stdout

    def sql_command(self, ledger: Path, sql: Path) -> tuple[list[str], str]:
        """The queries of a file run by the sqlite3 shell (or by Python's sqlite3 when there
        is no shell), with :as_of bound; rows come out in the shell's -ascii format."""
        if SQLITE_SHELL:
            setting = f".parameter set :as_of \"'{AS_OF}'\""
            cmd = [SQLITE_SHELL, "-ascii", "-cmd", setting, str(ledger), f".read '{sql}'"]
            return cmd, "sqlite3 shell"
        return [PYTHON, "-c", PY_QUERY, str(ledger), str(sql), AS_OF], "Python sqlite3 (no shell)"

    def ledger(self, size: str) -> Path:
        """bench/data/ledger-SIZE.db, generated first when missing."""
        path = self.data / f"ledger-{size}.db"
        if not path.exists():
            print(f"generating {path} …", flush=True)
            start = time.perf_counter()
            cmd = [PYTHON, str(BENCH / "generate.py"), "--size", size, "--out", str(path)]
            subprocess.run(cmd, check=True, env=ENV)
            said = f"generated {path.name} in {fmt(time.perf_counter() - start)}"
            print(said, flush=True)
            self.notes.append(said)
        return path

    def lists(self, ledger: Path) -> Path:
        """The ledger's choice lists (`config show --json`) in a file, for the clerks."""
        path = self.work / f"lists-{ledger.stem}.json"
        if not path.exists():
            config = self.output([*XINFANG, "config", "show", "--json", "--db", str(ledger)])
            lists = json.loads(config)["lists"]
            path.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
        return path

    def startup(self, ledger: Path) -> list[Row]:
        """Start-up of a Python CLI: typer, rich, --help and `show` beside `import sqlite3`."""
        runs = self.runs.startup
        floor = {"floor": self.python_floor, "floor_is": "python -c 'import sqlite3'"}
        rows = [
            Row(
                f"start-up: python -c 'import {m}'",
                self.median([PYTHON, "-c", f"import {m}"], runs),
                **floor,
            )
            for m in ("typer", "rich.console, rich.table")
        ]
        rows.append(
            Row("start-up: xinfang --help", self.median([*XINFANG, "--help"], runs), **floor)
        )
        ((case, events),) = query(
            ledger,
            "SELECT printf('%d-%04d', c.year, c.seq), count(*) FROM events e "
            "JOIN cases c ON c.id = e.case_id GROUP BY e.case_id ORDER BY 2 DESC, 1 LIMIT 1",
        )
        for extra in (["--json"], []):
            cmd = [*XINFANG, "show", case, *extra, "--db", str(ledger)]
            what = f"start-up: show {case} {' '.join(extra) or '(human)'} ({ledger.stem}, {events} events)"
            rows.append(Row(what, self.median(cmd, runs), **floor, max_ratio=4))
        return rows

    def overdue(self, ledger: Path) -> Row:
        """The morning scan beside the hand-written SQL, and a check they agree."""
        cmd = [*XINFANG, "overdue", "--json", "--as-of", AS_OF, "--db", str(ledger)]
        floor_cmd, floor_is = self.sql_command(ledger, FLOOR_OVERDUE)
        runs = self.runs.overdue
        seconds = self.median(cmd, runs, warmup=1, ok=(0, 1))  # 1: something is overdue
        floor = self.median(floor_cmd, runs, warmup=1)
        items = json.loads(self.output(cmd, ok=(0, 1)))["overdue"]
        loans = sum(item["stage"] == "loan" for item in items)
        mine = {(i["case_no"], i["stage"], i["round"]) for i in items if i["stage"] != "loan"}
        theirs = {(r[0], r[1], int(r[2])) for r in records(self.output(floor_cmd))}
        agrees = mine == theirs
        said = f"overdue ({ledger.stem}): "
        if agrees:
            said += f"same answer: {len(mine):,} overdue (case, stage, round) from both"
        else:
            said += (
                f"ANSWERS DIFFER: xinfang {len(mine):,}, floor {len(theirs):,}; only xinfang "
                f"{sorted(mine - theirs)[:3]}, only floor {sorted(theirs - mine)[:3]}"
            )
        self.notes.append(said + (f"; {loans} overdue loans left aside" if loans else ""))
        return Row(
            f"overdue --json --as-of {AS_OF} ({ledger.stem})",
            seconds,
            floor,
            f"{floor_is}, bench/floor_overdue.sql",
            max_ratio=3,
            max_seconds=1,
            agrees=agrees,
        )

    def month(self, main: Path) -> tuple[Path, str]:
        """The ledger and month of the reports: ledger-month10k's 2026-10 (~10,000 cases)
        if it is there, else the busiest month of the main ledger."""
        path = self.data / f"ledger-{MONTH_LEDGER}.db"
        if path.exists():
            return path, BUSY_MONTH
        month, count = busiest_month(main)
        self.notes.append(
            f"reports: no {path.name} (python bench/generate.py --size {MONTH_LEDGER} --out "
            f"{path}), so the busiest month of {main.stem}: {month}, {count:,} cases"
        )
        return main, month

    def reports(self, main: Path) -> list[Row]:
        """The two monthly tables beside a bare openpyxl loop writing the same cells."""
        ledger, month = self.month(main)
        rows = []
        for table in ("accept", "handle"):
            out, cells = self.work / f"{table}.xlsx", str(self.work / f"{table}.json")
            cmd = [*XINFANG, "report", table, "--month", month, "-o", str(out), "--force"]
            seconds = self.median([*cmd, "--db", str(ledger)], self.runs.report, warmup=1)
            self.output([PYTHON, FLOOR_REPORT, "dump", str(out), cells])
            shape = json.loads(Path(cells).read_text(encoding="utf-8"))
            floors = {
                mode: self.median(
                    [PYTHON, FLOOR_REPORT, "write", cells, str(self.work / "floor.xlsx"), *flag],
                    self.runs.report,
                    warmup=1,
                )
                for mode, flag in (
                    ("normal", []), ("write-only", ["--write-only"]), ("styled", ["--styled"])
                )
            }  # fmt: skip
            mode = min(("normal", "write-only"), key=floors.__getitem__)
            self.notes.append(
                f"report {table}: floor normal {fmt(floors['normal'])}, write-only "
                f"{fmt(floors['write-only'])}, write-only with the form's cell style "
                f"{fmt(floors['styled'])}"
            )
            what = f"report {table} --month {month} ({ledger.stem})"
            size = f"{len(shape):,} rows × {len(shape[-1])} cells"
            rows.append(Row(what, seconds, floors[mode], f"openpyxl {mode}, {size}", max_ratio=1.5))
            rows.append(
                Row(
                    what,
                    seconds,
                    floors["styled"],
                    f"openpyxl write-only, {size}, each cell bordered, 宋体, wrapped",
                    max_ratio=1.5,
                )
            )
        return rows

    def register(self, main: Path, count: int) -> Row:
        """`count` registrations, one process each, on a copy of the main ledger."""
        ledger = self.work / "register.db"
        copy_ledger(main, ledger)
        config = self.output([*XINFANG, "config", "show", "--json", "--db", str(ledger)])
        lists = json.loads(config)["lists"]
        ((before,),) = query(ledger, "SELECT count(*) FROM cases")
        start = time.perf_counter()
        for n in range(count):
            self.once([*XINFANG, *registration(n, lists), "--db", str(ledger)])
            if (n + 1) % max(count // 10, 1) == 0:
                print(f"  register {n + 1:,}/{count:,}", file=sys.stderr, flush=True)
        total = time.perf_counter() - start
        ((after,),) = query(ledger, "SELECT count(*) FROM cases")
        self.notes.append(
            f"register: {after - before:,} cases added to a copy of {main.stem}, "
            f"{total / count * 1000:.0f} ms per command; floor = {count:,} × the start-up floor"
        )
        return Row(
            f"register ×{count:,}, one process each ({main.stem} copy)",
            total,
            count * self.python_floor,
            f"{count:,} × python -c 'import sqlite3'",
            agrees=after - before == count,
        )

    def bulk_import(self) -> Row:
        """`xinfang import` of the 100k ledger's own export into an empty ledger, beside
        reading the same workbook with python-calamine (the reader it uses)."""
        source = self.data / f"ledger-{IMPORT_SIZE}.db"
        workbook = self.data / f"export-{IMPORT_SIZE}.xlsx"
        if not workbook.exists():  # made once: exporting 100,000 cases takes a while
            self.output([*XINFANG, "export", "-o", str(workbook), "--db", str(source)])
        target = self.work / "imported.db"
        target.unlink(missing_ok=True)
        seconds = self.once([*XINFANG, "import", str(workbook), "--db", str(target)])
        read = (
            "from python_calamine import CalamineWorkbook; import sys; "
            "CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()"
        )
        floor = self.median([PYTHON, "-c", read, str(workbook)], 3)
        ((cases,),) = query(target, "SELECT count(*) FROM cases")
        ((rows,),) = query(source, "SELECT count(*) FROM cases")
        self.notes.append(f"import: {cases:,} of {rows:,} exported cases imported")
        return Row(
            f"import of the {IMPORT_SIZE} ledger's export (.xlsx) into an empty ledger",
            seconds,
            floor,
            "python-calamine reading the same workbook",
            agrees=cases == rows,
        )

    def search(self, ledger: Path) -> list[Row]:
        """Full-text search beside the same SQL in the sqlite3 shell (same rows, checked)."""
        rows = []
        for term in SEARCH_TERMS:
            cmd = [*XINFANG, "search", term, "--json", "--db", str(ledger)]
            with closing(sqlite3.connect(ledger)) as conn:
                condition = text_matches(conn, term)
            sql = self.work / f"search-{len(rows)}.sql"
            sql.write_text(
                f"SELECT printf('%d-%04d', year, seq), * FROM cases WHERE {condition} "
                f"ORDER BY {SEARCH_ORDER} LIMIT {SEARCH_LIMIT};\n",
                encoding="utf-8",
            )
            floor_cmd, floor_is = self.sql_command(ledger, sql)
            seconds = self.median(cmd, self.runs.search)
            floor = self.median(floor_cmd, self.runs.search)
            found = [case["case_no"] for case in json.loads(self.output(cmd))]
            floor_found = [record[0] for record in records(self.output(floor_cmd))]
            agrees = found == floor_found
            verdict = "the same list as" if agrees else "DIFFERENT from"
            self.notes.append(
                f"search {term} ({ledger.stem}): {len(found)} cases, {verdict} the floor's "
                f"{len(floor_found)} (ORDER BY {SEARCH_ORDER} LIMIT {SEARCH_LIMIT})"
            )
            how = "FTS5 trigram MATCH" if len(term) >= 3 else "LIKE over cases_fts"
            rows.append(
                Row(
                    f"search {term} --json ({ledger.stem})",
                    seconds,
                    floor,
                    f"{floor_is}, {how}",
                    max_seconds=0.1,
                    agrees=agrees,
                )
            )
        return rows

    def listing(self, ledger: Path) -> list[Row]:
        """`list` as the clerk types it: the default page (the newest open cases) in human
        output, beside the same page in the sqlite3 shell (same cases, checked); and
        `list --all` streamed, for information."""
        statuses = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))
        sql = self.work / "list-page.sql"
        sql.write_text(
            f"SELECT printf('%d-%04d', year, seq), * FROM cases WHERE status IN ({statuses}) "
            f"ORDER BY id DESC LIMIT {LIST_PAGE};\n",
            encoding="utf-8",
        )
        floor_cmd, floor_is = self.sql_command(ledger, sql)
        cmd = [*XINFANG, "list", "--db", str(ledger)]
        seconds = self.median(cmd, self.runs.search)
        floor = self.median(floor_cmd, self.runs.search)
        shown = self.output(cmd)
        page = [record[0] for record in records(self.output(floor_cmd))]
        agrees = all(number in shown for number in page) and "--all 全部列出" in shown
        self.notes.append(
            f"list ({ledger.stem}): the default page shows the floor's {len(page)} newest open "
            f"cases: {'yes' if agrees else 'NO'}"
        )
        every = [*XINFANG, "list", "--all", "--db", str(ledger)]
        return [
            Row(
                f"list (default page, human) ({ledger.stem})",
                seconds,
                floor,
                f"{floor_is}, the same {LIST_PAGE} rows",
                max_seconds=0.15,
                agrees=agrees,
            ),
            Row(
                f"list --all (human, streamed) ({ledger.stem})",
                self.median(every, 1, warmup=0),
                self.python_floor,
                "python -c 'import sqlite3'",
            ),
        ]


def shell_version() -> str:
    if not SQLITE_SHELL:
        return "none: the floors run in Python's sqlite3"
    done = subprocess.run([SQLITE_SHELL, "--version"], capture_output=True, text=True)
    return done.stdout.split()[0]


def machine() -> list[str]:
    """Date, machine and versions."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return [
        f"date: {datetime.now():%Y-%m-%d %H:%M}; clock of every xinfang call: {ENV['XINFANG_NOW']}",
        f"machine: {len(os.sched_getaffinity(0))} CPUs (nproc), {cpu}; {load()}",
        f"Python {platform.python_version()}, typer {metadata.version('typer')}, "
        f"SQLite {sqlite3.sqlite_version} (Python), {shell_version()} (sqlite3 shell)",
    ]


def load() -> str:
    """The load average: above the CPU count, other work shared the machine."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def ledger_facts(path: Path) -> str:
    """Cases, open cases and open deadlines of a ledger."""
    statuses = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))
    ((cases, open_cases, deadlines, loans),) = query(
        path,
        f"SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM cases WHERE status IN ({statuses})), "
        "(SELECT count(*) FROM deadlines WHERE met_on IS NULL), "
        "(SELECT count(*) FROM loans WHERE returned_on IS NULL)",
    )
    return (
        f"{path.name}: {cases:,} cases, {open_cases:,} open, {deadlines:,} open deadlines, "
        f"{loans:,} open loans"
    )


def chosen(ledgers: dict[str, Path], wanted: tuple[str, ...]) -> list[Path]:
    """The wanted sizes among those given, or else the largest given."""
    largest = max(ledgers, key=SIZES.__getitem__)
    return [ledgers[size] for size in wanted if size in ledgers] or [ledgers[largest]]


def sections_run(
    bench: Bench, sections: dict[str, Callable[[], list[Row]]], store: str
) -> list[Row]:
    """Each section's rows; one whose command fails says so and the others run."""
    rows = []
    for name, section in sections.items():
        try:
            rows += section()
        except Failed as error:
            print(f"{name} ({store}) failed: {error}", file=sys.stderr, flush=True)
            bench.notes.append(f"{name} ({store}) FAILED: {error}")
            rows.append(Row(name, None, text="failed (see below)", agrees=False, store=store))
    return rows


def measure(
    bench: Bench, ledgers: dict[str, Path], count: int, stores: tuple[str, ...]
) -> list[Row]:
    """Every section of the table, for each store asked for."""
    from pg_rows import clerk_rows

    (main_ledger,) = chosen(ledgers, ("100k",))
    rows = []
    if "SQLite" in stores:
        clerks = bench.work / "clerks.db"
        copy_ledger(main_ledger, clerks)
        sections: dict[str, Callable[[], list[Row]]] = {
            "start-up": lambda: bench.startup(main_ledger),
            "overdue": lambda: [bench.overdue(path) for path in chosen(ledgers, ("100k", "1m"))],
            "reports": lambda: bench.reports(main_ledger),
            "register": lambda: [bench.register(main_ledger, count)],
            "bulk import": lambda: [bench.bulk_import()],
            "search": lambda: [
                row for path in chosen(ledgers, ("1m",)) for row in bench.search(path)
            ],
            "list": lambda: bench.listing(main_ledger),
            "clerks": lambda: clerk_rows(
                bench, "SQLite", str(clerks), bench.lists(main_ledger), CLERKS
            ),
        }
        rows += sections_run(bench, sections, "SQLite")
    if "PostgreSQL" in stores:
        rows += postgresql(bench, main_ledger)
    return rows


def postgresql(bench: Bench, ledger: Path) -> list[Row]:
    """The PostgreSQL rows, on a throwaway cluster holding `ledger` (made here, removed after)."""
    from county import county_of
    from pg_rows import PG, PgRows, clerk_rows

    print(f"moving {ledger.name} into a throwaway PostgreSQL cluster …", flush=True)
    try:
        with county_of(ledger, XINFANG, ENV) as county:
            bench.notes.append(
                f"PostgreSQL {county.version}: a throwaway cluster (tests/pg.py: unix socket, "
                f"fsync and synchronous_commit off); {ledger.name} moved in by "
                f"`xinfang migrate-store` in {fmt(county.migrated_in)} ({county.cases:,} cases), "
                "then ANALYZE; every command connects as the office's clerk role (row-level security on)"
            )
            pg = PgRows(bench, ledger, county)
            month, _ = busiest_month(ledger)
            sections: dict[str, Callable[[], list[Row]]] = {
                "overdue": lambda: [pg.overdue()],
                "search": pg.search,
                "report accept": lambda: [pg.report_accept(month)],
                "clerks": lambda: clerk_rows(bench, PG, county.dsn, bench.lists(ledger), CLERKS),
            }
            return sections_run(bench, sections, PG)
    except RuntimeError as error:  # the cluster or the migration
        bench.notes.append(f"PostgreSQL FAILED: {error}")
        return [Row("PostgreSQL ledger", None, text="failed (see below)", agrees=False, store=PG)]


def publish(header: list[str], rows: list[Row], notes: list[str], results: Path) -> None:
    """The table with its notes and command: printed, and as Markdown in results.md."""
    notes = [*notes, f"at the end: {load()}"]
    cells = [HEADINGS, *(row.cells() for row in rows)]
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])
    print("\n" + plain_table(cells) + "\n\n" + "\n".join(notes) + f"\n\ncommand: {command}")
    markdown = [
        "# xinfang benchmark",
        "",
        *(f"- {line}" for line in header),
        "",
        markdown_table(cells),
        "",
        *(f"- {note}" for note in notes),
        "",
        f"Command: `{command}`",
        "",
    ]
    results.write_text("\n".join(markdown), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,100k,1m", help="ledgers: 1k, 10k, 100k, 1m")
    parser.add_argument("--data", type=Path, default=BENCH / "data", help="where the ledgers are")
    parser.add_argument("--register", type=int, help="registrations (default 10000, --quick 200)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, 200 registrations")
    parser.add_argument(
        "--results", type=Path, default=BENCH / "results.md", help="where the Markdown goes"
    )
    parser.add_argument(
        "--store",
        choices=sorted(STORES),
        help="the rows of which store (default both where PostgreSQL's binaries are, else sqlite)",
    )
    args = parser.parse_args()
    from county import why_not

    absent = why_not()
    if args.store in ("postgresql", "both") and absent:
        parser.error(f"no PostgreSQL here: {absent}")
    stores = STORES[args.store or ("sqlite" if absent else "both")]
    sizes = args.sizes.split(",")
    if unknown := set(sizes) - set(SIZES):
        parser.error(f"unknown size {', '.join(sorted(unknown))}; known: {', '.join(SIZES)}")
    header = machine()
    print("\n".join(header), flush=True)
    args.data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xinfang-bench-") as work:
        bench = Bench(args.data, QUICK if args.quick else Runs(), Path(work))
        ledgers = {size: bench.ledger(size) for size in sizes}
        facts = [ledger_facts(path) for path in ledgers.values()]
        print("\n".join(facts), flush=True)
        if args.store is None and absent:
            bench.notes.append(f"PostgreSQL rows skipped: {absent}")
            print(f"PostgreSQL rows skipped: {absent}", flush=True)
        rows = measure(bench, ledgers, args.register or (200 if args.quick else 10_000), stores)
    publish(header + facts, rows, bench.notes, args.results)


if __name__ == "__main__":
    # As the module `run`, the one pg_rows.py and clerks.py import: one copy of its classes.
    import run

    run.main()
