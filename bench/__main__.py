"""Run the benchmarks and print one table: ``python -m bench [--sizes ...] [--lanes ...]``.

Synthetic roadmaps (bench/generate.py) of each size and lane count are opened offscreen: a cold
start of the real app next to an empty PySide6 window, then in a fresh process per roadmap the
file open, the first paint, pan and zoom frames at 1920x1080, drag commits and an undo of a
1,000-card move (bench/bench_timeline.py); then the export (bench/bench_export.py) and snapshot
(bench/bench_snapshots.py) benchmarks. Every figure is a median of repeated runs; PASS/FAIL is
against the targets in the product brief. See docs/performance.md for how to read it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import bench_startup
from bench.generate import roadmap_file

ROOT = Path(__file__).resolve().parent.parent
Figures = dict[tuple[int, int], dict[str, float]]  # (cards, lanes) -> figures


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    unit: str = "ms"
    per_action: bool | None = None  # True: should not grow with N; False: whole-roadmap cost


ROWS = (
    Row("cold start to first paint", "cold_ms", per_action=False),
    Row("  ÷ empty-window floor", "cold_x", "x"),
    Row("  whole window (every room)", "whole_ms", per_action=False),
    Row("open file + read all", "open_ms", per_action=False),
    Row("first paint (new window)", "first_paint_ms", per_action=False),
    Row("pan frame, median", "pan_ms", per_action=True),
    Row("pan frame, p95", "pan_p95_ms", per_action=True),
    Row("zoom frame, median", "zoom_ms", per_action=True),
    Row("zoom frame, p95", "zoom_p95_ms", per_action=True),
    Row("drag commit", "drag_ms", per_action=True),
    Row("  bare SQLite commit (disk)", "commit_floor_ms"),
    Row("undo of a 1,000-card move", "undo_ms", per_action=True),
    Row("peak memory (cold start)", "rss_mb", "MB", per_action=False),
)


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def _timeline(cards: int, lanes: int, args: argparse.Namespace) -> dict[str, float]:
    """The in-process figures, measured in a fresh Python so sizes do not disturb each other."""
    cmd = [sys.executable, "-m", "bench.bench_timeline", "--cards", str(cards), "--lanes",
           str(lanes), "--repeat", str(args.repeat), "--frames", str(args.frames), "--drags",
           str(args.drags), "--json"]  # fmt: skip
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM") or "offscreen")
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=args.timeout * 4)  # fmt: skip
    except subprocess.TimeoutExpired:
        print(f"  {cards:,} cards in {lanes} lanes: timed out", file=sys.stderr)
        return {}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"  {cards:,} cards in {lanes} lanes failed:\n{tail}", file=sys.stderr)
        return {}
    figures: dict[str, float] = json.loads(lines[-1])
    return figures


def measure(args: argparse.Namespace) -> tuple[Figures, dict[str, Any]]:
    configs = [(n, lanes) for lanes in args.lanes for n in args.sizes]
    log = _log(args)
    paths = {}
    for n, lanes in configs:
        t0 = time.perf_counter()
        paths[(n, lanes)] = roadmap_file(n, lanes)
        log(f"roadmap {n:,} cards in {lanes} lanes ready ({time.perf_counter() - t0:.1f} s)")
    figures: Figures = {c: {} for c in configs}
    extra: dict[str, Any] = {}

    log("cold starts (interleaved with the empty window)")
    cold = bench_startup.run({f"{n}/{lanes}": paths[(n, lanes)] for n, lanes in configs},
                             repeat=args.repeat, timeout=args.timeout)  # fmt: skip
    extra["floor_ms"] = cold.get("floor", {}).get("seconds", math.nan) * 1000
    extra["floor_mb"] = cold.get("floor", {}).get("max_rss_mb", math.nan)
    for n, lanes in configs:
        c = cold.get(f"{n}/{lanes}", {})
        if "seconds" in c:
            figures[(n, lanes)]["cold_ms"] = c["seconds"] * 1000
            figures[(n, lanes)]["cold_x"] = c["seconds"] * 1000 / extra["floor_ms"]
            figures[(n, lanes)]["rss_mb"] = c["max_rss_mb"]
            if "complete" in c:
                figures[(n, lanes)]["whole_ms"] = c["complete"] * 1000

    for n, lanes in configs:
        log(f"timeline: {n:,} cards in {lanes} lanes")
        figures[(n, lanes)].update(_timeline(n, lanes, args))

    if not args.skip_export:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            log("export: matplotlib is missing (pip install -e '.[bench]'); skipped")
        else:
            from bench import bench_export

            log("export: 1,000 cards to PNG and PDF, against matplotlib")
            extra["export"] = bench_export.run(cards=1000, repeat=args.repeat)
    if not args.skip_snapshots:
        from bench import bench_snapshots

        n = 10_000 if 10_000 in args.sizes else max(args.sizes)
        log(f"snapshots: take and diff at {n:,} cards")
        extra["snapshots"] = bench_snapshots.run(cards=n, repeat=args.repeat)
    return figures, extra


def _log(args: argparse.Namespace) -> Callable[[str], None]:
    def log(text: str) -> None:
        if not args.quiet:
            print(f"… {text}", file=sys.stderr, flush=True)

    return log


def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f}"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _growth(row: Row, lanes: int, figures: Figures) -> str:
    a = figures.get((1000, lanes), {}).get(row.key)
    b = figures.get((10_000, lanes), {}).get(row.key)
    if row.per_action is None or not a or not b:
        return ""
    ratio = b / a
    limit = 1.5 if row.per_action else 12.0
    return f"{ratio:.1f}x" + ("" if ratio <= limit else " !")


def table(figures: Figures, extra: dict[str, Any], args: argparse.Namespace) -> str:
    sizes = sorted({n for n, _ in figures})
    lines = [
        f"Roadmap Planner benchmarks, {time.strftime('%Y-%m-%d')}: "
        f"{platform.python_implementation()} {platform.python_version()}, PySide6 "
        f"{_pyside()}, {os.cpu_count()} CPUs, load {_load()}, QT_QPA_PLATFORM=offscreen",
        f"medians of {args.repeat} runs; frames over {args.frames}; drags {args.drags}; "
        f"empty PySide6 window (the floor): {_fmt(extra.get('floor_ms'), 'ms')} ms, "
        f"{_fmt(extra.get('floor_mb'), 'MB')} MB",
        "",
    ]
    head = f"{'':27s} {'lanes':>5s}" + "".join(f"{n:>10,}" for n in sizes) + f"{'1k→10k':>9s}"
    lines += [head + "   (ms unless marked)", "-" * (len(head) + 21)]
    for lanes in sorted({lanes for _, lanes in figures}, reverse=True):
        for row in ROWS:
            cells = "".join(f"{_fmt(figures.get((n, lanes), {}).get(row.key), row.unit):>10s}"
                            for n in sizes)  # fmt: skip
            label = row.label + (" MB" if row.unit == "MB" else "")
            lines.append(f"{label:27s} {lanes:>5d}{cells}{_growth(row, lanes, figures):>9s}")
        lines.append("")
    lines.append("1k→10k: growth from 1,000 to 10,000 cards; \"!\" marks a per-action cost that "
                 "grew over 1.5x or a whole-roadmap cost over 12x.")  # fmt: skip
    export = extra.get("export")
    if export:
        lines += ["", "export of 1,000 cards, whole process (ms):   ours   matplotlib   faster"]
        for fmt in ("png", "pdf"):
            lines.append(f"  {fmt.upper():42s}{export[f'{fmt}_ms']:7,.0f}"
                         f"{export[f'{fmt}_matplotlib_ms']:13,.0f}"
                         f"{export[f'{fmt}_ratio']:8.1f}x")  # fmt: skip
    snaps = extra.get("snapshots")
    if snaps:
        lines += ["", f"snapshots at {int(snaps['cards']):,} cards: take a snapshot "
                  f"{snaps['snapshot_ms']:.1f} ms, diff since a snapshot {snaps['diff_ms']:.1f} ms "
                  f"({int(snaps['changes_found'])} changes found)"]  # fmt: skip
    lines += ["", "target" + " " * 62 + "measured  result"]
    for label, measured, ok in verdicts(figures, extra):
        result = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        lines.append(f"  {label:66s}{measured:>12s}  {result}")
    return "\n".join(lines)


def verdicts(figures: Figures, extra: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, passed) for each target of the product brief; None: not measured."""

    def get(n: int, key: str, lanes: int = 100) -> float | None:
        found = [figures[(n, lanes)]] if (n, lanes) in figures else []
        found += [f for (m, _), f in sorted(figures.items()) if m == n]  # another lane count
        for f in found:
            value = f.get(key)
            if value is not None and not math.isnan(value):
                return value
        return None

    out: list[tuple[str, str, bool | None]] = []

    def check(label: str, value: float | None, unit: str, ok: Callable[[float], bool]) -> None:
        if value is None:
            out.append((label, "—", None))
        else:
            out.append((label, _fmt(value, unit) + ("" if unit == "x" else f" {unit}"), ok(value)))

    check("first paint, 1,000 cards (cold start) < 2x the empty window", get(1000, "cold_x"),
          "x", lambda v: v < 2)  # fmt: skip
    check("open + first paint, 10,000 cards (cold start) < 1 s",
          get(10_000, "cold_ms"), "ms", lambda v: v < 1000)  # fmt: skip
    check("open + first paint, 10,000 cards, new window in a running app < 1 s",
          get(10_000, "first_paint_ms"), "ms", lambda v: v < 1000)  # fmt: skip
    check("pan frame at 1920x1080, 10,000 cards, p95 < 16 ms", get(10_000, "pan_p95_ms"), "ms",
          lambda v: v < 16)  # fmt: skip
    check("zoom frame at 1920x1080, 10,000 cards, p95 < 16 ms", get(10_000, "zoom_p95_ms"),
          "ms", lambda v: v < 16)  # fmt: skip
    check("drag commit, 10,000 cards < 5 ms", get(10_000, "drag_ms"), "ms", lambda v: v < 5)
    drag, floor = get(10_000, "drag_ms"), get(10_000, "commit_floor_ms")
    check("  the same above this disk's bare commit (fsync) < 5 ms",
          drag - floor if drag is not None and floor is not None else None, "ms",
          lambda v: v < 5)  # fmt: skip
    small, big = get(100, "drag_ms"), get(10_000, "drag_ms")
    check("drag commit as fast at 10,000 as at 100 cards (within 1.5x)",
          big / small if big and small else None, "x", lambda v: v <= 1.5)  # fmt: skip
    export = extra.get("export") or {}
    for fmt in ("png", "pdf"):
        check(f"export 1,000 cards to {fmt.upper()} >= 5x faster than matplotlib",
              export.get(f"{fmt}_ratio"), "x", lambda v: v >= 5)  # fmt: skip
    check("peak memory, 10,000 cards < 250 MB", get(10_000, "rss_mb"), "MB", lambda v: v < 250)
    fifty = figures.get((50_000, 100))
    if fifty is None:
        out.append(("50,000 cards still open and pan", "—", None))
    else:
        pan = fifty.get("pan_p95_ms")
        out.append(("50,000 cards still open and pan",
                    "—" if pan is None else f"pan p95 {_fmt(pan, 'ms')} ms",
                    "first_paint_ms" in fifty and pan is not None))  # fmt: skip
    snaps = extra.get("snapshots") or {}
    worst = max(snaps.get("snapshot_ms", 0.0), snaps.get("diff_ms", 0.0)) if snaps else None
    n = int(snaps.get("cards", 10_000))
    check(f"snapshot and diff, {n:,} cards < 200 ms each", worst, "ms", lambda v: v < 200)
    return out


def _pyside() -> str:
    try:
        import PySide6

        return str(PySide6.__version__)
    except ImportError:
        return "?"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_ints, default=[100, 1000, 10_000, 50_000],
                        help="card counts, comma-separated (default 100,1000,10000,50000)")
    parser.add_argument("--lanes", type=_ints, default=[100, 10],
                        help="lane counts, comma-separated (default 100,10)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--frames", type=int, default=100, help="pan and zoom frames (100)")
    parser.add_argument("--drags", type=int, default=20, help="drags per roadmap (20)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a cold start may take before it counts as failed")
    parser.add_argument("--quick", action="store_true",
                        help="100, 1,000 and 10,000 cards in 100 lanes, 2 runs, 30 frames")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-snapshots", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="only the table")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [n for n in args.sizes if n <= 10_000]
        args.lanes, args.repeat, args.frames, args.drags = [100], 2, 30, 6
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    figures, extra = measure(args)
    print(table(figures, extra, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
