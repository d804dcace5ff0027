"""Timeline layout: date <-> x are inverse at every zoom, stacking never overlaps two cards."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.layout import (
    ROW_HEIGHT,
    TimeScale,
    card_y,
    lane_at,
    lane_boxes,
    lane_height,
    row_count,
    stack_rows,
    zoom_keeping,
)

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))
zooms = st.floats(min_value=0.05, max_value=200.0, allow_nan=False)


@given(days, days, zooms)
def test_x_for_date_and_date_at_are_inverse(origin, day, ppd):
    scale = TimeScale(origin, ppd)
    x = scale.x_for_date(day)
    assert scale.date_at(x) == day
    assert scale.date_at(x + ppd * 0.999) == day
    assert scale.nearest_date(x) == day


@given(days, days, zooms, zooms, st.floats(min_value=-1e5, max_value=1e5))
def test_zoom_keeps_the_date_under_x(origin, day, a, b, x):
    old = TimeScale(origin, a)
    new, new_x = zoom_keeping(old, b, x)
    assert abs(new.days_at(new_x) - old.days_at(x)) < 1e-6


cards = st.lists(
    st.tuples(days, st.integers(min_value=-5, max_value=60)), min_size=0, max_size=60
)


@given(cards)
def test_stacking_never_overlaps_two_cards(raw):
    items = [(i, s, s + dt.timedelta(days=n)) for i, (s, n) in enumerate(raw)]
    rows = stack_rows(items)
    assert set(rows) == {i for i, _, _ in items}
    by_row: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for i, s, e in items:
        by_row.setdefault(rows[i], []).append((min(s, e), max(s, e)))
    for spans in by_row.values():
        spans.sort()
        for (_, a_end), (b_start, _) in zip(spans, spans[1:]):
            assert a_end < b_start
    assert row_count(rows) <= max(1, len(items))


def test_stacking_uses_as_few_rows_as_the_busiest_day():
    d = dt.date(2026, 1, 1)
    same_day = [(i, d, d) for i in range(500)]
    assert row_count(stack_rows(same_day)) == 500
    chain = [(i, d + dt.timedelta(days=3 * i), d + dt.timedelta(days=3 * i + 2)) for i in range(9)]
    assert row_count(stack_rows(chain)) == 1


def test_lanes_grow_with_their_rows():
    boxes = lane_boxes([(1, 1, False), (2, 4, False), (3, 9, True)], top=10)
    assert boxes[0].top == 10
    assert boxes[1].top == boxes[0].bottom
    assert boxes[1].height == lane_height(4) > boxes[0].height
    assert boxes[2].height < boxes[0].height
    assert lane_at(boxes, boxes[1].top + 1) == boxes[1]
    assert lane_at(boxes, -100) == boxes[0]
    assert lane_at(boxes, 1e9) == boxes[2]
    assert card_y(boxes[1], 1) - card_y(boxes[1], 0) == ROW_HEIGHT


def test_a_lane_with_milestones_has_a_strip_above_its_first_row():
    plain, marked = lane_boxes([(1, 2, False), (2, 2, False, True)], top=0)
    assert marked.strip > 0 and plain.strip == 0
    assert marked.height == plain.height + marked.strip
    assert card_y(marked, 0) - marked.top == card_y(plain, 0) - plain.top + marked.strip
    collapsed = lane_boxes([(3, 2, True, True)])[0]
    assert collapsed.strip == 0
