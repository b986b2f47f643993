"""The office's clock: the day of an action is the office's day whatever the server's time
zone, no action is dated before the petition was registered, and a pinned clock outside
the ledger's years is refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REGISTER, dump, ledger_files, show
from openpyxl import load_workbook

from xinfang.core.clock import dates
from xinfang.store.db import connect

# 2026-11-30 23:35 UTC is 07:35 on 2026-12-01 in Beijing: another day, another month.
UTC_INSTANT = "2026-11-30T23:35:00+00:00"
BEIJING = ZoneInfo("Asia/Shanghai")
UNDATED = REGISTER[:-2]  # the registration without its --on: dated now


@pytest.fixture(autouse=True)
def beijing_after():
    """The zone is the process's once a ledger is opened: later tests start from Beijing."""
    yield
    dates.use_zone(dates.OFFICE_ZONE)


def xinfang(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A real process on a server whose own time zone is UTC."""
    full = {**os.environ, "TZ": "UTC", **env}
    full = {key: value for key, value in full.items() if value != ""}
    return subprocess.run(
        [sys.executable, "-m", "xinfang", *args], env=full, capture_output=True, text=True
    )


def accept_table(run, month: str, path: Path) -> list[str]:
    run("report", "accept", "--month", month, "-o", str(path))
    sheet = load_workbook(path).active
    return [str(row[1]) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]


# --- the office's time zone ---------------------------------------------------------------


def test_a_petition_at_0735_beijing_is_dated_that_day_on_a_utc_server(run, tmp_path):
    out = xinfang(*UNDATED, XINFANG_NOW=UTC_INSTANT)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "已登记：2026-0001（临民信〔2026〕1号）\n"
    case = show(run)
    assert case["received_at"] == "2026-12-01 07:35:00"
    assert case["events"][0]["occurred_at"] == "2026-12-01 07:35:00"
    assert accept_table(run, "2026-12", tmp_path / "12.xlsx") == ["张三"]
    assert accept_table(run, "2026-11", tmp_path / "11.xlsx") == []


def test_the_real_clock_is_read_in_the_office_zone(run, sql):
    """No pinned clock: the machine's own clock, in UTC here, still gives Beijing time."""
    before = datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)
    out = xinfang(*UNDATED, XINFANG_NOW="")
    after = datetime.now(BEIJING).replace(tzinfo=None)
    assert out.returncode == 0, out.stderr
    [(received,)] = sql("SELECT received_at FROM cases")
    assert before <= datetime.fromisoformat(received) <= after


def test_beijing_time_without_a_system_zone_database(run, sql):
    """Windows and slim containers have no /usr/share/zoneinfo: the tzdata package serves."""
    out = xinfang(*UNDATED, XINFANG_NOW=UTC_INSTANT, PYTHONTZPATH="/nonexistent")
    assert out.returncode == 0, out.stderr
    assert sql("SELECT received_at FROM cases") == [("2026-12-01 07:35:00",)]


def test_the_office_zone_is_a_setting(run, sql):
    assert run("config", "show", "--json").stdout.count('"time_zone": "Asia/Shanghai"') == 1
    out = run("config", "set", "时区", "UTC")
    assert out.stdout == "已设置 时区：UTC\n"
    assert xinfang(*UNDATED, XINFANG_NOW=UTC_INSTANT).returncode == 0
    assert sql("SELECT received_at FROM cases") == [("2026-11-30 23:35:00",)]
    # A date typed without a zone is the office's: 12-01 is still the future in UTC.
    out = xinfang("note", "2026-0001", "补记", "--on", "2026-12-01", XINFANG_NOW=UTC_INSTANT)
    assert out.returncode == 2
    assert out.stderr == "错误：日期：2026-12-01 晚于今天，不能登记将来的事\n"


def test_a_ledger_without_the_setting_keeps_beijing_time(run, db_path, sql):
    """Ledgers made before the setting existed have no row for it."""
    sql_write(db_path, "DELETE FROM settings WHERE key = 'time_zone'")
    assert xinfang(*UNDATED, XINFANG_NOW=UTC_INSTANT).returncode == 0
    assert sql("SELECT received_at FROM cases") == [("2026-12-01 07:35:00",)]
    assert '"time_zone": "Asia/Shanghai"' in run("config", "show", "--json").stdout


def test_a_zone_this_machine_lacks_is_named_and_can_be_mended(run, db_path):
    sql_write(db_path, """UPDATE settings SET value = '"Mars/Olympus"' WHERE key = 'time_zone'""")
    out = run("list", expect=2)
    assert out.stderr == (
        "错误：时区：台账设置的“Mars/Olympus”在本机的时区数据中找不到；"
        "可用 xinfang config set 时区 Asia/Shanghai 改正\n"
    )
    assert "时区（time_zone）：Mars/Olympus" in run("config", "show").stdout
    run("config", "set", "时区", "Asia/Shanghai")
    run("list")


@pytest.mark.parametrize("zone", ["北京时间", "Mars/Olympus", "Asia", "../../etc/passwd", "/etc/localtime", "UTC+8", "", "localtime", "zone.tab", "asia/shanghai"])  # fmt: skip
def test_an_unknown_zone_is_refused(run, db_path, zone):
    before = dump(db_path)
    out = run("config", "set", "时区", zone, expect=2)
    assert out.stderr.startswith("错误：时区：")
    assert "Asia/Shanghai" in out.stderr
    assert out.stderr.count("\n") == 1
    assert dump(db_path) == before


