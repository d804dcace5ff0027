"""Scene items: one per card and one per milestone, each painting itself with ui.render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from planner.layout import BAR_HEIGHT
from planner.model import Card, Milestone
from ui import render

if TYPE_CHECKING:
    # Named only in annotations: importing the option class builds its enum types at start.
    from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

    from planner.lens import Lens
    from ui.timeline.scene import TimelineScene

CARD_TYPE = 65536 + 1  # QGraphicsItem.UserType + 1
MILESTONE_TYPE = 65536 + 2
DEPENDENCY_TYPE = 65536 + 3
_PAD = render.HANDLE
_NO_PEN = QPen(Qt.PenStyle.NoPen)  # a rect item's own outline: none (items paint themselves)


class Epoch:
    """Counts moves of bars that have arrows, so the arrows' geometry is worked out again
    only after one of them moved."""

    value = 0


class CardItem(QGraphicsRectItem):
    """A card's bar; its geometry comes from the scene's layout, never from a mouse drag.

    A rect item only so that Qt reads its bounding rect (the rect) without calling into Python,
    which it does for every bar in view at every repaint; it paints itself.
    """

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.setPen(_NO_PEN)
        self.card = card
        self.card_id = card.id
        self.width = float(render.MIN_BAR)
        self.scene_x = 0.0  # the position, kept here as reading pos() from Qt is slow
        self.scene_y = 0.0
        self.shown = True  # isVisible(), kept by the scene that shows or hides the bar
        self.linked = False  # a dependency arrow starts or ends here
        self.title_from: float | None = None  # where the title was painted from (cut bars)
        self.span_of: Card | None = None  # the card whose dates ``span`` holds
        self.span = (0, 1)  # the bar's first day and the day after its last, from the origin
        self._subtitle = ""  # owner, dates and tags as shown for ``_subtitle_of`` in a lens
        self._subtitle_of: Card | None = None
        self._subtitle_lens: Lens | None = None
        self.setRect(self._compute_bounds())
        self.flagged = False
        self.color = "#8c8c8c"
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(10)

    def type(self) -> int:  # noqa: A003 - Qt override
        return int(CARD_TYPE)

    def set_geometry(self, x: float, y: float, width: float) -> bool:
        """Place the bar; only touches Qt when something changed. True when it moved or its
        width changed: it then paints itself directly, without a cached picture, until
        ``TimelineScene`` gives it one again once it stays put (at every step of a zoom a
        picture would be made only to be thrown away at the next one)."""
        width = max(float(render.MIN_BAR), width)
        changed = False
        if width != self.width:
            self.width = width
            self.setRect(self._compute_bounds())
            changed = True
        if self.scene_x != x or self.scene_y != y:
            self.scene_x = x
            self.scene_y = y
            self.setPos(x, y)
            changed = True
        if changed:
            if self.linked:
                Epoch.value += 1
            if self.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                # Dropped, not kept: the picture of a bar the view cuts holds only the part in
                # view, which Qt would shift along with the bar (a title left where it was).
                self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self.update()
        return changed

    def forget_picture(self) -> None:
        """Drop the bar's cached picture so that its next paint starts afresh.

        The cached picture of a bar the view cuts holds only its part in view; when the bar
        moves, Qt shifts that part along and paints only the newly uncovered strip, which
        would keep a title (or the bar's old end) where it was. ``update()`` alone does not
        prevent that, dropping the cache does.
        """
        mode = self.cacheMode()
        if mode != QGraphicsItem.CacheMode.NoCache:
            self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self.setCacheMode(mode)
        self.update()

    def title_start(self, view_left: float | None) -> float | None:
        """Where render.paint_card starts the title of this bar when a view's left edge is at
        scene x ``view_left`` and cuts it; None when the title starts where it always does."""
        if view_left is None or self.width < 28:
            return None
        text_from = view_left - self.scene_x
        if render.HANDLE + 2 < text_from + 4 < self.width - 80:
            return text_from
        return None

    def bar_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, BAR_HEIGHT)

    def _compute_bounds(self) -> QRectF:
        return QRectF(-_PAD, -6, self.width + 2 * _PAD + render.LINK_HANDLE, BAR_HEIGHT + 12)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(-_PAD / 2, 0, self.width + _PAD, BAR_HEIGHT))
        return path

    def link_handle_rect(self) -> QRectF:
        """The dot right of the bar that starts a dependency drag."""
        return QRectF(self.width + 2, BAR_HEIGHT / 2 - 5, render.LINK_HANDLE, 10)

    @staticmethod
    def _make_subtitle(card: Card, lens: Lens) -> str:
        """Owner, dates and tags after the title, as the lens asks."""
        subtitle = ""
        if "owner" in lens.fields and card.owner:
            subtitle = card.owner
        if "dates" in lens.fields and card.start is not None and card.end is not None:
            rng = lens.format_range(*sorted((card.start, card.end)))
            subtitle = f"{subtitle} · {rng}" if subtitle else rng
        if "tags" in lens.fields and card.tags:
            tags = " ".join("#" + t for t in card.tags[:4])
            subtitle = f"{subtitle} · {tags}" if subtitle else tags
        return subtitle

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        scene: TimelineScene | None = self.scene()  # type: ignore[assignment]
        if scene is None or scene.live:
            return  # during a zoom the scene's BarLayer paints the bar where it now belongs
        stamps = widget.devicePixelRatioF() if widget is not None else render.stamp_ratio(painter)
        self.paint_bar(painter, scene, self.scene_x, self.width, stamps)
        self.title_from = self.title_start(scene.view_left)
        if self.title_from is not None:
            scene._edge_items.add(self)

    def paint_bar(self, painter: QPainter, scene: TimelineScene, x: float, width: float,
                  stamps: float, view_left: float | None = None) -> None:  # fmt: skip
        """The bar, ``width`` wide, at the painter's origin, as it looks at scene x ``x``
        (a view's left edge at ``view_left``, or the scene's, may cut it); the item paints
        itself with this, as does the scene's BarLayer during a zoom."""
        card = self.card
        lens = scene.lens
        dimmed = scene.spotlight is not None and scene.lane_key(card) != scene.spotlight
        if self._subtitle_of is not card or self._subtitle_lens is not lens:
            self._subtitle = self._make_subtitle(card, lens)
            self._subtitle_of, self._subtitle_lens = card, lens
        subtitle = self._subtitle
        selected = self.isSelected()
        left = scene.view_left if view_left is None else view_left
        render.paint_card(
            painter, QRectF(0, 0, width, BAR_HEIGHT), card.title, self.color, scene.theme,
            status=card.status, estimate=card.estimate, subtitle=subtitle, fields=lens.fields,
            selected=selected, highlighted=card.id in scene.highlight, dimmed=dimmed,
            flagged=self.flagged, hovered=card.id == scene.hover_id and not selected,
            text_from=None if left is None else left - x, stamps=stamps,
        )  # fmt: skip
        badge = scene.badges.get(card.id)
        if badge:
            render.paint_change_badge(painter, QPointF(0, 0), badge, scene.theme)
        hovered = card.id == scene.hover_id
        if (selected or hovered) and not scene.read_only and width >= render.MIN_BAR:
            r = QRectF(width + 2, BAR_HEIGHT / 2 - 5, render.LINK_HANDLE, 10)  # link handle
            painter.setPen(QPen(scene.theme.selection, 1.5))
            painter.setBrush(scene.theme.background)
            painter.drawEllipse(QPointF(r.center().x(), r.center().y()), 4, 4)


class MilestoneItem(QGraphicsRectItem):
    """A milestone: a diamond with its label and a line down through its lane or all lanes.

    A rect item for the same reason as CardItem: Qt reads its bounds without calling Python.
    """

    def __init__(self, milestone: Milestone) -> None:
        super().__init__(QRectF(-10, 0, 250, 40.0))
        self.setPen(_NO_PEN)
        self.milestone = milestone
        self.milestone_id = milestone.id
        self.height = 40.0
        self.label_width = 230.0
        self.color = milestone.color or "#7048e8"
        self.scene_x = 0.0  # the position, kept here as reading pos() from Qt is slow
        self.scene_y = 0.0
        self.days = 0.0  # where it sits in days from the time scale's origin, for ``days_of``
        self.days_of: tuple[object, object, object] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setZValue(20)

    def type(self) -> int:  # noqa: A003 - Qt override
        return int(MILESTONE_TYPE)

    def set_geometry(self, x: float, y: float, height: float) -> None:
        if height != self.height:
            self.height = height
            self.setRect(QRectF(-10, 0, 250, height))
        if self.scene_x != x or self.scene_y != y:
            self.scene_x, self.scene_y = x, y
            self.setPos(x, y)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(-10, 0, 20, 20))
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        scene: TimelineScene | None = self.scene()  # type: ignore[assignment]
        if scene is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        exposed = option.exposedRect
        render.paint_milestone(painter, 0.0, 0.0, self.height, self.milestone.title, self.color,
                               scene.theme, selected=self.isSelected(),
                               label_width=self.label_width,
                               span=(exposed.top(), exposed.bottom()))  # fmt: skip
        painter.setPen(Qt.PenStyle.NoPen)


