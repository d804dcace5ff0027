"""Export the roadmap as PNG, PDF or SVG and print it: one picture, laid out on pages or an image.

Units: a picture unit is one point on paper and one pixel in a PNG at scale 1 (96 dpi). The
picture is the time header, the lane names and the body (lanes, bars, milestones) of a lens over
one date window; pages repeat the title, the header, the lane names and the legend.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from planner.lens import MONTHS, Lens, color_for, legend, month_start, quarter_of
from planner.model import Card, Lane, Milestone
from planner.store import Roadmap

# Image size cap: Qt would otherwise try to allocate a huge QImage and die.
MAX_SIDE_PX = 16_384
MAX_MEGAPIXELS = 200
# Text on paper must stay readable: no font below this many points.
MIN_TEXT_PT = 6.0
PNG_BASE_DPI = 96.0
PAGE_SIZES = {
    "A4": QPageSize.PageSizeId.A4,
    "A3": QPageSize.PageSizeId.A3,
    "LETTER": QPageSize.PageSizeId.Letter,
    "LEGAL": QPageSize.PageSizeId.Legal,
    "TABLOID": QPageSize.PageSizeId.Tabloid,
}
FORMATS = ("png", "pdf", "svg")

# Geometry in picture units.
ROW_H = 16.0
BAR_H = 12.0
LANE_PAD = 4.0
HEADER_BAND = 14.0
HEADER_H = 2 * HEADER_BAND
MILESTONE_ROW = 14.0
TITLE_H = 40.0
FOOTER_H = 14.0
LABEL_GAP = 3.0
TEXT_PAD = 3.0
SCREEN_PPD = 3.0  # points per day of a PNG, an SVG and tiled pages (a month is ~90 pt)
SMALLEST_FONT = 7.0
IMAGE_PAD = 16.0  # white border around a PNG or SVG

INK = QColor("#1f2328")
MUTED = QColor("#57606a")
GRID = QColor("#e3e6ea")
GRID_STRONG = QColor("#c3c8cf")
BAND_A = QColor("#ffffff")
BAND_B = QColor("#f4f6f8")
TODAY = QColor("#d1242f")
VIOLATED = QColor("#d1242f")


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


def _contrast(color: QColor) -> QColor:
    lum = 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()
    return QColor("#111111") if lum > 0.6 else QColor("#ffffff")


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


# ----- the picture: geometry of one lens over one date window


@dataclass
class _Bar:
    card: Card
    x0: float
    x1: float
    color: QColor
    label: str
    label_x: float
    label_w: float
    inside: bool
    row: int = 0
    y: float = 0.0


@dataclass
class _Lane:
    key: int | None
    name: str
    color: QColor
    y0: float = 0.0
    y1: float = 0.0
    bars: list[_Bar] = field(default_factory=list)


@dataclass
class _Mark:
    milestone: Milestone
    x: float
    label: str
    label_x: float
    label_w: float
    row: int = 0


class RoadmapPicture:
    """A roadmap laid out for export: the lens's cards as bars in lanes on one time axis."""

    def __init__(self, roadmap: Roadmap, lens: Lens, *, title: str, subtitle: str,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 today: dt.date | None = None) -> None:  # fmt: skip
        self.title = title
        self.subtitle = subtitle
        self.today = today or dt.date.today()
        window_lens = dataclasses.replace(
            lens, date_from=date_from or lens.date_from, date_to=date_to or lens.date_to
        )
        self.lens = window_lens
        lanes = roadmap.lanes()
        objectives = roadmap.objectives()
        lane_map = {lane.id: lane for lane in lanes}
        obj_map = {o.id: o for o in objectives}
        all_cards = roadmap.cards()
        self.cards = [c for c in window_lens.filter(all_cards) if c.scheduled]
        self.legend_items = legend(window_lens, self.cards, lanes, objectives)
        self._colors = {c.id: QColor(color_for(c, window_lens, lane_map, obj_map))
                        for c in self.cards}  # fmt: skip
        self.backlog_count = sum(1 for c in window_lens.filter(all_cards) if not c.scheduled)
        self.start, self.end = self._window(roadmap, window_lens)
        self.milestones = [m for m in roadmap.milestones()
                           if self.start <= m.date <= self.end
                           and window_lens.lane_visible(m.lane_id)]  # fmt: skip
        shown_lanes: list[Lane] = [lane for lane in lanes if window_lens.lane_visible(lane.id)]
        self.lanes = [_Lane(lane.id, lane.name, QColor(lane.color)) for lane in shown_lanes]
        if any(c.lane_id is None or c.lane_id not in lane_map for c in self.cards):
            self.lanes.append(_Lane(None, _tr("No lane"), QColor("#8c8c8c")))
        self.dependencies = [d for d in roadmap.dependencies()
                             if d.before_id in self._colors and d.after_id in self._colors]
        lane_font = QFontMetricsF(_font(9, bold=True))
        widest = max((lane_font.horizontalAdvance(lane.name) for lane in self.lanes), default=60)
        self.label_w = min(170.0, max(90.0, widest + 16))
        self.ppd = SCREEN_PPD
        self.breaks: tuple[float, ...] = ()
        self.width = 0.0
        self.height = 0.0
        self.milestone_h = 0.0
        self.row_breaks: list[float] = []
        self.layout(SCREEN_PPD)

    def _window(self, roadmap: Roadmap, lens: Lens) -> tuple[dt.date, dt.date]:
        """The first and last day shown: the asked window, else the data's, in whole months."""
        days = [d for c in self.cards for d in lens.display_dates(c.start, c.end)  # type: ignore[arg-type]
                ] + [m.date for m in roadmap.milestones()]  # fmt: skip
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

    def x_of(self, day: dt.date) -> float:
        return (day - self.start).days * self.ppd

    def layout(self, ppd: float, breaks: Sequence[float] = ()) -> None:
        """Place bars, labels and milestones at ``ppd`` points a day; labels avoid ``breaks``."""
        self.ppd = ppd
        self.breaks = tuple(breaks)
        self.width = self.days * ppd
        fm = QFontMetricsF(_font(8))
        bars_by_lane: dict[int | None, list[_Bar]] = {lane.key: [] for lane in self.lanes}
        for card in self.cards:
            a, b = self.lens.display_dates(card.start, card.end)  # type: ignore[arg-type]
            a, b = min(a, b), max(a, b)
            x0 = max(0.0, self.x_of(a))
            x1 = min(self.width, self.x_of(b + dt.timedelta(days=1)))
            if x1 <= x0:
                x1 = min(self.width, x0 + 1)
            bar = _Bar(card, x0, x1, self._colors[card.id], card.title, 0.0, 0.0, True)
            self._place_label(bar, fm)
            key = card.lane_id if card.lane_id in bars_by_lane else None
            bars_by_lane.setdefault(key, []).append(bar)
        marks = self._place_marks(fm)
        self.milestone_h = (max((m.row for m in marks), default=-1) + 1) * MILESTONE_ROW
        if marks:
            self.milestone_h += 4
        self.marks = marks
        y = self.milestone_h
        self.row_breaks = [0.0, y] if marks else [0.0]
        for lane in self.lanes:
            lane.bars = bars_by_lane.get(lane.key, [])
            rows = _stack([(min(b.x0, b.label_x), max(b.x1, b.label_x + b.label_w))
                           for b in lane.bars])  # fmt: skip
            lane.y0 = y
            for bar, row in zip(lane.bars, rows, strict=True):
                bar.row = row
                bar.y = y + LANE_PAD + row * ROW_H + (ROW_H - BAR_H) / 2
            n_rows = max(rows, default=0) + 1
            for r in range(1, n_rows):
                self.row_breaks.append(y + LANE_PAD + r * ROW_H)
            y += 2 * LANE_PAD + n_rows * ROW_H
            lane.y1 = y
            self.row_breaks.append(y)
        self.height = y
        self._bar_by_card = {b.card.id: b for lane in self.lanes for b in lane.bars}

    def _straddles(self, x0: float, x1: float) -> float | None:
        for b in self.breaks:
            if x0 < b < x1:
                return b
        return None

    def _place_label(self, bar: _Bar, fm: QFontMetricsF) -> None:
        """Title inside the bar when it fits, else beside it; never across a page edge."""
        text_w = fm.horizontalAdvance(bar.card.title) + 2 * TEXT_PAD
        bar.label_w = text_w
        inside = [bar.x0]
        right = [bar.x1 + LABEL_GAP]
        cut = self._straddles(bar.x0, bar.x0 + text_w)
        if cut is not None:
            inside.append(cut)
        cut = self._straddles(bar.x1, bar.x1 + LABEL_GAP + text_w)
        if cut is not None:
            right.append(cut + LABEL_GAP)
        candidates: list[tuple[float, bool]] = [(x, True) for x in inside if bar.x1 - x >= text_w]
        candidates += [(right[0], False), (bar.x0 - LABEL_GAP - text_w, False)]
        candidates += [(x, False) for x in right[1:]]
        for x, is_inside in candidates:
            if x < 0 or x + text_w > self.width:
                continue
            if self._straddles(x, x + text_w) is None:
                bar.label_x, bar.inside = x, is_inside
                return
        # Nowhere to draw it whole: shorten it inside the bar, up to the next page edge.
        limit = bar.x1
        cut = self._straddles(bar.x0, bar.x1)
        if cut is not None:
            limit = cut
        bar.label_x, bar.inside = bar.x0, True
        bar.label_w = max(0.0, limit - bar.x0)
        bar.label = fm.elidedText(bar.card.title, Qt.TextElideMode.ElideRight,
                                  max(0.0, bar.label_w - 2 * TEXT_PAD))  # fmt: skip

    def _place_marks(self, fm: QFontMetricsF) -> list[_Mark]:
        marks: list[_Mark] = []
        extents: list[tuple[float, float]] = []
        for m in sorted(self.milestones, key=lambda m: m.date):
            x = self.x_of(m.date) + self.ppd / 2
            w = fm.horizontalAdvance(m.title) + 2 * TEXT_PAD
            label_x = x + 6
            if label_x + w > self.width or self._straddles(label_x, label_x + w) is not None:
                label_x = x - 6 - w
            if label_x < 0 or self._straddles(label_x, label_x + w) is not None:
                label_x = min(max(0.0, x + 6), max(0.0, self.width - w))
            marks.append(_Mark(m, x, m.title, label_x, w))
            extents.append((min(x - 5, label_x), max(x + 5, label_x + w)))
        for mark, row in zip(marks, _stack(extents), strict=True):
            mark.row = row
        return marks

    # ----- painting, all in picture units

    def paint_header(self, p: QPainter, x0: float, x1: float, at: QPointF) -> None:
        """The time header for body x from x0 to x1, drawn with its top-left at ``at``."""
        p.save()
        p.translate(at.x() - x0, at.y())
        p.setClipRect(QRectF(x0, 0, x1 - x0, HEADER_H))
        p.fillRect(QRectF(x0, 0, x1 - x0, HEADER_H), QColor("#eef1f4"))
        quarters, months = _periods(self.start, self.end)
        fm = QFontMetricsF(_font(8))
        for row, periods, fmt in ((0, quarters, _quarter_label), (1, months, _month_label)):
            top = row * HEADER_BAND
            for a, b in periods:
                left, right = self.x_of(a), self.x_of(b + dt.timedelta(days=1))
                if right <= x0 or left >= x1:
                    continue
                p.setPen(QPen(GRID_STRONG, 0.5))
                p.drawLine(QPointF(left, top), QPointF(left, top + HEADER_BAND))
                vis_l, vis_r = max(left, x0), min(right, x1)
                for text in fmt(a):
                    if fm.horizontalAdvance(text) + 2 * TEXT_PAD <= vis_r - vis_l:
                        p.setFont(_font(8, bold=row == 0))
                        p.setPen(INK if row == 0 else MUTED)
                        p.drawText(QRectF(vis_l, top, vis_r - vis_l, HEADER_BAND),
                                   Qt.AlignmentFlag.AlignCenter, text)  # fmt: skip
                        break
        p.setPen(QPen(GRID_STRONG, 0.5))
        p.drawLine(QPointF(x0, HEADER_BAND), QPointF(x1, HEADER_BAND))
        p.drawLine(QPointF(x0, HEADER_H), QPointF(x1, HEADER_H))
        p.restore()

    def paint_lane_labels(self, p: QPainter, y0: float, y1: float, at: QPointF) -> None:
        """Lane names for body y from y0 to y1, drawn with their top-left at ``at``."""
        p.save()
        p.translate(at.x(), at.y() - y0)
        p.setClipRect(QRectF(0, y0, self.label_w, y1 - y0))
        fm = QFontMetricsF(_font(9, bold=True))
        if self.milestone_h and y0 < self.milestone_h:
            p.setFont(_font(8))
            p.setPen(MUTED)
            top = max(y0, 0.0)
            p.drawText(QRectF(8, top, self.label_w - 12, min(self.milestone_h, y1) - top),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       _tr("Milestones"))  # fmt: skip
        for i, lane in enumerate(self.lanes):
            if lane.y1 <= y0 or lane.y0 >= y1:
                continue
            p.fillRect(QRectF(0, lane.y0, self.label_w, lane.y1 - lane.y0),
                       BAND_B if i % 2 else BAND_A)  # fmt: skip
            p.fillRect(QRectF(0, lane.y0, 4, lane.y1 - lane.y0), lane.color)
            top, bottom = max(lane.y0, y0), min(lane.y1, y1)
            name = fm.elidedText(lane.name, Qt.TextElideMode.ElideRight, self.label_w - 16)
            if lane.y0 < y0:
                name = fm.elidedText(lane.name + _tr(" (cont.)"), Qt.TextElideMode.ElideRight,
                                     self.label_w - 16)  # fmt: skip
            p.setFont(_font(9, bold=True))
            p.setPen(INK)
            p.drawText(QRectF(10, top, self.label_w - 14, min(bottom - top, ROW_H + 2 * LANE_PAD)),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
            p.setPen(QPen(GRID_STRONG, 0.5))
            p.drawLine(QPointF(0, lane.y1), QPointF(self.label_w, lane.y1))
        p.setPen(QPen(GRID_STRONG, 0.8))
        p.drawLine(QPointF(self.label_w, y0), QPointF(self.label_w, y1))
        p.restore()

    def paint_body(self, p: QPainter, source: QRectF, at: QPointF) -> None:
        """Lanes, grid, bars, milestones and dependencies inside ``source``, placed at ``at``."""
        p.save()
        p.translate(at.x() - source.x(), at.y() - source.y())
        p.setClipRect(source)
        for i, lane in enumerate(self.lanes):
            p.fillRect(QRectF(source.x(), lane.y0, source.width(), lane.y1 - lane.y0),
                       BAND_B if i % 2 else BAND_A)  # fmt: skip
        quarters, months = _periods(self.start, self.end)
        for periods, color in ((months, GRID), (quarters, GRID_STRONG)):
            p.setPen(QPen(color, 0.5))
            for a, _b in periods:
                x = self.x_of(a)
                if source.left() < x < source.right():
                    p.drawLine(QPointF(x, source.top()), QPointF(x, source.bottom()))
        p.setPen(QPen(GRID_STRONG, 0.5))
        for lane in self.lanes:
            p.drawLine(QPointF(source.left(), lane.y1), QPointF(source.right(), lane.y1))
        if self.start <= self.today <= self.end:
            x = self.x_of(self.today) + self.ppd / 2
            p.setPen(QPen(TODAY, 1.0))
            p.drawLine(QPointF(x, source.top()), QPointF(x, source.bottom()))
        self._paint_marks(p, source)
        self._paint_dependencies(p, source)
        self._paint_bars(p, source)
        p.restore()

    def _paint_bars(self, p: QPainter, source: QRectF) -> None:
        font = _font(8)
        p.setFont(font)
        for lane in self.lanes:
            if lane.y1 < source.top() or lane.y0 > source.bottom():
                continue
            for bar in lane.bars:
                rect = QRectF(bar.x0, bar.y, bar.x1 - bar.x0, BAR_H)
                if not rect.intersects(source) and not QRectF(
                    bar.label_x, bar.y, bar.label_w, BAR_H
                ).intersects(source):
                    continue
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(bar.color))
                p.drawRoundedRect(rect, 2.5, 2.5)
                if bar.card.status == "done":
                    p.setBrush(QBrush(QColor(255, 255, 255, 70)))
                    p.drawRoundedRect(rect, 2.5, 2.5)
                label = QRectF(bar.label_x, bar.y, bar.label_w, BAR_H)
                if not bar.label or not _shows(source, label):
                    continue  # clipped text would still be found in a PDF: leave it out
                p.setPen(_contrast(bar.color) if bar.inside else INK)
                p.drawText(QRectF(bar.label_x + TEXT_PAD, bar.y, bar.label_w, BAR_H),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           bar.label)  # fmt: skip

    def _paint_marks(self, p: QPainter, source: QRectF) -> None:
        p.setFont(_font(8))
        for mark in self.marks:
            color = QColor(mark.milestone.color or "#6e40c9")
            pen = QPen(color, 0.8, Qt.PenStyle.DashLine)
            p.setPen(pen)
            y = mark.row * MILESTONE_ROW + MILESTONE_ROW / 2
            p.drawLine(QPointF(mark.x, y + 5), QPointF(mark.x, self.height))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawPolygon(QPolygonF([QPointF(mark.x, y - 5), QPointF(mark.x + 5, y),
                                     QPointF(mark.x, y + 5), QPointF(mark.x - 5, y)]))
            label = QRectF(mark.label_x, y - MILESTONE_ROW / 2, mark.label_w, MILESTONE_ROW)
            if not _shows(source, label):
                continue
            p.setPen(INK)
            p.drawText(QRectF(mark.label_x + TEXT_PAD, y - MILESTONE_ROW / 2, 2000, MILESTONE_ROW),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, mark.label)

    def _paint_dependencies(self, p: QPainter, source: QRectF) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        for dep in self.dependencies:
            a, b = self._bar_by_card.get(dep.before_id), self._bar_by_card.get(dep.after_id)
            if a is None or b is None:
                continue
            violated = (b.card.start or self.start) <= (a.card.end or self.end)
            p.setPen(QPen(VIOLATED if violated else MUTED, 0.8))
            start = QPointF(a.x1, a.y + BAR_H / 2)
            end = QPointF(b.x0, b.y + BAR_H / 2)
            mid = max(start.x() + 4, end.x() - 6)
            path = QPainterPath(start)
            path.lineTo(mid, start.y())
            path.lineTo(mid, end.y())
            path.lineTo(end)
            p.drawPath(path)
            p.setBrush(p.pen().color())
            p.drawPolygon(QPolygonF([end, QPointF(end.x() - 4, end.y() - 2.5),
                                     QPointF(end.x() - 4, end.y() + 2.5)]))
            p.setBrush(Qt.BrushStyle.NoBrush)

    # ----- frame: title, subtitle, legend, page number

    def legend_height(self, width: float) -> float:
        if not self.legend_items:
            return 0.0
        try:
            from ui.legend import legend_height
        except ImportError:
            return len(self._legend_rows(width)) * 14.0 + 6.0
        return float(legend_height(self.legend_items, _font(8), width)) + 8.0

    def _legend_rows(self, width: float) -> list[list[tuple[str, str, float]]]:
        fm = QFontMetricsF(_font(8))
        rows: list[list[tuple[str, str, float]]] = []
        x = width
        for label, color in self.legend_items:
            w = 14 + fm.horizontalAdvance(label) + 14
            if x + w > width and (not rows or rows[-1]):
                rows.append([])
                x = 0.0
            rows[-1].append((label, color, w))
            x += w
        return rows

    def paint_title(self, p: QPainter, rect: QRectF) -> None:
        p.save()
        p.setPen(INK)
        p.setFont(_font(16, bold=True))
        fm = QFontMetricsF(_font(16, bold=True))
        p.drawText(QRectF(rect.x(), rect.y(), rect.width(), 20),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(self.title, Qt.TextElideMode.ElideRight, rect.width()))
        p.setPen(MUTED)
        p.setFont(_font(9))
        fm = QFontMetricsF(_font(9))
        p.drawText(QRectF(rect.x(), rect.y() + 21, rect.width(), 13),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(self.subtitle, Qt.TextElideMode.ElideRight, rect.width()))
        p.restore()

    def paint_legend(self, p: QPainter, rect: QRectF) -> None:
        try:
            from ui.legend import paint_legend
        except ImportError:
            paint_legend = None  # type: ignore[assignment]
        if paint_legend is not None:
            p.save()
            p.setPen(INK)
            paint_legend(p, rect.adjusted(0, 6, 0, 0), self.legend_items, _font(8))
            p.restore()
            return
        p.save()
        p.setFont(_font(8))
        y = rect.y() + 6
        for row in self._legend_rows(rect.width()):
            x = rect.x()
            for label, color, w in row:
                p.fillRect(QRectF(x, y + 2, 10, 10), QColor(color))
                p.setPen(INK)
                p.drawText(QRectF(x + 14, y, w - 14, 14),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
                x += w
            y += 14
        p.restore()


def _shows(source: QRectF, label: QRectF) -> bool:
    """Whether a label lies mostly inside ``source`` (labels never straddle a page edge)."""
    overlap = min(source.right(), label.right()) - max(source.left(), label.left())
    return overlap > label.width() / 2


def _stack(extents: Sequence[tuple[float, float]]) -> list[int]:
    """Row of each extent so that none overlaps another in its row (greedy by start)."""
    order = sorted(range(len(extents)), key=lambda i: (extents[i][0], -extents[i][1]))
    row_ends: list[float] = []
    rows = [0] * len(extents)
    for i in order:
        lo, hi = extents[i]
        for r, end in enumerate(row_ends):
            if end + 4 <= lo:
                rows[i] = r
                row_ends[r] = hi
                break
        else:
            rows[i] = len(row_ends)
            row_ends.append(hi)
    return rows


def _periods(start: dt.date, end: dt.date) -> tuple[list[tuple[dt.date, dt.date]], ...]:
    """Quarters and months overlapping [start, end], each as (first day, last day)."""
    months: list[tuple[dt.date, dt.date]] = []
    day = month_start(start)
    while day <= end:
        nxt = month_start(day + dt.timedelta(days=32))
        months.append((day, nxt - dt.timedelta(days=1)))
        day = nxt
    quarters: list[tuple[dt.date, dt.date]] = []
    for a, b in months:
        if quarters and quarter_of(a) == quarter_of(quarters[-1][0]) and a.year == quarters[-1][
            0
        ].year:
            quarters[-1] = (quarters[-1][0], b)
        else:
            quarters.append((a, b))
    return quarters, months


def _quarter_label(day: dt.date) -> list[str]:
    return [f"Q{quarter_of(day)} {day.year}", f"Q{quarter_of(day)}"]


def _month_label(day: dt.date) -> list[str]:
    name = MONTHS[day.month - 1]
    return [f"{name} {day.year}" if day.month == 1 else name, name, name[0]]


# ----- pages


@dataclass(frozen=True)
class _Page:
    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class PagePlan:
    """How the picture goes onto pages: its scale and the part each page shows."""

    scale: float
    pages: list[_Page]
    width: float  # page width in picture units
    height: float
    notes: list[str] = field(default_factory=list)


def _frame(picture: RoadmapPicture, width: float) -> tuple[float, float]:
    """Height above the body (title and header) and below it (legend and footer)."""
    return TITLE_H + HEADER_H, picture.legend_height(width - 2) + FOOTER_H


def _month_breaks(picture: RoadmapPicture, body_w: float) -> list[float]:
    """Horizontal page breaks, on month starts where possible, each page at most body_w wide."""
    _, months = _periods(picture.start, picture.end)
    edges = [picture.x_of(a) for a, _ in months[1:]]
    breaks: list[float] = []
    x = 0.0
    while picture.width - x > body_w + 0.01:
        fitting = [e for e in edges if x + body_w * 0.5 < e <= x + body_w]
        x = fitting[-1] if fitting else x + body_w
        breaks.append(x)
    return breaks


def _row_pages(picture: RoadmapPicture, body_h: float) -> list[tuple[float, float]]:
    """Vertical page slices, broken between rows where possible."""
    slices: list[tuple[float, float]] = []
    y = 0.0
    while y < picture.height - 0.01:
        fitting = [b for b in picture.row_breaks if y < b <= y + body_h]
        nxt = fitting[-1] if fitting else y + body_h
        slices.append((y, min(nxt, picture.height)))
        y = nxt
    return slices or [(0.0, max(picture.height, 1.0))]


def plan_pages(picture: RoadmapPicture, page_w: float, page_h: float, fit: str) -> PagePlan:
    """Lay the picture out for pages of page_w x page_h points: fit on one, or tile."""
    notes: list[str] = []
    if fit == "page":
        scale = 1.0
        for _ in range(4):
            w, h = page_w / scale, page_h / scale
            ppd = max(0.05, (w - picture.label_w) / picture.days)
            picture.layout(ppd)
            above, below = _frame(picture, w)
            need = above + picture.height + below
            if need <= h + 0.01:
                break
            scale = min(scale, page_h / need) * 0.995
        w, h = page_w / scale, page_h / scale
        above, below = _frame(picture, w)
        if above + picture.height + below > h + 0.01:
            scale = page_h / (above + picture.height + below)
        if SMALLEST_FONT * scale >= MIN_TEXT_PT:
            w, h = page_w / scale, page_h / scale
            return PagePlan(scale, [_Page(0, picture.width, 0, picture.height)], w, h, notes)
        notes.append(_tr("fitting on one page would make text smaller than 6 pt, so the roadmap "
                         "is tiled across pages instead"))  # fmt: skip
    body_w = page_w - picture.label_w
    picture.layout(max(SCREEN_PPD, body_w / picture.days))
    breaks = _month_breaks(picture, body_w)
    picture.layout(picture.ppd, breaks)
    above, below = _frame(picture, page_w)
    body_h = page_h - above - below
    if body_h < ROW_H * 3:
        raise ExportError(_tr("the page is too small for the roadmap: choose a larger page "
                              "or smaller margins"))  # fmt: skip
    xs = [0.0, *breaks, picture.width]
    pages = [_Page(xs[i], xs[i + 1], y0, y1)
             for y0, y1 in _row_pages(picture, body_h) for i in range(len(xs) - 1)]  # fmt: skip
    return PagePlan(1.0, pages, page_w, page_h, notes)


def paint_page(p: QPainter, picture: RoadmapPicture, page: _Page, width: float,
               number: int = 0, count: int = 0) -> None:  # fmt: skip
    """One page (or the whole image) in picture units, top-left at the origin."""
    above, below = _frame(picture, width)
    picture.paint_title(p, QRectF(0, 0, width, TITLE_H - 6))
    header_at = QPointF(picture.label_w, TITLE_H)
    picture.paint_header(p, page.x0, page.x1, header_at)
    body_at = QPointF(picture.label_w, TITLE_H + HEADER_H)
    picture.paint_lane_labels(p, page.y0, page.y1, QPointF(0, body_at.y()))
    picture.paint_body(p, QRectF(page.x0, page.y0, page.x1 - page.x0, page.y1 - page.y0),
                       body_at)  # fmt: skip
    bottom = body_at.y() + page.y1 - page.y0
    p.setPen(QPen(GRID_STRONG, 0.8))
    p.drawRect(QRectF(0, TITLE_H, picture.label_w + page.x1 - page.x0, bottom - TITLE_H))
    picture.paint_legend(p, QRectF(0, bottom, width, below - FOOTER_H))
    if count:
        p.setFont(_font(7))
        p.setPen(MUTED)
        text = _tr("Page %1 of %2").replace("%1", str(number)).replace("%2", str(count))
        p.drawText(QRectF(0, bottom + below - FOOTER_H, width - 4, FOOTER_H),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)


def image_size(picture: RoadmapPicture) -> tuple[int, int]:
    """Width and height of the whole picture as one image with its border, in whole units."""
    width = picture.label_w + picture.width
    above, below = _frame(picture, width)
    height = above + picture.height + below - FOOTER_H
    return math.ceil(width + 2 * IMAGE_PAD), math.ceil(height + 2 * IMAGE_PAD)


def paint_image(p: QPainter, picture: RoadmapPicture) -> None:
    """The whole picture as one image (PNG, SVG, the preview), in picture units."""
    width, height = image_size(picture)
    p.fillRect(QRectF(0, 0, width, height), QColor("white"))
    p.translate(IMAGE_PAD, IMAGE_PAD)
    paint_page(p, picture, _Page(0, picture.width, 0, picture.height), width - 2 * IMAGE_PAD)


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
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
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
            p.scale(dpp * plan.scale, dpp * plan.scale)
            paint_page(p, picture, page, plan.width, number, count)
        for extra in extra_pages:
            device.newPage()
            p.resetTransform()
            p.scale(dpp, dpp)
            extra(p, rect.width(), rect.height())
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
            if y + 13 > height:
                p.drawText(QPointF(0, y + 10), "…")
                break
            p.drawText(QPointF(0, y + 10),
                       fm.elidedText(line, Qt.TextElideMode.ElideRight, width))  # fmt: skip
            y += 13

    return paint


def change_lines_since(roadmap: Roadmap, snapshot: str) -> list[str]:
    """The lines of 'What changed since' for a snapshot, from planner.diff."""
    try:
        from planner.diff import change_lines, diff_since
    except ImportError:
        raise ExportError(_tr("a 'what changed' page cannot be made yet")) from None
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


def subtitle_for(roadmap: Roadmap, lens: Lens, plan_label: str | None = None,
                 today: dt.date | None = None) -> str:  # fmt: skip
    parts = [lens.name]
    if plan_label is None:
        try:
            plan = roadmap.plan()
            if plan.kind != "plan":
                plan_label = f"{plan.kind.capitalize()}: {plan.name}"
        except Exception:  # the label is a courtesy; never fail an export for it
            plan_label = None
    if plan_label:
        parts.append(plan_label)
    parts.append(_tr("exported %1").replace("%1", format_day(today or dt.date.today())))
    return " · ".join(parts)


def build_picture(roadmap: Roadmap, lens: Lens, options: ExportOptions,
                  plan_label: str | None = None, today: dt.date | None = None
                  ) -> RoadmapPicture:  # fmt: skip
    title = options.title or roadmap.title
    return RoadmapPicture(roadmap, lens, title=title,
                          subtitle=subtitle_for(roadmap, lens, plan_label, today),
                          date_from=options.date_from, date_to=options.date_to, today=today)


def export_roadmap(roadmap: Roadmap, out: str | os.PathLike[str], options: ExportOptions,
                   lens: Lens | None = None, plan_label: str | None = None,
                   today: dt.date | None = None) -> ExportResult:  # fmt: skip
    """Write the export to ``out`` atomically: beside it first, then renamed into place."""
    from PySide6.QtGui import QPdfWriter

    out = Path(out)
    fmt = options.format.lower()
    if fmt not in FORMATS:
        raise ExportError(_tr("unknown format %1: use png, pdf or svg").replace("%1", fmt))
    lens = lens or Lens()
    picture = build_picture(roadmap, lens, options, plan_label, today)
    extra = []
    if options.changes_since and fmt == "pdf":
        lines = change_lines_since(roadmap, options.changes_since)
        title = _tr("What changed since %1").replace("%1", options.changes_since)
        extra.append(_changes_page(lines, title))
    layout = page_layout(options) if fmt == "pdf" else None
    if fmt == "png":
        width, height = image_size(picture)
        check_image_size(width, height, options.png_scale)
    tmp = _temp_beside(out)
    try:
        result = ExportResult(out)
        if fmt == "png":
            image = render_image(picture, options.png_scale)
            if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]
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
        os.replace(tmp, out)
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
    return w, h


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
        raise ExportError(_tr("--scale must be between 0 and 8 (1, 2 or 3 usually)"))
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
            lens = Lens.from_view(view)
            result = export_roadmap(roadmap, args.out, options, lens)
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
