"""Now / Next / Later: bucketing cards by their start date relative to today.

Now holds what has started or starts within ``now_weeks`` (never empty of today itself);
Next holds what starts in the ``next_weeks`` after that; Later holds the rest. Undated
cards are Unscheduled, never hidden.
"""

from __future__ import annotations

import datetime as dt

from planner.errors import ValidationError
from planner.model import MAX_DATE, MIN_DATE, Card

NOW, NEXT, LATER, UNSCHEDULED = "now", "next", "later", "unscheduled"
BUCKETS = (NOW, NEXT, LATER, UNSCHEDULED)
BUCKET_LABELS = {NOW: "Now", NEXT: "Next", LATER: "Later", UNSCHEDULED: "Unscheduled"}
# Length given to an undated card dropped into a dated bucket: two working weeks.
DEFAULT_DAYS = 12


def horizons(today: dt.date, now_weeks: int, next_weeks: int) -> tuple[dt.date, dt.date]:
    """First day of Next and first day of Later (Next is empty when they are equal)."""
    # Clamped so a damaged file's horizon cannot overflow the calendar.
    now_weeks, next_weeks = min(max(0, now_weeks), 5200), min(max(0, next_weeks), 5200)
    next_start = today + dt.timedelta(days=max(1, 7 * now_weeks))
    later_start = next_start + dt.timedelta(days=7 * next_weeks)
    return next_start, later_start


def bucket_of_date(start: dt.date, today: dt.date, now_weeks: int, next_weeks: int) -> str:
    """The bucket of a card starting on ``start``."""
    next_start, later_start = horizons(today, now_weeks, next_weeks)
    if start < next_start:
        return NOW
    if start < later_start:
        return NEXT
    return LATER


def bucket_for(card: Card, today: dt.date, now_weeks: int, next_weeks: int) -> str:
    """now, next, later or unscheduled for a card, by its start date."""
    if card.start is None or card.end is None:
        return UNSCHEDULED
    return bucket_of_date(min(card.start, card.end), today, now_weeks, next_weeks)


def dates_for_bucket(
    card: Card, bucket: str, today: dt.date, now_weeks: int, next_weeks: int
) -> tuple[dt.date | None, dt.date | None]:
    """New (start, end) that put the card in ``bucket``, keeping its duration.

    A card already in the bucket keeps its dates; it lands on the first day of the bucket
    otherwise. Raises ValidationError when the bucket is empty or the dates would overflow.
    """
    if bucket not in BUCKETS:
        raise ValidationError(f"There is no bucket {bucket!r}")
    if bucket == UNSCHEDULED:
        return None, None
    if bucket_for(card, today, now_weeks, next_weeks) == bucket:
        return card.start, card.end
    next_start, later_start = horizons(today, now_weeks, next_weeks)
    if bucket == NEXT and next_start >= later_start:
        raise ValidationError("Next is empty: its horizon is zero weeks")
    if card.start is not None and card.end is not None:
        duration = abs((card.end - card.start).days)
    else:
        duration = DEFAULT_DAYS - 1
    start = {NOW: today, NEXT: next_start, LATER: later_start}[bucket]
    if start < MIN_DATE or (MAX_DATE - start).days < duration:
        raise ValidationError("The card would end after the last date a roadmap can hold")
    return start, start + dt.timedelta(days=duration)


def bucket_label(start: dt.date | None, today: dt.date, now_weeks: int, next_weeks: int) -> str:
    """'Now', 'Next', 'Later' or 'Unscheduled' for a start date (None when undated)."""
    if start is None:
        return BUCKET_LABELS[UNSCHEDULED]
    return BUCKET_LABELS[bucket_of_date(start, today, now_weeks, next_weeks)]
