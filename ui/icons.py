"""Every icon the app shows, by name: SVG files under resources/icons, drawn in the text colour.

An unknown name is a bug and fails loudly, so a typo never shows an empty button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"

NAMES: frozenset[str] = frozenset(
    {
        "about", "add-card", "add-lane", "app", "board", "close", "delete", "export", "fit",
        "help", "import", "keyboard", "list", "milestone", "new", "open", "preferences",
        "present", "quit", "redo", "sample", "save-copy", "scenario", "search", "snapshot",
        "timeline", "today", "undo", "warning", "zoom-in", "zoom-out",
    }
)  # fmt: skip

# Monochrome icons are drawn in this colour; it is swapped for the palette's text colour.
_INK = "#000000"
# Icons that keep their own colours.
_COLOURED = frozenset({"app"})

_cache: dict[str, QIcon] = {}


def path(name: str) -> Path:
    """The SVG file of a named icon."""
    if name not in NAMES:
        raise KeyError(f"unknown icon {name!r}; known icons: {', '.join(sorted(NAMES))}")
    return ICON_DIR / f"{name}.svg"


def icon(name: str) -> QIcon:
    """The named icon, crisp at any size and scale, following the palette's text colour."""
    if name not in _cache:
        svg = path(name).read_text(encoding="utf-8")
        _cache[name] = QIcon(_SvgEngine(svg, coloured=name in _COLOURED))
    return _cache[name]


class _SvgEngine(QIconEngine):
    """Renders the SVG at the exact device size asked for, in the current palette's colour."""

    def __init__(self, svg: str, coloured: bool = False) -> None:
        super().__init__()
        self._svg = svg
        self._coloured = coloured
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        svg = self._svg
        if not self._coloured:
            group, role = QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText
            if mode == QIcon.Mode.Disabled:
                group = QPalette.ColorGroup.Disabled
            elif mode == QIcon.Mode.Selected:  # on the highlight, e.g. a chosen menu entry
                role = QPalette.ColorRole.HighlightedText
            colour = QGuiApplication.palette().color(group, role)
            svg = svg.replace(_INK, colour.name())
        elif mode == QIcon.Mode.Disabled:
            svg = svg.replace("<svg ", '<svg opacity="0.4" ', 1)
        renderer = self._renderers.get(svg)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            self._renderers = {svg: renderer}  # keep only the colour in use
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(  # noqa: N802 - Qt override
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        device = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pixmap = QPixmap(device)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(mode).render(painter, QRectF(0, 0, device.width(), device.height()))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._svg, self._coloured)

    def key(self) -> str:
        return "roadmap-svg"


def clear_cache() -> None:
    """Forget rendered icons, e.g. after the palette changed."""
    _cache.clear()
