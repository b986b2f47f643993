"""Each office in its own lane, enforced by PostgreSQL itself: a town's role connects and
types its own SQL, and still cannot read or write another town's cases. And case numbers
taken by many clerks at once: no gap, no duplicate."""

from __future__ import annotations

import threading
from typing import Any

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg
from psycopg import errors

from tests.pg import A, B, County

NEW_CASE = (
    "INSERT INTO cases (year, seq, status, name, phone, received_at, source, form, content, "
    "updated_at) VALUES (2026, %s, 'registered', %s, %s, '2026-11-02 09:30', '本级', '来访', "
    "%s, '2026-11-02 09:30') RETURNING id"
)


def register(conn: psycopg.Connection[Any], seq: int, name: str, phone: str) -> int:
    row = conn.execute(NEW_CASE, (seq, name, phone, f"{name}反映低保评定不公")).fetchone()
    assert row is not None
    conn.execute(
        "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
        "status_after, data) VALUES (%s, 'register', '2026-11-02 09:30', '2026-11-02 09:30', "
        "'王芳', 1, 'registered', '{}')",
        (row[0],),
    )
    return int(row[0])


@pytest.fixture
def two_towns(county: County) -> tuple[int, int]:
    """Each town registers one case under its own role (the office is never given: the
    lane's default fills it)."""
    with county.connect("a") as a, county.connect("b") as b:
        return register(a, 1, "张三", "13812345678"), register(b, 1, "李四", "13900000000")


def test_a_town_sees_only_its_own_petitioners(county: County, two_towns: tuple[int, int]) -> None:
    _, b_case = two_towns
    with county.connect("a") as a:
        assert a.execute("SELECT name, phone, office_id FROM cases").fetchall() == [
            ("张三", "13812345678", A)
        ]
        # Asked by name, by phone, by id, through the search text, events and a join:
        assert a.execute("SELECT * FROM cases WHERE phone = '13900000000'").fetchall() == []
        assert a.execute("SELECT * FROM cases WHERE name LIKE '李%'").fetchall() == []
        assert a.execute("SELECT * FROM cases WHERE id = %s", (b_case,)).fetchall() == []
        assert a.execute("SELECT body FROM case_texts WHERE body LIKE '%李四%'").fetchall() == []
        assert a.execute("SELECT * FROM events WHERE case_id = %s", (b_case,)).fetchall() == []
        assert a.execute("SELECT count(*) FROM cases c JOIN events e ON e.case_id = c.id")
        assert a.execute("SELECT count(*) FROM events").fetchone() == (1,)
        # Nor the map of roles to offices, nor another role.
        with pytest.raises(errors.InsufficientPrivilege):
            a.execute("SELECT * FROM office_roles")
        with pytest.raises(errors.InsufficientPrivilege):
            a.execute(f"SET ROLE {county.dsn['county'].split('//')[1].split('@')[0]}")


def test_a_town_cannot_write_into_another_lane(county: County, two_towns: tuple[int, int]) -> None:
    a_case, b_case = two_towns
    with county.connect("a") as a:
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            a.execute(NEW_CASE.replace("(year,", "(office_id, year,").replace("(2026,", "(%s, 2026,"),
                      (B, 2, "冒名", "13000000000", "写进别人的台账"))  # fmt: skip
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            a.execute("UPDATE cases SET office_id = %s WHERE id = %s", (B, a_case))
        # Another lane's rows are not there to change: nothing changes.
        assert a.execute("UPDATE cases SET name = '改' WHERE id = %s", (b_case,)).rowcount == 0
        assert a.execute("DELETE FROM cases WHERE id = %s", (b_case,)).rowcount == 0
        # An event filed under another town's case takes no office (it cannot see the
        # case): refused by the lane before the missing office is.
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            a.execute(
                "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
                "status_after) VALUES (%s, 'note', '2026-11-03', '2026-11-03', '王芳', 1, "
                "'registered')",
                (b_case,),
            )
    with county.connect("b") as b:
        assert b.execute("SELECT name FROM cases").fetchall() == [("李四",)]


