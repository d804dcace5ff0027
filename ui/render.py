"""Painting primitives shared by the timeline window and by exports, so both look the same.

Every function takes a QPainter, geometry and a Theme; none keeps widget state. Text from the
file is drawn with ``drawText`` (never parsed as rich text).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)

from planner import dates
from planner.layout import TimeScale
from planner.records import record

HEADER_ROW = 22
HEADER_HEIGHT = 2 * HEADER_ROW
LANE_LABEL_WIDTH = 170
HANDLE = 6  # resize handle width in pixels, whatever the zoom
LINK_HANDLE = 10  # the dependency handle just right of a bar
MIN_BAR = 2 * HANDLE + 6  # a bar is never narrower than its two handles and a grip

STATUS_GLYPHS = {"idea": "○", "planned": "◔", "in_progress": "◑", "done": "●", "dropped": "✕"}
STATUS_COLORS = {
    "idea": "#9e9e9e",
    "planned": "#4e79a7",
    "in_progress": "#f28e2b",
    "done": "#59a14f",
    "dropped": "#b07aa1",
}


_LIGHT = {
    "background": "#ffffff", "band_alt": "#f5f6f8", "grid": "#e3e5e8", "grid_major": "#c5c9cf",
    "text": "#1f2328", "muted": "#5f6670", "header_bg": "#eef0f3", "today": "#d62728",
    "warning": "#e8590c", "arrow": "#6b7280", "selection": "#1a73e8", "highlight": "#ffd43b",
}  # fmt: skip


def _given(colors: dict[str, QColor], name: str) -> QColor:
    color = colors.get(name)
    return QColor(_LIGHT[name]) if color is None else color


class Theme:
    """Colours and fonts of the timeline; built from a palette for light and dark modes.

    A plain class (a dataclass compiles its methods at import, before the first paint): every
    colour and the font can be given by keyword; those not given are the light theme's.
    """

    def __init__(self, dark: bool = False, *, font: QFont | None = None,
                 sprint_band: QColor | None = None, text_scale: float = 1.0,
                 **colors: QColor) -> None:  # fmt: skip
        unknown = set(colors) - set(_LIGHT)
        if unknown:
            raise TypeError(f"Theme() got an unexpected keyword argument {sorted(unknown)[0]!r}")
        self.dark = dark
        self.background = _given(colors, "background")
        self.band_alt = _given(colors, "band_alt")
        self.grid = _given(colors, "grid")
        self.grid_major = _given(colors, "grid_major")
        self.text = _given(colors, "text")
        self.muted = _given(colors, "muted")
        self.header_bg = _given(colors, "header_bg")
        self.today = _given(colors, "today")
        self.warning = _given(colors, "warning")
        self.arrow = _given(colors, "arrow")
        self.selection = _given(colors, "selection")
        self.highlight = _given(colors, "highlight")
        self.sprint_band = sprint_band if sprint_band is not None else QColor(26, 115, 232, 18)
        self.font = font if font is not None else QFont()
        self.text_scale = text_scale  # larger type on a projector (presentation mode)

    def px(self, pixels: float) -> int:
        """A text size in pixels at this theme's text scale."""
        return max(1, int(round(pixels * self.text_scale)))

    @classmethod
    def from_palette(cls, palette: QPalette, font: QFont | None = None) -> Theme:
        """A theme matching the widget palette (dark when the window colour is dark)."""
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        theme = cls.dark_theme() if dark else cls()
        theme.background = QColor(base)
        theme.text = QColor(palette.color(QPalette.ColorRole.Text))
        theme.selection = QColor(palette.color(QPalette.ColorRole.Highlight))
        if font is not None:
            theme.font = QFont(font)
        return theme

    @classmethod
    def dark_theme(cls) -> Theme:
        return cls(
            dark=True, background=QColor("#1e1f22"), band_alt=QColor("#25272b"),
            grid=QColor("#34373c"), grid_major=QColor("#4a4e55"), text=QColor("#e6e6e6"),
            muted=QColor("#a0a6ad"), header_bg=QColor("#2b2d31"), today=QColor("#ff6b6b"),
            warning=QColor("#ff922b"), arrow=QColor("#9aa0a6"), selection=QColor("#4dabf7"),
            highlight=QColor("#ffd43b"), sprint_band=QColor(77, 171, 247, 22),
        )  # fmt: skip


class ElideCache:
    """Elided titles per (title, width, font): eliding 10,000 titles per frame is too slow."""

    def __init__(self, limit: int = 20000) -> None:
        self._cache: dict[tuple[str, int, str], str] = {}
        self._limit = limit

    def elide(self, text: str, width: float, font: QFont) -> str:
        w = int(width)
        key = (text, w, _FONT_KEYS.get(id(font)) or font.key())
        got = self._cache.get(key)
        if got is None:
            if len(self._cache) > self._limit:
                self._cache.clear()
            # Eliding 100,000 characters is slow; no bar shows more than a few hundred.
            head = text[:400].replace("\n", " ")
            got = QFontMetricsF(font).elidedText(head, Qt.TextElideMode.ElideRight, w)
            if got == head and len(head) < len(text):
                got = QFontMetricsF(font).elidedText(head + "……", Qt.TextElideMode.ElideRight, w)
            self._cache[key] = got
        return got


ELIDE = ElideCache()


