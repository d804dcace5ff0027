"""The List tab: every card in a sortable, filterable table with the columns the user picks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import settings
from ui.card_table_model import (
    COLUMN_KEYS,
    COLUMNS,
    ID_ROLE,
    VALUE_ROLE,
    CardFilterProxy,
    CardTableModel,
)
from ui.document import Document


class CardItemDelegate(QStyledItemDelegate):
    """Combo boxes for choice columns, a line edit for dates; text edits for the rest."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:  # noqa: N802 - Qt override
        column = COLUMNS[index.column()]
        if column.kind == "choice":
            combo = QComboBox(parent)
            model = _source_model(index)
            for text, value in model.choices(column.key):
                combo.addItem(text, value)
            return combo
        if column.kind == "date":
            line = QLineEdit(parent)
            line.setPlaceholderText(self.tr("YYYY-MM-DD, empty: no date"))
            return line
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Any) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(VALUE_ROLE))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def _source_model(index: QModelIndex) -> CardTableModel:
    model: Any = index.model()
    while not isinstance(model, CardTableModel):
        model = model.sourceModel()
    return model


class ListView(QWidget):
    """Table of all cards the active view shows; selection is shared with the other rooms."""

    card_activated = Signal(int)
    status_message = Signal(str)

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = CardTableModel(document, undo_stack, self)
        self.proxy = CardFilterProxy(document, self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(CardItemDelegate(self.table))
        # No sort column yet: enabling sorting would otherwise sort every row by column 0
        # at once, a second and more with 10,000 cards.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)  # fmt: skip
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_KEYS.index("title"), 280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.apply_columns(self.saved_columns())

        self.model.edit_failed.connect(self.status_message)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.activated.connect(self._on_table_activated)
        document.selection_changed.connect(self._on_document_selection_changed)

    # ----- columns

    @staticmethod
    def saved_columns() -> list[str]:
        keys = [k for k in str(settings.get("list_columns")).split(",") if k in COLUMN_KEYS]
        return keys or ["title"]

    def visible_columns(self) -> list[str]:
        return [c.key for i, c in enumerate(COLUMNS) if not self.table.isColumnHidden(i)]

    def apply_columns(self, keys: list[str]) -> None:
        for i, column in enumerate(COLUMNS):
            self.table.setColumnHidden(i, column.key not in keys)

    def set_column_shown(self, key: str, shown: bool) -> None:
        """Show or hide a column and remember the choice."""
        keys = self.visible_columns()
        if shown and key not in keys:
            keys.append(key)
        elif not shown and key in keys and len(keys) > 1:
            keys.remove(key)
        self.apply_columns(keys)
        settings.put("list_columns", ",".join(keys))

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        shown = set(self.visible_columns())
        for column in COLUMNS:
            action = QAction(self.tr(column.title), menu)
            action.setCheckable(True)
            action.setChecked(column.key in shown)
            action.setEnabled(not (column.key in shown and len(shown) == 1))
            action.toggled.connect(lambda on, key=column.key: self.set_column_shown(key, on))
            menu.addAction(action)
        return menu

    def _on_header_menu_requested(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    # ----- selection

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(index.data(ID_ROLE)) for index in rows]

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.document.set_selection(self.selected_ids(), self)

    def _on_document_selection_changed(self, ids: tuple[int, ...], initiator: object) -> None:
        if initiator is self:
            return
        selection = QItemSelection()
        for cid in ids:
            row = self.model.row_of(cid)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                selection.select(index, index)
        sm = self.table.selectionModel()
        with QSignalBlocker(sm):
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
                      | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        self.table.viewport().update()

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.card_activated.emit(int(index.data(ID_ROLE)))


def install(window: Any) -> ListView:
    """The List tab beside the timeline."""
    view = ListView(window.document, window.undo_stack, window)
    window.tabs.addTab(view, window.tr("List"))
    window.list_view = view
    view.status_message.connect(lambda m: window.statusBar().showMessage(m, 8000))
    activate = getattr(window, "activate_card", None)
    if activate is not None:
        view.card_activated.connect(activate)
    return view
