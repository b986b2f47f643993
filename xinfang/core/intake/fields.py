"""The registration fields (DOMAIN.md "The fields"): one table that register, correct,
the interactive prompts and the error messages all read, so a field is defined once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import moment
from xinfang.core.errors import InvalidInput
from xinfang.core.validate import clean_text, normalize_id_number, normalize_phone, parse_int
from xinfang.core.vocabulary import ONLINE_SOURCE, UPPER_SOURCE


@dataclass(frozen=True)
class Field:
    key: str  # the column in `cases`
    label: str  # what the clerk reads
    max_length: int = 0
    choice_list: str | None = None  # a settings list the value must come from
    multiline: bool = False
    kind: str = "text"  # text | int | phone | id | when | bool
    fixed: tuple[str, ...] = ()  # values fixed by law or the seeds, not by the office
    bounds: tuple[int, int] = (1, 100_000)  # an int's smallest and largest value
    unit: str = ""  # an int's unit, which the clerk may write after it (3人, 45岁)


REGISTRATION_FIELDS: tuple[Field, ...] = (
    Field("name", "信访人姓名", 50),
    # Seed 001 二(三)1: the 来访登记表 records 姓名、性别、年龄、住址、联系方式.
    Field("sex", "性别", 20, fixed=("男", "女")),
    Field("age", "年龄", kind="int", bounds=(1, 120), unit="岁"),
    Field("persons", "人数", kind="int", unit="人"),
    Field("phone", "联系电话", kind="phone"),
    Field("id_number", "身份证号码", kind="id"),
    Field("address", "通讯地址", 200),
    Field("anonymous", "匿名", kind="bool"),
    Field("received_at", "信访时间", kind="when"),
    Field("source", "信访来源", 20, choice_list="source"),
    Field("upper_ref", "上级信访件编号", 50),
    Field("form", "信访形式", 20, choice_list="form"),
    Field("content", "反映问题", 20_000, multiline=True),
    Field("category", "问题类型", 50, choice_list="category"),
    Field("kind", "事项类别", 20, choice_list="kind"),
    Field("township", "属地", 50, choice_list="township"),
    Field("receiver", "接访人", 50),
    Field("receiver_opinion", "接访人意见", 2_000, multiline=True),
    Field("raised_by", "反映人身份", 20, fixed=("人大代表", "政协委员", "社会知名人士")),
    Field("platform", "发布平台", 50),
    Field("post_url", "原帖网址", 500),
    Field("posted_at", "发帖时间", kind="when"),
)
# What happened to the case after registration, in the order of its life.
CASE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("origin", "来源单位（汇总）"),
    ("origin_no", "原编号"),
    ("decided_on", "受理决定日期"),
    ("decision_reason", "理由"),
    ("reject_channel", "法定途径/有权机关"),
    ("transfer_to", "转送机关"),
    ("notified_on", "告知日期"),
    ("notice_method", "告知方式"),
    ("assign_no", "交办单号"),
    ("unit", "承办单位"),
    ("assigned_on", "交办日期"),
    ("assign_due", "办结期限"),
    ("unit_accepted_on", "承办单位受理"),
    ("unit_reported_on", "承办单位报送"),
    ("unit_report", "办理情况"),
    ("replied_on", "答复日期"),
    ("reply_result", "答复结果"),
    ("reply_finding", "是否属实"),
    ("reply_text", "答复意见"),
    ("revisited_on", "回访日期"),
    ("revisit_method", "回访方式"),
    ("satisfaction", "满意度"),
    ("revisit_opinion", "信访人意见"),
    ("publicized_on", "公示日期"),
    ("closed_on", "办结日期"),
    ("archived_on", "归档日期"),
    ("retention", "保管期限"),
)
ONLINE_FIELDS = ("platform", "post_url", "posted_at")
FIELDS_BY_KEY = {field.key: field for field in REGISTRATION_FIELDS}
REQUIRED = ("source", "form", "content")


def find_field(name: str) -> Field:
    for field in REGISTRATION_FIELDS:
        if name in (field.key, field.label) or (name == "信访人" and field.key == "name"):
            return field
    allowed = "、".join(f"{f.label}（{f.key}）" for f in REGISTRATION_FIELDS)
    raise InvalidInput("字段", f"没有“{name}”这个字段；可更正的字段：{allowed}")


def _as_bool(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("是", "true", "1", "yes", "y"):
        return True
    if text in ("否", "false", "0", "no", "n"):
        return False
    raise InvalidInput(label, f"只能是“是”或“否”，不能是“{value}”")


def clean_value(conn: sqlite3.Connection, field: Field, value: Any, *, force: bool) -> Any:
    """One field's value as stored, or InvalidInput naming the field and what is allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    converters: dict[str, Callable[[], Any]] = {
        "int": lambda: _as_int(value, field),
        "phone": lambda: normalize_phone(str(value), force=force),
        "id": lambda: normalize_id_number(str(value), force=force),
        "bool": lambda: _as_bool(value, field.label),
        "when": lambda: _when_text(value, field.label),
    }
    if field.kind in converters:
        return converters[field.kind]()
    text = clean_text(
        str(value), field.label, max_length=field.max_length, multiline=field.multiline
    )
    if text is not None and field.choice_list:
        settings.check_choice(conn, field.choice_list, text, field.label)
    if text is not None and field.fixed and text not in field.fixed:
        raise InvalidInput(field.label, f"“{text}”不可用；可选：{'、'.join(field.fixed)}")
    return text


def _as_int(value: Any, field: Field) -> int:
    if isinstance(value, str) and field.unit:
        value = value.strip().removesuffix(field.unit)
    low, high = field.bounds
    return parse_int(value, field.label, minimum=low, maximum=high)


def _when_text(value: Any, label: str) -> str:
    return moment(str(value), label).text


def later(first: str, second: str) -> bool:
    """Whether stored moment `first` is after `second`. A date without a time of day is the
    whole day, so it is later than neither a time on that day nor the same day."""
    if first[:10] != second[:10] or len(first) == 10 or len(second) == 10:
        return first[:10] > second[:10]
    return first > second


def missing(record: dict[str, Any]) -> list[str]:
    """The labels of the required fields a new case has no value for."""
    absent = [FIELDS_BY_KEY[key].label for key in REQUIRED if not record.get(key)]
    if not record.get("anonymous") and not record.get("name"):
        absent.insert(0, FIELDS_BY_KEY["name"].label)
    return absent


def check_record(record: dict[str, Any]) -> None:
    """Rules across fields, for a new case and for a corrected one alike."""
    absent = missing(record)
    if absent:
        name = FIELDS_BY_KEY["name"].label
        said = [f"{name}（匿名信访请加 --anonymous）" if x == name else x for x in absent]
        raise InvalidInput("必填项", "缺少 " + "、".join(said))
    if record.get("source") == UPPER_SOURCE and not record.get("upper_ref"):
        raise InvalidInput("上级信访件编号", "信访来源为“上级交办”时必须填写上级的信访件编号")
    online = [FIELDS_BY_KEY[key].label for key in ONLINE_FIELDS if record.get(key)]
    if online and record.get("source") != ONLINE_SOURCE:
        raise InvalidInput("、".join(online), f"只用于信访来源为“{ONLINE_SOURCE}”的案件")
    posted, received = record.get("posted_at"), record.get("received_at")
    if posted and received and later(posted, received):
        raise InvalidInput("发帖时间", f"{posted} 晚于信访时间 {received}；帖子须先发布才能登记")