def text_color_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill``."""
    lum = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    return QColor("#111111") if lum > 0.6 else QColor("#ffffff")


_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_LEFT_LINE = _LEFT | Qt.TextFlag.TextSingleLine
_COLORS: dict[str, QColor] = {}
_FONT_KEYS: dict[int, str] = {}  # id of a cached font -> its key (QFont.key() is slow)
_BASE_KEYS: dict[int, tuple[QFont, str]] = {}
_FONTS: dict[tuple[str, int], tuple[QFont, QFontMetricsF]] = {}


def fill_rect(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """``painter.fillRect(rect, color)``, the same pixels, leaving the painter with no pen and
    the colour as its brush. PySide picks among fillRect's overloads by looking at QGradient's
    enum types, which it builds on that first call (3 ms before the window's first paint)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRect(rect)


def _color(value: str | QColor) -> QColor:
    """A fresh QColor for ``value`` (parsed once per colour name)."""
    if isinstance(value, QColor):
        return QColor(value)
    c = _COLORS.get(value)
    if c is None:
        c = QColor(value)
        if not c.isValid():
            c = QColor("#8c8c8c")
        if len(_COLORS) < 4096:
            _COLORS[value] = c
    return QColor(c)


def sized_font(base: QFont, pixels: int) -> tuple[QFont, QFontMetricsF]:
    """``base`` at a pixel size, with its metrics; cached, as painting asks for it per bar."""
    known = _BASE_KEYS.get(id(base))
    if known is None or known[0] is not base:
        known = (base, base.key())
        _BASE_KEYS[id(base)] = known
    key = (known[1], pixels)
    got = _FONTS.get(key)
    if got is None:
        font = QFont(base)
        font.setPixelSize(pixels)
        got = (font, QFontMetricsF(font))
        if len(_FONTS) > 256:
            _FONTS.clear()
            _FONT_KEYS.clear()
            _BASE_KEYS.clear()
        _FONTS[key] = got
        _FONT_KEYS[id(font)] = font.key()
    return got


def fmt_estimate(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:g}"


def card_colors(
    color: str | QColor, theme: Theme, *, status: str | None = None, dimmed: bool = False
) -> tuple[QColor, QColor]:
    """A bar's fill and its text colour. A dropped card is faded, but painted opaque so its
    title is chosen against the colour the reader sees, and stays readable."""
    fill = _color(color)
    if dimmed:
        fill.setAlpha(90)
        ink = text_color_on(fill)
        ink.setAlpha(140)
        return fill, ink
    if status == "dropped":
        fill = _blend(theme.background, fill, 0.45)
    return fill, text_color_on(fill)


_BADGE_ON_DARK = QColor(255, 255, 255, 70)  # the estimate's pill on a bar with light text
_BADGE_ON_LIGHT = QColor(0, 0, 0, 40)
_DIAL_PENS: dict[int, QPen] = {}
_BAR_COLORS: dict[tuple[str, bool, bool, int], tuple[QColor, QColor]] = {}


def _bar_colors(
    color: str | QColor, theme: Theme, status: str | None, dimmed: bool
) -> tuple[QColor, QColor]:
    """``card_colors``, remembered per colour name, fading and background (never changed by
    the caller: painting only reads them)."""
    if not isinstance(color, str):
        return card_colors(color, theme, status=status, dimmed=dimmed)
    dropped = status == "dropped"
    key = (color, dropped, dimmed, theme.background.rgba())
    got = _BAR_COLORS.get(key)
    if got is None:
        if len(_BAR_COLORS) > 4096:
            _BAR_COLORS.clear()
        got = _BAR_COLORS[key] = card_colors(color, theme, status=status, dimmed=dimmed)
    return got


def paint_card(
    painter: QPainter,
    rect: QRectF,
    title: str,
    color: str | QColor,
    theme: Theme,
    *,
    status: str | None = None,
    estimate: float | None = None,
    subtitle: str = "",
    fields: Sequence[str] = ("title", "status", "estimate"),
    selected: bool = False,
    highlighted: bool = False,
    dimmed: bool = False,
    flagged: bool = False,
    hovered: bool = False,
    text_from: float | None = None,
    stamps: float = 0.0,
) -> None:
    """A card bar: rounded rect, elided title, status and estimate badges when there is room.

    ``text_from`` keeps the title readable when the bar starts off screen: the text starts there.
    ``stamps`` is the device pixel ratio of a screen painter that is moved but never scaled:
    the estimate and status badges are then drawn from small pictures kept from earlier paints
    (the screen repaints the same bars over and over); 0 draws everything afresh, as exports to
    PDF, SVG or a scaled image need.
    """
    fill, ink = _bar_colors(color, theme, status, dimmed)
    w = rect.width()
    if w < 6:
        fill_rect(painter, rect, fill)
        if selected:
            fill_rect(painter, rect.adjusted(0, -2, 0, 2), theme.selection)
        return
    height = rect.height()
    radius = min(5.0, height / 3, w / 3)
    painter.setPen(_NO_PEN)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, radius, radius)
    if highlighted or flagged or selected or hovered:
        _paint_card_marks(painter, rect, fill, theme, radius, w, selected=selected,
                          highlighted=highlighted, flagged=flagged, hovered=hovered)  # fmt: skip
    if w < 28:
        return
    _paint_card_content(painter, rect.left(), rect.top(), w, height, title, ink, theme, status,
                        estimate, subtitle, fields, text_from, stamps)  # fmt: skip


def paint_plain_card(painter: QPainter, x: float, y: float, w: float, height: float, title: str,
                     color: str | QColor, theme: Theme, status: str | None,
                     estimate: float | None, fields: Sequence[str], text_from: float | None,
                     stamps: float) -> None:  # fmt: skip
    """``paint_card`` of a bar ``w`` wide at ``(x, y)`` (the painter moved there and back) that
    has no mark, subtitle or fading: not selected, hovered, highlighted, flagged or dimmed.
    The same pixels with less Python: a zoom paints a hundred of these at every step."""
    fill, ink = _bar_colors(color, theme, status, False)
    painter.translate(x, y)
    radius = min(5.0, height / 3, w / 3)
    painter.setPen(_NO_PEN)
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(0, 0, w, height), radius, radius)
    if w >= 28:
        _paint_card_content(painter, 0.0, 0.0, w, height, title, ink, theme, status, estimate, "",
                            fields, text_from, stamps, True)  # fmt: skip
    painter.translate(-x, -y)


