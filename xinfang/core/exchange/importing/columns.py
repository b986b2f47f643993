"""The columns of an office's ledger: which field each header names (the usual Chinese
column names, xinfang's own tables, `--map`), the values `--default` supplies, and the
columns every file must have."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.intake.fields import REGISTRATION_FIELDS

SKIP = "skip"  # a column that is read as nothing
UNIT_LIST = "unit"  # the handling units, added to like the office's lists (settings.LISTS)

# Keys beyond the registration fields: what happened to the case afterwards.
STEP_LABELS: dict[str, str] = {
    "decision": "是否受理",
    "decided_on": "受理时间",
    "decision_reason": "理由",
    "reject_channel": "法定途径/有权机关",
    "transfer_to": "转送机关",
    "notice": "是否告知",
    "notified_on": "告知日期",
    "notice_method": "告知方式",
    "unit": "承办单位",
    "assigned_on": "交办日期",
    "assign_due": "办结期限",
    "unit_accepted_on": "承办单位受理",
    "unit_reported_on": "承办单位报送",
    "unit_report": "办理情况",
    "replied_on": "答复时间",
    "reply_result": "答复结果",
    "reply_finding": "是否属实",
    "reply_text": "处理结果",
    "revisited_on": "回访日期",
    "revisit_method": "回访方式",
    "satisfaction": "满意度",
    "revisit_opinion": "信访人意见",
    "publicized_on": "公示日期",
    "finished": "是否办结",
    "closed_on": "办结日期",
    "remarks": "备注",
    "ledger_no": "原台账编号",
}
LABELS = {**{f.key: f.label for f in REGISTRATION_FIELDS}, **STEP_LABELS}

# Column names as offices write them. The registration fields' own labels, the columns
# of the two summary tables (信访问题受理情况汇总表, 办理情况汇总表) and of `xinfang export`
# are included, so that xinfang's own workbooks read back.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("信访人", "投诉人", "姓名", "来访人", "来信人", "反映人", "信访人姓名"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "id_number": ("身份证", "身份证号", "身份证号码", "公民身份号码"),
    "address": ("地址", "住址", "通讯地址", "家庭住址", "单位及住址", "通讯地址/单位及住址"),
    "persons": ("人数", "来访人数"),
    "anonymous": ("匿名", "是否匿名"),
    "received_at": (
        "信访时间", "投诉时间", "来访日期", "来信日期", "来访时间", "信访日期", "登记时间",
        "登记日期", "日期",
    ),
    "ledger_no": ("案件编号", "编号", "登记编号", "原台账编号"),
    "source": ("信访来源", "来源"),
    "upper_ref": ("信访件编号", "上级信访件编号"),
    "form": ("信访形式", "形式", "方式"),
    "content": (
        "反映问题", "投诉问题", "诉求", "主要诉求", "信访事项", "反映内容", "内容", "信访内容",
        "主要内容", "信访事由",
    ),
    "category": ("问题类型", "问题分类", "类别", "类型"),
    "township": ("属地", "乡镇", "所属乡镇"),
    "receiver": ("接访人", "接待人", "登记人"),
    "decision": ("是否受理",),
    "decided_on": ("受理时间", "受理日期", "受理决定日期"),
    "decision_reason": ("理由", "不予受理理由"),
    "reject_channel": ("法定途径/有权机关", "法定途径", "告知途径"),
    "transfer_to": ("转送机关", "转送单位"),
    "notice": ("是否告知",),
    "notified_on": ("告知日期", "告知时间"),
    "unit": ("承办单位", "交办单位", "责任单位", "办理单位"),
    "assigned_on": ("交办日期", "交办时间"),
    "assign_due": ("办结期限", "要求办结时间"),
    "replied_on": ("答复时间", "答复日期"),
    "reply_text": ("办理情况及处理结果", "处理结果", "办理结果", "答复意见", "答复内容"),
    "revisited_on": ("回访日期", "回访时间"),
    "satisfaction": ("满意度", "是否满意"),
    "publicized_on": ("公示日期", "公示时间"),
    # Stage columns (stages.py reads their values); 办结时间 is the closing day, not the reply's.
    "finished": ("是否办结", "办结情况", "办结状态", "处理状态", "信访件状态"),
    "closed_on": ("办结日期", "办结时间"),
    SKIP: (
        "序号", "文号", "状态", "办理轮次", "集体访", "重复信访（首件编号）", "重复信访，同", "最近期限",
        "未完成的期限", "交办单号", "归档日期", "保管期限", "原行号", "原因",
    ),
}  # fmt: skip


def normalize_header(value: Any) -> str:
    """A column name compared loosely: half-width, no spaces or line breaks, no
    parenthesised note (信访时间（年月日）), no required-mark or colon."""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", text)
    return re.sub(r"[\s*:]", "", text)


def _known_names() -> dict[str, str]:
    names = {normalize_header(label): key for key, label in LABELS.items()}
    for key, synonyms in SYNONYMS.items():
        names.update({normalize_header(name): key for name in synonyms})
    return names


def header_names(maps: Iterable[str]) -> dict[str, str]:
    """Normalized column name -> field key: the known names, then the `--map` pairs."""
    names = _known_names()
    for column, key in _pairs(maps, "--map"):
        names[normalize_header(column)] = field_key(key)
    return names


def default_values(defaults: Iterable[str]) -> dict[str, str]:
    """Field key -> the value `--default 字段=值` gives every row without one."""
    fixed = {field_key(key): value for key, value in _pairs(defaults, "--default")}
    fixed.pop(SKIP, None)
    return fixed


def field_key(name: str) -> str:
    """The field a --map or --default names: its English key or its Chinese label."""
    text = name.strip()
    if text in ("-", "忽略", SKIP):
        return SKIP
    for key, label in LABELS.items():
        if text in (key, label):
            return key
    found = _known_names().get(normalize_header(text))
    if found is not None:
        return found
    raise InvalidInput(
        "字段",
        f"没有“{shorten(text)}”这个字段；请写字段的中文名或英文名，如 信访人姓名、信访时间、"
        "反映问题、信访来源、信访形式、问题类型、属地、是否受理、承办单位、处理结果、是否办结，"
        "不读该列写“忽略”",
    )


def _pairs(items: Iterable[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            form = (
                "列名=字段，如 来访日期=信访时间"
                if option == "--map"
                else "字段=值，如 信访形式=来访"
            )
            raise InvalidInput(option, f"“{shorten(item)}”应写成 {form}")
        pairs.append((left.strip(), right.strip()))
    return pairs


def check_columns(header_row: int, present: set[str]) -> None:
    """Columns every row needs: refused once for the file, not once per row."""
    missing = [key for key in ("received_at", "content", "source") if key not in present]
    if "form" not in present and "source" not in present:
        missing.append("form")
    if not {"name", "anonymous"} & present:
        missing.insert(0, "name")
    if missing:
        names = "、".join(LABELS[key] for key in missing)
        raise InvalidInput(
            "导入文件",
            f"第 {header_row} 行的表头中找不到：{names}；列名不同的请用 --map 列名=字段 指定，"
            "整个文件相同的值可用 --default 字段=值（如 --default 信访形式=来信）",
        )
