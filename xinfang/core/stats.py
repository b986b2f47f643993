"""The analysis for the office's leaders (seeds 001 四/五, 003 三, 004): the period's
figures next to the period before and the same period a year earlier, the breakdowns,
and the handling units ranked. Plain data; the terminal tables are drawn by
xinfang/cli/stats_command.py and the workbook by xinfang/outputs/stats_workbook.py.

Every figure is the ledger as it stood at the end of the day D (the period's last day,
or --as-of); the period's window is its first day up to min(last day, D).

- 登记数: cases whose received_at falls in the window; counted by 信访来源, 信访形式,
  问题类型 and 属地. 承办单位: cases with an `assign` or `reassign` (改派) event in the
  window, by the unit it names (a case assigned twice to one unit counts once).
- 受理数 / 不予受理 / 转送 / 待定: the registered cases by their decision (accept,
  reject, transfer, none yet) in events up to D. 受理率 = 受理数 / 登记数.
- 答复数: reply deadlines (stage reply, every round) met in the window; 按期答复: met on
  or before their due day (a paused deadline without a due day counts as in time).
  按期办结率 = 按期答复 / 答复数.
- 回访数: revisit events in the window; 满意: satisfaction other than 不满意; 满意率.
- 办结数: close events in the window.
- 重复信访: registered cases linked as a repeat of an earlier case (repeats.py links the
  same petitioner's, and the clerk confirms others); a link corrected since (links.py:
  `link`, `unlink`) counts as corrected, as a corrected field does.
- 集体访: registered cases with 人数 >= 5; 集体访人次: the sum of their 人数.
- 超期未办: the office's deadlines (rule stages that are the office's duty, and 交办办结)
  started by D, due before D and not met by D: counted one per deadline.
- Rates are None when the denominator is 0. 环比 / 同比: the difference, and for counts
  the relative change when the base is non-zero (rates: the difference only, in points).
  The comparison periods are taken as of their own last day, plus as many days as D is
  after the period's last day (the same time to mature).
- 承办单位考核, per unit with an assignment in the window: 交办件数; 按期受理率 = its
  unit_accept deadlines met in the window in time / (met in the window + still open and
  past due as of D), so that a unit that never answers does not score full marks;
  按期报送率 = the same for its 交办办结 (assign_due) deadlines; 超期未报送 = its
  assign_due deadlines open and past due as of D; 满意率 = revisits in the window of cases assigned to it at the time of the
  revisit. 综合得分 = 40×按期受理率 + 40×按期报送率 + 20×满意率, a rate without a
  denominator counting in full; ranked best first, equal scores sharing a place (并列)
  and listed by name. A unit's deadlines are those opened by its assignment (交办 or
  改派; a 退回重办 reopens the report's; a 退单 answers the unit_accept one, as the
  unit's decision on taking the case); a case is the unit's at a revisit when its last
  交办/改派 before it named the unit and no 退单 followed.
- 办理质量 (seed 001 五(二)3), per ranked unit, from events in the window: 报送次数 = its
  unit-report events; 办理质量合格率 = those not sent back (no send-back follows the
  report by D before the next report) / 报送次数; 退回重办 = send-back events naming it;
  退单 = its unit-return events; 改派 = reassign events taking a case from it; 催办 =
  urge events naming it. Not part of 综合得分.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from xinfang.core import projection, rules
from xinfang.core.errors import InvalidInput
from xinfang.core.periods import Period
from xinfang.core.states import Status
from xinfang.core.vocabulary import COLLECTIVE, DISSATISFIED, OWN_UNIT, SATISFIED

UNFILLED = "未填写"
# The deadlines that are the office's (or its units') to meet: 超期未办 counts these.
OFFICE_DUTIES = (
    *(name for name, stage in rules.STAGES.items() if stage.office_duty),
    "assign_due",
)
WEIGHTS = (("accept_rate", 40), ("report_rate", 40), ("satisfaction_rate", 20))


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Figures:
    """One period's figures, as the ledger stood at the end of `as_of`."""

    period: Period
    as_of: date
    registered: int = 0
    accepted: int = 0
    rejected: int = 0
    transferred: int = 0
    undecided: int = 0
    replied: int = 0
    replied_on_time: int = 0
    revisited: int = 0
    satisfied: int = 0
    closed: int = 0
    repeat: int = 0
    collective: int = 0
    collective_persons: int = 0
    overdue: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_form: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_township: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)
    by_origin: Counter[str] = field(default_factory=Counter)  # the county's roll-up

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.accepted, self.registered)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.replied_on_time, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.revisited)

    def value(self, key: str) -> int | float | None:
        result: int | float | None = getattr(self, key)
        return result


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    rate: bool = False


