"""The timeline's scene: a picture of the document, updated item by item as the file changes.

It can be built from a Document without any view, so exports render exactly what the window
shows: ``scene.render(painter, target, source)`` plus ui.render's header and lane names.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from planner import dates
from planner.layout import (
    BAR_HEIGHT,
    ZOOM_PRESETS,
    LaneBox,
    TimeScale,
    card_y,
    lane_at,
    lane_boxes,
    row_count,
)
from planner.lens import Lens, color_for
from planner.model import Card, Dependency, Lane, Milestone, Objective
from planner.records import record
from planner.store import Change
from ui import render
from ui.timeline.items import BarLayer, CardItem, DependencyLayer, Epoch, MilestoneItem
from ui.timeline.stacking import LaneStack

NO_LANE = -1  # the key of the band holding dated cards that have no lane
MILESTONE_STRIP = 26  # room above the first lane for roadmap-wide milestones
_NEAR = 150.0  # pixels beyond a view's sides where bars are placed: twice that
_ZOOM_NEAR = 20.0  # the same right after a zoom, when every step places them again
_LIVE_PREP_MS = 400  # the arrows' zoom geometry is made this long after it was last out of date
_ZOOM_SETTLE_MS = 150  # a zoom is over when no step came for this long: its bars are placed
NO_LANE_COLOR = "#8c8c8c"
_SUBTITLE_FIELDS = frozenset({"owner", "dates", "tags"})  # what a bar may show after its title
# An arrow's box with its margin (left, top, right, bottom), its ends (x, y, x, y), violated.
_ArrowGeometry = tuple[float, float, float, float, float, float, float, float, bool]


@record
class Ghost:
    """Where a card was in a compared plan."""

    card_id: int
    lane_id: int | None
    start: dt.date
    end: dt.date


class TimelineScene(QGraphicsScene):
    """Lanes, cards and milestones of the document under the active lens."""

    layout_changed = Signal()  # lanes moved or grew: headers and lane names repaint
    extent_changed = Signal(QRectF)  # the area views scroll over
    live_changed = Signal(bool)  # a zoom started (True) or stopped: see ``live``

    def __init__(self, document: object, parent: QObject | None = None,
                 px_per_day: float = ZOOM_PRESETS["months"]) -> None:  # fmt: skip
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap  # type: ignore[attr-defined]
        self.theme = render.Theme()
        self.show_sprints = False
        self.read_only = False
        self.spotlight: int | None = None
        self.highlight: frozenset[int] = frozenset()
        self.ghosts: list[Ghost] = []
        self.badges: dict[int, str] = {}
        self.hover_id: int | None = None
        self.view_left: float | None = None  # scene x of a view's left edge; None in exports
        self.link_preview: tuple[QPointF, QPointF] | None = None
        self.drop_preview: QRectF | None = None
        self._drag_label: tuple[QPointF, str] | None = None
        self.today = dt.date.today()
        self.extent_rect = QRectF()
        self._cache_items = False
        self.card_items: dict[int, CardItem] = {}
        self.milestone_items: dict[int, MilestoneItem] = {}
        self.lanes: list[Lane] = []
        self.lanes_by_id: dict[int, Lane] = {}
        self.lane_keys: list[int] = []
        self.boxes: dict[int, LaneBox] = {}
        self.box_list: list[LaneBox] = []
        self.rows: dict[int, dict[int, int]] = {}
        self.stacks: dict[int, LaneStack] = {}  # each lane's stacking; its rows are in ``rows``
        self.by_lane: dict[int, set[int]] = {}
        self.lane_counts: dict[int, int] = {}
        self.backlog: dict[int, int | None] = {}  # undated cards the lens shows -> their lane
        self._backlog_counts: dict[int | None, int] | None = None
        self.deps: list[Dependency] = []
        self._dep_geo: list[_ArrowGeometry] | None = None
        self._dep_geo_epoch = 0
        self._dep_shapes: dict[int, tuple[QPainterPath, QPolygonF]] = {}
        self._dep_pairs: list[tuple[CardItem, CardItem, bool]] = []
        self._dep_pairs_stale = True
        self._dep_ids: set[int] = set()  # every card an arrow starts or ends at
        self.objectives: dict[int, Objective] = {}
        self.info = self.roadmap.info()
        self.lens = Lens.from_view(getattr(document, "active_view", None))
        span = self.roadmap.date_range()
        lo = min(span[0], self.today) if span else self.today
        self.time_scale = TimeScale(dates.month_start(dates.add_days(lo, -31)), px_per_day)
        self._extent = (lo, max(span[1], self.today) if span else self.today)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.dependency_layer = DependencyLayer()
        self.addItem(self.dependency_layer)
        # While a zoom goes on (``live``), the bars are painted by one layer where they belong
        # at each step; the bar items stay put, muted, and are placed when the zoom stops.
        self.live = False
        self.live_left: float | None = None  # the view's left edge during a zoom
        self._live_view: tuple[float, float, float] | None = None
        self._muted: set[CardItem] = set()
        self._muted_areas: list[QRectF] = []
        self._milestones_due = False  # a zoom step has yet to place the milestones in view
        # Each arrow's top and bottom (margin included), the y of its ends, the first and
        # after-last day of the bar it starts at and the first day of the one it ends at.
        self._live_arrows: list[tuple[float, float, float, float, int, int, int, bool]] | None
        self._live_arrows = None
        self._index_due = False  # the item index's rect is to grow once a zoom stops
        self.bar_layer = BarLayer()
        self.addItem(self.bar_layer)
        self._live_end = QTimer(self)
        self._live_end.setSingleShot(True)
        self._live_end.timeout.connect(self.end_live)
        self._pending: set[int] = set()
        self._edge_items: set[CardItem] = set()  # bars painted with their title from view_left
        self._near: dict[int, tuple[float, float, float]] = {}  # pending lane -> zoom, x0, x1
        self._index: dict[int, tuple[list[int], list[CardItem], int]] = {}
        self._dep_ends: list[tuple[CardItem, CardItem, int, int]] | None = None  # and lanes
        self._uncached: set[CardItem] = set()  # bars a zoom resized, painted without a cache
        self._recache = QTimer(self)  # their cached pictures come back once zooming stops
        self._recache.setSingleShot(True)
        self._recache.timeout.connect(self._cache_again)
        self._idle = QTimer(self)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._on_idle_timeout)
        # The arrows' zoom geometry is worked out a moment after what it depends on changed,
        # not at the first step of the next zoom (4 ms at 10,000 cards).
        self._live_prep = QTimer(self)
        self._live_prep.setSingleShot(True)
        self._live_prep.setInterval(_LIVE_PREP_MS)
        self._live_prep.timeout.connect(self._prepare_live)
        self.rebuild()

    # ----- reading the document

    def lane_key(self, card: Card) -> int:
        """The band a card sits in: its lane, or the "No lane" band."""
        if card.lane_id is not None and card.lane_id in self.lanes_by_id:
            return card.lane_id
        return NO_LANE

    def _shows(self, card: Card) -> bool:
        return card.start is not None and card.end is not None and self.lens.includes(card)

    def bar_dates(self, card: Card) -> tuple[dt.date, dt.date]:
        """The dates a bar spans: in order, and rounded to the lens's precision."""
        assert card.start is not None and card.end is not None
        start, end = dates.ordered(card.start, card.end)
        return self.lens.display_dates(start, end)

    def rebuild(self) -> None:
        """Read everything again (opening, switching plan or lens); edits never come here."""
        self.end_live()
        self._muted.clear()
        self._index.clear()
        self._uncached.clear()
        self._dep_ends = None
        self._edge_items.clear()
        self.invalidate_dependencies()
        for item in self.card_items.values():
            self.removeItem(item)
        for mitem in self.milestone_items.values():
            self.removeItem(mitem)
        self.card_items.clear()
        self.milestone_items.clear()
        self.info = self.roadmap.info()
        self.objectives = {o.id: o for o in self.roadmap.objectives()}
        self._read_lanes()
        self.deps = self.roadmap.dependencies()
        shared = getattr(self.document, "cards", None)  # the window's one read of the cards
        self.backlog = {}
        self._backlog_counts = None
        for card in shared() if callable(shared) else self.roadmap.cards():
            if self._shows(card):
                self._add_card_item(card, add=False)
            else:
                self._note_backlog(card)
        for m in self.roadmap.milestones():
            self._add_milestone_item(m)
        self._link_dependencies()
        self._relayout(None)
        # Placed before they join the scene: the index is built once, not updated per move.
        for item in self.card_items.values():
            self.addItem(item)

    def _note_backlog(self, card: Card) -> None:
        """Keep count of the undated cards of each lane (the lane names say how many)."""
        self._backlog_counts = None
        if card.scheduled or not self.lens.includes(card):
            self.backlog.pop(card.id, None)
        else:
            self.backlog[card.id] = card.lane_id

    def backlog_count(self, key: int) -> int:
        """How many undated cards of this lane band wait in the backlog."""
        if key == NO_LANE:
            return 0  # undated cards without a lane are the backlog's own
        if self._backlog_counts is None:  # counted once per change, not per repaint
            counts: dict[int | None, int] = {}
            for lane_id in self.backlog.values():
                counts[lane_id] = counts.get(lane_id, 0) + 1
            self._backlog_counts = counts
        return self._backlog_counts.get(key, 0)

    def milestone_x(self, m: Milestone) -> float:
        """Where a milestone sits: its day, or the middle of its month or quarter in a view
        that rounds dates, so it reads as "in Q1" like the bars and never names a day."""
        lo, hi = self.lens.display_dates(m.date, m.date)
        if lo == hi:
            return self.time_scale.x_for_date(m.date)
        return (self.time_scale.x_for_date(lo) + self.time_scale.x_after(hi)) / 2

    def _milestone_x(self, item: MilestoneItem, ppd: float) -> float:
        """``milestone_x`` at ``px_per_day`` from days kept per milestone, lens and origin (a
        zoom asks again at every step)."""
        m, lens, origin = item.milestone, self.lens, self.time_scale.origin
        kept = item.days_of
        if kept is None or kept[0] is not m or kept[1] is not lens or kept[2] != origin:
            lo, hi = lens.display_dates(m.date, m.date)
            if lo == hi:
                item.days = float((m.date - origin).days)
            else:
                item.days = ((lo - origin).days + (hi - origin).days + 1) / 2
            item.days_of = (m, lens, origin)
        return item.days * ppd

    def _read_lanes(self) -> None:
        self.lanes = [lane for lane in self.roadmap.lanes() if self.lens.lane_visible(lane.id)]
        self.lanes_by_id = {lane.id: lane for lane in self.lanes}

    def _add_card_item(self, card: Card, add: bool = True) -> CardItem:
        item = CardItem(card)
        if self._cache_items:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._style_item(item)
        self.card_items[card.id] = item
        if add:
            self.addItem(item)
        return item

    def _style_item(self, item: CardItem) -> None:
        card = item.card
        item.color = color_for(card, self.lens, self.lanes_by_id, self.objectives)
        item.flagged = card.start is not None and card.end is not None and card.end < card.start
        if card.lane_id is not None and card.lane_id not in self.lanes_by_id:
            item.flagged = item.flagged or card.lane_id is not None

    def _add_milestone_item(self, m: Milestone) -> None:
        if m.lane_id is not None and not self.lens.lane_visible(m.lane_id):
            return
        if self.lens.date_from and m.date < self.lens.date_from:
            return
        if self.lens.date_to and m.date > self.lens.date_to:
            return
        item = MilestoneItem(m)
        self.milestone_items[m.id] = item
        self.addItem(item)

    # ----- layout

    def _stack(self, key: int) -> bool:
        """Recompute rows of one lane; True when its row count changed."""
        ids = self.by_lane.get(key, set())
        spans = []
        for cid in ids:
            s, e = self.bar_dates(self.card_items[cid].card)
            spans.append((cid, s, e))
        before = row_count(self.rows.get(key, {}))
        stack = LaneStack(spans)
        self.stacks[key] = stack
        self.rows[key] = stack.rows
        return stack.count != before

    def _restack(self, key: int, ids: set[int] | None) -> tuple[bool, set[int] | None]:
        """Re-stack a lane after these cards joined, moved in or left it: only the rows that
        change (all when ``ids`` is None). True when its row count changed, and the cards to
        place again (None for all of them)."""
        stack = self.stacks.get(key)
        if ids is None or stack is None or self.rows.get(key) is not stack.rows:
            return self._stack(key), None
        here = self.by_lane.get(key, set())
        before = stack.count
        placed = stack.update({cid: self.bar_dates(self.card_items[cid].card) if cid in here
                               else None for cid in ids})  # fmt: skip
        return stack.count != before, placed

    def _relayout(self, touched: Iterable[int] | None,
                  changed: dict[int, set[int]] | None = None) -> None:  # fmt: skip
        """Re-stack the touched lanes (all when None) and re-place what moved.

        ``changed`` names the cards that joined, moved in or left each touched lane: only the
        rows they disturb are stacked again (the whole lane for a lane not named)."""
        self._forget_live_arrows()  # rows or days of arrows' ends may have changed
        if touched is None:
            self.by_lane = {}
            for cid, item in self.card_items.items():
                self.by_lane.setdefault(self.lane_key(item.card), set()).add(cid)
            self.rows = {}
            self.stacks = {}
            keys = [lane.id for lane in self.lanes]
            if self.by_lane.get(NO_LANE):
                keys.append(NO_LANE)
            for key in keys:
                self._stack(key)
            self.lane_keys = keys
            self._place_boxes()
            self._place_cards(self.card_items.values())
            self._place_milestones()
            self._update_scene_rect()
            self._pending.clear()
            self.layout_changed.emit()
            self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
            self.update()
            return
        touched = set(touched)
        grew = False
        to_place: dict[int, set[int] | None] = {}
        for key in touched:
            key_grew, to_place[key] = self._restack(key, (changed or {}).get(key))
            grew |= key_grew
            if key in self.lane_counts:
                self.lane_counts[key] = len(self.by_lane.get(key, ()))
        has_no_lane = bool(self.by_lane.get(NO_LANE))
        if has_no_lane != (NO_LANE in self.lane_keys):
            self.lane_keys = [lane.id for lane in self.lanes] + ([NO_LANE] if has_no_lane else [])
            grew = True
        if grew:
            old = dict(self.boxes)
            self._place_boxes()
            moved = {k for k, b in self.boxes.items() if old.get(k) != b} - touched
            # A lane whose rows start where they did keeps its bars: only those its re-stack
            # moved are placed again (a big roadmap filling in grows its lanes at the foot).
            kept = {k for k in touched if to_place.get(k) is not None and k not in self._pending
                    and k in old and k in self.boxes
                    and old[k].rows_top == self.boxes[k].rows_top}  # fmt: skip
            for key in kept:
                self._place_in_lane(key, [self.card_items[c] for c in to_place[key] or ()
                                          if c in self.card_items])  # fmt: skip
            self._place_lanes(touched - kept)  # those on screen now, the others when idle
            self._place_lanes(moved)
            if (touched - kept) & self._pending:  # a card may have left the view for one
                self._place_stale_in_view()
            self._place_milestones()
            self._apply_extent()
            self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
            self.layout_changed.emit()
            self.update()
            return
        items = self.card_items
        for key, ids in to_place.items():
            if ids is None or key in self._pending:
                self._place_lanes([key])
            elif ids:
                self._place_in_lane(key, [items[c] for c in ids if c in items])
        if touched & self._pending:  # a card may have left the view for one of those lanes
            self._place_stale_in_view()

    def _place_stale_in_view(self) -> None:
        """Place now the bars that sit in a view but whose lane is still waiting to be placed:
        a card an edit moved to a lane off screen, or the bars of a lane a growing lane above
        pushed off screen. The rest of such lanes follow when idle."""
        for view in self.views():
            if not self._pending:
                return
            area = view.mapToScene(view.viewport().rect()).boundingRect()
            for key, items in self._bars_by_lane(area).items():
                if key in self._pending:
                    self._place_in_lane(key, items)

    def _bars_by_lane(self, rect: QRectF) -> dict[int, list[CardItem]]:
        """The bars that are in a scene rectangle now (placed or not), per lane."""
        found: dict[int, list[CardItem]] = {}
        for item in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, CardItem):
                found.setdefault(self.lane_key(item.card), []).append(item)
        return found

    def _place_boxes(self) -> None:
        self._forget_live_arrows()  # the rows of arrows' ends may have moved
        specs = []
        marked = {i.milestone.lane_id for i in self.milestone_items.values()}
        for key in self.lane_keys:
            lane = self.lanes_by_id.get(key)
            specs.append((key, row_count(self.rows.get(key, {})), bool(lane and lane.collapsed),
                          key in marked))  # fmt: skip
        self.box_list = lane_boxes(specs, top=MILESTONE_STRIP)
        self.boxes = {b.lane_id: b for b in self.box_list}
        self.lane_counts = {k: len(self.by_lane.get(k, ())) for k in self.lane_keys}

    def _visible_keys(self) -> set[int] | None:
        """Lanes near what the views show; None when no view shows the scene (an export)."""
        views = self.views()
        if not views:
            return None
        keys: set[int] = set()
        for view in views:
            r = view.mapToScene(view.viewport().rect()).boundingRect()
            top, bottom = r.top() - 150, r.bottom() + 150
            keys.update(b.lane_id for b in self.box_list if b.bottom >= top and b.top <= bottom)
        return keys

    def _place_lanes(self, keys: Iterable[int], now: bool = False) -> None:
        """Re-place the cards of these lanes: those on screen at once, the rest when idle."""
        keys = set(keys)
        visible = None if now else self._visible_keys()
        later = set() if visible is None else keys - visible
        self._pending.update(later)
        for key in later:
            self._near.pop(key, None)
        self._pending.difference_update(keys - later)
        self._place_keys(keys - later)
        if self._pending and not self._idle.isActive():
            self._idle.start()

    def _on_idle_timeout(self) -> None:
        if self.live:  # bars are placed once the zoom stops, not between its steps
            self._idle.stop()
            return
        budget = 600
        while self._pending and budget > 0:
            key = self._pending.pop()
            ids = self.by_lane.get(key, ())
            budget -= max(1, len(ids))
            self._place_keys([key])
        if not self._pending:
            self._idle.stop()

    def place_pending(self) -> None:
        """Place what is still waiting in the lanes now on screen (after a scroll or zoom).

        Of a lane on screen only the bars near the views' x range are placed, as are bars that
        still sit in that range from before and both ends of arrows crossing it; the lane stays
        pending, and the idle timer places the rest."""
        if self.live:
            if self._index_due and not all(self.sceneRect().contains(v.mapToScene(
                    v.viewport().rect()).boundingRect()) for v in self.views()):  # fmt: skip
                self._apply_extent(now=True)  # a view left the indexed area: it grows now
            self._mute_in_view()
            if self._milestones_due:
                self._milestones_due = False
                self._place_milestones()
            return
        if not self._pending:
            return
        views = self.views()
        if not views:
            due = set(self._pending)
            self._pending.clear()
            self._place_keys(due)
            return
        areas = [v.mapToScene(v.viewport().rect()).boundingRect() for v in views]
        visible = self._visible_keys() or set()
        due = self._pending & visible
        left = min(a.left() for a in areas)
        right = max(a.right() for a in areas)
        ppd = self.time_scale.px_per_day
        near = self._near
        if all(k in near and near[k][0] == ppd and near[k][1] <= left
               and right <= near[k][2] for k in due):  # fmt: skip
            self._place_stale_in_view()  # bars of lanes off screen that still sit here
            return  # the lanes on screen were placed when the view was here or close by
        # Bars a little beyond the view's sides are placed too, so that a short scroll finds
        # them in place; right after a zoom only those in view (the next scroll places more).
        zoomed = any(k not in near or near[k][0] != ppd for k in due)
        margin = _ZOOM_NEAR if zoomed else 2 * _NEAR
        # Bars still where an earlier zoom or edit left them, inside the range now shown (of
        # any lane still waiting: a card moved to a lane off screen may still sit here).
        top = min(a.top() for a in areas) - 150
        stale = self._bars_by_lane(QRectF(left - margin, top, right - left + 2 * margin,
                                          max(a.bottom() for a in areas) + 150 - top))
        # Both bars of each arrow that crosses that range, where they belong or where they
        # still are from an earlier zoom, so that every arrow shown ends at its bars.
        x0, x1 = left - margin - 30, right + margin + 30
        y0, y1 = min(a.top() for a in areas) - 30, max(a.bottom() for a in areas) + 30
        ends: dict[int, list[CardItem]] = {}
        pending, span, boxes_by = self._pending, self._span, self.boxes
        if self._dep_ends is None:
            self._dep_ends = [(a, b, self.lane_key(a.card), self.lane_key(b.card))
                              for a, b, _ in self._dep_pairs]  # fmt: skip
        for a, b, ka, kb in self._dep_ends:
            if ka not in pending and kb not in pending:
                continue
            xa, xb = a.scene_x + a.width, b.scene_x  # as it would be drawn now
            shown = max(xa, xb) > x0 and min(xa, xb) < x1 \
                and max(a.scene_y, b.scene_y) > y0 and min(a.scene_y, b.scene_y) < y1
            if not shown:  # as it will be drawn once both bars are placed
                ba, bb = boxes_by.get(ka), boxes_by.get(kb)
                if ba is None or bb is None or min(ba.top, bb.top) > y1 \
                        or max(ba.bottom, bb.bottom) < y0:  # fmt: skip
                    continue
                xa, xb = span(a)[1] * ppd, span(b)[0] * ppd
                shown = max(xa, xb) > x0 and min(xa, xb) < x1
            if shown:
                ends.setdefault(ka, []).append(a)
                ends.setdefault(kb, []).append(b)
        for key in due:
            self._place_near(key, left, right, stale.pop(key, []) + ends.pop(key, []), margin)
        for key in set(ends) | set(stale):
            if key in pending:
                self._place_in_lane(key, ends.get(key, []) + stale.get(key, []))

    def place_all(self) -> None:
        """Place every bar now (before reading the positions of bars off screen)."""
        self.end_live()
        if self._pending:
            due = set(self._pending)
            self._pending.clear()
            self._place_keys(due)

    def _lane_index(self, key: int) -> tuple[list[int], list[CardItem], int]:
        """A lane's bars sorted by their first day, with those first days and the longest span
        in days; kept until the next edit or rebuild."""
        got = self._index.get(key)
        if got is None:
            items = self.card_items
            spans = []
            for cid in self.by_lane.get(key, ()):
                item = items.get(cid)
                if item is not None:
                    d0, d1 = self._span(item)
                    spans.append((d0, d1, cid, item))
            spans.sort(key=lambda t: (t[0], t[2]))
            longest = max((d1 - d0 for d0, d1, _, _ in spans), default=0)
            got = ([t[0] for t in spans], [t[3] for t in spans], longest)
            self._index[key] = got
        return got

    def _place_near(self, key: int, left: float, right: float,
                    extra: Iterable[CardItem] = (), margin: float = 2 * _NEAR) -> None:  # fmt: skip
        """Place the bars of a lane that are within ``margin`` of scene x ``left`` to ``right``
        at this zoom, and ``extra`` ones (in that range at an earlier zoom, or ends of arrows
        shown)."""
        ppd = self.time_scale.px_per_day
        done = self._near.get(key)
        if done is not None and done[0] == ppd and done[1] <= left and right <= done[2]:
            return  # placed when the view was here or close by
        x0, x1 = left - margin, right + margin
        lane = self.lanes_by_id.get(key)
        if key not in self.boxes or (lane is not None and lane.collapsed):
            self._pending.discard(key)
            self._place_keys([key])
            return
        starts, ordered, longest = self._lane_index(key)
        # A bar is at least MIN_BAR wide: it may reach into the range from that far left.
        lo = bisect.bisect_left(starts, math.floor((x0 - render.MIN_BAR) / ppd) - longest)
        hi = bisect.bisect_right(starts, math.ceil(x1 / ppd))
        near = {}
        for item in ordered[lo:hi]:
            d0, d1 = item.span
            if d0 * ppd < x1 and max(d1 * ppd, d0 * ppd + render.MIN_BAR) > x0:
                near[item.card_id] = item
        for item in extra:
            near[item.card_id] = item
        self._place_in_lane(key, near.values())
        self._near[key] = (ppd, x0, x1)

    def _place_cards(self, items: Iterable[CardItem]) -> None:
        by_key: dict[int, list[CardItem]] = {}
        for item in items:
            by_key.setdefault(self.lane_key(item.card), []).append(item)
        for key, group in by_key.items():
            self._place_in_lane(key, group)

    def _place_keys(self, keys: Iterable[int]) -> None:
        """Place every card of these lanes."""
        items = self.card_items
        for key in keys:
            self._near.pop(key, None)
            ids = self.by_lane.get(key)
            if ids:
                self._place_in_lane(key, [items[c] for c in ids if c in items])

    def _span(self, item: CardItem) -> tuple[int, int]:
        """The bar's first day and the day after its last, counted from the time scale's origin
        (remembered per card, as a zoom places bars again from them)."""
        card = item.card
        if item.span_of is not card:
            s, e = self.bar_dates(card)
            origin = self.time_scale.origin
            item.span = ((s - origin).days, (e - origin).days + 1)
            item.span_of = card
        return item.span

    def _place_in_lane(self, key: int, items: Iterable[CardItem]) -> None:
        """Place cards of one lane band from their dates and rows (hidden in a collapsed lane)."""
        box = self.boxes.get(key)
        lane = self.lanes_by_id.get(key)
        if box is None or (lane is not None and lane.collapsed):
            for item in items:
                if item.shown:
                    item.shown = False
                    item.setVisible(False)
                    Epoch.value += item.linked
            return
        ppd = self.time_scale.px_per_day
        rows = self.rows.get(key, {})
        uncached = self._uncached if self._cache_items else None
        for item in items:
            d0, d1 = item.span if item.span_of is item.card else self._span(item)
            x0 = d0 * ppd
            if item.set_geometry(x0, card_y(box, rows.get(item.card_id, 0)), d1 * ppd - x0) \
                    and uncached is not None:  # fmt: skip
                uncached.add(item)
            if not item.shown:
                item.shown = True
                item.setVisible(True)
                Epoch.value += item.linked
        if uncached:
            self._recache.start(250)  # 250 ms after the last step of a zoom or drag

    def _place_milestones(self) -> None:
        """Place every milestone; during a zoom only those near the views (the rest once the
        zoom stops: moving an item costs more than working out where it goes)."""
        bottom = self.box_list[-1].bottom if self.box_list else MILESTONE_STRIP + 40
        near = None
        if self.live:
            areas = [v.mapToScene(v.viewport().rect()).boundingRect() for v in self.views()]
            if areas:  # the label reaches 250 px right of the diamond
                near = (min(a.left() for a in areas) - 260, max(a.right() for a in areas) + 20)
        xs: dict[MilestoneItem, float] = {}
        ppd = self.time_scale.px_per_day
        for item in self.milestone_items.values():
            m = item.milestone
            x = xs[item] = self._milestone_x(item, ppd)
            if near is not None and not near[0] <= x <= near[1] \
                    and not near[0] <= item.scene_x <= near[1]:  # nor still shown there
                continue
            box = self.boxes.get(m.lane_id) if m.lane_id is not None else None
            if box is not None:
                item.set_geometry(x, box.top + 1, box.height - 1)
            else:
                item.set_geometry(x, 2, bottom - 2)
        # A label stops before the next milestone in the same strip, so labels never overlap.
        strips: dict[int | None, list[MilestoneItem]] = {}
        for item in self.milestone_items.values():
            strips.setdefault(item.milestone.lane_id, []).append(item)
        for row in strips.values():
            row.sort(key=xs.__getitem__)
            for a, b in zip(row, row[1:] + [None]):
                if near is not None and not near[0] <= xs[a] <= near[1]:
                    continue
                gap = (xs[b] - xs[a] - 12) if b is not None else 230.0
                if gap != a.label_width:
                    a.label_width = max(0.0, min(230.0, gap))
                    a.update()

    def _update_scene_rect(self) -> None:
        lo, hi = self._extent
        for item in self.card_items.values():
            card = item.card
            assert card.start is not None and card.end is not None
            lo = min(lo, card.start, card.end)
            hi = max(hi, card.start, card.end)
        for m in self.milestone_items.values():
            lo, hi = min(lo, m.milestone.date), max(hi, m.milestone.date)
        self._extent = (lo, hi)
        self._apply_extent()

    def _grow_extent(self, cards: Iterable[Card]) -> None:
        lo, hi = self._extent
        for c in cards:
            if c.start is not None and c.end is not None:
                lo, hi = min(lo, c.start, c.end), max(hi, c.start, c.end)
        if (lo, hi) != self._extent:
            self._extent = (lo, hi)
            self._apply_extent()

    def _apply_extent(self, now: bool = False) -> None:
        lo, hi = self._extent
        scale = self.time_scale
        x0 = scale.x_for_date(dates.add_months(lo, -3))
        x1 = scale.x_for_date(dates.add_months(hi, 6))
        bottom = (self.box_list[-1].bottom if self.box_list else MILESTONE_STRIP) + 200
        self.extent_rect = QRectF(x0, 0, x1 - x0, bottom)
        # The item index is rebuilt whenever the scene rect changes, which costs a call per
        # card; so the scene rect only grows in steps (views scroll over extent_rect instead).
        index = self.sceneRect()
        self._index_due = False
        if not index.contains(self.extent_rect) or index.width() > 8 * self.extent_rect.width() \
                or index.height() > self.extent_rect.height() + 8000:  # fmt: skip
            if self.live and not now:  # not at every step of a zoom while views stay inside
                self._index_due = True
            else:
                self.setSceneRect(QRectF(2 * x0, 0, 2 * (x1 - x0), bottom + 2000))
        self.dependency_layer.set_rect(self.sceneRect())
        self.bar_layer.set_rect(self.sceneRect())
        self.extent_changed.emit(self.extent_rect)

    def set_px_per_day(self, px_per_day: float) -> None:
        """Zoom: re-place every item along x (y and stacking stay as they are)."""
        new = self.time_scale.with_zoom(px_per_day)
        if new == self.time_scale:
            return
        self.time_scale = new
        if self.views():  # bars are placed once the zoom stops; until then BarLayer paints them
            self._pending.update(self.lane_keys)
            self._near.clear()
            self._begin_live()
            self._milestones_due = True  # placed once the view has scrolled to the new x
        else:
            self._place_lanes(self.lane_keys)
            self._place_milestones()
        self._apply_extent()
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self.update()

    # ----- incremental updates

    def apply_changes(self, changes: Sequence[Change]) -> None:
        """Update the items the committed changes touched; rebuild only on a plan or lens swap."""
        self.end_live()
        self._apply_changes(changes)
        if self._touches_dependencies(changes):
            self.invalidate_dependencies()
            self._link_dependencies()

    def _touches_dependencies(self, changes: Sequence[Change]) -> bool:
        """Whether arrows came or went, or a card with an arrow changed (its dates decide
        whether the arrow is violated; it may have left the timeline)."""
        ids: set[int] = set()
        for c in changes:
            if c.entity in ("dependency", "plan", "view") or c.op == "reset":
                return True
            if c.entity == "card":
                ids.update(c.ids)
        return not self._dep_ids.isdisjoint(ids)

    def _apply_changes(self, changes: Sequence[Change]) -> None:
        self._index.clear()
        self._dep_ends = None
        entities = {c.entity for c in changes}
        if any(c.op == "reset" for c in changes) or "plan" in entities:
            self.rebuild()
            return
        if "objective" in entities:
            self.objectives = {o.id: o for o in self.roadmap.objectives()}
            for styled in self.card_items.values():
                self._style_item(styled)
            self.refresh_items()
        if "lane" in entities:
            self._refresh_lanes()
        if "roadmap" in entities:
            self.info = self.roadmap.info()
            self.update()
        if "view" in entities:
            view = getattr(self.document, "active_view", None)
            if view is not None and any(view.id in c.ids or not c.ids for c in changes
                                        if c.entity == "view"):  # fmt: skip
                try:
                    fresh = self.roadmap.view(view.id)
                except Exception:
                    fresh = None
                self.lens = Lens.from_view(fresh)
                self.rebuild()
                return
        card_ids: set[int] = set()
        removed: set[int] = set()
        for c in changes:
            if c.entity == "card":
                if c.op == "removed":
                    removed.update(c.ids)
                else:
                    card_ids.update(c.ids)
        touched: dict[int, set[int]] = {}  # lane -> cards that joined, moved in or left it
        for cid in removed:
            self.backlog.pop(cid, None)
            self._backlog_counts = None
            item = self.card_items.pop(cid, None)
            if item is not None:
                key = self.lane_key(item.card)
                self.by_lane.get(key, set()).discard(cid)
                touched.setdefault(key, set()).add(cid)
                self._edge_items.discard(item)
                self.removeItem(item)
        if card_ids:
            fresh = self.roadmap.cards_by_id(card_ids - removed)
            for cid in card_ids - removed:
                card = fresh.get(cid)
                self.backlog.pop(cid, None)
                self._backlog_counts = None
                if card is not None and not self._shows(card):
                    self._note_backlog(card)
                item = self.card_items.get(cid)
                if item is not None:
                    old_key = self.lane_key(item.card)
                    self.by_lane.get(old_key, set()).discard(cid)
                    touched.setdefault(old_key, set()).add(cid)
                    if card is None or not self._shows(card):
                        del self.card_items[cid]
                        self._edge_items.discard(item)
                        self.removeItem(item)
                        continue
                    item.card = card
                    self._style_item(item)
                    item.update()
                elif card is not None and self._shows(card):
                    item = self._add_card_item(card)
                else:
                    continue
                key = self.lane_key(card)
                self.by_lane.setdefault(key, set()).add(cid)
                touched.setdefault(key, set()).add(cid)
            self._grow_extent(fresh.values())
        if "dependency" in entities or removed:
            self.deps = self.roadmap.dependencies()
            self.update()
        if touched:
            self._relayout(set(touched), touched)
            if self.deps:
                self.update()
        if "milestone" in entities:
            for mitem in list(self.milestone_items.values()):
                self.removeItem(mitem)
            self.milestone_items.clear()
            for m in self.roadmap.milestones():
                self._add_milestone_item(m)
            strips = {b.lane_id for b in self.box_list if b.strip}
            marked = {i.milestone.lane_id for i in self.milestone_items.values()}
            if strips != {k for k in self.lane_keys if k in marked
                          and not (k in self.lanes_by_id and self.lanes_by_id[k].collapsed)}:
                self._relayout(None)  # a lane gained or lost its milestone strip
            else:
                self._place_milestones()

    def _refresh_lanes(self) -> None:
        """Lanes were added, removed, renamed, recoloured, collapsed or reordered."""
        self._index.clear()
        self._dep_ends = None
        old_lanes = self.lanes_by_id
        self._read_lanes()
        recolour = {k for k, lane in self.lanes_by_id.items()
                    if k not in old_lanes or old_lanes[k].color != lane.color}  # fmt: skip
        by_lane: dict[int, set[int]] = {}
        for cid, item in self.card_items.items():
            key = self.lane_key(item.card)
            by_lane.setdefault(key, set()).add(cid)
            if key in recolour or (key == NO_LANE and item.card.lane_id is not None):
                self._style_item(item)
                item.update()
        changed = {k for k in set(by_lane) | set(self.by_lane)
                   if by_lane.get(k, set()) != self.by_lane.get(k, set())}  # fmt: skip
        self.by_lane = by_lane
        for key in changed:
            self._stack(key)
        self.lane_keys = [lane.id for lane in self.lanes] + ([NO_LANE] if by_lane.get(NO_LANE)
                                                            else [])  # fmt: skip
        old_boxes = dict(self.boxes)
        self._place_boxes()
        moved = {k for k, b in self.boxes.items() if old_boxes.get(k) != b} | changed
        collapsed = {k for k, lane in self.lanes_by_id.items()
                     if k in old_lanes and old_lanes[k].collapsed != lane.collapsed}  # fmt: skip
        self._place_lanes(changed | collapsed, now=True)
        self._place_lanes(moved - changed - collapsed)
        self._place_stale_in_view()
        for key in set(old_lanes) - set(self.lanes_by_id):
            self.rows.pop(key, None)
            self.stacks.pop(key, None)
        self._place_milestones()
        self._apply_extent()
        self.layout_changed.emit()
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self.update()

    def enable_item_cache(self) -> None:
        """Bars keep a picture of themselves per view, so a repaint of the window is a copy."""
        self._cache_items = True
        for item in self.card_items.values():
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _cache_again(self) -> None:
        """Bars resized by a zoom keep a picture of themselves again: at every step of a zoom
        a picture would be made only to be thrown away at the next one."""
        uncached = self._uncached
        if not self._cache_items:
            uncached.clear()
            return
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
        for _ in range(min(len(uncached), 2000)):  # a few ms per turn of the event loop
            item = uncached.pop()
            if item.scene() is self:
                item.setCacheMode(cached)
        if uncached:
            self._recache.start(0)

    def refresh_items(self, ids: Iterable[int] | None = None) -> None:
        """Repaint bars whose look changed without a move (all when ``ids`` is None).

        Their cached pictures are dropped, not just repainted: Qt keeps the picture of a bar
        the view cuts and would repaint only part of it (a title left at its old size)."""
        items = self.card_items
        uncached = self._uncached
        for item in (items.values() if ids is None else (items[i] for i in ids if i in items)):
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
                uncached.add(item)
            item.update()
        if uncached and self._cache_items:
            self._recache.start(250)
        self.update()

    def set_hover(self, card_id: int | None) -> None:
        """The card under the pointer: outlined, with its dependency handle showing."""
        if card_id == self.hover_id:
            return
        for cid in (self.hover_id, card_id):
            item = self.card_items.get(cid) if cid is not None else None
            if item is not None:
                item.update()
        self.hover_id = card_id

    def set_view_left(self, x: float | None, top: float, bottom: float) -> None:
        """Bars cut by a view's left edge show their title from that edge."""
        if self.live:  # the bar items are looked at once the zoom stops
            self.live_left = x
            self._live_view = None if x is None else (x, top, bottom)
            return
        self._live_prep.start()  # the titles now in view, ahead of a zoom
        old, self.view_left = self.view_left, x
        candidates: set[CardItem] = set(self._edge_items) if old != x else set()
        if x is not None:  # bars at the edge, also those scrolled in from above or below
            for item in self.items(QRectF(x, top, 1, bottom - top),
                                   Qt.ItemSelectionMode.IntersectsItemBoundingRect):  # fmt: skip
                if isinstance(item, CardItem):
                    candidates.add(item)
        for item in candidates:
            if item.title_from != item.title_start(x):
                item.forget_picture()  # its cached picture has the title elsewhere
                item.title_from = None
                self._edge_items.discard(item)

    def set_drag_label(self, pos: QPointF | None, text: str) -> None:
        """The dates being dragged to, drawn beside the pointer (None hides it)."""
        old = self._drag_label
        self._drag_label = (pos, text) if pos is not None else None
        for label in (old, self._drag_label):
            if label is not None:
                self.update(render.label_rect(label[0], label[1], self.theme))

    def set_lens(self, lens: Lens) -> None:
        self.lens = lens
        self.rebuild()

    # ----- geometry queries

    def lane_rect_scene(self, lane_id: int | None) -> QRectF:
        """The lane's band in scene coordinates; empty when the lane is not shown."""
        box = self.boxes.get(NO_LANE if lane_id is None else lane_id)
        if box is None:
            return QRectF()
        r = self.extent_rect
        return QRectF(r.left(), box.top, r.width(), box.height)

    def content_rect(self) -> QRectF:
        """What an export shows: every dated card and milestone plus a margin, every lane."""
        lo, hi = self._extent
        if self.lens.date_from:
            lo = max(lo, self.lens.date_from) if self.card_items else self.lens.date_from
        if self.lens.date_to:
            hi = min(hi, self.lens.date_to) if self.card_items else self.lens.date_to
        if hi < lo:
            lo, hi = hi, lo
        lo = dates.month_start(lo)
        hi = dates.add_days(dates.add_months(dates.month_start(hi), 1), -1)
        x0 = self.time_scale.x_for_date(lo)
        x1 = self.time_scale.x_after(hi)
        bottom = self.box_list[-1].bottom if self.box_list else MILESTONE_STRIP + 40
        return QRectF(x0, 0, x1 - x0, bottom)

    def lane_at(self, y: float) -> LaneBox | None:
        return lane_at(self.box_list, y)

    def card_bar_scene(self, card_id: int) -> QRectF:
        item = self.card_items.get(card_id)
        if item is not None and self.lane_key(item.card) in self._pending:
            self._place_lanes([self.lane_key(item.card)], now=True)
        if item is None or not item.isVisible():
            return QRectF()
        return item.mapRectToScene(item.bar_rect())

    def lane_labels(self, y0: float, height: float) -> list[render.LaneLabel]:
        """Lane names with their tops relative to ``y0`` (the scene y at the target's top)."""
        result = []
        for box in self.box_list:
            if box.bottom < y0 or box.top > y0 + height:
                continue
            lane = self.lanes_by_id.get(box.lane_id)
            name = lane.name if lane else "No lane"
            color = lane.color if lane else NO_LANE_COLOR
            dimmed = self.spotlight is not None and self.spotlight != box.lane_id
            count = self.lane_counts.get(box.lane_id, 0)
            result.append(render.LaneLabel(name, box.top - y0, box.height, color,
                                           bool(lane and lane.collapsed), count, dimmed,
                                           backlog=self.backlog_count(box.lane_id)))
        return result

    # ----- zooming

    def _begin_live(self) -> None:
        """A zoom step: the bars are painted by BarLayer until no step came for a moment."""
        self._live_end.start(_ZOOM_SETTLE_MS)
        if self.live:
            return
        self.live = True
        self.live_left = self.view_left
        self._live_view = None
        self._idle.stop()
        self.bar_layer.setVisible(True)
        self.live_changed.emit(True)

    def end_live(self) -> None:
        """The zoom stopped, or something needs the bar items where they belong (the mouse, a
        key, an edit): place the bars in view and let them paint themselves again."""
        if not self.live:
            return
        self._live_end.stop()
        self.live = False
        self.bar_layer.setVisible(False)
        no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for item in self._muted:
            item.setFlag(no_contents, False)
        self._muted.clear()
        self._muted_areas = []
        self._dep_geo = None
        if self._index_due:
            self._apply_extent()
        self._place_milestones()  # those a zoom left where they were
        self.place_pending()
        if self._live_view is not None:
            self.set_view_left(*self._live_view)
        self._live_view = None
        if self._pending and not self._idle.isActive():
            self._idle.start()
        self.live_changed.emit(False)
        self.update()

    def _mute_in_view(self) -> None:
        """Bar items in the views still sit where an earlier zoom left them (or hold a cached
        picture of that): they paint nothing until the zoom stops."""
        muted = self._muted
        no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        areas = [v.mapToScene(v.viewport().rect()).boundingRect() for v in self.views()]
        if areas == self._muted_areas:
            return  # the items there are muted already: none moves during a zoom
        self._muted_areas = areas
        for area in areas:
            for item in self.items(area.adjusted(-render.HANDLE - 2, -8, render.HANDLE + 2, 8),
                                   Qt.ItemSelectionMode.IntersectsItemBoundingRect):  # fmt: skip
                if isinstance(item, CardItem) and item not in muted:
                    item.setFlag(no_contents, True)
                    muted.add(item)

    def paint_live_bars(self, painter: QPainter, rect: QRectF, stamps: float) -> None:
        """During a zoom, every bar in ``rect`` where it belongs at this zoom (BarLayer)."""
        ppd = self.time_scale.px_per_day
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        # A bar's picture reaches past its bar: the handles, the selection and link dot.
        reach_left, reach_right = render.HANDLE + 2, render.HANDLE + 4 + render.LINK_HANDLE
        view_left = self.live_left
        edge = self.view_left if view_left is None else view_left  # as CardItem.paint_bar reads it
        lanes, rows_of, min_bar = self.lanes_by_id, self.rows, render.MIN_BAR
        # Bars with nothing of their own to show (no selection, hover, highlight, flag, change
        # badge, fading or subtitle: nearly all) take the short way, the others their item's.
        theme, fields, height = self.theme, self.lens.fields, float(BAR_HEIGHT)
        plain_lens = self.spotlight is None and not _SUBTITLE_FIELDS.intersection(fields)
        marked = {i.card_id for i in self.selectedItems() if isinstance(i, CardItem)}
        marked.update(self.highlight, self.badges)
        if self.hover_id is not None:
            marked.add(self.hover_id)
        plain_card = render.paint_plain_card
        first = math.floor((left - reach_right - min_bar) / ppd)
        last = math.ceil((right + reach_left) / ppd)
        for box in self.box_list:
            if box.bottom < top - 8 or box.top > bottom + 8:
                continue
            key = box.lane_id
            lane = lanes.get(key)
            if lane is not None and lane.collapsed:
                continue
            starts, ordered, longest = self._lane_index(key)
            rows = rows_of.get(key, {})
            for item in ordered[bisect.bisect_left(starts, first - longest):
                                bisect.bisect_right(starts, last)]:  # fmt: skip
                d0, d1 = item.span
                x0 = d0 * ppd
                width = d1 * ppd - x0
                if width < min_bar:
                    width = min_bar
                if x0 - reach_left > right or x0 + width + reach_right < left:
                    continue
                y = card_y(box, rows.get(item.card_id, 0))
                if y - 6 > bottom or y + BAR_HEIGHT + 6 < top:
                    continue
                if plain_lens and not item.flagged and item.card_id not in marked:
                    card = item.card
                    plain_card(painter, x0, y, width, height, card.title, item.color, theme,
                               card.status, card.estimate, fields,
                               None if edge is None else edge - x0, stamps)  # fmt: skip
                    continue
                painter.translate(x0, y)
                item.paint_bar(painter, self, x0, width, stamps, view_left)
                painter.translate(-x0, -y)

    def _forget_live_arrows(self) -> None:
        self._live_arrows = None
        self._live_prep.start()

    def _prepare_live(self) -> None:
        """Ahead of a zoom, once the view is still: the arrows' geometry, and the kept
        pictures of the titles in view (making them at the zoom's first step cost 6 ms)."""
        if self.live:
            return
        if self._live_arrows is None and self.deps and self.shows_dependencies():
            self._build_live_arrows()
        if "title" not in self.lens.fields:
            return
        for view in self.views():
            area = view.mapToScene(view.viewport().rect()).boundingRect()
            bars = [(item.card.title, item.color, item.card.status)
                    for item in self.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
                    if isinstance(item, CardItem) and item.shown]  # fmt: skip
            render.prepare_titles(bars, self.theme, float(BAR_HEIGHT), view.devicePixelRatioF())

    def _build_live_arrows(self) -> None:
        if self._dep_pairs_stale:
            self._link_dependencies()
        arrows = []
        half = BAR_HEIGHT / 2
        for a, b, violated in self._dep_pairs:
            ka, kb = self.lane_key(a.card), self.lane_key(b.card)
            ba, bb = self.boxes.get(ka), self.boxes.get(kb)
            la, lb = self.lanes_by_id.get(ka), self.lanes_by_id.get(kb)
            if ba is None or bb is None or (la is not None and la.collapsed) \
                    or (lb is not None and lb.collapsed):  # fmt: skip
                continue
            ya = card_y(ba, self.rows.get(ka, {}).get(a.card_id, 0)) + half
            yb = card_y(bb, self.rows.get(kb, {}).get(b.card_id, 0)) + half
            (a0, a1), (b0, _) = self._span(a), self._span(b)
            arrows.append((min(ya, yb) - 30, max(ya, yb) + 30, ya, yb, a0, a1, b0, violated))
        self._live_arrows = arrows

    def _live_dependency_geometry(self, rect: QRectF) -> list[_ArrowGeometry]:
        """The arrows in ``rect`` where the bars they join belong at this zoom (their rows
        stay put during a zoom, so only their x is worked out per step)."""
        if self._live_arrows is None:
            self._build_live_arrows()
        assert self._live_arrows is not None
        ppd = self.time_scale.px_per_day
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        geo = []
        min_bar = render.MIN_BAR
        for y0, y1, sy, ey, a0, a1, b0, violated in self._live_arrows:
            if y1 <= top or y0 >= bottom:
                continue
            sx = max(a0 * ppd + min_bar, a1 * ppd)
            ex = b0 * ppd
            x0, x1 = (sx, ex) if sx < ex else (ex, sx)
            if x1 + 30 > left and x0 - 30 < right:
                geo.append((x0 - 30, y0, x1 + 30, y1, sx, sy, ex, ey, violated))
        return geo

    # ----- painting

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        rect = QRectF(rect)
        bands = [render.Band(b.top, b.height, self.lanes_by_id[b.lane_id].color
                             if b.lane_id in self.lanes_by_id else NO_LANE_COLOR, i,
                             self.spotlight is not None and self.spotlight != b.lane_id)
                 for i, b in enumerate(self.box_list)
                 if b.bottom >= rect.top() and b.top <= rect.bottom()]  # fmt: skip
        render.paint_lane_bands(painter, rect, bands, self.theme)
        info = self.info
        if self.show_sprints:
            render.paint_sprint_bands(painter, rect, self.time_scale, info.sprint_start,
                                      info.sprint_length, self.theme)  # fmt: skip
        render.paint_grid(painter, rect, self.time_scale, self.theme, self.show_sprints,
                          info.sprint_start, info.sprint_length, info.week_start,
                          self.lens.precision)  # fmt: skip
        bottom = self.box_list[-1].bottom if self.box_list else rect.bottom()
        x = self.time_scale.x_for_date(self.today)
        if rect.left() - 2 <= x <= rect.right() + 2:
            render.paint_today_line(painter, x, rect.top(), min(rect.bottom(), bottom), self.theme)

    def shows_dependencies(self) -> bool:
        """Arrows join exact days; a view that rounds to months or quarters leaves them out,
        as rounded bars would draw them backwards (a quarter's end to the same quarter's start)."""
        return not self.lens.fuzzy

    def _dependency_geometry(self) -> list[_ArrowGeometry]:
        """Each shown arrow's box (left, top, right, bottom, margin included), its ends and
        whether it is violated; worked out again only after a bar moved or the arrows changed."""
        if self._dep_geo is not None and self._dep_geo_epoch == Epoch.value:
            return self._dep_geo
        if self._dep_pairs_stale:
            self._link_dependencies()
        geo = []
        half = BAR_HEIGHT / 2
        pending = self._pending
        if pending and self._dep_ends is None:
            self._dep_ends = [(a, b, self.lane_key(a.card), self.lane_key(b.card))
                              for a, b, _ in self._dep_pairs]  # fmt: skip
        for i, (a, b, violated) in enumerate(self._dep_pairs):
            if not a.shown or not b.shown:
                continue
            sx, sy = a.scene_x + a.width, a.scene_y + half
            ex, ey = b.scene_x, b.scene_y + half
            if pending and self._dep_ends is not None:
                # An end whose lane waits to be placed is drawn where its bar belongs: that
                # bar is off screen (bars in view are placed at once) and may still sit where
                # an earlier zoom left it.
                _, _, ka, kb = self._dep_ends[i]
                if ka in pending:
                    end = self._true_bar(a, ka)
                    if end is None:
                        continue
                    sx, sy = end[0] + end[2], end[1] + half
                if kb in pending:
                    end = self._true_bar(b, kb)
                    if end is None:
                        continue
                    ex, ey = end[0], end[1] + half
            x0, x1 = (sx, ex) if sx < ex else (ex, sx)
            y0, y1 = (sy, ey) if sy < ey else (ey, sy)
            geo.append((x0 - 30, y0 - 30, x1 + 30, y1 + 30, sx, sy, ex, ey, violated))
        self._dep_geo, self._dep_geo_epoch = geo, Epoch.value
        self._dep_shapes = {}
        return geo

    def _true_bar(self, item: CardItem, key: int) -> tuple[float, float, float] | None:
        """Where a bar belongs (x, y, width) at this zoom, placed or not; None when its lane is
        not shown (collapsed or hidden by the view)."""
        box = self.boxes.get(key)
        lane = self.lanes_by_id.get(key)
        if box is None or (lane is not None and lane.collapsed):
            return None
        d0, d1 = self._span(item)
        ppd = self.time_scale.px_per_day
        x0 = d0 * ppd
        return x0, card_y(box, self.rows.get(key, {}).get(item.card_id, 0)), \
            max(float(render.MIN_BAR), d1 * ppd - x0)  # fmt: skip

    def _link_dependencies(self) -> None:
        """Which bars each arrow joins, and whether it is violated (again after every edit)."""
        self._forget_live_arrows()
        for old_a, old_b, _ in self._dep_pairs:
            old_a.linked = old_b.linked = False
        items = self.card_items
        pairs = []
        self._dep_ids = {d.before_id for d in self.deps} | {d.after_id for d in self.deps}
        for dep in self.deps:
            a, b = items.get(dep.before_id), items.get(dep.after_id)
            if a is None or b is None:
                continue
            ca, cb = a.card, b.card
            violated = bool(ca.end and cb.start and cb.start <= max(ca.end, ca.start or ca.end))
            pairs.append((a, b, violated))
            a.linked = b.linked = True
        self._dep_pairs = pairs
        self._dep_pairs_stale = False
        self._dep_ends = None
        self._dep_geo = None

    def invalidate_dependencies(self) -> None:
        """Bars or arrows changed in a way the arrows' cached geometry cannot see."""
        self._dep_geo = None
        self._dep_pairs_stale = True

    def paint_dependencies(self, painter: QPainter, rect: QRectF) -> None:
        """Arrows from a predecessor's bar end to its successor's bar start (under the bars)."""
        if not self.deps or not self.shows_dependencies():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        raster = render.stamp_ratio(painter) > 0  # a screen or an unscaled image
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        theme = self.theme
        if self.live:  # every arrow moves at the next step: none is kept
            geometry, shapes = self._live_dependency_geometry(rect), {}
        else:
            geometry = self._dependency_geometry()
            shapes = self._dep_shapes  # kept until the arrows' geometry is worked out again
        for i, (x0, y0, x1, y1, sx, sy, ex, ey, violated) in enumerate(geometry):
            if x1 <= left or x0 >= right or y1 <= top or y0 >= bottom:
                continue
            start, end = QPointF(sx, sy), QPointF(ex, ey)
            shape = shapes.get(i)
            if shape is None:
                shape = shapes[i] = render.dependency_shape(start, end)
            render.paint_dependency(painter, start, end, theme, violated, shape, raster)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        rect = QRectF(rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for ghost in self.ghosts:
            gbox = self.boxes.get(ghost.lane_id if ghost.lane_id in self.boxes else NO_LANE)
            if gbox is None:
                continue
            s, e = dates.ordered(ghost.start, ghost.end)
            x0 = self.time_scale.x_for_date(s)
            row = 0
            current = self.card_items.get(ghost.card_id)
            if current is not None and self.boxes.get(self.lane_key(current.card)) is gbox:
                row = self.rows.get(gbox.lane_id, {}).get(ghost.card_id, 0)
            g = QRectF(x0, card_y(gbox, row), max(render.MIN_BAR, self.time_scale.x_after(e) - x0),
                       BAR_HEIGHT)  # fmt: skip
            render.paint_ghost(painter, g, self.card_bar_scene(ghost.card_id), self.theme)
        if self.link_preview is not None:
            render.paint_dependency(painter, self.link_preview[0], self.link_preview[1],
                                    self.theme)  # fmt: skip
        if self.drop_preview is not None:
            render.paint_ghost(painter, self.drop_preview, None, self.theme)
        if self._drag_label is not None:
            render.paint_label(painter, self._drag_label[0], self._drag_label[1], self.theme)
