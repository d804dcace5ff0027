"""What changed between two versions of a plan: a pure diff, its inverse, and its renderings.

``diff_plans(before, after)`` matches cards, lanes and milestones by id (ids are the same in
the plan and in every snapshot or scenario copied from it) and lists one entry per card, with
every aspect that changed. ``apply_diff(before, diff)`` rebuilds ``after``. Nothing here reads
the file except ``plan_data``, which goes through the Roadmap's own queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from planner.errors import ValidationError
from planner.model import STATUS_LABELS, Card, Dependency, Lane, Milestone, Plan

if TYPE_CHECKING:
    from planner.store import Roadmap

# Aspects of a card change, in the order they are told.
ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
RESIZED = "resized"
SCHEDULED = "scheduled"
UNSCHEDULED = "unscheduled"
LANE = "lane"
STATUS = "status"
RENAMED = "renamed"
ESTIMATE = "estimate"
OTHER = "other"
ASPECTS = (ADDED, REMOVED, MOVED, RESIZED, SCHEDULED, UNSCHEDULED, LANE, STATUS, RENAMED,
           ESTIMATE, OTHER)  # fmt: skip

# Fields whose change is kept (so a diff can be applied) but not worth telling anyone.
SILENT_FIELDS = frozenset({"position", "created"})
_NAMED_FIELDS = frozenset({"start", "end", "lane_id", "status", "title", "estimate"})
_CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Card))
_FIELD_LABELS = {
    "as_a": "user story", "i_want": "user story", "so_that": "user story",
    "description": "description", "criteria": "acceptance criteria", "priority": "priority",
    "reach": "RICE", "impact": "RICE", "confidence": "RICE", "effort": "RICE",
    "date_confidence": "date confidence", "owner": "owner", "tags": "tags", "color": "colour",
    "link": "link", "objective_id": "objective", "hypothesis": "hypothesis",
    "measure": "measure", "internal": "internal flag", "external_key": "external key",
    "kind": "kind",
}  # fmt: skip
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

T = TypeVar("T")


@dataclass(frozen=True)
class PlanData:
    """Everything of one plan that a diff compares, keyed by id."""

    cards: dict[int, Card] = field(default_factory=dict)
    lanes: dict[int, Lane] = field(default_factory=dict)
    milestones: dict[int, Milestone] = field(default_factory=dict)
    dependencies: frozenset[Dependency] = frozenset()

    @classmethod
    def of(
        cls,
        cards: Iterable[Card] = (),
        lanes: Iterable[Lane] = (),
        milestones: Iterable[Milestone] = (),
        dependencies: Iterable[Dependency] = (),
    ) -> PlanData:
        """Build from lists as the Roadmap returns them."""
        return cls(
            cards={c.id: c for c in cards},
            lanes={lane.id: lane for lane in lanes},
            milestones={m.id: m for m in milestones},
            dependencies=frozenset(dependencies),
        )


@dataclass(frozen=True)
class CardChange:
    """One card's change: added, removed, or changed in one or more aspects."""

    id: int
    before: Card | None
    after: Card | None
    aspects: tuple[str, ...]
    fields: tuple[str, ...] = ()  # every Card field that differs (changed cards only)

    @property
    def kind(self) -> str:
        """'added', 'removed' or 'changed'."""
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        return "changed"

    @property
    def card(self) -> Card:
        """The card as it is now, or as it was when it was removed."""
        card = self.after if self.after is not None else self.before
        assert card is not None
        return card

    @property
    def title(self) -> str:
        return self.card.title

    @property
    def days_moved(self) -> int:
        """How many days the start moved (later is positive); 0 unless dated in both."""
        b, a = self.before, self.after
        if b is None or a is None or b.start is None or a.start is None:
            return 0
        return (a.start - b.start).days

    @property
    def days_resized(self) -> int:
        """How many days longer (positive) or shorter the card became."""
        b, a = self.before, self.after
        if b is None or a is None or not (b.scheduled and a.scheduled):
            return 0
        assert b.start and b.end and a.start and a.end
        return (a.end - a.start).days - (b.end - b.start).days

    @property
    def other_fields(self) -> tuple[str, ...]:
        """Fields that changed beyond the named aspects, as readable labels."""
        labels = [_FIELD_LABELS.get(f, f) for f in self.fields
                  if f not in _NAMED_FIELDS and f not in SILENT_FIELDS]  # fmt: skip
        return tuple(dict.fromkeys(labels))

    @property
    def visible(self) -> bool:
        """False for a change nobody needs to hear about (only the order in the list moved)."""
        return bool(self.aspects)


