"""Shell completion for bash, zsh and fish: `xinfang completion SHELL` prints the script;
the script calls `xinfang` back with _XINFANG_COMPLETE set, and `answer()` replies.

Called on every Tab, so `answer()` loads only the module of the command being typed
(command names come from the table in `xinfang.cli`), and case numbers and list values come
from one small read-only query on the ledger. It never creates or migrates a ledger.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any, cast

import typer
from typer._click import shell_completion
from typer._click.core import Context, Parameter
from typer._click.shell_completion import CompletionItem

PROG = "xinfang"
COMPLETE_VAR = "_XINFANG_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
CASE_LIMIT = 100  # case numbers offered at once, newest first
LOCK_WAIT = 0.2  # seconds a locked ledger is waited for: Tab must never hang


def words() -> tuple[list[str], str]:
    """The words typed after `xinfang` and the one being completed, as each shell says."""
    from typer._click.shell_completion import split_arg_string

    if "COMP_WORDS" in os.environ:  # bash
        typed = split_arg_string(os.environ["COMP_WORDS"])
        cword = int(os.environ.get("COMP_CWORD", len(typed)))
        return typed[1:cword], (typed[cword] if cword < len(typed) else "")
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")  # zsh and fish
    typed = split_arg_string(line)[1:]
    if typed and not line.endswith(" "):
        return typed[:-1], typed[-1]
    return typed, ""


def _ledger(ctx: Context) -> sqlite3.Connection | None:
    return _open(ctx.params.get("db") or ctx.find_root().params.get("db"))


def _open(given: str | None) -> sqlite3.Connection | None:
    """The ledger named by --db, XINFANG_DB or the default, read-only; None if absent."""
    from xinfang.store.db import is_dsn, resolve_path

    target = given or os.environ.get("XINFANG_DB")
    if is_dsn(target):
        return _open_county(str(target))
    path = resolve_path(target)
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT)
    except sqlite3.Error:
        return None


def _open_county(dsn: str) -> sqlite3.Connection | None:
    """The county's ledger in a read-only session (a Tab never writes), waited for briefly;
    not pg_ledger.connect, which prepares an office's lane on first use."""
    from xinfang.store import pg, pg_ledger

    try:
        psycopg_module: Any = pg.driver()
        conn = psycopg_module.connect(
            dsn,
            autocommit=True,
            connect_timeout=1,
            options=f"-c default_transaction_read_only=on -c statement_timeout={LOCK_WAIT * 1000:.0f}",
        )
    except Exception:  # no driver, no server, no such role: offer nothing rather than fail
        return None
    return cast(sqlite3.Connection, pg_ledger.PgLedger(conn))


def _store_errors() -> tuple[type[Exception], ...]:
    """What a read may raise: sqlite3's, and psycopg's where a county ledger was opened."""
    psycopg_module: Any = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg_module is None else (sqlite3.Error, psycopg_module.Error)


def case_numbers(conn: sqlite3.Connection, incomplete: str) -> list[str]:
    """Case numbers starting with `incomplete`, newest first: one query on UNIQUE(year, seq)."""
    year = incomplete[:4]
    where, args = ("year = ? AND ", [int(year)]) if len(year) == 4 and year.isdigit() else ("", [])
    rows = conn.execute(
        f"SELECT printf('%d-%04d', year, seq) AS number FROM cases WHERE {where}"
        "printf('%d-%04d', year, seq) LIKE ? ORDER BY year DESC, seq DESC LIMIT ?",
        [*args, incomplete.replace("%", "").replace("_", "") + "%", CASE_LIMIT],
    ).fetchall()
    return [row[0] for row in rows]


def _choices(list_name: str) -> Callable[[sqlite3.Connection], list[str]]:
    def values(conn: sqlite3.Connection) -> list[str]:
        rows = conn.execute(
            "SELECT value FROM choices WHERE list = ? ORDER BY position", (list_name,)
        ).fetchall()
        return [row[0] for row in rows]

    return values