MEASURES = (
    Measure("registered", "登记数"),
    Measure("accepted", "受理数"),
    Measure("rejected", "不予受理"),
    Measure("transferred", "转送"),
    Measure("undecided", "待定"),
    Measure("acceptance_rate", "受理率", rate=True),
    Measure("replied", "答复数"),
    Measure("replied_on_time", "按期答复"),
    Measure("on_time_rate", "按期办结率", rate=True),
    Measure("revisited", "回访数"),
    Measure("satisfied", SATISFIED),
    Measure("satisfaction_rate", "满意率", rate=True),
    Measure("closed", "办结数"),
    Measure("repeat", "重复信访"),
    Measure("collective", "集体访"),
    Measure("collective_persons", "集体访人次"),
    Measure("overdue", "超期未办"),
)
# (Figures attribute, heading, the choices list that gives the display order)
BREAKDOWNS = (
    ("by_source", "信访来源", "source"),
    ("by_form", "信访形式", "form"),
    ("by_category", "问题类型", "category"),
    ("by_township", "属地", "township"),
    ("by_unit", "承办单位（交办件数）", None),
    ("by_origin", "来源单位（汇总的下级单位；本单位自收的记为“本单位”）", None),
)


@dataclass(frozen=True)
class Change:
    diff: float | None  # counts: the difference; rates: the difference of the fractions
    ratio: float | None  # counts only: diff / base, when the base is non-zero


def change(current: float | None, base: float | None, *, rate: bool) -> Change:
    if current is None or base is None:
        return Change(None, None)
    diff = current - base
    return Change(diff, diff / base if base and not rate else None)


def describe_change(value: Change, *, rate: bool) -> str:
    """How a change reads: +3（+60.0%）, -2, +5.0个百分点, —."""
    if value.diff is None:
        return "—"
    if rate:
        return f"{value.diff * 100:+.1f}个百分点"
    text = f"{value.diff:+d}" if isinstance(value.diff, int) else f"{value.diff:+g}"
    return text + (f"（{value.ratio * 100:+.1f}%）" if value.ratio is not None else "")


def describe(value: float | None, *, rate: bool) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if rate else str(value)


@dataclass(frozen=True)
class OverviewRow:
    measure: Measure
    current: float | None
    previous: float | None
    year_before: float | None
    month_on_month: Change  # 环比
    year_on_year: Change  # 同比


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[tuple[str, int, int]]  # (name, this period, previous period)

    @property
    def totals(self) -> tuple[int, int]:
        return sum(r[1] for r in self.rows), sum(r[2] for r in self.rows)


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
    rank: int = 0
    submissions: int = 0  # unit-report events in the window (报送次数)
    submissions_sent_back: int = 0  # of those, sent back by D
    sent_back: int = 0  # 退回重办
    returned: int = 0  # 退单
    reassigned_away: int = 0  # 改派 (taken from it)
    urged: int = 0  # 催办

    @property
    def accept_rate(self) -> float | None:
        return _rate(self.accepts_on_time, self.accepts + self.overdue_accepts)

    @property
    def report_rate(self) -> float | None:
        return _rate(self.reports_on_time, self.reports + self.overdue_reports)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.revisited)

    @property
    def quality_rate(self) -> float | None:
        """办理质量合格率: reports accepted as first submitted / reports."""
        return _rate(self.submissions - self.submissions_sent_back, self.submissions)

    @property
    def score(self) -> float:
        total = 0.0
        for key, weight in WEIGHTS:
            rate: float | None = getattr(self, key)
            total += weight * (1.0 if rate is None else rate)
        return round(total, 2)


@dataclass
class Analysis:
    period: Period
    as_of: date
    current: Figures
    previous: Figures
    year_before: Figures
    ranking: list[UnitScore]
    orders: dict[str, list[str]]  # choices list -> its values in display order

    def overview(self) -> list[OverviewRow]:
        rows = []
        for measure in MEASURES:
            now, before, last_year = (
                f.value(measure.key) for f in (self.current, self.previous, self.year_before)
            )
            rows.append(
                OverviewRow(
                    measure,
                    now,
                    before,
                    last_year,
                    change(now, before, rate=measure.rate),
                    change(now, last_year, rate=measure.rate),
                )
            )
        return rows

    def breakdowns(self) -> list[Breakdown]:
        """Each breakdown this period against the previous one, in the office's order of
        its lists; values no longer in the list and 未填写 after them. Rows that are 0 in
        both periods are left out."""
        result = []
        for key, title, choices in BREAKDOWNS:
            now: Counter[str] = getattr(self.current, key)
            before: Counter[str] = getattr(self.previous, key)
            if key == "by_origin" and set(now) | set(before) <= {OWN_UNIT}:
                continue  # a ledger that merges no one's bundles
            order = self.orders.get(choices or "units", [])
            position = {name: n for n, name in enumerate(order)}
            names = sorted(
                set(now) | set(before),
                key=lambda n: (n == UNFILLED, position.get(n, len(position)), n),
            )
            result.append(Breakdown(title, [(n, now[n], before[n]) for n in names]))
        return result


