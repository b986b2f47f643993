"""Realistic ledgers for the benchmark, deterministic from a seed.

    python bench/generate.py --size 100k --out bench/data/ledger-100k.db [--seed 2026]

Sizes: 1k, 10k, 100k, 1m, and month10k (10,000 petitions registered in October 2026, for
the monthly tables). Cases are spread over the working days before 2026-11-23 (2026 for
1k and 10k, from 2024 for 100k, from 2025 for 1m: a large city's volume, about 100,000
open cases); each has lived as far as its age allows — most old cases are archived, 5 %
stopped short (steps never recorded: they are most of the overdue ones), recent ones are
at every stage — with the events `xinfang` itself would have written,
and its deadlines derived by `xinfang.core.clock.deadlines` from those events. 8 % are repeat
petitions of an earlier matter (same person, same complaint), 2 % collective (5+ people).

The ledger is written in bulk (SQL inserts in large transactions), not through the CLI:
generating a million cases one command each would take a day.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.core.clock import deadlines, rules, workdays
from xinfang.core.life.case import COLUMNS, Case
from xinfang.store import db

TODAY = date(2026, 11, 23)
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000, "month10k": 10_000}
BATCH = 20_000
STUCK = 0.05  # share of old cases whose life stopped short of the archive
ACTOR = "王芳"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "秀英桂兰玉兰建国建华志强德明春梅海燕丽娟永红军学文国庆红梅淑珍凤英振华桂芳金花"
VILLAGES = ("西关村", "东寨村", "红沟村", "双泉村", "五里墩村", "新华村", "鸭暖村", "小屯村")
MATTERS = (
    ("最低生活保障", "低保金自今年{m}月起停发，未收到任何告知", "请求说明原因并恢复发放"),
    ("最低生活保障", "低保评定不公开，邻居家有车有房仍享受低保", "请求重新核查"),
    ("特困人员救助供养", "叔父年逾七旬、无子女，申请特困供养{m}个月未有答复", "请求尽快办理"),
    ("临时救助", "家中突发火灾损失严重，申请临时救助未获批准", "请求给予救助"),
    ("残疾人两项补贴", "重度残疾人护理补贴连续{m}个月未发放", "请求补发"),
    ("养老服务", "村互助幸福院无人管理，老人吃饭无保障", "请求加强管理"),
    ("婚姻登记", "婚姻登记处要求提供的材料过多，往返{m}次未办成", "请求简化手续"),
    ("殡葬管理", "公墓收费标准不公开，管理费每年上涨", "请求公开收费依据"),
    ("社会组织", "村老年协会账目不公开", "请求审计公开"),
    ("其他", "建议在村委会公示栏公开各项民政补贴名单", "接受群众监督"),
)
SATISFACTION = ("满意", "满意", "基本满意", "非常满意")
RETENTIONS = ("10年", "30年", "永久")
REPLY_RESULTS = ("已解决", "已解决", "正在解决", "暂时无法解决")
FINDINGS = ("属实", "部分属实", "不属实")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    """A valid GB 11643 number of someone born 1940-2000 in 临泽县."""
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
    body = f"620723{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


class Clock:
    """Working days from the precomputed calendar, so that generated dates look like an
    office's: nothing happens on a holiday."""

    def __init__(self, cal: workdays.WorkCalendar, first: date) -> None:
        self.cal = cal
        self.days = [
            first + timedelta(days=i)
            for i in range((TODAY - first).days)
            if cal.is_workday(first + timedelta(days=i))
        ]

    def after(self, day: date, workdays_later: int) -> date:
        return self.cal.add_workdays(day, workdays_later)


