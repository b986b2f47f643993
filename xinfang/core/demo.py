"""A demonstration ledger: realistic cases at every stage, built through the same core
functions the clerk's commands call, dated over the weeks before today."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from xinfang.core import presets
from xinfang.core.clock.dates import today
from xinfang.core.demo_matters import DECLINED, ENQUIRY, MATTERS, Declined, Matter, Outcome
from xinfang.core.errors import XinfangError
from xinfang.core.intake import reception, registration
from xinfang.core.life import archiving, closing, corrections, deciding, handling, links, routing
from xinfang.core.vocabulary import (
    DISSATISFIED,
    OWN_SOURCE,
    RECEPTION_SOURCE,
    RETENTIONS,
    SATISFIED,
    UNREACHABLE,
    UPPER_SOURCE,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何罗高林"
GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "玉梅",
    "海燕",
    "德明",
    "春花",
    "文军",
    "红霞",
    "永福",
    "淑珍",
]
VILLAGES = {
    "沙河镇": ["西寨村", "花园村", "兰家堡村"],
    "新华镇": ["大寨村", "明泉村"],
    "蓼泉镇": ["湾子村", "双泉村"],
    "平川镇": ["五里墩村", "平川村"],
    "板桥镇": ["红沟村", "古城村"],
    "鸭暖镇": ["小屯村", "昭武村"],
    "倪家营镇": ["倪家营村", "汪家墩村"],
}
UNIT_OF_CATEGORY = {
    "最低生活保障": "社会救助股",
    "特困人员救助供养": "社会救助股",
    "临时救助": "社会救助股",
    "养老服务": "养老服务股",
    "残疾人两项补贴": "社会事务股",
    "殡葬管理": "社会事务股",
    "婚姻登记": "社会事务股",
}
# 信访形式 each 信访来源 comes in: a leader receives in person, the hotline is a call, an
# upper office hands down a letter or an online petition.
FORMS = {
    OWN_SOURCE: ("来信", "来访", "来访", "来电", "网上信访"),
    "12345热线": ("来电",),
    UPPER_SOURCE: ("来信", "网上信访"),
    RECEPTION_SOURCE: ("来访",),
}
# The leaders' reception days (`xinfang reception plan`); one case is taken at one.
RECEPTION_RULE, LEADERS = "last-friday 09:00-11:00", "张国华,李卫东,刘志刚"
DEMO_UPPER = "临泽县信访局"  # where the office answers for the cases sent down to it
RECEIVED_AT_RECEPTION = 3  # the fire victim's petition, joined later by a neighbour's
# The stage each demonstration case is taken to, in registration order.
STAGES = (
    ["archived"] * 5
    + ["closed"] * 3
    + ["publicized"] * 3
    + ["revisited"] * 3
    + ["replied"] * 4
    + ["reported"] * 3
    + ["handling"] * 3
    + ["assigned"] * 4
    + ["accepted"] * 4
    + ["rejected"] * 2
    + ["transferred"] * 2
    + ["registered"] * 4
)
# Petitioners who come back with the same matter (case index -> their earlier one's):
# linked as repeats; the other cases that share a complaint are other people's.
RETURNING = {29: 19, 36: 26, 38: 28}
PERSON = ("name", "phone", "id_number", "address", "township")
ORDER = ["registered", "accepted", "assigned", "handling", "reported", "replied", "revisited"]
ORDER += ["publicized", "closed", "archived"]

# The office's other days, by case index: what goes wrong and is put right.
SENT_BACK = {1, 20, 22}  # 退回重办: the report is not good enough, the unit reports again
REASSIGNED = {2, 25}  # 改派: the case moves to the unit whose business it is
UNIT_RETURNED = {5, 28}  # 退单: the unit gives it back; 28 waits to be assigned again
URGED = {13, 21, 24}  # 催办: the unit is reminded to take the case on
UNPUBLICIZED = {6}  # 不公示: a disability's details are private
UNREACHABLE_AT = {26}  # the acceptance could not be told: the phone is dead, the letter back
WRONG_REPLY = {19}  # a reply typed on the wrong case, 撤销 the next day
MISTAKEN = {37}  # a policy question registered as a petition: 作废, its number kept
# A relative of the earlier case's petitioner, at the same address: linked by the clerk.
FAMILY = {31: 11}
# The earlier petitioner comes back with another matter: linked, then unlinked.
OTHER_MATTER = {39: 24}
# 并案: later petitions of a matter in hand (new case index -> main case's, why), by
# someone of the same village group, registered the day the main case is assigned; the
# first is archived with its main case.
JOINS = {
    len(STAGES): (3, "同一事项：同一场火灾的另一受灾户反映，并入主案一并办理"),
    len(STAGES) + 1: (18, "同一事项：信访人配偶就同一婚姻登记错误来信反映"),
}
MATTER = ("content", "category", "kind", "township", "address")
# 承办责任人 of each unit (assign --person/--phone).
RESPONSIBLE = {
    unit: (SURNAMES[n] + GIVEN[-n - 1], f"1390936{1001 + n:04d}")
    for n, unit in enumerate([*VILLAGES, *sorted(set(UNIT_OF_CATEGORY.values()))])
}
WHY = {
    "thin-report": "经核查，已按政策处理完毕。",
    "send-back": "办理情况过于简单，未附入户核查记录，请补充核查后重新报送",
    "reassign": "经核实属{to}职责，改派{to}办理",
    "unit-return": "所反映问题不属本单位职责，请改交{to}办理",
    "urge": "电话催问受理情况，请尽快入户核查",
    "no-publicize": "涉及信访人残疾情况等个人隐私，不予公示",
    "unreachable": "登记电话为空号，按登记地址邮寄的告知书被退回",
    "wrong-reply": "答复录入错误案件（应为同日另一件），撤销",
    "mistaken": "来电系政策咨询，不属信访事项，误登记",
    "family": "核实为同一事项：原信访人之子代为反映",
    "other-matter": "同一信访人，但反映的是另一事项",
}


def _id_number(rng: random.Random, born: date) -> str:
    body = f"620723{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


@dataclass(frozen=True)
class Ref:
    """Another demonstration case, by its index: its number once it is registered."""

    index: int


@dataclass(frozen=True)
class Step:
    gap: int  # days after the previous step
    action: Callable[..., object]
    values: Mapping[str, object]


@dataclass
class Planned:
    index: int
    stage: str
    values: dict[str, object]
    steps: list[Step]
    received: date = date.min

    def dated(self) -> list[tuple[date, Step]]:
        """Each step with its day."""
        found, day = [], self.received
        for step in self.steps:
            day += timedelta(days=step.gap)
            found.append((day, step))
        return found


def build(
    conn: sqlite3.Connection, *, binder: archiving.BinderFactory, seed: int = 2026
) -> dict[str, int]:
    """Fill an empty ledger; return how many cases stand at each status. Each case's
    last step is a few days before today, so most stand within their deadlines and a
    few (every sixth open one) are late, as in a real office. The steps of all cases are
    taken day by day, as the office took them (a case is joined into another while that
    one is being handled). `binder` writes the archived case files (outputs/archive.py
    renders them from the templates; the core writes no document itself)."""
    if conn.execute("SELECT count(*) FROM cases").fetchone()[0]:
        raise XinfangError("演示数据只能写入空台账；请换一个 --db 路径。")
    rng = random.Random(seed)
    # The seeds' office as its clerk set it up: `init` counts as run, and the 核实情况说明
    # has a real addressee.
    presets.initialise(conn, presets.Setup({"clerk": "王芳", "upper_office": DEMO_UPPER}))
    end = today()
    archive = partial(archiving.archive, binder=binder)
    reception.plan(conn, end.year, RECEPTION_RULE, LEADERS)
    planned: dict[int, Planned] = {}
    taken_at: dict[int, str] = {}  # the reception case: registered as the reception opens
    for index, stage in enumerate(STAGES):
        values = _petition(rng, index, stage, end)
        for earlier, keys in ((RETURNING, PERSON), (OTHER_MATTER, PERSON),
                              (FAMILY, ("township", "address"))):  # fmt: skip
            if index in earlier:
                values |= {key: planned[earlier[index]].values[key] for key in keys}
        case = Planned(index, stage, values, _plan(rng, index, stage, values, archive))
        lag = rng.randint(0, 1) + (9 if index % 6 == 5 and stage in ORDER[:7] else 0)
        case.received = end - timedelta(days=sum(step.gap for step in case.steps) + lag)
        if values["source"] == RECEPTION_SOURCE:  # taken at the last reception before
            held = _reception_day(conn, case.received, end)
            case.received, taken_at[index] = held.day, f"{held.day} {held.starts}"
        planned[index] = case
    for index, (main, why) in JOINS.items():
        planned[index] = _joining(rng, index, planned[main], why, end, archive)
    agenda: list[tuple[date, int, int, Step | None]] = []
    for index, case in planned.items():
        agenda.append((case.received, index, -1, None))
        agenda += [(day, index, n, step) for n, (day, step) in enumerate(case.dated())]
    numbers: dict[int, str] = {}
    for day, index, _, step in sorted(agenda, key=lambda item: item[:3]):
        if step is None:  # registered; a time of day, except today (it may still be ahead)
            when = f"{day} {9 + index % 8:02d}:30" if day < end else day.isoformat()
            when = taken_at.get(index, when)
            numbers[index] = registration.register(conn, planned[index].values, on=when).case_no
            continue
        given = {key: _given(value, day, numbers) for key, value in step.values.items()}
        step.action(conn, numbers[index], on=day.isoformat(), **given)
    rows = conn.execute("SELECT status, count(*) FROM cases GROUP BY status").fetchall()
    return {status: count for status, count in rows}


def _given(value: object, day: date, numbers: dict[int, str]) -> object:
    """A step's value as the command takes it: a timedelta is that many days after the
    step's own date, a Ref the other case's number."""
    if isinstance(value, timedelta):
        return (day + value).isoformat()
    if isinstance(value, Ref):
        return numbers[value.index]
    return value


def _joining(
    rng: random.Random,
    index: int,
    main: Planned,
    why: str,
    end: date,
    archive: Callable[..., Any],
) -> Planned:
    """Another person's petition of the main case's matter, registered the day that case
    is assigned and joined into it while it is being handled; filed with its main case
    if that one is archived."""
    values = _petition(rng, index, "joined", end) | {key: main.values[key] for key in MATTER}
    values |= {"source": OWN_SOURCE, "form": "来信", "upper_ref": None}  # a neighbour writes
    assigned = next(day for day, step in main.dated() if step.action == handling.assign)
    steps = [
        Step(1, deciding.accept, {"notified_on": timedelta(days=0)}),
        Step(1, corrections.join, {"into": Ref(main.index), "reason": why}),
    ]
    if main.stage == "archived":
        filed = main.dated()[-1][0] - (assigned + timedelta(days=2))
        steps.append(Step(filed.days, archive, {"retention": RETENTIONS[-1]}))
    return Planned(index, "joined", values, steps, assigned)


def _reception_day(conn: sqlite3.Connection, before: date, end: date) -> reception.ReceptionDay:
    """The last reception day of the plan on or before `before` (last year's plan made
    too if the year's first reception is still ahead)."""
    for year in (before.year, before.year - 1):
        if year != end.year:
            reception.plan(conn, year, RECEPTION_RULE, LEADERS)
        held = reception.latest_on_or_before(conn, before)
        if held is not None:
            return held
    raise XinfangError("演示数据：找不到领导接访日")


def _matter(index: int) -> Matter:
    return MATTERS[index % len(MATTERS)]


def _declined(index: int) -> Declined:
    """The refused (不予受理) and sent-on (转送) petitions, in registration order."""
    return DECLINED[index - STAGES.index("rejected")]


def _petition(rng: random.Random, index: int, stage: str, end: date) -> dict[str, object]:
    matter: Matter | Declined = _matter(index)
    if stage in ("rejected", "transferred"):
        matter = _declined(index)
    elif index in MISTAKEN:
        matter = ENQUIRY
    category, content = matter.category, matter.content
    town = list(VILLAGES)[index % len(VILLAGES)]
    anonymous = index % 13 == 7
    upper = index % 9 == 4
    if index == RECEIVED_AT_RECEPTION:
        source = RECEPTION_SOURCE
    elif index in MISTAKEN:
        source = OWN_SOURCE
    else:
        source = UPPER_SOURCE if upper else rng.choice([OWN_SOURCE] * 3 + ["12345热线"])
    values: dict[str, object] = {
        "source": source,
        "upper_ref": f"张信转〔{end.year}〕{100 + index}号" if upper else None,
        "form": "来电" if index in MISTAKEN else rng.choice(FORMS[source]),
        "content": content,
        "category": category,
        "kind": "建议意见类" if content.startswith("建议") else "申诉求决类",
        "township": town,
        "anonymous": anonymous,
        "persons": 6 if index % 11 == 3 else 1,
    }
    if source != RECEPTION_SOURCE:  # at a reception the leader is the 接访人
        values["receiver"] = "王芳"
    if not anonymous:
        born = date(rng.randint(1945, 1990), rng.randint(1, 12), rng.randint(1, 28))
        values |= {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            "id_number": _id_number(rng, born),
            "address": f"临泽县{town}{rng.choice(VILLAGES[town])}{rng.randint(1, 12)}社",
        }
    return values


def _plan(
    rng: random.Random,
    index: int,
    stage: str,
    values: dict[str, object],
    archive: Callable[..., Any],
) -> list[Step]:
    """The steps that take a new case to `stage`; a timedelta value means that many days
    after the step's own date, a Ref another case's number."""
    anonymous = bool(values["anonymous"])
    notice: dict[str, object] = {} if anonymous else {"notified_on": timedelta(days=0)}
    if stage in ("rejected", "transferred"):
        declined = _declined(index)
        if declined.to is None:
            told = {"reason": declined.reason, "channel": declined.channel, **notice}
            return [Step(1, deciding.reject, told)]
        told = {"to": declined.to, "reason": declined.reason, **notice}
        return [Step(1, deciding.transfer, told)]
    target = ORDER.index(stage)
    matter = _matter(index)
    rounds = 2 if index % 7 == 2 and target >= 6 and not anonymous else 1
    # A petitioner who is 不满意 at first objects to an answer that leaves room for it.
    outcome = (
        next(o for o in matter.outcomes if o.objection)
        if rounds == 2
        else rng.choice(matter.outcomes)
    )
    steps: list[Step] = _corrections(index)
    if target >= 1:
        if index in UNREACHABLE_AT:
            told = {"method": UNREACHABLE, "reason": WHY["unreachable"]}
            steps += [Step(1, deciding.accept, {}), Step(2, deciding.notify, told)]
        else:
            steps.append(Step(1, deciding.accept, notice))
    # Some cases are answered by the office itself, without a 交办.
    if (target >= 2 and (target <= 4 or index % 4 != 0)) or index in UNIT_RETURNED:
        steps += _routing(index, target, matter, outcome)
    if target >= 5:
        answers = [outcome, outcome.again] if rounds == 2 else [outcome]
        for answer in answers:
            steps.append(Step(3, handling.reply, _reply(answer)))
            if target >= 6 and not anonymous:
                last = answer is answers[-1]
                feeling = rng.choice([SATISFIED, "非常满意"]) if last else DISSATISFIED
                opinion = None if last else outcome.objection
                revisit = {"method": "电话回访", "satisfaction": feeling, "opinion": opinion}
                steps.append(Step(1, closing.revisit, revisit))
    if target >= 7 and index not in UNPUBLICIZED:
        steps.append(Step(1, closing.publicize, {"where": "临泽县人民政府门户网站"}))
    if target >= 8:
        approval: dict[str, object] = {"approved_by": "李主任"}
        if index in UNPUBLICIZED:
            approval |= {"publicize": False, "reason": WHY["no-publicize"]}
        steps.append(Step(1, closing.close, approval))
    if target >= 9:
        steps.append(Step(3, archive, {"retention": RETENTIONS[-1]}))  # 10年
    if index in WRONG_REPLY:  # the answer to the next case's matter
        steps += [
            Step(1, handling.reply, _reply(_matter(index + 1).outcomes[0])),
            Step(1, corrections.void, {"reason": WHY["wrong-reply"]}),
        ]
    return steps


def _reply(answer: Outcome | None) -> dict[str, object]:
    if answer is None:
        raise XinfangError("演示数据：不满意的回访须有第二轮答复")
    return {"result": answer.result, "finding": answer.finding, "text": answer.reply}


def _corrections(index: int) -> list[Step]:
    """What is put right first: a case registered by mistake, a repeat link."""
    if index in MISTAKEN:
        return [Step(1, corrections.void, {"whole": True, "reason": WHY["mistaken"]})]
    if index in FAMILY:
        return [Step(1, links.link, {"to": Ref(FAMILY[index]), "reason": WHY["family"]})]
    if index in OTHER_MATTER:
        return [Step(1, links.unlink, {"reason": WHY["other-matter"]})]
    return []


def _routing(index: int, target: int, matter: Matter, outcome: Outcome) -> list[Step]:
    """交办 to the unit (naming its 承办责任人) and the unit's work, with the office's
    corrections of it: 退单, 改派, 催办, 退回重办. A town takes the matters of its
    villagers, the county's 股 its own business and the rest."""
    town = list(VILLAGES)[index % len(VILLAGES)]
    own = UNIT_OF_CATEGORY.get(matter.category, town)
    unit, other = (town, own) if index % 2 and not matter.county else (own, town)

    def assign(to: str) -> Step:
        person, phone = RESPONSIBLE[to]
        return Step(
            1,
            handling.assign,
            {"to": to, "due": timedelta(days=15), "person": person, "phone": phone},
        )

    steps: list[Step] = []
    if index in UNIT_RETURNED:  # first to the wrong unit, which gives it back
        steps += [
            assign(other),
            Step(1, routing.unit_return, {"reason": WHY["unit-return"].format(to=unit)}),
        ]
        if target < 2:
            return steps
    steps.append(assign(unit))
    if index in REASSIGNED:
        person, phone = RESPONSIBLE[other]
        moved = {
            "to": other,
            "reason": WHY["reassign"].format(to=other),
            "person": person,
            "phone": phone,
        }
        steps.append(Step(1, routing.reassign, moved))
    if index in URGED:
        steps.append(Step(2, routing.urge, {"note": WHY["urge"]}))
    if target >= 3:
        steps.append(Step(1, handling.unit_accept, {}))
    if target >= 4 or index in SENT_BACK:
        # Sent back: the first report says only that it was handled.
        first = WHY["thin-report"] if index in SENT_BACK else outcome.report
        steps.append(Step(4, handling.unit_report, {"text": first}))
    if index in SENT_BACK:
        steps.append(
            Step(2, routing.send_back, {"reason": WHY["send-back"], "due": timedelta(days=10)})
        )
        if target >= 4:
            steps.append(Step(3, handling.unit_report, {"text": outcome.report}))
    return steps
