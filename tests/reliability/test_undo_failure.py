"""A write that fails during undo or redo (disk full, read-only, a refused change).

Expected: the undo stack's index, the file and the screen agree afterwards, the message is in
the status bar, nothing is lost, and the same undo or redo works once the write can be made.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from planner.errors import RoadmapFileError
from planner.model import Card
from ui import commands


def _row(path: Path, card_id: int) -> tuple[str | None, str | None, int | None]:
    """(start, end, lane) of a card as the file holds it, read by a second connection."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT start_date, end_date, lane_id FROM cards"
                           " WHERE plan_id = 1 AND id = ?", (card_id,)).fetchone()  # fmt: skip
    finally:
        conn.close()
    return row[0], row[1], row[2]


def _titles(path: Path) -> set[str]:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM cards WHERE plan_id = 1")}
    finally:
        conn.close()


def _as_stored(card: Card) -> tuple[str | None, str | None, int | None]:
    return (card.start.isoformat() if card.start else None,
            card.end.isoformat() if card.end else None, card.lane_id)  # fmt: skip


def _screen(window, card_id: int) -> tuple[str | None, str | None, int | None]:
    """What the rooms show for a card: the document's card, the list's and the timeline's."""
    shown = {c.id: c for c in window.document.cards()}[card_id]
    model = window.list_view.model if hasattr(window, "list_view") else None
    if model is not None and hasattr(model, "row_of"):
        row = model.row_of(card_id)
        if row is not None:
            assert model.card_at(row) == shown
    item = window.timeline.timeline_scene.card_items.get(card_id)
    if item is not None and shown.scheduled:
        assert (item.card.start, item.card.end, item.card.lane_id) == (
            shown.start, shown.end, shown.lane_id)
    return _as_stored(shown)


def _scheduled(window) -> Card:
    return next(c for c in window.roadmap.cards() if c.start is not None and c.lane_id)


def _move(window, card: Card, days: int) -> tuple[str | None, str | None, int | None]:
    assert card.start is not None and card.end is not None
    start, end = card.start + dt.timedelta(days=days), card.end + dt.timedelta(days=days)
    commands.run(window.undo_stack, commands.MoveCards(window.roadmap, {card.id: (start, end,
                                                                                  None)}))
    return start.isoformat(), end.isoformat(), card.lane_id


def _read_only(window, on: bool) -> None:
    # What SQLite reports when the file can no longer be written (root ignores chmod).
    window.roadmap._conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


def test_undo_and_redo_that_cannot_be_written_leave_the_stack_where_the_file_is(
    window, qtbot
) -> None:
    path, stack = window.path, window.undo_stack
    card = _scheduled(window)
    original = _as_stored(card)
    moved = _move(window, card, 7)
    steps = stack.index()
    assert _row(path, card.id) == moved

    _read_only(window, True)
    stack.undo()
    assert stack.index() == steps  # the step is still done: the file did not change
    assert stack.canUndo() and stack.undoText() == "Move card"
    assert _row(path, card.id) == moved == _screen(window, card.id)
    assert "read-only" in window.statusBar().currentMessage()
    assert window.statusBar().currentMessage().startswith("Could not undo: ")
    assert "Nothing was lost" in window.statusBar().currentMessage()
    assert window._saved_label.text().startswith("Not saved")

    _read_only(window, False)  # the file can be written again: the same undo works
    stack.undo()
    assert stack.index() == steps - 1
    assert _row(path, card.id) == original == _screen(window, card.id)

    _read_only(window, True)
    stack.redo()
    assert stack.index() == steps - 1  # the redo did not happen
    assert stack.canRedo()
    assert _row(path, card.id) == original == _screen(window, card.id)
    assert "read-only" in window.statusBar().currentMessage()
    assert window.statusBar().currentMessage().startswith("Could not redo: ")

    _read_only(window, False)
    stack.redo()
    assert stack.index() == steps
    assert _row(path, card.id) == moved == _screen(window, card.id)
    assert window._saved_label.text().startswith("All changes saved")


def test_undo_of_a_delete_on_a_full_disk_keeps_the_cards_deleted_and_can_be_retried(
    window,
) -> None:
    path, stack = window.path, window.undo_stack
    big = [{"title": f"Big {i}", "description": "x" * 20_000} for i in range(40)]
    added = commands.run(stack, commands.AddCards(window.roadmap, big))
    ids = [c.id for c in added]
    commands.run(stack, commands.DeleteCards(window.roadmap, ids))
    steps = stack.index()
    before = _titles(path)
    assert not before & {c["title"] for c in big}
    conn = window.roadmap._conn
    conn.execute("VACUUM")  # no free pages left in the file for the cards to come back into
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now sees a full disk
    try:
        stack.undo()
        assert stack.index() == steps
        assert _titles(path) == before
        assert not {c.id for c in window.document.cards()} & set(ids)
        assert "disk is full" in window.statusBar().currentMessage()
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
    stack.undo()  # space freed: the cards come back
    assert stack.index() == steps - 1
    assert {c["title"] for c in big} <= _titles(path)
    assert set(ids) <= {c.id for c in window.document.cards()}