class Generator:
    def __init__(self, conn: sqlite3.Connection, size: str, seed: int) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.count = SIZES[size]
        start = {"100k": date(2024, 1, 1), "1m": date(2025, 1, 1)}.get(size, date(2026, 1, 1))
        self.cal = workdays.load(conn)
        clock = Clock(self.cal, start)
        days = [d for d in clock.days if size != "month10k" or d.month == 10]
        self.received = sorted(self.rng.choice(days) for _ in range(self.count))
        self.clock = clock
        self.lists = {
            name: [row[0] for row in conn.execute(
                "SELECT value FROM choices WHERE list = ? ORDER BY position", (name,))]
            for name in ("source", "form", "township", "kind", "revisit_method")
        }  # fmt: skip
        self.units = [row[0] for row in conn.execute("SELECT name FROM units ORDER BY position")]
        self.rule_version = rules.current_version(conn)
        self.rules = rules.version_rules(conn, self.rule_version)
        self.people: list[tuple[int, dict[str, object]]] = []  # earlier matters, for repeats
        self.numbers: dict[int, str] = {}  # case id -> case number, for the links
        self.sequence: dict[tuple[str, int], int] = {}

    def next_number(self, name: str, year: int) -> int:
        self.sequence[(name, year)] = self.sequence.get((name, year), 0) + 1
        return self.sequence[(name, year)]

    def person(self) -> dict[str, object]:
        rng = self.rng
        category, complaint, request = rng.choice(MATTERS)
        town = rng.choice(self.lists["township"])
        anonymous = rng.random() < 0.03
        return {
            "name": None if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN) * 1,
            "phone": None if anonymous else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "id_number": id_number(rng) if not anonymous and rng.random() < 0.6 else None,
            "address": f"临泽县{town}{rng.choice(VILLAGES)}{rng.randrange(1, 12)}社",
            "anonymous": int(anonymous),
            "township": town,
            "category": category,
            "content": "反映" + complaint.format(m=rng.randrange(2, 10)) + "，" + request + "。",
        }

    def stage_reached(self, received: date) -> int:
        """How far along its life a case received on `received` has come (index in LIFE)."""
        age = self.cal.workdays_between(received, TODAY)
        rng = self.rng
        if age > 60:
            # Some never get their last steps recorded: the clerk's backlog, late units.
            return len(LIFE) if rng.random() > STUCK else rng.randrange(1, len(LIFE))
        if age > 20:
            return len(LIFE) if rng.random() < 0.9 else rng.randrange(5, len(LIFE))
        return min(int(age / 2) + rng.randrange(0, 3), len(LIFE))

    def case(self, case_id: int, received: date) -> tuple[dict, list[tuple], list[tuple]]:
        rng = self.rng
        repeat_of = None
        if self.people and rng.random() < 0.08:
            repeat_of, who = rng.choice(self.people[-5000:])
            who = dict(who)
        else:
            who = self.person()
        at = datetime.combine(received, datetime.min.time()) + timedelta(
            hours=rng.randrange(8, 17), minutes=rng.choice((0, 15, 30, 45))
        )
        year = received.year
        case = {
            "id": case_id, "year": year, "seq": self.next_number("case", year),
            "status": "registered", "round": 1, **who,
            "persons": rng.randrange(5, 31) if rng.random() < 0.02 else 1,
            "received_at": at.isoformat(sep=" "), "source": rng.choice(self.lists["source"]),
            "form": rng.choice(self.lists["form"]), "upper_ref": None,
            "kind": rng.choice(self.lists["kind"]), "receiver": ACTOR,
            "rule_version": self.rule_version, "repeat_of": repeat_of,
            "updated_at": at.isoformat(sep=" "),
        }  # fmt: skip
        if case["source"] == "上级交办":
            case["upper_ref"] = f"张信转〔{year}〕{rng.randrange(1, 900)}号"
        if case["source"] == "网络舆情":
            case["source"] = "本级"  # online posts need platform fields; kept out for brevity
        if repeat_of is None and rng.random() < 0.3:
            self.people.append((case_id, who))
        self.numbers[case_id] = f"{year}-{case['seq']:04d}"
        register = {k: v for k, v in case.items() if k in REGISTER_DATA and v}
        if repeat_of is not None:  # the link is a fact of the registration (links.py)
            register["repeat_of"] = self.numbers[repeat_of]
        if case["anonymous"]:
            register["anonymous"] = True  # as register() writes it
        events = [("register", case["received_at"], 1, "registered", register)]
        reached = self.stage_reached(received)
        day = received
        direct = rng.random() < 0.3  # handled by the office itself, not assigned
        for step in LIFE[:reached]:
            if direct and step in ("assign", "unit-accept", "unit-report"):
                continue
            day = min(self.clock.after(day, rng.choice(STEP_GAPS[step])), TODAY)
            if step == "accept" and rng.random() < 0.06:
                step = rng.choice(("reject", "transfer"))
            changes, data, status = self.step(step, case, day)
            case.update(changes, status=status)
            events.append((step, day.isoformat(), 1, status, data))
            if status in ("rejected", "transferred"):
                break
        rows = [
            (case_id, action, when, case["updated_at"], ACTOR, round_, status, json.dumps(data, ensure_ascii=False))
            for action, when, round_, status, data in events
        ]  # fmt: skip
        replay = [
            {"action": a, "occurred_at": w, "round": r, "data": d}
            for _, a, w, _, _, r, _, d in rows
        ]
        typed = Case.from_row({**dict.fromkeys(COLUMNS), **case})
        found = deadlines.derive(typed, replay, self.rules, self.cal)  # type: ignore[arg-type]
        due = [
            (case_id, d.stage, d.round, d.starts_on.isoformat(), d.amount, d.unit,
             d.due_on.isoformat() if d.due_on else None,
             d.met_on.isoformat() if d.met_on else None, d.paused_days, int(d.provisional),
             d.ended_by)
            for d in found
        ]  # fmt: skip
        return case, rows, due

    def step(self, step: str, case: dict, day: date) -> tuple[dict, dict, str]:
        """The changes to the case, the event's data and the status after one step."""
        rng, on = self.rng, day.isoformat()
        if step == "accept":
            notice = {"notified_on": on, "notice_method": "书面告知书"}
            return {"decided_on": on, **notice}, dict(notice), "accepted"
        if step == "reject":
            why = "属于诉讼、仲裁途径解决的事项"
            changes = {"decided_on": on, "decision_reason": why, "reject_channel": "人民法院"}
            data = {"reason": why, "channel": "人民法院", "notified_on": on}
            return changes | {"notified_on": on}, data, "rejected"
        if step == "transfer":
            body = "县人力资源和社会保障局"
            changes = {"decided_on": on, "transfer_to": body, "notified_on": on}
            return changes, {"to": body, "notified_on": on}, "transferred"
        if step == "assign":
            unit = rng.choice(self.units)
            number = self.next_number("assign", day.year)
            due = self.clock.after(day, 10).isoformat()
            changes = {"unit": unit, "assigned_on": on, "assign_due": due,
                       "assign_year": day.year, "assign_seq": number}  # fmt: skip
            return changes, {"to": unit, "due": due, "number": number}, "assigned"
        if step == "unit-accept":
            return {"unit_accepted_on": on}, {"unit": case["unit"]}, "handling"
        if step == "unit-report":
            text = "经入户核查，情况属实，已按规定办理，并当面告知信访人。"
            return {"unit_reported_on": on, "unit_report": text}, {"text": text}, "reported"
        if step == "reply":
            result, finding = rng.choice(REPLY_RESULTS), rng.choice(FINDINGS)
            text = "经调查核实，已按政策规定办理，并向信访人说明。"
            changes = {
                "replied_on": on,
                "reply_result": result,
                "reply_finding": finding,
                "reply_text": text,
            }
            return changes, {"result": result, "finding": finding, "text": text}, "replied"
        if step == "revisit":
            method, happy = rng.choice(self.lists["revisit_method"]), rng.choice(SATISFACTION)
            changes = {"revisited_on": on, "revisit_method": method, "satisfaction": happy}
            return changes, {"method": method, "satisfaction": happy}, "revisited"
        if step == "publicize":
            return {"publicized_on": on}, {"where": "县政府门户网站"}, "publicized"
        if step == "close":
            return {"closed_on": on}, {"approved_by": "李主任"}, "closed"
        kept = rng.choice(RETENTIONS)
        return {"archived_on": on, "retention": kept}, {"retention": kept}, "archived"


