"""The frozen strips around the timeline: the time header on top and the lane names on the left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

from ui import render

if TYPE_CHECKING:
    from ui.timeline.lane_rename import NameEditor
    from ui.timeline.view import TimelineView


class TimeHeader(QWidget):
    """Years, quarters, months, weeks or sprints for the visible x range; clicks zoom in."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("timeline_header")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        scene = self.view.timeline_scene
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        x0 = self.view.mapToScene(QPoint(0, 0)).x()
        info = scene.info
        render.paint_time_header(
            painter, QRectF(self.rect()), scene.time_scale, x0, scene.theme,
            show_sprints=scene.show_sprints, sprint_start=info.sprint_start,
            sprint_length=info.sprint_length, week_start=info.week_start, today=scene.today,
            precision=scene.lens.precision,
        )  # fmt: skip
        painter.end()


class LaneNames(QWidget):
    """Lane names: click the arrow to collapse, double-click to rename, drag to reorder."""

    collapse_requested = Signal(int)  # lane id
    rename_requested = Signal(int, str)  # lane id, new name
    move_requested = Signal(int, int)  # lane id, new index
    menu_requested = Signal(int, QPoint)  # lane id (or -1), global position

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("timeline_lane_names")
        self._press: QPointF | None = None
        self._drag_lane: int | None = None
        self._drop_y: float | None = None
        self._editor: NameEditor | None = None
        self._picture: tuple[tuple[object, ...], QPixmap] | None = None  # the names, painted
        self.setMouseTracking(True)

    def _scene_y(self, y: float) -> float:
        return self.view.mapToScene(QPoint(0, 0)).y() + y

    def lane_at(self, y: float) -> int | None:
        box = self.view.timeline_scene.lane_at(self._scene_y(y))
        if box is None:
            return None
        if not (box.top <= self._scene_y(y) <= box.bottom):
            return None
        return box.lane_id

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        scene = self.view.timeline_scene
        painter = QPainter(self)
        y0 = self.view.mapToScene(QPoint(0, 0)).y()
        labels = scene.lane_labels(y0, self.height())
        # The names are painted once per look and copied after (a zoom or a sideways scroll
        # repaints the window at every step but leaves the names as they are).
        theme = scene.theme
        ratio = self.devicePixelRatioF()
        key = (tuple(labels), self.width(), self.height(), ratio, id(theme), theme.text_scale,
               theme.dark, theme.text.rgba(), theme.muted.rgba(), theme.header_bg.rgba(),
               theme.grid_major.rgba(), theme.selection.rgba(), theme.font.key())  # fmt: skip
        if self._picture is None or self._picture[0] != key:
            picture = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            picture.setDevicePixelRatio(ratio)  # opaque: the names fill their column
            p = QPainter(picture)
            render.paint_lane_labels(p, QRectF(self.rect()), labels, theme)
            p.end()
            self._picture = (key, picture)
        painter.drawPixmap(0, 0, self._picture[1])
        if self._drop_y is not None:
            painter.setPen(QPen(scene.theme.selection, 3))
            painter.drawLine(0, int(self._drop_y), self.width(), int(self._drop_y))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        lane_id = self.lane_at(event.position().y())
        if lane_id is None or lane_id < 0:
            return
        box = self.view.timeline_scene.boxes[lane_id]
        local_top = box.top - self._scene_y(0)
        if event.position().x() < 24 and event.position().y() - local_top < 26:
            if not self.view.read_only:
                self.collapse_requested.emit(lane_id)
            return
        self._press = event.position()
        self._drag_lane = lane_id

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is None or self._drag_lane is None or self.view.read_only:
            return
        if (event.position() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self._drop_y = self._boundary_y(event.position().y())[1]
        self.update()

    def _boundary_y(self, y: float) -> tuple[int, float]:
        """The index a dragged lane would take at ``y`` and the local y of that gap."""
        scene = self.view.timeline_scene
        sy = self._scene_y(y)
        real = [b for b in scene.box_list if b.lane_id >= 0]
        for i, box in enumerate(real):
            if sy < box.top + box.height / 2:
                return i, box.top - self._scene_y(0)
        last = real[-1] if real else None
        return len(real), (last.bottom - self._scene_y(0)) if last else 0.0

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        lane_id, press = self._drag_lane, self._press
        self._press = self._drag_lane = None
        self.unsetCursor()
        if self._drop_y is None or lane_id is None or press is None:
            self._drop_y = None
            return
        self._drop_y = None
        self.update()
        index, _ = self._boundary_y(event.position().y())
        order = [b.lane_id for b in self.view.timeline_scene.box_list if b.lane_id >= 0]
        current = order.index(lane_id) if lane_id in order else -1
        if index > current:
            index -= 1
        if index != current:
            all_ids = [lane.id for lane in self.view.timeline_scene.roadmap.lanes()]
            target = order[index] if index < len(order) else None
            self.move_requested.emit(lane_id, all_ids.index(target) if target in all_ids
                                     else len(all_ids) - 1)  # fmt: skip

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        lane_id = self.lane_at(event.position().y())
        if lane_id is None or lane_id < 0 or self.view.read_only:
            return
        self.start_rename(lane_id)

    def start_rename(self, lane_id: int) -> None:
        """An inline editor over the lane's name; Enter renames, Escape cancels."""
        scene = self.view.timeline_scene
        box = scene.boxes.get(lane_id)
        lane = scene.lanes_by_id.get(lane_id)
        if box is None or lane is None:
            return
        if self._editor is not None:
            self._editor.deleteLater()
        from ui.timeline.lane_rename import NameEditor

        editor = NameEditor(self)
        editor.setObjectName("lane_rename_editor")
        editor.setText(lane.name)
        editor.selectAll()
        top = int(box.top - self._scene_y(0)) + 2
        editor.setGeometry(20, top, self.width() - 24, 24)
        done = {"finished": False}

        def finish() -> None:
            if done["finished"]:
                return
            done["finished"] = True
            text = editor.text().strip()
            editor.hide()
            editor.deleteLater()
            if self._editor is editor:
                self._editor = None
            if text and text != lane.name:
                self.rename_requested.emit(lane_id, text)

        def cancel() -> None:
            done["finished"] = True
            editor.hide()
            editor.deleteLater()
            if self._editor is editor:
                self._editor = None

        editor.editingFinished.connect(finish)
        editor.cancelled.connect(cancel)
        self._editor = editor
        editor.show()
        editor.setFocus()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        lane_id = self.lane_at(event.pos().y())
        self.menu_requested.emit(-1 if lane_id is None else lane_id, event.globalPos())
