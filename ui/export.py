"""Export the roadmap as PNG, PDF or SVG and print it: one picture, laid out on pages or an image.

Units: a picture unit is one point on paper and one pixel in a PNG at scale 1 (96 dpi). The
picture is the time header, the lane names and the body (lanes, bars, milestones) of a lens over
one date window; pages repeat the title, the header, the lane names and the legend.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)

from planner import dates
from planner.layout import BAR_HEIGHT, LANE_PADDING, ROW_HEIGHT, ZOOM_PRESETS, lane_at
from planner.lens import MONTHS, Lens, legend, month_start
from planner.model import Card, View
from planner.store import Roadmap
from ui import render
from ui.legend import legend_height, paint_legend
from ui.timeline.items import CardItem
from ui.timeline.scene import MILESTONE_STRIP

# Image size cap: Qt would otherwise try to allocate a huge QImage and die.
MAX_SIDE_PX = 16_384
MAX_MEGAPIXELS = 200
# Text on paper must stay readable: no font below this many points.
MIN_TEXT_PT = 6.0
# The smallest pixel size ui.render draws text at in an export: lane card counts and estimate
# badges (10 px; titles, the time header and lane names are 12, milestone labels 11).
SCENE_MIN_FONT = 10.0
PNG_BASE_DPI = 96.0
PAGE_SIZES = {
    "A4": QPageSize.PageSizeId.A4,
    "A3": QPageSize.PageSizeId.A3,
    "LETTER": QPageSize.PageSizeId.Letter,
    "LEGAL": QPageSize.PageSizeId.Legal,
    "TABLOID": QPageSize.PageSizeId.Tabloid,
}
FORMATS = ("png", "pdf", "svg")

# Frame geometry in frame units: points on paper, pixels in an image at scale 1.
TITLE_H = 40.0
FOOTER_H = 14.0
IMAGE_PAD = 12.0  # white border around a PNG or SVG
PX_PER_PT = 96 / 72  # an image at 1x is 96 dpi
# A window pixel is 0.75 pt at 96 dpi: tiled pages print the timeline at its size on screen.
TILE_SCALE = 0.75
MAX_FIT_SCALE = 1.0

INK = QColor("#1f2328")
MUTED = QColor("#57606a")


class ExportError(Exception):
    """The export cannot be made as asked; the message says why and what to do."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    # Unhinted metrics match the scaled vector text on paper.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No ligatures: "ff" drawn as one glyph is not found when searching the PDF for "Buffer".
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def format_day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how; the same for the dialog, the CLI and printing."""

    format: str = "pdf"
    scale: float = 1.0
    dpi: int | None = None
    page_size: str = "A4"
    orientation: str = "landscape"
    fit: str = "page"
    margin_mm: float = 10.0
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    title: str | None = None
    changes_since: str | None = None

    @property
    def png_scale(self) -> float:
        return self.dpi / PNG_BASE_DPI if self.dpi else self.scale


@dataclass
class ExportResult:
    path: Path | None
    pages: int = 1
    size: tuple[int, int] = (0, 0)
    notes: list[str] = field(default_factory=list)


# ----- the picture: the timeline scene of one view over one date window


class _Source:
    """What the timeline scene reads from a document: the file and the view to show."""

    def __init__(self, roadmap: Roadmap, view: View | None) -> None:
        self.roadmap = roadmap
        self.active_view = view


def window_view(view: View | None, date_from: dt.date | None,
                date_to: dt.date | None) -> View | None:  # fmt: skip
    """The view with its date window replaced by the asked one (None: everything)."""
    if date_from is None and date_to is None:
        return view
    settings = dict(view.settings) if view is not None else {}
    if date_from is not None:
        settings["date_from"] = date_from.isoformat()
    if date_to is not None:
        settings["date_to"] = date_to.isoformat()
    name = view.name if view is not None else Lens().name
    return View(id=view.id if view is not None else -1, name=name, settings=settings)


class RoadmapPicture:
    """The window's timeline scene for one view and date window, with its header and lane names.

    Scene units are the window's pixels; pages scale them. The body is the scene rectangle from
    the first to the last day shown and from the top to the last lane.
    """

    def __init__(self, roadmap: Roadmap, view: View | None, *, title: str, subtitle: str,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 today: dt.date | None = None,
                 px_per_day: float = ZOOM_PRESETS["months"]) -> None:  # fmt: skip
        from ui.timeline.scene import TimelineScene

        ensure_app()  # a graphics scene without a QApplication crashes
        self.title = title
        self.subtitle = subtitle
        self.today = today or dt.date.today()
        shown = window_view(view, date_from, date_to)
        self.lens = Lens.from_view(shown)
        self.scene = TimelineScene(_Source(roadmap, shown), px_per_day=px_per_day)
        self.scene.today = self.today
        self.scene.theme.font = _font(12)
        self.theme = self.scene.theme
        self.info = roadmap.info()
        cards = roadmap.cards()
        self.legend_items = legend(self.lens, [c for c in cards if c.scheduled],
                                   roadmap.lanes(), roadmap.objectives())  # fmt: skip
        self.cards = [item.card for item in self.scene.card_items.values()]
        self.start, self.end = self._window(roadmap)
        self.preferred_ppd = px_per_day
        self.label_w = float(render.LANE_LABEL_WIDTH)
        self.header_h = float(render.HEADER_HEIGHT)
        self.x0 = self.x1 = 0.0
        # (milestone id, page right edge) of labels moved left of their diamond on a page
        self._moved_labels: set[tuple[int, float]] = set()
        self.set_px_per_day(px_per_day)

    def _window(self, roadmap: Roadmap) -> tuple[dt.date, dt.date]:
        """The first and last day shown: the asked window, else the data's, in whole months."""
        lens = self.lens
        days = [d for c in self.cards for d in self.scene.bar_dates(c)]
        days += [m.milestone.date for m in self.scene.milestone_items.values()]
        lo = lens.date_from or (min(days) if days else self.today.replace(day=1))
        hi = lens.date_to or (max(days) if days else lo + dt.timedelta(days=90))
        if lens.date_from is None:
            lo = month_start(lo)
        if lens.date_to is None:
            hi = month_start(hi + dt.timedelta(days=32)) - dt.timedelta(days=1)
        return lo, max(lo, hi)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def px_per_day(self) -> float:
        return float(self.scene.time_scale.px_per_day)

    def set_px_per_day(self, px_per_day: float) -> None:
        """Zoom the scene and recompute the body's x range (milestone labels included)."""
        self.scene.set_px_per_day(px_per_day)
        scale = self.scene.time_scale
        self.x0 = scale.x_for_date(self.start)
        self.x1 = scale.x_after(self.end)
        if self.lens.date_from is None:
            self.x0 -= 10  # a milestone diamond on the first day
        if self.lens.date_to is None:
            for left, right in self._label_spans(beside=False):
                if left < self.x1:
                    self.x1 = max(self.x1, right + 4)

    @property
    def extra_w(self) -> float:
        """Scene width that does not scale with the zoom (margins for labels)."""
        return (self.x1 - self.x0) - self.days * self.px_per_day

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        boxes = self.scene.box_list
        return float(boxes[-1].bottom if boxes else MILESTONE_STRIP + 40)

    def fit_px_per_day(self, body_w: float) -> float:
        """The zoom at which the body is ``body_w`` scene units wide."""
        for _ in range(3):
            ppd = max(0.05, (body_w - self.extra_w) / self.days)
            self.set_px_per_day(ppd)
        return self.px_per_day

    def _label_spans(self, beside: bool = True) -> list[tuple[float, float]]:
        """Where text sits along x: card titles in or (``beside``) right of their bars when
        too long for them, milestone labels beside their diamonds."""
        spans: list[tuple[float, float]] = []
        card_font = QFont(self.theme.font)
        card_font.setPixelSize(max(9, int(BAR_HEIGHT * 0.5)))
        fm = QFontMetricsF(card_font)
        for item in self.scene.card_items.values():
            if not item.isVisible():
                continue
            x = item.pos().x()
            text_w = fm.horizontalAdvance(item.card.title[:400])
            if render.HANDLE + 20 + text_w <= item.width or not beside:
                spans.append((x, x + min(item.width, render.HANDLE + 20 + text_w)))
            else:  # the title goes beside the bar
                spans.append((x, x + item.width + 6 + text_w))
        ms_font = QFont(self.theme.font)
        ms_font.setPixelSize(11)
        ms_font.setBold(True)
        fm = QFontMetricsF(ms_font)
        for mitem in self.scene.milestone_items.values():
            x = mitem.pos().x()
            spans.append((x - 10, x + 12 + min(220.0, fm.horizontalAdvance(mitem.milestone.title))))
        return spans

    def x_breaks(self, body_w: float) -> list[float]:
        """Page edges along x, each page at most body_w wide: where the fewest titles are cut,
        on a month boundary if possible, else a week's or a day's, else beside a title."""
        spans = self._label_spans()
        scale = self.scene.time_scale
        candidates: list[tuple[int, float]] = []
        for rank, unit in enumerate(("month", "week", "day")):
            for tick in dates.iter_ticks(unit, self.start, self.end,
                                         week_start=self.info.week_start):  # fmt: skip
                candidates.append((rank, scale.x_for_date(tick.start)))
        candidates += [(3, edge) for span in spans for edge in span]  # just before or after a text
        starts = sorted(a for a, _ in spans)
        ends = sorted(b for _, b in spans)

        def cuts(edge: float) -> int:
            # spans with a < edge < b: those started before the edge less those ended by it
            return bisect_left(starts, edge) - bisect_right(ends, edge)

        breaks: list[float] = []
        x = self.x0
        while self.x1 - x > body_w + 0.01:
            lo, hi = x + body_w * 0.5, x + body_w
            scored = [(cuts(edge), rank, -edge)
                      for rank, edge in candidates if lo < edge <= hi]  # fmt: skip
            x = -min(scored)[2] if scored else hi
            breaks.append(x)
        return breaks

    def y_breaks(self) -> list[float]:
        """Where a page may end along y: between lanes and between rows of cards."""
        result = [0.0, float(MILESTONE_STRIP)]
        for box in self.scene.box_list:
            y = box.rows_top + ROW_HEIGHT
            while y < box.bottom - LANE_PADDING - 1:
                result.append(y)
                y += ROW_HEIGHT
            result.append(box.bottom)
        return sorted(set(result))

    # ----- painting, in scene units

    def paint_header(self, p: QPainter, x0: float, x1: float, at: QPointF) -> None:
        """The time header for scene x from x0 to x1, with its top-left at ``at``."""
        info = self.info
        render.paint_time_header(
            p, QRectF(at.x(), at.y(), x1 - x0, self.header_h), self.scene.time_scale, x0,
            self.theme, sprint_start=info.sprint_start, sprint_length=info.sprint_length,
            week_start=info.week_start, today=self.today, precision=self.lens.precision,
        )  # fmt: skip

    def paint_lane_labels(self, p: QPainter, y0: float, y1: float, at: QPointF) -> None:
        """Lane names for scene y from y0 to y1, with their top-left at ``at``."""
        p.save()
        p.translate(at)
        labels = []
        for label in self.scene.lane_labels(y0, y1 - y0):
            if label.top < 0:  # the lane began on the page above: name it at this page's top
                label = replace(label, name=_tr("%1 (continued)").replace("%1", label.name),
                                top=0.0, height=label.height + label.top)  # fmt: skip
            labels.append(label)
        render.paint_lane_labels(p, QRectF(0, 0, self.label_w, y1 - y0), labels, self.theme,
                                 controls=False)  # fmt: skip
        p.restore()

    def paint_body(self, p: QPainter, source: QRectF, at: QPointF) -> None:
        """The scene inside ``source`` (lanes, bars, milestones, arrows), placed at ``at``.

        A title that does not fit in its bar is drawn beside it: right of the bar when the row
        is free up to the next bar, else below it in a free row of the lane. Text that a page
        edge would cut is drawn again inside the page, shortened with an ellipsis. Titles drawn
        here are left out of the scene's own painting (a PDF keeps clipped text).
        """
        left, right = source.left(), source.right()
        cards = []
        for edge in (left, right):
            strip = QRectF(edge - 1, source.top(), 2, source.height())
            for item in self.scene.items(strip):
                if not isinstance(item, CardItem) or not item.isVisible() or item in cards:
                    continue
                x, y = item.pos().x(), item.pos().y()
                if x < edge < x + item.width and source.top() <= y < source.bottom():
                    cards.append(item)
        running_on = {id(i) for i in cards if i.pos().x() + i.width > right}
        beside = self._beside_titles(source, running_on)
        moved = {id(item) for item, _, _ in beside}
        cards = [item for item in cards if id(item) not in moved]
        marks = []
        for mitem in self.scene.milestone_items.values():
            x = mitem.pos().x()
            if x - 10 < right and x + 12 + self._milestone_text_w(mitem.milestone.title) > right \
                    or x < left < x + 250:  # fmt: skip
                marks.append((mitem, mitem.milestone))
        saved = [(item, item.card) for item in cards] + [(item, item.card) for item, _, _ in beside]
        for item, card in saved:
            item.card = replace(card, title="")
        for mitem, m in marks:
            mitem.milestone = replace(m, title="")
        p.save()
        try:
            target = QRectF(at.x(), at.y(), source.width(), source.height())
            p.setClipRect(target, Qt.ClipOperation.IntersectClip)
            self.scene.render(p, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            for item, card in saved:
                item.card = card
            for mitem, m in marks:
                mitem.milestone = m
        p.translate(at.x() - left, at.y() - source.top())
        for item in cards:
            self._paint_cut_title(p, item, item.card, source)
        if beside:
            p.setFont(self._card_font())
            back = QColor(self.theme.background)
            back.setAlpha(200)  # readable over grid lines and arrows
            for _, rect, text in beside:
                box = QRectF(rect.left() - 2, rect.top() + 4, rect.width() + 4, rect.height() - 8)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(back)
                p.drawRoundedRect(box, 3, 3)
                p.setPen(self.theme.text)
                p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        self._paint_cut_milestones(p, marks, source)
        p.restore()

    def _card_font(self) -> QFont:
        font = QFont(self.theme.font)
        font.setPixelSize(max(9, int(BAR_HEIGHT * 0.5)))
        return font

    def _inside_width(self, item: CardItem, visible_w: float, whole: bool) -> float:
        """The width a bar's title gets inside the bar (as ui.render.paint_card leaves it)."""
        if visible_w < 28:
            return 0.0
        avail = visible_w - 2 * (render.HANDLE + 2)
        fields = self.lens.fields
        if whole and item.width >= 110:
            card = item.card
            est = render.fmt_estimate(card.estimate) if "estimate" in fields else ""
            if est:
                badge = QFont(self.theme.font)
                badge.setPixelSize(max(8, int(BAR_HEIGHT * 0.42)))
                avail -= QFontMetricsF(badge).horizontalAdvance(est) + 12
            if card.status and "status" in fields and card.status in render.STATUS_GLYPHS:
                avail -= 12
        return avail if avail > 10 else 0.0

    def _beside_titles(self, source: QRectF,
                       skip: set[int]) -> list[tuple[CardItem, QRectF, str]]:  # fmt: skip
        """Where titles too long for their bar go on this page: (bar, scene rect, text).

        First right of the bar, when its row is free up to the next bar; then below the bar, in
        the lane's next row where nothing else is; else wherever more of it shows than inside.
        Nothing is placed over a bar, a milestone label or another placed title, or past the
        page's edge.
        """
        if "title" not in self.lens.fields:
            return []
        fm = QFontMetricsF(self._card_font())
        lo, hi = source.left() + 2, source.right() - 2
        rows: dict[float, list[tuple[float, float]]] = {}
        shown: list[CardItem] = []
        for item in self.scene.card_items.values():
            if not item.isVisible():
                continue
            y = item.pos().y()
            if not (source.top() <= y < source.bottom()):
                continue
            x = item.pos().x()
            rows.setdefault(round(y, 1), []).append((x, x + item.width))
            if x + item.width > lo and x < hi and id(item) not in skip:
                shown.append(item)
        ms_font = self._milestone_font()
        ms_fm = QFontMetricsF(ms_font)
        marks: list[QRectF] = []
        for mitem in self.scene.milestone_items.values():
            mx, my = mitem.pos().x(), mitem.pos().y()
            label = render.ELIDE.elide(mitem.milestone.title, mitem.label_width - 8, ms_font)
            marks.append(QRectF(mx - 9, my, 19 + (ms_fm.horizontalAdvance(label) + 8
                                                  if label else 0), 19))  # fmt: skip

        def limit(y: float, a: float) -> float:
            """How far right of ``a`` row ``y`` is free (``a`` itself when it is not)."""
            end = hi
            band = QRectF(a, y, max(1.0, end - a), BAR_HEIGHT)
            spans = rows.get(round(y, 1), []) + [(r.left(), r.right()) for r in marks
                                                 if r.intersects(band)]  # fmt: skip
            for x0, x1 in spans:
                if x0 < a + 0.5 < x1:
                    return a
                if x0 >= a:
                    end = min(end, x0 - 6)
            return end

        def lane_bottom(y: float) -> float:
            box = lane_at(self.scene.box_list, y)
            return min(source.bottom(), box.bottom - LANE_PADDING / 2 if box else y)

        todo = []
        for item in sorted(shown, key=lambda i: (i.pos().x(), i.pos().y())):
            x, w = item.pos().x(), item.width
            vis = min(x + w, hi + 2) - max(x, lo - 2)
            inside = self._inside_width(item, vis, x >= lo - 2)
            need = fm.horizontalAdvance(item.card.title[:400].replace("\n", " ")) + 1
            if need > inside:
                todo.append((item, inside, need))
        placed: list[tuple[CardItem, QRectF, str]] = []

        def place(item: CardItem, x: float, y: float, width: float) -> None:
            text = render.ELIDE.elide(item.card.title, width, self._card_font())
            w = min(width, fm.horizontalAdvance(text) + 1)
            rows.setdefault(round(y, 1), []).append((x, x + w))
            placed.append((item, QRectF(x, y, w, BAR_HEIGHT), text))

        rest = []
        for item, inside, need in todo:  # right of the bar, in full
            x, y = item.pos().x() + item.width + 5, item.pos().y()
            if limit(y, x) - x >= need:
                place(item, x, y, need)
            else:
                rest.append((item, inside, need))
        todo, rest = rest, []
        for item, inside, need in todo:  # below the bar, in full
            x, y = max(item.pos().x(), lo), item.pos().y() + ROW_HEIGHT
            if y + BAR_HEIGHT <= lane_bottom(y) and limit(y, x) - x >= need:
                place(item, x, y, need)
            else:
                rest.append((item, inside, need))
        for item, inside, _need in rest:  # wherever most of it shows
            x, y = item.pos().x() + item.width + 5, item.pos().y()
            right_w = limit(y, x) - x
            bx, by = max(item.pos().x(), lo), y + ROW_HEIGHT
            below_w = limit(by, bx) - bx if by + BAR_HEIGHT <= lane_bottom(by) else 0.0
            best = max(right_w, below_w)
            if best >= max(40.0, inside + 24):
                if right_w >= below_w:
                    place(item, x, y, right_w)
                else:
                    place(item, bx, by, below_w)
        return placed

    def _paint_cut_milestones(self, p: QPainter, marks: list[tuple[Any, Any]],
                              source: QRectF) -> None:  # fmt: skip
        """Milestone labels a page edge would cut, in full inside a page.

        On the diamond's page the label moves left of the diamond when there is room; else it
        is shortened there and repeated in full at the next page's left edge.
        """
        left, right = source.left(), source.right()
        font = self._milestone_font()
        fm = QFontMetricsF(font)
        others = [(o.pos().x(), o.pos().y(), o.milestone)
                  for o in self.scene.milestone_items.values()]  # fmt: skip
        for mitem, m in marks:
            x, y = mitem.pos().x(), mitem.pos().y()
            text = render.ELIDE.elide(m.title, 220.0, font)
            w = fm.horizontalAdvance(text)
            if not text:
                continue
            if left <= x - 10:  # the diamond is on this page
                if x + 12 + w + 2 <= right:
                    self._paint_milestone_label(p, x + 12, y, text, font)
                    continue
                at = x - 12 - w
                box = QRectF(at - 4, y, w + 8, 18)
                clear = at - 4 >= left + 2 and not any(
                    oy == y and om.id != m.id and box.intersects(QRectF(
                        ox - 9, oy, 21 + fm.horizontalAdvance(om.title), 18))
                    for ox, oy, om in others)  # fmt: skip
                if clear:
                    self._paint_milestone_label(p, at, y, text, font)
                    self._moved_labels.add((m.id, right))
                    continue
                avail = right - (x + 12) - 2
                short = render.ELIDE.elide(m.title, min(220.0, avail), font)
                if avail > 20 and short:
                    self._paint_milestone_label(p, x + 12, y, short, font)
            elif x + 12 + w > left and (m.id, left) not in self._moved_labels:
                self._paint_milestone_label(p, max(left + 6, x + 12), y, text, font)

    def _paint_milestone_label(self, p: QPainter, x: float, y: float, text: str,
                               font: QFont) -> None:  # fmt: skip
        """A milestone label as the timeline draws it, its text starting at ``x``."""
        w = QFontMetricsF(font).horizontalAdvance(text)
        back = QColor(self.theme.background)
        back.setAlpha(215)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(QRectF(x - 4, y + 1, w + 8, 16), 3, 3)
        p.setFont(font)
        p.setPen(self.theme.text)
        p.drawText(QRectF(x, y, w + 2, 18),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _milestone_font(self) -> QFont:
        font = QFont(self.theme.font)
        font.setPixelSize(11)
        font.setBold(True)
        return font

    def _milestone_text_w(self, title: str) -> float:
        return min(220.0, QFontMetricsF(self._milestone_font()).horizontalAdvance(title))

    def _paint_cut_title(self, p: QPainter, item: Any, card: Card, source: QRectF) -> None:
        """A bar's title inside the part of the bar this page shows."""
        x, y, w = item.pos().x(), item.pos().y(), item.width
        if w < 28:
            return
        font = QFont(self.theme.font)
        font.setPixelSize(max(9, int(BAR_HEIGHT * 0.5)))
        fields = self.lens.fields
        left = max(x, source.left()) + render.HANDLE + 2
        if x >= source.left() and w >= 110 and card.status and "status" in fields:
            left += QFontMetricsF(font).horizontalAdvance("◑") + 5
        right = min(x + w, source.right()) - render.HANDLE - 2
        if x + w <= source.right() and w >= 110 and card.estimate is not None \
                and "estimate" in fields:  # fmt: skip
            right -= 40
        text = card.title if "title" in fields else ""
        if right - left <= 10 or not text:
            return
        p.setFont(font)
        p.setPen(render.text_color_on(QColor(item.color)))
        p.drawText(QRectF(left, y, right - left, BAR_HEIGHT),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   render.ELIDE.elide(text, right - left, font))

    # ----- frame: title, subtitle, legend, page number (frame units)

    def legend_height(self, width: float) -> float:
        if not self.legend_items:
            return 0.0
        return float(legend_height(self.legend_items, _font(8), width)) + 8.0

    def paint_title(self, p: QPainter, rect: QRectF) -> None:
        p.save()
        p.setPen(INK)
        big = _font(16, bold=True)
        p.setFont(big)
        p.drawText(QRectF(rect.x(), rect.y(), rect.width(), 20),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetricsF(big).elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                 rect.width()))  # fmt: skip
        p.setPen(MUTED)
        small = _font(9)
        p.setFont(small)
        p.drawText(QRectF(rect.x(), rect.y() + 21, rect.width(), 13),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetricsF(small).elidedText(self.subtitle, Qt.TextElideMode.ElideRight,
                                                   rect.width()))  # fmt: skip
        p.restore()

    def paint_legend(self, p: QPainter, rect: QRectF) -> None:
        p.save()
        p.setPen(INK)
        paint_legend(p, rect.adjusted(0, 6, 0, 0), self.legend_items, _font(8))
        p.restore()


# ----- pages


@dataclass(frozen=True)
class _Page:
    """The part of the scene one page shows."""

    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class PagePlan:
    """How the picture goes onto pages: the scene's scale and the part each page shows."""

    scale: float
    pages: list[_Page]
    width: float  # page width in frame units (points)
    height: float
    notes: list[str] = field(default_factory=list)


def _below(picture: RoadmapPicture, width: float) -> float:
    """Height under the body: the legend and the page number."""
    return picture.legend_height(width) + FOOTER_H


def _row_slices(picture: RoadmapPicture, body_h: float) -> list[tuple[float, float]]:
    """Vertical page slices of the body, broken between rows where possible."""
    edges = picture.y_breaks()
    slices: list[tuple[float, float]] = []
    y = 0.0
    while y < picture.height - 0.01:
        fitting = [b for b in edges if y < b <= y + body_h]
        nxt = fitting[-1] if fitting else y + body_h
        slices.append((y, min(nxt, picture.height)))
        y = nxt
    return slices or [(0.0, max(picture.height, 1.0))]


def _run_on_pages(picture: RoadmapPicture, page_w: float, page_h: float,
                  avail_h: float) -> PagePlan | None:  # fmt: skip
    """Too tall for one page: the whole date range across the page width at the smallest
    readable text, lanes running on to the next pages; None when the time axis would get too
    cramped for that (then the roadmap is tiled at its size on screen)."""
    scale = MIN_TEXT_PT / SCENE_MIN_FONT
    body_h = avail_h / scale - picture.header_h
    if body_h < 3 * ROW_HEIGHT:
        return None
    least = ZOOM_PRESETS["year"] if picture.lens.fuzzy else ZOOM_PRESETS["quarters"]
    if picture.fit_px_per_day(page_w / scale - picture.label_w) < least:
        return None
    pages = [_Page(picture.x0, picture.x1, y0, y1) for y0, y1 in _row_slices(picture, body_h)]
    return PagePlan(scale, pages, page_w, page_h)


def plan_pages(picture: RoadmapPicture, page_w: float, page_h: float, fit: str) -> PagePlan:
    """Lay the picture out on pages of page_w x page_h points: fit on one, or tile."""
    notes: list[str] = []
    below = _below(picture, page_w)
    avail_h = page_h - TITLE_H - below
    if fit == "page":
        scale = min(MAX_FIT_SCALE, avail_h / (picture.header_h + picture.height))
        if scale * SCENE_MIN_FONT >= MIN_TEXT_PT:
            picture.fit_px_per_day(page_w / scale - picture.label_w)
            page = _Page(picture.x0, picture.x1, 0.0, picture.height)
            return PagePlan(scale, [page], page_w, page_h, notes)
        run_on = _run_on_pages(picture, page_w, page_h, avail_h)
        if run_on is not None:
            run_on.notes.append(
                _tr("fitting on one page would make text smaller than 6 pt, so the roadmap is "
                    "fitted to the page width and runs on to %1 pages, top to bottom")
                .replace("%1", str(len(run_on.pages))))  # fmt: skip
            return run_on
        notes.append(_tr("fitting on one page would make text smaller than 6 pt, so the roadmap "
                         "is tiled across pages instead"))  # fmt: skip
    scale = TILE_SCALE
    body_w = page_w / scale - picture.label_w
    body_h = avail_h / scale - picture.header_h
    if body_w < 100 or body_h < 3 * ROW_HEIGHT:
        raise ExportError(_tr("the page is too small for the roadmap: choose a larger page "
                              "or smaller margins"))  # fmt: skip
    picture.set_px_per_day(picture.preferred_ppd)
    if picture.width < body_w:
        picture.fit_px_per_day(body_w)
    xs = [picture.x0, *picture.x_breaks(body_w), picture.x1]
    pages = [_Page(xs[i], xs[i + 1], y0, y1)
             for y0, y1 in _row_slices(picture, body_h) for i in range(len(xs) - 1)]  # fmt: skip
    return PagePlan(scale, pages, page_w, page_h, notes)


def paint_page(p: QPainter, picture: RoadmapPicture, page: _Page, width: float, scale: float,
               number: int = 0, count: int = 0) -> None:  # fmt: skip
    """One page (or the whole image) in frame units, top-left at the origin."""
    picture.paint_title(p, QRectF(0, 0, width, TITLE_H - 6))
    body_w, body_h = page.x1 - page.x0, page.y1 - page.y0
    p.save()
    p.translate(0, TITLE_H)
    p.scale(scale, scale)
    p.fillRect(QRectF(0, 0, picture.label_w, picture.header_h), picture.theme.header_bg)
    picture.paint_header(p, page.x0, page.x1, QPointF(picture.label_w, 0))
    picture.paint_lane_labels(p, page.y0, page.y1, QPointF(0, picture.header_h))
    picture.paint_body(p, QRectF(page.x0, page.y0, body_w, body_h),
                       QPointF(picture.label_w, picture.header_h))  # fmt: skip
    p.setPen(QPen(picture.theme.grid_major, 1))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(0, 0, picture.label_w + body_w, picture.header_h + body_h))
    p.restore()
    bottom = TITLE_H + scale * (picture.header_h + body_h)
    below = _below(picture, width)
    picture.paint_legend(p, QRectF(0, bottom, width, below - FOOTER_H))
    if count:
        p.setFont(_font(7))
        p.setPen(MUTED)
        text = _tr("Page %1 of %2").replace("%1", str(number)).replace("%2", str(count))
        p.drawText(QRectF(0, bottom + below - FOOTER_H, width - 4, FOOTER_H - 2),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)


