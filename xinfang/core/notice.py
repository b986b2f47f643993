"""公示: the public notice of a case's outcome (信息公开公示制度 第四条). It carries the
source, the matter, how it was handled and whether the petitioner was satisfied, and
never the petitioner's name, phone, address or ID number: those are taken out of the
text too, wherever the petitioner or the clerk wrote them."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from xinfang.core import settings
from xinfang.core.dates import chinese_date, today
from xinfang.core.numbering import short_number

_ID = re.compile(r"(?<![0-9])\d{17}[0-9Xx]|(?<![0-9])\d{15}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0\d{2,3}[- ]?\d{7,8}(?![0-9])")
_ADDRESS_PARTS = re.compile(r"[^省市县区镇乡街道村社组号]+(?:村|社|组|号|街道|小区|巷)")


def scrub(text: str, case: sqlite3.Row | Mapping[str, Any]) -> str:
    """Take the petitioner's identity out of a text."""
    words = [case["name"], case["address"], case["phone"], case["id_number"]]
    if case["address"]:
        # The village and house parts of the address, wherever they are repeated alone.
        words += [m.group(0) for m in _ADDRESS_PARTS.finditer(case["address"])]
    for word in sorted((w for w in words if w and len(w) >= 2), key=len, reverse=True):
        text = text.replace(word, "***")
    if case["name"] and len(case["name"]) >= 2:
        text = re.sub(re.escape(case["name"][0]) + r"[某*]{1,2}", "***", text)
    for pattern in (_ID, _MOBILE, _LANDLINE):
        text = pattern.sub("***", text)
    return text


def public_notice(conn: sqlite3.Connection, case: sqlite3.Row) -> str:
    office = settings.get(conn, "unit_name")
    source = case["form"] if case["source"] == "本级" else f"{case['form']}（{case['source']}）"
    handled = f"交{case['unit']}调查处理" if case["unit"] else f"由{office}直接调查处理"
    if case["anonymous"] or not case["satisfaction"]:
        satisfied = "匿名信访，未回访"
    else:
        satisfied = "满意" if case["satisfaction"] != "不满意" else "不满意"
    lines = [
        "信访事项办理情况公示",
        "",
        f"{office}受理的信访事项（编号 {short_number(case['year'], case['seq'])}）已办理完毕，"
        "现将办理情况公示如下：",
        f"一、信访来源：{source}",
        f"二、反映问题：{scrub(case['content'], case)}",
        f"三、转办交办情况：{handled}",
        f"四、调查处理情况：{case['reply_result'] or ''}。{scrub(case['reply_text'] or '', case)}",
        f"五、信访人是否满意：{satisfied}",
        "",
        f"公示期间如有意见，请向{office}反映。",
        "",
        office,
        chinese_date(today()),
    ]
    return "\n".join(lines)