LIFE = ("accept", "assign", "unit-accept", "unit-report", "reply", "revisit", "publicize", "close", "archive")  # fmt: skip
STEP_GAPS = {
    "accept": (1, 1, 2, 3), "assign": (0, 1), "unit-accept": (1, 2), "unit-report": (3, 5, 8),
    "reply": (1, 2, 4, 12), "revisit": (1, 2), "publicize": (1, 2), "close": (1, 2, 3),
    "archive": (2, 4, 8),
}  # fmt: skip
REGISTER_DATA = (
    "name", "persons", "phone", "id_number", "address", "received_at", "source", "upper_ref",
    "form", "content", "category", "kind", "township", "receiver",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "year", "seq", "status", "round", "name", "persons", "phone", "id_number", "address",
    "anonymous", "received_at", "source", "form", "upper_ref", "content", "category", "kind",
    "township", "receiver", "decided_on", "decision_reason", "reject_channel", "transfer_to",
    "notified_on", "notice_method", "unit", "assign_year", "assign_seq", "assigned_on",
    "assign_due", "unit_accepted_on", "unit_reported_on", "unit_report", "replied_on",
    "reply_result", "reply_finding", "reply_text", "revisited_on", "revisit_method",
    "satisfaction", "publicized_on", "closed_on", "archived_on", "retention", "updated_at",
    "rule_version", "repeat_of",
)  # fmt: skip


