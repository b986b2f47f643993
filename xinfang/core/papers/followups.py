"""The placeholders of the papers that follow a step of the handling (issue 17;
templates/README.md lists them): the 延期告知书 after `extend` (the petitioner is told the
new date and why: 条例 art. 34), the 催办单 after `urge`, and the 上级交办件办理结果报告's
addressee. Each is dated by the event it records, so a reprint is the same paper."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import deadlines
from xinfang.core.clock.dates import chinese_date, chinese_upper_date
from xinfang.core.life.case import Case

# Where the 办理结果报告 goes when the office has not named its upper department.
UPPER_FALLBACK = "上级交办机关"


def print_values(
    conn: sqlite3.Connection, case: Case, events: list[dict[str, Any]]
) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(
        ("extended_cn", "extended_upper", "extend_reason", "extend_length", "extended_due_cn",
         "extend_approved_by", "urged_cn", "urged_upper", "urge_to", "urge_text"),
        "",
    )  # fmt: skip
    # 周会商 (seed 002 二(一)4: 重点疑难反映件 are consulted on): a 疑难复杂 case.
    values["consulted"] = case.complex
    values["upper_to"] = settings.get(conn, "review_department") or UPPER_FALLBACK
    # Only an extension of the reply is told to the petitioner by letter (an online
    # opinion is answered on its own site).
    extension = next(
        (e for e in reversed(events)
         if e["action"] == "extend" and e["data"].get("stage", "reply") == "reply"),
        None,
    )  # fmt: skip
    if extension is not None:
        data = extension["data"]
        day = date.fromisoformat(extension["occurred_at"][:10])
        due = conn.execute(
            "SELECT unit, due_on FROM deadlines WHERE case_id = ? AND stage = 'reply' "
            "AND round = ?",
            (case.id, extension["round"]),
        ).fetchone()
        values.update(
            extended_cn=chinese_date(day),
            extended_upper=chinese_upper_date(day),
            extend_reason=str(data["reason"]).rstrip("。；，.;, "),  # a clause of the letter
            extend_length=deadlines.unit_words(due["unit"], data["days"]) if due else "",
            extended_due_cn=chinese_date(date.fromisoformat(due["due_on"]))
            if due and due["due_on"]
            else "",
            extend_approved_by=data.get("approved_by") or "",
        )
    urge = next((e for e in reversed(events) if e["action"] == "urge"), None)
    if urge is not None:
        day = date.fromisoformat(urge["occurred_at"][:10])
        values.update(
            urged_cn=chinese_date(day),
            urged_upper=chinese_upper_date(day),
            urge_to=urge["data"].get("unit") or case.unit or "",
            urge_text=(urge["data"].get("text") or "").rstrip("。；，.;, "),
        )
    return values
