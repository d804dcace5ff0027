"""Calendar maths: snapping is idempotent, lands on boundaries, and moves keep durations."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner import dates
from planner.dates import add_months, iter_ticks, moved, quarter_start, snap_date, snap_end

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))
units = st.sampled_from(dates.SNAP_UNITS)
lengths = st.integers(min_value=1, max_value=35)
week_starts = st.integers(min_value=0, max_value=6)


@given(days, units, days, lengths, week_starts)
def test_snapping_twice_equals_snapping_once(day, unit, anchor, length, ws):
    once = snap_date(day, unit, anchor, length, ws)
    assert snap_date(once, unit, anchor, length, ws) == once


@given(days, units, days, lengths, week_starts)
def test_snapped_end_is_idempotent_and_near(day, unit, anchor, length, ws):
    once = snap_end(day, unit, anchor, length, ws)
    assert snap_end(once, unit, anchor, length, ws) == once
    assert abs((once - day).days) <= 31


@given(days, days, lengths)
def test_snap_lands_on_a_boundary(day, anchor, length):
    assert snap_date(day, "month").day == 1
    assert snap_date(day, "week", week_start=0).weekday() == 0
    assert (snap_date(day, "sprint", anchor, length) - anchor).days % length == 0
    assert snap_date(day, "day") == day


def test_snap_picks_the_nearest_boundary():
    assert snap_date(dt.date(2026, 3, 14), "month") == dt.date(2026, 3, 1)
    assert snap_date(dt.date(2026, 3, 20), "month") == dt.date(2026, 4, 1)
    assert snap_date(dt.date(2026, 11, 26), "week") == dt.date(2026, 11, 23)  # a Thursday
    assert snap_date(dt.date(2026, 11, 27), "week") == dt.date(2026, 11, 30)
    assert snap_end(dt.date(2026, 3, 29), "month") == dt.date(2026, 3, 31)


@given(days, days, st.integers(min_value=0, max_value=400))
def test_a_move_never_changes_the_duration(start, new_start, length):
    end = dates.add_days(start, length)
    s, e = moved(start, end, new_start)
    assert s == new_start
    assert (e - s) == (end - start)


@given(days, st.integers(min_value=-50, max_value=50))
def test_add_months_stays_in_range(day, n):
    got = add_months(day, n)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == n
    assert got.day <= day.day


def test_add_months_clamps_the_day():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert quarter_start(dt.date(2026, 8, 17)) == dt.date(2026, 7, 1)


def test_sprint_boundaries_and_numbers():
    anchor = dt.date(2026, 1, 5)
    got = dates.sprint_boundaries(anchor, 14, dt.date(2026, 1, 10), dt.date(2026, 2, 20))
    assert got == [dt.date(2026, 1, 5), dt.date(2026, 1, 19), dt.date(2026, 2, 2),
                   dt.date(2026, 2, 16)]
    assert dates.sprint_number(dt.date(2026, 1, 20), anchor, 14) == 2


@given(days, st.integers(min_value=1, max_value=400), st.sampled_from(dates.TICK_UNITS))
def test_ticks_tile_the_range(lo, n, unit):
    hi = dates.add_days(lo, n)
    ticks = list(iter_ticks(unit, lo, hi, dt.date(2026, 1, 5), 14))
    assert ticks[0].start <= lo
    assert ticks[-1].end > hi
    for a, b in zip(ticks, ticks[1:]):
        assert a.end == b.start


def test_tick_labels():
    ticks = list(iter_ticks("quarter", dt.date(2026, 2, 1), dt.date(2026, 9, 1)))
    assert [t.label for t in ticks] == ["Q1 2026", "Q2 2026", "Q3 2026"]
    months = list(iter_ticks("month", dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    assert [t.short for t in months] == ["Jan"]


def test_header_units_follow_zoom():
    assert dates.header_units(24.0) == ("month", "day")
    assert dates.header_units(6.0) == ("month", "week")
    assert dates.header_units(6.0, show_sprints=True) == ("month", "sprint")
    assert dates.header_units(2.0) == ("quarter", "month")
    assert dates.header_units(0.5) == ("year", "quarter")


def test_header_units_never_go_below_the_view_precision():
    for ppd in (200.0, 24.0, 6.0, 2.0, 0.5, 0.1):
        assert dates.header_units(ppd, precision="day") == dates.header_units(ppd)
        upper, lower = dates.header_units(ppd, precision="quarter")
        assert lower in ("quarter", "year") and upper == "year"
        assert dates.header_units(ppd, True, precision="nnl")[1] in ("quarter", "year")
        assert dates.header_units(ppd, precision="month")[1] in ("month", "quarter", "year")
