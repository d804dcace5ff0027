"""Presentation mode: full screen, read-only, keyboard-driven walk through the saved views."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QListWidget,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from planner.lens import EVERYTHING, Lens
from ui import settings
from ui.document import Document
from ui.legend import LegendWidget
from ui.story_card import StoryCard

# How long the view name stays on screen after Page Up / Page Down.
TOAST_MS = 1800
# A press and release closer than this (pixels) is a click, not a drag.
CLICK_SLOP = 6
# Keys that move focus or press a button inside the story card (read-only there).
_CARD_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter,
              Qt.Key.Key_Space, Qt.Key.Key_Up, Qt.Key.Key_Down}  # fmt: skip
_BLOCKED_EVENTS = {QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu,
                   QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop}  # fmt: skip


class _Saved:
    """What the window looked like before presenting, to put back exactly."""

    def __init__(self, window: QMainWindow) -> None:
        self.geometry: QByteArray = window.saveGeometry()
        self.rect = window.geometry()
        self.state = window.windowState()
        self.dock_state: QByteArray = window.saveState()
        self.widgets: list[tuple[QWidget, bool]] = [
            (w, w.isVisibleTo(window)) for w in _chrome(window)
        ]
        tabs = getattr(window, "tabs", None)
        self.font = tabs.font() if tabs is not None else None
        self.font_resolved = tabs is not None and tabs.testAttribute(Qt.WidgetAttribute.WA_SetFont)


def _chrome(window: QMainWindow) -> list[QWidget]:
    """Menus, tool bars, docks, status bar and tab bar: everything that is not the plan."""
    out: list[QWidget] = [window.menuBar(), window.statusBar()]
    out += [t for t in window.findChildren(QToolBar) if t.parent() is window]
    out += [d for d in window.findChildren(QDockWidget) if d.parent() is window]
    tabs = getattr(window, "tabs", None)
    if tabs is not None:
        out.append(tabs.tabBar())
    return out


class Toast(QLabel):
    """A large label shown briefly over the presentation (the view's name)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentation_toast")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QLabel { background: rgba(20, 20, 20, 200); color: white;"
                           " border-radius: 12px; padding: 14px 28px; }")  # fmt: skip
        f = self.font()
        f.setPointSizeF(f.pointSizeF() * 2.2)
        f.setBold(True)
        self.setFont(f)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def flash(self, text: str, place: Any = None) -> None:
        """Show ``text``; ``place`` picks the top-left for the toast's size (away from the
        bars the audience is reading), else it sits centred near the bottom."""
        self.setText(text)
        self.adjustSize()
        parent = self.parentWidget()
        assert parent is not None
        if place is not None:
            self.move(place(self.size()))
        else:
            self.move((parent.width() - self.width()) // 2, parent.height() - self.height() - 16)
        self.show()
        self.raise_()
        self.timer.start(TOAST_MS)


class Presenter(QObject):
    """Enters and leaves presentation mode on one main window and handles its keys."""

    entered = Signal()
    left = Signal()
    view_shown = Signal(object)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.document: Document = window.document  # type: ignore[attr-defined]
        self.active = False
        self.spotlight: int | None = None
        self._saved: _Saved | None = None
        self._press: QPoint | None = None
        self._overlay: QWidget | None = None
        self.toast: Toast | None = None
        self.legend: LegendWidget | None = None
        self.plan_label: QLabel | None = None
        self.story_card: StoryCard | None = None

        self.action = QAction(window.tr("&Present"), window)
        self.action.setObjectName("present_action")
        self.action.setShortcuts([QKeySequence(Qt.Key.Key_F5)])
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip(window.tr("Present the roadmap full screen, read-only (F5)"))
        self.action.triggered.connect(self.toggle)
        window.addAction(self.action)  # works with the menu bar hidden too
        self.document.changed.connect(self._on_document_changed)

    # ----- the things on screen

    @property
    def timeline(self) -> Any:
        return getattr(self.window, "timeline", None)

    @property
    def board(self) -> Any:
        return getattr(self.window, "board", None)

    def current_widget(self) -> QWidget | None:
        tabs = getattr(self.window, "tabs", None)
        return tabs.currentWidget() if tabs is not None else None

    def lens(self) -> Lens:
        return Lens.from_view(self.document.active_view)

    # ----- entering and leaving

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        self._saved = _Saved(w)
        self.active = True
        for widget in _chrome(w):
            widget.hide()
        tabs = getattr(w, "tabs", None)
        if tabs is not None:
            f = tabs.font()
            f.setPointSizeF(max(1.0, f.pointSizeF() * self._scale()))
            tabs.setFont(f)
        board: Any = self.board
        if board is not None and hasattr(board, "controls"):
            board.controls.hide()  # the horizon spin boxes are editing chrome
        for room in (self.timeline, self.board):
            if room is not None and hasattr(room, "set_read_only"):
                room.set_read_only(True)
        timeline: Any = self.timeline
        if timeline is not None and hasattr(timeline, "set_text_scale"):
            timeline.set_text_scale(self._scale())
        self._build_overlay()
        self.set_spotlight(None)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        w.showFullScreen()
        self._place_overlay()
        self.entered.emit()

    @staticmethod
    def _scale() -> float:
        """The presentation text size setting, kept within sensible bounds."""
        return min(max(float(settings.get("presentation_scale")), 0.5), 4.0)

    def leave(self) -> None:
        if not self.active or self._saved is None:
            return
        w = self.window
        saved = self._saved
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        self.active = False
        self.set_spotlight(None)
        if self.story_card is not None:
            self.story_card.close_card()
        if self._overlay is not None:
            self._overlay.hide()
        if self.plan_label is not None:
            self.plan_label.hide()
        if self.toast is not None:
            self.toast.hide()
        for room in (self.timeline, self.board):
            if room is not None and hasattr(room, "set_read_only"):
                room.set_read_only(bool(self.document.roadmap.read_only))
        timeline: Any = self.timeline
        if timeline is not None and hasattr(timeline, "set_text_scale"):
            timeline.set_text_scale(1.0)
        board: Any = self.board
        if board is not None and hasattr(board, "controls"):
            board.controls.show()
        tabs = getattr(w, "tabs", None)
        if tabs is not None and saved.font is not None:
            tabs.setFont(saved.font)
            if not saved.font_resolved:
                tabs.setAttribute(Qt.WidgetAttribute.WA_SetFont, False)
        w.setWindowState(saved.state)
        w.restoreState(saved.dock_state)
        for widget, visible in saved.widgets:
            widget.setVisible(visible)
        w.restoreGeometry(saved.geometry)
        if not saved.state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            w.setGeometry(saved.rect)  # restoreGeometry alone lands off by the frame
        self._saved = None
        self.left.emit()

    def _build_overlay(self) -> None:
        """Legend, view-name toast and scenario label on top of the plan."""
        w = self.window
        if self._overlay is None:
            self._overlay = QFrame(w)
            self._overlay.setObjectName("presentation_legend")
            self._overlay.setAutoFillBackground(True)
            self._overlay.setFrameShape(QFrame.Shape.StyledPanel)
            layout = QVBoxLayout(self._overlay)
            layout.setContentsMargins(10, 6, 10, 6)
            self.legend = LegendWidget(self.document, self._overlay)
            f = self.legend.font()
            f.setPointSizeF(f.pointSizeF() * 1.3)
            self.legend.setFont(f)
            layout.addWidget(self.legend)
            self.toast = Toast(w)
            self.plan_label = QLabel(w)
            self.plan_label.setObjectName("presentation_plan")
            self.plan_label.setTextFormat(Qt.TextFormat.PlainText)
            self.plan_label.setStyleSheet("QLabel { background: #b7410e; color: white;"
                                          " border-radius: 6px; padding: 4px 10px; }")
            self.story_card = StoryCard(w, self.document.roadmap, self.lens())
            f = w.font()
            f.setPointSizeF(f.pointSizeF() * self._scale())
            self.story_card.setFont(f)
            self.story_card.closed.connect(self._on_story_card_closed)
            w.installEventFilter(self)
        assert self.legend is not None and self.plan_label is not None
        self.legend.refresh()
        self._overlay.show()
        self._overlay.raise_()
        self._update_plan_label()

    def _toast_spot(self, size: QSize) -> QPoint:
        """Where the view-name toast covers no bar: bottom centre above the legend, else
        beside the legend, else centred over the time header at the top."""
        w = self.window
        width, height = size.width(), size.height()
        overlay = self._overlay
        legend = overlay.geometry() if overlay is not None and overlay.isVisible() \
            else QRect(0, w.height(), 0, 0)  # fmt: skip
        centre = (w.width() - width) // 2
        spots = [QRect(centre, legend.top() - 12 - height, width, height),
                 QRect(w.width() - width - 20, legend.bottom() - height, width, height),
                 QRect(centre, 4, width, height)]  # fmt: skip
        bars = self._bar_rects()
        for spot in spots[:2]:
            if spot.left() >= 0 and spot.top() >= 0 and not spot.intersects(legend) \
                    and not any(spot.intersects(b) for b in bars):  # fmt: skip
                return spot.topLeft()
        return spots[2].topLeft()

    def _timeline_shown(self) -> bool:
        return self.current_widget() is self.timeline

    def _bar_rects(self) -> list[QRect]:
        """The bars on screen, in window coordinates (the timeline's; the board has none)."""
        timeline: Any = self.timeline
        if timeline is None or not self._timeline_shown():
            return []
        offset = timeline.viewport().mapTo(self.window, QPoint(0, 0))
        lens = self.lens()
        rects = []
        for card in self.document.roadmap.cards():
            if card.scheduled and lens.includes(card):
                rect: QRect = timeline.card_rect(card.id)
                if not rect.isEmpty():
                    rects.append(rect.translated(offset))
        return rects

    def _update_plan_label(self) -> None:
        """Name the scenario or snapshot on show, so nobody mistakes it for the plan."""
        if self.plan_label is None:
            return
        label = ""
        plan_label = getattr(self.document, "plan_label", None)
        if callable(plan_label):
            label = str(plan_label() or "")
        self.plan_label.setText(label)
        self.plan_label.adjustSize()
        self.plan_label.setVisible(bool(label) and self.active)
        self._place_overlay()

    def _on_document_changed(self, changes: list[Any]) -> None:
        if self.active and any(c.entity == "plan" for c in changes):
            self._update_plan_label()

    def _place_overlay(self) -> None:
        w = self.window
        if self._overlay is None or self.legend is None:
            return
        width = min(w.width() - 40, max(300, w.width() * 2 // 3))
        height = self.legend.heightForWidth(width - 20) + 14
        self._overlay.setGeometry(20, w.height() - height - 16, width, height)
        self._overlay.raise_()
        if self.plan_label is not None:
            self.plan_label.move(w.width() - self.plan_label.width() - 20, 16)
            self.plan_label.raise_()
        if self.story_card is not None and self.story_card.isVisible():
            self.story_card._place()

    # ----- commands of the keyboard

    def step_view(self, step: int) -> None:
        """Page Up / Page Down: the previous or next saved view, its name shown briefly."""
        views = self.document.roadmap.views()
        if not views:
            if self.toast is not None:
                self.toast.flash(self.window.tr("No saved views"), self._toast_spot)
            return
        current = self.document.active_view
        ids = [v.id for v in views]
        if current is not None and current.id in ids:
            index = (ids.index(current.id) + step) % len(views)
        else:
            # No saved view is active: the screen shows everything. If a saved view shows the
            # same, that is where we are, so the first step moves on from it.
            same = [i for i, v in enumerate(views)
                    if dataclasses.replace(Lens.from_view(v), name=EVERYTHING) == Lens()]
            if same:
                index = (same[0] + step) % len(views)
            else:
                index = 0 if step > 0 else len(views) - 1
        view = views[index]
        self.document.set_active_view(view)
        if self.story_card is not None:
            self.story_card.lens = Lens.from_view(view)
        if self.legend is not None:
            self.legend.refresh()
            self._place_overlay()
        self.set_spotlight(None)
        if self.toast is not None:
            self.toast.flash(view.name, self._toast_spot)
        self.view_shown.emit(view)

    def visible_lanes(self) -> list[int]:
        lens = self.lens()
        return [lane.id for lane in self.document.roadmap.lanes() if lens.lane_visible(lane.id)]

    def spotlight_lane(self, number: int) -> None:
        """1–9: light up the Nth lane of the view and dim the others; 0 clears."""
        lanes = self.visible_lanes()
        if number == 0:
            self.set_spotlight(None)
        elif 1 <= number <= len(lanes):
            self.set_spotlight(lanes[number - 1])

    def set_spotlight(self, lane_id: int | None) -> None:
        self.spotlight = lane_id
        if self.timeline is not None:
            self.timeline.set_spotlight(lane_id)

    def pan(self, periods: int) -> None:
        """Left / Right: scroll the timeline by whole periods of its header (week, month...)."""
        if self.timeline is not None:
            self.timeline.pan_periods(periods)

    def zoom(self, step: int) -> None:
        """+ / -: zoom in or out around the centre."""
        if self.timeline is not None:
            if step > 0:
                self.timeline.zoom_in()
            else:
                self.timeline.zoom_out()

    def fit(self) -> None:
        if self.timeline is not None:
            self.timeline.fit()

    def go_to_today(self) -> None:
        if self.timeline is not None:
            self.timeline.go_to_today()

    def show_story(self, card_id: int) -> bool:
        """Open the large read-only story card for a card the view shows."""
        if self.story_card is None:
            return False
        self.story_card.lens = self.lens()
        return self.story_card.show_card(card_id)

    def card_order(self) -> list[int]:
        """The cards on screen in reading order: board columns, or lanes then start dates."""
        board: Any = self.board
        if board is not None and self.current_widget() is board:
            columns: dict[str, list[int]] = board.shown_ids()  # type: ignore[union-attr]
            return [i for ids in columns.values() for i in ids]
        lens = self.lens()
        lanes = {lane.id: n for n, lane in enumerate(self.document.roadmap.lanes())}
        cards = [c for c in self.document.roadmap.cards() if c.scheduled and lens.includes(c)]
        cards.sort(key=lambda c: (lanes.get(c.lane_id, len(lanes)) if c.lane_id else len(lanes),
                                  c.start, c.position))  # fmt: skip
        return [c.id for c in cards]

    def step_card(self, step: int) -> None:
        """Down / Up: select the next or previous card, so Enter can open its story card."""
        order = self.card_order()
        if not order:
            return
        current = self.document.selection[0] if self.document.selection else None
        if current in order:
            index = max(0, min(len(order) - 1, order.index(current) + step))
        else:
            index = 0 if step > 0 else len(order) - 1
        self.document.set_selection([order[index]], self)

    def _on_story_card_closed(self) -> None:
        self.window.activateWindow()

    # ----- events while presenting

    def handle_key(self, event: QKeyEvent) -> bool:
        """Do what a presentation key says; True when it was one."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        card_open = self.story_card is not None and self.story_card.isVisible()
        if key == Qt.Key.Key_Escape:
            if card_open:
                assert self.story_card is not None
                self.story_card.close_card()
            else:
                self.leave()
            return True
        if key == Qt.Key.Key_F5:
            self.leave()
            return True
        chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if card_open or mods & (chord | Qt.KeyboardModifier.MetaModifier):
            return False
        if key == Qt.Key.Key_Left:
            self.pan(-1)
        elif key == Qt.Key.Key_Right:
            self.pan(1)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(-1)
        elif key == Qt.Key.Key_F:
            self.fit()
        elif key == Qt.Key.Key_T:
            self.go_to_today()
        elif key == Qt.Key.Key_PageUp:
            self.step_view(-1)
        elif key == Qt.Key.Key_PageDown:
            self.step_view(1)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.step_card(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self.document.selection:
                self.show_story(self.document.selection[0])
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.spotlight_lane(int(key) - int(Qt.Key.Key_0))
        else:
            return False
        return True

    def _inside(self, obj: QObject) -> bool:
        """Whether the object belongs to this window (dialogs of other windows are left alone)."""
        # Only widgets: the native window passes events on to them, where they are judged.
        return isinstance(obj, QWidget) and obj.window() is self.window

    def _card_at(self, obj: QObject, pos: QPoint) -> int | None:
        """The card under a click on the timeline or the board, if any."""
        if isinstance(obj, QWidget) and isinstance(obj.parentWidget(), QListWidget):
            item = obj.parentWidget().itemAt(pos)  # type: ignore[union-attr]
            if item is not None:
                return int(item.data(Qt.ItemDataRole.UserRole))
            return None
        timeline = self.timeline
        if timeline is None or obj is not getattr(timeline, "viewport", lambda: None)():
            return None
        lens = self.lens()
        for card in self.document.roadmap.cards():
            if card.scheduled and lens.includes(card):
                rect: QRect = timeline.card_rect(card.id)  # viewport coordinates
                if not rect.isEmpty() and rect.contains(pos):
                    return card.id
        return None

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize:
            if self.active:
                self._place_overlay()
            return False
        if not self.active or not self._inside(watched):
            return False
        card = self.story_card
        in_card = card is not None and card.isVisible() and (
            watched is card or (isinstance(watched, QWidget) and card.isAncestorOf(watched)))
        if kind == QEvent.Type.ShortcutOverride:
            # Claim every key so no shortcut (Delete, Ctrl+Z, Ctrl+D...) can edit the plan.
            event.accept()
            return True
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self.handle_key(event):
                return True
            return not (in_card and event.key() in _CARD_KEYS)
        if kind in (QEvent.Type.KeyRelease, *_BLOCKED_EVENTS):
            return not in_card or kind != QEvent.Type.KeyRelease
        if in_card:
            return False
        if kind == QEvent.Type.MouseButtonPress:
            assert isinstance(event, QMouseEvent)
            self._press = event.position().toPoint()
            return self._is_plan_surface(watched)
        if kind == QEvent.Type.MouseMove:
            assert isinstance(event, QMouseEvent)
            # No drags in presentation: moves with a button held never reach the plan.
            return event.buttons() != Qt.MouseButton.NoButton and self._is_plan_surface(watched)
        if kind == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            if not self._is_plan_surface(watched):
                return False
            pos = event.position().toPoint()
            press, self._press = self._press, None
            if press is not None and (pos - press).manhattanLength() <= CLICK_SLOP:
                card_id = self._card_at(watched, pos)
                if card_id is not None:
                    self.show_story(card_id)
            return True
        return False

    def _is_plan_surface(self, obj: QObject) -> bool:
        """The timeline's viewport or a board column's viewport: where a drag could edit."""
        if not isinstance(obj, QWidget):
            return False
        timeline = self.timeline
        if timeline is not None and (obj is timeline or timeline.isAncestorOf(obj)):
            return True
        board = self.board
        return board is not None and (obj is board or board.isAncestorOf(obj))


def install(window: QMainWindow) -> Presenter:
    """View ▸ Present (F5)."""
    presenter = Presenter(window)
    window.view_menu.addSeparator()  # type: ignore[attr-defined]
    window.view_menu.addAction(presenter.action)  # type: ignore[attr-defined]
    window.presenter = presenter  # type: ignore[attr-defined]
    return presenter
