"""A child process that edits a roadmap at random until it is killed.

Before each edit it prints ``BEGIN seq digest kind`` (the digest of the state the edit must
produce, computed from a plain reference model) and ``ACK seq`` once the commit returned.
Run as ``python crash_child.py FILE SEED COPIES_DIR``.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import random
import sys
from pathlib import Path
from typing import Any

from planner.errors import ValidationError
from planner.store import Roadmap
from tests.reliability._support import digest, state_of

TITLES = ("Checkout v2", "SSO for teams", "Offline mode", "Ré-écriture", "数据导出", "<b>bold</b>",
          "=SUM(A1:A9)", "quote \" and ' both", "emoji 🚀", "right-to-left \u202eevil")  # fmt: skip


def out(line: str) -> None:
    os.write(1, (line + "\n").encode())


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def random_dates(rng: random.Random) -> tuple[dt.date | None, dt.date | None]:
    if rng.random() < 0.2:
        return None, None
    start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    return start, start + dt.timedelta(days=rng.randrange(0, 90))


def reachable(deps: list[list[int]] | list[tuple[int, int]], start: int, goal: int) -> bool:
    succ: dict[int, list[int]] = {}
    for b, a in deps:
        succ.setdefault(b, []).append(a)
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def add_to_model(state: dict[str, Any], next_id: int, specs: list[dict[str, Any]]) -> None:
    for i, spec in enumerate(specs):
        state["cards"][next_id + i] = {
            "title": spec["title"], "lane_id": spec.get("lane_id"),
            "start": iso(spec.get("start")), "end": iso(spec.get("end")),
            "description": spec.get("description", ""),
        }  # fmt: skip


def step(roadmap: Roadmap, rng: random.Random, seq: int, copies: Path, run_id: int) -> None:
    """Choose one edit, announce the state it must produce, make it, acknowledge it."""
    conn = roadmap._conn
    state = state_of(conn)
    expected = copy.deepcopy(state)
    cards = sorted(state["cards"])
    scheduled = [c for c in cards if state["cards"][c]["start"]]
    lanes = sorted(state["lanes"])
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0]
    weights = {"add": 3 if len(cards) < 120 else 1, "move": 4, "resize": 2, "delete": 2,
               "edit": 3, "link": 2, "import": 1, "copy": 0.3, "snapshot": 0.3}  # fmt: skip
    kind = rng.choices(list(weights), list(weights.values()))[0]
    action: Any
    if kind == "add" or (not cards and kind not in ("import", "copy", "snapshot")):
        kind = "add"
        specs = []
        for _ in range(rng.randint(1, 5)):
            start, end = random_dates(rng)
            specs.append({"title": rng.choice(TITLES), "lane_id": rng.choice(lanes),
                          "start": start, "end": end})  # fmt: skip
        add_to_model(expected, next_id, specs)

        def action() -> Any:
            return roadmap.add_cards(specs)
    elif kind == "import":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["Summary", "Start", "End", "Description"])
        for i in range(rng.randint(2, 8)):
            start, end = random_dates(rng)
            writer.writerow([f"Imported {seq}.{i} {rng.choice(TITLES)}", iso(start) or "",
                             iso(end) or "", "from a CSV"])  # fmt: skip
        rows = list(csv.DictReader(io.StringIO(buf.getvalue()), strict=True))
        specs = [{"title": r["Summary"], "lane_id": lanes[0],
                  "start": dt.date.fromisoformat(r["Start"]) if r["Start"] else None,
                  "end": dt.date.fromisoformat(r["End"]) if r["End"] else None,
                  "description": r["Description"]} for r in rows]  # fmt: skip
        add_to_model(expected, next_id, specs)

        def action() -> Any:
            return roadmap.add_cards(specs)
    elif kind == "move" and scheduled:
        chosen = rng.sample(scheduled, min(len(scheduled), rng.randint(1, 4)))
        delta = dt.timedelta(days=rng.randint(-30, 30))
        lane = rng.choice(lanes) if rng.random() < 0.5 else None
        moves = []
        for cid in chosen:
            card = expected["cards"][cid]
            start = dt.date.fromisoformat(card["start"]) + delta
            end = dt.date.fromisoformat(card["end"]) + delta
            moves.append((cid, start, end, lane))
            card.update(start=iso(start), end=iso(end))
            if lane is not None:
                card["lane_id"] = lane

        def action() -> Any:
            return roadmap.move_cards(moves)
    elif kind == "resize" and scheduled:
        cid = rng.choice(scheduled)
        card = expected["cards"][cid]
        start = dt.date.fromisoformat(card["start"])
        end = start + dt.timedelta(days=rng.randint(0, 120))
        card["end"] = iso(end)

        def action() -> Any:
            return roadmap.update_card(cid, end=end)
    elif kind == "delete":
        chosen = rng.sample(cards, min(len(cards), rng.randint(1, 3)))
        for cid in chosen:
            del expected["cards"][cid]
        expected["deps"] = [d for d in expected["deps"] if d[0] not in chosen
                            and d[1] not in chosen]  # fmt: skip

        def action() -> Any:
            return roadmap.delete_cards(chosen)
    elif kind == "link" and len(cards) >= 2:
        before, after = rng.sample(cards, 2)
        if (before, after) in expected["deps"] or reachable(expected["deps"], after, before):
            return
        expected["deps"] = sorted([*expected["deps"], (before, after)])

        def action() -> Any:
            return roadmap.add_dependency(before, after)
    elif kind == "copy":
        target = copies / f"copy-{seq}.roadmap"

        def action() -> Any:
            return roadmap.save_copy(target)
    elif kind == "snapshot":
        expected["snapshots"] += 1

        def action() -> Any:
            return roadmap.take_snapshot(f"Review {run_id}.{seq}")  # names are unique
    else:
        kind = "edit"
        cid = rng.choice(cards)
        title = f"{rng.choice(TITLES)} #{seq}"
        description = "x" * rng.randint(0, 3000)
        expected["cards"][cid].update(title=title, description=description)

        def action() -> Any:
            return roadmap.update_card(cid, title=title, description=description)

    out(f"BEGIN {seq} {digest(expected)} {kind}")
    try:
        action()
    except ValidationError as exc:  # the model and the store disagree: a finding
        out(f"REFUSED {seq} {exc}")
        raise
    out(f"ACK {seq}")


def main() -> None:
    path, seed, copies = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    rng = random.Random(seed)
    roadmap = Roadmap.open(path)
    out(f"READY {digest(state_of(roadmap._conn))}")
    seq = 0
    while True:
        step(roadmap, rng, seq, copies, seed)
        seq += 1


if __name__ == "__main__":
    main()
