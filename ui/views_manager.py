"""The Saved Views dialog: creates, edits and orders the roadmap's saved views.

Loaded when the dialog is first opened (View ▸ Saved Views…), not on the way to the first paint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.errors import ValidationError
from planner.model import STATUS_LABELS, STATUSES, View
from planner.validate import CARD_BAR_FIELDS
from ui.commands import AddView, DeleteView, MoveView, UpdateView, run
from ui.document import Document
from ui.views_panel import view_by_id

PRECISION_LABELS = {
    "day": "Exact days",
    "month": "Months",
    "quarter": "Quarters",
    "nnl": "Now / Next / Later",
}
COLOR_BY_LABELS = {"lane": "Lane", "status": "Status", "tag": "Tag", "objective": "Objective"}
FIELD_LABELS = {
    "title": "Title",
    "status": "Status",
    "estimate": "Estimate",
    "owner": "Owner",
    "dates": "Dates",
    "tags": "Tags",
}
ID_ROLE = Qt.ItemDataRole.UserRole


class Checklist(QWidget):
    """'All' or a chosen subset: a view's lanes, tags, statuses, objectives or fields."""

    edited = Signal()

    def __init__(self, all_text: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.all_box: QCheckBox | None = None
        if all_text is not None:
            self.all_box = QCheckBox(all_text, self)
            self.all_box.toggled.connect(self._on_all_toggled)
            layout.addWidget(self.all_box)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(110)
        self.list.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.list)
        self._loading = False

    def load(self, options: Sequence[tuple[Any, str]], chosen: Sequence[Any] | None) -> None:
        """Show ``options`` (value, label); ``chosen`` None means all."""
        self._loading = True
        try:
            self.list.clear()
            selected = set(chosen) if chosen is not None else set()
            for value, label in options:
                item = QListWidgetItem(label)
                item.setData(ID_ROLE, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = chosen is None or value in selected
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.list.addItem(item)
            if self.all_box is not None:
                self.all_box.setChecked(chosen is None)
                self.list.setEnabled(chosen is not None)
        finally:
            self._loading = False

    def value(self) -> list[Any] | None:
        if self.all_box is not None and self.all_box.isChecked():
            return None
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip

    def set_checked(self, value: Any, checked: bool) -> None:
        """Tick or untick one option, as a click would."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == value:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_all_toggled(self, checked: bool) -> None:
        self.list.setEnabled(not checked)
        if not self._loading:
            self.edited.emit()

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self.edited.emit()


class DateLimit(QWidget):
    """An optional date: a checkbox turns the limit on, the date edit sets it."""

    edited = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(text, self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        layout.addWidget(self.box)
        layout.addWidget(self.edit, 1)
        self._loading = False
        self.box.toggled.connect(self._on_box_toggled)
        self.edit.editingFinished.connect(self._on_edit_finished)

    def load(self, value: str | None) -> None:
        self._loading = True
        try:
            day = None
            if value:
                try:
                    day = dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    day = None
            self.box.setChecked(day is not None)
            self.edit.setEnabled(day is not None)
            shown = day or dt.date.today()
            self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        finally:
            self._loading = False

    def value(self) -> str | None:
        if not self.box.isChecked():
            return None
        d = self.edit.date()
        return dt.date(d.year(), d.month(), d.day()).isoformat()

    def _on_box_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        if not self._loading:
            self.edited.emit()

    def _on_edit_finished(self) -> None:
        if not self._loading and self.box.isChecked():
            self.edited.emit()


class ViewManager(QDialog):
    """Create, edit, duplicate, delete and reorder the saved views; every edit is undoable."""

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack
        self.setWindowTitle(self.tr("Saved Views"))
        self.resize(760, 620)
        self._loading = False

        self.list = QListWidget(self)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.new_button = QPushButton(self.tr("&New"), self)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"), self)
        self.delete_button = QPushButton(self.tr("&Delete"), self)
        self.up_button = QPushButton(self.tr("Move &Up"), self)
        self.down_button = QPushButton(self.tr("Move Do&wn"), self)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for b in (self.new_button, self.duplicate_button, self.delete_button, self.up_button,
                  self.down_button):  # fmt: skip
            left.addWidget(b)

        self.name_edit = QLineEdit(self)
        self.name_edit.editingFinished.connect(self._on_name_edited)
        self.lanes = Checklist(self.tr("All lanes"), self)
        self.tags = Checklist(self.tr("All tags"), self)
        self.statuses = Checklist(self.tr("All statuses"), self)
        self.objectives = Checklist(self.tr("All objectives"), self)
        self.date_from = DateLimit(self.tr("From"), self)
        self.date_to = DateLimit(self.tr("Until"), self)
        self.precision = QComboBox(self)
        for key, label in PRECISION_LABELS.items():
            self.precision.addItem(self.tr(label), key)
        self.color_by = QComboBox(self)
        for key, label in COLOR_BY_LABELS.items():
            self.color_by.addItem(self.tr(label), key)
        self.fields = Checklist(None, self)
        self.hide_internal = QCheckBox(self.tr("Hide cards marked internal"), self)
        for name, checklist in (("lanes", self.lanes), ("tags", self.tags),
                                ("statuses", self.statuses), ("objectives", self.objectives),
                                ("fields", self.fields)):  # fmt: skip
            checklist.edited.connect(lambda n=name, c=checklist: self._set(n, c.value()))
        self.date_from.edited.connect(lambda: self._set("date_from", self.date_from.value()))
        self.date_to.edited.connect(lambda: self._set("date_to", self.date_to.value()))
        self.precision.activated.connect(
            lambda _i: self._set("precision", self.precision.currentData())
        )
        self.color_by.activated.connect(
            lambda _i: self._set("color_by", self.color_by.currentData())
        )
        self.hide_internal.toggled.connect(lambda on: self._set("hide_internal", on))

        self.form_widget = QWidget(self)
        form = QFormLayout(self.form_widget)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Lanes"), self.lanes)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Statuses"), self.statuses)
        form.addRow(self.tr("Objectives"), self.objectives)
        form.addRow(self.tr("Date window"), self.date_from)
        form.addRow("", self.date_to)
        form.addRow(self.tr("Date precision"), self.precision)
        form.addRow(self.tr("Colour by"), self.color_by)
        form.addRow(self.tr("Card shows"), self.fields)
        form.addRow("", self.hide_internal)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)

        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(scroll, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self.message)
        outer.addWidget(buttons)

        document.changed.connect(self._on_document_changed)
        self._reload_list()

    # ----- state

    def current_view(self) -> View | None:
        item = self.list.currentItem()
        if item is None or self.document.roadmap.closed:
            return None  # closing the window can finish an edit after the file is closed
        return view_by_id(self.document, item.data(ID_ROLE))

    def select_view(self, view_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == view_id:
                self.list.setCurrentRow(i)
                return

    def _reload_list(self) -> None:
        current = self.list.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self._loading = True
        try:
            self.list.clear()
            for v in self.document.roadmap.views():
                item = QListWidgetItem(v.name)
                item.setData(ID_ROLE, v.id)
                self.list.addItem(item)
        finally:
            self._loading = False
        if keep is not None:
            self.select_view(keep)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._load_form()

    def _load_form(self) -> None:
        view = self.current_view()
        self.form_widget.setEnabled(view is not None)
        for b in (self.duplicate_button, self.delete_button, self.up_button, self.down_button):
            b.setEnabled(view is not None)
        if view is None:
            return
        roadmap = self.document.roadmap
        s = view.settings
        self._loading = True
        try:
            if not self.name_edit.hasFocus() or self.name_edit.text() != view.name:
                self.name_edit.setText(view.name)
            self.lanes.load([(lane.id, lane.name) for lane in roadmap.lanes()], _list(s, "lanes"))
            tags = roadmap.tags()
            chosen_tags = _list(s, "tags")
            known = {t.casefold() for t in tags}
            tags += [t for t in chosen_tags or [] if t.casefold() not in known]
            self.tags.load([(t, t) for t in tags], chosen_tags)
            self.statuses.load([(st, self.tr(STATUS_LABELS[st])) for st in STATUSES],
                               _list(s, "statuses"))  # fmt: skip
            self.objectives.load([(o.id, o.name) for o in roadmap.objectives()],
                                 _list(s, "objectives"))  # fmt: skip
            fields = _list(s, "fields") or ["title", "status", "estimate"]
            self.fields.load([(f, self.tr(FIELD_LABELS[f])) for f in CARD_BAR_FIELDS], fields)
            self.date_from.load(s.get("date_from"))
            self.date_to.load(s.get("date_to"))
            self.precision.setCurrentIndex(max(0, self.precision.findData(s.get("precision"))))
            self.color_by.setCurrentIndex(max(0, self.color_by.findData(s.get("color_by"))))
            self.hide_internal.setChecked(bool(s.get("hide_internal", False)))
        finally:
            self._loading = False

    # ----- edits (each one undo step)

    def _push(self, command: Any) -> Any:
        try:
            result = run(self.undo_stack, command)
        except ValidationError as exc:
            self.message.setText(str(exc))
            self._load_form()
            return None
        self.message.clear()
        return result

    def _set(self, key: str, value: Any) -> None:
        view = self.current_view()
        if self._loading or view is None or view.settings.get(key) == value:
            return
        self._push(UpdateView(self.document.roadmap, view.id, **{key: value}))

    def _on_name_edited(self) -> None:
        view = self.current_view()
        name = self.name_edit.text().strip()
        if self._loading or view is None or name == view.name:
            return
        if self._push(UpdateView(self.document.roadmap, view.id, name=name)) is None:
            self.name_edit.setText(view.name)

    def _unique_name(self, base: str) -> str:
        names = {v.name.casefold() for v in self.document.roadmap.views()}
        if base.casefold() not in names:
            return base
        n = 2
        while f"{base} {n}".casefold() in names:
            n += 1
        return f"{base} {n}"

    def _on_new_clicked(self) -> None:
        name = self._unique_name(self.tr("New view"))
        view = self._push(AddView(self.document.roadmap, name, precision="day", color_by="lane"))
        if view is not None:
            self.select_view(view.id)
            self.name_edit.setFocus()
            self.name_edit.selectAll()

    def _on_duplicate_clicked(self) -> None:
        view = self.current_view()
        if view is None:
            return
        name = self._unique_name(self.tr("%1 copy").replace("%1", view.name))
        copy = self._push(AddView(self.document.roadmap, name, **view.settings))
        if copy is not None:
            self.select_view(copy.id)

    def _on_delete_clicked(self) -> None:
        view = self.current_view()
        if view is not None:
            row = self.list.currentRow()
            self._push(DeleteView(self.document.roadmap, view.id))
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def _move(self, step: int) -> None:
        view = self.current_view()
        row = self.list.currentRow()
        if view is None or not 0 <= row + step < self.list.count():
            return
        self._push(MoveView(self.document.roadmap, view.id, row + step))
        self.select_view(view.id)

    # ----- slots

    def _on_list_current_changed(self, *_args: object) -> None:
        if not self._loading:
            self.message.clear()
            self._load_form()

    def _on_document_changed(self, changes: list[Any]) -> None:
        if any(c.entity in ("view", "lane", "objective", "plan") for c in changes):
            self._reload_list()


def _list(settings: dict[str, Any], key: str) -> list[Any] | None:
    value = settings.get(key)
    return list(value) if isinstance(value, list) else None
