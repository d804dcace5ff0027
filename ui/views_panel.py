"""Saved views: the toolbar switcher, and View ▸ Saved Views… (the dialog is ui.views_manager)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QWidget

from planner.lens import EVERYTHING
from planner.model import View
from ui.document import Document

if TYPE_CHECKING:
    from ui.views_manager import ViewManager


def fresh_view(document: Document, view: Any) -> View | None:
    """The stored version of ``view`` (None when it was deleted or is 'everything')."""
    return None if view is None else view_by_id(document, view.id)


def view_by_id(document: Document, view_id: int | None) -> View | None:
    return next((v for v in document.roadmap.views() if v.id == view_id), None)


class ViewSwitcher(QComboBox):
    """'Everything' plus each saved view; choosing one makes it the document's active view."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._syncing = False
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(14)
        self.setToolTip(self.tr("Which saved view the timeline, board, list and exports show"))
        self.setAccessibleName(self.tr("Saved view"))
        self._rebuild()
        self.currentIndexChanged.connect(self._on_index_changed)
        document.changed.connect(self._on_document_changed)
        document.view_changed.connect(self._on_document_view_changed)

    def _rebuild(self) -> None:
        self._syncing = True
        try:
            self.clear()
            self.addItem(self.tr(EVERYTHING), None)
            for v in self.document.roadmap.views():
                self.addItem(v.name, v.id)
            self._select(self.document.active_view)
        finally:
            self._syncing = False

    def _select(self, view: Any) -> None:
        index = self.findData(view.id) if view is not None else 0
        self.setCurrentIndex(max(0, index))

    def _on_index_changed(self, index: int) -> None:
        if self._syncing:
            return
        self.document.set_active_view(view_by_id(self.document, self.itemData(index)))

    def _on_document_changed(self, changes: list[Any]) -> None:
        if not any(c.entity in ("view", "plan") for c in changes):
            return
        active = self.document.active_view
        self._rebuild()
        if active is not None:
            current = fresh_view(self.document, active)
            if current != active:
                self.document.set_active_view(current)

    def _on_document_view_changed(self, view: Any) -> None:
        self._syncing = True
        try:
            self._select(view)
        finally:
            self._syncing = False


def install(window: QMainWindow) -> ViewSwitcher:
    """The switcher in the toolbar and View ▸ Saved Views…."""
    document: Document = window.document  # type: ignore[attr-defined]
    undo_stack: QUndoStack = window.undo_stack  # type: ignore[attr-defined]
    switcher = ViewSwitcher(document, window)
    label = QLabel(window.tr("View:"), window)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setContentsMargins(8, 0, 4, 0)
    window.toolbar.addWidget(label)  # type: ignore[attr-defined]
    window.toolbar.addWidget(switcher)  # type: ignore[attr-defined]
    window.view_switcher = switcher  # type: ignore[attr-defined]

    def open_manager() -> ViewManager:
        dialog = getattr(window, "views_dialog", None)
        if dialog is None:
            from ui.views_manager import ViewManager  # the dialog's widgets, when first opened

            dialog = ViewManager(document, undo_stack, window)
            window.views_dialog = dialog  # type: ignore[attr-defined]
        if document.active_view is not None:
            dialog.select_view(document.active_view.id)
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.show()
        return dialog

    action = QAction(window.tr("Saved &Views…"), window)
    action.setObjectName("manage_views_action")
    action.triggered.connect(open_manager)
    window.view_menu.addAction(action)  # type: ignore[attr-defined]
    window.manage_views_action = action  # type: ignore[attr-defined]
    window.open_views_manager = open_manager  # type: ignore[attr-defined]
    return switcher


def __getattr__(name: str) -> Any:
    """The dialog's parts, loaded on first use (they live in ui.views_manager)."""
    if name in (
        "ViewManager",
        "Checklist",
        "DateLimit",
        "PRECISION_LABELS",
        "COLOR_BY_LABELS",
        "FIELD_LABELS",
        "ID_ROLE",
    ):
        from ui import views_manager

        return getattr(views_manager, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