def test_the_county_sees_every_town_and_supervises_in_their_lane(
    county: County, two_towns: tuple[int, int]
) -> None:
    a_case, _ = two_towns
    with county.connect("county") as c:
        rows = c.execute("SELECT office_id, name, phone FROM cases ORDER BY office_id").fetchall()
        assert rows == [(A, "张三", "13812345678"), (B, "李四", "13900000000")]
        c.execute(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (%s, 'supervise', '2026-11-05', '2026-11-05', '县局', "
            "1, 'registered', '{\"text\": \"请加快办理\"}')",
            (a_case,),
        )
        # Its settings stay its own even so.
        c.execute("INSERT INTO settings (key, value) VALUES ('case_prefix', '\"临信\"')")
    with county.connect("a") as a:
        assert a.execute("SELECT action, office_id FROM events ORDER BY id").fetchall() == [
            ("register", A),
            ("supervise", A),
        ]
        a.execute("INSERT INTO settings (key, value) VALUES ('case_prefix', '\"沙信\"')")
        assert a.execute("SELECT value FROM settings").fetchall() == [('"沙信"',)]
    with county.connect("county") as c:
        assert c.execute("SELECT value FROM settings").fetchall() == [('"临信"',)]


def test_events_refuse_change_for_everyone(county: County, two_towns: tuple[int, int]) -> None:
    for who in ("a", "county"):
        with county.connect(who) as conn:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("UPDATE events SET actor = 'x'")
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("DELETE FROM events")
    with psycopg.connect(county.admin, autocommit=True) as owner:  # even the superuser
        with pytest.raises(errors.RaiseException, match="只能追加，不能修改"):
            owner.execute("UPDATE events SET actor = 'x'")
        with pytest.raises(errors.RaiseException, match="只能追加，不能删除"):
            owner.execute("DELETE FROM events")
        with pytest.raises(errors.RaiseException):
            owner.execute("TRUNCATE events CASCADE")
        assert owner.execute("SELECT count(*) FROM events").fetchone() == (2,)


def test_search_text_follows_the_case(county: County, two_towns: tuple[int, int]) -> None:
    a_case, _ = two_towns
    with county.connect("a") as a:
        a.execute(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (%s, 'note', '2026-11-03', '2026-11-03', '王芳', 1, "
            "'registered', '{\"text\": \"已电话联系村委会\"}')",
            (a_case,),
        )
        a.execute("UPDATE cases SET address = '沙河镇五里墩村' WHERE id = %s", (a_case,))
        for phrase in ("低保评定", "村委会", "五里墩", "张三"):
            found = a.execute(
                "SELECT case_id FROM case_texts WHERE body LIKE '%%' || %s || '%%'", (phrase,)
            ).fetchall()
            assert found == [(a_case,)], phrase


# Case numbers: the upsert numbering.next_in_sequence makes, with the office in the key.
TAKE = (
    "INSERT INTO sequences (name, year, last) VALUES ('case', 2026, 1) "
    "ON CONFLICT (office_id, name, year) DO UPDATE SET last = sequences.last + 1 RETURNING last"
)


def test_eight_clerks_take_numbers_without_gap_or_duplicate(county: County) -> None:
    """6 clerks of one town and 2 of another register at once; every 5th registration fails
    after taking its number (and rolls back): its number is taken again, never lost."""
    per_clerk = 25
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def clerk(who: str, index: int) -> None:
        try:
            with psycopg.connect(county.dsn[who]) as conn:
                start.wait()
                for n in range(per_clerk):
                    try:
                        with conn.transaction():
                            row = conn.execute(TAKE).fetchone()
                            assert row is not None
                            register(conn, row[0], f"来访人{index}-{n}", "13800000000")
                            if n % 5 == 4:
                                raise RuntimeError("the clerk's action fails")
                    except RuntimeError:
                        pass
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=clerk, args=("a" if i < 6 else "b", i)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    kept = per_clerk - per_clerk // 5
    with psycopg.connect(county.admin) as owner:
        for office, clerks in ((A, 6), (B, 2)):
            seqs = [r[0] for r in owner.execute(
                "SELECT seq FROM cases WHERE office_id = %s ORDER BY seq", (office,))]  # fmt: skip
            assert seqs == list(range(1, clerks * kept + 1)), office
        assert owner.execute("SELECT count(*) FROM events").fetchone() == (8 * kept,)
