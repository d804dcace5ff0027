"""The card editor dock: every field of the selected card, or the shared fields of several."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.card_rules import date_change, fmt_number, rice_explanation
from planner.errors import ValidationError
from planner.model import (
    DATE_CONFIDENCES,
    KINDS,
    PRIORITIES,
    PRIORITY_LABELS,
    STATUS_LABELS,
    STATUSES,
    Card,
    Criterion,
    user_story_sentence,
)
from planner.store import Change
from ui.commands import UpdateCards, run
from ui.document import Document
from ui.widgets.checklist import ChecklistEdit
from ui.widgets.date_edit import DateOrNoneEdit
from ui.widgets.plain import plain_label, short
from ui.widgets.tag_chips import TagEdit
from ui.widgets.undo_keys import DocumentUndoKeys, forget_typing

LINE_FIELDS = ("title", "as_a", "i_want", "so_that", "owner", "link", "measure", "color")
NUMBER_FIELDS = ("estimate", "reach", "impact", "confidence", "effort")
TEXT_FIELDS = ("description", "hypothesis")
COMBO_FIELDS = ("lane_id", "kind", "status", "priority", "date_confidence", "objective_id")
SHARED_FIELDS = ("status", "lane_id", "tags", "color", "priority")
LINK_SCHEMES = ("http", "https", "mailto")

# Every card field, and those the previews below the fields are made from.
_CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Card))
_PREVIEWED = {"as_a", "i_want", "so_that", "reach", "impact", "confidence", "effort", "link"}

_ERROR_STYLE = """
*[invalid="true"] { border: 2px solid #d32f2f; border-radius: 3px; }
QLabel[role="error"] { color: #d32f2f; }
QLabel[role="section"] { font-weight: bold; padding-top: 6px; }
"""


def openable_link(text: str) -> QUrl | None:
    """The URL to open for a link field, only for http, https and mailto."""
    text = text.strip()
    if not text:
        return None
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in LINK_SCHEMES:
        return None
    if url.scheme().lower() != "mailto" and not url.host():
        return None
    return url


def duration_days(kind: str) -> int | None:
    """The user's default length for a new card of this kind (Preferences)."""
    from ui import settings

    name = f"default_duration_{kind}"
    return int(settings.get(name)) if name in settings.SETTINGS else None


def _parse_number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    return float(text)


def _lenient_number(text: str) -> float | None:
    try:
        return _parse_number(text)
    except ValueError:
        return None


class CardEditor(QWidget):
    """Edits the cards in ``document.selection``; each finished field edit is one undo step."""

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self._ids: tuple[int, ...] = ()
        self._cards: dict[int, Card] = {}
        self._choices_stale = True  # the lane and objective lists need reading again
        self._rows_multi: bool | None = None  # the rows are laid out for several cards
        self._rows: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._inputs: dict[str, QWidget] = {}
        self.setStyleSheet(_ERROR_STYLE)
        self.setMinimumWidth(380)
        # Ctrl+Z in a field is Edit ▸ Undo of the document unless the field has uncommitted typing.
        self._undo_keys = DocumentUndoKeys(self)
        self._build()
        self._undo_keys.watch(*(w for w in self._inputs.values()
                                if isinstance(w, (QLineEdit, QPlainTextEdit))),
                              self.start_edit.line, self.end_edit.line, self.tag_edit.line,
                              self.checklist.add_line)  # fmt: skip
        self.document.selection_changed.connect(self._on_document_selection_changed)
        self.document.changed.connect(self._on_document_changed)
        self._load_ids(self.document.selection)

    # ----- building

    def _build(self) -> None:
        self.header = plain_label(self.tr("No card selected"), self, wrap=True)
        self.header.setProperty("role", "section")
        self.form_widget = QWidget()
        self.form = QFormLayout(self.form_widget)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._sections: list[QLabel] = []
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.form_widget)
        page_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)

        tr = self.tr
        self.title_edit = self._line("title", tr("Title"))
        self.lane_combo = self._combo("lane_id", tr("Lane"))
        self.kind_combo = self._combo("kind", tr("Kind"), [(k.capitalize(), k) for k in KINDS])
        self.status_combo = self._combo("status", tr("Status"),
                                        [(STATUS_LABELS[s], s) for s in STATUSES])  # fmt: skip
        self.start_edit = self._date("start", tr("Start"))
        self.end_edit = self._date("end", tr("End"))

        self._section(tr("User story"))
        self.as_a_edit = self._line("as_a", tr("As a"), tr("who? e.g. field engineer"))
        self.i_want_edit = self._line("i_want", tr("I want"), tr("what? e.g. maps offline"))
        self.so_that_edit = self._line("so_that", tr("So that"), tr("why? e.g. I can work on site"))
        self.story_preview = plain_label("", self, wrap=True)
        self.story_preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._add_row("story_preview", tr("Reads"), self.story_preview)
        self.checklist = ChecklistEdit(self)
        self.checklist.criteria_edited.connect(self._on_checklist_criteria_edited)
        self._add_row("criteria", tr("Acceptance criteria"), self.checklist)

        self._section(tr("Priority and score"))
        self.estimate_edit = self._line("estimate", tr("Estimate"), tr("story points"))
        self.priority_combo = self._combo(
            "priority", tr("Priority"),
            [(tr("—"), None)] + [(PRIORITY_LABELS[p], p) for p in PRIORITIES],
        )  # fmt: skip
        self.reach_edit = self._line("reach", tr("Reach"), tr("people per quarter"))
        self.impact_edit = self._line("impact", tr("Impact"), tr("0.25 minimal … 3 massive"))
        self.confidence_edit = self._line("confidence", tr("Confidence %"), tr("0–100"))
        self.effort_edit = self._line("effort", tr("Effort"), tr("person-months"))
        self.rice_score = plain_label("", self)
        self.rice_score.setProperty("role", "section")
        self.rice_explanation = plain_label("", self, wrap=True)
        box = QWidget()
        rice_layout = QVBoxLayout(box)
        rice_layout.setContentsMargins(0, 0, 0, 0)
        rice_layout.addWidget(self.rice_score)
        rice_layout.addWidget(self.rice_explanation)
        self._add_row("rice", tr("RICE score"), box)
        for edit in (self.reach_edit, self.impact_edit, self.confidence_edit, self.effort_edit):
            edit.textChanged.connect(self._update_rice)
        self.date_confidence_combo = self._combo(
            "date_confidence", tr("Date confidence"),
            [(tr("—"), None)] + [(c.capitalize(), c) for c in DATE_CONFIDENCES],
        )  # fmt: skip

        self._section(tr("Details"))
        self.owner_edit = self._line("owner", tr("Owner"))
        self.tag_edit = TagEdit(self)
        self.tag_edit.tag_added.connect(self._on_tag_edit_tag_added)
        self.tag_edit.tag_removed.connect(self._on_tag_edit_tag_removed)
        self._add_row("tags", tr("Tags"), self.tag_edit)
        self.tag_edit.line.installEventFilter(self)  # known tags are read on focus, not per edit
        self.color_edit = QLineEdit(self)
        self.color_edit.setPlaceholderText(tr("#rrggbb; empty: lane colour"))
        self._watch_line("color", self.color_edit)
        self.color_button = QPushButton(tr("Choose…"), self)
        self.color_button.clicked.connect(self._on_color_button_clicked)
        self._add_row("color", tr("Colour"), self._hbox(self.color_edit, self.color_button))
        self.link_edit = QLineEdit(self)
        self.link_edit.setPlaceholderText("https://…")
        self._watch_line("link", self.link_edit)
        self.open_link_button = QPushButton(tr("Open"), self)
        self.open_link_button.setToolTip(tr("Open the link in the web browser"))
        self.open_link_button.clicked.connect(self._on_open_link_clicked)
        self.link_edit.textChanged.connect(self._update_link_button)
        self._add_row("link", tr("Link"), self._hbox(self.link_edit, self.open_link_button))
        self.objective_combo = self._combo("objective_id", tr("Objective"))
        self.hypothesis_edit = self._text("hypothesis", tr("Hypothesis"), 70)
        self.measure_edit = self._line("measure", tr("Measured by"))
        self.internal_check = QCheckBox(tr("Not for outside audiences"), self)
        self.internal_check.clicked.connect(self._on_internal_check_clicked)
        self._add_row("internal", tr("Internal"), self.internal_check)
        self.description_edit = self._text("description", tr("Description"), 140)

        for edit in (self.as_a_edit, self.i_want_edit, self.so_that_edit):
            edit.textChanged.connect(self._update_story_preview)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Tab walks the fields top to bottom, as they read."""
        chain: list[QWidget] = [
            self.title_edit, self.lane_combo, self.kind_combo, self.status_combo,
            self.start_edit.line, self.start_edit.calendar_button, self.start_edit.clear_button,
            self.end_edit.line, self.end_edit.calendar_button, self.end_edit.clear_button,
            self.as_a_edit, self.i_want_edit, self.so_that_edit, self.checklist.list,
            self.checklist.up_button, self.checklist.down_button, self.checklist.remove_button,
            self.checklist.add_line, self.estimate_edit, self.priority_combo, self.reach_edit,
            self.impact_edit, self.confidence_edit, self.effort_edit,
            self.date_confidence_combo, self.owner_edit, self.tag_edit.line, self.color_edit,
            self.color_button, self.link_edit, self.open_link_button, self.objective_combo,
            self.hypothesis_edit, self.measure_edit, self.internal_check, self.description_edit,
        ]  # fmt: skip
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _hbox(self, *widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, w in enumerate(widgets):
            layout.addWidget(w, 1 if i == 0 else 0)
        return box

    def _section(self, text: str) -> None:
        label = plain_label(text, self)
        label.setProperty("role", "section")
        self.form.addRow(label)
        self._sections.append(label)

    def _add_row(self, key: str, label: str, widget: QWidget) -> None:
        error = plain_label("", self, wrap=True)
        error.setProperty("role", "error")
        error.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        layout.addWidget(error)
        self.form.addRow(label, box)
        self._rows[key] = box
        self._errors[key] = error
        self._inputs.setdefault(key, widget)

    def _watch_line(self, key: str, edit: QLineEdit) -> None:
        self._inputs[key] = edit
        edit.editingFinished.connect(lambda: self._on_line_editing_finished(key))

    def _line(self, key: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        self._watch_line(key, edit)
        self._add_row(key, label, edit)
        return edit

    def _text(self, key: str, label: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        edit.installEventFilter(self)
        self._inputs[key] = edit
        self._add_row(key, label, edit)
        return edit

    def _combo(self, key: str, label: str, items: Sequence[tuple[str, Any]] = ()) -> QComboBox:
        combo = QComboBox(self)
        for text, value in items:
            combo.addItem(text, value)
        combo.setPlaceholderText(self.tr("Several values"))  # shown for mixed multi-edits
        combo.activated.connect(lambda _i: self._on_combo_activated(key))
        self._inputs[key] = combo
        self._add_row(key, label, combo)
        return combo

    def _date(self, key: str, label: str) -> DateOrNoneEdit:
        edit = DateOrNoneEdit(self)
        edit.edited.connect(lambda value: self._on_date_edited(key, value))
        edit.invalid.connect(lambda msg: self._show_error(key, msg))
        self._inputs[key] = edit
        self._add_row(key, label, edit)
        return edit

    # ----- public

    @property
    def card_ids(self) -> tuple[int, ...]:
        return self._ids

    def focus_title(self) -> None:
        """Put the cursor in the title field (Enter on a card, double-click on the timeline)."""
        if len(self._ids) == 1:
            self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.title_edit.selectAll()

    def commit_pending(self) -> None:
        """Commit a field the user has changed but not yet left (before switching cards)."""
        for key in LINE_FIELDS + NUMBER_FIELDS:
            edit = self._inputs[key]
            if isinstance(edit, QLineEdit) and edit.isModified():
                self._on_line_editing_finished(key)
        for key in TEXT_FIELDS:
            text_edit = self._inputs[key]
            if isinstance(text_edit, QPlainTextEdit) and text_edit.document().isModified():
                self._commit_text(key)
        for key in ("start", "end"):
            date_edit = self._inputs[key]
            if isinstance(date_edit, DateOrNoneEdit) and date_edit.line.isModified():
                date_edit.line.editingFinished.emit()

    # ----- loading

    def _on_document_selection_changed(self, ids: tuple[int, ...], _initiator: object) -> None:
        self.commit_pending()
        self._load_ids(ids)

    def _on_document_changed(self, changes: list[Change]) -> None:
        if any(c.entity in ("lane", "objective", "plan") for c in changes):
            self._choices_stale = True
        if not self._ids:
            return
        ids = set(self._ids)
        relevant = any(
            (c.entity == "card" and (c.op == "reset" or not ids.isdisjoint(c.ids)))
            or c.entity in ("lane", "objective", "plan")
            for c in changes
        )
        if relevant:
            names_changed = any(c.entity in ("lane", "objective", "plan") for c in changes)
            self._load_ids(self._ids, keep_dirty=True,
                           previous=None if names_changed else self._cards)  # fmt: skip

    def _load_ids(self, ids: Sequence[int], keep_dirty: bool = False,
                  previous: dict[int, Card] | None = None) -> None:  # fmt: skip
        """Show these cards; with ``previous`` (the same cards before an edit) only the
        fields the edit changed are shown again."""
        found = self.roadmap.cards_by_id(ids) if ids else {}
        only: set[str] | None = None
        if previous is not None and previous.keys() == found.keys():
            only = {name for name in _CARD_FIELDS
                    if any(getattr(previous[i], name) != getattr(card, name)
                           for i, card in found.items())}  # fmt: skip
        self._ids = tuple(i for i in ids if i in found)
        self._cards = found
        if not keep_dirty:
            for key in list(self._errors):
                self._clear_error(key)
        self._fill_choices()
        cards = [found[i] for i in self._ids]
        multi = len(cards) > 1
        self.form_widget.setVisible(bool(cards))
        editable = bool(cards) and not self.roadmap.read_only
        self.form_widget.setEnabled(editable)
        if multi != self._rows_multi:  # the rows shown depend only on one card or several
            self._rows_multi = multi
            for key, row in self._rows.items():
                self.form.setRowVisible(row, not multi or key in SHARED_FIELDS)
            for label in self._sections:
                self.form.setRowVisible(label, not multi)
        if not cards:
            self.header.setText(self.tr("No card selected. Select a card on the timeline, in "
                                        "the backlog or in the list to edit it."))  # fmt: skip
            return
        if multi:
            self.header.setText(self.tr("%1 cards selected: changes apply to all of them")
                                .replace("%1", str(len(cards))))  # fmt: skip
        else:
            self.header.setText(short(cards[0].title, 120))
        self._show_values(cards, keep_dirty, only)

    def _fill_choices(self) -> None:
        if not self._choices_stale:
            return
        lanes = [(short(lane.name, 80), lane.id) for lane in self.roadmap.lanes()]
        self._set_combo_items(self.lane_combo, [(self.tr("No lane"), None)] + lanes)
        objectives = [(short(o.name, 80), o.id) for o in self.roadmap.objectives()]
        self._set_combo_items(self.objective_combo, [(self.tr("—"), None)] + objectives)
        self._choices_stale = False

    def _set_combo_items(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
        if current == items:
            return
        with QSignalBlocker(combo):
            combo.clear()
            for text, value in items:
                combo.addItem(text, value)

    def _dirty(self, widget: QWidget) -> bool:
        if isinstance(widget, QLineEdit):
            return widget.isModified()
        if isinstance(widget, QPlainTextEdit):
            return widget.document().isModified()
        if isinstance(widget, DateOrNoneEdit):
            return widget.line.isModified()
        return False

    def _show_values(self, cards: list[Card], keep_dirty: bool,
                     only: set[str] | None = None) -> None:  # fmt: skip
        """Fill the fields from the cards (only the ``only`` fields, when given)."""
        def common(name: str) -> Any:
            values = {repr(getattr(c, name)) for c in cards}
            return getattr(cards[0], name) if len(values) == 1 else _MIXED

        for key in LINE_FIELDS + NUMBER_FIELDS + TEXT_FIELDS + COMBO_FIELDS + ("start", "end"):
            if only is not None and key not in only:
                continue  # unchanged: the field shows it already (or the user's typing)
            widget = self._inputs[key]
            if len(cards) > 1 and key not in SHARED_FIELDS:
                continue
            if keep_dirty and (self._dirty(widget) or self._errors[key].isVisible()):
                continue
            value = common(key)
            with QSignalBlocker(widget):
                if isinstance(widget, QLineEdit):
                    if key in NUMBER_FIELDS:
                        text = "" if value in (None, _MIXED) else fmt_number(value).replace(",", "")
                    else:
                        text = "" if value in (None, _MIXED) else str(value)
                    if widget.text() != text:
                        widget.setText(text)
                        widget.setCursorPosition(0)  # show the start of a long text
                    forget_typing(widget)
                    if key == "color":
                        self._update_color_swatch(None if value is _MIXED else value)
                elif isinstance(widget, QPlainTextEdit):
                    if widget.toPlainText() != value:
                        widget.setPlainText("" if value is _MIXED else value)
                    forget_typing(widget)
                elif isinstance(widget, QComboBox):
                    widget.setCurrentIndex(-1 if value is _MIXED else widget.findData(value))
                elif isinstance(widget, DateOrNoneEdit):
                    widget.set_date(None if value is _MIXED else value)
        if only is not None and only.isdisjoint({"internal", "criteria", "tags"} | _PREVIEWED):
            return
        with QSignalBlocker(self.internal_check):
            self.internal_check.setChecked(cards[0].internal)
        self.checklist.set_criteria(cards[0].criteria)
        shared = [t for t in cards[0].tags
                  if all(t.casefold() in {x.casefold() for x in c.tags} for c in cards)]
        self.tag_edit.set_tags(shared)
        self._update_story_preview()
        self._update_rice()
        self._update_link_button()

    # ----- live previews

    def _update_story_preview(self) -> None:
        sentence = user_story_sentence(self.as_a_edit.text(), self.i_want_edit.text(),
                                       self.so_that_edit.text())  # fmt: skip
        self.story_preview.setText(
            sentence or self.tr("Fill in who wants what and why to write the user story.")
        )

    def _update_rice(self) -> None:
        values = [_lenient_number(e.text()) for e in
                  (self.reach_edit, self.impact_edit, self.confidence_edit, self.effort_edit)]
        score, line = rice_explanation(*values)
        self.rice_score.setText("—" if score is None else fmt_number(round(score, 2)))
        self.rice_explanation.setText(line)

    def _update_link_button(self) -> None:
        self.open_link_button.setEnabled(openable_link(self.link_edit.text()) is not None)

    def _update_color_swatch(self, value: str | None) -> None:
        pixmap = QPixmap(14, 14)
        color = QColor(value) if value else QColor(0, 0, 0, 0)
        pixmap.fill(color if color.isValid() else QColor(0, 0, 0, 0))
        self.color_button.setIcon(QIcon(pixmap))

    # ----- committing

    def _commit(self, key: str, per_card: dict[int, dict[str, Any]], label: str) -> bool:
        """Push one UpdateCards for the fields that change; show a refusal at the field."""
        changes = {
            cid: fields for cid, fields in per_card.items()
            if cid in self._cards
            and any(getattr(self._cards[cid], k) != v for k, v in fields.items())
        }  # fmt: skip
        if not changes:
            self._clear_error(key)
            return True
        text = self.tr("Edit %1").replace("%1", label.lower())
        if len(changes) > 1:
            text = self.tr("Edit %1 of %2 cards").replace("%1", label.lower()).replace(
                "%2", str(len(changes)))
        try:
            run(self.undo_stack, UpdateCards(self.roadmap, changes, text))
        except ValidationError as exc:
            self._show_error(key, str(exc))
            return False
        self._clear_error(key)
        return True

    def _commit_value(self, key: str, value: Any) -> bool:
        return self._commit(key, {cid: {key: value} for cid in self._ids}, self._label(key))

    def _label(self, key: str) -> str:
        label = self.form.labelForField(self._rows[key])
        return label.text() if isinstance(label, QLabel) else key

    def _on_line_editing_finished(self, key: str) -> None:
        edit = self._inputs[key]
        assert isinstance(edit, QLineEdit)
        if not edit.isModified() or not self._ids:
            return
        forget_typing(edit)  # from here on, undoing this edit is the document's Edit ▸ Undo
        text = edit.text()
        if key in NUMBER_FIELDS:
            try:
                value: Any = _parse_number(text)
            except ValueError:
                self._show_error(key, self.tr("%1 must be a number, or empty")
                                 .replace("%1", self._label(key)))  # fmt: skip
                return
        elif key == "color":
            value = text.strip() or None
        elif key in ("title", "owner", "link"):
            value = text.strip() if key != "title" else text
        else:
            value = text
        if self._commit_value(key, value) and key == "color":
            self._update_color_swatch(value)

    def _commit_text(self, key: str) -> None:
        edit = self._inputs[key]
        assert isinstance(edit, QPlainTextEdit)
        forget_typing(edit)  # from here on, undoing this edit is the document's Edit ▸ Undo
        if self._ids:
            self._commit_value(key, edit.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and watched is self.tag_edit.line:
            self.tag_edit.set_known_tags(self.roadmap.tags())
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QPlainTextEdit):
            for key in TEXT_FIELDS:
                if self._inputs[key] is watched and watched.document().isModified():
                    self._commit_text(key)
        return super().eventFilter(watched, event)

    def _on_combo_activated(self, key: str) -> None:
        combo = self._inputs[key]
        assert isinstance(combo, QComboBox)
        if combo.currentIndex() >= 0:
            self._commit_value(key, combo.currentData())

    def _on_date_edited(self, key: str, value: dt.date | None) -> None:
        per_card = {cid: date_change(self._cards[cid], key, value,
                                     duration_days(self._cards[cid].kind))
                    for cid in self._ids if cid in self._cards}  # fmt: skip
        if self._commit(key, per_card, self._label(key)):
            self._clear_error("start" if key == "end" else "end")

    def _on_internal_check_clicked(self, checked: bool) -> None:
        self._commit_value("internal", bool(checked))

    def _on_checklist_criteria_edited(self, criteria: tuple[Criterion, ...]) -> None:
        self._commit_value("criteria", tuple(criteria))

    def _on_tag_edit_tag_added(self, tag: str) -> None:
        per_card = {}
        for cid in self._ids:
            tags = self._cards[cid].tags
            if tag.casefold() not in {t.casefold() for t in tags}:
                per_card[cid] = {"tags": (*tags, tag)}
        self._commit("tags", per_card, self.tr("Tags"))

    def _on_tag_edit_tag_removed(self, tag: str) -> None:
        per_card = {cid: {"tags": tuple(t for t in self._cards[cid].tags
                                        if t.casefold() != tag.casefold())}
                    for cid in self._ids}  # fmt: skip
        self._commit("tags", per_card, self.tr("Tags"))

    def _on_color_button_clicked(self) -> None:
        current = QColor(self.color_edit.text().strip() or "#4e79a7")
        color = QColorDialog.getColor(current, self, self.tr("Card colour"))
        if color.isValid():
            self.color_edit.setText(color.name())
            self.color_edit.setModified(True)
            self._on_line_editing_finished("color")

    def _on_open_link_clicked(self) -> None:
        url = openable_link(self.link_edit.text())
        if url is not None:
            QDesktopServices.openUrl(url)

    # ----- errors at the field

    def _show_error(self, key: str, message: str) -> None:
        label = self._errors[key]
        label.setText(message)
        label.show()
        self._mark(self._inputs[key], True)

    def _clear_error(self, key: str) -> None:
        label = self._errors.get(key)
        if label is None or not label.text():
            return
        label.clear()
        label.hide()
        self._mark(self._inputs[key], False)

    def error_text(self, key: str) -> str:
        """The message shown under a field ('' when the field is fine)."""
        return self._errors[key].text()

    def _mark(self, widget: QWidget, invalid: bool) -> None:
        target = widget.line if isinstance(widget, DateOrNoneEdit) else widget
        target.setProperty("invalid", invalid)
        target.style().unpolish(target)
        target.style().polish(target)


class _Mixed:
    """Marks a field whose value differs between the selected cards."""

    def __repr__(self) -> str:
        return "<mixed>"


_MIXED = _Mixed()


def install(window: Any) -> CardEditor:
    """The editor dock on the right; a card activated anywhere puts the cursor in its title."""
    dock = window.dock("editor_dock", window.tr("Card"), Qt.DockWidgetArea.RightDockWidgetArea)
    editor = CardEditor(window.document, window.undo_stack, dock)
    dock.setWidget(editor)
    window.editor_dock, window.editor = dock, editor
    action = dock.toggleViewAction()
    action.setText(window.tr("Card &Editor"))
    window.view_menu.addAction(action)

    def activate(card_id: int) -> None:
        if tuple(window.document.selection) != (card_id,):
            window.document.set_selection([card_id], None)
        dock.show()
        dock.raise_()
        editor.focus_title()

    window.activate_card = activate

    def edit_selection() -> None:
        dock.show()
        dock.raise_()
        if len(editor.card_ids) == 1:
            editor.focus_title()
        elif editor.card_ids:
            editor.status_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    from PySide6.QtGui import QAction, QKeySequence

    edit = QAction(window.tr("&Edit Card"), window)
    edit.setShortcut(QKeySequence("Ctrl+E"))
    edit.triggered.connect(edit_selection)
    window.edit_menu.addAction(edit)
    window.edit_card_action = edit
    if hasattr(window.timeline, "card_activated"):
        window.timeline.card_activated.connect(activate)
    return editor
