"""Reading the ledger: one case with its timeline, filtered lists, full-text search.
The dictionaries returned here are also the `--json` output, so their keys are stable."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import rules, workdays
from xinfang.core.clock.dates import parse_date, parse_month, today
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.numbering import formal_number
from xinfang.core.life import lanes
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import events_of, find
from xinfang.core.life.states import OPEN_STATUSES, STATUS_LABELS, Status
from xinfang.core.validate import clean_text, parse_int
from xinfang.core.vocabulary import COLLECTIVE
from xinfang.core.words import pick
from xinfang.store.dialect import dialect_of

HIDDEN = frozenset(("id", "office_id", "year", "seq", "rule_version", "repeat_of", "repeat_of_no"))
REPEAT_OF = "(SELECT printf('%d-%04d', r.year, r.seq) FROM cases r WHERE r.id = cases.repeat_of)"
_DUTIES = ", ".join(f"'{name}'" for name, stage in rules.STAGES.items() if stage.office_duty)
# The earliest open deadline the office or its unit must meet (the petitioner's own
# windows, such as 复查申请, are not ours).
NEXT_DUE = (
    "(SELECT min(due_on) FROM deadlines WHERE case_id = cases.id AND met_on IS NULL "
    f"AND stage IN ({_DUTIES}, 'assign_due'))"
)
# 重大紧急 cases still being handled come first in a list (by number or by due date).
_OPEN = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))
URGENT_FIRST = f"NOT (urgent = 1 AND status IN ({_OPEN}))"
REGISTERED = "registered"  # a search's order: the latest first, urgent or not
# The orders read from an index once the few urgent open cases are taken first.
INDEX_ORDER = {"number": "year, seq", "newest": "id DESC"}


@dataclass(frozen=True)
class Prefixes:
    case: str
    assign: str

    @classmethod
    def of(cls, conn: sqlite3.Connection) -> Prefixes:
        return cls(settings.get(conn, "case_prefix"), settings.get(conn, "assign_prefix"))


def _by_date(event: dict[str, Any]) -> tuple[str, int]:
    """The timeline in the order things happened, day by day, not the order they were
    typed in; within a day as entered (a step dated by its day alone has no hour)."""
    return event["occurred_at"][:10], event["id"]


def case_dict(
    row: sqlite3.Row, prefixes: Prefixes, lane: lanes.Lane, keys: list[str] | None = None
) -> dict[str, Any]:
    """`keys`: the row's column names, read once for a whole list (by position, not by
    name: a name lookup per cell was most of the time of a long list). `lane`: whose
    numbers are shown bare (lanes.py)."""
    names = keys if keys is not None else list(row.keys())
    fields = {key: value for key, value in zip(names, row, strict=True) if key not in HIDDEN}
    fields["anonymous"] = bool(fields["anonymous"])
    fields["urgent"] = bool(fields["urgent"])
    fields["collective"] = row["persons"] >= COLLECTIVE
    office = row["office_id"] if "office_id" in names else None
    repeat_of = row["repeat_of_no"] if "repeat_of_no" in names else None
    fields["repeat_of"] = lane.qualify(repeat_of, office) if repeat_of else None  # its office's
    status = Status(row["status"])
    head = {
        "case_no": lane.number(row["year"], row["seq"], office),
        "formal_no": formal_number(prefixes.case, row["year"], row["seq"]),
        "status": status.value,
        "status_label": status.label,
        "assign_no": (
            formal_number(prefixes.assign, row["assign_year"], row["assign_seq"])
            if row["assign_seq"]
            else None
        ),
    }
    return {**head, **fields}


def show(conn: sqlite3.Connection, ref: str, *, mask: bool = False) -> dict[str, Any]:
    """One case with its timeline; `mask`: fit for a shared screen or a mail (privacy.masked)."""
    # Read here, not at import: `list`, typed dozens of times a day, needs none of them.
    from xinfang.core.clock.overdue import case_deadlines
    from xinfang.core.intake.repeats import count_in_matter
    from xinfang.core.life import finality

    found = find(conn, ref)
    row = conn.execute(
        f"SELECT *, {REPEAT_OF} AS repeat_of_no FROM cases WHERE id = ?", (found.id,)
    ).fetchone()
    lane = lanes.of(conn)
    case = case_dict(row, Prefixes.of(conn), lane)
    case["petitions_in_matter"] = count_in_matter(conn, found)
    case["next_due"] = conn.execute(
        f"SELECT {NEXT_DUE} FROM cases WHERE id = ?", (found.id,)
    ).fetchone()[0]
    case.update(_joins(conn, found, lambda number: lane.qualify(number, lanes.office_of_row(row))))
    # 终结: this matter closed for good, or (a repeat) the matter it repeats.
    ended = finality.ending(conn, [found.id], today())
    case["ended"] = ended.as_json() if ended else None
    root = found.repeat_of
    matter = finality.matter_ending(conn, root, today(), but=found.id) if root else None
    case["matter_ended"] = matter.as_json() if matter else None
    case["imported_extra"] = {}  # below: read from the (perhaps masked) registration
    case["events"] = sorted(_timeline(events_of(conn, found.id)), key=_by_date)
    since = min(date.fromisoformat(found.received_at[:10]), today())
    listed = case_deadlines(conn, found.id, today(), workdays.load(conn, since))
    case["deadlines"] = _windows_of_the_latest_round(conn, found, listed)
    if mask:
        from xinfang.core import privacy

        case = privacy.masked(case)
    # The old ledger's other columns (as the timeline has them, masked with it).
    register = next((e for e in case["events"] if e["action"] == "register"), None)
    case["imported_extra"] = (register["data"].get("imported_extra") if register else None) or {}
    return case


def _windows_of_the_latest_round(
    conn: sqlite3.Connection, row: Case, listed: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The petitioner's own windows (复查申请, 复核申请) of the case's latest round only (the
    reply of an earlier round was handled again after a 不满意 revisit: it is no longer
    the one to contest), each with what it counts from (送达, or not)."""
    from xinfang.core.life import windows
    from xinfang.core.life.actions import DELIVERED_WINDOWS

    kept = [d for d in listed if d["office_duty"] or d["round"] == row.round]
    for deadline in kept:
        contested = deadline["stage"] in DELIVERED_WINDOWS.values()
        deadline["counted_from"] = (
            windows.counted_from(conn, row, deadline["stage"], deadline["round"])
            if contested
            else None
        )
    return kept


