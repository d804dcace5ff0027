"""Pure timeline layout: date <-> x, stacking overlapping cards into rows, lane heights."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Mapping, Sequence

from planner.dates import add_days
from planner.records import record

# Geometry in pixels at scale 1 (the screen multiplies by its device pixel ratio).
ROW_HEIGHT = 30
BAR_HEIGHT = 24
LANE_PADDING = 8
MIN_LANE_HEIGHT = 46
COLLAPSED_HEIGHT = 28
# Room at the top of a lane that holds milestones: their labels sit there, above the bars.
MILESTONE_ROW = 14
MIN_PX_PER_DAY = 0.05
MAX_PX_PER_DAY = 200.0
ZOOM_PRESETS = {"weeks": 24.0, "months": 6.0, "quarters": 2.0, "year": 0.9}
_EPS = 1e-7


@record
class TimeScale:
    """Maps calendar dates to x and back: x = days since ``origin`` x ``px_per_day``."""

    origin: dt.date
    px_per_day: float

    def x_for_date(self, day: dt.date) -> float:
        """The x of the start of ``day`` (its left edge)."""
        return (day - self.origin).days * self.px_per_day

    def x_after(self, day: dt.date) -> float:
        """The x where ``day`` ends (an inclusive end date's right edge)."""
        return ((day - self.origin).days + 1) * self.px_per_day

    def days_at(self, x: float) -> float:
        """Fractional days since the origin at ``x``."""
        return x / self.px_per_day

    def date_at(self, x: float) -> dt.date:
        """The date whose day holds ``x``."""
        return add_days(self.origin, math.floor(x / self.px_per_day + _EPS))

    def nearest_date(self, x: float) -> dt.date:
        """The date whose left edge is nearest to ``x`` (a day boundary)."""
        return add_days(self.origin, math.floor(x / self.px_per_day + 0.5))

    def with_zoom(self, px_per_day: float) -> TimeScale:
        return TimeScale(self.origin, clamp_zoom(px_per_day))


def clamp_zoom(px_per_day: float) -> float:
    if not math.isfinite(px_per_day):
        return ZOOM_PRESETS["months"]
    return min(max(px_per_day, MIN_PX_PER_DAY), MAX_PX_PER_DAY)


def zoom_keeping(old: TimeScale, new_px_per_day: float, x: float) -> tuple[TimeScale, float]:
    """Zoom around ``x``: the new scale and the x where the same instant now lies."""
    days = old.days_at(x)
    new = old.with_zoom(new_px_per_day)
    return new, days * new.px_per_day


def fit_zoom(lo: dt.date, hi: dt.date, width: float) -> float:
    """The zoom showing [lo, hi] (inclusive) in ``width`` pixels."""
    days = max(1, (hi - lo).days + 1)
    return clamp_zoom(max(1.0, width) / days)


def span(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Dates in order; a card whose end is before its start occupies the same days reversed."""
    return (start, end) if start <= end else (end, start)


def stack_rows(cards: Iterable[tuple[int, dt.date, dt.date]]) -> dict[int, int]:
    """Rows for cards in one lane so that no two overlapping cards share a row.

    Each card is (id, start, end) with an inclusive end. Cards are placed by start date into the
    lowest free row, so the lane is as short as the busiest day allows.
    """
    items = sorted((span(s, e) + (cid,) for cid, s, e in cards))
    rows: dict[int, int] = {}
    busy: list[tuple[dt.date, int]] = []  # (end, row) of cards still running
    free: list[int] = []
    count = 0
    for start, end, cid in items:
        while busy and busy[0][0] < start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        else:
            row = count
            count += 1
        rows[cid] = row
        heapq.heappush(busy, (end, row))
    return rows


def row_count(rows: Mapping[int, int]) -> int:
    return max(rows.values(), default=-1) + 1


def lane_height(rows: int, collapsed: bool = False, strip: float = 0.0) -> float:
    """Height of a lane holding ``rows`` rows of cards below a milestone strip of ``strip``."""
    if collapsed:
        return COLLAPSED_HEIGHT
    return max(MIN_LANE_HEIGHT, strip + 2 * LANE_PADDING + max(1, rows) * ROW_HEIGHT)


@record
class LaneBox:
    """Where a lane sits: its top y and height."""

    lane_id: int
    top: float
    height: float
    strip: float = 0.0  # room for milestone labels above the first row

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def rows_top(self) -> float:
        """The top y of the first row of cards."""
        return self.top + self.strip + LANE_PADDING


def lane_boxes(
    lanes: Sequence[tuple[int, int, bool] | tuple[int, int, bool, bool]], top: float = 0.0
) -> list[LaneBox]:
    """Stack lanes (id, rows, collapsed[, has milestones]) from ``top`` down, each as tall as
    its rows need; a lane with milestones gets a strip above its rows for their labels."""
    result = []
    y = top
    for spec in lanes:
        lane_id, rows, collapsed = spec[0], spec[1], spec[2]
        strip = MILESTONE_ROW if len(spec) > 3 and spec[3] and not collapsed else 0.0
        h = lane_height(rows, collapsed, strip)
        result.append(LaneBox(lane_id, y, h, strip))
        y += h
    return result


def card_y(box: LaneBox, row: int) -> float:
    """The top y of a bar in ``row`` of a lane."""
    return box.rows_top + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2


def row_at(box: LaneBox, y: float) -> int:
    return max(0, int((y - box.rows_top) // ROW_HEIGHT))


def lane_at(boxes: Sequence[LaneBox], y: float) -> LaneBox | None:
    """The lane holding ``y``; above the first gives the first, below the last gives the last."""
    if not boxes:
        return None
    if y < boxes[0].top:
        return boxes[0]
    lo, hi = 0, len(boxes) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if boxes[mid].top <= y:
            lo = mid
        else:
            hi = mid - 1
    return boxes[lo]
