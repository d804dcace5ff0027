"""The search and filter bar: text in title, story and description; tag, status, lane, objective."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget

from planner.model import STATUS_LABELS, STATUSES
from planner.search import NONE_ID, CardFilter
from planner.store import Change
from ui.document import Document
from ui.widgets.plain import button_text, plain_label


class SearchLine(QLineEdit):
    """The search field; Esc clears the whole filter."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """Publishes a CardFilter on the document; highlights the matches on the timeline."""

    def __init__(self, document: Document, highlight: Callable[[list[int]], Any] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap
        self._highlight = highlight
        self._chosen: dict[str, set[Any]] = {"tags": set(), "statuses": set(), "lanes": set(),
                                             "objectives": set()}  # fmt: skip
        self.search_line = SearchLine(self)
        self.search_line.setPlaceholderText(self.tr("Search title, story, description (Ctrl+F)"))
        self.search_line.setClearButtonEnabled(True)
        self.search_line.setMinimumWidth(240)
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(self.search_line, 1)
        for key, label in (("tags", self.tr("Tags")), ("statuses", self.tr("Status")),
                           ("lanes", self.tr("Lane")), ("objectives", self.tr("Objective"))):
            button = QToolButton(self)
            button.setText(label)
            button.setProperty("base_text", label)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(button)
            menu.aboutToShow.connect(lambda key=key, menu=menu: self._fill_menu(key, menu))
            button.setMenu(menu)
            self.buttons[key] = button
            layout.addWidget(button)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the search and filters (Esc)"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self.count_label = plain_label("", self)
        layout.addWidget(self.count_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.apply)
        self.search_line.textChanged.connect(self._on_search_line_text_changed)
        self.search_line.escaped.connect(self.clear)
        self.search_line.returnPressed.connect(self.apply)
        document.changed.connect(self._on_document_changed)
        self._update_buttons()

    # ----- menus

    def options(self, key: str) -> list[tuple[str, Any]]:
        """(label, value) pairs one filter menu offers."""
        if key == "tags":
            return [(t, t.casefold()) for t in self.roadmap.tags()]
        if key == "statuses":
            return [(self.tr(STATUS_LABELS[s]), s) for s in STATUSES]
        if key == "lanes":
            return [(lane.name, lane.id) for lane in self.roadmap.lanes()] + [
                (self.tr("No lane"), NONE_ID)]
        return [(o.name, o.id) for o in self.roadmap.objectives()] + [
            (self.tr("No objective"), NONE_ID)]

    def _fill_menu(self, key: str, menu: QMenu) -> None:
        menu.clear()
        for label, value in self.options(key)[:500]:
            action = QAction(button_text(label), menu)
            action.setCheckable(True)
            action.setChecked(value in self._chosen[key])
            action.toggled.connect(lambda on, key=key, value=value: self.set_choice(key, value, on))
            menu.addAction(action)

    def set_choice(self, key: str, value: Any, on: bool) -> None:
        """Add or remove one tag / status / lane / objective from the filter."""
        if on:
            self._chosen[key].add(value)
        else:
            self._chosen[key].discard(value)
        self._update_buttons()
        self.apply()

    def set_choices(self, key: str, values: Iterable[Any]) -> None:
        self._chosen[key] = set(values)
        self._update_buttons()
        self.apply()

    def _update_buttons(self) -> None:
        for key, button in self.buttons.items():
            n = len(self._chosen[key])
            base = str(button.property("base_text"))
            button.setText(base if not n else f"{base} ({n})")

    # ----- applying

    def current_filter(self) -> CardFilter:
        return CardFilter(
            text=" ".join(self.search_line.text().split()),
            tags=frozenset(self._chosen["tags"]),
            statuses=frozenset(self._chosen["statuses"]),
            lanes=frozenset(self._chosen["lanes"]),
            objectives=frozenset(self._chosen["objectives"]),
        )

    def focus_search(self) -> None:
        self.search_line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_line.selectAll()

    def clear(self) -> None:
        """Esc: no text, no filters."""
        for chosen in self._chosen.values():
            chosen.clear()
        self.search_line.blockSignals(True)
        self.search_line.clear()
        self.search_line.blockSignals(False)
        self._update_buttons()
        self.apply()

    def _on_search_line_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_document_changed(self, changes: list[Change]) -> None:
        if self.document.search.active and any(c.entity == "card" for c in changes):
            self._publish_highlight(self.document.search)

    def apply(self) -> None:
        """Publish the filter now (typing does it after a short pause)."""
        self._timer.stop()
        search = self.current_filter()
        self.document.set_search(search)
        self._publish_highlight(search)

    def matching_ids(self, search: CardFilter) -> list[int]:
        if not search.active:
            return []
        # The document's cards: read once, patched per edit (and those read so far while a big
        # roadmap is loading), not the whole file again on every edit.
        return [c.id for c in self.document.cards() if search.matches(c)]

    def _publish_highlight(self, search: CardFilter) -> None:
        ids = self.matching_ids(search)
        if search.active:
            self.count_label.setText(self.tr("%1 found").replace("%1", str(len(ids))))
        else:
            self.count_label.setText("")
        if self._highlight is not None:
            self._highlight(ids)


def install(window: Any) -> FilterBar:
    """The filter bar in its own tool bar above the tabs; Ctrl+F focuses it."""
    from PySide6.QtGui import QKeySequence

    def highlight(ids: list[int]) -> None:
        timeline = getattr(window, "timeline", None)
        if timeline is not None and hasattr(timeline, "set_highlight"):
            timeline.set_highlight(ids)

    bar = FilterBar(window.document, highlight, window)
    toolbar = window.addToolBar(window.tr("Search"))
    toolbar.setObjectName("search_toolbar")
    toolbar.addWidget(bar)
    window.filter_bar = bar
    find = QAction(window.tr("&Find…"), window)
    find.setShortcut(QKeySequence.StandardKey.Find)
    find.triggered.connect(bar.focus_search)
    window.edit_menu.addAction(find)
    window.find_action = find
    return bar
