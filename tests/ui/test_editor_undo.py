"""Ctrl+Z and Ctrl+Shift+Z in an editor field: the document's Edit ▸ Undo/Redo once a field's
edit is committed; a field never shows a value the file does not hold, and leaving it never
writes a value nobody typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.editor_helpers import stored

# The tag completer's popup on the offscreen platform cannot raise or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "This plugin does not support grabbing the keyboard")

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _editing(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    card = next(c for c in window.roadmap.cards() if c.title == "Recurring appointments")
    window.document.set_selection([card.id], None)
    return window.editor, card


def _leave(qtbot, window) -> None:
    """Click somewhere else: the field loses focus as it does for a person."""
    window.timeline.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.timeline)


def test_ctrl_z_in_a_committed_title_undoes_the_document(qtbot, window):
    ed, card = _editing(qtbot, window)
    ed.title_edit.setFocus()
    ed.title_edit.selectAll()
    qtbot.keyClicks(ed.title_edit, "Renamed card")
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Return)
    assert stored(window.path, card.id, "title") == "Renamed card"
    steps = window.undo_stack.count()

    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Z, CTRL)
    assert QApplication.focusWidget() is ed.title_edit
    assert stored(window.path, card.id, "title") == "Recurring appointments"
    assert ed.title_edit.text() == "Recurring appointments"
    assert ed.header.text() == "Recurring appointments"
    assert window.undo_stack.index() == steps - 1

    _leave(qtbot, window)
    assert window.undo_stack.count() == steps  # the undone step waits for redo, no new one
    assert window.undo_stack.index() == steps - 1
    assert stored(window.path, card.id, "title") == "Recurring appointments"

    ed.title_edit.setFocus()
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Z, CTRL_SHIFT)
    assert stored(window.path, card.id, "title") == "Renamed card"
    assert ed.title_edit.text() == "Renamed card"
    assert window.undo_stack.index() == steps


def test_a_second_ctrl_z_keeps_going_back_through_the_document(qtbot, window):
    ed, card = _editing(qtbot, window)
    for text in ("First", "Second"):
        ed.title_edit.setFocus()
        ed.title_edit.selectAll()
        qtbot.keyClicks(ed.title_edit, text)
        qtbot.keyClick(ed.title_edit, Qt.Key.Key_Return)
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Z, CTRL)
    assert (stored(window.path, card.id, "title"), ed.title_edit.text()) == ("First", "First")
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Z, CTRL)
    assert stored(window.path, card.id, "title") == "Recurring appointments"
    assert ed.title_edit.text() == "Recurring appointments"
    _leave(qtbot, window)
    assert stored(window.path, card.id, "title") == "Recurring appointments"


def test_ctrl_z_while_typing_undoes_the_typing_only(qtbot, window):
    ed, card = _editing(qtbot, window)
    ed.owner_edit.setFocus()
    ed.owner_edit.selectAll()
    qtbot.keyClicks(ed.owner_edit, "Priya")
    qtbot.keyClick(ed.owner_edit, Qt.Key.Key_Return)
    steps = window.undo_stack.index()
    ed.owner_edit.end(False)
    qtbot.keyClicks(ed.owner_edit, " Shah")
    qtbot.keyClick(ed.owner_edit, Qt.Key.Key_Z, CTRL)  # uncommitted typing: the field's own undo
    assert ed.owner_edit.text() == "Priya"
    assert stored(window.path, card.id, "owner") == "Priya"
    assert window.undo_stack.index() == steps
    qtbot.keyClick(ed.owner_edit, Qt.Key.Key_Z, CTRL)  # back at the file's value: the document
    assert window.undo_stack.index() == steps - 1
    assert ed.owner_edit.text() == (card.owner or "")
    assert stored(window.path, card.id, "owner") == card.owner
    _leave(qtbot, window)
    assert window.undo_stack.index() == steps - 1
    assert stored(window.path, card.id, "owner") == card.owner


def test_ctrl_z_in_the_description_after_leaving_it(qtbot, window):
    ed, card = _editing(qtbot, window)
    ed.description_edit.setFocus()
    qtbot.keyClicks(ed.description_edit, "More words")
    _leave(qtbot, window)
    written = stored(window.path, card.id, "description")
    assert written.startswith("More words")
    steps = window.undo_stack.index()
    ed.description_edit.setFocus()
    qtbot.keyClick(ed.description_edit, Qt.Key.Key_Z, CTRL)
    assert stored(window.path, card.id, "description") == card.description
    assert ed.description_edit.toPlainText() == card.description
    _leave(qtbot, window)
    assert window.undo_stack.index() == steps - 1
    assert stored(window.path, card.id, "description") == card.description
    ed.description_edit.setFocus()
    qtbot.keyClick(ed.description_edit, Qt.Key.Key_Z, CTRL_SHIFT)
    assert stored(window.path, card.id, "description") == written
    assert ed.description_edit.toPlainText() == written


def test_nothing_left_to_undo_leaves_the_field_as_the_file_has_it(qtbot, window):
    ed, card = _editing(qtbot, window)
    window.undo_stack.clear()
    ed.title_edit.setFocus()
    ed.title_edit.selectAll()
    qtbot.keyClicks(ed.title_edit, "Renamed card")
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Return)
    window.undo_stack.clear()  # e.g. the history was dropped: Ctrl+Z has nothing to undo
    qtbot.keyClick(ed.title_edit, Qt.Key.Key_Z, CTRL)
    assert ed.title_edit.text() == "Renamed card"
    _leave(qtbot, window)
    assert stored(window.path, card.id, "title") == "Renamed card"
    assert window.undo_stack.count() == 0


def test_ctrl_z_after_adding_a_tag_removes_the_tag(qtbot, window):
    ed, card = _editing(qtbot, window)
    line = ed.tag_edit.line
    line.setFocus()
    qtbot.keyClicks(line, "pilot")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert "pilot" in stored(window.path, card.id, "tags")
    qtbot.keyClick(line, Qt.Key.Key_Z, CTRL)
    assert stored(window.path, card.id, "tags") == list(card.tags)
    assert ed.tag_edit.tags() == list(card.tags)
    assert line.text() == ""
