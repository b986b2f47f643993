"""`init` and `config`: the office's name, number prefixes and the lists the clerk picks from."""

from __future__ import annotations

import sqlite3
import sys
from typing import Annotated

import click
import typer

from xinfang.cli.base import (
    Command,
    DbOption,
    JsonOption,
    OldUnusualOption,
    UnusualOption,
    new_app,
    open_ledger,
    print_json,
)
from xinfang.cli.root import app, command
from xinfang.core import presets, settings
from xinfang.core.clock import rules
from xinfang.core.errors import InvalidInput
from xinfang.core.validate import parse_int
from xinfang.store.db import resolve_path, transaction

config_app = new_app(
    "查看或修改本单位设置\n\n查看或修改本单位设置：单位名称、编号前缀、选项列表、承办单位。\n\n"
    "例：xinfang config show；xinfang config set 单位名称 沙河镇人民政府；"
    "xinfang config add 问题类型 高龄津贴"
)
config_app.info.no_args_is_help = False
config_app.info.invoke_without_command = True
app.add_typer(config_app, name="config")


@command("init")
def init_command(
    unit_name: Annotated[str | None, typer.Option("--unit-name", help="单位名称")] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="案件编号前缀，如 临民信 → 临民信〔2026〕1号")
    ] = None,
    assign_prefix: Annotated[
        str | None, typer.Option("--assign-prefix", help="交办单编号前缀，如 临民交")
    ] = None,
    review_government: Annotated[
        str | None, typer.Option("--review-government", help="复查机关：同级人民政府")
    ] = None,
    review_department: Annotated[
        str | None, typer.Option("--review-department", help="复查机关：上级主管部门")
    ] = None,
    upper_office: Annotated[
        str | None, typer.Option("--upper-office", help="上级信访部门（核实情况说明的抬头）")
    ] = None,
    reception_place: Annotated[
        str | None, typer.Option("--reception-place", help="领导接访地点")
    ] = None,
    supervise_prefix: Annotated[
        str | None, typer.Option("--supervise-prefix", help="督办通知编号前缀")
    ] = None,
    liaison_prefix: Annotated[
        str | None, typer.Option("--liaison-prefix", help="联系函编号前缀")
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help=f"类别预设：{'、'.join(presets.PRESETS)}（事项类别、问题类型、承办单位）",
        ),
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", help="承办单位，逗号分隔或多次给出；代替预设的名单"),
    ] = None,
    clerk: Annotated[
        str | None, typer.Option("--clerk", help="经办人（默认记入每条办理记录）")
    ] = None,
    db: DbOption = None,
) -> None:
    """建立台账并设置本单位（首次使用前）

    建立台账并设置本单位：名称、编号前缀、复查机关、上级信访部门、接访地点、类别预设、承办单位。

    在终端中逐项提问（回车保留方括号中的现值），命令行已给出的不再问；
    不在终端时只设置给出的选项。运行之前，文书和 doctor 会提示仍在使用示例单位（临泽县民政局）的设置。

    例：xinfang init --unit-name 沙河镇人民政府 --prefix 沙信 --assign-prefix 沙交
    --review-government 临泽县人民政府 --review-department "" --upper-office 临泽县信访局 --preset 乡镇综合
    """
    path = resolve_path(db)
    existed = path.exists()
    conn = open_ledger(db)
    given = {
        key: value
        for key, value in (
            ("unit_name", unit_name), ("case_prefix", prefix), ("assign_prefix", assign_prefix),
            ("review_government", review_government), ("review_department", review_department),
            ("upper_office", upper_office), ("reception_place", reception_place),
            ("supervise_prefix", supervise_prefix), ("liaison_prefix", liaison_prefix),
        )
        if value is not None
    }  # fmt: skip
    kept: list[str] = []
    setup = presets.Setup(given, preset, presets.split_units(unit) if unit else None)
    if sys.stdin.isatty():
        _interview(conn, setup)
    office = bool(setup.values or setup.preset or setup.units is not None)
    if clerk is not None:
        setup.values["clerk"] = clerk
    if office:  # set up; a --clerk alone is not the office's set-up
        kept = presets.initialise(conn, setup)
    elif clerk is not None:
        settings.set_value(conn, "clerk", clerk)
    typer.echo(f"{'已打开' if existed else '已建立'}台账：{path}")
    if kept:
        typer.echo(f"已有案件交办给以下单位，仍保留在名单中：{'、'.join(kept)}")
    typer.echo(
        f"单位名称：{settings.get(conn, 'unit_name')}；案件编号前缀：{settings.get(conn, 'case_prefix')}"
    )
    seeds = presets.still_seed(conn)
    warning = presets.seed_warning(conn)
    if warning:
        typer.echo(warning, err=True)
    elif seeds and settings.get(conn, "unit_name") != presets.SEED_OFFICE:
        typer.echo(
            f"注意：以下仍是示例单位（{presets.SEED_OFFICE}）的值：{'、'.join(seeds)}；"
            "可用 xinfang init 的相应选项或 xinfang config set 修改",
            err=True,
        )