def _timeline(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each step numbered as `void` names it, and marked when it was withdrawn."""
    from xinfang.core.life import projection

    withdrawn = projection.voided([(event["action"], event["data"]) for event in events])
    return [
        {"no": number, **{k: v for k, v in event.items() if k != "case_id"},
         "voided": number in withdrawn, "voided_by": withdrawn.get(number)}
        for number, event in enumerate(events, 1)
    ]  # fmt: skip


def _joins(conn: sqlite3.Connection, case: Case, shown_as: Callable[[str], str]) -> dict[str, Any]:
    """并案: the main case a joined one follows (as it stands now), or the cases joined
    into this one (all of the case's office: `shown_as` writes their numbers)."""
    from xinfang.core.life import joined

    main = joined.into(conn, case)
    if main is None:
        return {"joined": [shown_as(number) for number in joined.members(conn, case)]}
    # No text of the main case: its petitioner is another person (and --mask masks ours).
    shown = {
        "case_no": shown_as(main.number), "status": main.status.value, "status_label": main.status.label,
        "replied_on": main.replied_on, "reply_result": main.reply_result,
        "revisited_on": main.revisited_on, "satisfaction": main.satisfaction,
        "closed_on": main.closed_on,
    }  # fmt: skip
    return {"joined_into": shown}


# Each sort key by its English and Chinese names.
SORT_NAMES = (
    ("number", "number"), ("编号", "number"), ("newest", "newest"), ("最新", "newest"),
    ("due", "due"), ("期限", "due"), ("到期", "due"),
)  # fmt: skip


@dataclass
class Filters:
    status: str | None = None
    month: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    form: str | None = None
    category: str | list[str] | None = None  # several: any of them
    township: str | None = None
    unit: str | list[str] | None = None
    text: str | None = None
    overdue: bool = False
    due_within: str | int | None = None
    sort: str = "number"
    limit: str | int | None = None

    def __post_init__(self) -> None:
        if self.sort != REGISTERED:  # a search's own order, never typed
            self.sort = pick(self.sort, SORT_NAMES, "排序", "排序方式")  # 期限 is due


_OPEN_WORDS = ("open", "在办", "未办结", "办理中")


def parse_status(text: str) -> set[str]:
    """A status by its English name, its label as `show` prints it (已受理（办理中）), the
    label's head (已受理) or a part only one label has (已受); 在办/办理中/open: every open
    one (办理中 alone is what a clerk says of any case still being worked on)."""
    open_ones = frozenset(status.value for status in OPEN_STATUSES)
    names: list[tuple[str, frozenset[str]]] = []
    for status, label in STATUS_LABELS.items():
        one = frozenset({status.value})
        names += [(status.value, one), (label.split("（")[0], one), (label, one)]
    names += [(word, open_ones) for word in _OPEN_WORDS]
    return set(pick(text, names, "状态", "状态"))


def _period(filters: Filters) -> tuple[date | None, date | None]:
    if filters.month:
        if filters.date_from or filters.date_to:
            raise InvalidInput("月份", "--month 不能与 --from/--to 同时使用")
        return parse_month(filters.month, "月份")
    start = parse_date(filters.date_from, "起始日期") if filters.date_from else None
    end = parse_date(filters.date_to, "截止日期") if filters.date_to else None
    if start and end and end < start:
        raise InvalidInput("截止日期", "不能早于起始日期")
    return start, end


def _wanted(conn: sqlite3.Connection, column: str, value: str | list[str] | None) -> list[str]:
    """The values a filter allows; a unit may be named by a part of its name."""
    values = [value] if isinstance(value, str) else list(value or ())
    if column == "unit":
        return [settings.unit_named(conn, name, strict=False) for name in values]
    return values


def text_matches(conn: sqlite3.Connection, text: str, *, latest: int | None = None) -> str:
    """A SQL condition on cases.id for a substring search over names, content, address
    and notes. Three characters or more use the trigram index; shorter ones scan it.
    `latest`: only the last N registered matches are wanted (a search with no other
    condition), which the index hands over without collecting the rest."""
    needle = clean_text(text, "检索词", max_length=200, required=True) or ""
    like = _quote("%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if dialect_of(conn).postgres:  # one trigram index over the same texts serves every length
        return f"id IN (SELECT case_id FROM case_texts WHERE body ILIKE {like} ESCAPE '\\')"
    if len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        first = f" ORDER BY rowid DESC LIMIT {latest}" if latest else ""
        return f"id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH {_quote(phrase)}{first})"
    columns = " OR ".join(
        f"f.{c} LIKE {like} ESCAPE '\\'" for c in ("name", "content", "address", "notes")
    )
    # Probed case by case in the list's order, so that a LIMIT stops the scan early.
    return f"EXISTS (SELECT 1 FROM cases_fts f WHERE f.rowid = cases.id AND ({columns}))"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Selection:
    """The SQL a list's filters come to: its WHERE (with parameters) and ORDER BY."""

    where: str
    params: list[Any]
    order: str
    last: str  # a LIMIT on the outer query, or ""


def _select(conn: sqlite3.Connection, filters: Filters) -> Selection:
    conditions: list[str] = []
    params: list[Any] = []
    if filters.status:
        statuses = parse_status(filters.status)
        conditions.append(f"status IN ({', '.join('?' * len(statuses))})")
        params.extend(sorted(statuses))
    start, end = _period(filters)
    if start:
        conditions.append("received_at >= ?")
        params.append(start.isoformat())
    if end:
        conditions.append("received_at < date(?, '+1 day')")
        params.append(end.isoformat())
    for column in ("source", "form", "category", "township", "unit"):
        wanted = _wanted(conn, column, getattr(filters, column))
        if wanted:  # repeated (--category A --category B): any of them
            conditions.append(f"{column} IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
    if filters.text is not None:
        alone = not conditions and not filters.overdue and filters.due_within is None
        latest = None
        if alone and filters.sort == REGISTERED and filters.limit is not None:
            latest = parse_int(filters.limit, "最多列出", minimum=1, maximum=1_000_000)
        conditions.append(text_matches(conn, filters.text, latest=latest))
    if filters.overdue or filters.due_within is not None:
        horizon = today() - timedelta(days=1)
        if filters.due_within is not None:
            within = parse_int(filters.due_within, "到期工作日数", minimum=0, maximum=366)
            horizon = workdays.load(conn).add_workdays(today(), within)
        conditions.append(f"{NEXT_DUE} <= ?")
        params.append(horizon.isoformat())
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    order = {
        "number": f"{URGENT_FIRST}, year, seq",
        "newest": f"{URGENT_FIRST}, id DESC",  # the latest registered first
        REGISTERED: "id DESC",  # a search: the latest first, the rowid needs no sort
        "due": f"{URGENT_FIRST}, {NEXT_DUE} IS NULL, {NEXT_DUE}, year, seq",
    }
    last = ""
    if filters.limit is not None:
        limit = parse_int(filters.limit, "最多列出", minimum=1, maximum=1_000_000)
        # Choose the cases first, then compute the derived columns for those only: sorting
        # 100,000 matches of a search with them computed took a second.
        chosen = f"SELECT id FROM cases {where} ORDER BY {order[filters.sort]} LIMIT {limit}"
        if filters.sort in INDEX_ORDER:
            # The first `limit` urgent open cases and the first `limit` of all hold the
            # first `limit` urgent-first, and each is read in the order of an index (the
            # few urgent ones through their own), not sorted from the whole ledger.
            urgent = f"{where} AND" if where else "WHERE"
            inner = INDEX_ORDER[filters.sort]
            chosen = (
                f"SELECT id FROM (SELECT id FROM cases INDEXED BY cases_urgent {urgent} "
                f"urgent = 1 AND status IN "
                f"({_OPEN}) ORDER BY {inner} LIMIT {limit}) AS urgent_first UNION SELECT id FROM "
                f"(SELECT id FROM cases {where} ORDER BY {inner} LIMIT {limit}) AS by_order"
            )
            params, last = params * 2, f" LIMIT {limit}"
        where = f"WHERE id IN ({chosen})"
    return Selection(where, params, order[filters.sort], last)


def iter_cases(
    conn: sqlite3.Connection, filters: Filters, *, mask: bool = False, chunk: int = 500
) -> Iterator[list[dict[str, Any]]]:
    """The cases the filters select, `chunk` at a time, read as they are printed (a list
    of the whole ledger is never held at once); `mask`: fit for a shared screen."""
    chosen = _select(conn, filters)
    cursor = conn.execute(
        f"SELECT *, {NEXT_DUE} AS next_due, {REPEAT_OF} AS repeat_of_no FROM cases "
        f"{chosen.where} ORDER BY {chosen.order}{chosen.last}",
        chosen.params,
    )
    prefixes, lane = Prefixes.of(conn), lanes.of(conn)
    keys: list[str] | None = None
    while rows := cursor.fetchmany(chunk):
        keys = keys or list(rows[0].keys())
        if not mask:
            yield [case_dict(row, prefixes, lane, keys) for row in rows]
            continue
        from xinfang.core import privacy

        former = privacy.former_by_case(conn, (row["id"] for row in rows))
        yield [
            privacy.masked(case_dict(row, prefixes, lane, keys), former.get(row["id"], ()))
            for row in rows
        ]


def list_cases(
    conn: sqlite3.Connection, filters: Filters, *, mask: bool = False
) -> list[dict[str, Any]]:
    """The cases the filters select; `mask`: each fit for a shared screen (privacy.masked)."""
    return [case for chunk in iter_cases(conn, filters, mask=mask) for case in chunk]


def count_cases(conn: sqlite3.Connection, filters: Filters) -> int:
    """How many cases the filters select (their order and limit aside)."""
    chosen = _select(conn, replace(filters, limit=None, sort=REGISTERED))
    return int(
        conn.execute(f"SELECT count(*) FROM cases {chosen.where}", chosen.params).fetchone()[0]
    )


PAGE = 50  # a list on the screen: the newest open cases, this many at a time
OPEN_CASES = "在办"


@dataclass(frozen=True)
class Page:
    cases: list[dict[str, Any]]
    more: int  # the cases selected beyond this page


def page(
    conn: sqlite3.Connection, filters: Filters, *, mask: bool = False, size: int = PAGE
) -> Page:
    """The first `size` cases the filters select (or their own --limit), and how many
    more there are."""
    if filters.limit is not None:  # the clerk's own --limit is the page
        size = parse_int(filters.limit, "最多列出", minimum=1, maximum=1_000_000)
    cases = list_cases(conn, replace(filters, limit=size), mask=mask)
    if len(cases) < size:
        return Page(cases, 0)
    return Page(cases, count_cases(conn, filters) - len(cases))


@dataclass(frozen=True)
class Found:
    cases: list[dict[str, Any]]
    more: bool  # more cases match than the limit let through


def search(
    conn: sqlite3.Connection, text: str, *, limit: str | int = 200, mask: bool = False
) -> Found:
    """The latest petitions first (what the clerk looking something up wants)."""
    count = parse_int(limit, "最多列出", minimum=1, maximum=1_000_000)
    cases = list_cases(conn, Filters(text=text, sort=REGISTERED, limit=count + 1), mask=mask)
    return Found(cases[:count], len(cases) > count)
