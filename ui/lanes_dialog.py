"""Lanes: rename, recolour, reorder and delete, each one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.errors import ValidationError
from planner.store import Change
from ui.commands import (
    AddLane,
    DeleteLane,
    MoveCards,
    MoveLane,
    RoadmapCommand,
    UpdateLane,
    run,
)
from ui.document import Document
from ui.widgets.plain import plain_label, short, tooltip


def swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class LanesDialog(QDialog):
    """The lanes in order; double-click or F2 renames, buttons recolour, move and delete."""

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lanes"))
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self.list = QListWidget(self)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)  # fmt: skip
        self.add_button = QPushButton(self.tr("&Add"), self)
        self.color_button = QPushButton(self.tr("&Colour…"), self)
        self.up_button = QPushButton(self.tr("Move &Up"), self)
        self.down_button = QPushButton(self.tr("Move &Down"), self)
        self.delete_button = QPushButton(self.tr("De&lete…"), self)
        self.error_label = plain_label("", self, wrap=True)
        self.error_label.setStyleSheet("color: #d32f2f;")
        side = QVBoxLayout()
        for b in (self.add_button, self.color_button, self.up_button, self.down_button,
                  self.delete_button):  # fmt: skip
            b.setAutoDefault(False)
            side.addWidget(b)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(close)
        self.resize(460, 360)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.color_button.clicked.connect(self._on_color_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.list.itemChanged.connect(self._on_item_changed)
        document.changed.connect(self._on_document_changed)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def refresh(self) -> None:
        current = self.current_id()
        with QSignalBlocker(self.list):
            self.list.clear()
            for lane in self.roadmap.lanes():
                item = QListWidgetItem(swatch(lane.color), short(lane.name, 120))
                item.setData(Qt.ItemDataRole.UserRole, lane.id)
                item.setToolTip(tooltip(lane.name))
                if not self.roadmap.read_only:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.list.addItem(item)
                if lane.id == current:
                    self.list.setCurrentItem(item)

    def _on_document_changed(self, changes: list[Change]) -> None:
        if any(c.entity in ("lane", "plan") for c in changes):
            self.refresh()

    def _run(self, command: RoadmapCommand) -> bool:
        try:
            run(self.undo_stack, command)
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.setText("")
        return True

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        lane_id = int(item.data(Qt.ItemDataRole.UserRole))
        lane = self.roadmap.lane(lane_id)
        if item.text() != short(lane.name, 120) and not self._run(
            UpdateLane(self.roadmap, lane_id, self.tr("Rename lane"), name=item.text())
        ):
            self.refresh()

    def rename(self, lane_id: int, name: str) -> bool:
        return self._run(UpdateLane(self.roadmap, lane_id, self.tr("Rename lane"), name=name))

    def recolor(self, lane_id: int, color: str) -> bool:
        return self._run(UpdateLane(self.roadmap, lane_id, self.tr("Recolour lane"), color=color))

    def move_current(self, step: int) -> None:
        lane_id = self.current_id()
        if lane_id is None:
            return
        row = self.list.currentRow() + step
        if 0 <= row < self.list.count() and self._run(MoveLane(self.roadmap, lane_id, row)):
            self.list.setCurrentRow(row)

    def _on_add_clicked(self) -> None:
        names = {lane.name for lane in self.roadmap.lanes()}
        name, n = self.tr("New lane"), 2
        while name in names:
            name, n = self.tr("New lane %1").replace("%1", str(n)), n + 1
        if self._run(AddLane(self.roadmap, name)):
            self.list.setCurrentRow(self.list.count() - 1)
            self.list.editItem(self.list.currentItem())

    def _on_color_clicked(self) -> None:
        lane_id = self.current_id()
        if lane_id is None:
            return
        color = QColorDialog.getColor(QColor(self.roadmap.lane(lane_id).color), self,
                                      self.tr("Lane colour"))  # fmt: skip
        if color.isValid():
            self.recolor(lane_id, color.name())

    def delete_message(self, lane_id: int) -> tuple[str, str]:
        """The confirmation: which lane, and how many cards go to the backlog."""
        lane = self.roadmap.lane(lane_id)
        n = self.roadmap.lane_card_count(lane_id)
        text = self.tr("Delete the lane “%1”?").replace("%1", short(lane.name, 80))
        if n == 0:
            more = self.tr("It holds no cards.")
        elif n == 1:
            more = self.tr("Its 1 card goes to the backlog.")
        else:
            more = self.tr("Its %1 cards go to the backlog.").replace("%1", str(n))
        return text, more + " " + self.tr("Undo brings the lane, its cards and their dates back.")

    def _on_delete_clicked(self) -> None:
        lane_id = self.current_id()
        if lane_id is None:
            return
        text, more = self.delete_message(lane_id)
        if self.confirm(text, more):
            self.delete_lane(lane_id)

    def delete_lane(self, lane_id: int) -> None:
        """Delete a lane; its dated cards go to the backlog (undated); one undo step."""
        dated = {c.id: (None, None, None) for c in self.roadmap.cards()
                 if c.lane_id == lane_id and c.scheduled}  # fmt: skip
        self.undo_stack.beginMacro(self.tr("Delete lane"))
        try:
            if dated:
                self._run(MoveCards(self.roadmap, dated, self.tr("Move cards to the backlog")))
            self._run(DeleteLane(self.roadmap, lane_id))
        finally:
            self.undo_stack.endMacro()

    def confirm(self, text: str, informative: str) -> bool:
        """Ask before deleting (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete lane"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text + "\n\n" + informative)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Ok


def install(window: Any) -> None:
    """Roadmap ▸ Lanes…"""
    from PySide6.QtGui import QAction

    action = QAction(window.tr("&Lanes…"), window)

    def show() -> None:
        dialog = getattr(window, "lanes_dialog", None)
        if dialog is None:
            dialog = LanesDialog(window.document, window.undo_stack, window)
            window.lanes_dialog = dialog
        dialog.show()
        dialog.raise_()

    action.triggered.connect(show)
    window.roadmap_menu.addAction(action)
    window.lanes_action = action