def _paint_card_content(painter: QPainter, x0: float, top: float, w: float, height: float,
                        title: str, ink: QColor, theme: Theme, status: str | None,
                        estimate: float | None, subtitle: str, fields: Sequence[str],
                        text_from: float | None, stamps: float,
                        make: bool = False) -> None:  # fmt: skip
    """A bar's badges and title (``paint_card``), the bar at ``x0``, ``top``, ``w`` wide;
    ``make``: keep a picture of the title if there is none yet (during a zoom)."""
    _, font, badge_font, fm, font_key, title_key = _card_fonts(theme, height)
    left = x0 + HANDLE + 2
    if text_from is not None and left < text_from + 4 < x0 + w - 80:
        left = text_from + 4
    right = x0 + w - HANDLE - 2
    if w >= 110:
        ink_key = ink.rgba() if stamps else 0
        est = fmt_estimate(estimate) if "estimate" in fields else ""
        if est:
            bw = _advance(fm, font_key, est) + 8
            bx = right - bw
            if stamps:
                _draw_stamp(painter, bx, top + 4, bw, height - 8,
                            ("est", est, font_key, ink_key, bw, height, stamps),
                            _paint_estimate, est, badge_font, ink)  # fmt: skip
            else:
                _paint_estimate(painter, QRectF(bx, top + 4, bw, height - 8), est, badge_font, ink)
            right = bx - 4
        if status and "status" in fields and status in STATUS_GLYPHS:
            cx, cy = left + 4, top + height / 2
            if stamps:
                _draw_stamp(painter, cx - 6, cy - 6, 12, 12, ("dial", status, ink_key, stamps),
                            _paint_dial, status, ink)  # fmt: skip
            else:
                paint_status(painter, QPointF(cx, cy), status, ink)
            left += 12
    painter.setFont(font)
    if "title" in fields or subtitle:
        text = title if "title" in fields else ""
        if subtitle:
            text = f"{text} · {subtitle}" if text else subtitle
        avail = right - left
        if avail > 10 and text:
            shown = ELIDE.elide(text, avail, font)
            if not stamps:
                painter.setPen(ink)
                painter.drawText(QRectF(left, top, avail, height), _LEFT_LINE, shown)
            elif not _stamp_title(painter, left, top, height, text, shown, font, title_key, ink,
                                  stamps, make):  # fmt: skip
                # On the whole pixel kept pictures of titles are copied to, so that a title
                # drawn either way sits in the same place.
                painter.setPen(ink)
                painter.drawText(QRectF(math.floor(left + 0.5), top, avail, height), _LEFT_LINE,
                                 shown)  # fmt: skip


_CardFonts = tuple[QFont, QFont, QFont, QFontMetricsF, str, str]
_CARD_FONTS: dict[tuple[int, float, float], _CardFonts] = {}


def _card_fonts(theme: Theme, height: float) -> _CardFonts:
    """The theme's base font, a bar's title and badge fonts at its height, the badge font's
    metrics and key, the title font's key: remembered, as every bar of every frame asks."""
    base = theme.font
    key = (id(base), theme.text_scale, height)
    got = _CARD_FONTS.get(key)
    if got is None or got[0] is not base:
        font, _ = sized_font(base, max(9, theme.px(height * 0.5)))
        badge_font, fm = sized_font(base, max(8, theme.px(height * 0.42)))
        if len(_CARD_FONTS) > 64:
            _CARD_FONTS.clear()
        got = _CARD_FONTS[key] = (base, font, badge_font, fm,
                                  _FONT_KEYS.get(id(badge_font)) or badge_font.key(),
                                  _FONT_KEYS.get(id(font)) or font.key())  # fmt: skip
    return got


def _paint_card_marks(painter: QPainter, rect: QRectF, fill: QColor, theme: Theme, radius: float,
                      w: float, *, selected: bool, highlighted: bool, flagged: bool,
                      hovered: bool) -> None:  # fmt: skip
    """A bar's highlight, flag for an end before its start, and selection or hover outline."""
    if highlighted:
        painter.setPen(QPen(theme.highlight, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), radius + 1, radius + 1)
    if flagged:
        pen = QPen(theme.warning, 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
    if selected or hovered:
        pen = QPen(theme.selection if selected else fill.darker(140), 2.5 if selected else 1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if selected and w >= MIN_BAR:
            painter.setPen(QPen(text_color_on(fill), 1.2))
            for x in (rect.left() + HANDLE / 2, rect.right() - HANDLE / 2):
                painter.drawLine(QPointF(x, rect.top() + 6), QPointF(x, rect.bottom() - 6))


_STAMPS: dict[tuple[object, ...], QPixmap] = {}
_NO_PEN = Qt.PenStyle.NoPen
_RASTER_DEVICES = (1, 2, 3)  # QPaintDevice.devType() of a widget, a pixmap, an image


def stamp_ratio(painter: QPainter) -> float:
    """``paint_card``'s ``stamps`` for this painter: its device pixel ratio when it paints an
    image or the screen moved but not scaled (a bar's cached picture), 0 for PDF, SVG, a
    printer or a scaled export, which get the drawing itself."""
    device = painter.device()
    # Widgets, pixmaps and images are painted by Qt's raster engine. (Asking the painter for
    # its engine, or naming those classes here, has PySide build their enum types before the
    # window's first paint.)
    if device is None or device.devType() not in _RASTER_DEVICES:
        return 0.0
    transform = painter.worldTransform()
    if transform.isScaling() or transform.isRotating():
        return 0.0
    return device.devicePixelRatioF()


def _draw_stamp(painter: QPainter, x: float, y: float, w: float, h: float,
                key: tuple[object, ...], draw: Callable[..., None],
                *args: object) -> None:  # fmt: skip
    """``draw(painter, QRectF(x, y, w, h), *args)`` from a small transparent picture made
    once per ``key``, whose last item is the device pixel ratio."""
    stamp = _STAMPS.get(key)
    if stamp is None:
        ratio = float(key[-1])  # type: ignore[arg-type]
        if len(_STAMPS) > 512:
            _STAMPS.clear()
        stamp = QPixmap(max(1, math.ceil(w * ratio)), max(1, math.ceil(h * ratio)))
        stamp.setDevicePixelRatio(ratio)
        stamp.fill(Qt.GlobalColor.transparent)
        p = QPainter(stamp)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        draw(p, QRectF(0, 0, w, h), *args)
        p.end()
        _STAMPS[key] = stamp
    painter.drawPixmap(QPointF(x, y), stamp)


class _TitleStamps:
    """Bar titles drawn once into small transparent pictures, kept within a memory budget.

    Qt lays out and draws a title in about 20 µs and copies its picture in about 4; a zoom
    repaints a hundred titles at every step. A title cut short by its bar is its whole picture
    cut where the shown part ends, then the ellipsis: the cut moves at every step of a zoom,
    the picture stays. Pictures are made during a zoom (and a moment after the view last
    changed, for the bars in view: ``prepare_titles``), not at a window's first paint, where
    making them would cost more than drawing the titles once.
    """

    def __init__(self, budget: int = 32 << 20) -> None:
        self._kept: dict[tuple[object, ...], QPixmap | None] = {}
        self._bytes = 0
        self._budget = budget

    def get(self, text: str, font: QFont, font_key: str, ink: QColor, height: float,
            ratio: float, make: bool = True) -> QPixmap | None:  # fmt: skip
        """The picture of ``text``: None for text that must be laid out as a whole, or when
        there is none yet and ``make`` is false."""
        key = (text, font_key, ink.rgba(), height, ratio)
        if key in self._kept:
            return self._kept[key]
        if not make:
            return None
        stamp = None
        # Cutting a picture is right only for text read left to right whose letters do not
        # change with their neighbours: printable ASCII. Other text is drawn as before.
        if text == _ELLIPSIS or (text.isascii() and text.isprintable()):
            # room on both sides for letters reaching out of their box (a "T" or "j" at an end)
            width = _metrics(font, font_key).horizontalAdvance(text) + 2 * _PAD
            stamp = QPixmap(max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio)))
            stamp.setDevicePixelRatio(ratio)
            stamp.fill(Qt.GlobalColor.transparent)
            p = QPainter(stamp)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            p.setFont(font)
            p.setPen(ink)
            p.drawText(QRectF(_PAD, 0, width, height), _LEFT_LINE, text)
            p.end()
            size = stamp.width() * stamp.height() * 4
            if self._bytes + size > self._budget:
                self._kept.clear()
                self._bytes = 0
            self._bytes += size
        self._kept[key] = stamp
        return stamp


