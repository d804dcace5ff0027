"""Checks on values before they reach the file; each failure is a ValidationError."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from planner.errors import ValidationError
from planner.model import (
    DATE_CONFIDENCES,
    KINDS,
    MAX_DATE,
    MILESTONE_KINDS,
    MIN_DATE,
    PRIORITIES,
    STATUSES,
    Criterion,
)

TITLE_LIMIT = 1_000
TEXT_LIMIT = 2_000_000
TAG_LIMIT = 100
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

VIEW_KEYS = {
    "lanes": "list of lane ids to show (absent or null: all)",
    "tags": "list of tags; a card shows when it has any of them (absent or null: all)",
    "statuses": "list of statuses to show (absent or null: all)",
    "objectives": "list of objective ids (absent or null: all)",
    "date_from": "first day shown, YYYY-MM-DD, or null",
    "date_to": "last day shown, YYYY-MM-DD, or null",
    "precision": "day, month, quarter or nnl (Now / Next / Later)",
    "color_by": "lane, status, tag or objective",
    "fields": "card fields shown on bars: any of title, status, estimate, owner, dates, tags",
    "hide_internal": "true to leave out cards flagged internal",
}
PRECISIONS = ("day", "month", "quarter", "nnl")
COLOR_BY = ("lane", "status", "tag", "objective")
CARD_BAR_FIELDS = ("title", "status", "estimate", "owner", "dates", "tags")


def is_color(value: str) -> bool:
    return bool(_COLOR.fullmatch(value))


def title(value: object, what: str = "Title") -> str:
    """A non-empty single-line name of reasonable length."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text")
    text = value.strip()
    if not text:
        raise ValidationError(f"{what} cannot be empty")
    if len(text) > TITLE_LIMIT:
        raise ValidationError(
            f"{what} is too long ({len(text):,} characters; at most {TITLE_LIMIT:,})"
        )
    if "\x00" in text:
        raise ValidationError(f"{what} cannot contain a NUL character")
    return text


def text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text")
    if len(value) > TEXT_LIMIT:
        raise ValidationError(f"{what} is too long ({len(value):,} characters)")
    if "\x00" in value:
        raise ValidationError(f"{what} cannot contain a NUL character")
    return value


def date(value: object, what: str, optional: bool = True) -> dt.date | None:
    if value is None:
        if optional:
            return None
        raise ValidationError(f"{what} is required")
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"{what} must be a calendar date")
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(
            f"{what} {value.isoformat()} is out of range (1900-01-01 to 2199-12-31)"
        )
    return value


def number(value: object, what: str, low: float | None = 0.0, high: float | None = None,
           ) -> float | None:  # fmt: skip
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{what} must be a number")
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        raise ValidationError(f"{what} must be a finite number")
    if low is not None and result < low:
        raise ValidationError(f"{what} cannot be below {low:g}")
    if high is not None and result > high:
        raise ValidationError(f"{what} cannot be above {high:g}")
    return result


def choice(value: object, options: tuple[str, ...], what: str, optional: bool = False,
           ) -> str | None:  # fmt: skip
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in options:
        raise ValidationError(f"{what} must be one of: {', '.join(options)}")
    return value


