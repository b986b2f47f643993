"""The 复查意见书's placeholders (templates/README.md): the 复查 as decided — 维持, 撤销 or
变更 the reply, with the reasons — and the petitioner's 复核 right: how long (the case's
own `recheck_request` rule) and where to ask (信访工作条例 art. 36)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from xinfang.core.clock import deadlines, rules
from xinfang.core.clock.dates import chinese_date, chinese_upper_date
from xinfang.core.life.case import Case

# Where a 复核 is asked for when the 复查意见 names no body: the law's own words.
UPPER_BODY = "复查机关的上一级机关"
LAW = "2022"  # the rule set that is the 条例 itself: its 复核 window when the office has none


def print_values(
    conn: sqlite3.Connection, case: Case, events: list[dict[str, Any]]
) -> dict[str, str]:
    values = dict.fromkeys(
        ("review_requested_cn", "review_outcome", "review_text", "review_decided_cn",
         "review_decided_upper", "recheck_days", "recheck_body"),
        "",
    )  # fmt: skip
    reviews = [event for event in events if event["action"] == "review"]
    asked = next((e["data"]["requested_on"] for e in reviews if e["data"].get("requested_on")), "")
    decided = next((e for e in reviews if e["data"].get("outcome")), None)
    if asked:
        values["review_requested_cn"] = chinese_date(date.fromisoformat(asked))
    if decided is not None:
        day = date.fromisoformat(decided["occurred_at"][:10])
        rule = deadlines.rules_of(conn, case).get("recheck_request")
        rule = rule or rules.RULE_SETS[LAW][1]["recheck_request"]
        assert rule is not None
        values.update(
            review_outcome=decided["data"]["outcome"],
            review_text=decided["data"].get("text", ""),
            review_decided_cn=chinese_date(day),
            review_decided_upper=chinese_upper_date(day),
            recheck_days=deadlines.unit_words(rule.unit, rule.amount),
            recheck_body=decided["data"].get("recheck_body") or UPPER_BODY,
        )
    return values
