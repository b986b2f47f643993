"""A deadline ended by 并案 (or by 归档 with it still open) was not met: its case was
handled as another or filed. The statistics do not count it as a reply (or a unit's
report) in time, and `show` says it ended, not 按期完成."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import advance, show
from test_void_join import CASE, OTHER, deadline, doctor_clean, register

from xinfang.core.clock import periods
from xinfang.core.reporting import stats
from xinfang.store.db import connect


def _joined_after_assignment(run) -> None:
    """Two petitions of one matter: the second, already assigned to 新华镇, joined into
    the first, which is replied to."""
    register(run, 30)
    register(run, 31)
    advance(run, CASE, "assign")
    run("accept", OTHER, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", OTHER, "--to", "新华镇", "--due", "2026-11-30", "--on", "2026-11-04")
    run("join", OTHER, "--into", CASE, "--reason", "同一事项", "--on", "2026-11-05")
    advance(run, CASE, "reply")


def test_a_joined_cases_deadlines_are_not_counted_as_met(run, db_path: Path) -> None:
    _joined_after_assignment(run)
    conn, november, as_of = connect(db_path), periods.choose(month="2026-11"), date(2026, 11, 23)
    figures = stats.figures(conn, november, as_of)
    assert (figures.replied, figures.replied_on_time) == (1, 1)  # the main case's reply only
    ranking = {score.unit: score for score in stats.compute(conn, november, as_of).ranking}
    town = ranking["新华镇"]
    assert (town.accepts, town.accepts_on_time, town.reports, town.reports_on_time) == (0, 0, 0, 0)
    assert (ranking["沙河镇"].accepts, ranking["沙河镇"].reports) == (1, 1)
    doctor_clean(run)


def test_show_says_a_joined_cases_deadlines_ended(run) -> None:
    _joined_after_assignment(run)
    joined = show(run, OTHER)
    reply = deadline(joined, "reply")
    assert (reply["met_on"], reply["state"], reply["ended_by"]) == ("2026-11-05", "ended", "join")
    assert {d["state"] for d in joined["deadlines"] if d["stage"] != "notice"} == {"ended"}
    assert deadline(joined, "notice")["state"] == "met"  # told on 11-03: really met
    text = run("show", OTHER).stdout
    assert "随主案终止" in text
    assert "按期完成" in text  # the notice
    assert text.count("按期完成") == 1
    main = deadline(show(run, CASE), "reply")
    assert (main["state"], main["ended_by"]) == ("met", None)


def test_archiving_meets_its_own_deadline_and_leaves_the_petitioners_window(run) -> None:
    """A 复查 may be asked for after the file is archived: the window runs on."""
    register(run)
    advance(run, CASE, "archive")
    case = show(run)
    archive = deadline(case, "archive")
    assert (archive["met_on"], archive["state"], archive["ended_by"]) == ("2026-11-16", "met", None)
    window = deadline(case, "review_request")  # 30 days from the reply: still running
    assert (window["met_on"], window["state"], window["ended_by"]) == (None, "open", None)
    assert "归档时终止" not in run("show", CASE).stdout


@pytest.mark.sqlite_only("an older SQLite ledger file brought forward")
def test_a_ledger_from_before_tells_its_ended_deadlines_once_opened(run, db_path: Path) -> None:
    """An older ledger kept a deadline 并案 or 归档 ended as met: brought forward, it is
    derived again and told apart."""
    _joined_after_assignment(run)
    advance(run, CASE, "archive")
    conn = sqlite3.connect(db_path)
    conn.execute("ALTER TABLE deadlines DROP COLUMN ended_by")  # as the older xinfang kept it
    conn.execute("DROP INDEX events_join")  # version 11's
    conn.execute("DROP TRIGGER cases_fts_extra")  # version 12's
    conn.execute("PRAGMA user_version = 9")  # version 10 added ended_by
    conn.commit()
    conn.close()
    ended = {
        (number, d["stage"]): d["ended_by"]
        for number in (CASE, OTHER)
        for d in show(run, number)["deadlines"]
        if d["state"] == "ended"
    }
    assert ended == {
        (OTHER, "unit_accept"): "join",
        (OTHER, "assign_due"): "join",
        (OTHER, "reply"): "join",
    }
    doctor_clean(run)
