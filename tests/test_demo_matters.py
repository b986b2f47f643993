"""The demonstration ledger reads as real (issue 17): each reply, unit report and revisit
opinion answers the complaint of its own case, 是否属实 says what the reply's text says,
a case's 信访形式 fits its 信访来源, and the 领导接访 case was taken on a reception day of
the plan, by that day's leader."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

import pytest
from conftest import TODAY

from xinfang.core import demo
from xinfang.core.life import projection
from xinfang.core.vocabulary import (
    DISSATISFIED,
    FINDINGS,
    OWN_SOURCE,
    RECEPTION_SOURCE,
    UPPER_SOURCE,
)
from xinfang.outputs.archive import CaseFolder
from xinfang.store.db import connect

# 信访形式 that can carry each 信访来源: a leader receives in person, the hotline is a call,
# an upper office hands a letter or an online petition down.
FORMS_OF_SOURCE = {
    RECEPTION_SOURCE: {"来访"},
    "12345热线": {"来电"},
    UPPER_SOURCE: {"来信", "网上信访"},
    OWN_SOURCE: {"来信", "来访", "来电", "网上信访", "信访代办"},
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    home = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XDG_DATA_HOME", str(home / "xdg"))
        conn = connect(home / "演示.db")
        demo.build(conn, binder=CaseFolder)
    conn.row_factory = sqlite3.Row
    return conn


def stated(text: str) -> set[str]:
    """The 是否属实 words a text states (部分属实 and 不属实 are not read as 属实)."""
    found, rest = set(), text
    for word in sorted(FINDINGS, key=len, reverse=True):
        if word in rest:
            found.add(word)
            rest = rest.replace(word, "")
    return found


def counted(conn: sqlite3.Connection, action: str) -> list[sqlite3.Row]:
    """The events of `action` that stand (not withdrawn by 撤销), with their case's complaint."""
    return conn.execute(
        "SELECT e.data, c.content FROM events e JOIN cases c ON c.id = e.case_id "
        f"WHERE e.action = ? AND {projection.counts_sql('e')}",
        (action,),
    ).fetchall()


def test_each_answer_answers_only_its_own_complaint(ledger):
    """Today one reply text answers a 低保 complaint and a 墓穴维护费 one alike."""
    answered: dict[str, set[str]] = defaultdict(set)
    for row in ledger.execute(
        "SELECT content, unit_report, reply_text FROM cases WHERE status != 'voided'"
    ):
        for text in (row["unit_report"], row["reply_text"]):
            if text:
                answered[text].add(row["content"])
    for row in counted(ledger, "revisit"):
        data = json.loads(row["data"])
        if data.get("satisfaction") == DISSATISFIED:
            answered[data["opinion"]].add(row["content"])
    assert len(answered) > 10
    shared = {text: contents for text, contents in answered.items() if len(contents) > 1}
    assert shared == {}


def test_each_reply_comes_from_its_complaints_matter(ledger):
    by_complaint = {matter.content: matter for matter in demo.MATTERS}
    replied = ledger.execute(
        "SELECT content, unit_report, reply_text, reply_result, reply_finding FROM cases "
        "WHERE reply_text IS NOT NULL AND status != 'voided'"
    ).fetchall()
    assert len(replied) >= 15
    for case in replied:
        matter = by_complaint[case["content"]]
        answers = {(o.result, o.finding, o.reply) for o in matter.answers()}
        assert (case["reply_result"], case["reply_finding"], case["reply_text"]) in answers
        assert case["unit_report"] in {None, *(o.report for o in matter.outcomes)}
        # The 答复书 says "经调查，您反映的问题<finding>。" before the text: never twice.
        assert stated(case["reply_text"]) == set()


def test_every_outcome_states_its_finding_in_the_report_not_the_reply():
    for matter in demo.MATTERS:
        for outcome in matter.answers():
            assert stated(outcome.reply) == set(), outcome.reply  # the 答复书 states it
            if outcome.report:
                assert stated(outcome.report) == {outcome.finding}, outcome.report


def test_the_form_fits_the_source(ledger):
    pairs = {(row["source"], row["form"]) for row in ledger.execute("SELECT * FROM cases")}
    wrong = {(source, form) for source, form in pairs if form not in FORMS_OF_SOURCE[source]}
    assert wrong == set()
    assert {source for source, _ in pairs} >= set(FORMS_OF_SOURCE)


def test_a_declined_petition_is_not_a_matter_the_office_handles(ledger):
    """A 不予受理 or 转送 case's complaint is one the office cannot take, not a 低保 one."""
    declined = {
        row["content"]
        for row in ledger.execute(
            "SELECT content FROM cases WHERE status IN ('rejected', 'transferred')"
        )
    }
    handled = {matter.content for matter in demo.MATTERS}
    assert declined and not declined & handled


def test_the_leaders_reception_case_was_taken_on_a_reception_day(ledger):
    cases = ledger.execute(
        "SELECT received_at, receiver FROM cases WHERE source = ?", (RECEPTION_SOURCE,)
    ).fetchall()
    assert cases
    for case in cases:
        day = case["received_at"][:10]
        planned = ledger.execute(
            "SELECT leader, starts, ends FROM reception_days WHERE day = ?", (day,)
        ).fetchone()
        assert planned is not None, day
        assert case["receiver"] == planned["leader"]
        assert planned["starts"] <= case["received_at"][11:16] <= planned["ends"]


def test_the_public_notice_tells_the_cases_own_outcome(ledger):
    for row in counted(ledger, "publicize"):
        notice = json.loads(row["data"])["notice"]
        assert row["content"] in notice
