"""A lens: what a saved view shows (filters, date window, precision) and how it colours cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from planner.model import STATUS_LABELS, Card, Lane, Objective, View
from planner.records import record

EVERYTHING = "Everything"

STATUS_COLORS = {
    "idea": "#9e9e9e",
    "planned": "#4e79a7",
    "in_progress": "#f28e2b",
    "done": "#59a14f",
    "dropped": "#b07aa1",
}
NO_VALUE_COLOR = "#8c8c8c"
_TAG_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                "#ff9da7", "#9c755f", "#5f8fb0", "#d37295", "#8cd17d")  # fmt: skip
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DEFAULT_FIELDS = ("title", "status", "estimate")
PRECISIONS = ("day", "month", "quarter", "nnl")
COLOR_BY = ("lane", "status", "tag", "objective")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    if day.month == 12:
        return day.replace(day=31)
    return dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    return month_end(dt.date(day.year, 3 * quarter_of(day), 1))


def _frozen(value: Any, kind: type = int) -> frozenset[Any] | None:
    """A set of ``kind`` values from a stored list; a damaged value keeps its good items."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, kind) and not isinstance(v, bool))


def _casefolded(tags: frozenset[str] | None) -> frozenset[str] | None:
    return None if tags is None else frozenset(t.casefold() for t in tags)


def _one_of(value: Any, choices: tuple[str, ...]) -> str:
    """A stored choice, or the first (default) one when the file holds something else."""
    return value if isinstance(value, str) and value in choices else choices[0]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@record