_PAD = 2  # pixels of a title's picture left and right of its text
_TITLES = _TitleStamps()
_ELLIPSIS = "…"


def prepare_titles(bars: Iterable[tuple[str, str | QColor, str | None]], theme: Theme,
                   height: float, ratio: float) -> None:  # fmt: skip
    """Make the kept pictures of these bars' titles (title, colour, status) ahead of a zoom."""
    _, font, _, _, _, title_key = _card_fonts(theme, height)
    for title, color, status in bars:
        if title:
            ink = _bar_colors(color, theme, status, False)[1]
            _TITLES.get(title[:400], font, title_key, ink, height, ratio)
            _TITLES.get(_ELLIPSIS, font, title_key, ink, height, ratio)


def _stamp_title(painter: QPainter, left: float, top: float, height: float, text: str,
                 shown: str, font: QFont, font_key: str, ink: QColor, ratio: float,
                 make: bool) -> bool:  # fmt: skip
    """A bar's title ``shown`` (``text`` elided) at ``left``, ``top`` from kept pictures;
    False where it must be drawn as text."""
    if shown == text:
        whole = _TITLES.get(text, font, font_key, ink, height, ratio, make)
        if whole is None:
            return False
        painter.drawPixmap(QPointF(left - _PAD, top), whole)
        return True
    head = shown[:-1]
    if not shown.endswith(_ELLIPSIS) or not text.startswith(head):
        return False
    whole = _TITLES.get(text[:400], font, font_key, ink, height, ratio, make)
    dots = _TITLES.get(_ELLIPSIS, font, font_key, ink, height, ratio, make)
    if whole is None or dots is None:
        return False
    cut = 0.0
    if head:
        fm = _metrics(font, font_key)
        cut = _advance(fm, font_key, head)
        width = _clean_cut(fm, font_key, head[-1], text[len(head)], cut)
        if width is None:
            return False
        width += _PAD
        painter.drawPixmap(QRectF(math.floor(left + 0.5) - _PAD, math.floor(top + 0.5), width,
                                  height), whole, QRectF(0, 0, width * ratio, height * ratio))
    painter.drawPixmap(QPointF(left + cut - _PAD, top), dots)
    return True


_PAIRS: dict[tuple[str, str, str], tuple[float, float] | None] = {}


def _clean_cut(fm: QFontMetricsF, font_key: str, last: str, after: str,
               cut: float) -> int | None:  # fmt: skip
    """Where to cut a title's picture after ``last`` (its ink ends at ``cut`` less its right
    bearing) so that nothing of the letter ``after`` comes along: a whole pixel between the two
    letters' ink, None where there is none (a kerned pair such as "To", a letter reaching under
    its neighbour, an "f" that may join the next letter)."""
    key = (font_key, last, after)
    if key not in _PAIRS:
        ends = None
        if last != "f":
            kern = fm.horizontalAdvance(last + after) - fm.horizontalAdvance(last) \
                - fm.horizontalAdvance(after)  # fmt: skip
            if abs(kern) < 1e-6:
                ends = (fm.rightBearing(last), fm.leftBearing(after))
        if len(_PAIRS) > 20000:
            _PAIRS.clear()
        _PAIRS[key] = ends
    ends = _PAIRS[key]
    if ends is None:
        return None
    width = math.ceil(cut - max(0.0, ends[0]) - 1e-6)
    return width if width <= cut + min(0.0, ends[1]) + 1e-6 else None


_METRICS: dict[str, QFontMetricsF] = {}


def _metrics(font: QFont, font_key: str) -> QFontMetricsF:
    got = _METRICS.get(font_key)
    if got is None:
        if len(_METRICS) > 64:
            _METRICS.clear()
        got = _METRICS[font_key] = QFontMetricsF(font)
    return got


def _paint_dial(painter: QPainter, box: QRectF, status: str, ink: QColor) -> None:
    paint_status(painter, box.center(), status, ink)


def _paint_estimate(painter: QPainter, badge: QRectF, est: str, font: QFont, ink: QColor) -> None:
    """The estimate's pill at the right end of a bar."""
    painter.setFont(font)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_BADGE_ON_DARK if ink.lightness() > 128 else _BADGE_ON_LIGHT)
    painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
    painter.setPen(ink)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, est)


