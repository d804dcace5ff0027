"""The benchmarks still run, at a tiny size; nothing here is timed."""

from __future__ import annotations

import argparse
import math
import sqlite3
from pathlib import Path

from bench import bench_startup, bench_timeline
from bench.__main__ import table, verdicts
from bench.generate import build
from planner.store import Roadmap


def test_generated_roadmap_has_lanes_cards_backlog_dependencies_and_milestones(tmp_path):
    path = tmp_path / "tiny.roadmap"
    build(path, cards=200, lanes=4)
    with Roadmap.open(path, read_only=True) as roadmap:
        cards = roadmap.cards()
        assert len(cards) == 200
        assert len(roadmap.lanes()) == 4
        assert any(not c.scheduled for c in cards) and any(c.scheduled for c in cards)
        assert all(12 <= len(c.title) <= 90 for c in cards)
        assert roadmap.dependencies() and roadmap.milestones()


def test_benchmark_runs_at_a_tiny_size(qapp, tmp_path):
    path = tmp_path / "tiny.roadmap"
    build(path, cards=200, lanes=4)
    figures = bench_timeline.run(path, repeat=1, frames=4, drags=2, undo_cards=20)
    for key in ("open_ms", "first_paint_ms", "pan_ms", "pan_p95_ms", "zoom_ms", "zoom_p95_ms",
                "drag_ms", "undo_ms"):  # fmt: skip
        assert math.isfinite(figures[key]) and figures[key] >= 0, key
    assert (figures["viewport_w"], figures["viewport_h"]) == bench_timeline.VIEWPORT
    with sqlite3.connect(path) as conn:  # the drags reached the file
        moved = conn.execute("SELECT count(*) FROM cards WHERE start_date IS NOT NULL").fetchone()
    assert moved[0] > 0

    args = argparse.Namespace(repeat=1, frames=4, drags=2)
    results = {(200, 4): dict(figures, cold_ms=500.0, cold_x=1.5, rss_mb=90.0)}
    text = table(results, {"floor_ms": 330.0, "floor_mb": 50.0}, args)
    assert "pan frame, p95" in text and "drag commit" in text
    assert [v[2] for v in verdicts(results, {})].count(None) == len(verdicts(results, {}))


def test_cold_start_hook_reports_the_first_paint(tmp_path):
    path = tmp_path / "tiny.roadmap"
    build(path, cards=50, lanes=3)
    config = tmp_path / "config"
    config.mkdir()
    app = bench_startup.app_window(path, config, timeout=60)
    floor = bench_startup.empty_window(config, timeout=60)
    assert 0 < floor.seconds < 60 and 0 < app.seconds < 60
    assert app.max_rss_mb > 10 and floor.max_rss_mb > 10
    assert not any(Path(config).rglob("*.roadmap"))  # no sample was made in the isolated home
