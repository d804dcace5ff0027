"""Cards that join a lane after every other (a big roadmap read by date) are stacked on from
where the last pass ended; the rows stay those of a full re-stack whatever comes between."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from planner.layout import row_count, stack_rows
from ui.timeline.stacking import LaneStack

DAY0 = dt.date(2026, 1, 1)


@pytest.mark.parametrize("seed", range(20))
def test_joining_at_the_end_between_other_edits_equals_a_full_restack(seed: int) -> None:
    rng = random.Random(seed)
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    stack = LaneStack([])
    next_id, day = 1, 0
    for _ in range(80):
        change: dict[int, tuple[dt.date, dt.date] | None] = {}
        roll = rng.random()
        if roll < 0.6 or not spans:  # a chunk that starts on or after the last start
            for _ in range(rng.choice([1, 3, 20, 60])):
                day += rng.choice([0, 0, 1, 2])
                start = DAY0 + dt.timedelta(days=day)
                end = start + dt.timedelta(days=rng.choice([0, 1, 5, 14, 60]))
                spans[next_id] = change[next_id] = (start, end)
                next_id += 1
        elif roll < 0.8:  # a card moves
            cid = rng.choice(list(spans))
            s, e = spans[cid]
            shift = dt.timedelta(days=rng.randrange(-30, 31))
            spans[cid] = change[cid] = (s + shift, e + shift)
        else:  # a card leaves (maybe the last one)
            cid = max(spans, key=lambda c: spans[c]) if rng.random() < 0.5 else rng.choice(
                list(spans))
            del spans[cid]
            change[cid] = None
        stack.update(change)
        full = stack_rows((cid, s, e) for cid, (s, e) in spans.items())
        assert stack.rows == full
        assert stack.count == row_count(full)
