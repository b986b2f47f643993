"""A bundle's manifest checked whole before anything is written: its format, the office,
every case number, every event (a known action, allowed from the state the replay is in,
with the status and round that step gives, dated in order), every value's type and
length, every attachment. Text is cleaned as the typed path cleans it (clean_text: no
control characters, ESC or NUL) and refused when too long; anything else wrong refuses
the bundle with one line naming the case and the event."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from xinfang.core.clock import rules
from xinfang.core.clock.dates import FIRST_YEAR, LAST_YEAR
from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.exchange.bundle_zip import Archive, Refused
from xinfang.core.intake.fields import FIELDS_BY_KEY, REGISTRATION_FIELDS, Field, check_record
from xinfang.core.intake.numbering import short_number
from xinfang.core.life import projection
from xinfang.core.life.actions import ACTIONS, DELIVERED_WINDOWS, RECORDS
from xinfang.core.life.states import Status
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import (
    ATTACHMENT_KINDS,
    DELIVERY_METHODS,
    FINDINGS,
    NOTICE_METHODS,
    REPLY_RESULTS,
    RETENTIONS,
    REVIEW_OUTCOMES,
    UNREACHABLE,
)

FORMAT, VERSION = "xinfang-bundle", 2
LEGACY = 1  # without an office id: known by its name
CASES_LIMIT = 200_000
EVENTS_LIMIT = 5_000  # of one case
ATTACHMENTS_LIMIT = 1_000  # of one case
TEXT_LIMIT = 20_000
ITEMS_LIMIT = 200  # a list or an object inside an event's data
OFFICE_ID = re.compile(r"[0-9a-f]{32}")
_CASE_NO = re.compile(r"([0-9]{4})-([0-9]{4,6})")
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ID_NUMBER = re.compile(r"[0-9A-Za-z]{15,18}")  # what register accepts, --force included
STATUSES = {status.value: status for status in Status}


class Event(TypedDict):
    id: int
    action: str
    occurred_at: str
    recorded_at: str
    actor: str
    round: int
    status_after: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Attachment:
    title: str
    kind: str
    file: str
    sha256: str
    size: int | None  # version 1 did not say


@dataclass(frozen=True)
class Case:
    case_no: str
    events: list[Event]
    attachments: list[Attachment]


@dataclass
class Bundle:
    archive: Archive
    version: int
    office: str
    office_id: str | None  # None: a version-1 bundle
    created_at: str
    last: str  # the period's last day ("" if not said)
    cases: list[Case] = field(default_factory=list)

    @property
    def made(self) -> str:
        """Which of two bundles of an office is newer: made later, or (made at the same
        moment) of a later period."""
        return f"{self.created_at} {self.last}"


# ------------------------------------------------------------------ single values

Check = Callable[[Any, str], Any]


def _fail(where: str, problem: str) -> Refused:
    return Refused(f"{where}：{problem}")


def _text(value: Any, where: str, limit: int, *, multiline: bool = True) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(where, "应为文字")
    try:
        return clean_text(value, where, max_length=limit, multiline=multiline)
    except InvalidInput as error:
        raise Refused(error.message) from None


def text(limit: int, *, multiline: bool = True) -> Check:
    return lambda value, where: _text(value, where, limit, multiline=multiline)


def line(limit: int) -> Check:
    return text(limit, multiline=False)


def integer(low: int, high: int) -> Check:
    def check(value: Any, where: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _fail(where, f"应为 {low} 到 {high} 之间的整数")
        return value

    return check


def flag(value: Any, where: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _fail(where, "应为 true 或 false")
    return value


def stamp(value: Any, where: str) -> str | None:
    """A moment as the ledger stores it: 2026-11-02 or 2026-11-02 09:30:00."""
    if value is None:
        return None
    if not isinstance(value, str) or not _STAMP.fullmatch(value):
        raise _fail(where, f"“{shorten(value)}”不是日期（应为 2026-11-02 或 2026-11-02 09:30:00）")
    try:
        year = datetime.fromisoformat(value).year
    except ValueError:
        raise _fail(where, f"“{value}”不是真实的日期") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _fail(where, f"{year} 年超出范围（{FIRST_YEAR}–{LAST_YEAR}）")
    return value


def day(value: Any, where: str) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) != 10):
        raise _fail(where, f"“{shorten(value)}”不是日期（应为 2026-11-02）")
    return stamp(value, where)


def choice(allowed: tuple[str, ...]) -> Check:
    def check(value: Any, where: str) -> str | None:
        if value is not None and value not in allowed:
            raise _fail(where, f"“{shorten(value)}”不可用；可选：{'、'.join(allowed)}")
        return value

    return check


def numbers(value: Any, where: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > ITEMS_LIMIT:
        raise _fail(where, "应为编号的列表")
    return [integer(1, 10**6)(item, where) for item in value]


def required(check: Check) -> Check:
    def need(value: Any, where: str) -> Any:
        found = check(value, where)
        if found is None:
            raise _fail(where, "缺少，或为空")
        return found

    return need


def case_number(value: Any, where: str) -> str | None:
    """2026-0001 exactly as the ledger writes it."""
    if value is None:
        return None
    found = _CASE_NO.fullmatch(value) if isinstance(value, str) else None
    if not found or short_number(int(found[1]), int(found[2])) != value or int(found[2]) < 1:
        raise _fail(where, f"“{shorten(value)}”不是案件编号（应为 2026-0001 的形式）")
    stamp(f"{found[1]}-01-01", where)
    return value


def scalar(value: Any, where: str, *, nested: bool = False) -> Any:
    """Any other value of an event's data: text (cleaned), a whole number, true/false,
    or one level of list or object of those."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return integer(-(10**15), 10**15)(value, where)
    if isinstance(value, str):
        return _text(value, where, TEXT_LIMIT)
    if not nested and isinstance(value, list) and len(value) <= ITEMS_LIMIT:
        return [scalar(item, where, nested=True) for item in value]
    if not nested and isinstance(value, dict) and len(value) <= ITEMS_LIMIT:
        return {_key(k, where): scalar(v, f"{where}.{k}", nested=True) for k, v in value.items()}
    raise _fail(where, "含有不支持的数据（只能是文字、整数、是否，或一层列表）")


