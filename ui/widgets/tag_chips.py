"""Tags as removable chips, with autocomplete and create-on-Enter."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ui.widgets.plain import button_text, tooltip
from ui.widgets.undo_keys import forget_typing


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new lines (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, apply: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        space = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + space
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + space
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class TagEdit(QWidget):
    """Chips for the tags shown; typing a tag and pressing Enter adds it (new or existing)."""

    tag_added = Signal(str)
    tag_removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[str] = []
        self._chips: list[QToolButton] = []
        self._layout = FlowLayout(self)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(self.tr("Add a tag…"))
        self.line.setMinimumWidth(90)
        self._known = QStringListModel(self)
        self.completer = QCompleter(self._known, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.line.setCompleter(self.completer)
        self._layout.addWidget(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setFocusProxy(self.line)
        self.line.returnPressed.connect(self._on_line_return_pressed)

    def set_known_tags(self, tags: Iterable[str]) -> None:
        self._known.setStringList(list(tags))

    def set_tags(self, tags: Iterable[str]) -> None:
        """Show these tags as chips (does not emit)."""
        tags = list(tags)
        if tags == self._tags:
            return
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips = []
        self._tags = tags
        self._layout.removeWidget(self.line)
        for tag in tags:
            chip = QToolButton(self)
            chip.setText(button_text(tag, 40) + "  ✕")
            chip.setToolTip(tooltip(self.tr("Remove the tag “%1”").replace("%1", tag)))
            chip.setAutoRaise(False)
            chip.setProperty("tag", tag)
            chip.clicked.connect(self._on_chip_clicked)
            self._layout.addWidget(chip)
            self._chips.append(chip)
        self._layout.addWidget(self.line)
        self.updateGeometry()

    def tags(self) -> list[str]:
        return list(self._tags)

    def chips(self) -> list[QToolButton]:
        return list(self._chips)

    def _on_line_return_pressed(self) -> None:
        tag = " ".join(self.line.text().split())
        self.line.clear()
        forget_typing(self.line)  # Ctrl+Z now undoes the added tag, not the clearing of the line
        if tag and tag.casefold() not in {t.casefold() for t in self._tags}:
            self.tag_added.emit(tag)

    def _on_chip_clicked(self) -> None:
        chip = self.sender()
        if isinstance(chip, QToolButton):
            self.tag_removed.emit(str(chip.property("tag")))
