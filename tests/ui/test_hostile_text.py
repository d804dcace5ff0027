"""Hostile text from a file is shown as plain text everywhere, with no crash and no hang."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget

from planner.store import Roadmap
from ui.backlog import Backlog
from ui.card_editor import CardEditor
from ui.card_table_model import COLUMN_KEYS
from ui.document import Document
from ui.filter_bar import FilterBar
from ui.lanes_dialog import LanesDialog
from ui.list_view import ListView
from ui.objectives import ObjectivesDialog
from ui.tags import TagsDialog

IMG = '<img src="/dev/zero">'
TABLES = "<table><tr><td>" * 3000
MEGABYTE = ("<b>bold?</b> " + "y" * 1000 + "\n") * 1000
BIDI = "\u202eevil\u202c \u2067rtl\u2069 \u200f<i>x</i>"
HOSTILE = (IMG, TABLES, MEGABYTE, BIDI)


@pytest.fixture
def hostile_path(tmp_path: Path) -> Path:
    """A file as another program might write it: hostile names everywhere, past our limits."""
    path = tmp_path / "hostile.roadmap"
    roadmap = Roadmap.create(path)
    lane = roadmap.add_lane("lane")
    objective = roadmap.add_objective("objective", baseline=0, target=10, current=5)
    specs = []
    for i in range(len(HOSTILE)):
        specs.append({"title": f"card {i}", "lane_id": lane.id, "objective_id": objective.id,
                      "criteria": [("c", False)], "tags": ["t"]})
    specs.append({"title": "undated", "lane_id": lane.id})
    roadmap.add_cards(specs)
    roadmap.close()
    conn = sqlite3.connect(path)
    with conn:
        for i, text in enumerate(HOSTILE, start=1):
            crit = json.dumps([{"text": text[:5000], "done": False}])
            conn.execute(
                "UPDATE cards SET title = ?, description = ?, as_a = ?, owner = ?, link = ?,"
                " hypothesis = ?, criteria = ?, tags = ?, start_date = CASE WHEN id % 2 = 0"
                " THEN NULL ELSE start_date END, end_date = CASE WHEN id % 2 = 0 THEN NULL"
                " ELSE end_date END WHERE id = ?",
                (text, text, text[:5000], text[:5000], text[:5000], text, crit,
                 json.dumps([text[:90]]), i),
            )
        conn.execute("UPDATE lanes SET name = ?", (IMG + TABLES[:3000],))
        conn.execute("UPDATE objectives SET name = ?, metric = ?", (TABLES, BIDI))
    conn.close()
    return path


@pytest.fixture
def ctx(qtbot, hostile_path: Path) -> Iterator[SimpleNamespace]:
    roadmap = Roadmap.open(hostile_path)
    document = Document(roadmap)
    yield SimpleNamespace(document=document, stack=QUndoStack(), roadmap=roadmap)
    document.detach()
    roadmap.close()


def assert_plain(root: QWidget) -> None:
    """No label interprets markup, and no tooltip carries raw markup from the file."""
    for label in root.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()[:80]
    for widget in [root, *root.findChildren(QWidget)]:
        tip = widget.toolTip()
        if "<img" in tip or "<table" in tip:
            pytest.fail(f"raw markup in a tooltip: {tip[:80]!r}")
    for button in root.findChildren(QAbstractButton):
        assert len(button.text()) < 200


def test_editor_shows_hostile_cards_as_plain_text(qtbot, ctx):
    editor = CardEditor(ctx.document, ctx.stack)
    qtbot.addWidget(editor)
    editor.resize(420, 900)
    editor.show()
    started = time.perf_counter()
    for card in ctx.roadmap.cards():
        ctx.document.set_selection([card.id])
        assert editor.title_edit.text() == card.title[: editor.title_edit.maxLength()]
        assert editor.description_edit.toPlainText() == card.description
        assert editor.header.textFormat() == Qt.TextFormat.PlainText
        editor.grab()
        assert_plain(editor)
    ctx.document.set_selection([c.id for c in ctx.roadmap.cards()])
    editor.grab()
    assert time.perf_counter() - started < 30
    # Nothing was written by merely looking.
    assert ctx.stack.count() == 0


def test_editor_commit_of_hostile_text_round_trips(qtbot, ctx):
    editor = CardEditor(ctx.document, ctx.stack)
    qtbot.addWidget(editor)
    card = ctx.roadmap.cards()[-1]
    ctx.document.set_selection([card.id])
    editor.title_edit.setText(IMG)
    editor.title_edit.setModified(True)
    editor.title_edit.editingFinished.emit()
    assert ctx.roadmap.card(card.id).title == IMG
    assert editor.header.text() == IMG


def test_backlog_list_view_and_filter_bar(qtbot, ctx):
    backlog = Backlog(ctx.document, ctx.stack)
    qtbot.addWidget(backlog)
    backlog.show()
    backlog.grab()
    assert_plain(backlog)
    for i in range(backlog.list.count()):
        tip = backlog.list.item(i).toolTip()
        assert tip.startswith("<qt>") and "<img" not in tip[4:]
        assert len(backlog.list.item(i).text()) < 300

    view = ListView(ctx.document, ctx.stack)
    qtbot.addWidget(view)
    view.set_column_shown("objective_id", True)
    view.set_column_shown("user_story", True)
    view.resize(1200, 500)
    view.show()
    view.grab()
    model = view.model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            shown = index.data()
            assert shown is None or isinstance(shown, str | int) and len(str(shown)) <= 300
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            assert tip is None or (tip.startswith("<qt>") and "<img" not in tip[4:])
    title = model.index(0, COLUMN_KEYS.index("title")).data()
    assert title == IMG

    bar = FilterBar(ctx.document)
    qtbot.addWidget(bar)
    for key in ("tags", "lanes", "objectives"):
        menu = bar.buttons[key].menu()
        menu.aboutToShow.emit()
        assert all(len(a.text()) < 200 for a in menu.actions())
    qtbot.keyClicks(bar.search_line, "<img")
    bar.apply()
    assert ctx.document.search.matches(ctx.roadmap.cards()[0])


def test_dialogs_and_message_boxes(qtbot, ctx, monkeypatch):
    boxes = []

    def fake_exec(box):
        boxes.append((box.textFormat(), box.text()))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    for cls in (ObjectivesDialog, LanesDialog, TagsDialog):
        dialog = cls(ctx.document, ctx.stack)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.grab()
        assert_plain(dialog)
        if isinstance(dialog, LanesDialog):
            dialog.list.setCurrentRow(0)
            dialog.delete_button.click()
        if isinstance(dialog, ObjectivesDialog):
            dialog.remove_button.click()
            name = dialog.edits["name"]
            assert name.text() == TABLES[: name.maxLength()]
            assert not name.isModified()  # shown, not changed: leaving it writes nothing
    assert len(boxes) == 2
    assert all(fmt == Qt.TextFormat.PlainText for fmt, _ in boxes)
    assert any(IMG in text for _, text in boxes)
    QApplication.processEvents()


def test_whole_window_on_the_hostile_file(qtbot, hostile_path):
    from ui.main_window import MainWindow

    window = MainWindow(hostile_path)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    for card in window.roadmap.cards():
        window.document.set_selection([card.id])
        window.grab()
    window.tabs.setCurrentWidget(window.list_view)
    window.grab()
    for widget in (window.editor, window.backlog, window.list_view, window.filter_bar):
        assert_plain(widget)
    window.close()
