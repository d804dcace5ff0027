"""Undo and redo fuzzing over the GUI command layer (issue 8.5).

A hypothesis state machine adds, moves, resizes, deletes, edits and links cards through the
QUndoCommands of ui/commands.py on a QUndoStack, undoes and redoes, and closes and reopens the
file. After every step the file, read through a second connection, must equal a simple reference
model; undoing k steps and redoing them must give back the same file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtGui import QUndoStack

from planner.errors import ValidationError
from planner.store import Roadmap
from tests.reliability._support import SCALE, report
from ui.commands import (
    MERGE_FIELD,
    AddCards,
    AddDependency,
    DeleteCards,
    MoveCards,
    UpdateCards,
    run,
)

SEQUENCES = 1000 * SCALE
STEPS = 50
BASE = dt.date(2026, 1, 5)
TITLES = st.sampled_from(["Checkout", "SSO", "<b>bold</b>", "数据", "=1+1", "émoji 🚀", "x"])

# A card in the reference model: (title, lane, start, end); dates as ISO strings or None.
State = tuple[tuple[tuple[int, tuple[str, int | None, str | None, str | None]], ...],
              tuple[tuple[int, int], ...]]  # fmt: skip

STATS = {"sequences": 0, "steps": 0, "undos": 0, "redos": 0, "reopens": 0, "refused": 0,
         "merged edits": 0, "round trips": 0, "links made twice": 0}  # fmt: skip


def _folder() -> Path:
    """A RAM-backed folder when there is one: fsync there costs nothing, the logic is the same."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="roadmap-fuzz-", dir=shm if shm.is_dir() else None))


def _reachable(deps: set[tuple[int, int]], start: int, goal: int) -> bool:
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for b, a in deps:
            if b == node and a not in seen:
                seen.add(a)
                stack.append(a)
    return False


