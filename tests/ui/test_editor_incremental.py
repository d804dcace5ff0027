"""The card editor, refreshed field by field after edits, shows what a fresh editor shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from planner.model import Criterion
from ui import commands
from ui.card_editor import SHARED_FIELDS, CardEditor
from ui.widgets.date_edit import DateOrNoneEdit


def _shown(editor: CardEditor) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, widget in editor._inputs.items():
        if len(editor._ids) > 1 and key not in SHARED_FIELDS:
            continue  # hidden while several cards are selected
        if isinstance(widget, QLineEdit):
            shown[key] = widget.text()
        elif isinstance(widget, QPlainTextEdit):
            shown[key] = widget.toPlainText()
        elif isinstance(widget, QComboBox):
            shown[key] = (widget.currentIndex(), widget.currentData())
        elif isinstance(widget, DateOrNoneEdit):
            shown[key] = widget.line.text()
    shown["internal"] = editor.internal_check.isChecked()
    shown["tags"] = editor.tag_edit.tags()
    if len(editor._ids) == 1:
        shown["criteria"] = editor.checklist.criteria()
        shown["story"] = editor.story_preview.text()
        shown["rice"] = (editor.rice_score.text(), editor.rice_explanation.text())
        shown["link"] = editor.open_link_button.isEnabled()
    shown["header"] = editor.header.text()
    return shown


def test_editor_after_edits_shows_what_a_fresh_editor_shows(window) -> None:
    roadmap, stack, document, editor = (window.roadmap, window.undo_stack, window.document,
                                        window.editor)  # fmt: skip
    dated = [c for c in roadmap.cards() if c.start is not None and c.end is not None]
    a, b = dated[0], dated[1]
    assert a.start and a.end
    lane = roadmap.lanes()[-1]
    edits = [
        {a.id: {"title": "Renamed"}},
        {a.id: {"start": a.start + dt.timedelta(days=3), "end": a.end + dt.timedelta(days=3)}},
        {a.id: {"tags": ("one", "two"), "internal": True}},
        {a.id: {"criteria": (Criterion("Works"), Criterion("Tested", True))}},
        {a.id: {"reach": 100, "impact": 2, "confidence": 80, "effort": 3}},
        {a.id: {"as_a": "planner", "i_want": "speed", "so_that": "I stay", "link": "https://x.org"}},
        {a.id: {"status": "done", "lane_id": lane.id, "priority": "must", "estimate": 5}},
        {a.id: {"description": "Long text", "owner": "Ann", "color": "#123456"}},
        {b.id: {"title": "Other card"}},  # not shown: nothing to refresh
    ]

    def check() -> None:
        fresh = CardEditor(document, QUndoStack())
        assert _shown(editor) == _shown(fresh)
        fresh.deleteLater()

    for selection in ([a.id], [a.id, b.id]):
        document.set_selection(selection)
        check()
        for fields in edits:
            commands.run(stack, commands.UpdateCards(roadmap, fields))
            check()
        for _ in edits:
            stack.undo()
            check()
