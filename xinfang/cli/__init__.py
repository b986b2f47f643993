"""The `xinfang` command line: thin commands over `xinfang.core`."""

from __future__ import annotations

# Importing a command module registers its commands; the order here is the order in --help.
# isort: off
from xinfang.cli import register_command  # noqa: F401
from xinfang.cli import case_commands  # noqa: F401
from xinfang.cli import supervision_commands  # noqa: F401
from xinfang.cli import review_commands  # noqa: F401
from xinfang.cli import document_commands  # noqa: F401
from xinfang.cli import loan_commands  # noqa: F401
from xinfang.cli import read_commands  # noqa: F401
from xinfang.cli import overdue_command  # noqa: F401
from xinfang.cli import report_commands  # noqa: F401
from xinfang.cli import stats_command  # noqa: F401
from xinfang.cli import calendar_commands  # noqa: F401
from xinfang.cli import reception_commands  # noqa: F401
from xinfang.cli import doctor_command  # noqa: F401
from xinfang.cli import backup_commands  # noqa: F401
from xinfang.cli import settings_commands  # noqa: F401
from xinfang.cli import demo_command  # noqa: F401

# isort: on
from xinfang.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