def test_a_pinned_instant_with_an_offset_is_converted(run, sql, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-01 07:00")  # no offset: the office's time
    run(*UNDATED)
    assert sql("SELECT received_at FROM cases") == [("2026-12-01 07:00:00",)]
    for pinned, moment in [
        ("2026-12-01T07:35:00+08:00", "2026-12-01 07:35:00"),
        ("2026-11-30 23:35Z", "2026-12-01 07:35:00"),
        ("2026-12-01 01:35-0600", "2026-12-01 15:35:00"),
    ]:
        monkeypatch.setenv("XINFANG_NOW", pinned)
        run("note", "2026-0001", pinned)
        assert sql("SELECT occurred_at FROM events ORDER BY id DESC LIMIT 1") == [(moment,)]


# --- a pinned clock outside the ledger's years ------------------------------------------


COMMANDS = [
    ("show", "2026-0001"),
    ("list",),
    ("overdue",),
    ("doctor",),
    ("note", "2026-0001", "补记"),
    ("export", "-o", "EXPORT"),
    ("config", "show"),
    ("report", "accept", "--month", "2026-11", "-o", "REPORT"),
    REGISTER[:-2],
]


@pytest.mark.parametrize("pinned", ["9999-12-31", "0001-01-01", "2101-01-01 08:00", "2100-12-31T23:00Z"])  # fmt: skip
def test_a_pinned_clock_beyond_the_ledgers_years_is_one_line(
    run, db_path, tmp_path, monkeypatch, pinned
):
    run(*REGISTER)
    before = dump(db_path)
    monkeypatch.setenv("XINFANG_NOW", pinned)
    for command in COMMANDS:
        args = [str(tmp_path / f"{arg}.xlsx") if arg in ("EXPORT", "REPORT") else arg for arg in command]  # fmt: skip
        out = run(*args, expect=2)
        assert out.stderr.startswith("错误：XINFANG_NOW："), (command, out.stderr)
        assert "只能是 1900 到 2100 年" in out.stderr
        assert out.stderr.count("\n") == 1 and not out.stdout
    assert dump(db_path) == before
    assert not list(tmp_path.glob("*.xlsx"))


def test_the_last_year_a_pinned_clock_may_hold(run, monkeypatch):
    run(*REGISTER)
    monkeypatch.setenv("XINFANG_NOW", "2100-12-31 23:00")
    for command in COMMANDS[:4]:
        assert run(*command, expect=None).exit_code in (0, 1), command  # overdue: 1 if late
    run("note", "2026-0001", "百年后")


def test_a_pinned_clock_beyond_the_years_on_a_new_ledger(no_ledger, run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "9999-12-31")
    out = run("list", expect=2)
    assert out.stderr == "错误：XINFANG_NOW：9999 年超出范围；只能是 1900 到 2100 年\n"
    assert not no_ledger.exists()


def sql_write(db_path: Path, statement: str) -> None:
    conn = connect(db_path)  # autocommit: the statement is written at once
    try:
        conn.execute(statement)
    finally:
        conn.close()


# --- nothing is dated before the registration --------------------------------------------


@pytest.fixture
def registered_0930(run, tmp_path) -> Path:
    run(*REGISTER)  # 2026-11-02 09:30
    run("accept", "2026-0001", "--on", "2026-11-05")
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return scan


@pytest.mark.parametrize(
    ("action", "on", "shown"),
    [
        (("note", "2026-0001", "补记来电"), "2026-11-01", "备注日期 2026-11-01 早于本案登记的日期 2026-11-02"),
        (("note", "2026-0001", "补记来电"), "2026-11-02 09:00", "备注日期 2026-11-02 09:00 早于本案登记的日期 2026-11-02 09:30"),
        (("correct", "2026-0001", "--field", "联系电话", "--value", "13912345678"), "2026-10-30", "更正日期 2026-10-30 早于本案登记的日期 2026-11-02"),
        (("attach", "2026-0001", "FILE"), "2026-11-01", "添加材料日期 2026-11-01 早于本案登记的日期 2026-11-02"),
    ],
)  # fmt: skip
def test_a_record_before_the_registration_is_refused(
    run, db_path, registered_0930, action, on, shown
):
    args = [str(registered_0930) if arg == "FILE" else arg for arg in action]
    before = dump(db_path)
    out = run(*args, "--on", on, expect=2)
    assert out.stderr == f"错误：日期：{shown}；请核对 --on\n"
    assert dump(db_path) == before
    copies = [p for p in ledger_files(db_path).parent.rglob("*来信.pdf") if p != registered_0930]
    assert copies == []


def test_a_record_may_still_precede_the_latest_step(run, registered_0930):
    """A note written later about an earlier call: after the registration, before 受理."""
    run("note", "2026-0001", "信访人来电补充材料", "--on", "2026-11-02")
    run("note", "2026-0001", "又来电", "--on", "2026-11-02 09:30")
    run(
        "correct",
        "2026-0001",
        "--field",
        "联系电话",
        "--value",
        "13912345678",
        "--on",
        "2026-11-03",
    )
    run("attach", "2026-0001", str(registered_0930), "--on", "2026-11-04")
    # The timeline follows the dates: all four come before the 受理 of 11-05.
    assert [e["action"] for e in show(run)["events"]] == [
        "register", "note", "note", "correct", "attach", "accept",
    ]  # fmt: skip


def test_a_corrected_registration_date_cannot_follow_the_correction(run, db_path, registered_0930):
    """更正 信访时间 to a day after the correction's own date would date it before the
    registration it sets."""
    before = dump(db_path)
    out = run("correct", "2026-0001", "--field", "信访时间", "--value", "2026-11-04",
              "--on", "2026-11-03", expect=2)  # fmt: skip
    assert (
        out.stderr == "错误：日期：更正日期 2026-11-03 早于本案登记的日期 2026-11-04；请核对 --on\n"
    )
    assert dump(db_path) == before