def paint_status(painter: QPainter, center: QPointF, status: str, ink: QColor) -> None:
    """A small dial: empty for an idea, a quarter planned, half in progress, full when done."""
    r = 4.0
    box = QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r)
    pen = _DIAL_PENS.get(ink.rgba())
    if pen is None:
        if len(_DIAL_PENS) > 256:
            _DIAL_PENS.clear()
        pen = _DIAL_PENS[ink.rgba()] = QPen(ink, 1.2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(box)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    if status == "done":
        painter.drawEllipse(box)
    elif status == "in_progress":
        painter.drawPie(box, 90 * 16, -180 * 16)
    elif status == "planned":
        painter.drawPie(box, 90 * 16, -90 * 16)
    elif status == "dropped":
        painter.setPen(QPen(ink, 1.2))
        painter.drawLine(box.topLeft(), box.bottomRight())


def paint_change_badge(painter: QPainter, corner: QPointF, kind: str, theme: Theme) -> None:
    """A dot on a bar's corner in compare mode: green + for added, orange ~ for changed."""
    color = QColor("#2f9e44") if kind == "added" else theme.warning
    box = QRectF(corner.x() - 5, corner.y() - 5, 11, 11)
    painter.setPen(QPen(theme.background, 1.5))
    painter.setBrush(color)
    painter.drawEllipse(box)
    painter.setPen(QPen(QColor("#ffffff"), 1.4))
    c = box.center()
    painter.drawLine(QPointF(c.x() - 2.5, c.y()), QPointF(c.x() + 2.5, c.y()))
    if kind == "added":
        painter.drawLine(QPointF(c.x(), c.y() - 2.5), QPointF(c.x(), c.y() + 2.5))


def milestone_font(theme: Theme) -> QFont:
    """The bold font of milestone labels (kept: not to be changed)."""
    return _milestone_font(theme)[0]


_MILESTONE_FONTS: dict[tuple[int, float], tuple[QFont, QFontMetricsF, QFont]] = {}


def _milestone_font(theme: Theme) -> tuple[QFont, QFontMetricsF, QFont]:
    """The milestone font, its metrics and the theme font it was made from: made once per
    theme font and text size (a zoom repaints the milestones at every step)."""
    key = (id(theme.font), theme.text_scale)
    got = _MILESTONE_FONTS.get(key)
    if got is None or got[2] is not theme.font:
        font = QFont(sized_font(theme.font, theme.px(11))[0])
        font.setBold(True)
        if len(_MILESTONE_FONTS) > 16:
            for old in _MILESTONE_FONTS.values():
                _FONT_KEYS.pop(id(old[0]), None)  # its id may be a new font's next
            _MILESTONE_FONTS.clear()
        got = _MILESTONE_FONTS[key] = (font, QFontMetricsF(font), theme.font)
        _FONT_KEYS[id(font)] = font.key()
    return got


MILESTONE_SIZE = 8.0  # half the diamond's width
MILESTONE_DASH = 7.2  # one dash and one gap of a milestone's line (Qt's DashLine, 1.2 px wide)


def milestone_label_box(x: float, top: float, shown: str, theme: Theme) -> QRectF:
    """The box of a milestone's (elided) label beside its diamond at ``x``, ``top``."""
    fm = _milestone_font(theme)[1]
    cy = top + MILESTONE_SIZE + 1
    h = max(16.0, fm.height() + 2)
    return QRectF(x + MILESTONE_SIZE + 2, cy - h / 2, fm.horizontalAdvance(shown) + 8, h)


def paint_milestone(
    painter: QPainter,
    x: float,
    top: float,
    bottom: float,
    label: str,
    color: str | QColor,
    theme: Theme,
    *,
    selected: bool = False,
    show_label: bool = True,
    label_width: float = 230,
    span: tuple[float, float] | None = None,
) -> QRectF:
    """A diamond with a vertical line down to ``bottom`` and a label; returns the diamond rect.

    ``span`` is the part from top to bottom being painted: the dashed line is drawn only
    there (dashing a line as tall as the roadmap costs a lot), its dashes where they would be.
    """
    c = _color(color)
    painter.setPen(QPen(c, 1.2, Qt.PenStyle.DashLine))
    y0, y1 = top + 8, bottom
    if span is not None:
        period = MILESTONE_DASH
        y0 = max(y0, y0 + math.floor((span[0] - y0) / period) * period)
        y1 = min(y1, span[1] + period)
    if y1 > y0:
        painter.drawLine(QPointF(x, y0), QPointF(x, y1))
    size = 8.0
    cy = top + size + 1
    diamond = QPolygonF([QPointF(x, cy - size), QPointF(x + size, cy), QPointF(x, cy + size),
                         QPointF(x - size, cy)])  # fmt: skip
    painter.setPen(QPen(theme.selection, 2) if selected else QPen(c.darker(130), 1))
    painter.setBrush(c)
    painter.drawPolygon(diamond)
    if show_label and label and label_width > 24:
        font = milestone_font(theme)
        painter.setFont(font)
        shown = ELIDE.elide(label, label_width - 8, font)
        box = milestone_label_box(x, top, shown, theme)
        back = QColor(theme.background)
        back.setAlpha(215)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(back)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(theme.text)
        painter.drawText(box.adjusted(4, 0, 0, 0),
                         _LEFT, shown)
    return QRectF(x - size, cy - size, 2 * size, 2 * size)


@record
class Band:
    """A lane band to paint: its vertical extent, colour and place in the order."""

    top: float
    height: float
    color: str
    index: int
    dimmed: bool = False


def paint_lane_bands(painter: QPainter, rect: QRectF, bands: Iterable[Band], theme: Theme) -> None:
    """Lanes as tinted horizontal bands with a separator, within the exposed ``rect``."""
    covered = rect.top()  # the background shows only where no band is
    separator = QPen(theme.grid_major, 1)
    for band in bands:
        r = QRectF(rect.left(), band.top, rect.width(), band.height)
        if not r.intersects(rect):
            continue
        if band.top > covered or band.top % 1 or band.height % 1:
            # A band that does not start and end on whole pixels blends its edges with what
            # is under it: the background.
            under = r if band.top <= covered else QRectF(rect.left(), covered, rect.width(),
                                                         r.bottom() - covered)  # fmt: skip
            fill_rect(painter, under, theme.background)
        covered = max(covered, r.bottom())
        fill_rect(painter, r, _band_color(band, theme))
        painter.setPen(separator)
        painter.drawLine(QPointF(rect.left(), r.bottom()), QPointF(rect.right(), r.bottom()))
    if covered < rect.bottom():
        fill_rect(painter, QRectF(rect.left(), covered, rect.width(), rect.bottom() - covered),
                         theme.background)  # fmt: skip


_BAND_COLORS: dict[tuple[str, bool, bool, bool, int, int], QColor] = {}


def _band_color(band: Band, theme: Theme) -> QColor:
    """A lane band's tint over the theme's background, remembered (painted at every step of a
    zoom)."""
    odd = bool(band.index % 2)
    key = (band.color, odd, band.dimmed, theme.dark, theme.background.rgba(),
           theme.band_alt.rgba())  # fmt: skip
    got = _BAND_COLORS.get(key)
    if got is None:
        base = theme.band_alt if odd else theme.background
        alpha = 10 if band.dimmed else (30 if theme.dark else 22)
        if len(_BAND_COLORS) > 1024:
            _BAND_COLORS.clear()
        got = _BAND_COLORS[key] = _blend(base, _color(band.color), alpha / 255)
    return got


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    """``tint`` laid over ``base`` at ``amount`` opacity, as one opaque colour (fast to fill)."""
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


def paint_grid(
    painter: QPainter, rect: QRectF, scale: TimeScale, theme: Theme, show_sprints: bool = False,
    sprint_start: dt.date | None = None, sprint_length: int = 14, week_start: int = 0,
    precision: str = "day",
) -> None:  # fmt: skip
    """Vertical lines at the header's ticks, stronger at the upper row's."""
    upper, lower = dates.header_units(scale.px_per_day, show_sprints, precision)
    lo, hi = scale.date_at(rect.left()), scale.date_at(rect.right())
    top, bottom = rect.top(), rect.bottom()
    height = bottom - top
    smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    # On a screen or an unscaled image the lines are whole-pixel rectangles, which Qt fills
    # twice as fast as the same rectangles given in fractions.
    whole = stamp_ratio(painter) > 0
    y0, y1 = math.floor(top), math.ceil(bottom)
    for unit, color in ((lower, theme.grid), (upper, theme.grid_major)):
        if unit == "day" and scale.px_per_day < 4:
            continue
        painter.setBrush(color)
        # Each line one whole pixel wide, as a rectangle: Qt fills those several times faster
        # than it draws lines, and a zoom repaints the grid at every step. Drawn in one call.
        xs = [math.floor(scale.x_for_date(tick.start))
              for tick in ticks(unit, lo, hi, sprint_start, sprint_length, week_start)]
        if whole:
            painter.drawRects([QRect(x, y0, 1, y1 - y0) for x in xs])
        else:
            painter.drawRects([QRectF(x, top, 1, height) for x in xs])
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)


