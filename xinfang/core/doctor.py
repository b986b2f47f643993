"""`xinfang doctor`: is the ledger sound? Each check says what it found in Chinese; a
problem (问题) makes the exit status 1, a notice (提示) does not."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from xinfang.core import presets, settings
from xinfang.core.clock import deadlines, workdays
from xinfang.core.clock.dates import today
from xinfang.core.clock.promises import WEEKDAYS
from xinfang.core.intake.numbering import short_number
from xinfang.core.life import columns, links, projection
from xinfang.core.life.case import Case
from xinfang.core.life.files import files_dir
from xinfang.store import migrations
from xinfang.store.dialect import dialect_of

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
    found = _county_store(conn) if dialect_of(conn).postgres else _file(conn)
    found.append(_permissions(path, files_dir(conn)))
    found.append(_office(conn))
    found.extend(_calendar(conn))
    found.append(_history(conn))
    found.append(_links(conn))
    found.append(_sequences(conn))
    found.append(_deadlines(conn))
    return found


def _county_store(conn: sqlite3.Connection) -> list[Finding]:
    """PostgreSQL checks its pages and enforces every foreign key itself; what is left to
    look at is the schema's version and that the rules of the lanes are on."""
    version = conn.execute("SELECT version FROM store_version").fetchone()[0]
    unguarded = [
        row[0]
        for row in conn.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = "
            "'public'::regnamespace AND relname IN (SELECT table_name FROM "
            "information_schema.columns WHERE column_name = 'office_id' AND table_schema = "
            "'public') AND relname NOT IN ('offices', 'office_roles') AND NOT (relrowsecurity AND relforcerowsecurity)"
        )
    ]
    return [
        Finding(OK, "结构版本", f"第 {version} 版（程序支持第 {migrations.LATEST} 版）"),
        Finding(PROBLEM, "单位隔离", f"这些表未强制行级安全：{'、'.join(unguarded)}")
        if unguarded
        else Finding(OK, "单位隔离", "各单位的案件表均强制行级安全"),
    ]


def _file(conn: sqlite3.Connection) -> list[Finding]:
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
    return found


def _office(conn: sqlite3.Connection) -> Finding:
    """A notice, not a problem: the file is sound, but its papers may name another office."""
    warning = presets.seed_warning(conn)
    if warning:
        return Finding(NOTICE, "本单位设置", warning)
    return Finding(OK, "本单位设置", f"已设置本单位：{settings.get(conn, 'unit_name')}")


def _open_to_others(path: Path) -> bool:
    return bool(stat.S_IMODE(os.stat(path).st_mode) & 0o077)


def _permissions(path: Path, folder: Path) -> Finding:
    """The ledger's files and its files folder (attachments, archived case files), with
    everything in it: personal data that only the clerk may read."""
    inside: list[Path] = []
    for root, _, names in os.walk(folder):  # nothing when there is no folder yet
        inside += [Path(root), *(Path(root) / name for name in names)]
    loose = [p for p in [*_files(path), *inside] if not p.is_symlink() and _open_to_others(p)]
    if not loose:
        return Finding(OK, "文件权限", "台账及其材料、案卷仅本人可读写（文件 0600，文件夹 0700）")
    shown = "、".join(str(p.relative_to(path.parent)) for p in loose[:5])
    more = f" 等 {len(loose)} 个" if len(loose) > 5 else ""
    fix = [f"{path}*"] if set(loose) & set(_files(path)) else []
    fix += [str(folder)] if set(loose) & set(inside) else []
    return Finding(
        PROBLEM, "文件权限", f"{shown}{more} 可被他人读取；请执行 chmod -R go= {' '.join(fix)}"
    )


def _numbers(rows: list[tuple[int, int]]) -> str:
    return "、".join(short_number(year, seq) for year, seq in rows[:10])


def _history(conn: sqlite3.Connection) -> Finding:
    """Every case begins with its registration and its row is what its events give
    (projection.py): one ordered pass over the cases beside one over the events."""
    cases, events = conn.cursor(), conn.cursor()
    cases.row_factory = events.row_factory = None  # plain tuples: 100,000 cases in seconds
    cases.execute(
        f"SELECT id, year, seq, origin_office IS NOT NULL, {', '.join(columns.PROJECTED)} "
        "FROM cases ORDER BY id"
    )
    dataless = ", ".join(f"'{action}'" for action in sorted(projection.DATALESS))
    events.execute(  # notes and letters can be long: the fold does not read them
        f"SELECT case_id, action, occurred_at, CASE WHEN action IN ({dataless}) THEN '' "
        "ELSE data END FROM events ORDER BY case_id, id"
    )
    histories = groupby(events, key=itemgetter(0))
    current, history = next(histories, (None, iter(())))
    unregistered: list[tuple[int, int]] = []
    drifted: list[tuple[int, int, list[str]]] = []
    total = 0
    for case_id, year, seq, merged, *stored in cases:
        total += 1
        while current is not None and current < case_id:
            current, history = next(histories, (None, iter(())))
        own = [event[1:] for event in history] if current == case_id else []
        if not own or own[0][0] != "register":
            unregistered.append((year, seq))
            continue
        try:
            projected = projection.fold(own)
        except (ValueError, KeyError, TypeError, AttributeError):
            drifted.append((year, seq, ["无法重放"]))
            continue
        if tuple(stored) != projection.as_stored(projected, merged=bool(merged)):
            drifted.append(
                (year, seq, projection.differences(stored, projected, merged=bool(merged)))
            )
    if unregistered:
        return Finding(
            PROBLEM, "办理记录", f"{len(unregistered)} 件案件没有登记记录：{_numbers(unregistered)}"
        )
    if drifted:
        shown = "、".join(f"{short_number(y, s)}（{'、'.join(w[:5])}）" for y, s, w in drifted[:10])
        return Finding(PROBLEM, "办理记录", f"{len(drifted)} 件案件的状态与办理记录不符：{shown}")
    return Finding(OK, "办理记录", f"{total} 件案件的状态与办理记录一致")


