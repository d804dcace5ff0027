"""Export 1,000 cards to PNG and PDF, against the same bars drawn by matplotlib.

Whole process against whole process: each side starts a fresh Python, reads the same .roadmap
file, draws every dated card as a labelled bar in its lane and writes the file. Run on its own
with ``python -m bench.bench_export --cards 1000``; the benchmark runner calls ``run(...)`` and
gets the figures back as a dict (milliseconds and ratios).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 5.0
ROOT = Path(__file__).resolve().parent.parent

OURS = """
import sys
from planner.cli import main
sys.exit(main(["export", sys.argv[1], sys.argv[2]]))
"""

# The same picture in matplotlib: a bar per dated card in its lane's rows, with its title.
MATPLOTLIB = """
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from planner.store import Roadmap

src, out = sys.argv[1], sys.argv[2]
with Roadmap.open(src, read_only=True) as r:
    lanes = r.lanes()
    cards = [c for c in r.cards() if c.scheduled]
rows = {}
y = 0
for lane in lanes:
    ends = []
    for c in sorted((c for c in cards if c.lane_id == lane.id), key=lambda c: c.start):
        for i, end in enumerate(ends):
            if end < c.start:
                ends[i] = c.end
                break
        else:
            i = len(ends)
            ends.append(c.end)
        rows[c.id] = y + i
    y += max(1, len(ends))
colors = {lane.id: lane.color for lane in lanes}
fig, ax = plt.subplots(figsize=(22, max(4, y * 0.3)), dpi=96)
for c in cards:
    start = mdates.date2num(c.start)
    width = mdates.date2num(c.end) - start + 1
    ax.broken_barh([(start, width)], (rows[c.id], 0.8), facecolors=colors.get(c.lane_id))
    ax.text(start, rows[c.id] + 0.4, c.title, va="center", fontsize=8, clip_on=True)
ax.xaxis_date()
ax.invert_yaxis()
fig.savefig(out)
"""


def build(path: Path, cards: int, lanes: int = 20, seed: int = 1) -> None:
    """A roadmap with ``cards`` dated cards over a year, in ``lanes`` lanes."""
    from planner.store import Roadmap

    rng = random.Random(seed)
    day0 = dt.date(2027, 1, 4)
    with Roadmap.create(path, title=f"{cards} cards") as roadmap, roadmap.transaction():
        lane_ids = [roadmap.add_lane(f"Team {i + 1}").id for i in range(lanes)]
        specs = []
        for i in range(cards):
            start = day0 + dt.timedelta(days=rng.randrange(0, 330))
            specs.append({
                "title": f"{rng.choice(['Login', 'Search', 'Billing', 'Reports'])} {i + 1}",
                "lane_id": lane_ids[i % lanes],
                "start": start,
                "end": start + dt.timedelta(days=rng.randrange(5, 40)),
                "status": rng.choice(["idea", "planned", "in_progress", "done"]),
            })  # fmt: skip
        roadmap.add_cards(specs)


def _time(script: str, src: Path, out: Path) -> float:
    """Seconds for a fresh Python to run ``script`` (the whole process)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["MPLBACKEND"] = "Agg"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(src), str(out)], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def run(cards: int = 1000, repeat: int = 3) -> dict[str, Any]:
    """Median whole-process times (ms) of both sides for PNG and PDF, and the ratios."""
    figures: dict[str, Any] = {"cards": cards, "repeat": repeat, "target_ratio": TARGET_RATIO}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "bench.roadmap"
        build(src, cards)
        for fmt in ("png", "pdf"):
            ours = [_time(OURS, src, folder / f"ours.{fmt}") for _ in range(repeat)]
            theirs = [_time(MATPLOTLIB, src, folder / f"mpl.{fmt}") for _ in range(repeat)]
            ours_ms = statistics.median(ours) * 1000
            theirs_ms = statistics.median(theirs) * 1000
            figures[f"{fmt}_ms"] = round(ours_ms, 1)
            figures[f"{fmt}_matplotlib_ms"] = round(theirs_ms, 1)
            figures[f"{fmt}_ratio"] = round(theirs_ms / ours_ms, 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_export", description=__doc__)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    figures = run(args.cards, args.repeat)
    for fmt in ("png", "pdf"):
        ratio = figures[f"{fmt}_ratio"]
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        print(f"{fmt.upper()}: roadmap export {figures[f'{fmt}_ms']:.0f} ms, matplotlib "
              f"{figures[f'{fmt}_matplotlib_ms']:.0f} ms, {ratio:.1f}x faster "
              f"({verdict} the {TARGET_RATIO:g}x target), {args.cards} cards, whole process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