class _SceneLayer(QGraphicsItem):
    """One item over the whole scene that paints many things at once; never hit by the mouse
    (clicks and rubber bands pass through to what is below)."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self._rect = QRectF()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()


class DependencyLayer(_SceneLayer):
    """Every dependency arrow, drawn under the bars so no line ever runs across a title.

    One item for all arrows (not one per arrow).
    """

    def __init__(self) -> None:
        super().__init__(5)  # above the lanes (the background), below bars (10) and milestones

    def type(self) -> int:  # noqa: A003 - Qt override
        return int(DEPENDENCY_TYPE)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        scene: TimelineScene | None = self.scene()  # type: ignore[assignment]
        if scene is not None:
            scene.paint_dependencies(painter, QRectF(option.exposedRect))


class BarLayer(_SceneLayer):
    """Every bar in view, painted in one pass where it belongs at the zoom being shown, while a
    zoom goes on: the bar items stay where they were (placing them at every step of a zoom
    costs more than painting them) and are placed once the zooming stops.

    Shown only during a zoom (anything the mouse does ends the zoom first).
    """

    def __init__(self) -> None:
        super().__init__(10)  # where the bars are
        self.setVisible(False)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        scene: TimelineScene | None = self.scene()  # type: ignore[assignment]
        if scene is not None:
            stamps = widget.devicePixelRatioF() if widget is not None \
                else render.stamp_ratio(painter)  # fmt: skip
            scene.paint_live_bars(painter, QRectF(option.exposedRect), stamps)
