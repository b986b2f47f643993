"""Office settings kept in the ledger: the unit's name, number prefixes, and the lists the
clerk picks from. A new ledger gets the seeds' defaults from schema.sql."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from xinfang.core.clock import dates
from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.validate import clean_text, normalize_phone, parse_int
from xinfang.core.vocabulary import BASICALLY_SATISFIED, DISSATISFIED, UPPER_SOURCE
from xinfang.store.db import transaction
from xinfang.store.dialect import dialect_of

# key -> Chinese label; the clerk may type either.
SETTINGS: dict[str, str] = {
    "unit_name": "单位名称",
    "case_prefix": "案件编号前缀",
    "assign_prefix": "交办单编号前缀",
    "clerk": "经办人",
    "review_government": "复查机关（同级人民政府）",
    "review_department": "复查机关（上级部门）",
    "templates_dir": "文书模板目录",
    "supervise_prefix": "督办通知编号前缀",
    "liaison_prefix": "联系函编号前缀",
    "repeat_window_days": "重复信访查找天数",
    "reception_place": "领导接访地点",
    "upper_office": "上级信访部门",  # the 核实情况说明's addressee
    "time_zone": "时区",
    "count_basically_satisfied": f"{BASICALLY_SATISFIED}计入满意率",
}

# Settings that are yes or no, stored as the word the clerk types.
YES, NO = "是", "否"
SWITCHES = ("count_basically_satisfied",)

# What a setting is in a ledger made before it existed (no migration needed).
DEFAULTS: dict[str, Any] = {
    "time_zone": dates.OFFICE_ZONE,
    "count_basically_satisfied": NO,
    "upper_office": "",
}

# Settings that may be left empty.
OPTIONAL = ("clerk", "templates_dir", "upper_office", "review_department")  # a town: 县政府 only

# Settings that are counts, with what they may be; the rest are text.
NUMBERS: dict[str, tuple[int, int]] = {"repeat_window_days": (1, 3650)}

# list name -> Chinese label. Legal terms (答复结果, 是否属实, 保管期限) are fixed in code.
LISTS: dict[str, str] = {
    "source": "信访来源",
    "form": "信访形式",
    "category": "问题类型",
    "kind": "事项类别",
    "township": "属地",
    "revisit_method": "回访方式",
    "satisfaction": "满意度",
}

# Values the code itself relies on; removing them from a list would break a rule.
REQUIRED_CHOICES = {("source", UPPER_SOURCE), ("satisfaction", DISSATISFIED)}


def _key(name: str, table: dict[str, str], what: str) -> str:
    for key, label in table.items():
        if name in (key, label):
            return key
    allowed = "、".join(f"{label}（{key}）" for key, label in table.items())
    raise InvalidInput(what, f"没有“{name}”这一项；可选：{allowed}")


def setting_key(name: str) -> str:
    return _key(name, SETTINGS, "设置项")


def list_key(name: str) -> str:
    return _key(name, LISTS, "列表")


def get(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else DEFAULTS.get(key)


def switched_on(conn: sqlite3.Connection, key: str) -> bool:
    return bool(get(conn, key) == YES)


def use_time_zone(conn: sqlite3.Connection) -> None:
    """From here on "now" is the office's time in the zone the ledger names."""
    dates.use_zone(str(get(conn, "time_zone")))


def office_id(conn: sqlite3.Connection) -> str:
    """The ledger's stable identity, made once at creation (the name may change)."""
    return str(get(conn, "office_id"))


def choices(conn: sqlite3.Connection, list_name: str) -> list[str]:
    rows = conn.execute(
        "SELECT value FROM choices WHERE list = ? ORDER BY position", (list_name,)
    ).fetchall()
    return [row[0] for row in rows]


def check_choice(conn: sqlite3.Connection, list_name: str, value: str, label: str) -> str:
    allowed = choices(conn, list_name)
    if value not in allowed:
        raise InvalidInput(
            label,
            f"“{value}”不在列表中；可选：{'、'.join(allowed)}"
            f"（可用 xinfang config add {LISTS[list_name]} 新值 增加）",
        )
    return value


@dataclass(frozen=True)
class Unit:
    name: str
    liaison: str | None
    phone: str | None


def units(conn: sqlite3.Connection) -> list[Unit]:
    rows = conn.execute("SELECT name, liaison, phone FROM units ORDER BY position").fetchall()
    return [Unit(*row) for row in rows]


def check_unit(conn: sqlite3.Connection, name: str) -> str:
    return unit_named(conn, name)


def unit_named(conn: sqlite3.Connection, name: str, *, strict: bool = True) -> str:
    """A unit on the list, by its name or a part only it contains (救助 for 社会救助股).
    strict=False (a filter): a name no longer on the list is still taken as written."""
    from xinfang.core import words

    names = [unit.name for unit in units(conn)]
    fitting = words.matching(name, ((unit, unit) for unit in names))
    if len(fitting) == 1:
        return next(iter(fitting))
    if fitting:
        raise words.ambiguous(name, fitting, "承办单位")
    if not strict:
        return name
    raise InvalidInput(
        "承办单位",
        f"“{name}”不在承办单位名单中；可选：{'、'.join(names)}"
        "（可用 xinfang config unit 单位名 增加）",
    )


@dataclass(frozen=True)
class Overview:
    settings: dict[str, Any]
    lists: dict[str, list[str]]
    units: list[Unit]


def overview(conn: sqlite3.Connection) -> Overview:
    return Overview(
        settings={key: get(conn, key) for key in SETTINGS},
        lists={name: choices(conn, name) for name in LISTS},
        units=units(conn),
    )