def _image_frame(picture: RoadmapPicture) -> tuple[float, float]:
    """Width and height of the whole picture in points, the timeline at its size on screen."""
    picture.set_px_per_day(picture.preferred_ppd)
    width = (picture.label_w + picture.width) * TILE_SCALE
    height = TITLE_H + TILE_SCALE * (picture.header_h + picture.height)
    return width, height + _below(picture, width) - FOOTER_H


def image_size(picture: RoadmapPicture) -> tuple[int, int]:
    """Pixels of the whole picture as an image at 1x (96 dpi), with its white border."""
    width, height = _image_frame(picture)
    return (math.ceil((width + 2 * IMAGE_PAD) * PX_PER_PT),
            math.ceil((height + 2 * IMAGE_PAD) * PX_PER_PT))  # fmt: skip


def image_body_origin(picture: RoadmapPicture) -> QPointF:
    """Where scene point (picture.x0, 0) lands in the image at 1x, in pixels."""
    return QPointF((IMAGE_PAD + TILE_SCALE * picture.label_w) * PX_PER_PT,
                   (IMAGE_PAD + TITLE_H + TILE_SCALE * picture.header_h) * PX_PER_PT)


def paint_image(p: QPainter, picture: RoadmapPicture) -> None:
    """The whole picture as one image (PNG, SVG, the preview), in pixels at 1x."""
    w, h = image_size(picture)
    width, _ = _image_frame(picture)
    p.fillRect(QRectF(0, 0, w, h), QColor("white"))
    p.scale(PX_PER_PT, PX_PER_PT)
    p.translate(IMAGE_PAD, IMAGE_PAD)
    page = _Page(picture.x0, picture.x1, 0.0, picture.height)
    paint_page(p, picture, page, width, TILE_SCALE)


