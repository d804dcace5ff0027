"""The board, patched tile by tile after edits, equals a board built afresh."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack

from ui import commands
from ui.board import ID_ROLE, BoardView

TODAY = dt.date.today()


def _selected(board: BoardView) -> set[int]:
    return {int(i.data(ID_ROLE)) for c in board.columns.values() for i in c.selectedItems()}


def test_board_after_edits_equals_a_fresh_one(window, qtbot) -> None:
    roadmap, stack, document = window.roadmap, window.undo_stack, window.document
    board: BoardView = window.board
    board.today = TODAY
    window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: not board._stale)
    board.rebuild()
    dated = [c for c in roadmap.cards() if c.start is not None and c.end is not None]
    waiting = next(c for c in roadmap.cards() if c.start is None)
    document.set_selection([dated[0].id, dated[3].id, waiting.id])

    def check() -> None:
        fresh = BoardView(document, QUndoStack())
        fresh.today = TODAY
        fresh.rebuild()
        assert board.shown_ids() == fresh.shown_ids()
        assert _selected(board) == _selected(fresh) == set(document.selection) & {
            i for ids in fresh.shown_ids().values() for i in ids}
        fresh.deleteLater()

    check()
    far = TODAY + dt.timedelta(days=400)
    a, b = dated[0], dated[1]
    assert a.start and a.end and b.start and b.end
    edits = [
        commands.MoveCards(roadmap, {a.id: (far, far + (a.end - a.start), None)}),  # to Later
        commands.MoveCards(roadmap, {b.id: (TODAY, TODAY + (b.end - b.start), None)}),  # to Now
        commands.MoveCards(roadmap, {dated[3].id: (None, None, None)}),  # to the backlog
        commands.UpdateCards(roadmap, {dated[2].id: {"title": "Aardvark first"}}),
        commands.MoveCards(roadmap, {waiting.id: (TODAY, TODAY + dt.timedelta(days=5),
                                                  a.lane_id)}),  # fmt: skip
        commands.DeleteCards(roadmap, [dated[4].id]),
        commands.AddCards(roadmap, [{"title": "New", "lane_id": a.lane_id, "start": TODAY,
                                     "end": TODAY + dt.timedelta(days=3)}]),
        commands.MoveCards(roadmap, {c.id: (c.start + dt.timedelta(days=30),
                                            c.end + dt.timedelta(days=30), None)
                                     for c in dated[5:60] if c.start and c.end}),  # fmt: skip
    ]
    for edit in edits:
        commands.run(stack, edit)
        check()
    for _ in edits:
        stack.undo()
        check()
    for _ in edits:
        stack.redo()
        check()
    document.set_selection([dated[1].id, dated[6].id])
    check()