def compute(conn: sqlite3.Connection, period: Period, as_of: date) -> Analysis:
    if as_of < period.first:
        raise InvalidInput("截至日期", f"{as_of} 早于统计期间的第一天 {period.first}")
    lag = timedelta(days=max((as_of - period.last).days, 0))
    previous, year_before = period.previous(), period.year_before()
    current = figures(conn, period, as_of)
    orders = {name: _choices(conn, name) for name in ("source", "form", "category", "township")}
    orders["units"] = [row[0] for row in conn.execute("SELECT name FROM units ORDER BY position")]
    return Analysis(
        period=period,
        as_of=as_of,
        current=current,
        previous=figures(conn, previous, previous.last + lag),
        year_before=figures(conn, year_before, year_before.last + lag),
        ranking=rank_units(conn, period, as_of, current.by_unit),
        orders=orders,
    )


def _choices(conn: sqlite3.Connection, name: str) -> list[str]:
    rows = conn.execute("SELECT value FROM choices WHERE list = ? ORDER BY position", (name,))
    return [row[0] for row in rows]


def _window(period: Period, as_of: date) -> tuple[str, str]:
    return period.first.isoformat(), min(period.last, as_of).isoformat()


# The decision on a case as of the day: the last accept / reject / transfer up to it.
_DECISION = f"""(
    SELECT e.action FROM events e
    WHERE e.case_id = c.id AND e.action IN ('accept', 'reject', 'transfer')
      AND e.occurred_at < date(:as_of, '+1 day') AND {projection.counts_sql("e")}
    ORDER BY e.id DESC LIMIT 1)"""
# The unit a case was assigned to before a given event (the handling unit then): none
# after a 退单.
_ASSIGNED = "('assign', 'reassign')"
_UNIT_BEFORE = f"""(
    SELECT CASE a.action WHEN 'unit-return' THEN NULL ELSE json_extract(a.data, '$.to') END
    FROM events a
    WHERE a.case_id = e.case_id AND a.action IN ('assign', 'reassign', 'unit-return')
      AND a.id < e.id AND {projection.counts_sql("a")}
    ORDER BY a.id DESC LIMIT 1)"""
# A revisit that found the petitioner (无法联系 has no satisfaction to count).
_ANSWERED = "json_extract(e.data, '$.satisfaction') IS NOT NULL"
# Every event counted in a window is one that counts: voided steps count nowhere.
_IN_WINDOW = (
    "e.occurred_at >= :first AND e.occurred_at < date(:last, '+1 day') AND "
    + projection.counts_sql("e")
)


def figures(conn: sqlite3.Connection, period: Period, as_of: date) -> Figures:
    result = Figures(period, as_of)
    first, last = _window(period, as_of)
    params = {"first": first, "last": last, "as_of": as_of.isoformat()}
    cases = conn.execute(
        f"SELECT c.source, c.form, c.category, c.township, c.persons, c.origin, "
        f"{_DECISION} AS decision, "
        "c.repeat_of IS NOT NULL AS repeat FROM cases c "
        "WHERE c.received_at >= :first AND c.received_at < date(:last, '+1 day') "
        f"AND c.status != '{Status.VOIDED.value}'",  # 作废: registered by mistake
        params,
    ).fetchall()
    decisions: Counter[str | None] = Counter()
    for case in cases:
        result.registered += 1
        decisions[case["decision"]] += 1
        result.repeat += case["repeat"]
        if case["persons"] >= COLLECTIVE:
            result.collective += 1
            result.collective_persons += case["persons"]
        for key, column in (
            ("by_source", "source"),
            ("by_form", "form"),
            ("by_category", "category"),
            ("by_township", "township"),
        ):
            getattr(result, key)[case[column] or UNFILLED] += 1
        result.by_origin[case["origin"] or OWN_UNIT] += 1
    result.accepted, result.rejected = decisions["accept"], decisions["reject"]
    result.transferred, result.undecided = decisions["transfer"], decisions[None]

    for _case_id, unit in conn.execute(
        "SELECT DISTINCT e.case_id, json_extract(e.data, '$.to') FROM events e "
        f"WHERE e.action IN {_ASSIGNED} AND {_IN_WINDOW}",
        params,
    ).fetchall():
        result.by_unit[unit or UNFILLED] += 1
    for row in conn.execute(
        f"SELECT json_extract(e.data, '$.satisfaction') FROM events e "
        f"WHERE e.action = 'revisit' AND {_IN_WINDOW} AND {_ANSWERED}",
        params,
    ):
        result.revisited += 1
        result.satisfied += row[0] != DISSATISFIED
    result.closed = conn.execute(
        f"SELECT count(*) FROM events e WHERE e.action = 'close' AND {_IN_WINDOW}", params
    ).fetchone()[0]
    for due_on, met_on in conn.execute(
        "SELECT due_on, met_on FROM deadlines WHERE stage = 'reply' "
        "AND met_on BETWEEN :first AND :last",
        params,
    ):
        result.replied += 1
        result.replied_on_time += _in_time(due_on, met_on)
    result.overdue = conn.execute(
        "SELECT count(*) FROM deadlines "
        f"WHERE stage IN ({','.join('?' * len(OFFICE_DUTIES))}) "
        "AND due_on < ? AND starts_on <= ? AND (met_on IS NULL OR met_on > ?)",
        (*OFFICE_DUTIES, *[as_of.isoformat()] * 3),
    ).fetchone()[0]
    return result