def _interview(conn: sqlite3.Connection, setup: presets.Setup) -> None:
    """Ask, at a terminal, what the command line did not give; the current value is the
    default (Enter keeps it). A wrong answer is said and asked again."""
    now = presets.current(conn)
    typer.echo("设置本单位：文书上的单位、编号和复查机关都取自这里。回车保留方括号中的现值。")
    for key in presets.ASKED:
        if key in setup.values:
            continue
        while True:
            answer = typer.prompt(
                settings.SETTINGS[key], default=now.values[key], show_default=bool(now.values[key])
            )
            try:
                settings.cleaned(key, answer)
            except InvalidInput as error:
                typer.echo(error.message, err=True)
                continue
            setup.values[key] = answer
            break
    if setup.preset is None:
        setup.preset = typer.prompt(
            f"类别预设（{'、'.join(presets.PRESETS)}）",
            default=now.preset,
            type=click.Choice(list(presets.PRESETS)),
            show_choices=False,
        )
    if setup.units is None:
        chosen = presets.PRESETS[str(setup.preset)]
        offered = now.units if setup.preset == now.preset else list(chosen.units)
        answer = typer.prompt("承办单位（用逗号或顿号分隔）", default="、".join(offered or []))
        setup.units = presets.split_units([answer])


@config_app.callback()
def config_main(ctx: typer.Context, db: DbOption = None) -> None:
    """查看或修改本单位设置。不带子命令时显示全部设置。"""
    if ctx.invoked_subcommand is None:
        _print_overview(db)


def _print_overview(db: str | None, as_json: bool = False) -> None:
    view = settings.overview(open_ledger(db, office_clock=False))
    if as_json:
        print_json(
            {
                "settings": view.settings,
                "lists": view.lists,
                "units": [unit.__dict__ for unit in view.units],
            }
        )
        return
    for key, label in settings.SETTINGS.items():
        typer.echo(f"{label}（{key}）：{view.settings[key] or '（未设置）'}")
    for key, label in settings.LISTS.items():
        typer.echo(f"{label}（{key}）：{'、'.join(view.lists[key])}")
    typer.echo("承办单位：")
    for unit in view.units:
        contact = "，".join(x for x in (unit.liaison, unit.phone) if x)
        typer.echo(f"  {unit.name}" + (f"（联络员 {contact}）" if contact else ""))


@config_app.command("show", cls=Command)
def config_show(as_json: JsonOption = False, db: DbOption = None) -> None:
    """显示全部设置。

    例：xinfang config show --json
    """
    _print_overview(db, as_json)


@config_app.command("set", cls=Command)
def config_set(
    key: Annotated[
        str, typer.Argument(help="设置项：单位名称、案件编号前缀、交办单编号前缀、经办人、时区等")
    ],
    value: Annotated[str, typer.Argument(help="新值")],
    db: DbOption = None,
) -> None:
    """修改一个设置项。

    例：xinfang config set 单位名称 临泽县民政局
    """
    conn = open_ledger(db, office_clock=False)
    settings.set_value(conn, key, value)
    typer.echo(f"已设置 {key}：{value}")


@config_app.command("add", cls=Command)
def config_add(
    list_name: Annotated[
        str,
        typer.Argument(help="列表：信访来源、信访形式、问题类型、事项类别、属地、回访方式、满意度"),
    ],
    values: Annotated[list[str], typer.Argument(help="要增加的值，可多个")],
    db: DbOption = None,
) -> None:
    """向选项列表增加值。

    例：xinfang config add 问题类型 高龄津贴 孤儿基本生活费
    """
    now = settings.add_choices(open_ledger(db), list_name, values)
    typer.echo(f"{list_name}：{'、'.join(now)}")


@config_app.command("remove", cls=Command)
def config_remove(
    list_name: Annotated[str, typer.Argument(help="列表名称")],
    value: Annotated[str, typer.Argument(help="要删除的值")],
    db: DbOption = None,
) -> None:
    """从选项列表删除一个值（已登记案件中的值不受影响）。

    例：xinfang config remove 问题类型 区划地名
    """
    now = settings.remove_choice(open_ledger(db), list_name, value)
    typer.echo(f"{list_name}：{'、'.join(now)}")


