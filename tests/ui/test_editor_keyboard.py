"""A whole user story written, scored and scheduled from the backlog with the keyboard only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.editor_helpers import stored


def keys(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_story_from_quick_add_to_timeline_without_the_mouse(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_B, ctrl_shift)
    assert QApplication.focusWidget() is window.backlog.add_line
    keys(qtbot, "Offline maps")
    press(qtbot, Qt.Key.Key_Return)
    (card_id,) = window.document.selection
    assert card_id in window.backlog.card_ids()

    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    ed = window.editor
    assert QApplication.focusWidget() is ed.title_edit
    ed.as_a_edit.setFocus()  # (Tab order is checked below)
    keys(qtbot, "field engineer")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ed.i_want_edit
    keys(qtbot, "maps without a signal")
    press(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "I can work in basements")
    press(qtbot, Qt.Key.Key_Tab)
    assert stored(window.path, card_id, "as_a") == "field engineer"
    assert stored(window.path, card_id, "i_want") == "maps without a signal"
    assert stored(window.path, card_id, "so_that") == "I can work in basements"
    assert ed.story_preview.text() == ("As a field engineer, I want maps without a signal, "
                                       "so that I can work in basements.")

    ed.checklist.add_line.setFocus()
    for text in ("Tiles cached for 30 days", "Works in flight mode"):
        keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Return)
    ed.checklist.list.setFocus()
    ed.checklist.list.setCurrentRow(0)
    press(qtbot, Qt.Key.Key_Space)
    assert stored(window.path, card_id, "criteria") == [
        {"text": "Tiles cached for 30 days", "done": True},
        {"text": "Works in flight mode", "done": False}]
    assert ed.checklist.count_label.text() == "1 of 2 done"

    ed.reach_edit.setFocus()
    for value in ("500", "2", "80", "2"):
        ed_widget = QApplication.focusWidget()
        ed_widget.selectAll()
        keys(qtbot, value)
        press(qtbot, Qt.Key.Key_Tab)
    assert ed.rice_score.text() == "400"
    assert stored(window.path, card_id, "effort") == 2.0

    ed.start_edit.line.setFocus()
    keys(qtbot, "2027-03-01")
    press(qtbot, Qt.Key.Key_Return)
    assert stored(window.path, card_id, "start_date") == "2027-03-01"
    end = dt.date.fromisoformat(stored(window.path, card_id, "end_date"))
    assert end > dt.date(2027, 3, 1)
    assert card_id not in window.backlog.card_ids()
    window.undo_stack.undo()
    assert card_id in window.backlog.card_ids()


def test_backlog_enter_opens_the_card_in_the_editor(qtbot, window):
    backlog = window.backlog
    backlog.list.setFocus()
    backlog.list.setCurrentRow(0)
    backlog.list.item(0).setSelected(True)
    qtbot.keyClick(backlog.list, Qt.Key.Key_Return)
    assert window.editor.card_ids == (backlog.card_ids()[0],)