@dataclass(frozen=True)
class ItemChange(Generic[T]):
    """A lane or milestone that was added (before None), removed (after None) or changed."""

    id: int
    before: T | None
    after: T | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        return "changed"


@dataclass(frozen=True)
class DependencyChange:
    """A dependency added or removed, with the card titles for telling it."""

    dependency: Dependency
    added: bool
    before_title: str
    after_title: str


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between two plans; one entry per card."""

    cards: tuple[CardChange, ...] = ()
    lanes: tuple[ItemChange[Lane], ...] = ()
    milestones: tuple[ItemChange[Milestone], ...] = ()
    dependencies: tuple[DependencyChange, ...] = ()
    lane_names: Mapping[int, str] = field(default_factory=dict, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.cards or self.lanes or self.milestones or self.dependencies)

    def __bool__(self) -> bool:
        return not self.is_empty

    def card_change(self, card_id: int) -> CardChange | None:
        for change in self.cards:
            if change.id == card_id:
                return change
        return None

    @property
    def visible_cards(self) -> tuple[CardChange, ...]:
        """Card changes worth telling, in the order they are listed."""
        return tuple(c for c in self.cards if c.visible)

    def counts(self) -> dict[str, int]:
        """How many cards were added, removed and changed (the headline)."""
        result = {ADDED: 0, REMOVED: 0, "changed": 0, MOVED: 0}
        for c in self.visible_cards:
            result[c.kind] += 1
            if MOVED in c.aspects:
                result[MOVED] += 1
        return result

    def ghosts(self) -> list[tuple[int, int | None, dt.date, dt.date]]:
        """(card id, old lane, old start, old end) where a dated card used to be."""
        result = []
        for c in self.cards:
            b = c.before
            if c.after is None or b is None or b.start is None or b.end is None:
                continue
            if MOVED in c.aspects or RESIZED in c.aspects or LANE in c.aspects:
                result.append((c.id, b.lane_id, b.start, b.end))
        return result


def _card_aspects(before: Card, after: Card, fields: tuple[str, ...]) -> tuple[str, ...]:
    aspects: list[str] = []
    if "start" in fields or "end" in fields:
        if before.scheduled and not after.scheduled:
            aspects.append(UNSCHEDULED)
        elif after.scheduled and not before.scheduled:
            aspects.append(SCHEDULED)
        elif before.scheduled and after.scheduled:
            assert before.start and before.end and after.start and after.end
            if after.start != before.start:
                aspects.append(MOVED)
            if (after.end - after.start) != (before.end - before.start):
                aspects.append(RESIZED)
    if "lane_id" in fields:
        aspects.append(LANE)
    if "status" in fields:
        aspects.append(STATUS)
    if "title" in fields:
        aspects.append(RENAMED)
    if "estimate" in fields:
        aspects.append(ESTIMATE)
    if any(f not in _NAMED_FIELDS and f not in SILENT_FIELDS for f in fields):
        aspects.append(OTHER)
    return tuple(aspects)


def _changed_fields(before: Card, after: Card) -> tuple[str, ...]:
    return tuple(f for f in _CARD_FIELDS if getattr(before, f) != getattr(after, f))


def _sort_key(change: CardChange) -> tuple[int, str, str, int]:
    order = {ADDED: 0, REMOVED: 1, "changed": 2}[change.kind]
    card = change.card
    return (order, card.start.isoformat() if card.start else "~", card.title.casefold(), card.id)


def _item_changes(before: Mapping[int, T], after: Mapping[int, T]) -> tuple[ItemChange[T], ...]:
    result = []
    for item_id in sorted(before.keys() | after.keys()):
        b, a = before.get(item_id), after.get(item_id)
        if b != a:
            result.append(ItemChange(item_id, b, a))
    return tuple(result)


def diff_plans(before: PlanData, after: PlanData) -> PlanDiff:
    """What changed from ``before`` to ``after``: one entry per card, lane and milestone."""
    changes: list[CardChange] = []
    b_cards, a_cards = before.cards, after.cards
    for card_id, old in b_cards.items():
        new = a_cards.get(card_id)
        if new is None:
            changes.append(CardChange(card_id, old, None, (REMOVED,)))
        elif new != old:
            fields = _changed_fields(old, new)
            changes.append(CardChange(card_id, old, new, _card_aspects(old, new, fields), fields))
    for card_id, new in a_cards.items():
        if card_id not in b_cards:
            changes.append(CardChange(card_id, None, new, (ADDED,)))
    changes.sort(key=_sort_key)

    deps: list[DependencyChange] = []

    def title(card_id: int) -> str:
        card = a_cards.get(card_id) or b_cards.get(card_id)
        return card.title if card is not None else f"#{card_id}"

    for dep in sorted(after.dependencies - before.dependencies,
                      key=lambda d: (d.before_id, d.after_id)):  # fmt: skip
        deps.append(DependencyChange(dep, True, title(dep.before_id), title(dep.after_id)))
    for dep in sorted(before.dependencies - after.dependencies,
                      key=lambda d: (d.before_id, d.after_id)):  # fmt: skip
        deps.append(DependencyChange(dep, False, title(dep.before_id), title(dep.after_id)))

    names = {lane_id: lane.name for lane_id, lane in before.lanes.items()}
    names.update({lane_id: lane.name for lane_id, lane in after.lanes.items()})
    return PlanDiff(
        cards=tuple(changes),
        lanes=_item_changes(before.lanes, after.lanes),
        milestones=_item_changes(before.milestones, after.milestones),
        dependencies=tuple(deps),
        lane_names=names,
    )


def _apply_items(items: Mapping[int, T], changes: Iterable[ItemChange[T]]) -> dict[int, T]:
    result = dict(items)
    for change in changes:
        if change.after is None:
            result.pop(change.id, None)
        else:
            result[change.id] = change.after
    return result


def apply_diff(before: PlanData, diff: PlanDiff) -> PlanData:
    """``before`` with ``diff`` applied: ``apply_diff(a, diff_plans(a, b)) == b``."""
    cards = dict(before.cards)
    for change in diff.cards:
        if change.after is None:
            cards.pop(change.id, None)
        else:
            cards[change.id] = change.after
    deps = set(before.dependencies)
    for dep in diff.dependencies:
        if dep.added:
            deps.add(dep.dependency)
        else:
            deps.discard(dep.dependency)
    return PlanData(
        cards=cards,
        lanes=_apply_items(before.lanes, diff.lanes),
        milestones=_apply_items(before.milestones, diff.milestones),
        dependencies=frozenset(deps),
    )


# ----- reading plans from a roadmap


def plan_data(roadmap: Roadmap, plan_id: int | None = None) -> PlanData:
    """The cards, lanes, milestones and dependencies of one plan (the one in view by default)."""
    return PlanData.of(
        roadmap.cards(plan_id=plan_id),
        roadmap.lanes(plan_id=plan_id),
        roadmap.milestones(plan_id=plan_id),
        roadmap.dependencies(plan_id=plan_id),
    )


def plan_pair(roadmap: Roadmap, before_id: int, after_id: int) -> tuple[PlanData, PlanData]:
    """Two plans reduced to what can differ: cards identical in both are left out.

    ``diff_plans`` of the pair equals the diff of the whole plans, and reading it costs
    only the changed cards (plus the cards that changed dependencies name, for their titles).
    """
    before_cards, after_cards = roadmap.differing_cards(before_id, after_id)
    before = PlanData.of(before_cards, roadmap.lanes(plan_id=before_id),
                         roadmap.milestones(plan_id=before_id),
                         roadmap.dependencies(plan_id=before_id))  # fmt: skip
    after = PlanData.of(after_cards, roadmap.lanes(plan_id=after_id),
                        roadmap.milestones(plan_id=after_id),
                        roadmap.dependencies(plan_id=after_id))  # fmt: skip
    named = {i for d in before.dependencies ^ after.dependencies for i in (d.before_id, d.after_id)}
    missing = named - before.cards.keys() - after.cards.keys()
    if missing:
        same = roadmap.cards_by_id(missing, plan_id=after_id)
        before.cards.update(same)
        after.cards.update(same)
    return before, after


def diff_between(roadmap: Roadmap, before_id: int, after_id: int) -> PlanDiff:
    """What changed from plan ``before_id`` to plan ``after_id`` in one file."""
    return diff_plans(*plan_pair(roadmap, before_id, after_id))


def find_snapshot(roadmap: Roadmap, name: str) -> Plan:
    """The snapshot called ``name`` (exactly, else ignoring case); ValidationError otherwise."""
    snapshots = [p for p in roadmap.plans() if p.kind == "snapshot"]
    for p in snapshots:
        if p.name == name:
            return p
    for p in snapshots:
        if p.name.casefold() == name.casefold():
            return p
    listed = ", ".join(repr(p.name) for p in snapshots) or "none yet"
    raise ValidationError(f"there is no snapshot named {name!r} (snapshots: {listed})")


def diff_since(roadmap: Roadmap, since: str) -> PlanDiff:
    """What changed since the snapshot named ``since`` in the plan in view.

    That is the plan itself when the file was just opened (the command line), and the
    scenario shown when a window exports while showing one.
    """
    snapshot = find_snapshot(roadmap, since)
    return diff_between(roadmap, snapshot.id, roadmap.plan_id)


def diff_since_cli(path: Path, since: str, fmt: str) -> str:
    """``roadmap diff FILE --since NAME --format text|md|json``: the rendered diff."""
    from planner.store import Roadmap

    with Roadmap.open(path, read_only=True) as roadmap:
        diff = diff_since(roadmap, since)
        name = find_snapshot(roadmap, since).name
    if fmt == "json":
        return render_json(diff, name)
    if fmt == "md":
        return render_markdown(diff, name)
    if fmt == "text":
        return render_text(diff, name)
    raise ValidationError(f"Unknown format {fmt!r}: use text, md or json")


# ----- telling a diff


def format_day(day: dt.date | None) -> str:
    """'5 Jan 2026', the same in every locale."""
    if day is None:
        return "—"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _span(card: Card) -> str:
    if card.start is None or card.end is None:
        return "backlog"
    return f"{format_day(card.start)} – {format_day(card.end)}"


def _days(n: int) -> str:
    n = abs(n)
    if n and n % 7 == 0:
        weeks = n // 7
        return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return f"{n} day" if n == 1 else f"{n} days"


def _num(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:g}"


def _lane(diff: PlanDiff, lane_id: int | None) -> str:
    if lane_id is None:
        return "no lane"
    return diff.lane_names.get(lane_id, f"lane {lane_id}")


def aspect_phrases(change: CardChange, diff: PlanDiff, brief: bool = False) -> list[str]:
    """The changed aspects of one card, each as a short phrase (without old dates if brief)."""
    b, a = change.before, change.after
    if a is None or b is None:
        card = change.card
        where = _lane(diff, card.lane_id)
        if not brief:
            where += f", {_span(card)}"
        return [f"added ({where})" if b is None else f"removed (was {where})"]
    phrases: list[str] = []
    for aspect in change.aspects:
        if aspect == MOVED:
            days = change.days_moved
            when = "later" if days > 0 else "earlier"
            span = "" if brief else f" (was {_span(b)}, now {_span(a)})"
            phrases.append(f"moved {_days(days)} {when}{span}")
        elif aspect == RESIZED:
            days = change.days_resized
            longer = "longer" if days > 0 else "shorter"
            if MOVED in change.aspects or brief:
                phrases.append(f"{_days(days)} {longer}")
            else:
                phrases.append(f"{_days(days)} {longer} (now ends {format_day(a.end)})")
        elif aspect == SCHEDULED:
            phrases.append("scheduled" if brief else f"scheduled ({_span(a)})")
        elif aspect == UNSCHEDULED:
            phrases.append("moved to the backlog" + ("" if brief else f" (was {_span(b)})"))
        elif aspect == LANE:
            phrases.append(f"lane {_lane(diff, b.lane_id)} → {_lane(diff, a.lane_id)}")
        elif aspect == STATUS:
            phrases.append(
                f"status {STATUS_LABELS.get(b.status, b.status)} → "
                f"{STATUS_LABELS.get(a.status, a.status)}"
            )
        elif aspect == RENAMED:
            phrases.append(f"renamed from “{b.title}”")
        elif aspect == ESTIMATE:
            phrases.append(f"estimate {_num(b.estimate)} → {_num(a.estimate)}")
        elif aspect == OTHER:
            phrases.append("changed " + ", ".join(change.other_fields))
    return phrases


def card_line(change: CardChange, diff: PlanDiff, brief: bool = False) -> str:
    """One line telling everything that changed about one card."""
    return f"“{change.title}”: " + "; ".join(aspect_phrases(change, diff, brief))


def item_lines(diff: PlanDiff) -> list[str]:
    """Lines for lanes, milestones and dependencies that changed."""
    lines: list[str] = []
    for lc in diff.lanes:
        if lc.before is None and lc.after is not None:
            lines.append(f"Lane “{lc.after.name}” added")
        elif lc.after is None and lc.before is not None:
            lines.append(f"Lane “{lc.before.name}” removed")
        elif lc.before is not None and lc.after is not None and lc.before.name != lc.after.name:
            lines.append(f"Lane “{lc.before.name}” renamed to “{lc.after.name}”")
    for mc in diff.milestones:
        mb, ma = mc.before, mc.after
        if mb is None and ma is not None:
            lines.append(f"Milestone “{ma.title}” added ({format_day(ma.date)})")
        elif ma is None and mb is not None:
            lines.append(f"Milestone “{mb.title}” removed (was {format_day(mb.date)})")
        elif mb is not None and ma is not None:
            parts = []
            if ma.date != mb.date:
                days = (ma.date - mb.date).days
                when = "later" if days > 0 else "earlier"
                parts.append(f"moved {_days(days)} {when} (now {format_day(ma.date)})")
            if ma.title != mb.title:
                parts.append(f"renamed from “{mb.title}”")
            if ma.lane_id != mb.lane_id:
                parts.append(f"lane {_lane(diff, mb.lane_id)} → {_lane(diff, ma.lane_id)}")
            if ma.kind != mb.kind or ma.color != mb.color:
                parts.append("changed kind or colour")
            lines.append(f"Milestone “{ma.title}”: " + "; ".join(parts))
    for dc in diff.dependencies:
        verb = "added" if dc.added else "removed"
        lines.append(f"Dependency “{dc.before_title}” → “{dc.after_title}” {verb}")
    return lines


def summary(diff: PlanDiff) -> str:
    """'3 added, 1 removed, 5 changed (4 moved)' or 'No changes'."""
    n = diff.counts()
    if diff.is_empty or not (any(n.values()) or item_lines(diff)):
        return "No changes"
    text = f"{n[ADDED]} added, {n[REMOVED]} removed, {n['changed']} changed"
    if n[MOVED]:
        text += f" ({n[MOVED]} moved)"
    return text


def change_lines(diff: PlanDiff) -> list[str]:
    """Every change as one line of plain text: cards first, then lanes, milestones, links."""
    lines = []
    for change in diff.visible_cards:
        if change.kind in (ADDED, REMOVED):
            # 'Added: “X” (Lane, dates)' rather than 'Added: “X”: added (...)'.
            where = aspect_phrases(change, diff)[0].split(" ", 1)[1]
            lines.append(f"{change.kind.capitalize()}: “{change.title}” {where}")
        else:
            lines.append(f"Changed: {card_line(change, diff)}")
    return lines + item_lines(diff)


def render_text(diff: PlanDiff, since_name: str) -> str:
    """Plain text for a terminal."""
    out = [f"What changed since “{since_name}”: {summary(diff)}"]
    out += [f"  {line}" for line in change_lines(diff)]
    return "\n".join(out) + "\n"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#"})


def md_escape(text: str) -> str:
    """User text made inert in Markdown (no links, emphasis or HTML)."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def render_markdown(diff: PlanDiff, since_name: str) -> str:
    """A 'What changed since NAME' Markdown section, for documents and chat."""
    out = [f"## What changed since {md_escape(since_name)}", "", md_escape(summary(diff)), ""]
    groups = ((ADDED, "Added"), (REMOVED, "Removed"), ("changed", "Changed"))
    for kind, heading in groups:
        entries = [c for c in diff.visible_cards if c.kind == kind]
        if not entries:
            continue
        out += [f"### {heading}", ""]
        for change in entries:
            phrases = "; ".join(aspect_phrases(change, diff))
            if kind in (ADDED, REMOVED):
                where = phrases.split(" ", 1)[1]  # the heading already says added or removed
                out.append(f"- **{md_escape(change.title)}** {md_escape(where)}")
            else:
                out.append(f"- **{md_escape(change.title)}**: {md_escape(phrases)}")
        out.append("")
    others = item_lines(diff)
    if others:
        out += ["### Lanes, milestones and dependencies", ""]
        out += [f"- {md_escape(line)}" for line in others]
        out.append("")
    return "\n".join(out)


