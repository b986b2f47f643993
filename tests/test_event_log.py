"""The history is append-only: nothing in `events` can be changed or removed, every case
starts with its registration, a correction keeps the old value, and the file itself is
private, in WAL mode and at schema version 1."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import REGISTER, dump, show

from xinfang.store import migrations
from xinfang.store.db import connect

CASE = "2026-0001"


@pytest.fixture
def history(run, registered) -> str:
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("note", CASE, "信访人来电询问进度，称邻居家也有同样情况", "--on", "2026-11-04")
    return registered


def refused(db_path: Path, words: str, error: type[Exception] = sqlite3.DatabaseError) -> Any:
    """The store's refusal: SQLite's trigger; on PostgreSQL the clerk's role has no UPDATE or
    DELETE on events (InsufficientPrivilege), else the same trigger refuses."""
    if isinstance(db_path, str):
        import psycopg

        return pytest.raises(psycopg.Error, match=f"{words}|permission denied for table events")
    return pytest.raises(error, match=words)


@pytest.mark.parametrize(
    ("statement", "word"),
    [
        ("UPDATE events SET actor = 'x'", "不能修改"),
        ("UPDATE events SET data = '{}' WHERE action = 'note'", "不能修改"),
        ("DELETE FROM events", "不能删除"),
        ("DELETE FROM events WHERE action = 'note'", "不能删除"),
    ],
)
def test_events_cannot_be_changed_or_removed(history, db_path, statement, word):
    before = dump(db_path)
    conn = connect(db_path)
    try:
        with refused(db_path, f"事件记录只能追加，{word}", sqlite3.IntegrityError), conn:
            conn.execute(statement)
    finally:
        conn.close()
    assert dump(db_path) == before


def test_events_cannot_be_changed_through_the_sql_fixture_either(history, sql, db_path):
    with refused(db_path, "只能追加"):
        sql("UPDATE events SET occurred_at = '2020-01-01' WHERE case_id = 1")
    assert sql("SELECT action, actor FROM events ORDER BY id") == [
        ("register", "王芳"),
        ("accept", "王芳"),
        ("note", "王芳"),
    ]


def test_every_case_opens_with_exactly_one_register_event(run, sql):
    run(*REGISTER)
    run(*REGISTER[:-1], "2026-11-03")
    run(*REGISTER[:-1], "2025-12-30")
    run("accept", "2026-0001", "--on", "2026-11-03")
    run("reject", "2026-0002", "--reason", "重复信访", "--channel", "已答复，可申请复查", "--on", "2026-11-04")  # fmt: skip
    run("note", "2025-0001", "去年的件", "--on", "2026-01-05")
    run("correct", "2026-0002", "--field", "联系电话", "--value", "13912345678")

    per_case = sql(
        "SELECT c.year, c.seq, group_concat(e.action, ',') FROM cases c "
        "JOIN (SELECT * FROM events ORDER BY id) e ON e.case_id = c.id "
        "GROUP BY c.id ORDER BY c.year, c.seq"
    )
    assert per_case == [
        (2025, 1, "register,note"),
        (2026, 1, "register,accept"),
        (2026, 2, "register,reject,correct"),
    ]
    first = sql(
        "SELECT e.action, e.status_after, e.round FROM events e "
        "WHERE e.id = (SELECT min(id) FROM events WHERE case_id = e.case_id)"
    )
    assert first == [("register", "registered", 1)] * 3
    assert sql("SELECT count(*) FROM events WHERE action = 'register'") == [(3,)]


def test_correct_keeps_the_old_value_in_the_history(run, registered, sql):
    out = run(
        "correct", CASE, "--field", "联系电话", "--value", "139 1234 5678",
        "--reason", "信访人更换号码", "--on", "2026-11-05",
    )  # fmt: skip
    assert out.stdout.strip() == "已更正：2026-0001（联系电话）"
    case = show(run)
    assert case["phone"] == "13912345678"
    assert case["status"] == "registered"
    event = case["events"][-1]
    assert (event["action"], event["occurred_at"], event["actor"], event["status_after"]) == (
        "correct",
        "2026-11-05",
        "王芳",
        "registered",
    )
    assert event["data"] == {
        "field": "phone",
        "label": "联系电话",
        "old": "13812345678",
        "new": "13912345678",
        "reason": "信访人更换号码",
    }
    assert sql("SELECT phone FROM cases") == [("13912345678",)]
    # The registration event still says what was first written down.
    assert case["events"][0]["data"]["phone"] == "13812345678"


@pytest.mark.parametrize(
    ("field", "value"),
    [("信访人姓名", "张三丰"), ("name", "张三丰"), ("通讯地址", "沙河镇西关村三社12号")],
)
def test_correct_by_label_or_key_and_search_sees_the_new_value(run, registered, field, value):
    run("correct", CASE, "--field", field, "--value", value, "--reason", "登记时漏字")
    case = show(run)
    assert value in (case["name"], case["address"])
    found = json.loads(run("search", value, "--json").stdout)
    assert [c["case_no"] for c in found] == [CASE]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--field", "联系电话", "--value", "1234"), "联系电话：所填号码（4 位）不是有效的手机号"),
        (("--field", "联系电话", "--value", "13812345678"), "联系电话：新值与原值相同，无需更正"),
        (("--field", "身份证号码", "--value", "110105194912310021"), "身份证号码：校验位应为 X"),
        (("--field", "信访来源", "--value", "乡里转来"), "信访来源：“乡里转来”不在列表中"),
        (("--field", "信访来源", "--value", "上级交办"), "上级信访件编号：信访来源为“上级交办”时必须填写"),
        (("--field", "信访人姓名", "--value", ""), "缺少 信访人姓名（匿名信访请加 --anonymous）"),
        (("--field", "信访时间", "--value", "2025-12-01"), "信访时间：更正后不能跨年"),
        (("--field", "血型", "--value", "A"), "字段：没有“血型”这个字段"),
    ],
)  # fmt: skip
def test_correct_refused_writes_nothing(run, registered, db_path, args, message):
    before = dump(db_path)
    out = run("correct", CASE, *args, expect=2)
    assert out.stderr.startswith("错误：")
    assert message in out.stderr
    assert dump(db_path) == before


def test_correct_cannot_move_receipt_into_the_future(run, registered, db_path):
    before = dump(db_path)
    out = run("correct", CASE, "--field", "信访时间", "--value", "2026-12-01", expect=2)
    assert "信访时间" in out.stderr
    assert dump(db_path) == before


def test_note_is_in_the_timeline_and_searchable(run, history):
    case = show(run)
    assert [e["action"] for e in case["events"]] == ["register", "accept", "note"]
    note = case["events"][-1]
    assert note["data"] == {"text": "信访人来电询问进度，称邻居家也有同样情况"}
    assert (note["occurred_at"], note["status_after"], note["round"]) == ("2026-11-04", "accepted", 1)  # fmt: skip
    assert case["status"] == "accepted"
    for needle in ("询问进度", "邻居", "同样情况"):
        found = json.loads(run("search", needle, "--json").stdout)
        assert [c["case_no"] for c in found] == [CASE], needle


def test_a_note_dated_before_the_last_step_is_still_allowed(run, history):
    # Notes record what happened; a late entry about an earlier call is normal.
    run("note", CASE, "补记：11月2日下午信访人又来电", "--on", "2026-11-02")
    events = show(run)["events"]  # the timeline in date order: it sits on 11-02
    assert [e["occurred_at"][:10] for e in events[:2]] == ["2026-11-02", "2026-11-02"]
    assert events[1]["action"] == "note"


def test_ledger_file_is_private_wal_and_versioned(run, no_ledger):
    db_path = no_ledger
    assert not db_path.exists()
    run(*REGISTER)
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (migrations.LATEST,)
    finally:
        conn.close()