def paint_sprint_bands(
    painter: QPainter, rect: QRectF, scale: TimeScale, sprint_start: dt.date | None,
    sprint_length: int, theme: Theme,
) -> None:  # fmt: skip
    """Every other sprint shaded, so sprints read at a glance."""
    lo, hi = scale.date_at(rect.left()), scale.date_at(rect.right())
    for day in dates.sprint_boundaries(sprint_start, sprint_length, lo, hi):
        if dates.sprint_number(day, sprint_start, sprint_length) % 2 == 0:
            continue
        x0 = scale.x_for_date(day)
        x1 = scale.x_for_date(dates.add_days(day, sprint_length))
        fill_rect(painter, QRectF(x0, rect.top(), x1 - x0, rect.height()), theme.sprint_band)


def paint_today_line(painter: QPainter, x: float, top: float, bottom: float, theme: Theme) -> None:
    painter.setPen(QPen(theme.today, 2))
    painter.drawLine(QPointF(x, top), QPointF(x, bottom))


def dependency_shape(start: QPointF, end: QPointF) -> tuple[QPainterPath, QPolygonF]:
    """The line and the arrowhead of a dependency from ``start`` to ``end``."""
    path = QPainterPath(start)
    mid = start.x() + 10
    if end.x() > start.x() + 20:
        mid = max(start.x() + 10, (start.x() + end.x()) / 2)
    if end.x() > start.x() + 20:
        path.cubicTo(QPointF(mid, start.y()), QPointF(mid, end.y()), QPointF(end.x() - 4, end.y()))
    else:
        path.lineTo(mid, start.y())
        midy = (start.y() + end.y()) / 2
        path.cubicTo(QPointF(mid + 10, midy), QPointF(end.x() - 20, midy),
                     QPointF(end.x() - 12, end.y()))  # fmt: skip
        path.lineTo(end.x() - 4, end.y())
    tip = QPointF(end.x(), end.y())
    head = QPolygonF([tip, QPointF(tip.x() - 7, tip.y() - 4), QPointF(tip.x() - 7, tip.y() + 4)])
    return path, head


_ARROW_PENS: dict[tuple[int, bool, bool], QPen] = {}
_BRUSH = ((-0.5, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.5, 0.5))  # hairlines of a bold line


def paint_dependency(
    painter: QPainter, start: QPointF, end: QPointF, theme: Theme, violated: bool = False,
    shape: tuple[QPainterPath, QPolygonF] | None = None, raster: bool = False,
) -> None:  # fmt: skip
    """An arrow from a predecessor's end to its successor's start; violated ones in warning.

    ``shape`` is ``dependency_shape(start, end)`` when the caller kept it from an earlier paint.
    ``raster`` (a screen or an image, not a PDF or SVG): a violated arrow's bold dashes are
    drawn as four hairlines around the line, half a pixel off each way (a two-pixel brush),
    which Qt strokes in less than half the time of one bold dashed line (a screen of arrows is
    redrawn at every step of a zoom).
    """
    color = theme.warning if violated else theme.arrow
    thin = raster or not violated
    key = (color.rgba(), violated, thin)
    pen = _ARROW_PENS.get(key)
    if pen is None:
        # An arrow one pixel wide: Qt strokes such lines directly, a wider one through an
        # outline four times slower. A violated one stays bold and dashed: it is the warning
        # no one may miss.
        pen = QPen(color, 1.0 if thin else 2.2)
        if violated:
            pen.setStyle(Qt.PenStyle.DashLine)
            if thin:
                pen.setDashPattern([8.8, 4.4])  # the dashes of the 2.2-px line, in pixels
        if len(_ARROW_PENS) > 64:
            _ARROW_PENS.clear()
        _ARROW_PENS[key] = pen
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path, head = shape or dependency_shape(start, end)
    if violated and thin:
        for dx, dy in _BRUSH:
            painter.translate(dx, dy)
            painter.drawPath(path)
            painter.translate(-dx, -dy)
    else:
        painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(head)


