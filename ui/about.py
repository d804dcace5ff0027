"""Help ▸ About: what the app is, its version and where the file lives."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

import planner
from ui import icons


def about_text() -> str:
    """The About text, plain (it is never shown as rich text)."""
    return (
        QCoreApplication.translate(
            "about",
            "Roadmap Planner %1\n\n"
            "Plan a product roadmap offline: story cards on a timeline, in lanes, saved in one "
            ".roadmap file the moment you change anything.\n\n"
            "Python %2, Qt for Python %3. MIT licence.",
        )
        .replace("%1", planner.__version__)
        .replace("%2", sys.version.split()[0])
        .replace("%3", pyside_version)
    )


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the About box without blocking."""
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("about", "About Roadmap Planner"))
    box.setIconPixmap(icons.icon("app").pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(about_text())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
