"""Objectives, lanes and tags management dialogs: each edit reaches the file and undoes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from planner.model import Objective
from planner.store import Roadmap
from tests.ui.editor_helpers import stored, type_line
from ui.document import Document
from ui.lanes_dialog import LanesDialog
from ui.objectives import ObjectivesDialog, progress_text
from ui.tags import TagsDialog, retag


@pytest.fixture
def ctx(qtbot, sample_path: Path) -> Iterator[SimpleNamespace]:
    roadmap = Roadmap.open(sample_path)
    document = Document(roadmap)
    yield SimpleNamespace(document=document, stack=QUndoStack(), roadmap=roadmap,
                          path=sample_path)
    document.detach()
    roadmap.close()


def row(path: Path, sql: str, *args: object) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchone()
    finally:
        conn.close()


def test_progress_text():
    o = Objective(1, "WAU", baseline=1000, target=5000, current=2000)
    assert progress_text(o).startswith("25% of the way from 1,000 to 5,000")
    assert "Set a baseline" in progress_text(Objective(2, "NPS"))


def test_objectives_add_edit_remove(qtbot, ctx):
    dialog = ObjectivesDialog(ctx.document, ctx.stack)
    qtbot.addWidget(dialog)
    dialog.show()
    n = len(ctx.roadmap.objectives())
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert len(ctx.roadmap.objectives()) == n + 1
    oid = dialog.current_id()
    type_line(qtbot, dialog.edits["name"], "Weekly active clinics")
    type_line(qtbot, dialog.edits["metric"], "clinics active per week")
    type_line(qtbot, dialog.edits["baseline"], "100")
    type_line(qtbot, dialog.edits["target"], "300")
    type_line(qtbot, dialog.edits["current"], "150")
    type_line(qtbot, dialog.edits["color"], "#336699")
    stored_row = row(ctx.path, "SELECT name, metric, baseline, target, current, color"
                     " FROM objectives WHERE id = ?", oid)
    assert stored_row == ("Weekly active clinics", "clinics active per week", 100.0, 300.0,
                          150.0, "#336699")
    assert dialog.progress.value() == 25
    assert "25%" in dialog.progress_label.text()
    type_line(qtbot, dialog.edits["name"], "")
    assert dialog.error_label.text()
    assert row(ctx.path, "SELECT name FROM objectives WHERE id = ?", oid)[0] == (
        "Weekly active clinics")
    type_line(qtbot, dialog.edits["target"], "lots")
    assert "number" in dialog.error_label.text()
    ctx.stack.undo()
    assert row(ctx.path, "SELECT color FROM objectives WHERE id = ?", oid)[0] is None
    used = next(o for o in ctx.roadmap.objectives()
                if any(c.objective_id == o.id for c in ctx.roadmap.cards()))
    card = next(c for c in ctx.roadmap.cards() if c.objective_id == used.id)
    for i in range(dialog.list.count()):
        if dialog.list.item(i).data(Qt.ItemDataRole.UserRole) == used.id:
            dialog.list.setCurrentRow(i)
    asked = []
    dialog.confirm = lambda text, more: asked.append(more) or True
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "cards serve it" in asked[0]
    assert row(ctx.path, "SELECT count(*) FROM objectives WHERE id = ?", used.id)[0] == 0
    assert stored(ctx.path, card.id, "objective_id") is None
    ctx.stack.undo()
    assert stored(ctx.path, card.id, "objective_id") == used.id


def test_lanes_rename_recolour_reorder_delete(qtbot, ctx):
    dialog = LanesDialog(ctx.document, ctx.stack)
    qtbot.addWidget(dialog)
    dialog.show()
    lanes = ctx.roadmap.lanes()
    first = lanes[0]
    dialog.list.setCurrentRow(0)
    dialog.list.item(0).setText("Core scheduling")
    assert row(ctx.path, "SELECT name FROM lanes WHERE id = ?", first.id)[0] == "Core scheduling"
    assert dialog.recolor(first.id, "#112233")
    assert row(ctx.path, "SELECT color FROM lanes WHERE id = ?", first.id)[0] == "#112233"
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert [lane.id for lane in ctx.roadmap.lanes()][1] == first.id
    assert dialog.current_id() == first.id
    n = ctx.roadmap.lane_card_count(first.id)
    text, more = dialog.delete_message(first.id)
    assert f"{n} cards go to the backlog" in more
    dialog.confirm = lambda text, more: True
    dated = [c for c in ctx.roadmap.cards() if c.lane_id == first.id and c.scheduled]
    assert dated
    depth = ctx.stack.count()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert row(ctx.path, "SELECT count(*) FROM lanes WHERE id = ?", first.id)[0] == 0
    assert all(stored(ctx.path, c.id, "start_date") is None for c in dated)
    assert ctx.stack.count() == depth + 1
    ctx.stack.undo()
    assert ctx.roadmap.lane_card_count(first.id) == n
    assert all(stored(ctx.path, c.id, "start_date") == c.start.isoformat() for c in dated)
    assert not dialog.rename(first.id, "  ")
    assert dialog.error_label.text()


def test_lane_delete_can_be_cancelled(qtbot, ctx):
    dialog = LanesDialog(ctx.document, ctx.stack)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    dialog.confirm = lambda text, more: False
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert len(ctx.roadmap.lanes()) == dialog.list.count() and ctx.stack.count() == 0


def test_retag():
    assert retag(("a", "B", "c"), {"a", "b"}, "x") == ("x", "c")
    assert retag(("a", "b"), {"a"}, None) == ("b",)
    assert retag(("a", "x"), {"a"}, "X") == ("X",)


def test_tags_merge_rename_remove_each_one_step(qtbot, ctx):
    tags = ctx.roadmap.tags()
    assert len(tags) >= 2
    a, b = tags[0], tags[1]
    dialog = TagsDialog(ctx.document, ctx.stack)
    qtbot.addWidget(dialog)
    for i in range(dialog.list.count()):
        item = dialog.list.item(i)
        item.setSelected(item.data(Qt.ItemDataRole.UserRole) in (a, b))
    dialog.ask_name = lambda title, default: "merged"
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert a not in ctx.roadmap.tags() and b not in ctx.roadmap.tags()
    assert "merged" in ctx.roadmap.tags()
    assert ctx.stack.count() == 1
    ctx.stack.undo()
    assert a in ctx.roadmap.tags() and "merged" not in ctx.roadmap.tags()
    assert dialog.replace([a], "renamed", "Rename tag")
    assert "renamed" in ctx.roadmap.tags()
    assert dialog.replace(["renamed"], None, "Remove tags")
    assert "renamed" not in ctx.roadmap.tags()
