"""The `xinfang` command line: thin commands over `xinfang.core`.

A command module registers its commands on `app` when imported. `main()` imports only
the module of the command being run (the clerk types `xinfang show …` dozens of times a
day, and building all ~50 commands and importing their cores costs more than the rest
of the start-up); `--help`, an unknown command and `from xinfang.cli import app` load
them all.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

# Modules in --help order, each with the commands (or command groups) it registers.
MODULES: dict[str, tuple[str, ...]] = {
    "today_command": ("today",),
    "register_command": ("register",),
    "case_commands": (
        "accept", "reject", "transfer", "notify", "assign", "unit-accept", "unit-report",
        "reply", "revisit", "publicize", "close", "archive", "note", "correct", "extend",
        "pause", "resume",
    ),
    "routing_commands": ("send-back", "reassign", "unit-return", "urge"),
    "correction_commands": ("void", "join"),
    "supervision_commands": (
        "supervise", "supervise-answer", "instruct", "liaise", "liaise-answer", "suggest",
    ),
    "urgency_commands": ("mark-urgent", "report-up"),
    "link_commands": ("link", "unlink"),
    "review_commands": ("review", "recheck", "reexamine"),
    "delivery_commands": ("deliver",),
    "document_commands": ("print", "templates", "attach", "verify"),
    "loan_commands": ("lend", "return", "loans"),
    "read_commands": ("show", "list", "export", "search"),
    "overdue_command": ("overdue",),
    "report_commands": ("report",),
    "stats_command": ("report",),
    "calendar_commands": ("calendar",),
    "reception_commands": ("reception",),
    "doctor_command": ("doctor",),
    "backup_commands": ("backup", "restore"),
    "settings_commands": ("init", "config"),
    "rollup_commands": ("bundle", "merge"),
    "import_command": ("import",),
    "office_commands": ("office", "grant"),
    "store_commands": ("migrate-store",),
    "demo_command": ("demo",),
    "completion": ("completion",),
}  # fmt: skip

__all__ = ["app", "main"]


def load(modules: list[str]) -> Any:
    for module in modules:
        importlib.import_module(f"xinfang.cli.{module}")
    from xinfang.cli.root import app as group

    return group


def modules_for(args: list[str]) -> list[str]:
    """The modules that register the command in `args`; all of them when it is unknown."""
    name = next((arg for arg in args if not arg.startswith("-")), None)
    needed = [module for module, names in MODULES.items() if name in names]
    return needed or list(MODULES)


def __getattr__(name: str) -> Any:
    if name == "app":  # `from xinfang.cli import app`: tests and tools get every command
        return load(list(MODULES))
    raise AttributeError(name)


# typer's own spellings, kept working: `xinfang --show-completion [SHELL]` prints the
# script as `xinfang completion` does, `--install-completion` installs it.
COMPLETION_FLAGS = {"--show-completion": [], "--install-completion": ["--install"]}


def main() -> None:
    instruction = os.environ.get("_XINFANG_COMPLETE")
    if instruction:  # the shell asking for completions: see xinfang/cli/completion.py
        from xinfang.cli.completion import answer

        answer(instruction, {module: list(names) for module, names in MODULES.items()})
    args = sys.argv[1:]
    if args and args[0] in COMPLETION_FLAGS:
        args = ["completion", *args[1:2], *COMPLETION_FLAGS[args[0]]]
        load(["completion"])(args, prog_name="xinfang")
        return
    if not args and sys.stdin.isatty() and sys.stdout.isatty():
        # `xinfang` alone at a terminal: the day's agenda (piped: the help, as before).
        load(modules_for(["today"]))(args=["today"])
        return
    load(modules_for(args))()
