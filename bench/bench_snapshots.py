"""Snapshot and diff timings at scale: take a snapshot, and compute what changed since it.

Run on its own with ``python -m bench.bench_snapshots --cards 10000``; the benchmark runner
calls ``run(cards=...)`` and gets the figures back as a dict of milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.diff import diff_between, diff_plans, plan_data
from planner.schema import PLAN_ID
from planner.store import Roadmap

BUDGET_MS = 200.0


def build(path: Path, cards: int, lanes: int = 100, seed: int = 1) -> Roadmap:
    """A roadmap with ``cards`` dated cards spread over ``lanes`` lanes."""
    rng = random.Random(seed)
    roadmap = Roadmap.create(path, title=f"{cards} cards")
    day0 = dt.date(2026, 1, 5)
    with roadmap.transaction():
        lane_ids = [roadmap.add_lane(f"Lane {i + 1}").id for i in range(lanes)]
        specs = []
        for i in range(cards):
            start = day0 + dt.timedelta(days=rng.randrange(0, 720))
            specs.append({
                "title": f"Card {i + 1}: {rng.choice(['Login', 'Search', 'Billing', 'Reports'])}",
                "lane_id": lane_ids[i % lanes],
                "start": start,
                "end": start + dt.timedelta(days=rng.randrange(3, 60)),
                "status": rng.choice(["idea", "planned", "in_progress", "done"]),
                "estimate": float(rng.choice([1, 2, 3, 5, 8, 13])),
                "tags": [rng.choice(["web", "mobile", "api"])],
                "description": "Why it matters. " * rng.randrange(0, 8),
            })  # fmt: skip
        roadmap.add_cards(specs)
    return roadmap


def _edit_some(roadmap: Roadmap, share: float = 0.05, seed: int = 2) -> int:
    """Move, re-status, delete and add a share of the cards, as weeks of planning would."""
    rng = random.Random(seed)
    cards = roadmap.cards()
    picked = rng.sample(cards, max(1, int(len(cards) * share)))
    changes: dict[int, dict[str, Any]] = {}
    for card in picked[: len(picked) // 2]:
        assert card.start and card.end
        shift = dt.timedelta(days=rng.choice([-14, -7, 7, 14, 28]))
        changes[card.id] = {"start": card.start + shift, "end": card.end + shift}
    for card in picked[len(picked) // 2 : -len(picked) // 5]:
        changes[card.id] = {"status": "done", "estimate": 21.0}
    roadmap.update_cards(changes)
    roadmap.delete_cards([c.id for c in picked[-len(picked) // 5 :]])
    roadmap.add_cards([{"title": f"New {i}"} for i in range(len(picked) // 5)])
    return len(picked)


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    result = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        result.append((time.perf_counter() - t0) * 1000.0)
    return result


def run(cards: int = 10_000, repeat: int = 5) -> dict[str, float]:
    """Median milliseconds to take a snapshot and to compute a diff with ``cards`` cards."""
    with tempfile.TemporaryDirectory() as tmp:
        roadmap = build(Path(tmp) / "bench.roadmap", cards)
        try:
            counter = iter(range(10**6))
            snapshot_ms = _times(lambda: roadmap.take_snapshot(f"S{next(counter)}"), repeat)
            base = roadmap.take_snapshot("Review")
            edited = _edit_some(roadmap)

            diff_ms = _times(lambda: diff_between(roadmap, base.id, PLAN_ID), repeat)
            before, after = plan_data(roadmap, base.id), plan_data(roadmap, PLAN_ID)
            pure_ms = _times(lambda: diff_plans(before, after), repeat)
            read_ms = _times(lambda: plan_data(roadmap, PLAN_ID), repeat)
            diff = diff_plans(before, after)
        finally:
            roadmap.close()
    return {
        "cards": float(cards),
        "edited_cards": float(edited),
        "changes_found": float(len(diff.visible_cards)),
        "snapshot_ms": statistics.median(snapshot_ms),
        "diff_ms": statistics.median(diff_ms),
        "diff_pure_ms": statistics.median(pure_ms),
        "read_plan_ms": statistics.median(read_ms),
        "budget_ms": BUDGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_snapshots", description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    r = run(args.cards, args.repeat)
    print(f"snapshots and diff, {int(r['cards']):,} cards "
          f"({int(r['edited_cards'])} edited, {int(r['changes_found'])} changes found)")
    for key, label in (("snapshot_ms", "take a snapshot"),
                       ("diff_ms", "diff since a snapshot (from the file)"),
                       ("diff_pure_ms", "pure diff of two whole plans in memory"),
                       ("read_plan_ms", "reading one whole plan (for comparison)")):  # fmt: skip
        ok = "" if key not in ("snapshot_ms", "diff_ms") else (
            "  ok" if r[key] < BUDGET_MS else f"  OVER the {BUDGET_MS:.0f} ms budget")
        print(f"  {label:48s} {r[key]:8.1f} ms{ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