def check_image_size(width: float, height: float, scale: float) -> tuple[int, int]:
    """Pixel size at ``scale``; refuse what would be too large to allocate."""
    w, h = math.ceil(width * scale), math.ceil(height * scale)
    if w > MAX_SIDE_PX or h > MAX_SIDE_PX or w * h > MAX_MEGAPIXELS * 1_000_000:
        raise ExportError(
            _tr("the image would be %1 x %2 pixels (%3 megapixels); the limit is %4 pixels a side "
                "and %5 megapixels: choose a lower scale or DPI, or export a date window")
            .replace("%1", str(w)).replace("%2", str(h))
            .replace("%3", str(round(w * h / 1e6))).replace("%4", str(MAX_SIDE_PX))
            .replace("%5", str(MAX_MEGAPIXELS))
        )  # fmt: skip
    return w, h


def render_image(picture: RoadmapPicture, scale: float) -> QImage:
    """The whole picture as an image at ``scale`` pixels per unit."""
    width, height = image_size(picture)
    w, h = check_image_size(width, height, scale)
    image = QImage(w, h, QImage.Format.Format_RGB32)  # opaque: smaller and faster to save
    if image.isNull():
        raise ExportError(_tr("not enough memory for an image of %1 x %2 pixels")
                          .replace("%1", str(w)).replace("%2", str(h)))  # fmt: skip
    dots = round(PNG_BASE_DPI * scale / 0.0254)
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    paint_image(p, picture)
    p.end()
    return image


