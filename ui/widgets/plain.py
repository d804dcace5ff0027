"""Helpers that keep text from the file plain: no rich-text guessing, no mnemonics, bounded size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

TOOLTIP_LIMIT = 500
CELL_LIMIT = 200


def short(text: str, limit: int = CELL_LIMIT) -> str:
    """One line, at most ``limit`` characters: for cells and list rows (1 MB stays cheap)."""
    head = text[: limit * 4]
    line = " ".join(head.split())
    return line if len(line) <= limit and len(head) == len(text) else line[: limit - 1] + "…"


def tooltip(text: str, limit: int = TOOLTIP_LIMIT) -> str:
    """A tooltip that shows ``text`` literally: escaped inside an explicit rich-text wrapper."""
    body = text if len(text) <= limit else text[: limit - 1] + "…"
    return "<qt>" + _escape(body).replace("\n", "<br>") + "</qt>"


def _escape(text: str) -> str:
    """``html.escape(text)``, without importing ``html`` (and its entity table) at start-up."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def button_text(text: str, limit: int = 60) -> str:
    """Text for a button or menu item: '&' would make a mnemonic, so it is doubled."""
    return short(text, limit).replace("&", "&&")


def plain_label(text: str = "", parent: QWidget | None = None, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label