def set_value(conn: sqlite3.Connection, name: str, value: str) -> None:
    key = setting_key(name)
    stored = cleaned(key, value)
    with transaction(conn):
        write(conn, key, stored)


def cleaned(key: str, value: str) -> str | int:
    """The value a setting is stored as, or the clerk's mistake named."""
    if key in NUMBERS:
        minimum, maximum = NUMBERS[key]
        return parse_int(value, SETTINGS[key], minimum=minimum, maximum=maximum)
    if key == "time_zone":
        return dates.check_zone(value)
    if key in SWITCHES:
        if value.strip() not in (YES, NO):
            raise InvalidInput(SETTINGS[key], f"“{value}”不可用；可选：{YES}、{NO}")
        return value.strip()
    optional = key in OPTIONAL
    return clean_text(value, SETTINGS.get(key, key), max_length=300, required=not optional) or ""


def write(conn: sqlite3.Connection, key: str, stored: object) -> None:
    """One setting, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(stored, ensure_ascii=False)),
    )


def add_choices(conn: sqlite3.Connection, list_name: str, values: list[str]) -> list[str]:
    key = list_key(list_name)
    cleaned = [clean_text(v, LISTS[key], max_length=50, required=True) or "" for v in values]
    with transaction(conn):
        append_choices(conn, key, cleaned)
    return choices(conn, key)


def append_choices(conn: sqlite3.Connection, key: str, values: list[str]) -> None:
    """Values at the end of a list, those it has left out; inside the caller's
    transaction (`config add`, an import, a merge)."""
    new = [value for value in dict.fromkeys(values) if value not in set(choices(conn, key))]
    position = conn.execute(
        "SELECT coalesce(max(position), 0) FROM choices WHERE list = ?", (key,)
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO choices (list, value, position) VALUES (?, ?, ?)",
        [(key, value, position + n) for n, value in enumerate(new, 1)],
    )


def append_units(conn: sqlite3.Connection, names: list[str]) -> None:
    """Handling units at the end of the list, those it has left out, with no liaison yet;
    inside the caller's transaction (an import, a merge)."""
    known = {unit.name for unit in units(conn)}
    new = [name for name in dict.fromkeys(names) if name not in known]
    position = conn.execute("SELECT coalesce(max(position), 0) FROM units").fetchone()[0]
    conn.executemany(
        "INSERT INTO units (name, position) VALUES (?, ?)",
        [(name, position + n) for n, name in enumerate(new, 1)],
    )


def remove_choice(conn: sqlite3.Connection, list_name: str, value: str) -> list[str]:
    key = list_key(list_name)
    if (key, value) in REQUIRED_CHOICES:
        raise XinfangError(f"“{value}”是{LISTS[key]}中程序依赖的值，不能删除。")
    with transaction(conn):
        deleted = conn.execute(
            "DELETE FROM choices WHERE list = ? AND value = ?", (key, value)
        ).rowcount
        if not deleted:
            raise InvalidInput(LISTS[key], f"列表中没有“{value}”")
    return choices(conn, key)


def save_unit(
    conn: sqlite3.Connection,
    name: str,
    *,
    liaison: str | None,
    phone: str | None,
    force: bool = False,
) -> Unit:
    unit_name = clean_text(name, "承办单位", max_length=50, required=True) or ""
    liaison_name = clean_text(liaison, "联络员", max_length=20)
    try:
        liaison_phone = normalize_phone(phone, force=force) if phone else None
    except InvalidInput as error:
        raise InvalidInput("联络员电话", error.message.split("：", 1)[-1]) from None
    with transaction(conn):
        conn.execute(
            "INSERT INTO units (name, liaison, phone, position) "
            "VALUES (?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM units)) "
            "ON CONFLICT (name) DO UPDATE SET "
            "liaison = coalesce(excluded.liaison, units.liaison), "
            "phone = coalesce(excluded.phone, units.phone)",
            (unit_name, liaison_name, liaison_phone),
        )
    return next(unit for unit in units(conn) if unit.name == unit_name)


def remove_unit(conn: sqlite3.Connection, name: str) -> None:
    with transaction(conn):
        in_use = conn.execute("SELECT 1 FROM cases WHERE unit = ? LIMIT 1", (name,)).fetchone()
        if in_use:
            raise XinfangError(f"承办单位“{name}”已有交办案件，不能删除。")
        if not conn.execute("DELETE FROM units WHERE name = ?", (name,)).rowcount:
            raise InvalidInput("承办单位", f"名单中没有“{name}”")


def replace_choices(conn: sqlite3.Connection, key: str, values: list[str]) -> None:
    """A list made anew (`init` choosing a preset), inside the caller's transaction; the
    values registered cases already hold stay on them."""
    conn.execute("DELETE FROM choices WHERE list = ?", (key,))
    append_choices(conn, key, values)


def replace_units(conn: sqlite3.Connection, names: list[str]) -> list[str]:
    """The handling units made these, in this order, inside the caller's transaction; a
    unit cases were assigned to stays at the end (its cases name it). Returns those kept."""
    conn.execute(
        f"DELETE FROM units WHERE NOT {dialect_of(conn).in_json_list('name')} "
        "AND name NOT IN (SELECT unit FROM cases WHERE unit IS NOT NULL)",
        (json.dumps(names, ensure_ascii=False),),
    )
    kept = [unit.name for unit in units(conn) if unit.name not in names]
    order = [*dict.fromkeys(names), *kept]
    conn.executemany(
        "INSERT INTO units (name, position) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        [(name, n) for n, name in enumerate(order, 1)],
    )
    return kept
