"""What every command shares: the Typer classes that turn errors into one Chinese line and
exit status 2, Chinese help, the common options, and opening the ledger."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import traceback
from typing import Annotated, Any

import typer
from typer._click import exceptions as click  # typer >= 0.26 vendors click
from typer.core import TyperCommand, TyperGroup

from xinfang.core.errors import XinfangError

HELP_OPTION_TEXT = "显示本帮助并退出。"


def _chinese_help_titles() -> None:
    # Imported only when help is shown: rich costs ~30 ms at start-up.
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    if not getattr(rich_utils._make_rich_text, "folds", False):
        rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)


def _folding(make: Any) -> Any:
    """Help text that wraps: rich breaks lines at spaces, and a Chinese sentence has none,
    so a help's list of allowed values was cut to `…` at the column's edge."""

    def make_folded(*args: Any, **kwargs: Any) -> Any:
        text = make(*args, **kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    make_folded.folds = True  # type: ignore[attr-defined]
    return make_folded


def _translate(error: click.ClickException) -> str:
    """click's own messages are English; the clerk reads Chinese."""
    if isinstance(error, click.MissingParameter) and error.param is not None:
        param = error.param
        opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
        name = "/".join(opts) or (param.name or "").upper()
        label = (getattr(param, "help", None) or "").split("。")[0].split("，")[0]
        return f"缺少必填项 {name}（{label}）" if label else f"缺少必填项 {name}"
    if isinstance(error, click.NoSuchOption):
        hint = f"；是否想用 {'、'.join(error.possibilities)}" if error.possibilities else ""
        return f"没有选项 {error.option_name}{hint}"
    if isinstance(error, click.BadParameter):
        param_name = error.param_hint or (error.param.name if error.param else "")
        return f"参数 {param_name} 的值无效：{error.message}"
    message = error.format_message()
    quoted = re.findall(r"'([^']*)'", message)
    if message.startswith("No such command"):
        hint = f"；是否想用 {quoted[1]}" if len(quoted) > 1 else ""
        return f"没有这个命令：{quoted[0] if quoted else message}{hint}"
    if message.startswith("Got unexpected extra argument"):
        found = re.search(r"\(([^()]*)\)\s*$", message)
        extra = found.group(1) if found else message
        return f"多余的参数：{extra}（含空格的内容请加引号）"
    if "requires an argument" in message:
        return f"选项 {quoted[0] if quoted else ''} 缺少取值"
    return message


MESSAGE_LIMIT = 300
# Exit statuses besides 0 and 1 (`overdue`: something is overdue) and 2 (refused input).
BUSY = 3  # the ledger stayed locked past the busy timeout: retry later
INTERNAL = 4  # a defect of the program


def fail(message: str, code: int = 2) -> None:
    """One line, whatever the user typed into it: no control characters or escape
    sequences reach the terminal, and a huge value is not repeated whole."""
    line = "".join(ch for ch in message if ch.isprintable())
    if len(line) > MESSAGE_LIMIT:
        line = line[:MESSAGE_LIMIT] + "…"
    sys.stderr.write(f"错误：{line}\n")
    sys.exit(code)


class ChineseHelp:
    """Mixed into both the commands and the groups: help text in Chinese."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _chinese_help_titles()
        super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(ChineseHelp, TyperCommand):
    pass


class Group(ChineseHelp, TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        """The one place where errors become a Chinese message and an exit status."""
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
            # Not standalone, click hands back the code of a typer.Exit instead of exiting.
            if isinstance(result, int) and result:
                sys.exit(result)
            return result
        except XinfangError as error:
            fail(error.message, error.exit_code)
        except click.ClickException as error:
            command = getattr(error, "ctx", None)
            where = f"（{command.command_path} --help 查看用法）" if command else ""
            fail(_translate(error) + where, 2)
        except typer.Abort:
            fail("已取消。", 1)
        except typer.Exit as done:
            sys.exit(done.exit_code)
        except sqlite3.OperationalError as error:
            from xinfang.store.db import explain

            problem = explain(error, None)  # a full or read-only disk: retrying will not help
            if problem is not None:
                fail(problem.message, problem.exit_code)
            fail(f"台账数据库暂时无法写入：{error}；请稍后重试。", BUSY)
        except BrokenPipeError:
            raise  # `xinfang list | head`: the reader left, nothing to tell
        except OSError as error:  # a file that could not be written: a full disk, say
            from xinfang.store.files import disk_error

            fail(disk_error(error).message, 2)
        except Exception:
            # A defect of ours, not the clerk's mistake: the traceback is for the report, and
            # the status is neither 0 nor 1, which cron reads as "nothing / something overdue".
            traceback.print_exc()
            fail("xinfang 内部错误（程序缺陷，台账未改动）；请把以上信息报告给维护人员。", INTERNAL)
        return None


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=Group,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="XINFANG_DB",
        help="台账文件路径（默认 ~/.local/share/xinfang/xinfang.db）",
        show_envvar=True,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="发生日期（可带时间），默认现在；如 2026-11-22 14:30、11月22日、昨天下午、上周五",
    ),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="经办人，默认取 XINFANG_USER 或设置中的经办人")
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON，供脚本使用")]
CaseArgument = Annotated[str, typer.Argument(help="案件编号，如 2026-0001 或 临民信〔2026〕1号")]
# Keeping a phone or ID number that fails its checks, once the clerk has checked it.
# --force was its old name (and means "overwrite" elsewhere): still read, not shown.
UnusualOption = Annotated[
    bool, typer.Option("--confirm-unusual", help="核对无误后，确认不常见的电话或身份证号")
]
OldUnusualOption = Annotated[bool, typer.Option("--force", hidden=True)]
# 承办责任人 (seed 001 三(一)2), named at 交办 and 改派.
PersonOption = Annotated[str | None, typer.Option("--person", help="承办单位的承办责任人")]
PhoneOption = Annotated[str | None, typer.Option("--phone", help="承办责任人的联系电话")]


def open_ledger(db: str | None, *, office_clock: bool = True) -> sqlite3.Connection:
    """The ledger, with "now" read in its office's time zone, not the server's
    (office_clock=False: `config show/set`, which must mend a zone this machine lacks)."""
    from xinfang.core import settings
    from xinfang.core.clock import dates
    from xinfang.store.db import connect

    dates.now()  # a bad XINFANG_NOW is refused by every command, before anything is opened
    conn = connect(db)
    if office_clock:
        settings.use_time_zone(conn)
    return conn


def print_json(value: Any) -> None:
    """Indented for a person reading it; a large answer (thousands of cases) compact, as
    indenting switches off json's C encoder and costs more than the query."""
    text = json.dumps(value, ensure_ascii=False)
    if len(text) < 100_000:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")
