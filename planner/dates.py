"""Calendar maths for the timeline: snapping, months, quarters, sprints and header ticks.

Dates are calendar dates (no time zones). A card's end date is inclusive: a card from
Monday to Friday covers five days, and the day after its end is where its bar stops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from planner.model import MAX_DATE, MIN_DATE
from planner.records import record

SNAP_UNITS = ("day", "week", "sprint", "month")
TICK_UNITS = ("year", "quarter", "month", "week", "sprint", "day")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A sprint grid needs an anchor; without one sprints start on this Monday.
DEFAULT_SPRINT_ANCHOR = dt.date(2000, 1, 3)
ONE_DAY = dt.timedelta(days=1)


def clamp_date(day: dt.date) -> dt.date:
    """The date kept inside the range the file accepts."""
    return min(max(day, MIN_DATE), MAX_DATE)


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, clamped to the dates the file accepts."""
    try:
        return clamp_date(day + dt.timedelta(days=days))
    except OverflowError:
        return MIN_DATE if days < 0 else MAX_DATE


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year < MIN_DATE.year:
        return MIN_DATE
    if year > MAX_DATE.year:
        return MAX_DATE
    return dt.date(year, month0 + 1, min(day.day, days_in_month(year, month0 + 1)))


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def quarter_start(day: dt.date) -> dt.date:
    """First day of the calendar quarter holding ``day``."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def week_start_of(day: dt.date, week_start: int = 0) -> dt.date:
    """The first day of the week holding ``day``; ``week_start`` 0 = Monday ... 6 = Sunday."""
    offset = (day.weekday() - week_start) % 7
    return add_days(day, -offset)


def sprint_start_of(day: dt.date, sprint_start: dt.date | None, sprint_length: int) -> dt.date:
    """The first day of the sprint holding ``day`` on the grid anchored at ``sprint_start``."""
    anchor = sprint_start or DEFAULT_SPRINT_ANCHOR
    length = max(1, int(sprint_length))
    offset = (day - anchor).days % length
    return add_days(day, -offset)


def sprint_number(day: dt.date, sprint_start: dt.date | None, sprint_length: int) -> int:
    """1 for the sprint starting at the anchor, 2 for the next, 0 and below before it."""
    anchor = sprint_start or DEFAULT_SPRINT_ANCHOR
    return (day - anchor).days // max(1, int(sprint_length)) + 1


def _period_bounds(
    day: dt.date, unit: str, sprint_start: dt.date | None, sprint_length: int, week_start: int
) -> tuple[dt.date, dt.date]:
    """The boundary at or before ``day`` and the next boundary, for ``unit``."""
    if unit == "week":
        lo = week_start_of(day, week_start)
        return lo, add_days(lo, 7)
    if unit == "sprint":
        lo = sprint_start_of(day, sprint_start, sprint_length)
        return lo, add_days(lo, max(1, int(sprint_length)))
    if unit == "month":
        lo = month_start(day)
        return lo, add_months(lo, 1)
    if unit == "quarter":
        lo = quarter_start(day)
        return lo, add_months(lo, 3)
    if unit == "year":
        lo = dt.date(day.year, 1, 1)
        return lo, add_months(lo, 12)
    return day, add_days(day, 1)


def snap_date(
    day: dt.date,
    unit: str,
    sprint_start: dt.date | None = None,
    sprint_length: int = 14,
    week_start: int = 0,
) -> dt.date:
    """The boundary of ``unit`` (day, week, sprint, month) nearest to ``day``; ties go earlier."""
    if unit not in ("week", "sprint", "month", "quarter", "year"):
        return day
    lo, hi = _period_bounds(day, unit, sprint_start, sprint_length, week_start)
    if hi <= lo:
        return lo
    return lo if (day - lo).days <= (hi - day).days else hi


def snap_end(
    end: dt.date,
    unit: str,
    sprint_start: dt.date | None = None,
    sprint_length: int = 14,
    week_start: int = 0,
) -> dt.date:
    """An inclusive end date snapped so the day after it falls on a boundary."""
    after = snap_date(add_days(end, 1), unit, sprint_start, sprint_length, week_start)
    return add_days(after, -1)


def step(day: dt.date, unit: str, count: int, sprint_length: int = 14) -> dt.date:
    """``day`` moved by ``count`` units (a nudge): days, weeks, sprints or months."""
    if unit == "week":
        return add_days(day, 7 * count)
    if unit == "sprint":
        return add_days(day, max(1, int(sprint_length)) * count)
    if unit == "month":
        return add_months(day, count)
    return add_days(day, count)


def duration_days(start: dt.date, end: dt.date) -> int:
    """Days a card covers, its end day included (0 or less for an end before its start)."""
    return (end - start).days + 1


def moved(start: dt.date, end: dt.date, new_start: dt.date) -> tuple[dt.date, dt.date]:
    """The card's dates after moving its start to ``new_start``, keeping the duration."""
    return new_start, add_days(new_start, (end - start).days)


