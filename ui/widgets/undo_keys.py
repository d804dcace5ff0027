"""Undo and Redo keys in a form field: the field's own only while it holds uncommitted typing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def has_typing(field: QWidget) -> bool:
    """True while the field holds text the user typed and has not committed yet."""
    if isinstance(field, QLineEdit):
        return field.isModified()
    if isinstance(field, QPlainTextEdit):
        return field.document().isModified()
    return False


def forget_typing(field: QWidget) -> None:
    """After a commit: the field keeps its text but drops its own undo history.

    What was typed now lives in the document's undo stack; a field history reaching back past
    the commit would let Ctrl+Z show (and focus-out write) a value the file no longer holds.
    """
    if isinstance(field, QLineEdit):
        if field.isUndoAvailable() or field.isRedoAvailable():
            cursor = field.cursorPosition()
            with QSignalBlocker(field):
                field.setText(field.text())  # the only public way to clear a QLineEdit's history
            field.setCursorPosition(cursor)
        field.setModified(False)
    elif isinstance(field, QPlainTextEdit):
        field.document().clearUndoRedoStacks()
        field.document().setModified(False)


class DocumentUndoKeys(QObject):
    """Event filter: Undo/Redo keys in a field without uncommitted typing reach the window.

    QLineEdit and QPlainTextEdit accept the ShortcutOverride of the Undo/Redo keys, so the
    window's Edit ▸ Undo never sees them while a field has focus; the field would then undo its
    own typing past the committed value. Declining the override lets the window's action run.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or not any(event.matches(k) for k in _KEYS):
            return False
        if not isinstance(watched, QWidget) or has_typing(watched):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.ignore()  # not the field's: the window's Undo/Redo shortcut takes the key
        # A key press only arrives when the window had nothing to undo: the field does nothing.
        return True

    def watch(self, *fields: QWidget) -> None:
        for field in fields:
            field.installEventFilter(self)