def page_layout(options: ExportOptions) -> QPageLayout:
    key = options.page_size.upper()
    if key not in PAGE_SIZES:
        raise ExportError(_tr("unknown page size %1: use A4, A3, Letter, Legal or Tabloid")
                          .replace("%1", repr(options.page_size)))  # fmt: skip
    orientation = (QPageLayout.Orientation.Portrait if options.orientation == "portrait"
                   else QPageLayout.Orientation.Landscape)  # fmt: skip
    margin = max(0.0, min(options.margin_mm, 60.0))
    return QPageLayout(QPageSize(PAGE_SIZES[key]), orientation,
                       QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)


def paint_pages(device: QPagedPaintDevice, picture: RoadmapPicture, fit: str,
                extra_pages: Sequence[Callable[[QPainter, float, float], None]] = ()
                ) -> PagePlan:  # fmt: skip
    """Paint the roadmap onto a PDF writer or printer whose page layout is already set."""
    rect = device.pageLayout().paintRectPoints()
    plan = plan_pages(picture, rect.width(), rect.height(), fit)
    p = QPainter()
    if not p.begin(device):
        raise ExportError(_tr("could not start writing the document"))
    try:
        dpp = device.logicalDpiX() / 72.0  # device pixels per point
        count = len(plan.pages) + len(extra_pages)
        for number, page in enumerate(plan.pages, start=1):
            if number > 1:
                device.newPage()
            p.resetTransform()
            p.scale(dpp, dpp)
            paint_page(p, picture, page, plan.width, plan.scale, number, count)
        for number, extra in enumerate(extra_pages, start=len(plan.pages) + 1):
            device.newPage()
            p.resetTransform()
            p.scale(dpp, dpp)
            extra(p, rect.width(), rect.height() - FOOTER_H)
            p.setFont(_font(7))
            p.setPen(MUTED)
            text = _tr("Page %1 of %2").replace("%1", str(number)).replace("%2", str(count))
            p.drawText(QRectF(0, rect.height() - FOOTER_H, rect.width() - 4, FOOTER_H - 2),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)
    finally:
        p.end()
    return plan


