"""Snapshots through the window: take one, drag a card, compare, read the change list."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from planner import Roadmap
from ui import settings, snapshots

D = dt.date


@pytest.fixture
def plan(roadmap_path: Path):
    """Two lanes and three cards at known dates; returns (path, ids)."""
    r = Roadmap.create(roadmap_path, title="Plan")
    lanes = [r.add_lane(name).id for name in ("Alpha", "Beta")]
    a = r.add_card("Card A", lanes[0], D(2026, 3, 2), D(2026, 3, 13), estimate=5).id
    b = r.add_card("Card B", lanes[0], D(2026, 3, 23), D(2026, 4, 3)).id
    c = r.add_card("Card <b>C</b>", lanes[1], D(2026, 3, 9), D(2026, 3, 20)).id
    r.close()
    return roadmap_path, {"lanes": lanes, "a": a, "b": b, "c": c}


@pytest.fixture
def win(qtbot, plan):
    from ui.main_window import MainWindow

    settings.put("snap_unit", "day")
    w = MainWindow(plan[0])
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    tl = w.timeline
    if hasattr(tl, "set_zoom"):
        tl.set_zoom(10.0, 0)
        tl._scroll_left_to(tl.time_scale.x_for_date(D(2026, 2, 20)))
        tl.verticalScrollBar().setValue(0)
    yield w
    if not w.roadmap.closed:
        w.close()


def _send(widget, kind, pos: QPointF, buttons) -> None:
    moving = kind == QMouseEvent.Type.MouseMove
    button = Qt.MouseButton.NoButton if moving else Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos.toPoint())), button,
                     buttons, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, ev)


def drag(view, start: QPointF, end: QPointF, steps: int = 6) -> None:
    vp = view.viewport()
    left = Qt.MouseButton.LeftButton
    _send(vp, QMouseEvent.Type.MouseButtonPress, start, left)
    for i in range(1, steps + 1):
        _send(vp, QMouseEvent.Type.MouseMove, start + (end - start) * (i / steps), left)
    _send(vp, QMouseEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def click_row(panel, qtbot, row: int) -> None:
    index = panel.model.index(row)
    panel.list.scrollTo(index)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.list.visualRect(index).center())


def snapshot_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT p.name, c.id, c.start_date, c.end_date FROM plans p JOIN cards c"
            " ON c.plan_id = p.id WHERE p.kind = 'snapshot' ORDER BY p.id, c.id").fetchall()


def card_row(path: Path, card_id: int, plan_id: int = 1) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT start_date, end_date, lane_id, status FROM cards"
                            " WHERE plan_id = ? AND id = ?", (plan_id, card_id)).fetchone()


def take_snapshot_through_the_menu(win, qtbot, name: str) -> None:
    win.snapshots.take_action.trigger()
    dialog = win.snapshots.name_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.edit.setText(name)
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def compare_action(win, name: str):
    room = win.snapshots
    room.compare_menu.aboutToShow.emit()
    for action in room.compare_menu.actions():
        if action.text() == name:
            return action
    raise AssertionError(f"no Compare With entry {name!r}: "
                         f"{[a.text() for a in room.compare_menu.actions()]}")  # fmt: skip


def test_snapshot_drag_compare_shows_ghost_and_change_list(win, plan, qtbot):
    path, ids = plan
    tl = win.timeline
    take_snapshot_through_the_menu(win, qtbot, "Q3 review")
    assert [r[0] for r in snapshot_rows(path)] == ["Q3 review"] * 3
    assert "Q3 review" in win.statusBar().currentMessage()

    # Drag card A one week later, into lane Beta.
    rect = tl.card_rect(ids["a"])
    start = QPointF(rect.center())
    end = QPointF(start.x() + 7 * 10.0, tl.lane_rect(ids["lanes"][1]).center().y())
    drag(tl, start, end)
    assert card_row(path, ids["a"])[:3] == ("2026-03-09", "2026-03-20", ids["lanes"][1])
    # The snapshot is untouched by the drag.
    assert ("Q3 review", ids["a"], "2026-03-02", "2026-03-13") in snapshot_rows(path)

    compare_action(win, "Q3 review").trigger()
    room = win.snapshots
    assert room.dock.isVisible()
    rows = room.panel.rows()
    assert len(rows) == 1
    assert "Card A" in rows[0] and "moved 1 week later" in rows[0]
    assert "lane Alpha → Beta" in rows[0]
    ghosts = tl.timeline_scene.ghosts
    assert [(g.card_id, g.lane_id, g.start, g.end) for g in ghosts] == [
        (ids["a"], ids["lanes"][0], D(2026, 3, 2), D(2026, 3, 13))
    ]
    # The changed card carries a badge on the timeline.
    assert tl.timeline_scene.badges == {ids["a"]: "changed"}

    # A click on the entry selects the card.
    win.document.set_selection([])
    click_row(room.panel, qtbot, 0)
    assert win.document.selection == (ids["a"],)

    # Another edit while comparing updates the list without being asked.
    with qtbot.waitSignal(room.comparison_changed):
        from ui.commands import UpdateCards, run

        run(win.undo_stack, UpdateCards(win.roadmap, {ids["b"]: {"status": "done"}}))
    assert any("Card B" in r and "status Planned → Done" in r for r in room.panel.rows())

    # Undo of both edits empties the list again.
    with qtbot.waitSignal(room.comparison_changed):
        win.undo_action.trigger()
        win.undo_action.trigger()
    assert room.panel.rows() == []
    assert room.panel.summary.text() == "No changes"
    assert tl.timeline_scene.ghosts == [] and tl.timeline_scene.badges == {}

    room.stop_action.trigger()
    assert not room.dock.isVisible()


def test_the_change_list_without_a_timeline_drag(win, plan, qtbot):
    path, ids = plan
    room = win.snapshots
    snap = room.take_snapshot("Board meeting")
    from ui.commands import DeleteCards, UpdateCards, run

    run(win.undo_stack, DeleteCards(win.roadmap, [ids["b"]]))
    run(win.undo_stack, UpdateCards(win.roadmap, {ids["c"]: {"title": "Card C2", "estimate": 3}}))
    room.compare_with(snap.id)
    rows = room.panel.rows()
    assert rows[0].startswith("− “Card B”: removed")
    assert rows[1].startswith("~ “Card C2”") and "renamed from “Card <b>C</b>”" in rows[1]
    tip = room.panel.model.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>") and "&lt;b&gt;" in tip  # escaped, shown literally
    # A removed card cannot be selected; the status bar says why.
    click_row(room.panel, qtbot, 0)
    assert win.document.selection == ()
    assert "no longer in the plan" in win.statusBar().currentMessage()
    # A removed dated card leaves a ghost where it was.
    if hasattr(win.timeline, "set_ghosts"):
        assert ids["b"] in [g.card_id for g in win.timeline.timeline_scene.ghosts]
        assert win.timeline.timeline_scene.badges == {ids["c"]: "changed"}


def test_name_dialog_explains_a_refused_name(win, qtbot):
    room = win.snapshots
    room.take_snapshot("Q3")
    dialog = room.ask_snapshot()
    dialog.edit.setText("q3")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert "already a snapshot" in dialog.error.text()
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
    dialog.edit.setText("   ")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "empty" in dialog.error.text()
    dialog.reject()


def test_snapshots_dialog_lists_renames_deletes_and_shows(win, plan, qtbot, monkeypatch):
    path, ids = plan
    room = win.snapshots
    room.take_snapshot("Q2")
    room.take_snapshot("Q3")
    dialog = room.open_dialog()
    assert dialog.list.count() == 2
    assert dialog.list.currentItem().text().startswith("Q3")

    dialog.rename_button.click()
    room.name_dialog.edit.setText("Q3 final")
    room.name_dialog.accept()
    assert [p.name for p in Roadmap.open(path, read_only=True).plans()][1:] == ["Q2", "Q3 final"]
    assert dialog.list.currentItem().text().startswith("Q3 final")

    # Show a snapshot: read-only, named in the title; edits are refused.
    dialog.show_button.click()
    assert win.roadmap.read_only
    assert "Snapshot: Q3 final" in win.windowTitle()
    assert win.document.plan_label() == "Snapshot: Q3 final"
    if hasattr(win.timeline, "read_only"):
        assert win.timeline.read_only
    from planner import ReadOnlyError
    from ui.commands import UpdateCards, run

    with pytest.raises(ReadOnlyError):
        run(win.undo_stack, UpdateCards(win.roadmap, {ids["a"]: {"status": "done"}}))
    assert win.undo_stack.count() == 0

    # Deleting the snapshot in view goes back to the plan.
    monkeypatch.setattr(snapshots, "confirm", lambda *a: True)
    dialog.delete_button.click()
    assert dialog.list.count() == 1
    assert not win.roadmap.read_only
    assert "Snapshot" not in win.windowTitle()
    if hasattr(win.timeline, "read_only"):
        assert not win.timeline.read_only
    with sqlite3.connect(path) as conn:
        names = conn.execute("SELECT name FROM plans WHERE kind = 'snapshot'").fetchall()
    assert names == [("Q2",)]

    # Declining the confirmation keeps it.
    monkeypatch.setattr(snapshots, "confirm", lambda *a: False)
    dialog.delete_button.click()
    assert dialog.list.count() == 1
    dialog.close()
