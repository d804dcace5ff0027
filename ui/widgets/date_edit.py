"""A date field that may be empty ("no date"), typed as YYYY-MM-DD or picked from a calendar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)


def parse_date(text: str) -> dt.date | None:
    """'' is no date; YYYY-MM-DD (or D.M.YYYY) is a date; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    if "." in text:
        d, m, y = (int(p) for p in text.split("."))
        return dt.date(y, m, d)
    return dt.date.fromisoformat(text)


class DateOrNoneEdit(QWidget):
    """Emits ``edited(date or None)`` when the user finishes typing, picks a day or clears it."""

    edited = Signal(object)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(self.tr("No date"))
        self.line.setClearButtonEnabled(True)
        self.line.setToolTip(self.tr("YYYY-MM-DD; empty means no date (backlog)"))
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("…")
        self.calendar_button.setToolTip(self.tr("Pick a day from a calendar (F4)"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.calendar_button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.calendar_button.setMenu(menu)
        self._menu = menu
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("No date"))
        self.clear_button.setToolTip(self.tr("Remove the date"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.calendar_button)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.line)
        self._value: dt.date | None = None
        self.line.editingFinished.connect(self._on_line_editing_finished)
        self.calendar.activated.connect(self._on_calendar_picked)
        self.calendar.clicked.connect(self._on_calendar_picked)
        self.clear_button.clicked.connect(self._on_clear_clicked)

    def set_date(self, value: dt.date | None) -> None:
        """Show a value without emitting ``edited``."""
        self._value = value
        self.line.setText(value.isoformat() if value else "")
        self.line.setModified(False)

    def date(self) -> dt.date | None:
        return self._value

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_F4:
            self.calendar_button.showMenu()
            return
        super().keyPressEvent(event)

    def _on_menu_about_to_show(self) -> None:
        day = self._value or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _on_line_editing_finished(self) -> None:
        if not self.line.isModified():
            return
        self.line.setModified(False)
        try:
            value = parse_date(self.line.text())
        except ValueError:
            self.invalid.emit(self.tr("Write the date as YYYY-MM-DD, or leave it empty"))
            return
        self._set_and_emit(value)

    def _on_calendar_picked(self, qdate: QDate) -> None:
        self._menu.hide()
        self._set_and_emit(dt.date(qdate.year(), qdate.month(), qdate.day()))
        self.line.setFocus()

    def _on_clear_clicked(self) -> None:
        self._set_and_emit(None)

    def _set_and_emit(self, value: dt.date | None) -> None:
        self._value = value
        self.line.setText(value.isoformat() if value else "")
        self.line.setModified(False)
        self.edited.emit(value)
