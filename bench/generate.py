"""Synthetic roadmaps for the benchmarks: N cards in L lanes, dated around today.

Realistic titles (12 to 90 characters), kinds, statuses, owners, tags, objectives, a backlog of
undated cards, dependencies and milestones. Each roadmap is written through the store API in one
transaction and cached under bench/out/ (one file per size, lanes and day), so a second run of the
benchmarks starts at once. Benchmarks that edit work on a copy (``fresh_copy``).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
VERSION = 1  # bump when the shape of the generated roadmaps changes

_LANES = ("Growth", "Payments", "Onboarding", "Search", "Mobile", "Platform", "Data", "Security",
          "Integrations", "Admin console", "Notifications", "Reporting", "Billing", "Enterprise",
          "Developer experience", "Accessibility", "Localisation", "Performance", "Core API",
          "Customer success")  # fmt: skip
_VERBS = ("Add", "Improve", "Redesign", "Ship", "Migrate", "Support", "Speed up", "Simplify",
          "Launch", "Rework", "Automate", "Localise", "Secure", "Audit", "Prototype")  # fmt: skip
_THINGS = ("checkout flow", "single sign-on", "saved searches", "CSV import", "usage dashboard",
           "push notifications", "team permissions", "invoice PDFs", "onboarding checklist",
           "dark mode", "API rate limits", "audit log", "webhooks", "billing portal",
           "offline mode", "search ranking", "mobile widgets", "data retention", "SCIM sync",
           "two-factor login", "release notes", "trial extension", "in-app tours")  # fmt: skip
_TAILS = ("", "", "", " for enterprise customers", " on Android and iOS",
          " behind a feature flag", " for the EU data centre", " (phase 2)", " v2",
          " with keyboard shortcuts and screen reader support", " for partners",
          " so admins can see who changed what and when")  # fmt: skip
_OWNERS = ("", "", "Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jules")
_TAGS = ("web", "mobile", "api", "infra", "ux", "compliance", "q-commit", "tech-debt")
_KINDS = ("initiative", "epic", "feature", "feature", "feature", "story", "story")
_STATUSES = ("idea", "planned", "planned", "in_progress", "done", "dropped")
_MILESTONES = ("Release", "Launch", "Conference", "Board meeting", "Beta", "Freeze")


def title(rng: random.Random, number: int) -> str:
    """A roadmap-like title, 12 to 90 characters."""
    return f"{rng.choice(_VERBS)} {rng.choice(_THINGS)}{rng.choice(_TAILS)} #{number}"


def path_for(cards: int, lanes: int, today: dt.date | None = None) -> Path:
    day = (today or dt.date.today()).isoformat()
    return OUT / f"cards{cards}-lanes{lanes}-v{VERSION}-{day}.roadmap"


def roadmap_file(cards: int, lanes: int, seed: int = 1, today: dt.date | None = None) -> Path:
    """The cached synthetic roadmap with ``cards`` cards in ``lanes`` lanes (built if missing)."""
    path = path_for(cards, lanes, today)
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"cards{cards}-lanes{lanes}-*.roadmap"):
        old.unlink()  # an older day's or version's copy
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    build(tmp, cards, lanes, seed, today)
    tmp.replace(path)
    return path


def fresh_copy(cards: int, lanes: int, folder: Path) -> Path:
    """A copy of the cached roadmap that a benchmark may edit."""
    source = roadmap_file(cards, lanes)
    target = folder / f"bench-{cards}-{lanes}.roadmap"
    if target.exists():
        target.unlink()
    shutil.copyfile(source, target)
    return target


def build(path: Path, cards: int, lanes: int, seed: int = 1,
          today: dt.date | None = None) -> None:  # fmt: skip
    """Write a synthetic roadmap to ``path`` in one transaction."""
    from planner.store import Roadmap

    rng = random.Random(seed)
    today = today or dt.date.today()
    first = today - dt.timedelta(days=540)
    span = 1080  # three years around today
    with Roadmap.create(path, title=f"Benchmark: {cards:,} cards in {lanes} lanes") as roadmap, \
            roadmap.transaction() as conn:  # fmt: skip
        objectives = [roadmap.add_objective(name, metric=metric).id for name, metric in (
            ("Grow weekly active teams", "WAT"), ("Cut churn", "monthly churn %"),
            ("Win enterprise deals", "ARR"), ("Faster time to value", "days to first plan"),
            ("Delight admins", "NPS"))]  # fmt: skip
        lane_ids = []
        for i in range(lanes):
            name = _LANES[i % len(_LANES)]
            if i >= len(_LANES):
                name = f"{name} {i // len(_LANES) + 1}"
            lane_ids.append(roadmap.add_lane(name).id)
        specs: list[dict[str, Any]] = []
        for i in range(cards):
            spec: dict[str, Any] = {
                "title": title(rng, i + 1),
                "lane_id": lane_ids[rng.randrange(lanes)],
                "kind": rng.choice(_KINDS),
                "status": rng.choice(_STATUSES),
                "owner": rng.choice(_OWNERS),
                "tags": rng.sample(_TAGS, rng.randrange(0, 3)),
                "estimate": float(rng.choice((1, 2, 3, 5, 8, 13))),
                "priority": rng.choice(("must", "should", "could", None)),
            }
            if rng.random() < 0.3:
                spec["objective_id"] = rng.choice(objectives)
            if rng.random() < 0.95:  # one card in twenty waits in the backlog
                start = first + dt.timedelta(days=rng.randrange(span))
                spec["start"] = start
                spec["end"] = start + dt.timedelta(days=rng.choice((4, 9, 13, 20, 27, 41, 62, 90)))
            specs.append(spec)
        added = roadmap.add_cards(specs)
        dated = [c for c in added if c.scheduled]
        deps = set()
        for _ in range(max(1, len(dated) // 20)):
            a, b = rng.sample(dated, 2)
            if a.id > b.id:
                a, b = b, a
            deps.add((a.id, b.id))  # from lower to higher id: never a cycle
        conn.executemany(
            "INSERT INTO dependencies (plan_id, before_id, after_id) VALUES (?, ?, ?)",
            [(roadmap.plan_id, a, b) for a, b in sorted(deps)],
        )
        for i in range(max(4, min(60, cards // 200))):
            day = first + dt.timedelta(days=rng.randrange(span))
            lane = rng.choice(lane_ids) if i % 2 else None
            roadmap.add_milestone(f"{rng.choice(_MILESTONES)} {i + 1}", day, lane_id=lane,
                                  kind=rng.choice(("release", "launch", "conference")))  # fmt: skip
