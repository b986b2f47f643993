"""The `xinfang` command line: thin commands over `xinfang.core`."""

from __future__ import annotations

# Importing a command module registers its commands; the order is the order in --help.
from xinfang.cli import (  # noqa: F401
    case_commands,
    demo_command,
    read_commands,
    register_command,
    settings_commands,
)
from xinfang.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
