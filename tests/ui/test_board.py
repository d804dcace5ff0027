"""The Now / Next / Later board: bucketing, lens filters, drags, horizons."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDropEvent

from planner import Roadmap
from planner.buckets import bucket_for
from ui.board import CARD_MIME, encode_ids

TODAY = dt.date(2026, 11, 25)


def _board(window):
    board = window.board
    board.today = TODAY
    board.rebuild()
    return board


def _row(path, card_id: int) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT start_date, end_date FROM cards WHERE id = ?",
                            (card_id,)).fetchone()  # fmt: skip


def test_every_card_sits_in_its_bucket_and_undated_ones_are_never_hidden(window) -> None:
    board = _board(window)
    info = window.roadmap.info()
    shown = board.shown_ids()
    cards = window.roadmap.cards()
    assert sorted(i for ids in shown.values() for i in ids) == sorted(c.id for c in cards)
    for card in cards:
        assert card.id in shown[bucket_for(card, TODAY, info.now_weeks, info.next_weeks)]
    assert set(shown["unscheduled"]) == {c.id for c in cards if not c.scheduled}


def test_the_views_filters_change_what_the_board_shows(window) -> None:
    board = _board(window)
    roadmap = window.roadmap
    internal = roadmap.cards()[0]
    roadmap.update_card(internal.id, internal=True)
    assert any(internal.id in ids for ids in board.shown_ids().values())
    view = roadmap.add_view("Customers only", hide_internal=True, statuses=["planned"])
    window.view_switcher.setCurrentIndex(window.view_switcher.findData(view.id))
    assert window.document.active_view.id == view.id
    shown = [i for ids in board.shown_ids().values() for i in ids]
    expected = [c.id for c in roadmap.cards() if c.status == "planned" and not c.internal]
    assert sorted(shown) == sorted(expected)
    assert internal.id not in shown


def _drop(column, ids) -> None:
    mime = encode_ids(ids)
    pos = column.viewport().rect().center()
    event = QDropEvent(pos.toPointF(), Qt.DropAction.MoveAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    column.dropEvent(event)


def test_dropping_a_tile_on_next_moves_its_dates_keeping_the_duration(window, sample_path):
    board = _board(window)
    card_id = board.shown_ids()["later"][0]
    before = window.roadmap.card(card_id)
    _drop(board.columns["next"], [card_id])
    start, end = _row(sample_path, card_id)
    next_start = TODAY + dt.timedelta(weeks=window.roadmap.info().now_weeks)
    assert start == next_start.isoformat()
    assert (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)) == before.end - before.start
    assert card_id in board.shown_ids()["next"] and card_id not in board.shown_ids()["later"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert _row(sample_path, card_id) == (before.start.isoformat(), before.end.isoformat())
    assert card_id in board.shown_ids()["later"]


def test_dropping_on_unscheduled_clears_the_dates_and_back_gives_a_default(window, sample_path):
    board = _board(window)
    card_id = board.shown_ids()["now"][0]
    _drop(board.columns["unscheduled"], [card_id])
    assert _row(sample_path, card_id) == (None, None)
    _drop(board.columns["now"], [card_id])
    start, end = _row(sample_path, card_id)
    assert start == TODAY.isoformat() and end is not None
    assert window.undo_stack.count() == 2


def test_a_drag_of_several_tiles_is_one_undo_step(window, sample_path):
    board = _board(window)
    ids = board.shown_ids()["next"][:2]
    _drop(board.columns["later"], ids)
    assert window.undo_stack.count() == 1
    assert all(i in board.shown_ids()["later"] for i in ids)


def test_a_real_mime_from_the_column_round_trips(window) -> None:
    board = _board(window)
    column = board.columns["now"]
    column.item(0).setSelected(True)
    ids = [int(column.item(0).data(Qt.ItemDataRole.UserRole))]
    assert encode_ids(ids).hasFormat(CARD_MIME)


def test_horizons_are_edited_from_the_board(window, sample_path, qtbot) -> None:
    board = _board(window)
    board.now_spin.setValue(2)
    board.now_spin.editingFinished.emit()
    reopened = Roadmap.open(sample_path, read_only=True)
    try:
        assert reopened.info().now_weeks == 2
    finally:
        reopened.close()
    card_start = TODAY + dt.timedelta(weeks=3)
    roadmap = window.roadmap
    c = roadmap.add_card("Three weeks out", start=card_start, end=card_start, lane_id=None)
    assert c.id in board.shown_ids()["next"]
    window.undo_stack.undo()
    assert window.roadmap.info().now_weeks == 6


def test_read_only_board_refuses_drops(window, sample_path) -> None:
    board = _board(window)
    board.set_read_only(True)
    card_id = board.shown_ids()["later"][0]
    before = _row(sample_path, card_id)
    _drop(board.columns["now"], [card_id])
    assert _row(sample_path, card_id) == before


def test_titles_are_plain_text(window) -> None:
    board = _board(window)
    card = window.roadmap.add_card('<img src="/dev/zero"><b>bold</b>')
    tile = board.columns["unscheduled"].item_for(card.id)
    assert tile is not None and tile.text() == '<img src="/dev/zero"><b>bold</b>'
    board.grab()  # paints the tile without interpreting the title


def test_a_tile_click_selects_the_card_everywhere(window, qtbot) -> None:
    board = _board(window)
    window.tabs.setCurrentWidget(board)
    column = board.columns["now"]
    rect = column.visualItemRect(column.item(0))
    qtbot.mouseClick(column.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.document.selection == (int(column.item(0).data(Qt.ItemDataRole.UserRole)),)
    assert isinstance(rect.center(), QPoint)