def test_a_refused_undo_is_shown_and_kept(window) -> None:
    """The undo would move a card back into a lane deleted outside the undo history."""
    path, stack, roadmap = window.path, window.undo_stack, window.roadmap
    card = _scheduled(window)
    other = next(lane for lane in roadmap.lanes() if lane.id != card.lane_id)
    assert card.start is not None and card.end is not None
    commands.run(stack, commands.MoveCards(roadmap, {card.id: (card.start, card.end, other.id)}))
    steps = stack.index()
    deleted = roadmap.delete_lane(card.lane_id)  # e.g. another undo history
    stack.undo()
    assert stack.index() == steps
    assert _row(path, card.id)[2] == other.id == _screen(window, card.id)[2]
    assert "no lane" in window.statusBar().currentMessage()
    roadmap.restore_lane(deleted)
    stack.undo()
    assert stack.index() == steps - 1
    assert _row(path, card.id)[2] == card.lane_id == _screen(window, card.id)[2]


def test_a_failure_in_the_middle_of_a_history_jump_stops_there(window) -> None:
    """Undoing three steps at once (the history list) stops at the step that failed."""
    path, stack = window.path, window.undo_stack
    cards = [c for c in window.roadmap.cards() if c.start is not None][:3]
    first = stack.index()
    rows = [_move(window, c, 7) for c in cards]
    originals = [_as_stored(c) for c in cards]
    real = window.roadmap.update_cards_with_before
    calls = {"n": 0}

    def second_write_fails(changes):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RoadmapFileError("plan.roadmap cannot be written: the disk is full")
        return real(changes)

    window.roadmap.update_cards_with_before = second_write_fails
    window.roadmap.update_cards = lambda changes: second_write_fails(changes)[1]
    try:
        stack.setIndex(first)
    finally:
        del window.roadmap.update_cards_with_before, window.roadmap.update_cards
    # The last move was undone, the middle one failed, so the first is still done too.
    assert stack.index() == first + 2
    assert [_row(path, c.id) for c in cards] == [rows[0], rows[1], originals[2]]
    assert [_screen(window, c.id) for c in cards] == [rows[0], rows[1], originals[2]]
    assert "disk is full" in window.statusBar().currentMessage()
    stack.setIndex(first)
    assert [_row(path, c.id) for c in cards] == originals


def test_a_half_undone_macro_is_done_again(window) -> None:
    """Deleting a lane is one step of two commands; if the second undo fails, the first is
    re-applied so the step is wholly done, as the stack says."""
    path, stack, roadmap = window.path, window.undo_stack, window.roadmap
    lane = next(la for la in roadmap.lanes() if any(c.lane_id == la.id and c.start
                                                    for c in roadmap.cards()))  # fmt: skip
    dated = [c for c in roadmap.cards() if c.lane_id == lane.id and c.start]
    stack.beginMacro("Delete lane")
    commands.run(stack, commands.MoveCards(roadmap, {c.id: (None, None, None) for c in dated}))
    commands.run(stack, commands.DeleteLane(roadmap, lane.id))
    stack.endMacro()
    steps = stack.index()
    assert lane.id not in {la.id for la in roadmap.lanes()}

    def fails(changes):
        raise RoadmapFileError("plan.roadmap cannot be written: the disk is full")

    roadmap.update_cards = fails  # the lane comes back, then the cards cannot move back
    try:
        stack.undo()
    finally:
        del roadmap.update_cards
    assert stack.index() == steps
    assert lane.id not in {la.id for la in roadmap.lanes()}  # deleted again, as the stack says
    assert all(_row(path, c.id)[:2] == (None, None) for c in dated)
    assert all(_screen(window, c.id)[:2] == (None, None) for c in dated)
    assert "disk is full" in window.statusBar().currentMessage()
    stack.undo()
    assert stack.index() == steps - 1
    assert lane.id in {la.id for la in roadmap.lanes()}
    assert [_row(path, c.id) for c in dated] == [_as_stored(c) for c in dated]


def test_commands_implement_apply_and_revert() -> None:
    with pytest.raises(TypeError, match="revert"):

        class Wrong(commands.RoadmapCommand):
            def undo(self) -> None:
                pass
