"""The county's calendar is one for all its offices (schema-pg.sql): a year one town
confirmed stays known when another town starts or enters a day."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

from typer.testing import CliRunner

from tests.pg import County
from xinfang.cli import app
from xinfang.core.clock import workdays
from xinfang.store.db import connect


def as_town(monkeypatch: pytest.MonkeyPatch, county: County, who: str, *args: str) -> None:
    monkeypatch.setenv("XINFANG_DB", county.dsn[who])
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)


def calendar_of(county: County, who: str) -> workdays.WorkCalendar:
    conn = connect(county.dsn[who])
    try:
        return workdays.load(conn)
    finally:
        conn.close()


def known_2027(county: County, who: str) -> bool:
    return calendar_of(county, who).year_known(2027)


def test_a_year_one_town_confirmed_stays_known_when_another_town_starts(county, monkeypatch):
    as_town(monkeypatch, county, "a", "calendar", "set", "2027-02-06..2027-02-12", "休")
    as_town(monkeypatch, county, "a", "calendar", "confirm", "2027")
    assert known_2027(county, "a") is True
    # Town B's first command builds its office (and so the calendar) ...
    as_town(monkeypatch, county, "b", "calendar", "show", "2027-02")
    assert known_2027(county, "a") is True
    # ... and a day it enters rebuilds the calendar again.
    as_town(monkeypatch, county, "b", "calendar", "set", "2027-02-14", "班")
    assert known_2027(county, "a") is True
    assert known_2027(county, "b") is True
    assert calendar_of(county, "a").is_workday(date(2027, 2, 14)) is True
