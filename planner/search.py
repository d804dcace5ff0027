"""The search bar's predicate: text across the story fields, tags, status, lane, objective."""

from __future__ import annotations

from collections.abc import Iterable

from planner.model import Card
from planner.records import record

# Sentinel for "cards without an objective" / "cards without a lane" in the id sets.
NONE_ID = 0


def _frozen_ids(values: Iterable[int | None]) -> frozenset[int]:
    return frozenset(NONE_ID if v is None else v for v in values)


@record
class CardFilter:
    """Which cards match the search bar; every empty criterion matches everything."""

    text: str = ""
    tags: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    lanes: frozenset[int] = frozenset()
    objectives: frozenset[int] = frozenset()

    @classmethod
    def build(
        cls,
        text: str = "",
        tags: Iterable[str] = (),
        statuses: Iterable[str] = (),
        lanes: Iterable[int | None] = (),
        objectives: Iterable[int | None] = (),
    ) -> CardFilter:
        """A filter from loose values; None in lanes/objectives means 'none set'."""
        return cls(
            text=" ".join(text.split()),
            tags=frozenset(t.casefold() for t in tags),
            statuses=frozenset(statuses),
            lanes=_frozen_ids(lanes),
            objectives=_frozen_ids(objectives),
        )

    @property
    def active(self) -> bool:
        """True when the filter leaves some card out."""
        return bool(self.text or self.tags or self.statuses or self.lanes or self.objectives)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    def matches(self, card: Card) -> bool:
        """Whether the card passes every criterion (all words must occur somewhere)."""
        if self.statuses and card.status not in self.statuses:
            return False
        if self.lanes and (card.lane_id or NONE_ID) not in self.lanes:
            return False
        if self.objectives and (card.objective_id or NONE_ID) not in self.objectives:
            return False
        if self.tags and not any(t.casefold() in self.tags for t in card.tags):
            return False
        words = self.words
        if words:
            haystack = "\n".join(
                (card.title, card.as_a, card.i_want, card.so_that, card.description)
            ).casefold()
            return all(w in haystack for w in words)
        return True

    def filter(self, cards: Iterable[Card]) -> list[Card]:
        return [c for c in cards if self.matches(c)]
