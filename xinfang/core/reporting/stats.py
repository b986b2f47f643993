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
- 答复数: reply deadlines (stage reply, every round) met in the window (not those a
  并案 ended: the main case's reply counts; nor those an imported reply met on a day the
  old ledger never wrote down: neither on time nor late); 按期答复: met on or before their due day
  (a paused deadline without a due day counts as in time).
  按期办结率 = 按期答复 / 答复数.
- 回访数: revisit events in the window (无法联系 has no satisfaction: not counted); 满意:
  those whose satisfaction 满意率 counts (counting.satisfaction_counted: 非常满意, 满意, and
  基本满意 where the office's setting says so); 满意率 = 满意 / 回访数. 满意度: the
  revisits by their value, each on its own line, so that seed 000's four boxes and seed
  002's three values are never merged.
- 报送次数: unit-report events in the window; 报送未退回: those not sent back by D (the
  report is sent back when the case's next report or send-back, by D, is a send-back);
  办理质量合格率 = 报送未退回 / 报送次数 (seed 001 五(二)3): the office's, every unit's
  reports; per unit in unit_ranking.py.
- 办结数: close events in the window.
- 重复信访: registered cases linked as a repeat of an earlier case (repeats.py links the
  same petitioner's, and the clerk confirms others); a link corrected since (links.py:
  `link`, `unlink`) counts as corrected, as a corrected field does.
- 集体访: registered cases with 人数 >= 5; 集体访人次: the sum of their 人数.
- 重大紧急: registered cases that were urgent by D: registered so, or marked so
  (mark-urgent) by D.
- 超期未办: the office's deadlines (rule stages that are the office's duty, and 交办办结)
  started by D, due before D and not met by D: counted one per deadline.
- Rates are None when the denominator is 0. 环比 / 同比: the difference, and for counts
  the relative change when the base is non-zero (rates: the difference only, in points).
  The comparison periods are taken as of their own last day, plus as many days as D is
  after the period's last day (the same time to mature).
- 承办单位考核 and 办理质量: unit_ranking.py.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from xinfang.core.clock import rules
from xinfang.core.clock.deadlines import open_on
from xinfang.core.clock.periods import Period
from xinfang.core.errors import InvalidInput
from xinfang.core.life import projection
from xinfang.core.life.states import Status
from xinfang.core.reporting.counting import (
    ANSWERED,
    ASSIGNED,
    IN_WINDOW,
    in_time,
    rate,
    satisfaction_counted,
    window,
)
from xinfang.core.reporting.unit_ranking import UnitScore, rank_units, routing_events
from xinfang.core.vocabulary import COLLECTIVE, OWN_UNIT, SATISFIED

UNFILLED = "未填写"
# The deadlines that are the office's (or its units') to meet: 超期未办 counts these.
OFFICE_DUTIES = (
    *(name for name, stage in rules.STAGES.items() if stage.office_duty),
    "assign_due",
)


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
    submitted: int = 0  # 报送次数
    passed: int = 0  # 报送未退回
    closed: int = 0
    repeat: int = 0
    collective: int = 0
    collective_persons: int = 0
    urgent: int = 0
    overdue: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_form: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_township: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)
    by_satisfaction: Counter[str] = field(default_factory=Counter)  # revisits by value
    by_origin: Counter[str] = field(default_factory=Counter)  # the county's roll-up

    @property
    def acceptance_rate(self) -> float | None:
        return rate(self.accepted, self.registered)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.replied_on_time, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.revisited)

    @property
    def quality_rate(self) -> float | None:
        return rate(self.passed, self.submitted)

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
    Measure("satisfied", SATISFIED),  # labelled with the values counted (Analysis)
    Measure("satisfaction_rate", "满意率", rate=True),
    Measure("submitted", "报送次数"),
    Measure("passed", "报送未退回"),
    Measure("quality_rate", "办理质量合格率", rate=True),
    Measure("closed", "办结数"),
    Measure("repeat", "重复信访"),
    Measure("collective", "集体访"),
    Measure("collective_persons", "集体访人次"),
    Measure("urgent", "重大紧急"),
    Measure("overdue", "超期未办"),
)
# (Figures attribute, heading, the choices list that gives the display order)
BREAKDOWNS = (
    ("by_source", "信访来源", "source"),
    ("by_form", "信访形式", "form"),
    ("by_category", "问题类型", "category"),
    ("by_township", "属地", "township"),
    ("by_unit", "承办单位（交办件数）", None),
    ("by_satisfaction", "满意度（回访数）", "satisfaction"),
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
class Analysis:
    period: Period
    as_of: date
    current: Figures
    previous: Figures
    year_before: Figures
    ranking: list[UnitScore]
    orders: dict[str, list[str]]  # choices list -> its values in display order
    satisfied_values: tuple[str, ...]  # the satisfaction values 满意 counts, as named

    @property
    def satisfied_label(self) -> str:
        """满意 with the values it counts: 满意（非常满意＋满意）; plain 满意 where that is all."""
        values = self.satisfied_values
        return SATISFIED if values == (SATISFIED,) else f"{SATISFIED}（{'＋'.join(values)}）"

    def overview(self) -> list[OverviewRow]:
        rows = []
        for measure in MEASURES:
            if measure.key == "satisfied":
                measure = replace(measure, label=self.satisfied_label)
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
    before = figures(conn, previous, previous.last + lag)
    last_year = figures(conn, year_before, year_before.last + lag)
    lists = ("source", "form", "category", "township", "satisfaction")
    orders = {name: _choices(conn, name) for name in lists}
    orders["units"] = [row[0] for row in conn.execute("SELECT name FROM units ORDER BY position")]
    # Name the counted values of the office's scale, and any recorded in these periods.
    named = set(orders["satisfaction"])
    for one in (current, before, last_year):
        named |= set(one.by_satisfaction)
    counted_values = satisfaction_counted(conn)
    return Analysis(
        period=period,
        as_of=as_of,
        current=current,
        previous=before,
        year_before=last_year,
        ranking=rank_units(conn, period, as_of, current.by_unit),
        orders=orders,
        satisfied_values=tuple(v for v in counted_values if v in named) or counted_values,
    )


def _choices(conn: sqlite3.Connection, name: str) -> list[str]:
    rows = conn.execute("SELECT value FROM choices WHERE list = ? ORDER BY position", (name,))
    return [row[0] for row in rows]


# The decision on a case as of the day: the last accept / reject / transfer up to it.
_DECISION = f"""(
    SELECT e.action FROM events e
    WHERE e.case_id = c.id AND e.action IN ('accept', 'reject', 'transfer')
      AND e.occurred_at < date(:as_of, '+1 day') AND {projection.counts_sql("e")}
    ORDER BY e.id DESC LIMIT 1)"""


# Urgent as of the day: the case is urgent now, and was so from its registration or by a
# mark made by the day (a mark withdrawn by 撤销 leaves the case not urgent).
_URGENT = f"""(c.urgent = 1 AND (
    (SELECT json_extract(r.data, '$.urgent') FROM events r WHERE r.case_id = c.id
     ORDER BY r.id LIMIT 1) IS NOT NULL
    OR EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.action = 'mark-urgent'
      AND e.occurred_at < date(:as_of, '+1 day') AND {projection.counts_sql("e")})))"""


def figures(conn: sqlite3.Connection, period: Period, as_of: date) -> Figures:
    result = Figures(period, as_of)
    first, last = window(period, as_of)
    params = {"first": first, "last": last, "as_of": as_of.isoformat()}
    cases = conn.execute(
        f"SELECT c.source, c.form, c.category, c.township, c.persons, c.origin, "
        f"{_DECISION} AS decision, {_URGENT} AS urgent, "
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
        result.urgent += case["urgent"]
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
        f"WHERE e.action IN {ASSIGNED} AND {IN_WINDOW}",
        params,
    ).fetchall():
        result.by_unit[unit or UNFILLED] += 1
    counted = satisfaction_counted(conn)
    for (satisfaction,) in conn.execute(
        f"SELECT json_extract(e.data, '$.satisfaction') FROM events e "
        f"WHERE e.action = 'revisit' AND {IN_WINDOW} AND {ANSWERED}",
        params,
    ):
        result.revisited += 1
        result.satisfied += satisfaction in counted
        result.by_satisfaction[satisfaction] += 1
    for action, _unit, sent_back in routing_events(conn, params):
        if action == "unit-report":
            result.submitted += 1
            result.passed += not sent_back
    result.closed = conn.execute(
        f"SELECT count(*) FROM events e WHERE e.action = 'close' AND {IN_WINDOW}", params
    ).fetchone()[0]
    for due_on, met_on in conn.execute(
        "SELECT due_on, met_on FROM deadlines WHERE stage = 'reply' "
        "AND met_on BETWEEN :first AND :last AND ended_by IS NULL",  # 并案, an assumed day
        params,
    ):
        result.replied += 1
        result.replied_on_time += in_time(due_on, met_on)
    result.overdue = conn.execute(
        "SELECT count(*) FROM deadlines "
        f"WHERE stage IN ({','.join('?' * len(OFFICE_DUTIES))}) "
        f"AND due_on < ? AND {open_on('deadlines', '?')}",
        (*OFFICE_DUTIES, *[as_of.isoformat()] * 3),
    ).fetchone()[0]
    return result
