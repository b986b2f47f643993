"""The columns of an office's ledger: which field each header names (the usual Chinese
column names, xinfang's own tables, `--map`), the values `--default` supplies, and the
columns every file must have."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.intake.fields import REGISTRATION_FIELDS
from xinfang.core.vocabulary import OWN_SOURCE, UPPER_SOURCE

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
    "name": ("信访人", "投诉人", "姓名", "来访人", "来信人", "反映人", "信访人姓名", "举报人", "举报人姓名"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "id_number": ("身份证", "身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "address": ("地址", "住址", "通讯地址", "家庭住址", "单位及住址", "通讯地址/单位及住址"),
    "persons": ("人数", "来访人数", "信访人数"),
    "anonymous": ("匿名", "是否匿名"),
    "received_at": (
        "信访时间", "投诉时间", "来访日期", "来信日期", "来访时间", "信访日期", "登记时间",
        "登记日期", "日期", "收件时间", "接件时间", "收文时间", "12345受理时间", "创建时间",
    ),
    "ledger_no": (
        "案件编号", "编号", "登记编号", "原台账编号", "工单编号", "12345工单编号", "收文编号",
        "信访事项编号", "档案编号",
    ),
    "source": ("信访来源", "来源", "工单来源"),
    "upper_ref": ("信访件编号", "上级信访件编号", "转来编号"),
    "form": ("信访形式", "形式", "方式", "信访方式"),
    "content": (
        "反映问题", "投诉问题", "诉求", "主要诉求", "信访事项", "反映内容", "内容", "信访内容",
        "主要内容", "信访事由", "反映的主要问题", "信访诉求", "内容描述", "12345内容描述", "概况",
        "标题", "信访标题",
    ),
    "category": ("问题类型", "问题分类", "类别", "类型", "问题属性", "举报类型"),
    "kind": ("事项类别", "信访类型", "工单类型"),
    "township": ("属地", "乡镇", "所属乡镇", "问题属地", "街道"),
    "receiver": ("接访人", "接待人", "登记人"),
    "decision": ("是否受理",),
    "decided_on": ("受理时间", "受理日期", "受理决定日期"),
    "decision_reason": ("理由", "不予受理理由"),
    "reject_channel": ("法定途径/有权机关", "法定途径", "告知途径"),
    "transfer_to": ("转送机关", "转送单位"),
    "notice": ("是否告知",),
    "notified_on": ("告知日期", "告知时间"),
    "unit": (
        "承办单位", "交办单位", "责任单位", "办理单位", "承办科室", "责任科室", "交办科室",
        "具体承办单位", "责任部门", "主办单位", "承办部门",
    ),
    "assigned_on": ("交办日期", "交办时间"),
    "assign_due": ("办结期限", "要求办结时间", "规定回复时间", "限办时间"),
    "replied_on": ("答复时间", "答复日期", "实际回复时间"),
    "reply_text": (
        "办理情况及处理结果", "处理结果", "办理结果", "答复意见", "答复内容", "办理答复情况",
        "答复市民要点",
    ),
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
# Columns real ledgers have that no field holds, or that are not what the field of the same
# name means (问题发生日期 is not the day the petition came; 办理人 is a person, not a
# unit): kept with the case as written, never suggested for --map.
KEPT = (
    "问题发生日期", "问题发生地", "案件地点", "诉求地址", "办理人", "交办人", "处置方式",
    "转来机关", "转往处", "登记单位", "重信", "被反映人", "被举报人",
)  # fmt: skip
# Columns that tell what kind of ledger it is, and so how a word in it reads.
HOTLINE_MARKS = ("12345工单编号", "工单编号", "工单来源")  # a 12345 hotline export
# a 纪检 ledger (被反映人, 被举报人职务 …): its 身份证号 is the accused's
ACCUSED_MARKS = ("被反映人", "被举报人")
UPPER_MARKS = ("转来机关", "转来编号")  # sent down from above: a 上级交办 case
DECISION_OR_CALL = "受理时间"  # a 12345 export's call time; xinfang's decision date
# Names that give way to another column of the same field: when the record was typed in
# (not when the petition came), a title (not the complaint in full).
YIELDING = ("登记时间", "登记日期", "创建时间", "标题", "信访标题", "概况")
LIKELY = 0.4  # how alike (difflib ratio) an unknown column name must be to be suggested


@dataclass
class Heading:
    """How the header row is read: the column of each field, the columns no field takes
    (kept as written), the readings taken of words that mean two things, and the columns
    that mark a case sent down from above."""

    columns: dict[int, str]  # column index -> key
    ignored: list[str]
    readings: list[str]
    upper: list[int]
    doubled: dict[int, str]  # column index -> its field, which another column gives


def read_heading(header: list[str], matched: dict[int, str], mapped: Collection[str]) -> Heading:
    """The header's columns as fields, a word that means two things read from the other
    columns present; a column `--map` names (in `mapped`) is read as it says."""
    names = [normalize_header(text) for text in header]
    keys = dict(matched)
    readings: list[str] = []
    hotline = next((n for n in names if n in HOTLINE_MARKS or n.startswith("12345")), None)
    accused = next((n for n in names if any(mark in n for mark in ACCUSED_MARKS)), None)
    for index, key in matched.items():
        name, text = names[index], header[index]
        if name in mapped:
            continue
        if name == DECISION_OR_CALL and hotline:
            keys[index] = "received_at"
            readings.append(f"“{text}”读作信访时间（有“{hotline}”列，是 12345 工单的来电时间）")
        elif name == DECISION_OR_CALL:
            readings.append(f"“{text}”读作受理决定日期（没有 12345 工单编号或工单来源列）")
        elif key == "id_number" and accused:
            del keys[index]
            readings.append(
                f"“{text}”读作被反映人的身份证号（有“{accused}”列），不作信访人的，原样保留"
            )
    # Who takes a field named by two columns: the one --map names, then one that does not
    # give way (YIELDING), then the first.
    order = sorted(keys, key=lambda i: (names[i] not in mapped, names[i] in YIELDING, i))
    columns: dict[int, str] = {}
    taken: dict[str, int] = {}
    repeated: dict[int, int] = {}  # column -> the column of the same field read instead
    for index in order:
        key = keys[index]
        if key == SKIP:
            continue
        if key not in taken:
            taken[key] = index
            columns[index] = key
        elif names[index] in YIELDING and names[taken[key]] not in YIELDING:
            readings.append(
                f"{LABELS[key]}取自“{header[taken[key]]}”列，“{header[index]}”列原样保留"
            )
        else:
            repeated[index] = taken[key]
    ignored = [
        f"{text}（与“{header[repeated[index]]}”列重复）" if index in repeated else text
        for index, text in enumerate(header)
        if text and index not in columns and keys.get(index) != SKIP
    ]
    upper = [i for i, name in enumerate(names) if name in UPPER_MARKS and name not in mapped]
    if upper:
        shown = "、".join(f"“{header[i]}”" for i in upper)
        readings.append(f"{shown}有内容而未写信访来源的行，信访来源记为{UPPER_SOURCE}")
    doubled = {index: keys[index] for index in repeated}
    return Heading(dict(sorted(columns.items())), ignored, readings, upper, doubled)


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


def mapped_names(maps: Iterable[str]) -> set[str]:
    """The normalized column names `--map` names: read as it says, whatever else is there."""
    return {normalize_header(column) for column, _ in _pairs(maps, "--map")}


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


REQUIRED_KEYS = ("name", "received_at", "content", "source", "form")  # every row needs them


def check_columns(header_row: int, present: set[str], unread: list[str]) -> None:
    """Columns every row needs: refused once for the file, not once per row, with the
    columns of the sheet that were not recognised and the `--map` each likely wants."""
    missing = [key for key in ("received_at", "content", "source") if key not in present]
    if "form" not in present and "source" not in present:
        missing.append("form")
    if not {"name", "anonymous"} & present:
        missing.insert(0, "name")
    if missing:
        names = "、".join(LABELS[key] for key in missing)
        raise InvalidInput(
            "导入文件",
            f"第 {header_row} 行的表头中找不到：{names}{_unread(unread, missing)}；"
            "列名不同的请用 --map 列名=字段 指定，"
            "整个文件相同的值可用 --default 字段=值（如 --default 信访形式=来信）",
        )


def check_rows(lacking: dict[str, int], rows: int, unread: list[str], forms: list[str]) -> None:
    """A field every row lacks (no 信访形式 column, and no 信访来源 to tell it from) is the
    file's want, not each row's: refused as one, with the --default or --map to give (a
    form: the office's first, as most files of letters or of visits share one)."""
    missing = [key for key in REQUIRED_KEYS if rows and lacking.get(key, 0) == rows]
    if not missing:
        return
    examples = {"form": forms[0] if forms else "…", "source": OWN_SOURCE}
    gives = [f"--default {LABELS[key]}={examples[key]}" for key in missing if key in examples]
    if "form" in missing and len(forms) > 1:
        gives[-1] += f"（可选：{'、'.join(forms)}）"  # the form comes last in REQUIRED_KEYS
    if "name" in missing:
        gives.append("匿名信访用 --default 匿名=是")
    gives.append("或 --map 列名=字段 指定哪一列是它")
    raise InvalidInput(
        "导入文件",
        f"全部 {rows} 行都没有{'、'.join(LABELS[key] for key in missing)}"
        f"{_unread(unread, missing)}；整个文件相同的请用 {'，'.join(gives)}",
    )


def _unread(unread: list[str], wanted: list[str]) -> str:
    """The columns no field took, each with the --map it likely wants."""
    known = _known_names()
    shown = []
    for column in unread:
        name = normalize_header(column)
        if not name or name in known or name in KEPT:
            continue
        likely = _likely(name, known, wanted)
        shown.append(f"{column}（可能是 --map {column}={LABELS[likely]}）" if likely else column)
    return f"；未识别的列：{'、'.join(shown)}" if shown else ""


def _likely(name: str, known: dict[str, str], wanted: list[str]) -> str | None:
    """The field whose known name is most like `name`, a wanted one first."""
    scored = [
        (key in wanted, SequenceMatcher(None, name, other).ratio(), key)
        for other, key in known.items()
        if key != SKIP
    ]
    alike = [score for score in scored if score[1] >= LIKELY]
    return max(alike)[2] if alike else None
