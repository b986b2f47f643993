"""First run: what an office sets before its papers go to petitioners (`xinfang init`).

A new ledger starts as the seeds' office, 临泽县民政局 (store/schema-v1.sql), so that
`register` works at once. Until `init` has been run, `print` and `doctor` say so: a town
that skipped it would tell its petitioners to seek 复查 from the county's bodies."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from xinfang.core import settings
from xinfang.core.clock.dates import today
from xinfang.core.errors import InvalidInput
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import ACCUSATION
from xinfang.store.db import transaction

SEED_OFFICE = "临泽县民政局"

# What reaches a petitioner (or a unit the office writes to), in the order init asks,
# with the seed's value of each: still that value = the seed's, not the office's.
ASKED: dict[str, str] = {
    "unit_name": SEED_OFFICE,
    "case_prefix": "临民信",
    "assign_prefix": "临民交",
    "review_government": "临泽县人民政府",
    "review_department": "张掖市民政局",
    "upper_office": "",
    "reception_place": "局接访室",
    "supervise_prefix": "临民督办字",
    "liaison_prefix": "临民联",
}

INITIALISED = "initialised_on"  # the day init was run; not a setting the clerk types
PRESET = "categories_preset"  # the preset init last applied

# 信访工作条例 art. 30's three kinds; 检举控告类 decides what papers sent out may show.
ORDINANCE_KINDS = ("建议意见类", ACCUSATION, "申诉求决类")


@dataclass(frozen=True)
class Preset:
    """The lists an office of one sort picks from, and where it sends cases."""

    kinds: tuple[str, ...]  # 事项类别
    categories: tuple[str, ...]  # 问题类型
    units: tuple[str, ...]  # 承办单位


PRESETS: dict[str, Preset] = {
    "民政": Preset(
        ORDINANCE_KINDS,
        ("最低生活保障", "特困人员救助供养", "临时救助", "养老服务", "残疾人两项补贴",
         "儿童福利", "殡葬管理", "婚姻登记", "社会组织", "区划地名", "其他"),
        ("社会救助股", "养老服务股", "社会事务股"),
    ),
    "乡镇综合": Preset(
        ORDINANCE_KINDS,
        ("土地承包", "征地拆迁", "村务财务", "劳资纠纷", "社会救助", "养老医保",
         "住房安全", "生态环境", "道路水利", "邻里纠纷", "其他"),
        ("党政综合办公室", "综治中心", "农业农村综合服务中心", "社会事务服务中心",
         "自然资源所", "司法所", "派出所"),
    ),
    "12345": Preset(
        ORDINANCE_KINDS,
        ("城市管理", "住房保障", "劳动保障", "交通出行", "市场监管", "教育",
         "医疗卫生", "水电气暖", "生态环境", "社会保障", "其他"),
        ("城市管理局", "住房和城乡建设局", "人力资源和社会保障局", "市场监督管理局",
         "交通运输局", "教育局", "卫生健康局", "生态环境分局"),
    ),
    "纪检": Preset(
        (ACCUSATION, "申诉类", "批评建议类", "其他类"),
        ("违反政治纪律", "违反组织纪律", "违反廉洁纪律", "违反群众纪律", "违反工作纪律",
         "违反生活纪律", "贪污贿赂", "滥用职权", "失职渎职", "其他"),
        ("第一纪检监察室", "第二纪检监察室", "第三纪检监察室", "党风政风监督室",
         "案件监督管理室"),
    ),
}  # fmt: skip
SEED_PRESET = "民政"


def preset_named(name: str) -> Preset:
    if name not in PRESETS:
        raise InvalidInput("类别预设", f"没有“{name}”；可选：{'、'.join(PRESETS)}")
    return PRESETS[name]


def split_units(values: list[str]) -> list[str]:
    """`--unit 甲,乙 --unit 丙` or an answer `甲、乙，丙` -> 甲, 乙, 丙."""
    names: list[str] = []
    for value in values:
        for part in value.replace("，", ",").replace("、", ",").split(","):
            name = clean_text(part, "承办单位", max_length=50)
            if name and name not in names:
                names.append(name)
    return names


@dataclass
class Setup:
    """What init sets: settings by key, a preset, the units (None: left as they are)."""

    values: dict[str, str] = field(default_factory=dict)
    preset: str | None = None
    units: list[str] | None = None


def current(conn: sqlite3.Connection) -> Setup:
    """The office as the ledger has it now: init's defaults."""
    return Setup(
        values={key: str(settings.get(conn, key) or "") for key in ASKED},
        preset=settings.get(conn, PRESET) or SEED_PRESET,
        units=[unit.name for unit in settings.units(conn)],
    )


def initialise(conn: sqlite3.Connection, setup: Setup) -> list[str]:
    """One transaction: the settings, the preset's lists, the units, and the day init was
    run. Everything is checked before anything is written. Returns the units kept
    because cases were assigned to them."""
    stored = {key: settings.cleaned(key, value) for key, value in setup.values.items()}
    preset = preset_named(setup.preset) if setup.preset else None
    names = setup.units
    if names is None and preset is not None:
        names = list(preset.units)
    if names is not None and not names:
        raise InvalidInput("承办单位", "至少要有一个承办单位")
    kept: list[str] = []
    with transaction(conn):
        for key, value in stored.items():
            settings.write(conn, key, value)
        if preset is not None:
            settings.replace_choices(conn, "kind", list(preset.kinds))
            settings.replace_choices(conn, "category", list(preset.categories))
            settings.write(conn, PRESET, setup.preset)
        if names is not None:
            kept = settings.replace_units(conn, names)
        settings.write(conn, INITIALISED, today().isoformat())
    return kept


def still_seed(conn: sqlite3.Connection) -> list[str]:
    """The labels of the settings that still hold the seed office's value."""
    return [
        settings.SETTINGS[key]
        for key, seed in ASKED.items()
        if seed and settings.get(conn, key) == seed
    ]


def seed_warning(conn: sqlite3.Connection) -> str | None:
    """What `print` (on stderr) and `doctor` say until init has been run."""
    if settings.get(conn, INITIALISED):
        return None
    seeds = still_seed(conn)
    if not seeds:  # a ledger set up with `config set` before init recorded its run
        return None
    return (
        f"本台账尚未运行 xinfang init，仍在使用示例单位（{SEED_OFFICE}）的设置："
        f"{'、'.join(seeds)}；文书上的单位、复查机关可能不是本单位的。请先运行 xinfang init"
    )