def _key(key: str, where: str) -> str:
    if not _KEY.fullmatch(key):
        raise _fail(where, f"数据项名“{shorten(key)}”不合规")
    return key


# ------------------------------------------------------------ the data of each action


def _registration(spec: Field) -> Check:
    if spec.fixed:
        return choice(spec.fixed)
    kinds: dict[str, Check] = {
        "int": integer(*spec.bounds),
        "phone": line(40),
        "bool": flag,
        "when": stamp,
        "id": lambda value, where: _id_number(line(18)(value, where), where),
    }
    return kinds.get(spec.kind, text(spec.max_length, multiline=spec.multiline))


def _id_number(value: str | None, where: str) -> str | None:
    if value is not None and not _ID_NUMBER.fullmatch(value):
        raise _fail(where, "应为 15 至 18 位字母或数字")
    return value


FIELD_CHECKS: dict[str, Check] = {f.key: _registration(f) for f in REGISTRATION_FIELDS}


def _kept_columns(value: Any, where: str) -> dict[str, str] | None:
    """imported_extra: an old ledger's columns no field holds, column name -> its text
    (at most importing's 500 columns and the values --map-value replaced)."""
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > 600:
        raise _fail(where, "应为不超过 600 项的“列名：内容”")
    return {
        _text(k, where, 120, multiline=False) or "": _text(v, f"{where}.{k}", TEXT_LIMIT) or ""
        for k, v in value.items()
    }


