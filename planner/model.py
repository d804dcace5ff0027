"""Value types of a roadmap: plain dataclasses, no Qt and no SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Any

from planner.records import record

KINDS = ("initiative", "epic", "feature", "story")
STATUSES = ("idea", "planned", "in_progress", "done", "dropped")
STATUS_LABELS = {
    "idea": "Idea",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
PRIORITIES = ("must", "should", "could", "wont")
PRIORITY_LABELS = {"must": "Must", "should": "Should", "could": "Could", "wont": "Won't"}
DATE_CONFIDENCES = ("low", "medium", "high")
MILESTONE_KINDS = ("release", "launch", "conference", "meeting", "other")
PLAN_KINDS = ("plan", "scenario", "snapshot")

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


@record
class Criterion:
    """One acceptance criterion of a card."""

    text: str
    done: bool = False


@record
class Card:
    """A roadmap item or user story; undated cards live in the backlog."""

    id: int
    title: str
    lane_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str = "feature"
    status: str = "planned"
    as_a: str = ""
    i_want: str = ""
    so_that: str = ""
    description: str = ""
    criteria: tuple[Criterion, ...] = ()
    estimate: float | None = None
    priority: str | None = None
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None
    date_confidence: str | None = None
    owner: str = ""
    tags: tuple[str, ...] = ()
    color: str | None = None
    link: str = ""
    objective_id: int | None = None
    hypothesis: str = ""
    measure: str = ""
    internal: bool = False
    external_key: str | None = None
    position: int = 0
    created: str = ""

    @property
    def scheduled(self) -> bool:
        """True when the card has both dates and so sits on the timeline."""
        return self.start is not None and self.end is not None

    @property
    def rice(self) -> float | None:
        """RICE score, or None when an input is missing or effort is zero."""
        return rice_score(self.reach, self.impact, self.confidence, self.effort)

    @property
    def user_story(self) -> str:
        """The user story as one sentence, empty when no part is filled in."""
        return user_story_sentence(self.as_a, self.i_want, self.so_that)

    @property
    def criteria_done(self) -> int:
        return sum(1 for c in self.criteria if c.done)


@record
class Lane:
    """A horizontal band on the timeline: a theme, team or product area."""

    id: int
    name: str
    color: str = "#4e79a7"
    position: int = 0
    collapsed: bool = False


@record
class Milestone:
    """A dated marker: a release, launch, conference or meeting."""

    id: int
    title: str
    date: dt.date
    lane_id: int | None = None
    kind: str = "release"
    color: str | None = None


@record
class Dependency:
    """Card ``before_id`` must finish before card ``after_id`` starts."""

    before_id: int
    after_id: int


@record
class Objective:
    """The why: a goal with a metric, its baseline, target and current value."""

    id: int
    name: str
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    color: str | None = None
    position: int = 0

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target, 0..1 (may exceed 1)."""
        if self.baseline is None or self.target is None or self.current is None:
            return None
        span = self.target - self.baseline
        if span == 0:
            return None
        return (self.current - self.baseline) / span


@record
class View:
    """A saved lens on the roadmap for one audience."""

    id: int
    name: str
    position: int = 0
    settings: dict[str, Any] = field(default_factory=dict)


@record
class Plan:
    """The plan itself, a what-if scenario, or a frozen snapshot."""

    id: int
    kind: str
    name: str
    created: str
    source_id: int | None = None


@record
class RoadmapInfo:
    """Settings of the whole roadmap."""

    title: str
    horizon_start: dt.date | None = None
    horizon_end: dt.date | None = None
    week_start: int = 0
    sprint_length: int = 14
    sprint_start: dt.date | None = None
    now_weeks: int = 6
    next_weeks: int = 26


def rice_score(
    reach: float | None, impact: float | None, confidence: float | None, effort: float | None
) -> float | None:
    """Reach x impact x confidence (percent) / effort; None if incomplete or effort is 0."""
    if reach is None or impact is None or confidence is None or effort is None:
        return None
    if effort <= 0:
        return None
    return reach * impact * (confidence / 100.0) / effort


def user_story_sentence(as_a: str, i_want: str, so_that: str) -> str:
    """'As a X, I want Y, so that Z.' with empty parts left out."""
    parts = []
    if as_a.strip():
        parts.append(f"As a {as_a.strip()}")
    if i_want.strip():
        parts.append(f"I want {i_want.strip()}")
    if so_that.strip():
        parts.append(f"so that {so_that.strip()}")
    if not parts:
        return ""
    sentence = ", ".join(parts)
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."
