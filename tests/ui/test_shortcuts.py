"""Help ▸ Keyboard Shortcuts is generated from the window's actions; usual commands have keys;
main widgets have accessible names; Help ▸ About and User Guide."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox, QToolBar

import planner
from ui import file_actions, shortcuts
from ui.shortcuts import ShortcutsDialog


def _menu_actions(menu: QMenu) -> list[QAction]:
    out = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        if isinstance(action.menu(), QMenu):
            if action.menu().objectName() != shortcuts.RECENT_MENU:
                out += _menu_actions(action.menu())
        elif action.text():
            out.append(action)
    return out


def _open(window) -> ShortcutsDialog:
    window.file_actions.shortcuts.trigger()
    dialogs = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_the_list_is_exactly_the_menu_actions_and_their_keys(window):
    dialog = _open(window)
    menu_actions = [
        a for m in window.menuBar().actions() if isinstance(m.menu(), QMenu)
        for a in _menu_actions(m.menu())
    ]  # fmt: skip
    listed = [e for e in dialog.entries if e.menu != "Other"]
    assert [e.action for e in listed] == menu_actions
    for row, entry in enumerate(dialog.entries):
        keys = entry.action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert dialog.table.item(row, 2).text().split(", ")[0] == keys
        assert dialog.table.item(row, 1).text() == entry.command
    dialog.close()


def test_a_new_action_appears_without_touching_the_list(window):
    action = QAction("Frobnicate", window)
    action.setShortcut(QKeySequence("Ctrl+Alt+F"))
    window.roadmap_menu.addAction(action)
    hidden = QAction("Pan Left", window)
    hidden.setShortcut(QKeySequence("Alt+Left"))
    window.addAction(hidden)
    dialog = _open(window)
    commands = {(e.menu, e.command): e.keys for e in dialog.entries}
    assert commands[("Roadmap", "Frobnicate")] == QKeySequence("Ctrl+Alt+F").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert ("Other", "Pan Left") in commands
    dialog.filter_edit.setText("frob")
    assert dialog.visible_commands() == ["Frobnicate"]
    dialog.close()


def test_usual_commands_have_their_usual_keys(window):
    fa = window.file_actions
    expected = {
        fa.new: QKeySequence.StandardKey.New,
        fa.open: QKeySequence.StandardKey.Open,
        fa.save_copy: QKeySequence.StandardKey.SaveAs,
        fa.quit: QKeySequence.StandardKey.Quit,
        window.undo_action: QKeySequence.StandardKey.Undo,
        window.redo_action: QKeySequence.StandardKey.Redo,
    }
    for action, standard in expected.items():
        bindings = QKeySequence.keyBindings(standard)
        if bindings:
            assert action.shortcut() == bindings[0], action.text()
    for action in (fa.new_sample, fa.preferences, fa.user_guide, fa.shortcuts):
        assert not action.shortcut().isEmpty(), action.text()
    for action in (fa.new, fa.new_sample, fa.open, fa.save_copy, fa.quit, fa.preferences):
        assert not action.icon().isNull(), action.text()


def test_main_widgets_have_accessible_names(window):
    assert window.tabs.accessibleName()
    for dock in window.findChildren(QDockWidget):
        assert dock.accessibleName(), dock.objectName()
        if dock.widget() is not None:
            assert dock.widget().accessibleName(), dock.objectName()
    for bar in window.findChildren(QToolBar):
        assert bar.accessibleName()
    for index in range(window.tabs.count()):
        assert window.tabs.widget(index).accessibleName()


def test_about_shows_the_version(window):
    window.file_actions.about.trigger()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert planner.__version__ in boxes[0].text()
    boxes[0].close()


def test_user_guide_opens_only_when_chosen(window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(file_actions, "open_url", lambda url: opened.append(url) or True)
    assert opened == []
    window.file_actions.user_guide.trigger()
    assert len(opened) == 1
    assert opened[0].isLocalFile() and opened[0].toLocalFile().endswith("docs/user-guide.md")