PROVENANCE: dict[str, Check] = {
    "imported": flag, "date_assumed": flag, "due_assumed": flag,
    "imported_from": scalar, "merged_from": scalar, "historical": flag,
    "imported_extra": _kept_columns,
}  # fmt: skip
_NOTICE: dict[str, Check] = {"notified_on": day, "notice_method": choice(NOTICE_METHODS)}
_NUMBERED: dict[str, Check] = {
    "number": required(integer(1, 10**6)),
    "year": required(integer(FIRST_YEAR, LAST_YEAR)),
    "to": required(line(200)),
}
# What each action's data must hold for the projection, the deadlines and the screens.
SCHEMAS: dict[str, dict[str, Check]] = {
    "register": {
        **FIELD_CHECKS,
        "repeat_of": case_number,
        "repeat_reasons": scalar,
        "during_handling": flag,
        "urgent": flag,
    },
    "accept": _NOTICE,
    "reject": {**_NOTICE, "reason": required(text(2_000)), "channel": required(line(200))},
    "transfer": {**_NOTICE, "to": required(line(200)), "reason": text(2_000)},
    # 无法联系 (cases.notify, with its reason) meets the notice duty too.
    "notify": {
        "notified_on": required(day),
        "notice_method": choice((*NOTICE_METHODS, UNREACHABLE)),
        "reason": text(2_000),
    },
    "assign": {
        "to": required(line(50)),
        "due": required(day),
        "number": integer(1, 10**6),
        "person": line(50),
        "person_phone": line(50),
    },
    # Routing (core/life/routing.py): the due date feeds the deadlines, the units the counts.
    "send-back": {"unit": line(50), "reason": text(2_000), "due": required(day)},
    "reassign": {
        "from_unit": line(50),
        "to": required(line(50)),
        "due": required(day),
        "number": integer(1, 10**6),
        "reason": text(2_000),
        "person": line(50),
        "person_phone": line(50),
    },
    "unit-return": {"unit": line(50), "reason": text(2_000)},
    "urge": {"unit": line(50), "text": text(2_000)},
    "unit-accept": {"unit": line(50)},
    "unit-report": {"unit": line(50), "text": text(TEXT_LIMIT)},
    "reply": {
        "result": choice(REPLY_RESULTS),
        "finding": choice(FINDINGS),
        "text": text(TEXT_LIMIT),
        "approved_by": line(50),
    },
    "revisit": {
        "method": line(50),
        "satisfaction": line(50),
        "opinion": text(5_000),
        "new_round": integer(2, 1_000),
    },
    "archive": {"retention": required(choice(RETENTIONS)), "pages": integer(0, 100_000)},
    "resume": {"paused_days": integer(0, 36_500)},
    "extend": {
        "stage": required(choice(tuple(rules.STAGES))),
        "days": required(integer(1, 3_650)),
        "complex": flag,
    },
    "correct": {"field": required(choice(tuple(FIELDS_BY_KEY))), "label": required(line(50))},
    "link": {"repeat_of": required(case_number), "repeat_reasons": scalar, "reason": text(2_000)},
    "unlink": {"unlinked_from": case_number, "reason": required(text(2_000))},
    "supervise": {**_NUMBERED, "due": required(day)},
    "supervise-answer": {"answers": numbers},
    "liaise": _NUMBERED,
    "liaise-answer": {"answers": numbers},
    "review": {
        "requested_on": day,
        "outcome": choice(REVIEW_OUTCOMES),
        "upper_outcome": choice(REVIEW_OUTCOMES),
    },
    # 重大紧急 and the reports up (core/life/urgency.py).
    "mark-urgent": {"reason": required(text(2_000))},
    "report-up": {"to": required(line(200)), "text": required(text(TEXT_LIMIT)), "follow_up": flag},
    "deliver": {
        "document": required(choice(tuple(DELIVERED_WINDOWS))),
        "method": required(choice(DELIVERY_METHODS)),
        "sha256": line(64),
    },
    "recheck": {
        "recheck_requested_on": day,
        "days": integer(1, 365),
        "upper_outcome": choice(REVIEW_OUTCOMES),
    },
    "attach": {"kind": choice(ATTACHMENT_KINDS), "sha256": line(64)},
    "lend": {"due": day},
}


def _label(action: str, key: str) -> str:
    known = FIELDS_BY_KEY.get(key)
    return known.label if known is not None and action == "register" else key


