"""Dates as people and tools write them in CSV files; an ambiguous day/month is never guessed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

DATE_ORDERS = ("dmy", "mdy")

_MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
# Jira: 15/Feb/26 4:37 PM; also 15-Feb-2026, 15 Feb 2026.
_NAMED = re.compile(r"(\d{1,2})[/ -]([A-Za-z]{3})[a-z]*\.?[/ -](\d{2}|\d{4})" + _TIME)
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?" + _TIME)


class DateProblem(ValueError):
    """A cell that is not a date in any format we read."""


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 are 1900s, 00-68 are 2000s
        value += 1900 if value >= 69 else 2000
    return value


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateProblem(f"{text!r} is not a real calendar date") from None


def slash_order_hint(text: str) -> str | None:
    """'dmy' or 'mdy' when a slashed date can only be read one way, '' when either works."""
    m = _SLASH.fullmatch(text.strip())
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 and b <= 12:
        return "dmy"
    if b > 12 and a <= 12:
        return "mdy"
    if a == b or (a <= 12 and b <= 12):
        return "" if a != b else "same"
    return None


def column_order(values: Iterable[str]) -> str | None:
    """The day/month order that a column of slashed dates settles on.

    Returns 'dmy' or 'mdy' when some value decides it, None when no value is slashed or
    every one reads the same either way, and 'ambiguous' when the column must be asked about.
    Raises DateProblem when values decide both ways.
    """
    seen_ambiguous = False
    decided: set[str] = set()
    for value in values:
        hint = slash_order_hint(value)
        if hint in DATE_ORDERS:
            decided.add(hint)
        elif hint == "":
            seen_ambiguous = True
    if len(decided) == 2:
        raise DateProblem("some dates are day/month/year and others month/day/year")
    if decided:
        return decided.pop()
    return "ambiguous" if seen_ambiguous else None


def parse_date(text: str, order: str | None = None) -> dt.date | None:
    """The calendar date in ``text``; None when blank. Times of day are dropped.

    ``order`` ('dmy' or 'mdy') reads slashed dates such as 03/04/2026; without it such a
    date raises DateProblem unless day and month are the same or one is above 12.
    """
    s = text.strip()
    if not s:
        return None
    m = _ISO.fullmatch(s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), s)
    m = _NAMED.fullmatch(s)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        if month is None:
            raise DateProblem(f"{s!r}: {m.group(2)!r} is not a month")
        return _make(_year(m.group(3)), month, int(m.group(1)), s)
    m = _DOTTED.fullmatch(s)
    if m:
        return _make(int(m.group(3)), int(m.group(2)), int(m.group(1)), s)
    m = _SLASH.fullmatch(s)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hint = slash_order_hint(s)
        use = order or (hint if hint in DATE_ORDERS else None)
        if use is None and hint == "same":
            use = "dmy"
        if use is None:
            raise DateProblem(
                f"{s!r} could be day/month or month/day; choose the date order"
            )
        if use == "dmy":
            return _make(year, b, a, s)
        return _make(year, a, b, s)
    raise DateProblem(
        f"{s!r} is not a date (use 2026-02-15, 15/Feb/26, 2/15/2026 or 15.2.2026)"
    )