def paint_ghost(painter: QPainter, ghost: QRectF, current: QRectF | None, theme: Theme) -> None:
    """Where a card was (compare mode): a dashed outline and an arrow to where it is now."""
    pen = QPen(theme.muted, 1.5, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(ghost, 4, 4)
    if current is None or current.isEmpty():
        return
    from PySide6.QtCore import QLineF  # compare mode only: not before the first paint

    a = ghost.center()
    b = current.center()
    if QLineF(a, b).length() < 4:
        return
    painter.drawLine(a, b)
    line = QLineF(b, a)
    line.setLength(8)
    angle = math.radians(line.angle())
    for da in (-0.45, 0.45):
        p = QPointF(b.x() + 8 * math.cos(angle + da), b.y() - 8 * math.sin(angle + da))
        painter.drawLine(b, p)


_STRIDES = (1, 2, 3, 5, 10, 15)
_TICK_AT: dict[tuple[str, dt.date, dt.date | None, int, int], dates.Tick | None] = {}
_ADVANCES: dict[tuple[str, str], float] = {}


def ticks(
    unit: str, lo: dt.date, hi: dt.date, sprint_start: dt.date | None = None,
    sprint_length: int = 14, week_start: int = 0, limit: int = 5000,
) -> list[dates.Tick]:  # fmt: skip
    """``dates.iter_ticks``, each tick worked out once: the header and grid ask for the same
    ticks on every frame of a scroll or zoom."""
    if len(_TICK_AT) > 50000:
        _TICK_AT.clear()
    result: list[dates.Tick] = []
    day = lo
    while len(result) < limit:
        key = (unit, day, sprint_start, sprint_length, week_start)
        if key in _TICK_AT:
            tick = _TICK_AT[key]
        else:  # the tick holding ``day`` (its period starts at or before it)
            tick = next(dates.iter_ticks(unit, day, day, sprint_start, sprint_length, week_start),
                        None)  # fmt: skip
            _TICK_AT[key] = tick
        if tick is None or tick.start > hi or (result and tick.start != day):
            break
        result.append(tick)
        day = tick.end
    return result


def _advance(fm: QFontMetricsF, font_key: str, text: str) -> float:
    """``fm.horizontalAdvance(text)``, remembered per font."""
    key = (font_key, text)
    width = _ADVANCES.get(key)
    if width is None:
        if len(_ADVANCES) > 20000:
            _ADVANCES.clear()
        width = _ADVANCES[key] = fm.horizontalAdvance(text)
    return width


def _tick_index(tick: dates.Tick, unit: str) -> int:
    """A number per tick that stays the same while scrolling, to label every Nth one."""
    day = tick.start
    if unit == "day":
        return day.day - 1  # 1, 6, 11 ... from each month's first day
    if unit in ("week", "sprint"):
        return day.toordinal() // 7
    if unit == "month":
        return day.year * 12 + day.month - 1
    if unit == "quarter":
        return day.year * 4 + (day.month - 1) // 3
    return day.year


@record
class HeaderLabel:
    """One label of the time header: its row (0 upper, 1 lower), cell and text."""

    row: int
    cell: QRectF
    text: str


def header_font(theme: Theme, row_h: float) -> tuple[QFont, QFontMetricsF]:
    """The header's font: it grows with the row (the window makes the header taller for
    larger text), so the text scale is not applied twice."""
    return sized_font(theme.font, max(9, int(row_h * 0.55)))


def header_layout(
    rect: QRectF, scale: TimeScale, scene_x0: float, theme: Theme, *,
    show_sprints: bool = False, sprint_start: dt.date | None = None, sprint_length: int = 14,
    week_start: int = 0, precision: str = "day",
) -> tuple[list[tuple[int, float]], list[HeaderLabel]]:  # fmt: skip
    """Where the header's tick lines (row, x) and labels go.

    Where labels are too wide for one cell (two-digit days when zoomed out a little), every
    Nth tick is labelled, at places that do not move while scrolling, instead of leaving gaps.
    """
    upper, lower = dates.header_units(scale.px_per_day, show_sprints, precision)
    lo = scale.date_at(scene_x0)
    hi = scale.date_at(scene_x0 + rect.width())
    row_h = rect.height() / 2
    font, fm = header_font(theme, row_h)
    font_key = _FONT_KEYS.get(id(font)) or font.key()
    lines: list[tuple[int, float]] = []
    labels: list[HeaderLabel] = []
    for row, unit in enumerate((upper, lower)):
        top = rect.top() + row * row_h
        cells = ticks(unit, lo, hi, sprint_start, sprint_length, week_start)
        spans = [(rect.left() + scale.x_for_date(t.start) - scene_x0,
                  rect.left() + scale.x_for_date(t.end) - scene_x0) for t in cells]  # fmt: skip
        lines += [(row, x0) for x0, _ in spans]
        stride = 1
        if cells:
            need = max(_advance(fm, font_key, t.short) for t in cells) + 6
            narrowest = min(x1 - x0 for x0, x1 in spans)
            stride = next((n for n in _STRIDES if n * narrowest >= need), 0)
        if stride == 0:
            continue
        chosen = [i for i, t in enumerate(cells) if _tick_index(t, unit) % stride == 0]
        for k, i in enumerate(chosen):
            x0 = spans[i][0]
            x1 = spans[chosen[k + 1]][0] if k + 1 < len(chosen) else spans[-1][1]
            if stride > 1:
                x1 = min(x1, spans[min(i + stride, len(spans)) - 1][1])
                if unit == "day":  # a label never reaches into the next month
                    nxt = dates.add_months(dates.month_start(cells[i].start), 1)
                    x1 = min(x1, rect.left() + scale.x_for_date(nxt) - scene_x0)
            left = max(x0, rect.left())
            cell = QRectF(left + 4, top, min(x1, rect.right()) - left - 6, row_h)
            if cell.width() <= 4:
                continue
            text = cells[i].label if stride == 1 else cells[i].short
            if _advance(fm, font_key, text) > cell.width():
                text = cells[i].short
                if _advance(fm, font_key, text) > cell.width():
                    continue
            labels.append(HeaderLabel(row, cell, text))
    return lines, labels


def paint_time_header(
    painter: QPainter,
    rect: QRectF,
    scale: TimeScale,
    scene_x0: float,
    theme: Theme,
    *,
    show_sprints: bool = False,
    sprint_start: dt.date | None = None,
    sprint_length: int = 14,
    week_start: int = 0,
    today: dt.date | None = None,
    precision: str = "day",
) -> None:
    """The two-row time header for the scene x range starting at ``scene_x0`` painted into rect.

    ``precision`` is the view's date precision: a month or quarter view shows no days or weeks.
    """
    painter.save()
    painter.setClipRect(rect)
    fill_rect(painter, rect, theme.header_bg)
    row_h = rect.height() / 2
    font, _ = header_font(theme, row_h)
    painter.setFont(font)
    lines, labels = header_layout(
        rect, scale, scene_x0, theme, show_sprints=show_sprints, sprint_start=sprint_start,
        sprint_length=sprint_length, week_start=week_start, precision=precision,
    )  # fmt: skip
    painter.setPen(QPen(theme.grid_major, 1))
    for row, x in lines:  # on the pixel the grid's line below takes
        top = rect.top() + row * row_h
        x = math.floor(x) + 0.5
        painter.drawLine(QPointF(x, top + (0 if row == 0 else row_h * 0.35)),
                         QPointF(x, top + row_h))  # fmt: skip
    for label in labels:
        painter.setPen(theme.text if label.row == 0 else theme.muted)
        painter.drawText(label.cell, _LEFT, label.text)
    painter.setPen(QPen(theme.grid_major, 1))
    mid, low = rect.top() + row_h, rect.bottom() - 0.5
    painter.drawLine(QPointF(rect.left(), mid), QPointF(rect.right(), mid))
    painter.drawLine(QPointF(rect.left(), low), QPointF(rect.right(), low))
    if today is not None:
        x = rect.left() + scale.x_for_date(today) - scene_x0
        if rect.left() <= x <= rect.right():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.today)
            painter.drawPolygon(QPolygonF([QPointF(x - 5, rect.bottom() - 7),
                                           QPointF(x + 5, rect.bottom() - 7),
                                           QPointF(x, rect.bottom())]))  # fmt: skip
    painter.restore()