def _in_time(due_on: str | None, met_on: str) -> bool:
    return due_on is None or met_on <= due_on


def rank_units(
    conn: sqlite3.Connection, period: Period, as_of: date, assigned: Counter[str]
) -> list[UnitScore]:
    """承办单位考核 for the units that had an assignment in the window."""
    first, last = _window(period, as_of)
    day = as_of.isoformat()
    scores = {unit: UnitScore(unit, assigned=count) for unit, count in assigned.items()}
    # A unit's deadline is the one opened by its assignment: same case, same round.
    rows = conn.execute(
        "SELECT d.stage, d.due_on, d.met_on, d.starts_on, ("
        "  SELECT json_extract(a.data, '$.to') FROM events a WHERE a.case_id = d.case_id "
        f"  AND a.action IN {_ASSIGNED} AND a.round = d.round AND {projection.counts_sql('a')} "
        "  ORDER BY a.id DESC LIMIT 1) AS unit "
        "FROM deadlines d WHERE d.stage IN ('unit_accept', 'assign_due') "
        "AND ((d.met_on BETWEEN ? AND ?) OR (d.due_on < ? "
        "AND d.starts_on <= ? AND (d.met_on IS NULL OR d.met_on > ?)))",
        (first, last, day, day, day),
    ).fetchall()
    for row in rows:
        score = scores.get(row["unit"])
        if score is None:
            continue
        met_in_window = row["met_on"] is not None and first <= row["met_on"] <= last
        on_time = met_in_window and _in_time(row["due_on"], row["met_on"])
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
    for unit, satisfaction in conn.execute(
        f"SELECT {_UNIT_BEFORE}, json_extract(e.data, '$.satisfaction') FROM events e "
        f"WHERE e.action = 'revisit' AND {_IN_WINDOW} AND {_ANSWERED}",
        {"first": first, "last": last},
    ):
        score = scores.get(unit)
        if score is not None:
            score.revisited += 1
            score.satisfied += satisfaction != DISSATISFIED
    _count_routing(conn, scores, {"first": first, "last": last, "as_of": day})
    ranked = sorted(scores.values(), key=lambda s: (-s.score, s.unit))
    for number, score in enumerate(ranked, 1):
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
  e.action = 'unit-report' AND (
    SELECT n.action FROM events n
    WHERE n.case_id = e.case_id AND n.id > e.id AND n.action IN ('unit-report', 'send-back')
      AND n.occurred_at < date(:as_of, '+1 day') AND {projection.counts_sql("n")}
    ORDER BY n.id LIMIT 1) IS 'send-back'
FROM events e
WHERE e.action IN ('unit-report', 'send-back', 'unit-return', 'reassign', 'urge')
  AND {_IN_WINDOW}"""
_ROUTING_COUNTS = {
    "unit-report": "submissions", "send-back": "sent_back", "unit-return": "returned",
    "reassign": "reassigned_away", "urge": "urged",
}  # fmt: skip


def _count_routing(
    conn: sqlite3.Connection, scores: dict[str, UnitScore], params: dict[str, str]
) -> None:
    """报送次数, 退回重办 (and the reports it rejected), 退单, 改派, 催办 per unit."""
    for action, unit, rejected in conn.execute(_ROUTING, params):
        score = scores.get(unit)
        if score is not None:
            key = _ROUTING_COUNTS[action]
            setattr(score, key, getattr(score, key) + 1)
            score.submissions_sent_back += bool(rejected)