def color(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not is_color(value):
        raise ValidationError("A colour is written #rrggbb, for example #4e79a7")
    return value.lower()


def boolean(value: object, what: str) -> bool:
    if not isinstance(value, bool | int) or value not in (0, 1):
        raise ValidationError(f"{what} must be true or false")
    return bool(value)


def ref(value: object, known: set[int], what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} must be an id")
    if value not in known:
        raise ValidationError(f"There is no {what.lower()} {value}")
    return value


def tags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValidationError("Tags must be a list of words")
    result: list[str] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("Each tag must be text")
        tag = " ".join(item.split())
        if not tag:
            continue
        if len(tag) > TAG_LIMIT:
            raise ValidationError(f"A tag is at most {TAG_LIMIT} characters")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return tuple(result)


def criteria(value: object) -> tuple[Criterion, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError("Acceptance criteria must be a list")
    result = []
    for item in value:
        if isinstance(item, Criterion):
            crit = item
        elif isinstance(item, Mapping):
            crit = Criterion(str(item.get("text", "")), bool(item.get("done", False)))
        elif isinstance(item, list | tuple) and item and isinstance(item[0], str):
            crit = Criterion(item[0], bool(item[1]) if len(item) > 1 else False)
        elif isinstance(item, str):
            crit = Criterion(item)
        else:
            raise ValidationError("Each acceptance criterion is a text with a done flag")
        if not crit.text.strip():
            continue
        result.append(Criterion(text(crit.text, "A criterion").strip(), crit.done))
    return tuple(result)


def card_fields(fields: dict[str, Any], lanes: set[int], objectives: set[int],
                creating: bool) -> dict[str, Any]:  # fmt: skip
    """Validate card fields given by name; returns values ready for a Card."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            out["title"] = title(value)
        elif key == "lane_id":
            out["lane_id"] = ref(value, lanes, "Lane")
        elif key in ("start", "end"):
            out[key] = date(value, "Start date" if key == "start" else "End date")
        elif key == "kind":
            out["kind"] = choice(value, KINDS, "Kind")
        elif key == "status":
            out["status"] = choice(value, STATUSES, "Status")
        elif key in ("as_a", "i_want", "so_that", "description", "owner", "link", "hypothesis",
                     "measure"):  # fmt: skip
            out[key] = text(value, key.replace("_", " ").capitalize())
            if key in ("owner", "link") and len(out[key]) > TITLE_LIMIT:
                raise ValidationError(f"{key.capitalize()} is too long")
        elif key == "criteria":
            out["criteria"] = criteria(value)
        elif key == "estimate":
            out["estimate"] = number(value, "Estimate", 0, 10_000)
        elif key == "priority":
            out["priority"] = choice(value, PRIORITIES, "Priority", optional=True)
        elif key == "reach":
            out["reach"] = number(value, "Reach", 0, 1e12)
        elif key == "impact":
            out["impact"] = number(value, "Impact", 0, 100)
        elif key == "confidence":
            out["confidence"] = number(value, "Confidence", 0, 100)
        elif key == "effort":
            out["effort"] = number(value, "Effort", 0, 1e6)
        elif key == "date_confidence":
            out["date_confidence"] = choice(value, DATE_CONFIDENCES, "Date confidence", True)
        elif key == "tags":
            out["tags"] = tags(value)
        elif key == "color":
            out["color"] = color(value)
        elif key == "objective_id":
            out["objective_id"] = ref(value, objectives, "Objective")
        elif key == "internal":
            out["internal"] = boolean(value, "Internal")
        elif key == "external_key":
            if value is not None and (not isinstance(value, str) or len(value) > 200):
                raise ValidationError("The external key must be a short text")
            out["external_key"] = value or None
        elif key == "position":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("Position must be a whole number")
            out["position"] = value
        else:
            raise ValidationError(f"A card has no field {key!r}")
    if creating:
        if "title" not in out:
            raise ValidationError("A card needs a title")
        start, end = out.get("start"), out.get("end")
        if (start is None) != (end is None):
            raise ValidationError("A card needs both a start and an end date, or neither (backlog)")
    if out.get("start") and out.get("end") and out["end"] < out["start"]:
        raise ValidationError(
            f"The end date ({out['end']}) is before the start date ({out['start']})"
        )
    return out


def milestone_fields(fields: dict[str, Any], lanes: set[int], creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            out["title"] = title(value, "Milestone title")
        elif key == "date":
            out["date"] = date(value, "Milestone date", optional=False)
        elif key == "lane_id":
            out["lane_id"] = ref(value, lanes, "Lane")
        elif key == "kind":
            out["kind"] = choice(value, MILESTONE_KINDS, "Milestone kind")
        elif key == "color":
            out["color"] = color(value)
        else:
            raise ValidationError(f"A milestone has no field {key!r}")
    if creating and ("title" not in out or "date" not in out):
        raise ValidationError("A milestone needs a title and a date")
    return out


def objective_fields(fields: Mapping[str, Any], creating: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "name":
            out["name"] = title(value, "Objective name")
        elif key == "metric":
            out["metric"] = text(value, "Metric") or None
        elif key in ("baseline", "target", "current"):
            out[key] = number(value, key.capitalize(), low=None)
        elif key == "color":
            out["color"] = color(value)
        else:
            raise ValidationError(f"An objective has no field {key!r}")
    if creating and "name" not in out:
        raise ValidationError("An objective needs a name")
    return out


def info_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            out["title"] = title(value, "Roadmap title")
        elif key in ("horizon_start", "horizon_end", "sprint_start"):
            out[key] = date(value, key.replace("_", " ").capitalize())
        elif key == "week_start":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
                raise ValidationError("Week start is a day number, 0 (Monday) to 6 (Sunday)")
            out[key] = value
        elif key == "sprint_length":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                raise ValidationError("Sprint length is a number of days from 1 to 365")
            out[key] = value
        elif key in ("now_weeks", "next_weeks"):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 520:
                raise ValidationError("Horizons are a number of weeks from 0 to 520")
            out[key] = value
        else:
            raise ValidationError(f"The roadmap has no setting {key!r}")
    return out


def view_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a saved view's settings; unknown keys are refused."""
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in VIEW_KEYS:
            raise ValidationError(f"A view has no setting {key!r}")
        if value is None:
            out[key] = None
        elif key in ("lanes", "objectives"):
            if not isinstance(value, list | tuple) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in value
            ):
                raise ValidationError(f"The view's {key} must be a list of ids")
            out[key] = list(value)
        elif key == "tags":
            out[key] = list(tags(value))
        elif key == "statuses":
            if not isinstance(value, list | tuple) or any(v not in STATUSES for v in value):
                raise ValidationError(f"The view's statuses must be among {', '.join(STATUSES)}")
            out[key] = list(value)
        elif key in ("date_from", "date_to"):
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    raise ValidationError(f"The view's {key} must be a date YYYY-MM-DD") from None
            day = date(value, "The view's " + key.replace("_", " "))
            out[key] = day.isoformat() if day else None
        elif key == "precision":
            out[key] = choice(value, PRECISIONS, "Date precision")
        elif key == "color_by":
            out[key] = choice(value, COLOR_BY, "Colour by")
        elif key == "fields":
            if not isinstance(value, list | tuple) or any(v not in CARD_BAR_FIELDS for v in value):
                raise ValidationError(f"Card fields are among {', '.join(CARD_BAR_FIELDS)}")
            out[key] = list(value)
        elif key == "hide_internal":
            out[key] = boolean(value, "Hide internal")
    if out.get("date_from") and out.get("date_to") and out["date_to"] < out["date_from"]:
        raise ValidationError("The view's date window ends before it starts")
    return out
