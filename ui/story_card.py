"""A large read-only story card over the window: the why, the story, the criteria, the dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from planner.buckets import bucket_label
from planner.errors import ValidationError
from planner.lens import Lens
from planner.model import STATUS_LABELS, Card, Objective
from planner.store import Roadmap


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def metric_line(o: Objective) -> str:
    """'Weekly active users: 1200 → 1850 → 3000' (baseline → current → target)."""
    values = f"{_num(o.baseline)} → {_num(o.current)} → {_num(o.target)}"
    return f"{o.metric}: {values}" if o.metric else values


def date_line(card: Card, lens: Lens) -> str:
    """The card's dates at the view's precision ('Unscheduled' when undated)."""
    if card.start is None or card.end is None:
        return "Unscheduled"
    return lens.format_range(*lens.display_dates(card.start, card.end))


class StoryCard(QWidget):
    """Covers its parent with a dimmed backdrop and a large card; Esc or a click outside closes."""

    closed = Signal()
    card_shown = Signal(int)

    def __init__(self, parent: QWidget, roadmap: Roadmap, lens: Lens | None = None) -> None:
        super().__init__(parent)
        self.roadmap = roadmap
        self.lens = lens or Lens()
        self.card_id: int | None = None
        self.setObjectName("story_card_overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.panel = QFrame(self)
        self.panel.setObjectName("story_card")
        self.panel.setAutoFillBackground(True)
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll_area = QScrollArea(self.panel)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setSpacing(10)
        self.scroll_area.setWidget(self.body)
        close = QPushButton(self.tr("Close"), self.panel)
        close.clicked.connect(self.close_card)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(28, 24, 28, 18)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)
        self.labels: dict[str, QLabel] = {}
        self.dependency_buttons: dict[int, QPushButton] = {}
        parent.installEventFilter(self)
        self.hide()

    # ----- content

    def _label(self, key: str, text: str, scale: float = 1.0, bold: bool = False) -> QLabel:
        label = QLabel(text, self.body)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = label.font()
        f.setPointSizeF(f.pointSizeF() * scale)
        f.setBold(bold)
        label.setFont(f)
        self.body_layout.addWidget(label)
        self.labels[key] = label
        return label

    def _heading(self, text: str) -> None:
        label = QLabel(text, self.body)
        label.setTextFormat(Qt.TextFormat.PlainText)
        f = label.font()
        f.setBold(True)
        label.setFont(f)
        label.setStyleSheet("color: palette(placeholder-text)")
        self.body_layout.addWidget(label)

    def _clear(self) -> None:
        self.labels.clear()
        self.dependency_buttons.clear()
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()

    def show_card(self, card_id: int) -> bool:
        """Show one card; False when it no longer exists."""
        try:
            card = self.roadmap.card(card_id)
        except ValidationError:
            return False
        self._clear()
        self.card_id = card_id
        status = self.tr(STATUS_LABELS.get(card.status, card.status))
        self._label("title", card.title, 2.0, bold=True)
        self._label("meta", f"{self._dates(card)}  ·  {status}", 1.3)
        if card.objective_id is not None:
            try:
                o = self.roadmap.objective(card.objective_id)
            except ValidationError:
                o = None
            if o is not None:
                self._heading(self.tr("Serves the objective"))
                self._label("objective", o.name, 1.4, bold=True)
                self._label("metric", metric_line(o), 1.2)
        if card.hypothesis:
            self._heading(self.tr("We believe"))
            self._label("hypothesis", card.hypothesis, 1.2)
        if card.measure:
            self._heading(self.tr("Measured by"))
            self._label("measure", card.measure, 1.2)
        if card.user_story:
            self._heading(self.tr("User story"))
            self._label("story", card.user_story, 1.4)
        if card.criteria:
            self._heading(self.tr("Acceptance criteria (%1 of %2 done)")
                          .replace("%1", str(card.criteria_done))
                          .replace("%2", str(len(card.criteria))))  # fmt: skip
            lines = [("☑ " if c.done else "☐ ") + c.text for c in card.criteria]
            self._label("criteria", "\n".join(lines), 1.2)
        deps = self.roadmap.dependencies()
        before = [d.before_id for d in deps if d.after_id == card_id]
        after = [d.after_id for d in deps if d.before_id == card_id]
        others = self.roadmap.cards_by_id(before + after)
        for heading, ids in ((self.tr("Waits for"), before), (self.tr("Unblocks"), after)):
            shown = [others[i] for i in ids if i in others and self.lens.includes(others[i])]
            if not shown:
                continue
            self._heading(heading)
            for other in shown:
                # A button's text is never interpreted as rich text.
                button = QPushButton(f"→ {other.title}  ({self._dates(other)})", self.body)
                button.setFlat(True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setStyleSheet("text-align: left")
                button.clicked.connect(lambda _=False, i=other.id: self.show_card(i))
                self.body_layout.addWidget(button)
                self.dependency_buttons[other.id] = button
        self.body_layout.addStretch(1)
        self._place()
        self.show()
        self.raise_()
        self.setFocus()
        self.card_shown.emit(card_id)
        return True

    def _dates(self, card: Card) -> str:
        if self.lens.precision == "nnl" and card.scheduled:
            info = self.roadmap.info()
            return self.tr(bucket_label(card.start, dt.date.today(), info.now_weeks,
                                        info.next_weeks))  # fmt: skip
        return self.tr(date_line(card, self.lens))

    def close_card(self) -> None:
        if self.isVisible():
            self.hide()
            self.card_id = None
            self.closed.emit()

    # ----- geometry and events

    def _place(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        w = min(max(480, int(self.width() * 0.64)), self.width() - 40)
        h = min(max(360, int(self.height() * 0.88)), self.height() - 40)
        self.panel.setGeometry((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        resized = watched is self.parentWidget() and event.type() == QEvent.Type.Resize
        if resized and self.isVisible():
            self._place()
        return False

    @override
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 140))
        painter.end()

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.close_card()
        event.accept()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close_card()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            bar = self.scroll_area.verticalScrollBar()
            step = bar.singleStep() * 3
            bar.setValue(bar.value() + (step if event.key() == Qt.Key.Key_Down else -step))
            event.accept()
            return
        super().keyPressEvent(event)
