"""The dialogs and the Changes list of snapshots and compare mode (ui.snapshots).

Loaded when first shown, so start-up does not load them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.diff import PlanDiff
from planner.errors import RoadmapFileError, ValidationError
from planner.model import Plan
from ui.snapshots import ADDED, ID_ROLE, KIND_COLORS, KIND_ROLE, REMOVED
from ui.widgets.plain import plain_label, short, tooltip

if TYPE_CHECKING:
    from planner.diff import CardChange
    from ui.snapshots import SnapshotsRoom

_ROOT = QModelIndex()


class NameDialog(QDialog):
    """Ask for a name; OK runs the action, and a refused name is explained at the field."""

    def __init__(self, title: str, prompt: str, text: str, action: Callable[[str], Any],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self._action = action
        self.result_value: Any = None
        self.edit = QLineEdit(text, self)
        self.edit.selectAll()
        self.error = plain_label("", self, wrap=True)
        self.error.setStyleSheet("color: #c0392b")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(prompt, self, wrap=True))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def accept(self) -> None:
        try:
            self.result_value = self._action(self.edit.text())
        except (ValidationError, RoadmapFileError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.edit.setFocus()
            return
        super().accept()


class ChangesModel(QAbstractListModel):
    """The rows of the change list, made only when shown (10,000 changes list at once)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.diff: PlanDiff | None = None  # none shown yet
        self._cards: tuple[CardChange, ...] = ()
        self._others: list[str] = []
        self.row_height = 36

    def set_diff(self, diff: PlanDiff) -> None:
        self.beginResetModel()
        from planner.diff import item_lines

        self.diff = diff
        self._cards = diff.visible_cards
        self._others = item_lines(diff)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._cards) + len(self._others)

    def change(self, row: int) -> CardChange | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if self.change(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        row = index.row()
        change = self.change(row)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(0, self.row_height)
        if change is None:
            if not 0 <= row - len(self._cards) < len(self._others):
                return None
            line = self._others[row - len(self._cards)]
            if role == Qt.ItemDataRole.DisplayRole:
                return short("• " + line, 300)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip(line)
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            from planner.diff import PlanDiff, card_line

            diff = self.diff if self.diff is not None else PlanDiff()
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip(card_line(change, diff))
            prefix = {ADDED: "+ ", REMOVED: "− "}.get(change.kind, "~ ")
            return short(prefix + card_line(change, diff, brief=True), 300)
        if role == Qt.ItemDataRole.ForegroundRole and change.kind in KIND_COLORS:
            return QBrush(QColor(KIND_COLORS[change.kind]))
        if role == ID_ROLE:
            return change.id
        if role == KIND_ROLE:
            return change.kind
        return None


class ChangesPanel(QWidget):
    """The change list of compare mode: one row per card; a click jumps to the card."""

    card_activated = Signal(int, str)  # card id, 'added' / 'removed' / 'changed'
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = plain_label("", self, wrap=True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = plain_label("", self, wrap=True)
        self.model = ChangesModel(self)
        self.list = QListView(self)
        self.list.setObjectName("changes_list")
        self.list.setModel(self.model)
        # Every row is two lines high, so 10,000 rows need no measuring; the tooltip has it all.
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model.row_height = 2 * self.list.fontMetrics().lineSpacing() + 8
        self.list.clicked.connect(self._on_index_clicked)
        self.list.activated.connect(self._on_index_clicked)
        self.stop_button = QPushButton(self.tr("Stop Comparing"), self)
        self.stop_button.clicked.connect(self.stop_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.stop_button)
        layout.addLayout(row)

    def show_diff(self, diff: PlanDiff, heading: str) -> None:
        """List every change of ``diff``; cards first, then lanes, milestones and links."""
        from planner.diff import summary

        self.heading.setText(heading)
        self.summary.setText(summary(diff))
        self.model.set_diff(diff)

    def rows(self) -> list[str]:
        """The text of every row, as shown."""
        return [str(self.model.index(i).data()) for i in range(self.model.rowCount())]

    def row_for_card(self, card_id: int) -> int:
        for i in range(self.model.rowCount()):
            if self.model.index(i).data(ID_ROLE) == card_id:
                return i
        return -1

    def _on_index_clicked(self, index: QModelIndex) -> None:
        change = self.model.change(index.row())
        if change is not None:
            self.card_activated.emit(change.id, change.kind)


class SnapshotsDialog(QDialog):
    """Roadmap ▸ Snapshots…: list, show, compare, branch a scenario, rename, delete."""

    def __init__(self, room: SnapshotsRoom) -> None:
        super().__init__(room.window)
        self.room = room
        self.setWindowTitle(self.tr("Snapshots"))
        self.list = QListWidget(self)
        self.list.setObjectName("snapshots_list")
        self.list.currentItemChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_compare_clicked())
        self.empty = plain_label(self.tr("No snapshots yet. Take one before each review with "
                                         "Roadmap ▸ Take Snapshot…"), self, wrap=True)  # fmt: skip
        self.show_button = QPushButton(self.tr("&Show"), self)
        self.compare_button = QPushButton(self.tr("&Compare with Plan in View"), self)
        self.scenario_button = QPushButton(self.tr("New Sc&enario from It…"), self)
        self.rename_button = QPushButton(self.tr("&Rename…"), self)
        self.delete_button = QPushButton(self.tr("&Delete…"), self)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.scenario_button.clicked.connect(self._on_scenario_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.show_button, self.compare_button, self.scenario_button,
                       self.rename_button, self.delete_button):  # fmt: skip
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(top)
        layout.addWidget(close)
        self.resize(620, 360)
        self.reload()

    def reload(self) -> None:
        current = self.selected_id()
        self.list.clear()
        for p in self.room.roadmap.plans():
            if p.kind != "snapshot":
                continue
            item = QListWidgetItem(f"{short(p.name, 120)}    {_created(p)}")
            item.setData(ID_ROLE, p.id)
            item.setToolTip(tooltip(p.name))
            self.list.addItem(item)
            if p.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(self.list.count() - 1)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def select(self, plan_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == plan_id:
                self.list.setCurrentRow(i)

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected_id() is not None
        writable = not self.room.roadmap.file_read_only
        self.show_button.setEnabled(chosen)
        self.compare_button.setEnabled(chosen and self.selected_id() != self.room.roadmap.plan_id)
        for button in (self.scenario_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen and writable)

    def _on_show_clicked(self) -> None:
        if (plan_id := self.selected_id()) is not None:
            self.room.switch_to(plan_id)

    def _on_compare_clicked(self) -> None:
        plan_id = self.selected_id()
        if plan_id is not None and plan_id != self.room.roadmap.plan_id:
            self.room.compare_with(plan_id)

    def _on_scenario_clicked(self) -> None:
        if (plan_id := self.selected_id()) is not None:
            self.room.ask_new_scenario(source_id=plan_id)

    def _on_rename_clicked(self) -> None:
        if (plan_id := self.selected_id()) is not None:
            self.room.ask_rename(plan_id)

    def _on_delete_clicked(self) -> None:
        if (plan_id := self.selected_id()) is not None:
            self.room.delete_snapshot(plan_id)


def _created(plan: Plan) -> str:
    from planner.diff import format_day

    try:
        when = dt.datetime.fromisoformat(plan.created)
    except ValueError:
        return ""
    return f"{format_day(when.date())} {when:%H:%M}"