def _data(action: str, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(where, "data 应为对象")
    if len(raw) > ITEMS_LIMIT:
        raise _fail(where, "data 项目过多")
    schema = {**PROVENANCE, **SCHEMAS.get(action, {})}
    if action == "register":
        unknown = [key for key in raw if key not in schema]
        if unknown:
            raise _fail(where, f"登记中有未知的字段“{shorten(unknown[0])}”")
    checks = {key: schema.get(key, scalar) for key in [*raw, *schema]}  # the town's order
    if action == "correct":  # the new value is that of the field corrected
        target = raw.get("field")
        checks["new"] = FIELD_CHECKS.get(target, scalar) if isinstance(target, str) else scalar
    cleaned = {
        _key(key, where): check(raw.get(key), f"{where} {_label(action, key)}")
        for key, check in checks.items()
    }
    return {key: value for key, value in cleaned.items() if value is not None}


# ------------------------------------------------------------------ events and cases


def _event(raw: Any, where: str) -> Event:
    if not isinstance(raw, dict):
        raise _fail(where, "应为对象")
    action = raw.get("action")
    if not isinstance(action, str) or action not in projection.KNOWN_ACTIONS:
        raise _fail(where, f"未知的办理环节“{shorten(action)}”")
    status = raw.get("status_after")
    if status not in STATUSES:
        raise _fail(where, f"未知的状态“{shorten(status)}”")
    return Event(
        id=required(integer(1, 10**12))(raw.get("id"), f"{where} 编号"),
        action=action,
        occurred_at=required(stamp)(raw.get("occurred_at"), f"{where} 日期"),
        recorded_at=required(stamp)(raw.get("recorded_at"), f"{where} 记录时间"),
        actor=line(50)(raw.get("actor"), f"{where} 经办人") or "未知",
        round=required(integer(1, 1_000))(raw.get("round"), f"{where} 轮次"),
        status_after=status,
        data=_data(action, raw.get("data"), where),
    )


def replay(case_no: str, events: list[Event], *, in_order: bool = True) -> projection.Row:
    """The case's row from its events, each step allowed from the state the replay is in
    (a step imported from an old ledger keeps the old ledger's order), with the status and
    round it recorded; `in_order`: each step dated no earlier than the one before."""
    row: projection.Row | None = None
    last = ""
    for n, event in enumerate(events, 1):
        action = event["action"]
        where = f"案件 {case_no} 第 {n} 条办理记录（{action}）"
        if (row is None) != (action == "register"):
            raise _fail(where, "登记必须是第一条，且只有一条")
        if row is not None and action in ACTIONS and not event["data"].get("imported"):
            status = STATUSES[row["status"]]
            if status not in ACTIONS[action].allowed_from:
                raise _fail(where, f"案件处于「{status.label}」时不能{ACTIONS[action].label}")
        if event["round"] != (row["round"] if row else 1):
            raise _fail(where, f"轮次 {event['round']} 与办理过程不符")
        if in_order and action not in RECORDS:
            if event["occurred_at"][:10] < last:
                raise _fail(where, f"日期 {event['occurred_at'][:10]} 早于上一步的 {last}")
            last = event["occurred_at"][:10]
        if action == projection.VOID:  # 撤销: the steps so far, without the one withdrawn
            target = event["data"].get("event")
            if not isinstance(target, int) or not 1 <= target < n:
                raise _fail(where, f"撤销的步骤“{shorten(target)}”不在此前的办理记录中")
            row = projection.fold((e["action"], e["occurred_at"], e["data"]) for e in events[:n])
        else:
            row = projection.step(row, action, event["occurred_at"], event["data"])
        if event["status_after"] != row["status"]:
            label = STATUSES[row["status"]].label
            raise _fail(where, f"记录的状态“{event['status_after']}”与办理过程（{label}）不符")
    if row is None:
        raise _fail(f"案件 {case_no}", "没有办理记录")
    try:
        check_record({key: row[key] for key in FIELD_CHECKS})
    except InvalidInput as error:
        raise _fail(f"案件 {case_no}", error.message) from None
    if not row["received_at"]:
        raise _fail(f"案件 {case_no}", "缺少信访时间")
    return row


def _attachment(raw: Any, where: str, *, sized: bool) -> Attachment:
    if not isinstance(raw, dict):
        raise _fail(where, "应为对象")
    name = required(line(200))(raw.get("file"), f"{where} 文件名")
    unsafe = "/" in name or "\\" in name or name.startswith(".") or name != raw.get("file")
    if unsafe or len(name.encode()) > 245:  # a file system takes 255 bytes, "-2" included
        raise _fail(where, f"文件名“{shorten(name)}”不安全")
    digest = raw.get("sha256")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise _fail(where, "sha256 校验值格式不对")
    size_check = integer(0, 1 << 40)
    size = (required(size_check) if sized else size_check)(raw.get("size"), f"{where} 大小")
    return Attachment(
        title=required(line(100))(raw.get("title"), f"{where} 材料名称"),
        kind=required(choice(ATTACHMENT_KINDS))(raw.get("kind"), f"{where} 材料类别"),
        file=name,
        sha256=digest,
        size=size,
    )


def _case(raw: Any, where: str, version: int) -> Case:
    if not isinstance(raw, dict):
        raise _fail(where, "应为对象")
    case_no = required(case_number)(raw.get("case_no"), f"{where} 编号")
    where = f"案件 {case_no}"
    listed = raw.get("events")
    if not isinstance(listed, list) or not listed or len(listed) > EVENTS_LIMIT:
        raise _fail(where, f"办理记录应为 1 到 {EVENTS_LIMIT} 条的列表")
    events = [_event(e, f"{where} 第 {n} 条办理记录") for n, e in enumerate(listed, 1)]
    ids = [event["id"] for event in events]
    if ids != sorted(set(ids)):
        raise _fail(where, "办理记录的编号重复或顺序不对")
    replay(case_no, events)
    files = raw.get("attachments", [])
    if not isinstance(files, list) or len(files) > ATTACHMENTS_LIMIT:
        raise _fail(where, f"材料清单应为不超过 {ATTACHMENTS_LIMIT} 项的列表")
    attachments = [
        _attachment(a, f"{where} 第 {n} 项材料", sized=version >= VERSION)
        for n, a in enumerate(files, 1)
    ]
    if len({a.file for a in attachments}) != len(attachments):
        raise _fail(where, "材料清单中有重复的文件")
    return Case(case_no, events, attachments)


def check(archive: Archive) -> Bundle:
    """The whole manifest, or Refused naming the first thing wrong in it."""
    manifest = archive.manifest
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Refused("不是 xinfang 汇总包（格式标识不对）")
    version = manifest.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise Refused(f"是第 {version} 版格式，本程序只能读第 {VERSION} 版及以前；请升级 xinfang。")
    if version not in (LEGACY, VERSION) or isinstance(version, bool):
        raise Refused(f"版本号“{shorten(version)}”不对（应为 {LEGACY} 或 {VERSION}）")
    office = required(line(100))(manifest.get("office"), "填报单位名称")
    office_id = None
    if version >= VERSION:
        office_id = manifest.get("office_id")
        if not isinstance(office_id, str) or not OFFICE_ID.fullmatch(office_id):
            raise Refused(f"单位标识“{shorten(office_id)}”不对（应为 32 位十六进制）")
    created = required(stamp)(manifest.get("created_at"), "生成时间")
    last = day(manifest.get("last"), "期间") or ""
    day(manifest.get("first"), "期间")
    bundle = Bundle(archive, version, office, office_id, created, last)
    cases = manifest.get("cases")
    if not isinstance(cases, list) or len(cases) > CASES_LIMIT:
        raise Refused(f"案件应为不超过 {CASES_LIMIT} 件的列表")
    for n, raw in enumerate(cases, 1):
        bundle.cases.append(_case(raw, f"第 {n} 件案件", version))
    numbers = [case.case_no for case in bundle.cases]
    if len(set(numbers)) != len(numbers):
        twice = next(no for no in numbers if numbers.count(no) > 1)
        raise Refused(f"案件编号 {twice} 出现了两次")
    _check_members(bundle)
    return bundle


def _check_members(bundle: Bundle) -> None:
    """Every file in the zip is one the manifest lists, of the size it says."""
    listed = {(case.case_no, a.file): a for case in bundle.cases for a in case.attachments}
    for (case_no, name), info in bundle.archive.files.items():
        entry = listed.get((case_no, name))
        if entry is None:
            raise Refused(f"材料文件 attachments/{shorten(case_no)}/{shorten(name)} 不在清单中")
        if entry.size is not None and entry.size != info.file_size:
            raise Refused(f"材料“{shorten(name)}”的大小与清单所列不符")
