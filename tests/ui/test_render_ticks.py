"""The header's remembered ticks are exactly those of planner.dates.iter_ticks."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from planner import dates
from ui import render


@pytest.mark.parametrize("unit", ["day", "week", "sprint", "month", "quarter", "year"])
def test_remembered_ticks_equal_iter_ticks(unit: str) -> None:
    rng = random.Random(unit)
    for _ in range(300):
        lo = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        hi = lo + dt.timedelta(days=rng.randrange(0, 400))
        sprint_start = rng.choice([None, dt.date(2025, 1, 6), dt.date(2026, 3, 4)])
        sprint_length = rng.choice([7, 10, 14, 21])
        week_start = rng.randrange(0, 7)
        limit = rng.choice([5000, 3])
        args = (unit, lo, hi, sprint_start, sprint_length, week_start, limit)
        assert render.ticks(*args) == list(dates.iter_ticks(*args))
        assert render.ticks(*args) == list(dates.iter_ticks(*args))  # from what it remembered
