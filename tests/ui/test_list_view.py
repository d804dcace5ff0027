"""The List tab: the table model checked by qtmodeltester, in-place edits, row-level updates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from planner.search import CardFilter
from planner.store import Roadmap
from tests.ui.editor_helpers import stored
from ui import settings
from ui.card_table_model import COLUMN_KEYS, CardTableModel
from ui.document import Document
from ui.list_view import ListView


@pytest.fixture
def ctx(qtbot, sample_path: Path) -> Iterator[SimpleNamespace]:
    roadmap = Roadmap.open(sample_path)
    document = Document(roadmap)
    stack = QUndoStack()
    view = ListView(document, stack)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    yield SimpleNamespace(view=view, model=view.model, proxy=view.proxy, document=document,
                          stack=stack, roadmap=roadmap, path=sample_path)
    document.detach()
    roadmap.close()


def col(key: str) -> int:
    return COLUMN_KEYS.index(key)


def test_model_passes_qtmodeltester(qtmodeltester, ctx):
    qtmodeltester.check(ctx.model)
    qtmodeltester.check(ctx.proxy)


def test_model_survives_edits_under_the_tester(qtmodeltester, ctx):
    qtmodeltester.check(ctx.model)
    cards = ctx.roadmap.cards()
    ctx.roadmap.update_card(cards[0].id, title="Renamed")
    ctx.roadmap.add_card("Brand new")
    ctx.roadmap.delete_cards([cards[1].id, cards[2].id, cards[5].id])
    assert ctx.model.rowCount() == len(ctx.roadmap.cards())


def test_every_card_is_a_row(ctx):
    assert ctx.model.rowCount() == len(ctx.roadmap.cards())
    first = ctx.roadmap.cards()[0]
    assert ctx.model.index(0, col("title")).data() == first.title


def test_edit_title_in_place_is_one_undo_step(ctx):
    from ui.card_table_model import ID_ROLE

    index = ctx.proxy.index(0, col("title"))
    cid = index.data(ID_ROLE)
    before = stored(ctx.path, cid, "title")
    assert ctx.proxy.setData(index, "Edited in the list")
    assert stored(ctx.path, cid, "title") == "Edited in the list"
    assert ctx.stack.count() == 1
    ctx.stack.undo()
    assert stored(ctx.path, cid, "title") == before


def test_editing_through_the_delegate(qtbot, ctx):
    from ui.card_table_model import ID_ROLE

    table = ctx.view.table
    index = ctx.proxy.index(0, col("owner"))
    cid = index.data(ID_ROLE)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Robin")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: stored(ctx.path, cid, "owner") == "Robin")
    assert ctx.stack.count() == 1


def test_choice_date_number_tags_and_flag_columns(ctx):
    from ui.card_table_model import ID_ROLE

    m = ctx.model
    row = next(r for r in range(m.rowCount()) if m.card_at(r).scheduled)
    cid = m.index(row, 0).data(ID_ROLE)
    assert m.setData(m.index(row, col("status")), "done")
    assert stored(ctx.path, cid, "status") == "done"
    assert m.setData(m.index(row, col("estimate")), "21")
    assert stored(ctx.path, cid, "estimate") == 21.0
    assert not m.setData(m.index(row, col("estimate")), "many")
    end = stored(ctx.path, cid, "end_date")
    assert not m.setData(m.index(row, col("end")), "1999-01-01")  # before the start
    assert stored(ctx.path, cid, "end_date") == end
    assert m.setData(m.index(row, col("start")), "")
    assert stored(ctx.path, cid, "start_date") is None
    assert m.setData(m.index(row, col("tags")), "a, b")
    assert stored(ctx.path, cid, "tags") == ["a", "b"]
    assert m.setData(m.index(row, col("internal")), Qt.CheckState.Checked.value,
                     Qt.ItemDataRole.CheckStateRole)
    assert stored(ctx.path, cid, "internal") == 1
    assert not m.flags(m.index(row, col("rice"))) & Qt.ItemFlag.ItemIsEditable


def test_refusals_are_reported(qtbot, ctx):
    with qtbot.waitSignal(ctx.view.status_message) as blocker:
        ctx.model.setData(ctx.model.index(0, col("title")), "   ")
    assert "empty" in blocker.args[0]


def test_updates_touch_only_their_rows(qtbot, ctx):
    resets = []
    ctx.model.modelReset.connect(lambda: resets.append(1))
    cid = ctx.roadmap.cards()[3].id
    with qtbot.waitSignal(ctx.model.dataChanged) as blocker:
        ctx.roadmap.update_card(cid, owner="Ana")
    top = blocker.args[0]
    assert top.row() == ctx.model.row_of(cid)
    with qtbot.waitSignal(ctx.model.rowsInserted):
        ctx.roadmap.add_card("Another")
    with qtbot.waitSignal(ctx.model.rowsRemoved):
        ctx.roadmap.delete_card(cid)
    assert resets == []


def test_sorting(ctx):
    table = ctx.view.table
    table.sortByColumn(col("rice"), Qt.SortOrder.DescendingOrder)
    values = [ctx.proxy.index(r, col("rice")).data(Qt.ItemDataRole.UserRole + 1)
              for r in range(ctx.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    table.sortByColumn(col("title"), Qt.SortOrder.AscendingOrder)
    titles = [ctx.proxy.index(r, col("title")).data().casefold()
              for r in range(ctx.proxy.rowCount())]
    assert titles == sorted(titles)


def test_search_filters_rows(ctx):
    target = ctx.roadmap.cards()[4]
    ctx.document.set_search(CardFilter.build(target.title))
    titles = [ctx.proxy.index(r, col("title")).data() for r in range(ctx.proxy.rowCount())]
    assert target.title in titles and len(titles) < ctx.model.rowCount()
    ctx.document.set_search(CardFilter())
    assert ctx.proxy.rowCount() == ctx.model.rowCount()


def test_lens_hides_rows(ctx):
    view = ctx.roadmap.add_view("Done only", statuses=["done"])
    ctx.document.set_active_view(view)
    statuses = {ctx.model.card_at(r).status for r in range(ctx.model.rowCount())}
    assert statuses == {"done"}


def test_columns_chosen_and_remembered(qtbot, ctx):
    assert ctx.view.visible_columns() == ListView.saved_columns()
    ctx.view.set_column_shown("objective_id", True)
    ctx.view.set_column_shown("owner", False)
    assert "objective_id" in settings.get("list_columns").split(",")
    assert "owner" not in settings.get("list_columns").split(",")
    menu = ctx.view.column_menu()
    checked = {a.text() for a in menu.actions() if a.isChecked()}
    assert "Objective" in checked and "Owner" not in checked
    other = ListView(ctx.document, ctx.stack)
    qtbot.addWidget(other)
    assert other.visible_columns() == ctx.view.visible_columns()


def test_selection_is_shared(ctx):
    from ui.card_table_model import ID_ROLE

    ctx.view.table.selectRow(2)
    cid = ctx.proxy.index(2, 0).data(ID_ROLE)
    assert ctx.document.selection == (cid,)
    other = ctx.proxy.index(5, 0).data(ID_ROLE)
    ctx.document.set_selection([other])
    assert ctx.view.selected_ids() == [other]


def test_ten_thousand_cards(qtbot, tmp_path):
    roadmap = Roadmap.create(tmp_path / "big.roadmap")
    lane = roadmap.add_lane("All")
    roadmap.add_cards([{"title": f"Card {i}", "lane_id": lane.id} for i in range(10_000)])
    document = Document(roadmap)
    started = time.perf_counter()
    model = CardTableModel(document, QUndoStack())
    assert model.rowCount() == 10_000
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    edit_started = time.perf_counter()
    roadmap.update_card(5_000, title="Moved")
    assert model.index(model.row_of(5_000), 0).data() == "Moved"
    assert time.perf_counter() - edit_started < 0.5
    roadmap.delete_cards(list(range(100, 2_100)))
    assert model.rowCount() == 8_000 and resets == []
    assert model.index(model.row_of(9_000), 0).data() == "Card 8999"
    assert time.perf_counter() - started < 20
    assert not model.index(0, 0).parent().isValid()
    assert model.rowCount(QModelIndex()) == 8_000
    document.detach()
    roadmap.close()


def test_choice_column_edits_through_a_combo(qtbot, ctx):
    from PySide6.QtWidgets import QComboBox

    from ui.card_table_model import ID_ROLE

    table = ctx.view.table
    index = ctx.proxy.index(0, col("status"))
    cid = index.data(ID_ROLE)
    table.setCurrentIndex(index)
    table.edit(index)
    combo = table.viewport().findChild(QComboBox)
    assert combo is not None and combo.currentData() == stored(ctx.path, cid, "status")
    combo.setCurrentIndex(combo.findData("dropped"))
    table.itemDelegate().setModelData(combo, ctx.proxy, index)
    assert stored(ctx.path, cid, "status") == "dropped"
    assert ctx.stack.count() == 1
