"""Unexpected errors: a dialog that says what happened, that the file is safe, and goes on.

`install()` replaces sys.excepthook, which PySide also calls for exceptions raised inside slots
and Qt virtual overrides, so nothing ends up only on a terminal the user cannot see.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

import planner
from ui import icons

_previous_hook = None
_dialog: CrashDialog | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


class CrashDialog(QDialog):
    """What went wrong, with the details one click away from the clipboard."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something Went Wrong"))
        self.setWindowIcon(icons.icon("warning"))
        self.setAccessibleName(self.tr("Error report"))
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(summary, self)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        layout.addWidget(self.summary_label)
        self.promise_label = QLabel(
            self.tr(
                "Your roadmap is safe: every change is saved to the file the moment it is made. "
                "You can carry on working. If this keeps happening, copy the details and send "
                "them with a note of what you were doing."
            ),
            self,
        )
        self.promise_label.setTextFormat(Qt.TextFormat.PlainText)
        self.promise_label.setWordWrap(True)
        layout.addWidget(self.promise_label)
        self.details_view = QPlainTextEdit(self)
        self.details_view.setReadOnly(True)
        self.details_view.setAccessibleName(self.tr("Error details"))
        self.details_view.setPlainText(details)
        self.details_view.setMinimumHeight(160)
        layout.addWidget(self.details_view)
        buttons = QDialogButtonBox(self)
        self.copy_button = buttons.addButton(
            self.tr("&Copy Details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self._on_copy_clicked)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def add_report(self, summary: str, details: str) -> None:
        """Another error while the dialog is open: add it instead of stacking dialogs."""
        self.summary_label.setText(summary)
        self.details_view.appendPlainText("\n" + details)

    def details(self) -> str:
        return self.details_view.toPlainText()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self.copy_button.setText(self.tr("Copied"))


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
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _tr("Cannot Open File"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal but not blocking, so tests and the event loop go on
    return box