def _card_json(card: Card | None, diff: PlanDiff) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "title": card.title,
        "lane_id": card.lane_id,
        "lane": diff.lane_names.get(card.lane_id) if card.lane_id is not None else None,
        "start": card.start.isoformat() if card.start else None,
        "end": card.end.isoformat() if card.end else None,
        "status": card.status,
        "estimate": card.estimate,
    }


def _milestone_title(change: ItemChange[Milestone]) -> str:
    m = change.after if change.after is not None else change.before
    return m.title if m is not None else ""


def diff_to_json(diff: PlanDiff, since_name: str) -> dict[str, Any]:
    """The diff as plain JSON-ready data."""
    cards = []
    for c in diff.visible_cards:
        cards.append({
            "id": c.id,
            "change": c.kind,
            "title": c.title,
            "aspects": [a for a in c.aspects if a not in (ADDED, REMOVED)],
            "days_moved": c.days_moved,
            "days_resized": c.days_resized,
            "other_fields": list(c.other_fields),
            "before": _card_json(c.before, diff),
            "after": _card_json(c.after, diff),
            "text": card_line(c, diff),
        })  # fmt: skip
    n = diff.counts()
    return {
        "since": since_name,
        "summary": {"added": n[ADDED], "removed": n[REMOVED], "changed": n["changed"],
                    "moved": n[MOVED]},  # fmt: skip
        "cards": cards,
        "lanes": [{"id": lc.id, "change": lc.kind,
                   "before": lc.before.name if lc.before else None,
                   "after": lc.after.name if lc.after else None} for lc in diff.lanes],
        "milestones": [{"id": mc.id, "change": mc.kind,
                        "title": _milestone_title(mc),
                        "before": mc.before.date.isoformat() if mc.before else None,
                        "after": mc.after.date.isoformat() if mc.after else None}
                       for mc in diff.milestones],
        "dependencies": [{"before_id": dc.dependency.before_id,
                          "after_id": dc.dependency.after_id,
                          "change": ADDED if dc.added else REMOVED} for dc in diff.dependencies],
        "lines": item_lines(diff),
    }  # fmt: skip


def render_json(diff: PlanDiff, since_name: str) -> str:
    return json.dumps(diff_to_json(diff, since_name), indent=2, ensure_ascii=False) + "\n"