class CommandMachine(RuleBasedStateMachine):
    """The GUI command layer against a reference model of cards, links and undo history."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = _folder()
        self.path = self.folder / "fuzz.roadmap"
        self.roadmap = Roadmap.create(self.path)
        self.lanes = [self.roadmap.add_lane(name).id for name in ("Web", "Mobile", "Platform")]
        self.stack = QUndoStack()
        self.reader = sqlite3.connect(self.path.absolute().as_uri() + "?mode=ro", uri=True)
        self.cards: dict[int, tuple[str, int | None, str | None, str | None]] = {}
        self.deps: set[tuple[int, int]] = set()
        # The reference undo history: the state after each command, the index of the current
        # one, and each command's merge key (QUndoStack merges a new command into the one at
        # the current index when both have the same id and mergeWith accepts).
        self.history: list[State] = [self._state()]
        self.keys: list[Any] = [None]
        self.index = 0
        self.since_reopen = 0
        STATS["sequences"] += 1

    def teardown(self) -> None:
        self.reader.close()
        self.stack.clear()
        self.roadmap.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ----- the reference model

    def _state(self) -> State:
        return (tuple(sorted(self.cards.items())), tuple(sorted(self.deps)))

    def _load(self, state: State) -> None:
        self.cards = dict(state[0])
        self.deps = set(state[1])

    def _pushed(self, merge_key: Any = None) -> None:
        """The model's side of QUndoStack.push: drop the redo states, then push or merge."""
        del self.history[self.index + 1 :]
        del self.keys[self.index + 1 :]
        if merge_key is not None and merge_key == self.keys[self.index]:
            self.history[self.index] = self._state()
            STATS["merged edits"] += 1
        else:
            self.history.append(self._state())
            self.keys.append(merge_key)
            self.index += 1

    def _file(self) -> State:
        cards = {
            r[0]: (r[1], r[2], r[3], r[4])
            for r in self.reader.execute(
                "SELECT id, title, lane_id, start_date, end_date FROM cards WHERE plan_id = 1")
        }  # fmt: skip
        deps = {tuple(r) for r in self.reader.execute(
            "SELECT before_id, after_id FROM dependencies WHERE plan_id = 1")}  # fmt: skip
        return (tuple(sorted(cards.items())), tuple(sorted(deps)))  # type: ignore[arg-type]

    def _scheduled(self) -> list[int]:
        return [cid for cid, c in self.cards.items() if c[2] is not None]

    # ----- rules

    @initialize()
    def start(self) -> None:
        assert self._file() == self._state()

    @rule(n=st.integers(1, 3), lane=st.integers(0, 2), offset=st.integers(0, 300),
          length=st.integers(0, 60), dated=st.booleans(), title=TITLES)  # fmt: skip
    def add(self, n: int, lane: int, offset: int, length: int, dated: bool, title: str) -> None:
        start = BASE + dt.timedelta(days=offset) if dated else None
        end = start + dt.timedelta(days=length) if start else None
        specs = [{"title": f"{title} {i}", "lane_id": self.lanes[lane], "start": start,
                  "end": end} for i in range(n)]  # fmt: skip
        first = max([*self.cards, 0]) + 1
        run(self.stack, AddCards(self.roadmap, specs))
        for i, spec in enumerate(specs):
            self.cards[first + i] = (spec["title"], spec["lane_id"], start and start.isoformat(),
                                     end and end.isoformat())  # fmt: skip
        self._pushed()

    @precondition(lambda self: self._scheduled())
    @rule(data=st.data(), days=st.integers(-40, 40), lane=st.none() | st.integers(0, 2))
    def move(self, data: st.DataObject, days: int, lane: int | None) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(self._scheduled())), min_size=1,
                                    max_size=3, unique=True))  # fmt: skip
        delta = dt.timedelta(days=days)
        moves = {}
        for cid in chosen:
            title, lane_id, start, end = self.cards[cid]
            new_start = dt.date.fromisoformat(start) + delta  # type: ignore[arg-type]
            new_end = dt.date.fromisoformat(end) + delta  # type: ignore[arg-type]
            new_lane = self.lanes[lane] if lane is not None else None
            moves[cid] = (new_start, new_end, new_lane)
            self.cards[cid] = (title, new_lane if new_lane is not None else lane_id,
                               new_start.isoformat(), new_end.isoformat())  # fmt: skip
        run(self.stack, MoveCards(self.roadmap, moves))
        self._pushed()

    @precondition(lambda self: self._scheduled())
    @rule(data=st.data(), length=st.integers(0, 90))
    def resize(self, data: st.DataObject, length: int) -> None:
        cid = data.draw(st.sampled_from(sorted(self._scheduled())))
        title, lane_id, start, _ = self.cards[cid]
        end = dt.date.fromisoformat(start) + dt.timedelta(days=length)  # type: ignore[arg-type]
        run(self.stack, UpdateCards(self.roadmap, {cid: {"end": end}}, "Resize card"))
        self.cards[cid] = (title, lane_id, start, end.isoformat())
        self._pushed()

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(self.cards)), min_size=1, max_size=3,
                                    unique=True))  # fmt: skip
        run(self.stack, DeleteCards(self.roadmap, chosen))
        for cid in chosen:
            del self.cards[cid]
        self.deps = {d for d in self.deps if d[0] not in chosen and d[1] not in chosen}
        self._pushed()

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), title=TITLES, merge=st.booleans())
    def edit(self, data: st.DataObject, title: str, merge: bool) -> None:
        cid = data.draw(st.sampled_from(sorted(self.cards)))
        merge_id = MERGE_FIELD if merge else -1
        run(self.stack, UpdateCards(self.roadmap, {cid: {"title": title}}, merge_id=merge_id))
        self.cards[cid] = (title, *self.cards[cid][1:])
        self._pushed(("title", cid) if merge else None)

    @precondition(lambda self: len(self.cards) >= 2)
    @rule(data=st.data())
    def link(self, data: st.DataObject) -> None:
        before, after = data.draw(st.lists(st.sampled_from(sorted(self.cards)), min_size=2,
                                           max_size=2, unique=True))  # fmt: skip
        if _reachable(self.deps, after, before):
            with pytest.raises(ValidationError):
                run(self.stack, AddDependency(self.roadmap, before, after))
            STATS["refused"] += 1
            return
        run(self.stack, AddDependency(self.roadmap, before, after))
        if (before, after) in self.deps:
            STATS["links made twice"] += 1
        self.deps.add((before, after))
        self._pushed()

    @precondition(lambda self: self.index > 0)
    @rule()
    def undo(self) -> None:
        assert self.stack.canUndo()
        self.stack.undo()
        self.index -= 1
        self._load(self.history[self.index])
        STATS["undos"] += 1

    @precondition(lambda self: self.index < len(self.history) - 1)
    @rule()
    def redo(self) -> None:
        assert self.stack.canRedo()
        self.stack.redo()
        self.index += 1
        self._load(self.history[self.index])
        STATS["redos"] += 1

    @precondition(lambda self: self.index > 0)
    @rule(k=st.integers(1, 10))
    def undo_then_redo(self, k: int) -> None:
        """Undo k steps, then redo them: the file is back exactly where it was."""
        k = min(k, self.index)
        before = self._file()
        for _ in range(k):
            self.stack.undo()
            self.index -= 1
            assert self._file() == self.history[self.index]
        for _ in range(k):
            self.stack.redo()
            self.index += 1
            assert self._file() == self.history[self.index]
        assert self._file() == before
        STATS["round trips"] += 1

    @precondition(lambda self: self.since_reopen >= 8)
    @rule()
    def reopen(self) -> None:
        """Close the file and open it again: everything is there; the history starts afresh."""
        self.stack.clear()
        self.roadmap.close()
        self.roadmap = Roadmap.open(self.path)
        self.history = [self._state()]
        self.keys = [None]
        self.index = 0
        self.since_reopen = 0
        STATS["reopens"] += 1

    @invariant()
    def file_equals_model(self) -> None:
        STATS["steps"] += 1
        self.since_reopen += 1
        assert self.stack.index() == self.index or self.stack.count() == 0
        assert self._file() == self._state()


@pytest.mark.slow
def test_undo_redo_fuzzing_over_the_command_layer(qapp) -> None:
    started = time.monotonic()
    with contextlib.ExitStack():
        run_state_machine_as_test(
            CommandMachine,
            settings=settings(max_examples=SEQUENCES, stateful_step_count=STEPS, deadline=None,
                              derandomize=True, database=None,
                              suppress_health_check=list(HealthCheck)),  # fmt: skip
        )
    elapsed = time.monotonic() - started
    report(f"undo/redo fuzzing: {STATS['sequences']} sequences of up to {STEPS} steps"
           f" ({STATS['steps'] / max(1, STATS['sequences']):.0f} on average)"
           f" ({STATS['steps']} checks of the file against the reference model,"
           f" {STATS['undos']} undos, {STATS['redos']} redos, {STATS['round trips']} undo-k/redo-k"
           f" round trips, {STATS['merged edits']} merged edits, {STATS['reopens']} reopens,"
           f" {STATS['refused']} refused links, {STATS['links made twice']} links made twice);"
           f" 0 mismatches ({elapsed:.1f} s)")  # fmt: skip
