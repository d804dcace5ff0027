"""The look: follow the system's palette (dark mode included), or force light or dark."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from ui import icons, settings

_system_style: str | None = None  # the platform's own style, to return to from a forced theme


def _palette(dark: bool) -> QPalette:
    """A complete Fusion palette, readable for cards and text."""
    if dark:
        window, base, alt, text, button = "#2b2d30", "#1e1f22", "#26282b", "#e6e6e6", "#35373a"
        highlight, link, mid, shadow = "#3d7fd9", "#78aef5", "#4a4d52", "#141517"
        disabled = "#7f8389"
    else:
        window, base, alt, text, button = "#f3f3f3", "#ffffff", "#f7f7f7", "#1d1d1f", "#eaeaea"
        highlight, link, mid, shadow = "#2f6fcf", "#1a5bb8", "#c8c8c8", "#8c8c8c"
        disabled = "#9a9a9a"
    p = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, window), (role.WindowText, text), (role.Base, base),
        (role.AlternateBase, alt), (role.ToolTipBase, base), (role.ToolTipText, text),
        (role.PlaceholderText, disabled), (role.Text, text), (role.Button, button),
        (role.ButtonText, text), (role.BrightText, "#ff5555"), (role.Highlight, highlight),
        (role.HighlightedText, "#ffffff"), (role.Link, link), (role.LinkVisited, link),
        (role.Mid, mid), (role.Dark, shadow), (role.Shadow, shadow),
        (role.Light, button if dark else "#ffffff"), (role.Midlight, mid),
    ):  # fmt: skip
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(disabled))
    return p


def system_is_dark() -> bool:
    """Whether the desktop asks for dark colours (Qt 6.5+), else judged by its palette."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        value = scheme()
        if value == Qt.ColorScheme.Dark:
            return True
        if value == Qt.ColorScheme.Light:
            return False
    return is_dark(QGuiApplication.palette())


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is drawn light on dark: widgets painting their own colours ask this."""
    p = palette or QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightness() < 128


def apply(app: QApplication | None = None, mode: str | None = None) -> str:
    """Apply the theme setting ("system", "light" or "dark"); returns the mode applied."""
    global _system_style
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return "system"
    mode = mode or settings.get("theme")
    if mode in ("light", "dark"):
        if _system_style is None:  # remembered before the first forced style replaces it
            _system_style = app.style().name()
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(_palette(mode == "dark"))
    else:
        mode = "system"
        # Never forced yet: the style is the platform's own (not asked for at start-up, where
        # making the style's Python side costs time before the first paint).
        if _system_style is not None and app.style().name() != _system_style:
            app.setStyle(QStyleFactory.create(_system_style))
        app.setPalette(QPalette())  # an empty palette returns to the platform's own
    icons.clear_cache()
    return mode
