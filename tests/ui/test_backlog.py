"""The backlog: undated cards, quick add, sorting, filtering, and drops from the timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontMetrics, QUndoStack
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from planner.store import Roadmap
from tests.ui.editor_helpers import card_count, stored
from ui.backlog import (
    CARD_IDS_MIME,
    DETAIL_ROLE,
    Backlog,
    BacklogItemDelegate,
    decode_card_ids,
    encode_card_ids,
    in_backlog,
)
from ui.document import Document


@pytest.fixture
def ctx(qtbot, sample_path: Path) -> Iterator[SimpleNamespace]:
    roadmap = Roadmap.open(sample_path)
    document = Document(roadmap)
    stack = QUndoStack()
    backlog = Backlog(document, stack)
    qtbot.addWidget(backlog)
    backlog.resize(300, 600)
    backlog.show()
    qtbot.waitExposed(backlog)
    yield SimpleNamespace(backlog=backlog, document=document, stack=stack, roadmap=roadmap,
                          path=sample_path)
    document.detach()
    roadmap.close()


def drop(widget, mime: QMimeData) -> QDropEvent:
    """Deliver a drop the way Qt would at the end of a drag (QTest cannot drive QDrag)."""
    pos = QPointF(widget.rect().center())
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.MoveAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    event = QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def test_lists_only_undated_cards(ctx):
    listed = set(ctx.backlog.card_ids())
    expected = {c.id for c in ctx.roadmap.cards() if in_backlog(c)}
    assert listed == expected and listed
    assert ctx.backlog.list.count() == len(listed)


def test_sort_orders(ctx):
    cards = {c.id: c for c in ctx.roadmap.cards()}
    combo = ctx.backlog.sort_combo
    combo.setCurrentIndex(combo.findData("rice"))
    rices = [cards[i].rice or 0 for i in ctx.backlog.card_ids()]
    assert rices == sorted(rices, reverse=True)
    combo.setCurrentIndex(combo.findData("priority"))
    order = ["must", "should", "could", "wont", None]
    ranks = [order.index(cards[i].priority) for i in ctx.backlog.card_ids()]
    assert ranks == sorted(ranks)
    combo.setCurrentIndex(combo.findData("age"))
    ages = [(cards[i].created, i) for i in ctx.backlog.card_ids()]
    assert ages == sorted(ages)


def test_filter_by_text(qtbot, ctx):
    first = ctx.roadmap.card(ctx.backlog.card_ids()[0])
    qtbot.keyClicks(ctx.backlog.filter_line, first.title.split()[0])
    assert first.id in ctx.backlog.card_ids()
    assert len(ctx.backlog.card_ids()) < sum(1 for c in ctx.roadmap.cards() if in_backlog(c))


def test_quick_add_line(qtbot, ctx):
    before = card_count(ctx.path)
    qtbot.keyClicks(ctx.backlog.add_line, "Export to Excel")
    qtbot.keyClick(ctx.backlog.add_line, Qt.Key.Key_Return)
    assert card_count(ctx.path) == before + 1
    new_id = ctx.document.selection[0]
    assert stored(ctx.path, new_id, "title") == "Export to Excel"
    assert stored(ctx.path, new_id, "start_date") is None
    assert new_id in ctx.backlog.card_ids()
    assert ctx.backlog.add_line.text() == ""
    ctx.stack.undo()
    assert card_count(ctx.path) == before


def test_quick_add_refuses_a_blank_title_quietly(qtbot, ctx):
    before = card_count(ctx.path)
    qtbot.keyClicks(ctx.backlog.add_line, "   ")
    qtbot.keyClick(ctx.backlog.add_line, Qt.Key.Key_Return)
    assert card_count(ctx.path) == before


def test_drop_of_timeline_cards_unschedules_in_one_step(ctx):
    scheduled = [c for c in ctx.roadmap.cards() if c.scheduled][:2]
    ids = [c.id for c in scheduled]
    event = drop(ctx.backlog.list.viewport(), encode_card_ids(ids))
    assert event.isAccepted()
    for c in scheduled:
        assert stored(ctx.path, c.id, "start_date") is None
        assert stored(ctx.path, c.id, "end_date") is None
        assert c.id in ctx.backlog.card_ids()
    assert ctx.stack.count() == 1
    ctx.stack.undo()
    for c in scheduled:
        assert stored(ctx.path, c.id, "start_date") == c.start.isoformat()
        assert stored(ctx.path, c.id, "end_date") == c.end.isoformat()


def test_drop_of_other_data_is_ignored(ctx):
    mime = QMimeData()
    mime.setText("1, 2, 3")
    drop(ctx.backlog.list.viewport(), mime)
    bad = QMimeData()
    bad.setData(CARD_IDS_MIME, b"{not json")
    drop(ctx.backlog.list.viewport(), bad)
    assert ctx.stack.count() == 0


def test_mime_round_trip_and_garbage():
    assert decode_card_ids(encode_card_ids([3, 5])) == [3, 5]
    mime = QMimeData()
    mime.setData(CARD_IDS_MIME, json.dumps([1, "x", True, 2.5, 7]).encode())
    assert decode_card_ids(mime) == [1, 7]
    mime.setData(CARD_IDS_MIME, b"[" * 100_000)
    assert decode_card_ids(mime) == []


def test_drag_start_carries_the_selected_ids(ctx):
    lst = ctx.backlog.list
    lst.item(0).setSelected(True)
    lst.item(1).setSelected(True)
    ids = decode_card_ids(lst.mimeData(lst.selectedItems()))
    assert ids == lst.selected_ids() and len(ids) == 2
    assert lst.mimeTypes() == [CARD_IDS_MIME]


def test_selection_is_shared(ctx):
    lst = ctx.backlog.list
    lst.item(0).setSelected(True)
    assert ctx.document.selection == (ctx.backlog.card_ids()[0],)
    other = ctx.backlog.card_ids()[1]
    ctx.document.set_selection([other])
    assert lst.selected_ids() == [other]


def test_schedule_from_the_keyboard(qtbot, ctx):
    cid = ctx.backlog.card_ids()[0]
    ctx.document.set_selection([cid])
    ctx.backlog.list.setFocus()
    ctx.backlog.schedule_action.trigger()
    assert stored(ctx.path, cid, "start_date") is not None
    assert stored(ctx.path, cid, "lane_id") is not None
    assert cid not in ctx.backlog.card_ids()
    ctx.stack.undo()
    assert cid in ctx.backlog.card_ids()


def test_lens_hides_cards(ctx):
    internal = [c for c in ctx.roadmap.cards() if in_backlog(c)][0]
    ctx.roadmap.update_card(internal.id, internal=True)
    assert internal.id in ctx.backlog.card_ids()
    view = ctx.roadmap.add_view("Outside", hide_internal=True)
    ctx.document.set_active_view(view)
    assert internal.id not in ctx.backlog.card_ids()


def test_each_card_reads_as_a_bold_title_over_a_grey_detail_line(qtbot, ctx):
    long_title = "Atlassian Intelligence: How to work with the AI features in every product " * 2
    ctx.backlog.add_line.setText(long_title.strip())
    qtbot.keyClick(ctx.backlog.add_line, Qt.Key.Key_Return)
    ctx.document.set_selection([], None)
    ctx.backlog.resize(220, 600)
    view = ctx.backlog.list
    qtbot.waitUntil(lambda: view.viewport().width() < 220)
    delegate = view.itemDelegate()
    assert isinstance(delegate, BacklogItemDelegate)
    cards = {c.id: c for c in ctx.roadmap.cards()}
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    elided = 0
    for row in range(view.count()):
        item = view.item(row)
        card = cards[int(item.data(Qt.ItemDataRole.UserRole))]
        index = view.model().index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.font = view.font()
        option.rect = view.visualRect(index)
        title, detail = delegate.lines(option, index)
        title_font, detail_font = delegate.fonts(option)
        assert title_font.bold() and not detail_font.bold()
        assert QFontMetrics(detail_font).height() < QFontMetrics(title_font).height()
        assert option.rect.height() >= (QFontMetrics(title_font).height()
                                        + QFontMetrics(detail_font).height())
        assert QFontMetrics(title_font).horizontalAdvance(title) <= option.rect.width()
        assert title == card.title or (title.endswith("…") and card.title.startswith(title[:-1]))
        elided += title != card.title
        assert item.data(DETAIL_ROLE).endswith(card.kind)
        assert card.kind in detail or detail.endswith("…")
        # A rule under each card separates it from the next.
        rule = image.pixelColor(int(option.rect.center().x() * ratio),
                                int(option.rect.bottom() * ratio))
        assert rule.rgb() == view.palette().mid().color().rgb()
    assert elided >= 1
    assert view.horizontalScrollBar().maximum() == 0
    assert not view.horizontalScrollBar().isVisible()
