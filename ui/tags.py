"""Tags across the roadmap: rename, merge several into one, remove; each one undo step."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.errors import ValidationError
from planner.store import Change
from ui.commands import UpdateCards, run
from ui.document import Document
from ui.widgets.plain import plain_label, short, tooltip


def retag(tags: tuple[str, ...], old: set[str], new: str | None) -> tuple[str, ...]:
    """Replace every tag in ``old`` (case-insensitive) by ``new`` (None removes), no duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        value = (new if tag.casefold() in old else tag)
        if value is None or value.casefold() in seen:
            continue
        seen.add(value.casefold())
        out.append(value)
    return tuple(out)


class TagsDialog(QDialog):
    """Every tag in use with how many cards carry it."""

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tags"))
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.rename_button = QPushButton(self.tr("&Rename…"), self)
        self.merge_button = QPushButton(self.tr("&Merge…"), self)
        self.merge_button.setToolTip(self.tr("Select several tags to merge them into one"))
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.error_label = plain_label("", self, wrap=True)
        self.error_label.setStyleSheet("color: #d32f2f;")
        side = QVBoxLayout()
        for b in (self.rename_button, self.merge_button, self.remove_button):
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
        self.resize(420, 360)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        document.changed.connect(self._on_document_changed)
        self.refresh()

    def counts(self) -> Counter[str]:
        counter: Counter[str] = Counter()
        for card in self.roadmap.cards():
            for tag in card.tags:
                counter[tag] += 1
        return counter

    def refresh(self) -> None:
        chosen = set(self.selected_tags())
        self.list.clear()
        for tag, n in sorted(self.counts().items(), key=lambda kv: kv[0].casefold()):
            item = QListWidgetItem(f"{short(tag, 80)}  ({n})")
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setToolTip(tooltip(tag))
            self.list.addItem(item)
            item.setSelected(tag in chosen)

    def selected_tags(self) -> list[str]:
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in self.list.selectedItems()]

    def _on_document_changed(self, changes: list[Change]) -> None:
        if any(c.entity in ("card", "plan") for c in changes):
            self.refresh()

    def replace(self, old: list[str], new: str | None, text: str) -> bool:
        """Rename, merge (several old, one new) or remove (new None) in one undo step."""
        folded = {t.casefold() for t in old}
        changes: dict[int, dict[str, Any]] = {}
        for card in self.roadmap.cards():
            if any(t.casefold() in folded for t in card.tags):
                tags = retag(card.tags, folded, new)
                if tags != card.tags:
                    changes[card.id] = {"tags": tags}
        if not changes:
            return False
        try:
            run(self.undo_stack, UpdateCards(self.roadmap, changes, text))
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.setText("")
        return True

    def ask_name(self, title: str, default: str) -> str | None:
        """Ask for a tag name (tests replace this)."""
        name, ok = QInputDialog.getText(self, title, self.tr("Tag:"), QLineEdit.EchoMode.Normal,
                                        default)  # fmt: skip
        name = " ".join(name.split())
        return name if ok and name else None

    def _on_rename_clicked(self) -> None:
        tags = self.selected_tags()
        if len(tags) != 1:
            self.error_label.setText(self.tr("Select one tag to rename it."))
            return
        name = self.ask_name(self.tr("Rename tag"), tags[0])
        if name:
            self.replace(tags, name, self.tr("Rename tag"))

    def _on_merge_clicked(self) -> None:
        tags = self.selected_tags()
        if len(tags) < 2:
            self.error_label.setText(self.tr("Select two or more tags to merge them."))
            return
        name = self.ask_name(self.tr("Merge tags into"), tags[0])
        if name:
            self.replace(tags, name, self.tr("Merge %1 tags").replace("%1", str(len(tags))))

    def _on_remove_clicked(self) -> None:
        tags = self.selected_tags()
        if tags:
            self.replace(tags, None, self.tr("Remove tags"))


def install(window: Any) -> None:
    """Roadmap ▸ Tags…"""
    from PySide6.QtGui import QAction

    action = QAction(window.tr("&Tags…"), window)

    def show() -> None:
        dialog = getattr(window, "tags_dialog", None)
        if dialog is None:
            dialog = TagsDialog(window.document, window.undo_stack, window)
            window.tags_dialog = dialog
        dialog.show()
        dialog.raise_()

    action.triggered.connect(show)
    window.roadmap_menu.addAction(action)
    window.tags_action = action