def _changes_page(lines: Sequence[str], title: str) -> Callable[[QPainter, float, float], None]:
    def paint(p: QPainter, width: float, height: float) -> None:
        p.setPen(INK)
        p.setFont(_font(14, bold=True))
        p.drawText(QRectF(0, 0, width, 22), Qt.AlignmentFlag.AlignLeft, title)
        p.setFont(_font(9))
        fm = QFontMetricsF(_font(9))
        y = 30.0
        for line in lines:
            p.drawText(QPointF(0, y + 10),
                       fm.elidedText(line, Qt.TextElideMode.ElideRight, width))  # fmt: skip
            y += 13

    return paint


def change_lines_since(roadmap: Roadmap, snapshot: str) -> list[str]:
    """The lines of 'What changed since' a snapshot."""
    from planner.diff import change_lines, diff_since

    return list(change_lines(diff_since(roadmap, snapshot)))


# ----- writing files


def _temp_beside(out: Path) -> Path:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb"):
            pass
    except OSError as exc:
        raise ExportError(_tr("cannot write %1: %2").replace("%1", str(out))
                          .replace("%2", exc.strerror or str(exc))) from None  # fmt: skip
    return tmp


def subtitle_for(roadmap: Roadmap, view: View | None, plan_label: str | None = None,
                 today: dt.date | None = None) -> str:  # fmt: skip
    parts = [view.name if view is not None else _tr("Everything")]
    if plan_label is None:
        plan = roadmap.plan()
        if plan.kind != "plan":
            plan_label = f"{plan.kind.capitalize()}: {plan.name}"
    if plan_label:
        parts.append(plan_label)
    parts.append(_tr("exported %1").replace("%1", format_day(today or dt.date.today())))
    return " · ".join(parts)


