"""The backlog after edits equals a fresh one: it rebuilds only when backlog cards change."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from ui import commands
from ui.backlog import Backlog


def test_backlog_after_edits_equals_a_fresh_one(window, monkeypatch) -> None:
    roadmap, stack, backlog = window.roadmap, window.undo_stack, window.backlog
    backlog.filter_line.setText("")
    scheduled = next(c for c in roadmap.cards() if c.start is not None)
    waiting = next(c for c in roadmap.cards() if c.start is None)
    rebuilds = []
    real = backlog.refresh

    def counted(*args):
        rebuilds.append(1)
        real(*args)

    monkeypatch.setattr(backlog, "refresh", counted)

    def check() -> None:
        fresh = Backlog(window.document, QUndoStack())
        assert backlog.card_ids() == fresh.card_ids()
        assert backlog.count_label.text() == fresh.count_label.text()
        fresh.deleteLater()

    edits = [
        (commands.AddCards(roadmap, [{"title": "Dated", "lane_id": scheduled.lane_id,
                                      "start": scheduled.start, "end": scheduled.end}]), False),
        (commands.UpdateCards(roadmap, {scheduled.id: {"title": "Renamed"}}), False),
        (commands.DeleteCards(roadmap, [scheduled.id]), False),
        (commands.AddCards(roadmap, [{"title": "Waiting"}]), True),
        (commands.UpdateCards(roadmap, {waiting.id: {"title": "Waiting renamed"}}), True),
        (commands.DeleteCards(roadmap, [waiting.id]), True),
    ]
    for edit, rebuilds_backlog in edits:
        rebuilds.clear()
        commands.run(stack, edit)
        assert bool(rebuilds) == rebuilds_backlog, edit.text()
        check()
    for _ in edits:
        stack.undo()
        check()
    for _ in edits:
        stack.redo()
        check()
