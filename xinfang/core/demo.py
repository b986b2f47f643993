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

from xinfang.core import settings
from xinfang.core.clock.dates import today
from xinfang.core.errors import XinfangError
from xinfang.core.intake import registration
from xinfang.core.life import archiving, cases
from xinfang.core.vocabulary import (
    DISSATISFIED,
    FINDINGS,
    OWN_SOURCE,
    RECEPTION_SOURCE,
    REPLY_RESULTS,
    RETENTIONS,
    SATISFIED,
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
# (问题类型, 反映问题)
MATTERS = [
    (
        "最低生活保障",
        "反映本村低保评定不公开，家庭收入较高的农户被纳入低保，本人因病致贫却未纳入。",
    ),
    ("最低生活保障", "反映低保金自今年8月起停发，未收到任何告知，请求说明原因并恢复发放。"),
    ("特困人员救助供养", "反映其叔父年逾七旬、无子女，申请特困供养半年未有答复。"),
    ("临时救助", "家中突遭火灾，房屋损毁，申请临时救助，镇上称资金已用完。"),
    ("养老服务", "反映村互助老人幸福院长期关闭，老人无处就餐，请求恢复运营。"),
    ("养老服务", "反映高龄津贴发放标准与邻镇不一致，要求核实。"),
    ("残疾人两项补贴", "本人为二级肢体残疾，重度残疾人护理补贴被取消，请求复核。"),
    ("殡葬管理", "反映公墓管理单位乱收墓穴维护费，要求退费并公开收费依据。"),
    ("婚姻登记", "婚姻登记信息有误，出生日期登记错误，影响办理社保，请求更正。"),
    ("其他", "建议在村委会公示栏公开各项民政补贴名单，接受群众监督。"),
]
RESOLVED = REPLY_RESULTS[0]
# 已解决, 正在解决, 暂时无法解决: what each says
REPLIES = dict(
    zip(
        REPLY_RESULTS[:3],
        (
            "经入户核查，情况属实，已按规定重新评定并自下月起发放，已当面告知信访人。",
            "经核查，情况基本属实，已列入整改计划，预计下月底前完成，期间专人跟踪。",
            "经核查，现行政策暂无相应补助项目，已向信访人解释并告知可申请临时救助。",
        ),
        strict=True,
    )
)
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
RETURNING = {32: 22, 35: 25, 38: 28}
PERSON = ("name", "phone", "id_number", "address", "township")
ORDER = ["registered", "accepted", "assigned", "handling", "reported", "replied", "revisited"]
ORDER += ["publicized", "closed", "archived"]


def _id_number(rng: random.Random, born: date) -> str:
    body = f"620723{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


@dataclass(frozen=True)
class Step:
    gap: int  # days after the previous step
    action: Callable[..., object]
    values: Mapping[str, object]


def build(
    conn: sqlite3.Connection, *, binder: archiving.BinderFactory, seed: int = 2026
) -> dict[str, int]:
    """Fill an empty ledger; return how many cases stand at each status. Each case's
    last step is a few days before today, so most stand within their deadlines and a
    few (every sixth open one) are late, as in a real office. `binder` writes the
    archived case files (outputs/archive.py renders them from the templates; the core
    writes no document itself)."""
    if conn.execute("SELECT count(*) FROM cases").fetchone()[0]:
        raise XinfangError("演示数据只能写入空台账；请换一个 --db 路径。")
    rng = random.Random(seed)
    settings.set_value(conn, "clerk", "王芳")
    end = today()
    planned: list[tuple[date, int, dict[str, object], list[Step]]] = []
    for index, stage in enumerate(STAGES):
        values = _petition(rng, index, end)
        if index in RETURNING:
            values |= {key: planned[RETURNING[index]][2][key] for key in PERSON}
        steps = _plan(rng, index, stage, values, partial(archiving.archive, binder=binder))
        lag = rng.randint(0, 1) + (9 if index % 6 == 5 and stage in ORDER[:7] else 0)
        received = end - timedelta(days=sum(step.gap for step in steps) + lag)
        planned.append((received, index, values, steps))
    for received, index, values, steps in sorted(planned, key=lambda p: (p[0], p[1])):
        # A time of day, except today, when it might still be ahead of the clock.
        when = f"{received} {9 + index % 8:02d}:30" if received < end else received.isoformat()
        case_no = registration.register(conn, values, on=when).case_no
        day = received
        for step in steps:
            day += timedelta(days=step.gap)
            given = {
                key: (day + value).isoformat() if isinstance(value, timedelta) else value
                for key, value in step.values.items()
            }
            step.action(conn, case_no, on=day.isoformat(), **given)
    rows = conn.execute("SELECT status, count(*) FROM cases GROUP BY status").fetchall()
    return {status: count for status, count in rows}


def _petition(rng: random.Random, index: int, end: date) -> dict[str, object]:
    category, content = MATTERS[index % len(MATTERS)]
    town = list(VILLAGES)[index % len(VILLAGES)]
    anonymous = index % 13 == 7
    upper = index % 9 == 4
    values: dict[str, object] = {
        "source": UPPER_SOURCE
        if upper
        else rng.choice([OWN_SOURCE, OWN_SOURCE, RECEPTION_SOURCE, "12345热线"]),
        "upper_ref": f"张信转〔{end.year}〕{100 + index}号" if upper else None,
        "form": rng.choice(["来信", "来访", "来访", "来电", "网上信访"]),
        "content": content,
        "category": category,
        "kind": "建议意见类" if category == "其他" else "申诉求决类",
        "township": town,
        "receiver": "王芳",
        "anonymous": anonymous,
        "persons": 6 if index % 11 == 3 else 1,
    }
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
    after the step's own date."""
    anonymous = bool(values["anonymous"])
    notice: dict[str, object] = {} if anonymous else {"notified_on": timedelta(days=0)}
    if stage == "rejected":
        reason = "所反映问题属劳动争议，已经或依法应当通过仲裁解决"
        channel = "向临泽县劳动人事争议仲裁委员会申请仲裁"
        return [Step(1, cases.reject, {"reason": reason, "channel": channel, **notice})]
    if stage == "transferred":
        to = "临泽县人力资源和社会保障局"
        return [Step(1, cases.transfer, {"to": to, "reason": "不属民政职责", **notice})]
    target = ORDER.index(stage)
    steps: list[Step] = []
    if target >= 1:
        steps.append(Step(1, cases.accept, notice))
    # Some cases are answered by the office itself, without a 交办.
    if target >= 2 and (target <= 4 or index % 4 != 0):
        town = str(values["township"])
        unit = town if index % 2 else UNIT_OF_CATEGORY.get(str(values["category"]), town)
        steps.append(Step(1, cases.assign, {"to": unit, "due": timedelta(days=15)}))
        if target >= 3:
            steps.append(Step(1, cases.unit_accept, {}))
        if target >= 4:
            steps.append(Step(4, cases.unit_report, {"text": REPLIES[RESOLVED]}))
    if target >= 5:
        rounds = 2 if index % 7 == 2 and target >= 6 and not anonymous else 1
        for round_no in range(rounds):
            result = rng.choice(list(REPLIES))
            finding = rng.choice(FINDINGS[:2])  # 属实, 部分属实
            reply = {"result": result, "finding": finding, "text": REPLIES[result]}
            steps.append(Step(3, cases.reply, reply))
            if target >= 6 and not anonymous:
                last = round_no + 1 == rounds
                feeling = rng.choice([SATISFIED, "非常满意"]) if last else DISSATISFIED
                opinion = "认为补发金额计算有误" if feeling == DISSATISFIED else None
                revisit = {"method": "电话回访", "satisfaction": feeling, "opinion": opinion}
                steps.append(Step(1, cases.revisit, revisit))
    if target >= 7:
        steps.append(Step(1, cases.publicize, {"where": "临泽县人民政府门户网站"}))
    if target >= 8:
        steps.append(Step(1, cases.close, {"approved_by": "李主任"}))
    if target >= 9:
        steps.append(Step(3, archive, {"retention": RETENTIONS[-1]}))  # 10年
    return steps
