"""Helpers for driving the editor, backlog and list widgets and reading the file back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit


def stored(path: Path, card_id: int, column: str) -> Any:
    """A card's column as a second connection reads it from the file."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(f"SELECT {column} FROM cards WHERE id = ?", (card_id,)).fetchone()
    finally:
        conn.close()
    assert row is not None, f"card {card_id} is not in the file"
    value = row[0]
    if column in ("tags", "criteria") and isinstance(value, str):
        return json.loads(value)
    return value


def card_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM cards").fetchone()[0])
    finally:
        conn.close()


def type_line(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Replace the text the way a person does: select all, type, press Enter."""
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def choose(qtbot: Any, combo: QComboBox, data: Any) -> None:
    """Open the combo's popup and click the item holding ``data``."""
    row = combo.findData(data)
    assert row >= 0, f"{data!r} is not offered"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())
