"""Unexpected errors: a dialog that says what happened, that the file is safe, and goes on.

`install()` replaces sys.excepthook, which PySide also calls for exceptions raised inside slots
and Qt virtual overrides, so nothing ends up only on a terminal the user cannot see.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

import planner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.crash_dialog import CrashDialog

_previous_hook = None
_dialog: CrashDialog | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def describe(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> tuple[str, str]:
    """A one-line summary for the user and the full details for a bug report."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    summary = f"{exc_type.__name__}: {message}" if message else exc_type.__name__
    header = f"Roadmap Planner {planner.__version__}, Python {sys.version.split()[0]}"
    trace = "".join(traceback.format_exception(exc_type, exc, tb))
    return _tr("An unexpected error happened: %1").replace("%1", summary), f"{header}\n{trace}"


def show_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> CrashDialog:
    """Show (or add to) the error dialog without blocking; the app goes on."""
    global _dialog
    summary, details = describe(exc_type, exc, tb)
    if _dialog is not None and _dialog.isVisible():
        _dialog.add_report(summary, details)
        return _dialog
    from PySide6.QtGui import QGuiApplication

    from ui.crash_dialog import CrashDialog

    parent = QApplication.activeWindow()
    _dialog = CrashDialog(summary, details, parent)
    _dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _dialog.destroyed.connect(_forget_dialog)
    _dialog.open()
    if QGuiApplication.platformName() != "offscreen":  # which cannot raise windows
        _dialog.raise_()
    return _dialog


def _forget_dialog() -> None:
    global _dialog
    _dialog = None


def current_dialog() -> CrashDialog | None:
    return _dialog


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: keep the terminal trace, and tell the user in a dialog."""
    traceback.print_exception(exc_type, exc, tb)
    if issubclass(exc_type, KeyboardInterrupt) or QApplication.instance() is None:
        return
    try:
        show_exception(exc_type, exc, tb)
    except Exception:  # the dialog itself failed: at least the trace above was printed
        traceback.print_exc()


def install() -> None:
    global _previous_hook
    if sys.excepthook is not excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = excepthook


def uninstall() -> None:
    global _previous_hook
    if sys.excepthook is excepthook:
        sys.excepthook = _previous_hook or sys.__excepthook__
    _previous_hook = None


def show_file_error(parent: QWidget | None, message: str, title: str | None = None) -> QMessageBox:
    """A file that cannot be opened or written: the plain message from RoadmapFileError."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _tr("Cannot Open File"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # no window owns it: kept until closed, or Python would drop it at once
        _OWNERLESS.append(box)
        box.finished.connect(lambda _result: _OWNERLESS.remove(box))
    box.open()  # window-modal but not blocking, so tests and the event loop go on
    return box


_OWNERLESS: list[QMessageBox] = []  # messages shown before any window was open


def __getattr__(name: str) -> Any:
    """``CrashDialog``, loaded on first use (it lives in ui.crash_dialog)."""
    if name == "CrashDialog":
        from ui.crash_dialog import CrashDialog

        return CrashDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