def _units(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM units ORDER BY position")]


def _statuses(_conn: sqlite3.Connection | None) -> list[str]:
    from xinfang.core.life.states import STATUS_LABELS

    return [label.split("（")[0] for label in STATUS_LABELS.values()] + ["在办"]


def _documents(_conn: sqlite3.Connection | None) -> list[str]:
    from xinfang.core.papers.documents import DOCUMENTS

    return [document.title for document in DOCUMENTS]


# Option -> where its values come from; those needing the ledger take the connection.
LEDGER_VALUES: dict[str, Callable[[sqlite3.Connection], list[str]]] = {
    "--form": _choices("form"),
    "--source": _choices("source"),
    "--category": _choices("category"),
    "--kind": _choices("kind"),
    "--township": _choices("township"),
    "--satisfaction": _choices("satisfaction"),
    "--unit": _units,
}
FIXED_VALUES: dict[str, Callable[[sqlite3.Connection | None], list[str]]] = {
    "--status": _statuses,
}


def _offer(values: list[str], incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(value) for value in values if value.startswith(incomplete)]


def _read(
    read: Callable[[sqlite3.Connection], list[str]], conn: sqlite3.Connection | None
) -> list[str]:
    if conn is None:
        return []
    try:
        return read(conn)
    except _store_errors():  # an old or foreign ledger: offer nothing rather than fail
        return []
    finally:
        conn.close()


def _from_ledger(
    read: Callable[[sqlite3.Connection], list[str]],
) -> Callable[[Context, Parameter, str], list[CompletionItem]]:
    def complete(ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
        return _offer(_read(read, _ledger(ctx)), incomplete)

    return complete


def _fixed(
    read: Callable[[sqlite3.Connection | None], list[str]],
) -> Callable[[Context, Parameter, str], list[CompletionItem]]:
    def complete(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
        return _offer(read(None), incomplete)

    return complete


def _cases(ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    numbers = _read(lambda conn: case_numbers(conn, incomplete), _ledger(ctx))
    return [CompletionItem(number) for number in numbers]


def _completer(param: Parameter) -> Callable[[Context, Parameter, str], Any] | None:
    help_text = getattr(param, "help", None) or ""
    argument = param.param_type_name == "argument"
    if argument and help_text.startswith("案件编号"):
        return _cases
    if argument and help_text.startswith("文书名称"):
        return _fixed(_documents)
    for opt in getattr(param, "opts", []):
        if opt in LEDGER_VALUES:
            return _from_ledger(LEDGER_VALUES[opt])
        if opt in FIXED_VALUES:
            return _fixed(FIXED_VALUES[opt])
    return None


def _parameters(command: Any) -> Iterator[Parameter]:
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _parameters(sub)


def attach(group: Any) -> None:
    """Teach the built click group where case numbers and list values come from."""
    for param in _parameters(group):
        complete = _completer(param)
        if complete is not None:
            param._custom_shell_complete = complete


def answer(instruction: str, command_names: dict[str, list[str]]) -> None:
    """Reply to the shell's completion call and exit; `command_names` maps each command
    module to the commands it registers (xinfang.cli.MODULES)."""
    from typer._completion_classes import completion_init
    from typer.completion import shell_complete
    from typer.main import get_command

    from xinfang.cli import load

    completion_init()
    shell = instruction.partition("_")[2]
    args, incomplete = words()
    typed = next((arg for arg in args if not arg.startswith("-")), None)
    if typed is None and not incomplete.startswith("-"):
        # The command name itself: from the table, without loading any command.
        names = sorted({name for names in command_names.values() for name in names})
        _reply(shell, _offer(names, incomplete))
    last = args[-1] if args else ""
    if last in LEDGER_VALUES or last in FIXED_VALUES:
        # A list's value means the same after every command: no command is loaded.
        given = args[args.index("--db") + 1] if "--db" in args[:-1] else None
        if last in FIXED_VALUES:
            values = FIXED_VALUES[last](None)
        else:
            values = _read(LEDGER_VALUES[last], _open(given))
        _reply(shell, _offer(values, incomplete))
    modules = [module for module, names in command_names.items() if typed in names]
    group = get_command(load(modules or list(command_names)))
    attach(group)
    sys.exit(shell_complete(group, {}, PROG, COMPLETE_VAR, instruction))


def _reply(shell: str, items: list[CompletionItem]) -> None:
    """Answer with `items`, formatted as the shell's script expects, and exit."""
    comp_cls = shell_completion.get_completion_class(shell)
    if comp_cls is None:
        sys.exit(1)
    comp = comp_cls(None, {}, PROG, COMPLETE_VAR)  # type: ignore[arg-type]
    comp.get_completions = lambda _args, _incomplete: items  # type: ignore[method-assign,assignment]
    sys.stdout.write(comp.complete() + "\n")
    sys.exit(0)


def script(shell: str) -> str:
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def detected_shell() -> str:
    name = os.path.basename(os.environ.get("SHELL", ""))
    return name if name in SHELLS else "bash"


def _register() -> None:
    from xinfang.cli.root import command

    @command("completion")
    def completion_command(
        shell: Annotated[
            str | None, typer.Argument(help="bash、zsh 或 fish；默认取 $SHELL")
        ] = None,
        install: Annotated[
            bool, typer.Option("--install", help="写入该 shell 的配置文件，重开终端后生效")
        ] = False,
    ) -> None:
        """输出 Tab 补全脚本（命令、选项、案件编号、列表取值）。

        例：eval "$(xinfang completion bash)"；xinfang completion zsh --install
        """
        from xinfang.core.errors import InvalidInput

        chosen = shell or detected_shell()
        if chosen not in SHELLS:
            raise InvalidInput("shell", f"不支持“{chosen}”；可选：{'、'.join(SHELLS)}")
        if not install:
            sys.stdout.write(script(chosen) + "\n")
            return
        from typer._completion_classes import completion_init
        from typer._completion_shared import install as install_script

        completion_init()
        _, path = install_script(shell=chosen, prog_name=PROG, complete_var=COMPLETE_VAR)
        sys.stdout.write(f"已写入 {path}；重开终端后生效\n")


_register()