def ordered(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Dates in order: a card whose end is before its start is shown (and saved) the right way."""
    return (start, end) if start <= end else (end, start)


def sprint_boundaries(
    sprint_start: dt.date | None, sprint_length: int, lo: dt.date, hi: dt.date
) -> list[dt.date]:
    """Sprint start dates from the one holding ``lo`` up to ``hi``."""
    length = max(1, int(sprint_length))
    first = sprint_start_of(lo, sprint_start, length)
    result = []
    day = first
    while day <= hi:
        result.append(day)
        nxt = add_days(day, length)
        if nxt == day:
            break
        day = nxt
    return result


@record
class Tick:
    """One cell of the time header: the period [start, end) and its label."""

    start: dt.date
    end: dt.date
    label: str
    short: str


def _label(
    day: dt.date, unit: str, sprint_start: dt.date | None, sprint_length: int
) -> tuple[str, str]:
    if unit == "year":
        return str(day.year), str(day.year)[-2:]
    if unit == "quarter":
        q = (day.month - 1) // 3 + 1
        return f"Q{q} {day.year}", f"Q{q}"
    if unit == "month":
        return f"{MONTHS[day.month - 1]} {day.year}", MONTHS[day.month - 1]
    if unit == "week":
        return str(day.day), str(day.day)
    if unit == "sprint":
        n = sprint_number(day, sprint_start, sprint_length)
        return f"Sprint {n}", f"S{n}"
    return str(day.day), str(day.day)


def iter_ticks(
    unit: str,
    lo: dt.date,
    hi: dt.date,
    sprint_start: dt.date | None = None,
    sprint_length: int = 14,
    week_start: int = 0,
    limit: int = 5000,
) -> Iterator[Tick]:
    """Header cells of ``unit`` covering [lo, hi]; at most ``limit`` of them."""
    day, _ = _period_bounds(lo, unit, sprint_start, sprint_length, week_start)
    count = 0
    while day <= hi and count < limit:
        _, nxt = _period_bounds(day, unit, sprint_start, sprint_length, week_start)
        if nxt <= day:
            break
        label, short = _label(day, unit, sprint_start, sprint_length)
        yield Tick(day, nxt, label, short)
        day = nxt
        count += 1


# The finest header unit each view precision may show (a coarse view never names a day).
_FINEST = {"month": "month", "quarter": "quarter", "nnl": "quarter"}
_RANK = {"day": 0, "week": 1, "sprint": 1, "month": 2, "quarter": 3, "year": 4}


def header_units(
    px_per_day: float, show_sprints: bool = False, precision: str = "day"
) -> tuple[str, str]:
    """(upper, lower) header rows for a zoom level: the finer the zoom, the finer the ticks.

    At month precision no row is finer than months, at quarter (and Now/Next/Later) precision
    none is finer than quarters: the header never shows what the view rounds away.
    """
    upper, lower = _zoom_units(px_per_day, show_sprints)
    finest = _FINEST.get(precision)
    if finest is None or _RANK[lower] >= _RANK[finest]:
        return upper, lower
    return ("year", finest)


def _zoom_units(px_per_day: float, show_sprints: bool) -> tuple[str, str]:
    if px_per_day >= 14:
        return ("month", "sprint" if show_sprints else "day")
    if px_per_day >= 2.5:
        return ("month", "sprint" if show_sprints else "week")
    if px_per_day >= 0.9:
        return ("quarter", "sprint" if show_sprints and px_per_day >= 1.5 else "month")
    if px_per_day >= 0.2:
        return ("year", "quarter")
    return ("year", "year")
