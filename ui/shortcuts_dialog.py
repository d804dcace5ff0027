"""Help ▸ Keyboard Shortcuts: a searchable table of every command and its keys.

Made when first opened (ui.shortcuts opens it), so start-up does not load it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.shortcuts import collect


class ShortcutsDialog(QDialog):
    """A searchable table of every command and its keys."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.entries = collect(window, self.tr("Other"))
        layout = QVBoxLayout(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Find a command or key"))
        self.filter_edit.setAccessibleName(self.tr("Find a command or key"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        layout.addWidget(self.filter_edit)
        self.table = QTableWidget(len(self.entries), 3, self)
        self.table.setAccessibleName(self.tr("Commands and their shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Keys")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        for row, entry in enumerate(self.entries):
            for col, text in enumerate((entry.menu, entry.command, entry.keys)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def visible_commands(self) -> list[str]:
        return [
            self.entries[r].command
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _on_filter_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for row, entry in enumerate(self.entries):
            hay = f"{entry.menu} {entry.command} {entry.keys}".lower()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)