def build_picture(roadmap: Roadmap, view: View | None, options: ExportOptions,
                  plan_label: str | None = None, today: dt.date | None = None,
                  px_per_day: float | None = None) -> RoadmapPicture:  # fmt: skip
    """The picture an export of ``view`` with these options shows."""
    return RoadmapPicture(roadmap, view, title=options.title or roadmap.title,
                          subtitle=subtitle_for(roadmap, view, plan_label, today),
                          date_from=options.date_from, date_to=options.date_to, today=today,
                          px_per_day=px_per_day or ZOOM_PRESETS["months"])  # fmt: skip


def export_roadmap(roadmap: Roadmap, out: str | os.PathLike[str], options: ExportOptions,
                   view: View | None = None, plan_label: str | None = None,
                   today: dt.date | None = None,
                   px_per_day: float | None = None) -> ExportResult:  # fmt: skip
    """Write the export to ``out`` atomically: beside it first, then renamed into place."""
    from PySide6.QtGui import QPdfWriter

    out = Path(out)
    fmt = options.format.lower()
    if fmt not in FORMATS:
        raise ExportError(_tr("unknown format %1: use png, pdf or svg").replace("%1", fmt))
    if out.is_dir():
        raise ExportError(_tr("cannot write %1: it is a folder; give a file name, such as %2")
                          .replace("%1", str(out))
                          .replace("%2", str(out / f"roadmap.{fmt}")))  # fmt: skip
    picture = build_picture(roadmap, view, options, plan_label, today, px_per_day)
    layout = page_layout(options) if fmt == "pdf" else None
    extra = []
    if options.changes_since and layout is not None:
        lines = change_lines_since(roadmap, options.changes_since) or [_tr("No changes")]
        title = _tr("What changed since %1").replace("%1", options.changes_since)
        per_page = max(1, int((layout.paintRectPoints().height() - FOOTER_H - 30) // 13))
        for start in range(0, len(lines), per_page):
            heading = title if start == 0 else _tr("%1 (continued)").replace("%1", title)
            extra.append(_changes_page(lines[start:start + per_page], heading))
    if fmt == "png":
        width, height = image_size(picture)
        check_image_size(width, height, options.png_scale)
    tmp = _temp_beside(out)
    try:
        result = ExportResult(out)
        if fmt == "png":
            image = render_image(picture, options.png_scale)
            # Quality 75 is zlib's fast level: a third of the time for a slightly larger file.
            if not image.save(str(tmp), "PNG", 75):  # type: ignore[call-overload]
                raise ExportError(_tr("could not write %1").replace("%1", str(out)))
            result.size = (image.width(), image.height())
        elif fmt == "svg":
            result.size = _write_svg(picture, tmp)
        else:
            writer = QPdfWriter(str(tmp))
            writer.setPageLayout(layout)  # type: ignore[arg-type]
            writer.setTitle(picture.title)
            writer.setCreator("Roadmap Planner")
            plan = paint_pages(writer, picture, options.fit, extra)
            del writer  # flushes and closes the file
            result.pages = len(plan.pages) + len(extra)
            result.notes.extend(plan.notes)
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise ExportError(_tr("cannot write %1: %2").replace("%1", str(out))
                              .replace("%2", exc.strerror or str(exc))) from None  # fmt: skip
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def _write_svg(picture: RoadmapPicture, path: Path) -> tuple[int, int]:
    from PySide6.QtSvg import QSvgGenerator

    w, h = image_size(picture)
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(w, h))
    gen.setViewBox(QRectF(0, 0, w, h))
    gen.setResolution(round(PNG_BASE_DPI))
    gen.setTitle(picture.title)
    gen.setDescription(picture.subtitle)
    p = QPainter()
    if not p.begin(gen):
        raise ExportError(_tr("could not write %1").replace("%1", str(path)))
    paint_image(p, picture)
    p.end()
    _size_svg_in_pixels(path, w, h)
    return w, h


def _size_svg_in_pixels(path: Path, w: int, h: int) -> None:
    """Give the drawing its size in pixels (Qt writes millimetres), as an image at 1x is."""
    import re

    data = path.read_bytes()
    head, rest = data[:1024], data[1024:]
    head = re.sub(rb'<svg width="[^"]*" height="[^"]*"',
                  f'<svg width="{w}" height="{h}"'.encode(), head, count=1)  # fmt: skip
    path.write_bytes(head + rest)


# ----- headless


def ensure_app() -> Any:
    """A QApplication; on a machine with no display, on the offscreen platform."""
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith(("linux", "freebsd")):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "roadmap"])


