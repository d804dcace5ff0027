"""The legend: what the colours mean under the active view's colour-by."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QMainWindow, QSizePolicy, QToolBar, QWidget

from planner.lens import NO_VALUE_COLOR, LegendTally, Lens, legend
from planner.model import Lane, Objective
from ui.document import Document

if TYPE_CHECKING:
    from typing_extensions import override
else:  # only checked by the type checker: not worth importing typing_extensions at start-up

    def override(method: Any) -> Any:
        return method


Items = Sequence[tuple[str, str]]


def legend_items(document: Document) -> list[tuple[str, str]]:
    """(label, colour) pairs for the cards the active view shows."""
    roadmap = document.roadmap
    if roadmap.closed:
        return []
    lens = Lens.from_view(document.active_view)
    return legend(lens, document.cards(), roadmap.lanes(), roadmap.objectives())


def _layout(
    items: Items,
    font: QFont,
    width: float,
    widths: dict[str, float] | None = None,
    bottom: float | None = None,
) -> list[tuple[QRectF, QRectF, str, str]]:
    """Swatch and label rectangles, wrapping to new lines within ``width``.

    ``widths``: the labels' advances in ``font`` measured before, added to as labels are
    measured (a widget lays out the same labels again and again while its layout settles).
    ``bottom``: stop after the first item that reaches below it (lines only go down).
    """
    fm = QFontMetricsF(font)
    line = fm.height()
    swatch = max(6.0, round(line * 0.7))
    gap, spacing = swatch * 0.5, swatch * 1.6
    x = y = 0.0
    placed = []
    for label, colour in items:
        if widths is None:
            advance = fm.horizontalAdvance(label)
        else:
            advance = widths.get(label, -1.0)
            if advance < 0:
                advance = widths[label] = fm.horizontalAdvance(label)
        text_w = min(advance, max(40.0, width - swatch - gap))
        w = swatch + gap + text_w
        if x > 0 and x + w > width:
            x, y = 0.0, y + line * 1.3
        sw = QRectF(x, y + (line - swatch) / 2, swatch, swatch)
        placed.append((sw, QRectF(x + swatch + gap, y, text_w, line), label, colour))
        if bottom is not None and y + line > bottom:
            break
        x += w + spacing
    return placed


def legend_height(items: Items, font: QFont, width: float,
                  widths: dict[str, float] | None = None) -> float:  # fmt: skip
    """Height the legend needs at this width (0 for no items)."""
    placed = _layout(items, font, width, widths)
    return placed[-1][1].bottom() if placed else 0.0


def paint_legend(painter: QPainter, rect: QRectF | QRect, items: Items, font: QFont) -> float:
    """Draw the legend into ``rect`` (swatches and plain-text labels); returns height used.

    Pure painting, no widget: the export draws the same legend on its pages.
    """
    r = QRectF(rect)
    placed = _layout(items, font, r.width())
    painter.save()
    painter.setFont(font)
    fm = QFontMetricsF(font)
    text_colour = painter.pen().color()
    used = 0.0
    for sw, tr, label, colour in placed:
        if tr.center().y() > r.height():
            break  # the rest does not fit
        painter.setPen(QColor(colour).darker(130))
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(sw.translated(r.topLeft()), 2, 2)
        painter.setPen(text_colour)
        text = fm.elidedText(label, Qt.TextElideMode.ElideRight, tr.width())
        painter.drawText(tr.translated(r.topLeft()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        used = tr.bottom()
    painter.restore()
    return used


MAX_LINES = 2  # the strip under the tool bar; the rest is counted and listed in the tooltip


def fit_strip(
    items: Items,
    font: QFont,
    width: float,
    max_lines: int = MAX_LINES,
    widths: dict[str, float] | None = None,
) -> tuple[list[tuple[str, str]], int]:
    """The items that fit in ``max_lines`` at this width, leaving room for "+N more"; N."""
    fm = QFontMetricsF(font)
    limit = fm.height() * 1.3 * (max_lines - 1) + fm.height()
    # Laid out only as far as the first item below the strip: a hundred lanes show ten.
    placed = _layout(items, font, width, widths, bottom=limit + 0.5)
    if not placed or (len(placed) == len(items) and placed[-1][1].bottom() <= limit + 0.5):
        return list(items), 0
    shown = [p for p in placed if p[1].bottom() <= limit + 0.5]
    while shown:
        hidden = len(items) - len(shown)
        more = fm.horizontalAdvance(f"+{hidden} more") + fm.height()
        if shown[-1][1].right() + more <= width:
            break
        shown.pop()
    return [(label, colour) for _, _, label, colour in shown], len(items) - len(shown)


class LegendWidget(QWidget):
    """A strip of colour swatches with their meaning, kept current with the document.

    At most two lines: a roadmap coloured by a hundred lanes shows what fits and "+N more",
    with every colour in the tooltip, so the legend never crowds out the timeline.
    """

    def __init__(self, document: Document | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._items: list[tuple[str, str]] = []
        self._heights: dict[tuple[int, str], int] = {}
        self._advances: dict[str, float] = {}  # label -> advance in the font of _advances_font
        self._advances_font = ""
        # Counts per colour, patched from each edit's cards; None: count every card again.
        self._tally: LegendTally | None = None
        self._refreshed = False
        self._names: tuple[list[Lane], list[Objective]] | None = None  # read again on change
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        if document is not None:
            document.changed.connect(self._on_document_changed)
            document.view_changed.connect(self._on_document_view_changed)
            document.loaded.connect(self._refresh_timer.start)
            self.refresh()

    @property
    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def _widths(self) -> dict[str, float]:
        """The labels' advances measured so far in the widget's current font."""
        key = self.font().key()
        if key != self._advances_font:
            self._advances = {}
            self._advances_font = key
        return self._advances

    def set_items(self, items: Items) -> None:
        self._items = list(items)
        self._heights = {}  # width, font -> height, for these items
        self._update_tooltip()
        self.updateGeometry()
        self.update()

    def _update_tooltip(self) -> None:
        """What the colours mean; and, when the strip cannot show them all, the rest by name."""
        tip = self.tr("What the colours mean")
        shown, hidden = fit_strip(self._items, self.font(), max(1, self.width() - 8),
                                  widths=self._widths())  # fmt: skip
        if hidden:
            names = [label for label, _ in self._items[len(shown):]]
            lines: list[str] = []
            for name in names:
                if lines and len(lines[-1]) + len(name) < 90:
                    lines[-1] += " · " + name
                else:
                    lines.append(name)
            if len(lines) > 12:
                rest = sum(line.count(" · ") + 1 for line in lines[12:])
                lines = lines[:12] + [self.tr("… and %1 more").replace("%1", str(rest))]
            tip += "\n" + self.tr("Not shown in the strip:") + "\n" + "\n".join(lines)
        self.setToolTip(tip)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_tooltip()

    def refresh(self) -> None:
        """Rebuild the items from the document's active view."""
        document = self.document
        if document is None:
            return
        roadmap = document.roadmap
        if roadmap.closed:
            self._tally = self._names = None
            self.set_items([])
            return
        lens = Lens.from_view(document.active_view)
        if self._names is None:
            self._names = (roadmap.lanes(), roadmap.objectives())
        if document.loading and not document.announces_load and lens == Lens():
            # Only the lanes at the top are read yet (the rest come right after the first
            # paint): the lanes in use, from the file, are what the legend shows for all.
            self._tally = None  # counted once every card is in
            used = roadmap.lanes_in_use()
            items = [(lane.name, lane.color) for lane in self._names[0] if lane.id in used]
            if None in used:
                items.append(("No lane", NO_VALUE_COLOR))
        else:
            if self._tally is None or self._tally.lens != lens:
                self._tally = LegendTally(lens, document.cards())
            items = self._tally.items(*self._names)
        if items != self._items or not self._refreshed:  # most edits change no colour:
            self._refreshed = True  # no relayout of the toolbar then
            self.set_items(items)

    def _on_document_changed(self, changes: list[Any]) -> None:
        if any(c.entity in ("lane", "objective", "plan") for c in changes):
            self._names = None
        if any(c.entity in ("card", "lane", "objective", "view", "plan") for c in changes):
            self._count_cards(changes)
            self._refresh_timer.start()

    def _count_cards(self, changes: list[Any]) -> None:
        """Recount the cards an edit touched, from the cards the document patched for it."""
        tally = self._tally
        if tally is None or self.document is None:
            return
        for c in changes:
            if c.entity != "card":
                continue
            fresh = self.document.cached_cards(c.ids) if c.ids else None
            if fresh is None:  # the document reads every card again: so does the legend
                self._tally = None
                return
            for card_id in c.ids:
                if card_id in fresh:
                    tally.put(fresh[card_id])
                else:
                    tally.remove(card_id)
        if any(c.entity == "plan" and c.op == "reset" for c in changes):
            self._tally = None

    def _on_document_view_changed(self, _view: object) -> None:
        self._refresh_timer.start()

    @override
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    @override
    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        key = (width, self.font().key())  # layouts ask again and again while they settle
        height = self._heights.get(key)
        if height is None:
            widths = self._widths()
            shown, hidden = fit_strip(self._items, self.font(), max(1, width - 8), widths=widths)
            height = math.ceil(legend_height(shown + [("", "")] * bool(hidden), self.font(),
                                             max(1, width - 8), widths)) + 6  # fmt: skip
            self._heights[key] = height
        return height

    @override
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        window = self.window()  # before the first layout the strip is as wide as the window
        width = max(200, self.width(), window.width() - 40 if window is not self else 0)
        return QSize(width, self.heightForWidth(width))

    @override
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(40, int(QFontMetricsF(self.font()).height()) + 6)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.palette().windowText().color())
        area = QRectF(self.rect()).adjusted(4, 3, -4, -3)
        widths = self._widths()
        shown, hidden = fit_strip(self._items, self.font(), area.width(), widths=widths)
        paint_legend(painter, area, shown, self.font())
        if hidden:
            placed = _layout(shown, self.font(), area.width(), widths)
            fm = QFontMetricsF(self.font())
            x = placed[-1][1].right() + fm.height() if placed else 0.0
            y = placed[-1][1].top() if placed else 0.0
            text = self.tr("+%1 more").replace("%1", str(hidden))
            painter.drawText(QRectF(area.left() + x, area.top() + y, area.width() - x,
                                    fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             text)  # fmt: skip
        painter.end()


def install(window: QMainWindow) -> LegendWidget:
    """A legend strip under the main toolbar (hidden with the toolbars in presentation)."""
    document: Document = window.document  # type: ignore[attr-defined]
    widget = LegendWidget(document)
    bar = QToolBar(window.tr("Legend"), window)
    bar.setObjectName("legend_toolbar")
    bar.setMovable(False)
    bar.addWidget(widget)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.legend = widget  # type: ignore[attr-defined]
    window.legend_bar = bar  # type: ignore[attr-defined]
    toggle = bar.toggleViewAction()
    toggle.setText(window.tr("&Legend"))
    window.view_menu.addAction(toggle)  # type: ignore[attr-defined]
    return widget
