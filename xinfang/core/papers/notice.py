"""公示: the public notice of a case's outcome (信息公开公示制度 第四条). It carries the
source, the matter, how it was handled and whether the petitioner was satisfied, and
never the petitioner's name, phone, address or ID number: those are taken out of the
text too, wherever the petitioner or the clerk wrote them."""

from __future__ import annotations

import sqlite3
from datetime import date

from xinfang.core import privacy, settings
from xinfang.core.clock.dates import chinese_date
from xinfang.core.life.case import Case
from xinfang.core.vocabulary import DISSATISFIED, OWN_SOURCE, SATISFIED


def public_notice(conn: sqlite3.Connection, case: Case, on: date) -> str:
    """The text as published on `on` (the 公示's own date, so it reads the same ever after)."""
    office = settings.get(conn, "unit_name")
    # Also the name, phone or address the case had before a 更正.
    identity = privacy.Identity.of(case, privacy.former_by_case(conn, [case.id]).get(case.id, []))
    source = case.form if case.source == OWN_SOURCE else f"{case.form}（{case.source}）"
    handled = f"交{case.unit}调查处理" if case.unit else f"由{office}直接调查处理"
    if case.anonymous or not case.satisfaction:
        satisfied = "匿名信访，未回访"
    else:
        satisfied = SATISFIED if case.satisfaction != DISSATISFIED else DISSATISFIED
    lines = [
        "信访事项办理情况公示",
        "",
        f"{office}受理的信访事项（编号 {case.number}）已办理完毕，现将办理情况公示如下：",
        f"一、信访来源：{source}",
        f"二、反映问题：{identity.scrub(case.content)}",
        f"三、转办交办情况：{handled}",
        f"四、调查处理情况：{case.reply_result or ''}。{identity.scrub(case.reply_text or '')}",
        f"五、信访人是否满意：{satisfied}",
        "",
        f"公示期间如有意见，请向{office}反映。",
        "",
        office,
        chinese_date(on),
    ]
    return "\n".join(lines)