def options_from_args(args: Any) -> ExportOptions:
    fmt = Path(args.out).suffix.lower().lstrip(".")
    scale = getattr(args, "scale", None)
    dpi = getattr(args, "dpi", None)
    if scale is not None and not (0 < scale <= 8):
        raise ExportError(_tr("--scale must be more than 0 and at most 8 (1, 2 or 3 usually)"))
    if dpi is not None and not (10 <= dpi <= 2400):
        raise ExportError(_tr("--dpi must be between 10 and 2400"))
    return ExportOptions(
        format=fmt, scale=scale or 1.0, dpi=dpi, page_size=getattr(args, "page_size", "A4"),
        orientation=getattr(args, "orientation", "landscape"), fit=getattr(args, "fit", "page"),
        margin_mm=getattr(args, "margin", 10.0), date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None), title=getattr(args, "title", None),
        changes_since=getattr(args, "changes_since", None),
    )  # fmt: skip


def export_headless(args: Any) -> ExportResult:
    """`roadmap export FILE OUT.png|pdf|svg`: no window, no display needed."""
    from planner.cli import UserError, _open_view

    try:
        options = options_from_args(args)
        if options.margin_mm < 0 or options.margin_mm > 60:
            raise ExportError(_tr("--margin must be between 0 and 60 millimetres"))
        page_layout(options) if options.format == "pdf" else None
        ensure_app()
        with Roadmap.open(args.file, read_only=True) as roadmap:
            view = _open_view(roadmap, getattr(args, "view", None))
            result = export_roadmap(roadmap, args.out, options, view)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    for note in result.notes:
        print(f"roadmap: note: {note}", file=sys.stderr)
    return result


# ----- in the window


def install(window: Any) -> None:
    """Add File ▸ Export Image/PDF…, Print Preview… and Print… to the main window."""
    from ui.export_dialog import install_actions

    install_actions(window)
