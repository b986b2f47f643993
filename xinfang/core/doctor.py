"""`xinfang doctor`: is the ledger sound? Each check says what it found in Chinese; a
problem (问题) makes the exit status 1, a notice (提示) does not."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from xinfang.core import deadlines, workdays
from xinfang.core.dates import today
from xinfang.store import migrations

PROBLEM = "问题"
NOTICE = "提示"
OK = "正常"


@dataclass(frozen=True)
class Finding:
    level: str
    check: str
    detail: str


def _files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def check(conn: sqlite3.Connection, path: Path) -> list[Finding]:
    found: list[Finding] = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    found.append(
        Finding(OK, "完整性", "integrity_check 通过")
        if integrity == ["ok"]
        else Finding(PROBLEM, "完整性", "；".join(integrity[:5]))
    )
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    found.append(
        Finding(PROBLEM, "外键", f"{len(broken)} 处引用不存在的记录")
        if broken
        else Finding(OK, "外键", "foreign_key_check 通过")
    )
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    found.append(Finding(OK, "结构版本", f"第 {version} 版（程序支持第 {migrations.LATEST} 版）"))
    loose = [p.name for p in _files(path) if stat.S_IMODE(os.stat(p).st_mode) & 0o077]
    found.append(
        Finding(PROBLEM, "文件权限", f"{'、'.join(loose)} 可被他人读取；请执行 chmod 600")
        if loose
        else Finding(OK, "文件权限", "仅本人可读写（0600）")
    )
    found.extend(_calendar(conn))
    found.append(_deadlines(conn))
    return found


def _calendar(conn: sqlite3.Connection) -> list[Finding]:
    result = []
    cal = workdays.load(conn)
    year = today().year
    if not cal.year_known(year):
        result.append(
            Finding(
                PROBLEM,
                "工作日历",
                f"{year} 年节假日未录入，期限暂按周末计算；"
                f"请用 xinfang calendar set 或 import 录入",
            )
        )
    else:
        result.append(Finding(OK, "工作日历", f"{year} 年节假日已知"))
    warning = workdays.next_year_warning(cal, today())
    if warning:
        result.append(Finding(NOTICE, "工作日历", warning))
    if workdays.is_stale(conn):
        result.append(
            Finding(
                NOTICE,
                "工作日历",
                "已安装的 chinese-calendar 有更新；下次 xinfang overdue 时自动重建",
            )
        )
    return result


def _deadlines(conn: sqlite3.Connection) -> Finding:
    """Re-derive every open case's deadlines from its events and compare with the table."""
    cal = workdays.load(conn)
    differing = []
    open_cases = conn.execute("SELECT * FROM cases WHERE status NOT IN ('archived')").fetchall()
    for case in open_cases:
        events = conn.execute(
            "SELECT action, occurred_at, round, data FROM events WHERE case_id = ? ORDER BY id",
            (case["id"],),
        ).fetchall()
        expected = {
            (d.stage, d.round, d.due_on.isoformat() if d.due_on else None,
             d.met_on.isoformat() if d.met_on else None)
            for d in deadlines.derive(case, events, deadlines.rules_of(conn, case), cal)
        }  # fmt: skip
        stored = set(
            conn.execute(
                "SELECT stage, round, due_on, met_on FROM deadlines WHERE case_id = ?",
                (case["id"],),
            ).fetchall()
        )
        if expected != {tuple(row) for row in stored}:
            differing.append(f"{case['year']}-{case['seq']:04d}")
    if differing:
        return Finding(
            PROBLEM,
            "期限",
            f"{len(differing)} 件案件的期限与办理记录不符：{'、'.join(differing[:10])}",
        )
    return Finding(OK, "期限", f"{len(open_cases)} 件未归档案件的期限与办理记录一致")
