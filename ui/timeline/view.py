"""The timeline: plan by dragging cards through time and between swimlanes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPixmapCache,
    QResizeEvent,
    QUndoGroup,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsView,
    QMainWindow,
    QMenu,
    QToolTip,
    QWidget,
)

from planner import dates
from planner.errors import RoadmapFileError, ValidationError
from planner.layout import ZOOM_PRESETS, TimeScale, card_y, fit_zoom, zoom_keeping
from planner.lens import Lens
from planner.model import Card
from ui import commands, render, settings
from ui.timeline.header import LaneNames, TimeHeader
from ui.timeline.items import CardItem, MilestoneItem
from ui.timeline.scene import NO_LANE, Ghost, TimelineScene
from ui.widgets.plain import button_text, tooltip

CARD_IDS_MIME = "application/x-roadmap-card-ids"
EDGE_SCROLL = 28  # pixels from an edge where a drag scrolls the view
# Bars keep a picture of themselves in Qt's pixmap cache. Its default 10 MB holds fewer bars
# than a screen of busy lanes shows, so every bar was painted again on every scroll.
PIXMAP_CACHE_KB = 64 * 1024
_COPY_SKIP = ("id", "position", "created", "external_key")
# What the mouse does over the view that ends a zoom in progress (see TimelineScene.live); a
# move with no button held does not (a hand on a touchpad zooming moves the pointer a little).
_ENDS_ZOOM = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu,
    QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.ToolTip,
})  # fmt: skip


class _Drag:
    """What a press on a card, its handle or a milestone started. (A plain class: a dataclass
    compiles its methods at import, before the window's first paint.)"""

    def __init__(self, mode: str, item: QGraphicsItem, press_scene: QPointF,
                 press_view: QPointF) -> None:  # fmt: skip
        self.mode = mode  # move, start, end, link, milestone
        self.item = item
        self.press_scene = press_scene
        self.press_view = press_view
        self.origin: dict[int, tuple[dt.date, dt.date, int]] = {}
        self.started = False
        self.result: dict[int, tuple[dt.date, dt.date, int]] = {}
        self.milestone_date: dt.date | None = None
        self.last_pos: QPointF | None = None
        self.last_mods = Qt.KeyboardModifier.NoModifier


class TimelineView(QGraphicsView):
    """Lanes, cards and milestones on a time axis; every edit is one undo step."""

    card_activated = Signal(int)  # Enter or double-click on a card: the editor opens it
    zoom_changed = Signal(float)  # pixels per day

    def __init__(self, document: Any, undo_stack: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport of our own: the first call of viewport() on the one Qt makes itself has
        # PySide build the enum types of every widget class (some 7 ms before the first paint).
        viewport = QWidget()
        # The scene's background covers every pixel: Qt need not fill the viewport first.
        viewport.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setViewport(viewport)
        self.setObjectName("timeline")
        self.document = document
        self._undo_stack = undo_stack
        self._read_only = bool(document.roadmap.read_only)
        self._syncing = False
        self._drag: _Drag | None = None
        self._placed = False
        self._zooming = False  # inside a zoom step (its scrolling does not end the zoom)
        self._step_scrolling = False  # a zoom step moving the scroll bar
        self._pointer: QPointF | None = None  # where the mouse is over the viewport, if it is
        self._text_scale = 1.0
        self.timeline_scene = TimelineScene(document, self)
        self.timeline_scene.show_sprints = bool(settings.get("show_sprints"))
        self.timeline_scene.read_only = self._read_only
        self.setScene(self.timeline_scene)
        self.setSceneRect(self.timeline_scene.extent_rect)
        self.timeline_scene.enable_item_cache()
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
        self.timeline_scene.extent_changed.connect(self.setSceneRect)
        self.timeline_scene.live_changed.connect(self._on_live_changed)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setViewportMargins(render.LANE_LABEL_WIDTH, render.HEADER_HEIGHT, 0, 0)
        self.header = TimeHeader(self)
        self.lane_names = LaneNames(self)
        self._apply_palette()
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._on_autoscroll_timeout)

        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.timeline_scene.layout_changed.connect(self._on_scrolled)
        self.timeline_scene.selectionChanged.connect(self._on_scene_selection_changed)
        document.changed.connect(self._on_document_changed)
        document.selection_changed.connect(self._on_document_selection_changed)
        document.view_changed.connect(self._on_document_view_changed)
        self.lane_names.collapse_requested.connect(self._on_lane_collapse_requested)
        self.lane_names.rename_requested.connect(self._on_lane_rename_requested)
        self.lane_names.move_requested.connect(self._on_lane_move_requested)
        self.lane_names.menu_requested.connect(self._on_lane_menu_requested)
        settings.notifier().setting_changed.connect(self._on_setting_changed)
        self._build_actions()
        QTimer.singleShot(0, self._initial_scroll)

    # ----- public API

    @property
    def undo_stack(self) -> Any:
        """The stack edits go on: the active one when the window keeps one per plan."""
        group = self._undo_stack.parent()
        if isinstance(group, QUndoGroup) and group.activeStack() is not None:
            return group.activeStack()
        return self._undo_stack

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def time_scale(self) -> TimeScale:
        return self.timeline_scene.time_scale

    def set_read_only(self, read_only: bool) -> None:
        """Presentation mode: no drag, key or menu may change the plan."""
        self._read_only = bool(read_only) or bool(self.document.roadmap.read_only)
        self.timeline_scene.read_only = self._read_only
        for action in self._edit_actions:
            action.setEnabled(not self._read_only)
        self._cancel_drag()
        self.timeline_scene.refresh_items()

    def card_rect(self, card_id: int) -> QRect:
        """The card's bar in viewport coordinates; empty when it is not shown."""
        r = self.timeline_scene.card_bar_scene(card_id)
        if r.isEmpty():
            return QRect()
        rect = self.mapFromScene(r).boundingRect()
        return rect if rect.intersects(self.viewport().rect()) else QRect()

    def lane_rect(self, lane_id: int | None) -> QRect:
        """The lane's band in viewport coordinates, as wide as the viewport; empty if not shown."""
        r = self.timeline_scene.lane_rect_scene(lane_id)
        if r.isEmpty():
            return QRect()
        rect = self.mapFromScene(r).boundingRect()
        vp = self.viewport().rect()
        rect = QRect(vp.left(), rect.top(), vp.width(), rect.height())
        return rect if rect.intersects(vp) else QRect()

    def x_for_date(self, day: dt.date) -> int:
        """The viewport x of the start of ``day``."""
        return int(round(self.time_scale.x_for_date(day) - self._scene_left()))

    def date_at(self, x: float) -> dt.date:
        """The date under viewport x."""
        day: dt.date = self.time_scale.date_at(self._scene_left() + x)
        return day

    def fit(self) -> None:
        """Zoom so every shown card and milestone fits the width."""
        scene = self.timeline_scene
        cards = [i.card for i in scene.card_items.values()]
        days: list[dt.date] = [d for c in cards for d in scene.bar_dates(c)]
        days += [m.milestone.date for m in scene.milestone_items.values()]
        if not days:
            self.go_to_today()
            return
        lo, hi = min(days), max(days)
        width = max(100, self.viewport().width() - 40)
        scene.set_px_per_day(fit_zoom(lo, hi, width))
        self._after_zoom()
        self._scroll_left_to(scene.time_scale.x_for_date(lo) - 20)

    def go_to_today(self) -> None:
        """Scroll so today sits a third of the way in."""
        x = self.time_scale.x_for_date(self.timeline_scene.today)
        self._scroll_left_to(x - self.viewport().width() / 3)

    def zoom_to(self, preset: str) -> None:
        """Zoom to a preset (weeks, months, quarters, year) or "fit", around the centre."""
        if preset == "fit":
            self.fit()
            return
        self.set_zoom(ZOOM_PRESETS[preset], self.viewport().width() / 2)

    def enable_pinch(self) -> None:
        """Zoom with a two-finger pinch on a touch screen or touchpad. Asked for once the window
        is on screen: the first call makes PySide build some 70 enum types (about 15 ms)."""
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor`` keeping the date under viewport x ``anchor_x`` in place."""
        x = self.viewport().width() / 2 if anchor_x is None else anchor_x
        self.set_zoom(self.time_scale.px_per_day * factor, x)

    def set_zoom(self, px_per_day: float, anchor_x: float) -> None:
        old = self.time_scale
        scene_x = self._scene_left() + anchor_x
        new, new_x = zoom_keeping(old, px_per_day, scene_x)
        self._zooming = True
        try:
            self.timeline_scene.set_px_per_day(new.px_per_day)
            viewport = self.viewport()
            viewport.setUpdatesEnabled(False)  # no scrolling of pixels that are all painted anew
            self._step_scrolling = True  # _after_zoom does what a scroll does, once
            try:
                self._scroll_left_to(new_x - anchor_x)
            finally:
                self._step_scrolling = False
                viewport.setUpdatesEnabled(True)
            self._after_zoom()
        finally:
            self._zooming = False

    def scroll_to_card(self, card_id: int) -> None:
        r = self.timeline_scene.card_bar_scene(card_id)
        if not r.isEmpty():
            self.ensureVisible(r, 80, 40)

    def set_spotlight(self, lane_id: int | None) -> None:
        """Dim every lane but ``lane_id`` (None lights them all)."""
        self.timeline_scene.spotlight = lane_id
        self.resetCachedContent()
        self.timeline_scene.refresh_items()
        self._repaint_all()

    def set_highlight(self, card_ids: Iterable[int]) -> None:
        """Outline these cards (search matches)."""
        scene = self.timeline_scene
        old, scene.highlight = scene.highlight, frozenset(card_ids)
        scene.refresh_items(old ^ scene.highlight)

    def set_ghosts(self, ghosts: Sequence[tuple[int, int | None, dt.date, dt.date]]) -> None:
        """Dashed outlines where cards were in a compared plan, with an arrow to where they are."""
        self.timeline_scene.ghosts = [Ghost(*g) for g in ghosts]
        self.timeline_scene.update()

    def set_badges(self, badges: dict[int, str]) -> None:
        """Marks on bars in compare mode: 'added' or 'changed' per card id."""
        scene = self.timeline_scene
        old, scene.badges = scene.badges, dict(badges)
        scene.refresh_items(set(old) | set(scene.badges))

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def pan_periods(self, periods: int) -> None:
        """Scroll by whole periods of the finer header row (days, weeks, months, quarters)."""
        _, unit = dates.header_units(self.time_scale.px_per_day, False)
        left = self.date_at(0)
        if unit == "quarter":
            target = dates.add_months(left, 3 * periods)
        elif unit == "year":
            target = dates.add_months(left, 12 * periods)
        else:
            target = dates.step(left, unit, periods)
        self._scroll_left_to(self.time_scale.x_for_date(target))
        self.header.update()

    def set_show_sprints(self, show: bool) -> None:
        settings.put("show_sprints", bool(show))

    def set_snap_unit(self, unit: str) -> None:
        settings.put("snap_unit", unit)

    def selected_ids(self) -> list[int]:
        return [i.card_id for i in self.timeline_scene.selectedItems() if isinstance(i, CardItem)]

    # ----- actions

    def _build_actions(self) -> None:
        def make(text: str, slot: Any, shortcut: Any = None, edit: bool = False) -> QAction:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            if edit:
                self._edit_actions.append(action)
            return action

        self._edit_actions: list[QAction] = []
        self.zoom_in_action = make(self.tr("Zoom &In"), self.zoom_in,
                                   QKeySequence.StandardKey.ZoomIn)  # fmt: skip
        self.zoom_out_action = make(self.tr("Zoom &Out"), self.zoom_out,
                                    QKeySequence.StandardKey.ZoomOut)  # fmt: skip
        # Ctrl+= too: the key that has + on it, without Shift, as browsers and editors allow.
        self.zoom_in_action.setShortcuts(
            [*QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self.fit_action = make(self.tr("&Fit"), self.fit, Qt.Key.Key_F)
        self.today_action = make(self.tr("&Today"), self.go_to_today, Qt.Key.Key_T)
        self.preset_actions = {
            name: make(label, lambda checked=False, n=name: self.zoom_to(n))
            for name, label in (("weeks", self.tr("Weeks")), ("months", self.tr("Months")),
                                ("quarters", self.tr("Quarters")), ("year", self.tr("Year")))
        }  # fmt: skip
        self.sprints_action = make(self.tr("Show &Sprints"), self.set_show_sprints)
        self.sprints_action.setCheckable(True)
        self.sprints_action.setChecked(self.timeline_scene.show_sprints)
        self.delete_action = make(self.tr("&Delete"), self.delete_selection,
                                  QKeySequence.StandardKey.Delete, edit=True)  # fmt: skip
        self.duplicate_action = make(self.tr("D&uplicate"), self.duplicate_selection,
                                     "Ctrl+D", edit=True)  # fmt: skip
        self.backlog_action = make(self.tr("Move to &Backlog"), self.move_selection_to_backlog,
                                   edit=True)  # fmt: skip
        self.snap_group = QActionGroup(self)
        self.snap_actions: dict[str, QAction] = {}
        units = (("day", self.tr("Day")), ("week", self.tr("Week")),
                 ("sprint", self.tr("Sprint")), ("month", self.tr("Month")))
        for unit, label in units:
            action = QAction(label, self.snap_group)
            action.setCheckable(True)
            action.setChecked(unit == self.snap_unit())
            action.triggered.connect(lambda checked=False, u=unit: self.set_snap_unit(u))
            self.snap_actions[unit] = action
        for action in self._edit_actions:
            action.setEnabled(not self._read_only)

    def install_menus(self, view_menu: QMenu, edit_menu: QMenu) -> None:
        """Add the timeline's actions to the window's View and Edit menus."""
        view_menu.addSeparator()
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        presets = view_menu.addMenu(self.tr("Zoom &Preset"))
        for action in self.preset_actions.values():
            presets.addAction(action)
        view_menu.addAction(self.fit_action)
        view_menu.addAction(self.today_action)
        view_menu.addAction(self.sprints_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.duplicate_action)
        edit_menu.addAction(self.backlog_action)
        snap = edit_menu.addMenu(self.tr("&Snap to"))
        for action in self.snap_actions.values():
            snap.addAction(action)

    # ----- helpers

    def snap_unit(self) -> str:
        return str(settings.get("snap_unit"))

    def _snap(self, day: dt.date, unit: str | None = None) -> dt.date:
        info = self.timeline_scene.info
        return dates.snap_date(day, unit or self.snap_unit(), info.sprint_start,
                               info.sprint_length, info.week_start)  # fmt: skip

    def _snap_end(self, day: dt.date) -> dt.date:
        info = self.timeline_scene.info
        return dates.snap_end(day, self.snap_unit(), info.sprint_start, info.sprint_length,
                              info.week_start)  # fmt: skip

    def _scene_left(self) -> float:
        return self.mapToScene(QPoint(0, 0)).x()

    def _scroll_left_to(self, scene_x: float) -> None:
        self._placed = True
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(scene_x - self._scene_left()))

    def _after_zoom(self) -> None:
        self._on_scrolled()
        self._repaint_all()
        self.zoom_changed.emit(self.time_scale.px_per_day)

    def _repaint_all(self) -> None:
        self.timeline_scene.update()
        self.header.update()
        self.lane_names.update()

    def _run(self, command: Any) -> Any:
        """Push one undo step; a refused change is shown, never raised."""
        if self._read_only:
            return None
        try:
            return commands.run(self.undo_stack, command)
        except (ValidationError, RoadmapFileError) as exc:
            self._show_message(str(exc))
            return None

    def _show_message(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def _initial_scroll(self) -> None:
        if self._placed:  # someone already chose where to look
            return
        self.go_to_today()
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        self.reveal_cards()
        if getattr(self.document, "loading", False):  # a big roadmap: once every card is in
            self.document.loaded.connect(self.reveal_cards)

    def shows_no_card(self) -> bool:
        """True when the plan has dated cards in view but none of them is on screen."""
        scene = self.timeline_scene
        if not scene.card_items:
            return False
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        return not any(isinstance(i, CardItem) and i.isVisible() for i in scene.items(area))

    def reveal_cards(self) -> bool:
        """Fit the cards when none is on screen (a plan far from today, an import of old
        issues), so the timeline never opens on an empty stretch; True when it did."""
        if not self.shows_no_card():
            return False
        self.fit()
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        return True

    def set_text_scale(self, factor: float) -> None:
        """Larger (or smaller) type on the timeline: bar titles, lane names, the time header
        and milestone labels (presentation mode uses the "presentation text size" setting)."""
        factor = min(max(float(factor), 0.5), 4.0)
        if factor == self._text_scale:
            return
        self._text_scale = factor
        self.timeline_scene.theme.text_scale = factor
        self.setViewportMargins(*self._margins(), 0, 0)
        self._place_strips()
        self.resetCachedContent()
        self.timeline_scene.refresh_items()
        for m in self.timeline_scene.milestone_items.values():
            m.update()
        self._repaint_all()

    @property
    def text_scale(self) -> float:
        return self._text_scale

    def _apply_palette(self) -> None:
        self.timeline_scene.theme = render.Theme.from_palette(self.palette(), self.font())
        self.timeline_scene.theme.text_scale = self._text_scale

    def _item_at(self, pos: QPointF) -> tuple[str, QGraphicsItem] | None:
        """What a press at viewport ``pos`` grabs: a handle, a bar, a milestone, or nothing."""
        sp = self.mapToScene(pos.toPoint())
        scene = self.timeline_scene
        scene.end_live()  # the bar items where they are painted
        area = QRectF(sp.x() - render.HANDLE, sp.y() - 2, 2 * render.HANDLE, 4)
        candidates = scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        for item in candidates:
            if isinstance(item, MilestoneItem) and item.shape().contains(item.mapFromScene(sp)):
                return "milestone", item
        best: tuple[str, QGraphicsItem] | None = None
        for item in candidates:
            if not isinstance(item, CardItem) or not item.isVisible():
                continue
            p = item.mapFromScene(sp)
            bar = item.bar_rect()
            if not (bar.top() <= p.y() <= bar.bottom()):
                continue
            handle = render.HANDLE
            if bar.left() - handle / 2 <= p.x() <= bar.left() + handle:
                return "start", item
            if bar.right() - handle <= p.x() <= bar.right() + handle / 2:
                return "end", item
            if bar.left() <= p.x() <= bar.right():
                return "body", item
            linkable = item.isSelected() or item.card_id == scene.hover_id
            if linkable and item.link_handle_rect().adjusted(-2, -4, 2, 4).contains(p):
                best = ("link", item)
        return best

    def _lane_index(self, key: int) -> int:
        keys = self.timeline_scene.lane_keys
        return keys.index(key) if key in keys else 0

    # ----- selection

    def _select_only(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        self._syncing = True
        try:
            for selected in self.timeline_scene.selectedItems():
                if not (isinstance(selected, CardItem) and selected.card_id in wanted):
                    selected.setSelected(False)
            for cid in wanted:
                item = self.timeline_scene.card_items.get(cid)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
        finally:
            self._syncing = False

    def _publish_selection(self) -> None:
        self.document.set_selection(self.selected_ids(), initiator=self)

    def _on_scene_selection_changed(self) -> None:
        if not self._syncing:
            self._publish_selection()

    def _on_document_selection_changed(self, ids: Any, initiator: Any) -> None:
        if initiator is self:
            return
        self._select_only(ids)
        if len(ids) == 1:
            self.scroll_to_card(ids[0])

    def _on_document_view_changed(self, view: Any) -> None:
        self.timeline_scene.set_lens(Lens.from_view(view))
        self._select_only(self.document.selection)
        self._repaint_all()

    def _on_document_changed(self, changes: Any) -> None:
        # While a big roadmap fills in, where to look is decided once every card is in.
        added = not getattr(self.document, "loading", False) and any(
            c.entity == "card" and c.op == "added" for c in changes)
        empty_before = added and (not self.timeline_scene.card_items or self.shows_no_card())
        self.timeline_scene.apply_changes(changes)
        if empty_before:
            self.reveal_cards()  # an import into an empty view: show what came in
        wanted = self.document.selection
        items = self.timeline_scene.card_items
        if any(c in items and not items[c].isSelected() for c in wanted):
            self._select_only(wanted)
        self.lane_names.update()
        self.header.update()

    def _on_setting_changed(self, name: str, value: Any) -> None:
        if name == "snap_unit" and value in self.snap_actions:
            self.snap_actions[value].setChecked(True)
        elif name == "show_sprints":
            self.timeline_scene.show_sprints = bool(value)
            self.sprints_action.setChecked(bool(value))
            self.resetCachedContent()
            self._repaint_all()

    def _on_live_changed(self, live: bool) -> None:
        """No cached picture of the lanes and grid during a zoom: every step paints them anew,
        and keeping the picture would cost a copy of the whole view per step."""
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone if live
                          else QGraphicsView.CacheModeFlag.CacheBackground)  # fmt: skip
        if not live and self._pointer is not None and self._drag is None:
            self._update_cursor(self._pointer)  # the bar under the pointer once it stopped

    def _on_scrolled(self, *args: Any) -> None:
        if self._step_scrolling:
            return
        if not self._zooming:
            self.timeline_scene.end_live()  # a scroll after a zoom: the bars are placed now
        self.timeline_scene.place_pending()
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        self.timeline_scene.set_view_left(area.left(), area.top(), area.bottom())
        self.header.update()
        self.lane_names.update()

    # ----- geometry of the frozen strips

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_strips()

    def _place_strips(self) -> None:
        vp = self.viewport().geometry()
        label_w, header_h = self._margins()
        self.header.setGeometry(vp.left(), vp.top() - header_h, vp.width(), header_h)
        self.lane_names.setGeometry(vp.left() - label_w, vp.top(), label_w, vp.height())

    def _margins(self) -> tuple[int, int]:
        """Width of the lane names and height of the time header, grown with the text."""
        f = self._text_scale
        return round(render.LANE_LABEL_WIDTH * max(1.0, min(f, 2.0))), \
            round(render.HEADER_HEIGHT * max(1.0, f))  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_palette()
            self.resetCachedContent()
            self.timeline_scene.refresh_items()
            self._repaint_all()
        super().changeEvent(event)

    # ----- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            event.accept()
            return
        hit = self._item_at(event.position())
        mods = event.modifiers()
        if hit is None:
            super().mousePressEvent(event)  # rubber band; Ctrl keeps the selection
            return
        kind, item = hit
        sp = self.mapToScene(event.position().toPoint())
        if isinstance(item, MilestoneItem):
            self._select_only([])
            self.timeline_scene.clearSelection()
            item.setSelected(True)
            if not self._read_only:
                self._drag = _Drag("milestone", item, sp, event.position())
            event.accept()
            return
        assert isinstance(item, CardItem)
        ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        toggle = bool(mods & ctrl)
        if toggle:
            self._syncing = True
            item.setSelected(not item.isSelected())
            self._syncing = False
            self._publish_selection()
            event.accept()
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            self._select_only(self.selected_ids() + [item.card_id])
        elif not item.isSelected() or kind in ("start", "end"):
            self._select_only([item.card_id])
        self._publish_selection()
        if not self._read_only:
            mode = "move" if kind == "body" else kind
            drag = _Drag(mode, item, sp, event.position())
            ids = self.selected_ids() if mode == "move" else [item.card_id]
            for cid in ids:
                it = self.timeline_scene.card_items[cid]
                card = it.card
                assert card.start is not None and card.end is not None
                s, e = dates.ordered(card.start, card.end)
                drag.origin[cid] = (s, e, self.timeline_scene.lane_key(card))
            self._drag = drag
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag = self._drag
        self._pointer = event.position()
        if drag is None:
            if event.buttons():
                self.timeline_scene.end_live()
            elif not self.timeline_scene.live:  # during a zoom the bar under it stays the same
                self._update_cursor(event.position())
            super().mouseMoveEvent(event)
            return
        if not drag.started:
            dist = (event.position() - drag.press_view).manhattanLength()
            if dist < QApplication.startDragDistance():
                return
            drag.started = True
        drag.last_pos = event.position()
        drag.last_mods = event.modifiers()
        if drag.mode == "move" and event.position().x() < -self._margins()[0]:
            self._drag_out(list(drag.origin))  # left past the lane names: onto another widget
            event.accept()
            return
        self._update_drag()
        self._check_autoscroll(event.position())
        event.accept()

    def _drag_out(self, ids: list[int]) -> None:
        """Hand the dragged cards to another widget (the backlog) as a real drag and drop."""
        self._cancel_drag()
        mime = QMimeData()
        mime.setData(CARD_IDS_MIME, QByteArray(json.dumps(ids).encode("utf-8")))
        qdrag = QDrag(self)
        qdrag.setMimeData(mime)
        qdrag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag = self._drag
        self._autoscroll.stop()
        if drag is None:
            super().mouseReleaseEvent(event)
            return
        self._drag = None
        if drag.started:
            drag.last_pos = event.position()
            drag.last_mods = event.modifiers()
            self._update_drag()
            self._commit_drag(drag)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self._item_at(event.position())
        if hit is not None and isinstance(hit[1], CardItem):
            self.card_activated.emit(hit[1].card_id)
            return
        if hit is not None or self._read_only:
            return
        sp = self.mapToScene(event.position().toPoint())
        box = self.timeline_scene.lane_at(sp.y())
        if box is None or not (box.top <= sp.y() <= box.bottom):
            return
        self.add_card_at(self.time_scale.date_at(sp.x()), box.lane_id)

    def add_card_at(self, day: dt.date, lane_key: int | None) -> int | None:
        """Create a card starting at (snapped) ``day`` in the lane, select it and open it."""
        start = self._snap(day)
        end = dates.add_days(start, settings.default_duration("feature") - 1)
        lane_id = lane_key if lane_key is not None and lane_key >= 0 else None
        cmd = commands.AddCards(self.document.roadmap, [{
            "title": self.tr("New card"), "lane_id": lane_id, "start": start, "end": end,
            "kind": "feature", "status": "planned",
        }])  # fmt: skip
        if self._run(cmd) is None:
            return None
        new_id = cmd.ids[0]
        self._select_only([new_id])
        self._publish_selection()
        self.card_activated.emit(new_id)
        return new_id

    def _update_cursor(self, pos: QPointF) -> None:
        hit = self._item_at(pos)
        hovered = hit[1] if hit is not None and isinstance(hit[1], CardItem) else None
        self.timeline_scene.set_hover(hovered.card_id if hovered is not None else None)
        if hit is None or self._read_only:
            self.viewport().unsetCursor()
        elif hit[0] in ("start", "end"):
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        elif hit[0] == "link":
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def _update_drag(self) -> None:
        drag = self._drag
        if drag is None or drag.last_pos is None:
            return
        scene = self.timeline_scene
        scale = scene.time_scale
        sp = self.mapToScene(drag.last_pos.toPoint())
        snap = not (drag.last_mods & Qt.KeyboardModifier.AltModifier)
        if drag.mode == "link":
            item = drag.item
            assert isinstance(item, CardItem)
            start = item.mapToScene(QPointF(item.width, item.bar_rect().height() / 2))
            scene.link_preview = (start, sp)
            scene.update()
            return
        if drag.mode == "milestone":
            item = drag.item
            assert isinstance(item, MilestoneItem)
            day = scale.nearest_date(sp.x())
            if snap:
                day = self._snap(day)
            drag.milestone_date = day
            item.set_geometry(scale.x_for_date(day), item.scene_y, item.height)
            self._drag_tip(drag.last_pos, dates_text(day, day, single=True))
            return
        anchor = drag.item
        assert isinstance(anchor, CardItem)
        a_start, a_end, a_key = drag.origin[anchor.card_id]
        drag.result = {}
        if drag.mode == "move":
            delta = round((sp.x() - drag.press_scene.x()) / scale.px_per_day)
            new_start = dates.add_days(a_start, delta)
            if snap:
                new_start = self._snap(new_start)
            delta = (new_start - a_start).days
            box = scene.lane_at(sp.y())
            lane_delta = 0
            if box is not None:
                lane_delta = self._lane_index(box.lane_id) - self._lane_index(a_key)
            keys = scene.lane_keys
            real = [k for k in keys if k != NO_LANE]
            for cid, (s, e, key) in drag.origin.items():
                ns, ne = dates.moved(s, e, dates.add_days(s, delta))
                new_key = key
                if lane_delta and real:
                    idx = min(max(self._lane_index(key) + lane_delta, 0), len(keys) - 1)
                    new_key = keys[idx]
                    if new_key == NO_LANE:
                        new_key = key if key == NO_LANE else real[-1]
                drag.result[cid] = (ns, ne, new_key)
        elif drag.mode == "start":
            day = scale.nearest_date(sp.x())
            if snap:
                day = self._snap(day)
            drag.result[anchor.card_id] = (min(day, a_end), a_end, a_key)
        elif drag.mode == "end":
            day = dates.add_days(scale.nearest_date(sp.x()), -1)
            if snap:
                day = self._snap_end(day)
            drag.result[anchor.card_id] = (a_start, max(day, a_start), a_key)
        self._preview(drag)
        s, e, _ = drag.result[anchor.card_id]
        self._drag_tip(drag.last_pos, dates_text(s, e))

    def _preview(self, drag: _Drag) -> None:
        """Show the dragged bars at their new dates (the file changes only on release)."""
        scene = self.timeline_scene
        scale = scene.time_scale
        for cid, (s, e, key) in drag.result.items():
            item = scene.card_items.get(cid)
            box = scene.boxes.get(key)
            if item is None or box is None:
                continue
            ds, de = scene.lens.display_dates(s, e)
            row = scene.rows.get(key, {}).get(cid, 0) if key == drag.origin[cid][2] else 0
            x0 = scale.x_for_date(ds)
            item.set_geometry(x0, card_y(box, row), scale.x_after(de) - x0)
            item.setZValue(15)
        if any(d.before_id in drag.result or d.after_id in drag.result for d in scene.deps):
            scene.update()  # arrows of the dragged cards follow them

    def _drag_tip(self, pos: QPointF, text: str) -> None:
        """The dates being dragged to, in a label beside the pointer and in the status bar."""
        scene = self.timeline_scene
        at = self.mapToScene(pos.toPoint()) + QPointF(14, 20)
        width = render.label_rect(at, text, scene.theme).width()
        if pos.x() + 14 + width > self.viewport().width():  # keep it on screen
            at = at - QPointF(width + 28, 0)
        scene.set_drag_label(at, text)
        self._show_message(text)

    def _commit_drag(self, drag: _Drag) -> None:
        scene = self.timeline_scene
        scene.link_preview = None
        scene.set_drag_label(None, "")
        if drag.mode == "link":
            scene.update()
            target = self._item_at(drag.last_pos) if drag.last_pos is not None else None
            source = drag.item
            assert isinstance(source, CardItem)
            if target is not None and isinstance(target[1], CardItem) \
                    and target[1].card_id != source.card_id:  # fmt: skip
                self._run(commands.AddDependency(scene.roadmap, source.card_id, target[1].card_id))
            return
        if drag.mode == "milestone":
            item = drag.item
            assert isinstance(item, MilestoneItem)
            if drag.milestone_date is not None and drag.milestone_date != item.milestone.date:
                cmd = commands.UpdateMilestone(scene.roadmap, item.milestone_id,
                                               text="Move milestone", date=drag.milestone_date)
                if self._run(cmd) is not None:
                    return
            scene._place_milestones()
            return
        moves: dict[int, tuple[dt.date | None, dt.date | None, int | None]] = {}
        for cid, (s, e, key) in drag.result.items():
            citem = scene.card_items.get(cid)
            if citem is None:
                continue
            card = citem.card
            lane_changed = key != drag.origin[cid][2]
            if (s, e) != (card.start, card.end) or lane_changed:
                moves[cid] = (s, e, key if lane_changed and key != NO_LANE else None)
        for cid in drag.origin:
            citem = scene.card_items.get(cid)
            if citem is not None:
                citem.setZValue(10)
        if moves:
            text = self.tr("Resize card") if drag.mode in ("start", "end") else ""
            if self._run(commands.MoveCards(scene.roadmap, moves, text=text)) is not None:
                return
        scene._place_cards([scene.card_items[c] for c in drag.origin if c in scene.card_items])

    def _cancel_drag(self) -> None:
        drag, self._drag = self._drag, None
        self._autoscroll.stop()
        if drag is None:
            return
        scene = self.timeline_scene
        scene.link_preview = None
        scene.set_drag_label(None, "")
        scene._place_cards([scene.card_items[c] for c in drag.origin if c in scene.card_items])
        scene._place_milestones()
        scene.update()

    def _check_autoscroll(self, pos: QPointF) -> None:
        vp = self.viewport().rect()
        near = (pos.x() < EDGE_SCROLL or pos.x() > vp.width() - EDGE_SCROLL
                or pos.y() < EDGE_SCROLL or pos.y() > vp.height() - EDGE_SCROLL)  # fmt: skip
        if near and not self._autoscroll.isActive():
            self._autoscroll.start()
        elif not near:
            self._autoscroll.stop()

    def _on_autoscroll_timeout(self) -> None:
        drag = self._drag
        if drag is None or drag.last_pos is None:
            self._autoscroll.stop()
            return
        pos = drag.last_pos
        vp = self.viewport().rect()
        dx = -12 if pos.x() < EDGE_SCROLL else (12 if pos.x() > vp.width() - EDGE_SCROLL else 0)
        dy = -12 if pos.y() < EDGE_SCROLL else (12 if pos.y() > vp.height() - EDGE_SCROLL else 0)
        if not dx and not dy:
            self._autoscroll.stop()
            return
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + dx)
        v.setValue(v.value() + dy)
        self._update_drag()

    # ----- wheel, pinch and keys

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        mods = event.modifiers()
        delta = event.angleDelta().y() or event.angleDelta().x()
        if mods & Qt.KeyboardModifier.ControlModifier:
            if delta:
                self.zoom_by(1.0015 ** delta, event.position().x())
            event.accept()
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta)
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        etype = event.type()
        scene = getattr(self, "timeline_scene", None)  # None while the view is being built
        if scene is not None and scene.live and etype in _ENDS_ZOOM:
            scene.end_live()  # the mouse finds the bar items where they belong
        if (etype == QEvent.Type.NativeGesture and isinstance(event, QNativeGestureEvent)
                and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture):
            self.zoom_by(1.0 + event.value(), event.position().x())
            return True
        if etype == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if pinch is not None:
                center = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                self.zoom_by(pinch.scaleFactor(), center.x())
                event.accept()
                return True
        if etype == QEvent.Type.Leave:
            self._pointer = None
            self.timeline_scene.set_hover(None)
        if etype == QEvent.Type.ToolTip and self._drag is None:
            pos = event.pos()  # type: ignore[attr-defined]
            hit = self._item_at(QPointF(pos))
            if hit is not None:
                gpos = event.globalPos()  # type: ignore[attr-defined]
                QToolTip.showText(gpos, self._tooltip_for(hit[1]), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip_for(self, item: QGraphicsItem) -> str:
        lens = self.timeline_scene.lens
        if isinstance(item, MilestoneItem):
            m = item.milestone
            return tooltip(f"{m.title}\n{lens.format_date(m.date)}")
        assert isinstance(item, CardItem)
        card = item.card
        lines = [card.title]
        if card.start is not None and card.end is not None:
            lines.append(lens.format_range(*dates.ordered(card.start, card.end)))
            if card.end < card.start:
                lines.append(self.tr("The end date is before the start date; drag to fix it."))
        if card.lane_id is None:
            lines.append(self.tr("No lane: drag it into a lane."))
        extra = [card.status.replace("_", " ")]
        if card.owner:
            extra.append(card.owner)
        lines.append(" · ".join(extra))
        return tooltip("\n".join(lines))

    def event(self, event: QEvent) -> bool:
        # Keys the timeline handles itself win over window shortcuts while it has focus, so a
        # Delete shortcut elsewhere in the window never makes the timeline's ambiguous.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            key, mods = event.key(), event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            if (key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F, Qt.Key.Key_T,
                        Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape) and plain) \
                    or (key == Qt.Key.Key_D and ctrl) \
                    or key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self.timeline_scene.end_live()  # keys act on the bar items, placed where they belong
        key = event.key()
        mods = event.modifiers()
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._cancel_drag()
            return
        if key in arrows:
            if mods & Qt.KeyboardModifier.AltModifier:
                self.nudge(key)
            else:
                self.select_neighbour(key)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ids = self.selected_ids()
            if ids:
                self.card_activated.emit(ids[0])
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self.delete_selection()
            return
        if key == Qt.Key.Key_D and mods & Qt.KeyboardModifier.ControlModifier:
            self.duplicate_selection()
            return
        if key == Qt.Key.Key_F and not mods:
            self.fit()
            return
        if key == Qt.Key.Key_T and not mods:
            self.go_to_today()
            return
        if key == Qt.Key.Key_Escape:
            self._select_only([])
            self._publish_selection()
            return
        super().keyPressEvent(event)

    def nudge(self, key: int) -> None:
        """Alt+arrows: move the selected cards by the snap unit, or to the next lane."""
        ids = self.selected_ids()
        if not ids or self._read_only:
            return
        scene = self.timeline_scene
        unit = self.snap_unit()
        moves: dict[int, tuple[dt.date | None, dt.date | None, int | None]] = {}
        keys = [k for k in scene.lane_keys if k != NO_LANE]
        for cid in ids:
            card = scene.card_items[cid].card
            assert card.start is not None and card.end is not None
            s, e = dates.ordered(card.start, card.end)
            lane: int | None = None
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                step = -1 if key == Qt.Key.Key_Left else 1
                ns = dates.step(s, unit, step, scene.info.sprint_length)
                moves[cid] = (*dates.moved(s, e, ns), None)
            else:
                cur = scene.lane_key(card)
                if not keys:
                    continue
                idx = keys.index(cur) if cur in keys else len(keys)
                idx = min(max(idx + (-1 if key == Qt.Key.Key_Up else 1), 0), len(keys) - 1)
                lane = keys[idx]
                if lane == cur:
                    continue
                moves[cid] = (s, e, lane)
        if moves:
            self._run(commands.MoveCards(scene.roadmap, moves, text=self.tr("Nudge"),
                                         merge_id=commands.MERGE_NUDGE))  # fmt: skip

    def select_neighbour(self, key: int) -> None:
        """Arrows: select the nearest card in that direction."""
        scene = self.timeline_scene
        scene.place_all()  # every bar where it belongs, on screen or not
        ids = self.selected_ids()
        items = [i for i in scene.card_items.values() if i.isVisible()]
        if not items:
            return
        if not ids:
            left = self._scene_left()
            pick = min(items, key=lambda i: (abs(i.pos().x() - left), i.pos().y()))
        else:
            cur = scene.card_items[ids[-1]]
            cx, cy = cur.pos().x() + cur.width / 2, cur.pos().y()
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                sign = -1 if key == Qt.Key.Key_Left else 1
                cands = [i for i in items if i is not cur
                         and sign * (i.pos().x() + i.width / 2 - cx) > 0]  # fmt: skip
                cands.sort(key=lambda i: (abs(i.pos().y() - cy) > 1, abs(i.pos().y() - cy),
                                          abs(i.pos().x() + i.width / 2 - cx)))  # fmt: skip
            else:
                sign = -1 if key == Qt.Key.Key_Up else 1
                cands = [i for i in items if sign * (i.pos().y() - cy) > 1]
                cands.sort(key=lambda i: (abs(i.pos().y() - cy),
                                          abs(i.pos().x() + i.width / 2 - cx)))  # fmt: skip
            if not cands:
                return
            pick = cands[0]
        self._select_only([pick.card_id])
        self._publish_selection()
        self.scroll_to_card(pick.card_id)

    # ----- edits from actions and menus

    def delete_selection(self) -> None:
        ids = self.selected_ids()
        if ids and not self._read_only:
            self._run(commands.DeleteCards(self.document.roadmap, ids))

    def duplicate_selection(self) -> None:
        ids = self.selected_ids()
        if not ids or self._read_only:
            return
        cards = self.document.roadmap.cards_by_id(ids)
        specs = [_copy_spec(cards[i]) for i in ids if i in cards]
        cmd = commands.AddCards(self.document.roadmap, specs,
                                text=self.tr("Duplicate card") if len(specs) == 1
                                else self.tr("Duplicate cards"))  # fmt: skip
        if self._run(cmd) is not None:
            self._select_only(cmd.ids)
            self._publish_selection()

    def move_selection_to_backlog(self) -> None:
        ids = self.selected_ids()
        if ids and not self._read_only:
            moves = {cid: (None, None, None) for cid in ids}
            self._run(commands.MoveCards(self.document.roadmap, moves,
                                         text=self.tr("Move to backlog")))  # fmt: skip

    def _on_lane_collapse_requested(self, lane_id: int) -> None:
        lane = self.timeline_scene.lanes_by_id.get(lane_id)
        if lane is not None:
            text = self.tr("Expand lane") if lane.collapsed else self.tr("Collapse lane")
            self._run(commands.UpdateLane(self.document.roadmap, lane_id, text=text,
                                          collapsed=not lane.collapsed))  # fmt: skip

    def _on_lane_rename_requested(self, lane_id: int, name: str) -> None:
        self._run(commands.UpdateLane(self.document.roadmap, lane_id, text=self.tr("Rename lane"),
                                      name=name))  # fmt: skip

    def _on_lane_move_requested(self, lane_id: int, index: int) -> None:
        self._run(commands.MoveLane(self.document.roadmap, lane_id, index))

    # ----- context menus

    def _on_lane_menu_requested(self, lane_id: int, global_pos: QPoint) -> None:
        menu = QMenu(self)
        self._fill_lane_menu(menu, lane_id if lane_id >= 0 else None, None)
        self._fill_view_menu(menu)
        menu.exec(global_pos)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        pos = QPointF(event.pos())
        hit = self._item_at(pos)
        sp = self.mapToScene(event.pos())
        menu = QMenu(self)
        if hit is not None and isinstance(hit[1], CardItem):
            item = hit[1]
            if not item.isSelected():
                self._select_only([item.card_id])
                self._publish_selection()
            menu.addAction(self.tr("&Open"), lambda: self.card_activated.emit(item.card_id))
            if not self._read_only:
                menu.addAction(self.duplicate_action)
                menu.addAction(self.backlog_action)
                menu.addAction(self.delete_action)
                deps = [d for d in self.timeline_scene.deps
                        if item.card_id in (d.before_id, d.after_id)]  # fmt: skip
                if deps:
                    sub = menu.addMenu(self.tr("Remove Dependency"))
                    for d in deps:
                        a, b = self._card_title(d.before_id), self._card_title(d.after_id)
                        sub.addAction(button_text(f"{a} → {b}"),
                                      self._remover(d.before_id, d.after_id))
        elif hit is not None and isinstance(hit[1], MilestoneItem):
            m = hit[1].milestone
            if not self._read_only:
                menu.addAction(self.tr("Delete Milestone"),
                               lambda: self._run(commands.DeleteMilestone(self.document.roadmap,
                                                                          m.id)))  # fmt: skip
        else:
            box = self.timeline_scene.lane_at(sp.y())
            inside = box is not None and box.top <= sp.y() <= box.bottom
            self._fill_lane_menu(menu, box.lane_id if inside and box else None,
                                 self.time_scale.date_at(sp.x()))  # fmt: skip
        self._fill_view_menu(menu)
        menu.exec(event.globalPos())
        event.accept()

    def _fill_lane_menu(self, menu: QMenu, lane_key: int | None, day: dt.date | None) -> None:
        when = day or self.date_at(self.viewport().width() / 3)
        scene = self.timeline_scene
        if not self._read_only:
            menu.addAction(self.tr("Add &Card Here"), lambda: self.add_card_at(when, lane_key))
            menu.addAction(self.tr("Add &Milestone Here"),
                           lambda: self._add_milestone(when, lane_key))
            menu.addAction(self.tr("Add &Lane"), self.add_lane)
        lane = scene.lanes_by_id.get(lane_key) if lane_key is not None else None
        if lane is not None:
            if not self._read_only:
                lane_id = lane.id
                menu.addAction(self.tr("&Rename Lane…"),
                               lambda: self.lane_names.start_rename(lane_id))
                label = self.tr("Expand Lane") if lane.collapsed else self.tr("Collapse Lane")
                menu.addAction(label, lambda: self._on_lane_collapse_requested(lane_id))
            if scene.spotlight == lane.id:
                menu.addAction(self.tr("Clear Spotlight"), lambda: self.set_spotlight(None))
            else:
                menu.addAction(self.tr("Spotlight This Lane"), lambda: self.set_spotlight(lane.id))
        menu.addSeparator()

    def _card_title(self, card_id: int) -> str:
        item = self.timeline_scene.card_items.get(card_id)
        return item.card.title if item is not None else str(card_id)

    def _remover(self, before_id: int, after_id: int) -> Any:
        return lambda: self._run(commands.RemoveDependency(self.document.roadmap, before_id,
                                                           after_id))

    def _fill_view_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.fit_action)
        menu.addAction(self.today_action)
        menu.addAction(self.sprints_action)

    def add_lane(self) -> int | None:
        """A new lane at the end, with its name ready to type."""
        cmd = commands.AddLane(self.document.roadmap, self.tr("New lane"))
        if self._run(cmd) is None or cmd.lane_id is None:
            return None
        box = self.timeline_scene.boxes.get(cmd.lane_id)
        if box is not None:
            self.ensureVisible(QRectF(self._scene_left(), box.top, 10, box.height), 0, 20)
        self.lane_names.start_rename(cmd.lane_id)
        return cmd.lane_id

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        # Qt paints the cached background with a painter of its own, without antialiasing; a
        # zoom paints it directly (no cache) and must look the same.
        smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        super().drawBackground(painter, rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        super().drawForeground(painter, rect)
        scene = self.timeline_scene
        if scene.box_list or scene.card_items:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(scene.theme.muted)
        text = self.tr("No lanes yet. Right-click here and choose Add Lane, then double-click "
                       "in a lane to add a card.")
        painter.drawText(QRectF(self.viewport().rect()).adjusted(20, 20, -20, -20),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        painter.restore()

    def _add_milestone(self, day: dt.date, lane_key: int | None) -> None:
        lane_id = lane_key if lane_key is not None and lane_key >= 0 else None
        self._run(commands.AddMilestone(self.document.roadmap, self.tr("New milestone"),
                                        self._snap(day, "day"), lane_id))  # fmt: skip

    # ----- drops from the backlog

    def _drop_ids(self, event: QDropEvent | QDragMoveEvent | QDragEnterEvent) -> list[int]:
        mime = event.mimeData()
        if self._read_only or mime is None or not mime.hasFormat(CARD_IDS_MIME):
            return []
        try:
            raw = json.loads(bytes(mime.data(CARD_IDS_MIME).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        if not isinstance(raw, list):
            return []
        return [i for i in raw if isinstance(i, int) and not isinstance(i, bool)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._drop_ids(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if not self._drop_ids(event):
            event.ignore()
            return
        event.acceptProposedAction()
        sp = self.mapToScene(event.position().toPoint())
        box = self.timeline_scene.lane_at(sp.y())
        if box is not None:
            day = self._snap(self.time_scale.date_at(sp.x()))
            x0 = self.time_scale.x_for_date(day)
            width = settings.default_duration("feature") * self.time_scale.px_per_day
            self.timeline_scene.drop_preview = QRectF(x0, box.top + 4, width, 24)
            self.timeline_scene.update()
        self._check_drop_autoscroll(event.position())

    def _check_drop_autoscroll(self, pos: QPointF) -> None:
        vp = self.viewport().rect()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        if pos.x() < EDGE_SCROLL:
            h.setValue(h.value() - 12)
        elif pos.x() > vp.width() - EDGE_SCROLL:
            h.setValue(h.value() + 12)
        if pos.y() < EDGE_SCROLL:
            v.setValue(v.value() - 12)
        elif pos.y() > vp.height() - EDGE_SCROLL:
            v.setValue(v.value() + 12)

    def dragLeaveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.timeline_scene.drop_preview = None
        self.timeline_scene.update()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.timeline_scene.drop_preview = None
        self.timeline_scene.update()
        ids = self._drop_ids(event)
        if not ids:
            event.ignore()
            return
        sp = self.mapToScene(event.position().toPoint())
        if self.schedule_cards(ids, self.time_scale.date_at(sp.x()), sp.y()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def schedule_cards(self, ids: Sequence[int], day: dt.date, scene_y: float) -> bool:
        """Put cards at ``day`` in the lane at ``scene_y`` with their kind's default duration."""
        roadmap = self.document.roadmap
        cards = roadmap.cards_by_id(ids)
        box = self.timeline_scene.lane_at(scene_y)
        lane_id = box.lane_id if box is not None and box.lane_id >= 0 else None
        start = self._snap(day)
        moves: dict[int, tuple[dt.date | None, dt.date | None, int | None]] = {}
        for cid in ids:
            card = cards.get(cid)
            if card is None:
                continue
            length = settings.default_duration(card.kind)
            moves[cid] = (start, dates.add_days(start, length - 1), lane_id)
        if not moves:
            return False
        text = self.tr("Schedule card") if len(moves) == 1 else self.tr("Schedule cards")
        if self._run(commands.MoveCards(roadmap, moves, text=text)) is None:
            return False
        self._select_only(moves)
        self._publish_selection()
        return True


def dates_text(start: dt.date, end: dt.date, single: bool = False) -> str:
    """'Mon 3 Mar 2026 – Fri 28 Mar 2026 (4 weeks)' for the drag tooltip."""
    if single:
        return start.strftime("%a %d %b %Y")
    days = dates.duration_days(start, end)
    length = f"{days} day" + ("" if days == 1 else "s")
    if days % 7 == 0:
        length = f"{days // 7} week" + ("" if days == 7 else "s")
    return f"{start.strftime('%a %d %b %Y')} – {end.strftime('%a %d %b %Y')} ({length})"


def _copy_spec(card: Card) -> dict[str, Any]:
    spec = {k: v for k, v in dataclasses.asdict(card).items() if k not in _COPY_SKIP}
    spec["criteria"] = [(c.text, c.done) for c in card.criteria]
    spec["tags"] = list(card.tags)
    return spec


def install_actions(window: Any) -> None:
    """Add the timeline's actions to the window's View and Edit menus."""
    window.timeline.install_menus(window.view_menu, window.edit_menu)
