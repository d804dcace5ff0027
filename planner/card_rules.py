"""Rules the card editor, backlog and list share: RICE explained, dates set or cleared."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.model import Card

# Default length of a newly scheduled card, by kind (days, inclusive of the start day).
DEFAULT_DAYS = {"initiative": 90, "epic": 42, "feature": 14, "story": 5}


def fmt_number(value: float) -> str:
    """A number without a needless .0, with thousands separators."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def rice_explanation(
    reach: float | None, impact: float | None, confidence: float | None, effort: float | None
) -> tuple[float | None, str]:
    """The RICE score and one line explaining it (or why there is none)."""
    missing = [name for name, v in (("reach", reach), ("impact", impact),
                                    ("confidence", confidence), ("effort", effort)) if v is None]
    if missing:
        return None, "Fill in " + ", ".join(missing) + " to compute the RICE score."
    assert reach is not None and impact is not None and confidence is not None
    assert effort is not None
    if effort <= 0:
        return None, "Effort is 0: the score divides by effort, so set an effort above 0."
    score = reach * impact * (confidence / 100.0) / effort
    line = (f"{fmt_number(reach)} reach × {fmt_number(impact)} impact × "
            f"{fmt_number(confidence)}% confidence ÷ {fmt_number(effort)} effort "
            f"= {fmt_number(round(score, 2))}")  # fmt: skip
    return score, line


def default_end(start: dt.date, kind: str, days: int | None = None) -> dt.date:
    """The last day of a card of this kind starting on ``start`` (``days`` long, inclusive)."""
    return start + dt.timedelta(days=max(1, days or DEFAULT_DAYS.get(kind, 14)) - 1)


def date_change(
    card: Card, which: str, value: dt.date | None, days: int | None = None
) -> dict[str, Any]:
    """Fields to store when one date is set or cleared: a card has both dates or neither."""
    if value is None:
        return {"start": None, "end": None}
    length = max(1, days or DEFAULT_DAYS.get(card.kind, 14))
    if which == "start":
        if card.end is None:
            return {"start": value, "end": value + dt.timedelta(days=length - 1)}
        return {"start": value}
    if card.start is None:
        return {"start": value - dt.timedelta(days=length - 1), "end": value}
    return {"end": value}
