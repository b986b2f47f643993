"""承办单位考核: the handling units ranked, a part of the leaders' analysis (stats.py
gives the period's window and the as-of day D).

- 承办单位考核, per unit with an assignment in the window: 交办件数; 按期受理率 = its
  unit_accept deadlines met in the window in time / (met in the window + still open and
  past due as of D), so that a unit that never answers does not score full marks;
  按期报送率 = the same for its 交办办结 (assign_due) deadlines; 超期未报送 = its
  assign_due deadlines open and past due as of D; 满意率 = revisits in the window of
  cases assigned to it at the time of the revisit, counted as stats.py counts them
  (counting.satisfaction_counted). 综合得分 = 40×按期受理率 + 40×按期报送率 + 20×满意率, a rate without a
  denominator counting in full; ranked best first, equal scores sharing a place (并列)
  and listed by name. A unit with no rate to measure (nothing due, met or revisited yet)
  has no score and no place: listed last, not first at full marks. A unit's deadlines are those opened by its assignment (交办 or
  改派; a 退回重办 reopens the report's; a 退单 answers the unit_accept one, as the
  unit's decision on taking the case; a 并案 ends them unmet: neither met nor, after
  it, past due); a case is the unit's at a revisit when its last
  交办/改派 before it named the unit and no 退单 followed.
- 办理质量 (seed 001 五(二)3), per ranked unit, from events in the window: 报送次数 = its
  unit-report events; 办理质量合格率 = those not sent back (no send-back follows the
  report by D before the next report; 报送未退回) / 报送次数; 退回重办 = send-back events naming it;
  退单 = its unit-return events; 改派 = reassign events taking a case from it; 催办 =
  urge events naming it. Not part of 综合得分.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date

from xinfang.core.clock.deadlines import open_on
from xinfang.core.clock.periods import Period
from xinfang.core.life import projection
from xinfang.core.reporting.counting import (
    ANSWERED,
    ASSIGNED,
    IN_WINDOW,
    in_time,
    rate,
    satisfaction_counted,
    window,
)

WEIGHTS = (("accept_rate", 40), ("report_rate", 40), ("satisfaction_rate", 20))


@dataclass
class UnitScore:
    unit: str
    assigned: int = 0
    accepts: int = 0  # unit_accept deadlines met in the window
    accepts_on_time: int = 0
    overdue_accepts: int = 0
    reports: int = 0  # assign_due deadlines met in the window
    reports_on_time: int = 0
    overdue_reports: int = 0
    revisited: int = 0
    satisfied: int = 0
    rank: int | None = None  # None: no score, no place
    submissions: int = 0  # unit-report events in the window (报送次数)
    submissions_sent_back: int = 0  # of those, sent back by D
    sent_back: int = 0  # 退回重办
    returned: int = 0  # 退单
    reassigned_away: int = 0  # 改派 (taken from it)
    urged: int = 0  # 催办

    @property
    def accept_rate(self) -> float | None:
        return rate(self.accepts_on_time, self.accepts + self.overdue_accepts)

    @property
    def report_rate(self) -> float | None:
        return rate(self.reports_on_time, self.reports + self.overdue_reports)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.revisited)

    @property
    def passed(self) -> int:
        """报送未退回: the reports accepted as first submitted."""
        return self.submissions - self.submissions_sent_back

    @property
    def quality_rate(self) -> float | None:
        """办理质量合格率: reports accepted as first submitted / reports."""
        return rate(self.passed, self.submissions)

    @property
    def score(self) -> float | None:
        shares: list[float | None] = [getattr(self, key) for key, _ in WEIGHTS]
        if all(share is None for share in shares):
            return None
        total = 0.0
        for share, (_, weight) in zip(shares, WEIGHTS, strict=True):
            total += weight * (1.0 if share is None else share)
        return round(total, 2)


# The unit a case was assigned to before a given event (the handling unit then): none
# after a 退单.
_UNIT_BEFORE = f"""(
    SELECT CASE a.action WHEN 'unit-return' THEN NULL ELSE json_extract(a.data, '$.to') END
    FROM events a
    WHERE a.case_id = e.case_id AND a.action IN ('assign', 'reassign', 'unit-return')
      AND a.id < e.id AND {projection.counts_sql("a")}
    ORDER BY a.id DESC LIMIT 1)"""


def rank_units(
    conn: sqlite3.Connection, period: Period, as_of: date, assigned: Counter[str]
) -> list[UnitScore]:
    """承办单位考核 for the units that had an assignment in the window."""
    first, last = window(period, as_of)
    day = as_of.isoformat()
    scores = {unit: UnitScore(unit, assigned=count) for unit, count in assigned.items()}
    # A unit's deadline is the one opened by its assignment: same case, same round.
    rows = conn.execute(
        "SELECT d.stage, d.due_on, d.met_on, d.starts_on, d.ended_by, ("
        "  SELECT json_extract(a.data, '$.to') FROM events a WHERE a.case_id = d.case_id "
        f"  AND a.action IN {ASSIGNED} AND a.round = d.round AND {projection.counts_sql('a')} "
        "  ORDER BY a.id DESC LIMIT 1) AS unit "
        "FROM deadlines d WHERE d.stage IN ('unit_accept', 'assign_due') "
        f"AND ((d.met_on BETWEEN ? AND ?) OR (d.due_on < ? AND {open_on('d', '?')}))",
        (first, last, day, day, day),
    ).fetchall()
    for row in rows:
        score = scores.get(row["unit"])
        if score is None:
            continue
        done = row["met_on"] is not None and row["ended_by"] is None  # 并案 ends, not meets
        met_in_window = done and first <= row["met_on"] <= last
        on_time = met_in_window and in_time(row["due_on"], row["met_on"])
        due, met = row["due_on"], row["met_on"]
        late = due is not None and due < day and row["starts_on"] <= day and (not met or met > day)
        if row["stage"] == "unit_accept":
            score.accepts += met_in_window
            score.accepts_on_time += on_time
            score.overdue_accepts += late
            continue
        score.reports += met_in_window
        score.reports_on_time += on_time
        score.overdue_reports += late
    counted = satisfaction_counted(conn)
    for unit, satisfaction in conn.execute(
        f"SELECT {_UNIT_BEFORE}, json_extract(e.data, '$.satisfaction') FROM events e "
        f"WHERE e.action = 'revisit' AND {IN_WINDOW} AND {ANSWERED}",
        {"first": first, "last": last},
    ):
        score = scores.get(unit)
        if score is not None:
            score.revisited += 1
            score.satisfied += satisfaction in counted
    _count_routing(conn, scores, {"first": first, "last": last, "as_of": day})
    ranked = sorted(scores.values(), key=lambda s: (s.score is None, -(s.score or 0), s.unit))
    for number, score in enumerate(ranked, 1):
        if score.score is None:
            continue
        # Equal scores share a place (并列), as in the office's own rankings.
        tied = number > 1 and ranked[number - 2].score == score.score
        score.rank = ranked[number - 2].rank if tied else number
    return ranked


# Routing events by the unit they concern (the old unit for a 改派); a report is sent
# back when the next report or send-back of its case, by D, is a send-back.
_ROUTING = f"""
SELECT e.action,
  CASE e.action WHEN 'reassign' THEN json_extract(e.data, '$.from_unit')
    ELSE json_extract(e.data, '$.unit') END,
  CASE WHEN e.action = 'unit-report' AND (
    SELECT n.action FROM events n
    WHERE n.case_id = e.case_id AND n.id > e.id AND n.action IN ('unit-report', 'send-back')
      AND n.occurred_at < date(:as_of, '+1 day') AND {projection.counts_sql("n")}
    ORDER BY n.id LIMIT 1) = 'send-back' THEN 1 ELSE 0 END
FROM events e
WHERE e.action IN ('unit-report', 'send-back', 'unit-return', 'reassign', 'urge')
  AND {IN_WINDOW}"""
_ROUTING_COUNTS = {
    "unit-report": "submissions", "send-back": "sent_back", "unit-return": "returned",
    "reassign": "reassigned_away", "urge": "urged",
}  # fmt: skip


def routing_events(
    conn: sqlite3.Connection, params: dict[str, str]
) -> list[tuple[str, str | None, bool]]:
    """The window's routing events (params: first, last, as_of): (action, the unit it
    concerns, whether it is a report sent back by D)."""
    return [(action, unit, bool(back)) for action, unit, back in conn.execute(_ROUTING, params)]


def _count_routing(
    conn: sqlite3.Connection, scores: dict[str, UnitScore], params: dict[str, str]
) -> None:
    """报送次数, 退回重办 (and the reports it rejected), 退单, 改派, 催办 per unit."""
    for action, unit, rejected in routing_events(conn, params):
        score = scores.get(unit) if unit else None
        if score is not None:
            key = _ROUTING_COUNTS[action]
            setattr(score, key, getattr(score, key) + 1)
            score.submissions_sent_back += rejected
