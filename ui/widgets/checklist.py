"""Acceptance criteria: an editable, reorderable checklist with a done count."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.model import Criterion
from ui.widgets.plain import plain_label
from ui.widgets.undo_keys import forget_typing


class ChecklistEdit(QWidget):
    """Emits ``criteria_edited(criteria)`` after each tick, edit, move, add or removal."""

    criteria_edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)  # fmt: skip
        self.list.setMaximumHeight(140)
        self.list.setWordWrap(True)  # a row is as tall as its wrapped text (the view re-lays out)
        self._quiet = False
        self.add_line = QLineEdit(self)
        self.add_line.setPlaceholderText(self.tr("Add a criterion and press Enter"))
        self.count_label = plain_label(parent=self)
        self.up_button = QToolButton(self)
        self.up_button.setText("↑")
        self.up_button.setToolTip(self.tr("Move up (Alt+Up)"))
        self.down_button = QToolButton(self)
        self.down_button.setText("↓")
        self.down_button.setToolTip(self.tr("Move down (Alt+Down)"))
        self.remove_button = QToolButton(self)
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the selected criterion (Delete)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.add_line)
        # Set the context after construction: PySide ignores a context= keyword given with a
        # slot, and the shortcut would then be window-wide (making Delete ambiguous).
        for key, slot in (
            (QKeySequence(QKeySequence.StandardKey.Delete), self._on_remove_clicked),
            (QKeySequence("Alt+Up"), lambda: self.move_current(-1)),
            (QKeySequence("Alt+Down"), lambda: self.move_current(1)),
        ):
            shortcut = QShortcut(key, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.add_line.returnPressed.connect(self._on_add_return_pressed)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        self._update_count()

    @contextmanager
    def _changing_rows(self) -> Iterator[None]:
        """Change rows without emitting ``criteria_edited`` per row.

        The model's signals must still reach the view: blocked, the view keeps the previous rows'
        positions and a row whose text wraps to more lines is painted over the next one.
        """
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def set_criteria(self, criteria: Sequence[Criterion]) -> None:
        """Show these criteria (does not emit)."""
        with self._changing_rows():
            if criteria == self.criteria():
                return
            current = self.list.currentRow()
            self.list.clear()
            for c in criteria:
                self.list.addItem(self._make_item(c))
            if 0 <= current < self.list.count():
                self.list.setCurrentRow(current)
        self._update_count()

    def criteria(self) -> tuple[Criterion, ...]:
        result = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            result.append(Criterion(item.text(), item.checkState() == Qt.CheckState.Checked))
        return tuple(result)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        with self._changing_rows():
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
            self.list.setCurrentRow(target)
        self._emit()

    def _make_item(self, c: Criterion) -> QListWidgetItem:
        item = QListWidgetItem(c.text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsDragEnabled)  # fmt: skip
        item.setCheckState(Qt.CheckState.Checked if c.done else Qt.CheckState.Unchecked)
        return item

    def _update_count(self) -> None:
        crit = self.criteria()
        done = sum(1 for c in crit if c.done)
        if crit:
            self.count_label.setText(self.tr("%1 of %2 done").replace("%1", str(done))
                                     .replace("%2", str(len(crit))))  # fmt: skip
        else:
            self.count_label.setText(self.tr("No acceptance criteria yet"))

    def _emit(self) -> None:
        self._update_count()
        self.criteria_edited.emit(self.criteria())

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._quiet:
            self._emit()

    def _on_rows_moved(self, *_args: object) -> None:
        if not self._quiet:
            self._emit()

    def _on_add_return_pressed(self) -> None:
        text = self.add_line.text().strip()
        if not text:
            return
        self.add_line.clear()
        forget_typing(self.add_line)  # Ctrl+Z now undoes the added criterion, not the clearing
        with self._changing_rows():
            self.list.addItem(self._make_item(Criterion(text)))
        self._emit()

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        with self._changing_rows():
            self.list.takeItem(row)
        self._emit()