class Lens:
    """Filters, date window, precision and colouring of one saved view."""

    name: str = EVERYTHING
    lanes: frozenset[int] | None = None
    tags: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    objectives: frozenset[int] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    precision: str = "day"
    color_by: str = "lane"
    fields: tuple[str, ...] = DEFAULT_FIELDS
    hide_internal: bool = False

    @classmethod
    def from_view(cls, view: View | None) -> Lens:
        """The lens of a saved view; None gives the lens that shows everything."""
        if view is None:
            return cls()
        s = view.settings
        fields = s.get("fields")
        return cls(
            name=view.name,
            lanes=_frozen(s.get("lanes")),
            tags=_casefolded(_frozen(s.get("tags"), str)),
            statuses=_frozen(s.get("statuses"), str),
            objectives=_frozen(s.get("objectives")),
            date_from=_date(s.get("date_from")),
            date_to=_date(s.get("date_to")),
            precision=_one_of(s.get("precision"), PRECISIONS),
            color_by=_one_of(s.get("color_by"), COLOR_BY),
            fields=tuple(f for f in fields if isinstance(f, str))
            if isinstance(fields, list)
            else DEFAULT_FIELDS,
            hide_internal=bool(s.get("hide_internal", False)),
        )

    @property
    def fuzzy(self) -> bool:
        """True when exact days must not be shown."""
        return self.precision in ("month", "quarter", "nnl")

    def lane_visible(self, lane_id: int | None) -> bool:
        if self.lanes is None or lane_id is None:
            return True
        return lane_id in self.lanes

    def includes(self, card: Card) -> bool:
        """Whether the view shows this card (undated cards pass the date window)."""
        if self.hide_internal and card.internal:
            return False
        if self.lanes is not None and card.lane_id is not None and card.lane_id not in self.lanes:
            return False
        if self.statuses is not None and card.status not in self.statuses:
            return False
        if self.objectives is not None and card.objective_id not in self.objectives:
            return False
        if self.tags is not None and not any(t.casefold() in self.tags for t in card.tags):
            return False
        if card.start is not None and card.end is not None:
            lo, hi = min(card.start, card.end), max(card.start, card.end)
            if self.date_to is not None and lo > self.date_to:
                return False
            if self.date_from is not None and hi < self.date_from:
                return False
        return True

    def filter(self, cards: Iterable[Card]) -> list[Card]:
        return [c for c in cards if self.includes(c)]

    def display_dates(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
        """Bar dates at this precision: whole months or quarters, rounded outward."""
        if self.precision == "month":
            return month_start(start), month_end(end)
        if self.precision in ("quarter", "nnl"):
            return quarter_start(start), quarter_end(end)
        return start, end

    def format_date(self, day: dt.date) -> str:
        if self.precision == "month":
            return f"{MONTHS[day.month - 1]} {day.year}"
        if self.precision in ("quarter", "nnl"):
            return f"Q{quarter_of(day)} {day.year}"
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

    def format_range(self, start: dt.date | None, end: dt.date | None) -> str:
        """'3 Mar – 28 Apr 2026', 'Mar – Apr 2026' or 'Q1 – Q2 2026'; empty when undated."""
        if start is None or end is None:
            return ""
        a, b = self.format_date(start), self.format_date(end)
        if a == b:
            return a
        if start.year == end.year and a.endswith(f" {start.year}"):
            a = a[: -len(f" {start.year}")]
        return f"{a} – {b}"


def tag_color(tag: str) -> str:
    """A stable colour for a tag, the same in every window and export."""
    digest = _sha1_digest(tag.casefold().encode("utf-8"))
    return _TAG_PALETTE[digest[0] % len(_TAG_PALETTE)]


_sha1: Any = None


def _sha1_digest(data: bytes) -> bytes:
    """SHA-1 of ``data``: the built-in one, which loads faster at start-up than OpenSSL's."""
    global _sha1
    if _sha1 is None:
        try:
            from _sha1 import sha1
        except ImportError:  # a Python built without it
            from hashlib import sha1
        _sha1 = sha1
    return bytes(_sha1(data).digest())


def color_for(
    card: Card, lens: Lens, lanes: Mapping[int, Lane], objectives: Mapping[int, Objective]
) -> str:
    """The bar colour of a card under the lens's colour-by; a card's own colour wins by lane."""
    if lens.color_by == "status":
        return STATUS_COLORS.get(card.status, NO_VALUE_COLOR)
    if lens.color_by == "tag":
        return tag_color(card.tags[0]) if card.tags else NO_VALUE_COLOR
    if lens.color_by == "objective":
        o = objectives.get(card.objective_id) if card.objective_id is not None else None
        if o is None:
            return NO_VALUE_COLOR
        return o.color or tag_color(o.name)
    if card.color:
        return card.color
    lane = lanes.get(card.lane_id) if card.lane_id is not None else None
    return lane.color if lane else NO_VALUE_COLOR


def legend(
    lens: Lens,
    cards: Iterable[Card],
    lanes: Iterable[Lane],
    objectives: Iterable[Objective],
) -> list[tuple[str, str]]:
    """(label, colour) pairs explaining the colours of the cards this lens shows."""
    shown = [c for c in cards if lens.includes(c)]
    if lens.color_by == "status":
        used = {c.status for c in shown}
        return [(STATUS_LABELS[s], STATUS_COLORS[s]) for s in STATUS_COLORS if s in used]
    if lens.color_by == "tag":
        seen: dict[str, str] = {}
        for c in shown:
            if c.tags and c.tags[0].casefold() not in {k.casefold() for k in seen}:
                seen[c.tags[0]] = tag_color(c.tags[0])
        items = sorted(seen.items(), key=lambda kv: kv[0].casefold())
        if any(not c.tags for c in shown):
            items.append(("No tag", NO_VALUE_COLOR))
        return items
    if lens.color_by == "objective":
        used_ids = {c.objective_id for c in shown}
        items = [(o.name, o.color or tag_color(o.name)) for o in objectives if o.id in used_ids]
        if None in used_ids:
            items.append(("No objective", NO_VALUE_COLOR))
        return items
    used_lanes = {c.lane_id for c in shown}
    items = [(lane.name, lane.color) for lane in lanes
             if lane.id in used_lanes and lens.lane_visible(lane.id)]  # fmt: skip
    if None in used_lanes:
        items.append(("No lane", NO_VALUE_COLOR))
    return items


class LegendTally:
    """``legend`` kept up to date card by card: how many shown cards use each colour.

    An edit changes a few cards; recounting them instead of every card keeps the legend's
    cost per edit independent of the roadmap's size. ``items`` equals ``legend`` over the
    same cards in the order they were first given.
    """

    def __init__(self, lens: Lens, cards: Iterable[Card] = ()) -> None:
        self.lens = lens
        self._order: dict[int, int] = {}  # card id -> place in the card order
        self._next = 0
        self._key: dict[int, Any] = {}  # card id -> its colour key, for the cards shown
        self._count: dict[Any, int] = {}
        # By tag: the spellings of each casefolded first tag, and the one shown (the first).
        self._spellings: dict[str, dict[int, tuple[int, str]]] = {}
        self._labels: dict[str, str] = {}
        # A first count (every card of a roadmap as it opens) in one pass: the same as a put
        # of each card, without the per-card forgetting a recount needs.
        order, keys, count = self._order, self._key, self._count
        includes, key_of = lens.includes, self._key_of
        by_tag = lens.color_by == "tag"
        everything = (not lens.hide_internal and lens.lanes is None and lens.statuses is None
                      and lens.objectives is None and lens.tags is None
                      and lens.date_from is None and lens.date_to is None)  # fmt: skip
        by_lane = lens.color_by not in ("status", "tag", "objective")
        for card in cards:
            card_id = card.id
            if card_id in order or by_tag:  # given twice, or spellings to keep: one by one
                self.put(card)
                continue
            order[card_id] = self._next
            self._next += 1
            if everything or includes(card):
                key = keys[card_id] = card.lane_id if by_lane else key_of(card)
                count[key] = count.get(key, 0) + 1

    def _key_of(self, card: Card) -> Any:
        by = self.lens.color_by
        if by == "status":
            return card.status
        if by == "tag":
            return card.tags[0].casefold() if card.tags else None
        if by == "objective":
            return card.objective_id
        return card.lane_id

    def put(self, card: Card) -> None:
        """Count a new or changed card (a new one goes last in the order)."""
        self._forget(card.id)
        order = self._order.setdefault(card.id, self._next)
        if order == self._next:
            self._next += 1
        if not self.lens.includes(card):
            return
        key = self._key_of(card)
        self._key[card.id] = key
        self._count[key] = self._count.get(key, 0) + 1
        if self.lens.color_by == "tag" and key is not None:
            self._spellings.setdefault(key, {})[card.id] = (order, card.tags[0])
            self._labels.pop(key, None)

    def remove(self, card_id: int) -> None:
        """Stop counting a card that is gone."""
        self._forget(card_id)
        self._order.pop(card_id, None)

    def _forget(self, card_id: int) -> None:
        if card_id not in self._key:
            return
        key = self._key.pop(card_id)
        left = self._count[key] - 1
        if left:
            self._count[key] = left
        else:
            del self._count[key]
        spellings = self._spellings.get(key)
        if spellings is not None:
            spellings.pop(card_id, None)
            self._labels.pop(key, None)
            if not spellings:
                del self._spellings[key]

    def _label(self, key: str) -> str:
        label = self._labels.get(key)
        if label is None:
            label = min(self._spellings[key].values())[1]
            self._labels[key] = label
        return label

    def items(
        self, lanes: Iterable[Lane], objectives: Iterable[Objective]
    ) -> list[tuple[str, str]]:
        """(label, colour) pairs, as ``legend`` gives them."""
        used = self._count
        by = self.lens.color_by
        if by == "status":
            return [(STATUS_LABELS[s], STATUS_COLORS[s]) for s in STATUS_COLORS if s in used]
        if by == "tag":
            labels = [self._label(k) for k in used if k is not None]
            items = [(t, tag_color(t)) for t in sorted(labels, key=str.casefold)]
            if None in used:
                items.append(("No tag", NO_VALUE_COLOR))
            return items
        if by == "objective":
            items = [(o.name, o.color or tag_color(o.name)) for o in objectives if o.id in used]
            if None in used:
                items.append(("No objective", NO_VALUE_COLOR))
            return items
        items = [(lane.name, lane.color) for lane in lanes
                 if lane.id in used and self.lens.lane_visible(lane.id)]  # fmt: skip
        if None in used:
            items.append(("No lane", NO_VALUE_COLOR))
        return items
