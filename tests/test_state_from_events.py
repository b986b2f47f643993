"""The case row is what its events give: every action appends its event and re-projects the
row from the whole history (projection.py), so nothing but the history decides it."""

from __future__ import annotations

from pathlib import Path

from conftest import LIFE, REGISTER, advance, show

from xinfang.core.life import columns, projection
from xinfang.store.db import connect


def test_every_action_rewrites_the_row_from_the_history(run, registered, db_path: Path) -> None:
    conn = connect(db_path)  # a row drifted from its history by hand (autocommit)
    conn.execute("UPDATE cases SET content = '被改动', status = 'closed'")
    conn.close()
    run("note", registered, "电话询问进展", "--on", "2026-11-02 10:00")
    case = show(run, registered)
    assert case["status"] == "registered" and case["content"] != "被改动"


def test_the_row_equals_the_projection_at_every_step_of_a_life(run, registered, db_path) -> None:
    conn = connect(db_path)
    for action, *_ in LIFE:
        advance(run, registered, action)
        row = conn.execute("SELECT * FROM cases").fetchone()
        events = conn.execute(
            "SELECT action, occurred_at, data FROM events WHERE case_id = ? ORDER BY id",
            (row["id"],),
        ).fetchall()
        expected = projection.as_stored(projection.fold(events), merged=False)
        assert tuple(row[key] for key in columns.PROJECTED) == expected, action


def test_last_weeks_paper_forms_may_be_entered_after_a_later_supervision(run, registered):
    """督办, 批示, notes and attachments do not fix the order of the main steps; the main
    steps still may not go backwards among themselves; the timeline follows the dates."""
    for action, *options in LIFE[:2]:  # accepted 11-03, assigned 11-04
        run(action, registered, *options)
    run("supervise", registered, "--due", "2026-11-20", "--reason", "群众反映强烈",
        "--on", "2026-11-10")  # fmt: skip
    run("instruct", registered, "--leader", "县长", "--text", "抓紧办", "--on", "2026-11-09")
    run("unit-accept", registered, "--on", "2026-11-05")  # typed today, from last week's form
    refused = run("unit-report", registered, "--text", "已核实", "--on", "2026-11-04", expect=2)
    assert "早于案件上一步的日期 2026-11-05" in refused.stderr
    run("unit-report", registered, "--text", "已核实", "--on", "2026-11-06")
    case = show(run, registered)
    assert case["status"] == "reported"
    assert [e["action"] for e in case["events"]] == [
        "register", "accept", "assign", "unit-accept", "unit-report", "instruct", "supervise",
    ]  # fmt: skip
    assert run("doctor").exit_code == 0


def test_a_voided_step_counts_nowhere_in_the_statistics(run, registered, db_path) -> None:
    from datetime import date

    from xinfang.core.clock import periods
    from xinfang.core.reporting import stats

    for action, *options in LIFE[:8]:  # up to 办结 on 11-13
        run(action, registered, *options)

    def figures() -> stats.Figures:
        return stats.figures(
            connect(db_path), periods.month_of(date(2026, 11, 1)), date(2026, 11, 23)
        )

    before = figures()
    assert (before.closed, before.revisited, before.by_unit["沙河镇"]) == (1, 1, 1)
    run("void", registered, "--reason", "办结录错")  # the 办结
    run("void", registered, "--reason", "公示录错")  # the 公示
    run("void", registered, "--reason", "回访录错")  # the 回访
    after = figures()
    assert (after.closed, after.revisited, after.by_unit["沙河镇"]) == (0, 0, 1)
    assert run("doctor").exit_code == 0


def test_a_case_voided_whole_is_no_earlier_petition(run, registered) -> None:
    run("void", registered, "--whole", "--reason", "重复登记")
    out = run(*REGISTER)  # the same person again: nothing to link to
    assert "2026-0002" in out.stdout and show(run, "2026-0002")["repeat_of"] is None