def generate(path: Path, size: str, seed: int) -> dict[str, int]:
    if path.exists():
        raise SystemExit(f"{path} exists; remove it first")
    path.parent.mkdir(parents=True, exist_ok=True)
    db.connect(path).close()  # schema, settings, the calendar: as on first use
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a generated file; nothing to lose
    gen = Generator(conn, size, seed)
    insert_case = (
        f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(CASE_COLUMNS))})"
    )
    for start in range(0, gen.count, BATCH):
        cases, events, due = [], [], []
        for case_id in range(start + 1, min(start + BATCH, gen.count) + 1):
            case, rows, found = gen.case(case_id, gen.received[case_id - 1])
            cases.append(tuple(case.get(column) for column in CASE_COLUMNS))
            events += rows
            due += found
        conn.execute("BEGIN")
        conn.executemany(insert_case, cases)
        conn.executemany(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        conn.executemany(
            "INSERT INTO deadlines (case_id, stage, round, starts_on, amount, unit, due_on, "
            "met_on, paused_days, provisional, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            due,
        )
        conn.execute("COMMIT")
        print(f"  {min(start + BATCH, gen.count):,} cases", file=sys.stderr, end="\r")
    conn.executemany(
        "INSERT INTO sequences (name, year, last) VALUES (?, ?, ?) "
        "ON CONFLICT (name, year) DO UPDATE SET last = excluded.last",
        [(name, year, last) for (name, year), last in gen.sequence.items()],
    )
    conn.execute("PRAGMA optimize")
    counts = {
        "cases": conn.execute("SELECT count(*) FROM cases").fetchone()[0],
        "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
        "open deadlines": conn.execute(
            "SELECT count(*) FROM deadlines WHERE met_on IS NULL"
        ).fetchone()[0],
    }
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.out, args.size, args.seed)
    took = time.perf_counter() - started
    print(f"{args.out}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" ({took:.0f} s)")


if __name__ == "__main__":
    main()