def _links(conn: sqlite3.Connection) -> Finding:
    """Each row's repeat link is what the link facts of the events give (links.py)."""
    drifted = links.drifted(conn)
    if drifted:
        shown = "、".join(drifted[:10])
        return Finding(
            PROBLEM, "重复信访关联", f"{len(drifted)} 件案件的关联与办理记录不符：{shown}"
        )
    return Finding(OK, "重复信访关联", "各案的重复信访关联与办理记录一致")


def _sequences(conn: sqlite3.Connection) -> Finding:
    """No number can be handed out twice: each yearly sequence is past its highest use."""
    behind = conn.execute(
        "SELECT used.name, used.year, used.top, s.last FROM ("
        "  SELECT 'case' AS name, year, max(seq) AS top FROM cases GROUP BY year"
        "  UNION ALL SELECT 'assign', assign_year, max(assign_seq) FROM cases "
        "  WHERE assign_seq IS NOT NULL GROUP BY assign_year) used "
        "LEFT JOIN sequences s ON s.name = used.name AND s.year = used.year "
        "WHERE s.last IS NULL OR s.last < used.top"
    ).fetchall()
    if behind:
        detail = "、".join(
            f"{name} {year} 年（已用到 {top}，序号为 {last}）" for name, year, top, last in behind
        )
        return Finding(PROBLEM, "编号", f"编号序列落后于已用编号：{detail}")
    return Finding(OK, "编号", "各年度编号序列正常，无重号")


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
    differing = workdays.office_disagreements(conn)
    if differing:
        result.append(Finding(NOTICE, "工作日历", _disagreement(differing)))
    if workdays.is_stale(conn):
        result.append(
            Finding(
                NOTICE,
                "工作日历",
                "已安装的 chinese-calendar 有更新；下次 xinfang overdue 时自动重建",
            )
        )
    return result


def _disagreement(days: list[workdays.Disagreement]) -> str:
    """Each day where the office's entered notice and chinese-calendar differ, and which
    of the two the deadlines are counted by now (an entered day as entered)."""
    words = {True: "上班", False: "休息"}
    shown = "；".join(
        f"{d.day}（{WEEKDAYS[d.day.weekday()]}）本单位录入的通知为{words[d.office]}，"
        f"chinese-calendar 为{words[d.package]}，"
        f"现按{'本单位录入' if d.entered else ' chinese-calendar '}计算"
        for d in days[:20]
    )
    more = f"等 {len(days)} 天" if len(days) > 20 else f"共 {len(days)} 天"
    return (
        f"本单位录入的节假日与已安装的 chinese-calendar 不一致（{more}）：{shown}。"
        "请对照国务院办公厅通知核实，用 xinfang calendar set 日期 休|班 录入正确的安排"
    )


def _deadlines(conn: sqlite3.Connection) -> Finding:
    """Re-derive every open case's deadlines from its events and compare with the table."""
    cal = workdays.load(conn)
    differing = []
    rows = conn.execute("SELECT * FROM cases WHERE status NOT IN ('archived')").fetchall()
    open_cases = [Case.from_row(row) for row in rows]
    for case in open_cases:
        events = conn.execute(
            "SELECT action, occurred_at, round, data FROM events WHERE case_id = ? ORDER BY id",
            (case.id,),
        ).fetchall()
        expected = {
            (d.stage, d.round, d.due_on.isoformat() if d.due_on else None,
             d.met_on.isoformat() if d.met_on else None, d.ended_by)
            for d in deadlines.derive(case, events, deadlines.rules_of(conn, case), cal)
        }  # fmt: skip
        stored = set(
            conn.execute(
                "SELECT stage, round, due_on, met_on, ended_by FROM deadlines WHERE case_id = ?",
                (case.id,),
            ).fetchall()
        )
        if expected != {tuple(row) for row in stored}:
            differing.append(case.number)
    if differing:
        return Finding(
            PROBLEM,
            "期限",
            f"{len(differing)} 件案件的期限与办理记录不符：{'、'.join(differing[:10])}",
        )
    return Finding(OK, "期限", f"{len(open_cases)} 件未归档案件的期限与办理记录一致")
