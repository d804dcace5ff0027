"""Dates as CSV files write them; an ambiguous day/month is asked about, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.io.dates_parse import DateProblem, column_order, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-15", D(2026, 2, 15)),
        ("2026-02-15T16:37:00Z", D(2026, 2, 15)),
        ("2026-02-15 16:37", D(2026, 2, 15)),
        ("15/Feb/26 4:37 PM", D(2026, 2, 15)),
        ("05/Oct/25 12:00 AM", D(2025, 10, 5)),
        ("15-Feb-2026", D(2026, 2, 15)),
        ("15.2.2026", D(2026, 2, 15)),
        ("01.12.2026", D(2026, 12, 1)),
        ("2/15/2026", D(2026, 2, 15)),
        ("15/2/2026", D(2026, 2, 15)),
        ("3/3/2026", D(2026, 3, 3)),
        ("  ", None),
    ],
)
def test_formats(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_ambiguous_is_never_guessed() -> None:
    with pytest.raises(DateProblem, match="day/month or month/day"):
        parse_date("03/04/2026")
    assert parse_date("03/04/2026", "dmy") == D(2026, 4, 3)
    assert parse_date("03/04/2026", "mdy") == D(2026, 3, 4)


@pytest.mark.parametrize("text", ["31/Foo/26", "2026-02-30", "yesterday", "13/13/2026", "1.2"])
def test_not_dates(text: str) -> None:
    with pytest.raises(DateProblem):
        parse_date(text)


def test_an_explicit_order_is_not_overridden() -> None:
    with pytest.raises(DateProblem, match="not a real calendar date"):
        parse_date("15/02/2026", "mdy")


def test_column_order() -> None:
    assert column_order(["03/04/2026", "25/04/2026"]) == "dmy"
    assert column_order(["03/04/2026", "04/25/2026"]) == "mdy"
    assert column_order(["03/04/2026", ""]) == "ambiguous"
    assert column_order(["2026-01-01", "15/Feb/26 4:37 PM"]) is None
    with pytest.raises(DateProblem):
        column_order(["25/04/2026", "04/25/2026"])