@config_app.command("unit", cls=Command)
def config_unit(
    name: Annotated[str, typer.Argument(help="承办单位名称（乡镇或部门）")],
    liaison: Annotated[str | None, typer.Option("--liaison", help="信访联络员")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联络员电话")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="从名单中删除")] = False,
    unusual: UnusualOption = False,
    old_unusual: OldUnusualOption = False,
    db: DbOption = None,
) -> None:
    """增加或修改承办单位及其联络员；--remove 删除。

    例：xinfang config unit 沙河镇 --liaison 王五 --phone 0936-5521234
    """
    conn = open_ledger(db)
    if remove:
        settings.remove_unit(conn, name)
        typer.echo(f"已删除承办单位：{name}")
        return
    unit = settings.save_unit(
        conn, name, liaison=liaison, phone=phone, force=unusual or old_unusual
    )
    contact = "，".join(x for x in (unit.liaison, unit.phone) if x)
    typer.echo(f"承办单位：{unit.name}" + (f"（联络员 {contact}）" if contact else ""))


rules_app = new_app(
    "期限规则：每个环节的期限、计算方式和起算事件\n\n期限规则：每个环节的期限、计算方式（工作日或日）和起算事件。"
    "新登记的案件按当时的规则计算，已登记的案件保持原规则。\n\n"
    "例：xinfang config rules；xinfang config rules use 2022；"
    "xinfang config rules set 答复 15 工作日 --max 30"
)
rules_app.info.no_args_is_help = False
rules_app.info.invoke_without_command = True
config_app.add_typer(rules_app, name="rules")


@rules_app.callback()
def rules_main(ctx: typer.Context, db: DbOption = None) -> None:
    """查看或修改期限规则。不带子命令时显示当前规则。"""
    if ctx.invoked_subcommand is None:
        _print_rules(db)


def _print_rules(db: str | None) -> None:
    name, current = rules.effective(open_ledger(db))
    typer.echo(f"期限规则：{rules.RULE_SETS[name][0]}（{name}）")
    for key, stage in rules.STAGES.items():
        rule = current.get(key)
        text = f"{rule.describe()}，自{stage.starts}之日起" if rule else "不设期限"
        typer.echo(f"  {stage.label}：{text}")
    typer.echo("  交办办结：交办单所定日期")


@rules_app.command("use", cls=Command)
def rules_use(
    name: Annotated[
        str, typer.Argument(help="规则集：seed000（本单位制度，默认）或 2022（信访工作条例）")
    ],
    db: DbOption = None,
) -> None:
    """选用一套期限规则（只影响此后登记的案件）

    选用一套期限规则（同时清除单项调整），只影响此后登记的案件。

    例：xinfang config rules use 2022
    """
    conn = open_ledger(db)
    with transaction(conn):
        key = rules.choose(conn, name)
    typer.echo(f"已选用期限规则：{rules.RULE_SETS[key][0]}（{key}）")


@rules_app.command("set", cls=Command)
def rules_set(
    stage: Annotated[str, typer.Argument(help="环节，如 答复、受理告知、回访、归档")],
    amount: Annotated[str, typer.Argument(help="天数")],
    unit: Annotated[str, typer.Argument(help="工作日 或 日")],
    maximum: Annotated[
        str | None, typer.Option("--max", help="延期（疑难复杂）最长可到多少天")
    ] = None,
    db: DbOption = None,
) -> None:
    """调整一个环节的期限，只影响此后登记的案件。

    例：xinfang config rules set 答复 15 工作日 --max 30
    """
    units = {"工作日": rules.WORKDAY, "日": rules.DAY, "workday": rules.WORKDAY, "day": rules.DAY}
    days = parse_int(amount, "天数", minimum=1, maximum=365)
    most = parse_int(maximum, "最长期限", minimum=1, maximum=365) if maximum else None
    conn = open_ledger(db)
    with transaction(conn):
        rules.override(conn, stage, days, units.get(unit, unit), most)
    _print_rules(db)


@rules_app.command("off", cls=Command)
def rules_off(
    stage: Annotated[str, typer.Argument(help="环节，如 回访")],
    db: DbOption = None,
) -> None:
    """取消一个环节的期限（此后登记的案件不再计算该期限）。

    例：xinfang config rules off 公示
    """
    conn = open_ledger(db)
    with transaction(conn):
        rules.override(conn, stage, None, None, None)
    _print_rules(db)


@rules_app.command("reset", cls=Command)
def rules_reset(db: DbOption = None) -> None:
    """撤销全部单项调整，恢复所选规则集的原值。

    例：xinfang config rules reset
    """
    conn = open_ledger(db)
    with transaction(conn):
        name, _ = rules.effective(conn)
        rules.choose(conn, name)
    _print_rules(db)


@config_app.command("templates", cls=Command)
def config_templates(
    folder: Annotated[str | None, typer.Argument(help="本单位文书模板所在目录")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="恢复使用随程序提供的模板")] = False,
    db: DbOption = None,
) -> None:
    """使用本单位修改过的文书模板

    使用本单位修改过的文书模板：目录中有的模板优先，没有的仍用随程序提供的。

    例：xinfang templates export ./我的模板；（用 Word/WPS 修改后）xinfang config templates ./我的模板
    """
    conn = open_ledger(db)
    if reset:
        settings.set_value(conn, "templates_dir", "")
        typer.echo("已恢复使用随程序提供的文书模板。")
        return
    if not folder:
        current = settings.get(conn, "templates_dir")
        typer.echo(f"文书模板目录：{current or '（随程序提供的模板）'}")
        return
    from xinfang.outputs.docx import use_templates

    path, own = use_templates(conn, folder)
    typer.echo(f"已启用 {path} 中的模板：{'、'.join(own)}")
