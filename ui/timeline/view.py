"""The timeline view (being built)."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsScene, QGraphicsView


class TimelineView(QGraphicsView):
    def __init__(self, document, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
