"""The dialog of an unexpected error: what happened, that the file is safe, and the details.

Made on the first error only (ui.errors shows it), so start-up does not load it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui import icons


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
