"""`xinfang office add/list` and `xinfang grant`: the offices sharing a county ledger on
PostgreSQL and the database roles their clerks sign in as (store/pg.py does the work;
schema-pg.sql's row-level security keeps each office in its own lane)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import Command, DbOption, JsonOption, new_app, print_json
from xinfang.cli.root import app, command
from xinfang.store import pg

office_app = new_app(
    "县级台账（PostgreSQL）的单位\n\n县级台账（PostgreSQL）的单位：县信访局和各乡镇，"
    "每个单位只能看到、写入自己的案件（县级角色可看全部）。SQLite 台账一个文件就是一个单位，不用这些命令。\n\n"
    "例：xinfang office add 沙河镇 --role shahe --db postgresql://管理员@主机/county；xinfang office list"
)
app.add_typer(office_app, name="office")

RoleOption = Annotated[
    str, typer.Option("--role", help="该单位经办人登录数据库的角色名（小写字母、数字、下划线）")
]


@office_app.command("add", cls=Command)
def office_add(
    name: Annotated[str, typer.Argument(help="单位名称，如 沙河镇 或 临泽县信访局")],
    role: RoleOption,
    county: Annotated[
        bool, typer.Option("--county", help="县级单位：其角色可查看、督办各乡镇的案件")
    ] = False,
    office_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="沿用乡镇原 SQLite 台账的单位标识（32 位十六进制），其数据包照常合并"
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """添加单位及其经办人角色（空数据库先建表）

    添加单位及其经办人的数据库角色；连接须是县级台账数据库的所有者（管理员）。
    数据库还是空的时先建好全部表。角色的密码由管理员另行设置（ALTER ROLE … PASSWORD）。

    例：xinfang office add 临泽县信访局 --role county --county；xinfang office add 沙河镇 --role shahe
    """
    conn = pg.administer(db)
    with conn:
        office = pg.new_office(conn, name, role, county=county, office_id=office_id)
    scope = "，可查看各单位案件" if office.sees_all else ""
    typer.echo(f"已添加单位：{office.name}（{office.office_id}），角色 {role}{scope}")


@office_app.command("list", cls=Command)
def office_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """列出县级台账的单位及其角色

    列出县级台账的各单位、单位标识及其经办人角色（角色只有管理员连接可见）。

    例：xinfang office list
    """
    conn = pg.administer(db)
    with conn:
        found = pg.offices(conn)
    if as_json:
        print_json([
            {"name": o.name, "office_id": o.office_id, "roles": list(o.roles), "county": o.sees_all}
            for o in found
        ])  # fmt: skip
        return
    if not found:
        typer.echo("尚无单位；用 xinfang office add 添加")
    for office in found:
        roles = "、".join(office.roles)
        county = "（县级）" if office.sees_all else ""
        typer.echo(f"{office.name}{county}\t{office.office_id}\t{roles}".rstrip())


@command("grant")
def grant_command(
    role: Annotated[str, typer.Argument(help="数据库角色名（新的会被创建，可登录）")],
    office: Annotated[str, typer.Option("--office", help="单位名称，见 xinfang office list")],
    db: DbOption = None,
) -> None:
    """让一个数据库角色成为某单位的经办人

    让一个数据库角色成为某单位的经办人（县级台账，PostgreSQL）：只能看到、写入该单位的案件；
    县级单位的角色可看全部。已属于别的单位的角色改到这个单位。

    例：xinfang grant shahe_li --office 沙河镇
    """
    conn = pg.administer(db)
    with conn:
        found = pg.grant_office(conn, role, office)
    typer.echo(f"已授权：角色 {role} → {found.name}")
