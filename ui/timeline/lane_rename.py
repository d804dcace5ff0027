"""The inline editor over a lane's name (loaded when a lane is first renamed in place: importing
the line edit class before the first paint builds its enum types)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit


class NameEditor(QLineEdit):
    """The inline lane-name editor: Escape leaves the name as it was."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)