@record
class LaneLabel:
    """A lane name to paint at a y (in the target's coordinates)."""

    name: str
    top: float
    height: float
    color: str
    collapsed: bool = False
    count: int = 0
    dimmed: bool = False
    selected: bool = False
    backlog: int = 0  # undated cards of the lane, waiting in the backlog

    @property
    def count_text(self) -> str:
        """'4 cards', or '4 cards · 2 in backlog' when some of the lane's cards are undated."""
        text = f"{self.count} card" + ("" if self.count == 1 else "s")
        if self.backlog:
            text += f" · {self.backlog} in backlog"
        return text

    @property
    def total_text(self) -> str:
        """Every card of the lane, dated or not (beside a collapsed lane's name)."""
        total = self.count + self.backlog
        return f"{total} card" + ("" if total == 1 else "s")


def paint_lane_labels(
    painter: QPainter, rect: QRectF, labels: Iterable[LaneLabel], theme: Theme,
    controls: bool = True,
) -> None:
    """Lane names in the frozen left column: colour chip, collapse arrow, name and card count.

    ``controls`` False leaves out the collapse arrows (window controls), as on paper.
    """
    painter.save()
    painter.setClipRect(rect)
    fill_rect(painter, rect, theme.header_bg)
    font, fm = sized_font(theme.font, theme.px(12))
    small, small_fm = sized_font(theme.font, theme.px(10))
    name_h = max(18.0, fm.height() + 2)
    count_h = max(14.0, small_fm.height() + 1)
    for lab in labels:
        r = QRectF(rect.left(), lab.top, rect.width(), lab.height)
        if not r.intersects(rect):
            continue
        if lab.selected:
            fill_rect(painter, r, QColor(theme.selection.red(), theme.selection.green(),
                                       theme.selection.blue(), 40))  # fmt: skip
        chip = _color(lab.color)
        if lab.dimmed:
            chip.setAlpha(90)
        fill_rect(painter, QRectF(r.left(), r.top() + 1, 5, r.height() - 2), chip)
        if controls:
            painter.setPen(theme.muted)
            painter.setFont(small)
            arrow = "▸" if lab.collapsed else "▾"
            painter.drawText(QRectF(r.left() + 8, r.top() + 4, 14, 18),
                             Qt.AlignmentFlag.AlignCenter, arrow)  # fmt: skip
        painter.setFont(font)
        ink = QColor(theme.text)
        if lab.dimmed:
            ink.setAlpha(110)
        painter.setPen(ink)
        text_rect = QRectF(r.left() + 24, r.top() + 4, r.width() - 30, name_h)
        painter.drawText(text_rect, _LEFT,
                         ELIDE.elide(lab.name, text_rect.width(), font))  # fmt: skip
        if lab.collapsed:
            painter.setFont(small)
            painter.setPen(theme.muted)
            painter.drawText(QRectF(r.right() - 70, r.top() + 4, 64, 18),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             lab.total_text)  # fmt: skip
        elif lab.height >= 4 + name_h + count_h:
            painter.setFont(small)
            painter.setPen(theme.muted)
            count_rect = QRectF(r.left() + 24, r.top() + 4 + name_h, r.width() - 30, count_h)
            painter.drawText(count_rect, _LEFT,
                             ELIDE.elide(lab.count_text, count_rect.width(), small))  # fmt: skip
        painter.setPen(QPen(theme.grid_major, 1))
        painter.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))
    painter.setPen(QPen(theme.grid_major, 1))
    edge = rect.right() - 0.5
    painter.drawLine(QPointF(edge, rect.top()), QPointF(edge, rect.bottom()))
    painter.restore()


def _label_font(theme: Theme) -> QFont:
    return sized_font(theme.font, 12)[0]


def label_rect(pos: QPointF, text: str, theme: Theme) -> QRectF:
    """Where ``paint_label`` draws ``text`` at ``pos``."""
    fm = QFontMetricsF(_label_font(theme))
    return QRectF(pos.x(), pos.y(), fm.horizontalAdvance(text) + 16, fm.height() + 10)


def paint_label(painter: QPainter, pos: QPointF, text: str, theme: Theme) -> None:
    """A tooltip-like box with one line of text (the dates while dragging)."""
    r = label_rect(pos, text, theme).adjusted(1, 1, -1, -1)
    painter.setPen(QPen(theme.grid_major, 1))
    painter.setBrush(theme.header_bg)
    painter.drawRoundedRect(r, 4, 4)
    painter.setFont(_label_font(theme))
    painter.setPen(theme.text)
    painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)


def brush(color: str | QColor) -> QBrush:
    return QBrush(_color(color))
