"""Now / Next / Later bucketing as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.buckets import (
    BUCKETS,
    LATER,
    NEXT,
    NOW,
    UNSCHEDULED,
    bucket_for,
    dates_for_bucket,
    horizons,
)
from planner.errors import ValidationError
from planner.model import Card

TODAY = dt.date(2026, 11, 25)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
weeks = st.integers(min_value=0, max_value=520)


@st.composite
def cards(draw: st.DrawFn) -> Card:
    if draw(st.booleans()):
        return Card(id=1, title="Undated")
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=800))
    return Card(id=1, title="Dated", start=start, end=start + dt.timedelta(days=length))


def test_examples_with_default_horizons() -> None:
    def card(start: dt.date) -> Card:
        return Card(id=1, title="x", start=start, end=start + dt.timedelta(days=10))

    assert bucket_for(card(TODAY - dt.timedelta(days=100)), TODAY, 6, 26) == NOW
    assert bucket_for(card(TODAY), TODAY, 6, 26) == NOW
    assert bucket_for(card(TODAY + dt.timedelta(weeks=6, days=-1)), TODAY, 6, 26) == NOW
    assert bucket_for(card(TODAY + dt.timedelta(weeks=6)), TODAY, 6, 26) == NEXT
    assert bucket_for(card(TODAY + dt.timedelta(weeks=32, days=-1)), TODAY, 6, 26) == NEXT
    assert bucket_for(card(TODAY + dt.timedelta(weeks=32)), TODAY, 6, 26) == LATER
    assert bucket_for(Card(id=1, title="x"), TODAY, 6, 26) == UNSCHEDULED
    assert bucket_for(Card(id=1, title="x", start=TODAY), TODAY, 6, 26) == UNSCHEDULED


def test_today_is_always_now_even_with_a_zero_horizon() -> None:
    card = Card(id=1, title="x", start=TODAY, end=TODAY)
    assert bucket_for(card, TODAY, 0, 0) == NOW


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(cards(), days, weeks, weeks)
def test_every_card_has_exactly_one_bucket(card: Card, today: dt.date, now: int, nxt: int) -> None:
    assert bucket_for(card, today, now, nxt) in BUCKETS
    assert (bucket_for(card, today, now, nxt) == UNSCHEDULED) == (not card.scheduled)


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(days, days, weeks, weeks)
def test_buckets_follow_the_start_date_in_order(a: dt.date, b: dt.date, now: int, nxt: int) -> None:
    order = {NOW: 0, NEXT: 1, LATER: 2}
    lo, hi = min(a, b), max(a, b)
    card_lo = Card(id=1, title="lo", start=lo, end=lo)
    card_hi = Card(id=2, title="hi", start=hi, end=hi)
    lo_bucket = bucket_for(card_lo, TODAY, now, nxt)
    hi_bucket = bucket_for(card_hi, TODAY, now, nxt)
    assert order[lo_bucket] <= order[hi_bucket]


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(cards(), st.sampled_from(BUCKETS), days, weeks, weeks)
def test_moving_to_a_bucket_lands_there_and_keeps_the_duration(
    card: Card, bucket: str, today: dt.date, now: int, nxt: int
) -> None:
    if bucket == NEXT and nxt == 0:
        with pytest.raises(ValidationError):
            dates_for_bucket(card, bucket, today, now, nxt)
        return
    start, end = dates_for_bucket(card, bucket, today, now, nxt)
    moved = Card(id=1, title="moved", start=start, end=end)
    assert bucket_for(moved, today, now, nxt) == bucket
    if bucket != UNSCHEDULED and card.scheduled:
        assert card.start is not None and card.end is not None
        assert start is not None and end is not None
        assert end - start == card.end - card.start


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(cards(), days, weeks, weeks)
def test_a_card_dropped_on_its_own_bucket_keeps_its_dates(
    card: Card, today: dt.date, now: int, nxt: int
) -> None:
    bucket = bucket_for(card, today, now, nxt)
    assert dates_for_bucket(card, bucket, today, now, nxt) == (card.start, card.end)


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(days, weeks, weeks)
def test_horizons_are_ordered(today: dt.date, now: int, nxt: int) -> None:
    next_start, later_start = horizons(today, now, nxt)
    assert today < next_start <= later_start
    assert (later_start - next_start).days == 7 * nxt


def test_a_moved_card_lands_on_the_first_day_of_the_bucket() -> None:
    card = Card(id=1, title="x", start=TODAY + dt.timedelta(weeks=100),
                end=TODAY + dt.timedelta(weeks=100, days=4))  # fmt: skip
    assert dates_for_bucket(card, NOW, TODAY, 6, 26) == (TODAY, TODAY + dt.timedelta(days=4))
    nxt = TODAY + dt.timedelta(weeks=6)
    assert dates_for_bucket(card, NEXT, TODAY, 6, 26) == (nxt, nxt + dt.timedelta(days=4))


def test_an_undated_card_gets_a_default_length() -> None:
    start, end = dates_for_bucket(Card(id=1, title="x"), NOW, TODAY, 6, 26)
    assert start == TODAY and end is not None and (end - start).days == 11


def test_a_damaged_horizon_does_not_overflow() -> None:
    card = Card(id=1, title="x", start=TODAY, end=TODAY)
    assert bucket_for(card, TODAY, 10**12, 10**12) == NOW
    with pytest.raises(ValidationError):
        dates_for_bucket(card, LATER, TODAY, 10**12, 10**12)
