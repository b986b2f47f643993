"""The `xinfang` command line: thin commands over `xinfang.core`."""

from __future__ import annotations

from xinfang.cli import case_commands, read_commands, register_command, settings_commands
from xinfang.cli.app import app

__all__ = ["app", "case_commands", "main", "read_commands", "register_command", "settings_commands"]


def main() -> None:
    app()
