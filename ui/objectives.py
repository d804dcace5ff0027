"""Objectives and metrics: add, edit and remove the goals cards serve, with progress shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.card_rules import fmt_number
from planner.errors import ValidationError
from planner.model import Objective
from planner.store import Change
from ui.commands import AddObjective, DeleteObjective, UpdateObjective, run
from ui.document import Document
from ui.widgets.plain import plain_label, short, tooltip

FIELDS = ("name", "metric", "baseline", "target", "current", "color")


def progress_text(o: Objective) -> str:
    """'42% of the way from 1,000 to 5,000 (now 2,680)' or why there is no progress."""
    p = o.progress
    if p is None:
        return "Set a baseline, a target and the current value to see progress."
    return (f"{round(p * 100)}% of the way from {fmt_number(o.baseline or 0)} "
            f"to {fmt_number(o.target or 0)} (now {fmt_number(o.current or 0)})")  # fmt: skip


class ObjectivesDialog(QDialog):
    """A list of objectives beside a form for the selected one; every edit is undoable."""

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Objectives"))
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self.list = QListWidget(self)
        self.add_button = QPushButton(self.tr("&Add"), self)
        self.remove_button = QPushButton(self.tr("&Remove…"), self)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in a field commits it, it must not add
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        labels = {"name": self.tr("Name"), "metric": self.tr("Metric"),
                  "baseline": self.tr("Baseline"), "target": self.tr("Target"),
                  "current": self.tr("Current"), "color": self.tr("Colour")}  # fmt: skip
        for key in FIELDS:
            edit = QLineEdit(self)
            edit.editingFinished.connect(lambda key=key: self._on_field_editing_finished(key))
            self.edits[key] = edit
            form.addRow(labels[key], edit)
        self.edits["color"].setPlaceholderText("#rrggbb")
        self.edits["metric"].setPlaceholderText(self.tr("e.g. weekly active users"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress_label = plain_label("", self, wrap=True)
        self.cards_label = plain_label("", self, wrap=True)
        self.error_label = plain_label("", self, wrap=True)
        self.error_label.setStyleSheet("color: #d32f2f;")
        form.addRow(self.tr("Progress"), self.progress)
        form.addRow("", self.progress_label)
        form.addRow("", self.cards_label)
        form.addRow("", self.error_label)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(form, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.resize(720, 380)

        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        document.changed.connect(self._on_document_changed)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)
        if self.roadmap.read_only:
            for w in (self.add_button, self.remove_button, *self.edits.values()):
                w.setEnabled(False)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def refresh(self) -> None:
        current = self.current_id()
        objectives = self.roadmap.objectives()
        with QSignalBlocker(self.list):
            self.list.clear()
            for o in objectives:
                p = o.progress
                suffix = "" if p is None else f"  —  {round(p * 100)}%"
                item = QListWidgetItem(short(o.name, 80) + suffix)
                item.setData(Qt.ItemDataRole.UserRole, o.id)
                item.setToolTip(tooltip(o.name))
                self.list.addItem(item)
                if o.id == current:
                    self.list.setCurrentItem(item)
        self._show_current()

    def _objective(self) -> Objective | None:
        oid = self.current_id()
        if oid is None:
            return None
        try:
            return self.roadmap.objective(oid)
        except ValidationError:
            return None

    def _show_current(self) -> None:
        o = self._objective()
        self.remove_button.setEnabled(o is not None and not self.roadmap.read_only)
        for key, edit in self.edits.items():
            edit.setEnabled(o is not None and not self.roadmap.read_only)
            if o is None:
                edit.clear()
                continue
            if edit.hasFocus() and edit.isModified():
                continue
            value = getattr(o, key)
            text = "" if value is None else (
                fmt_number(value).replace(",", "") if isinstance(value, float) else str(value))
            if edit.text() != text:
                edit.setText(text)
            edit.setModified(False)
        if o is None:
            self.progress.setValue(0)
            self.progress_label.setText(self.tr("Add an objective: the why behind the cards."))
            self.cards_label.setText("")
            return
        p = o.progress
        self.progress.setValue(0 if p is None else max(0, min(100, round(p * 100))))
        self.progress_label.setText(progress_text(o))
        n = sum(1 for c in self.roadmap.cards() if c.objective_id == o.id)
        self.cards_label.setText(self.tr("%1 cards serve this objective").replace("%1", str(n)))

    def _on_list_current_changed(self, *_args: object) -> None:
        self.error_label.setText("")
        self._show_current()

    def _on_document_changed(self, changes: list[Change]) -> None:
        if any(c.entity in ("objective", "plan") or c.entity == "card" for c in changes):
            self.refresh()

    def _on_field_editing_finished(self, key: str) -> None:
        edit = self.edits[key]
        o = self._objective()
        if o is None or not edit.isModified():
            return
        edit.setModified(False)
        text = edit.text().strip()
        value: Any = text or None
        if key in ("baseline", "target", "current") and text:
            try:
                value = float(text.replace(",", ""))
            except ValueError:
                self.error_label.setText(
                    self.tr("%1 must be a number").replace("%1", key.capitalize()))
                return
        if key == "name":
            value = text
        if getattr(o, key) == value:
            return
        try:
            run(self.undo_stack, UpdateObjective(self.roadmap, o.id, **{key: value}))
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.setText("")

    def _on_add_clicked(self) -> None:
        names = {o.name for o in self.roadmap.objectives()}
        name, n = self.tr("New objective"), 2
        while name in names:
            name, n = self.tr("New objective %1").replace("%1", str(n)), n + 1
        o = run(self.undo_stack, AddObjective(self.roadmap, name))
        for i in range(self.list.count()):
            if int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) == o.id:
                self.list.setCurrentRow(i)
        self.edits["name"].setFocus()
        self.edits["name"].selectAll()

    def _on_remove_clicked(self) -> None:
        o = self._objective()
        if o is None:
            return
        n = sum(1 for c in self.roadmap.cards() if c.objective_id == o.id)
        if n and not self.confirm(
            self.tr("Remove the objective “%1”?").replace("%1", short(o.name, 80)),
            self.tr("%1 cards serve it; they will no longer be linked to an objective. "
                    "Undo brings it all back.").replace("%1", str(n)),
        ):
            return
        run(self.undo_stack, DeleteObjective(self.roadmap, o.id))

    def confirm(self, text: str, informative: str) -> bool:
        """Ask before a removal (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text + "\n\n" + informative)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Ok


def install(window: Any) -> None:
    """Roadmap ▸ Objectives…"""
    from PySide6.QtGui import QAction

    action = QAction(window.tr("&Objectives…"), window)

    def show() -> None:
        dialog = getattr(window, "objectives_dialog", None)
        if dialog is None:
            dialog = ObjectivesDialog(window.document, window.undo_stack, window)
            window.objectives_dialog = dialog
        dialog.show()
        dialog.raise_()

    action.triggered.connect(show)
    window.roadmap_menu.addAction(action)
    window.objectives_action = action
