"""The card list after a many-card edit equals a fresh load, in the order a sort shows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from ui import commands
from ui.card_table_model import COLUMNS, CardFilterProxy, CardTableModel


def _sorted_ids(proxy: CardFilterProxy, model: CardTableModel) -> list[tuple[str, int]]:
    """(start, id) of the rows as the sorted list shows them; cards with the same start may
    come in any order."""
    cards = [model.card_at(proxy.mapToSource(proxy.index(r, 0)).row())
             for r in range(proxy.rowCount())]  # fmt: skip
    shown = [(c.start.isoformat() if c.start else "9999", c.id) for c in cards]
    assert [start for start, _ in shown] == sorted(start for start, _ in shown)
    return sorted(shown)


def test_a_many_card_move_and_its_undo_leave_the_list_as_a_fresh_load(window) -> None:
    document, roadmap, stack = window.document, window.roadmap, window.undo_stack
    model = CardTableModel(document, stack)
    proxy = CardFilterProxy(document)
    proxy.setSourceModel(model)
    start = [c.key for c in COLUMNS].index("start")
    proxy.sort(start, Qt.SortOrder.AscendingOrder)
    scheduled = [c for c in roadmap.cards() if c.start is not None and c.end is not None]
    # Every other card moves a year on: the sorted order changes in runs and gaps.
    moves = {c.id: (c.start + dt.timedelta(days=365 + i), c.end + dt.timedelta(days=365 + i),
                    None)
             for i, c in enumerate(scheduled[::2]) if c.start and c.end}  # fmt: skip
    commands.run(stack, commands.MoveCards(roadmap, moves))

    def check() -> None:
        fresh = CardTableModel(document, QUndoStack())
        fresh_proxy = CardFilterProxy(document)
        fresh_proxy.setSourceModel(fresh)
        fresh_proxy.sort(start, Qt.SortOrder.AscendingOrder)
        assert [model.card_at(r) for r in range(model.rowCount())] == [
            fresh.card_at(r) for r in range(fresh.rowCount())]
        assert _sorted_ids(proxy, model) == _sorted_ids(fresh_proxy, fresh)

    check()
    # Then a run of adjacent rows moves by different amounts, in one step.
    run_of = {}
    for i, c in enumerate(scheduled[: len(scheduled) // 2]):
        shift = dt.timedelta(days=i * 37 % 400)
        if c.start and c.end:
            run_of[c.id] = (c.start + shift, c.end + shift, None)
    commands.run(stack, commands.MoveCards(roadmap, run_of))
    check()
    for _ in range(2):
        stack.undo()
        check()
    for _ in range(2):
        stack.redo()
        check()
    # Deleting cards spread over the list renumbers only the rows below the first.
    commands.run(stack, commands.DeleteCards(roadmap, [c.id for c in scheduled[1::3]]))
    check()
    assert all(model.row_of(model.card_at(r).id) == r for r in range(model.rowCount()))
    stack.undo()
    check()
