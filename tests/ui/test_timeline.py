"""The timeline driven with real mouse, wheel and key events on its viewport; rows read back."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from planner import Roadmap
from ui import settings

D = dt.date


@pytest.fixture
def plan(roadmap_path: Path):
    """Three lanes and four cards at known dates; returns (path, ids)."""
    r = Roadmap.create(roadmap_path, title="Plan")
    lanes = [r.add_lane(name).id for name in ("Alpha", "Beta", "Gamma")]
    a = r.add_card("Card A", lanes[0], D(2026, 3, 2), D(2026, 3, 13), estimate=5).id
    b = r.add_card("Card B", lanes[0], D(2026, 3, 23), D(2026, 4, 3)).id
    c = r.add_card("Card C", lanes[1], D(2026, 3, 9), D(2026, 3, 20)).id
    d = r.add_card("Card D", lanes[2], D(2026, 3, 2), D(2026, 3, 6)).id
    r.add_milestone("Launch", D(2026, 3, 25), None)
    r.close()
    return roadmap_path, {"lanes": lanes, "a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def win(qtbot, plan):
    from ui.main_window import MainWindow

    settings.put("snap_unit", "day")
    w = MainWindow(plan[0])
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    tl = w.timeline
    tl.set_zoom(10.0, 0)
    tl._scroll_left_to(tl.time_scale.x_for_date(D(2026, 2, 20)))
    tl.verticalScrollBar().setValue(0)
    yield w
    if not w.roadmap.closed:
        w.close()


def row(path: Path, card_id: int) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT start_date, end_date, lane_id, title FROM cards WHERE id = ?", (card_id,)
        ).fetchone()


def full_row(path: Path, card_id: int) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()


def send(widget, kind, pos: QPointF, buttons, mods=Qt.KeyboardModifier.NoModifier) -> None:
    moving = kind == QMouseEvent.Type.MouseMove
    button = Qt.MouseButton.NoButton if moving else Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos.toPoint())), button,
                     buttons, mods)
    QApplication.sendEvent(widget, ev)


def drag(view, start: QPoint | QPointF, end: QPoint | QPointF,
         mods=Qt.KeyboardModifier.NoModifier, steps: int = 6) -> None:
    vp = view.viewport() if hasattr(view, "viewport") else view
    a, b = QPointF(start), QPointF(end)
    left = Qt.MouseButton.LeftButton
    send(vp, QMouseEvent.Type.MouseButtonPress, a, left, mods)
    for i in range(1, steps + 1):
        send(vp, QMouseEvent.Type.MouseMove, a + (b - a) * (i / steps), left, mods)
    send(vp, QMouseEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton, mods)


def click(view, pos: QPoint | QPointF, mods=Qt.KeyboardModifier.NoModifier) -> None:
    vp = view.viewport()
    send(vp, QMouseEvent.Type.MouseButtonPress, QPointF(pos), Qt.MouseButton.LeftButton, mods)
    send(vp, QMouseEvent.Type.MouseButtonRelease, QPointF(pos), Qt.MouseButton.NoButton, mods)


def centre(rect) -> QPointF:
    return QPointF(rect.center())


def test_seams_map_dates_and_rects(win, plan):
    tl = win.timeline
    ids = plan[1]
    rect = tl.card_rect(ids["a"])
    assert not rect.isEmpty()
    assert abs(rect.left() - tl.x_for_date(D(2026, 3, 2))) <= 1
    assert abs(rect.right() + 1 - tl.x_for_date(D(2026, 3, 14))) <= 1
    assert tl.date_at(tl.x_for_date(D(2026, 3, 9)) + 3) == D(2026, 3, 9)
    lane = tl.lane_rect(ids["lanes"][0])
    assert lane.contains(rect.center())
    assert tl.lane_rect(ids["lanes"][1]).top() >= lane.bottom()
    assert tl.card_rect(999999).isEmpty()
    assert tl.lane_rect(424242).isEmpty()


def test_move_a_card_to_another_lane_and_date(win, plan):
    path, ids = plan
    tl = win.timeline
    rect = tl.card_rect(ids["a"])
    target_lane = tl.lane_rect(ids["lanes"][1])
    start = centre(rect)
    end = QPointF(start.x() + 7 * 10.0, target_lane.center().y())
    drag(tl, start, end)
    assert row(path, ids["a"])[:3] == ("2026-03-09", "2026-03-20", ids["lanes"][1])
    assert win.undo_stack.count() == 1
    # The lane it left and the lane it joined are drawn at once, from the file.
    assert tl.lane_rect(ids["lanes"][1]).contains(tl.card_rect(ids["a"]).center())


def test_resize_each_end(win, plan):
    path, ids = plan
    tl = win.timeline
    rect = tl.card_rect(ids["a"])
    y = rect.center().y()
    drag(tl, QPointF(rect.left() + 2, y), QPointF(tl.x_for_date(D(2026, 2, 27)) + 2, y))
    assert row(path, ids["a"])[:2] == ("2026-02-27", "2026-03-13")
    rect = tl.card_rect(ids["a"])
    drag(tl, QPointF(rect.right() - 1, y), QPointF(tl.x_for_date(D(2026, 3, 18)) - 1, y))
    assert row(path, ids["a"])[:2] == ("2026-02-27", "2026-03-17")
    assert win.undo_stack.count() == 2


def test_a_bar_is_never_narrower_than_its_handles(win, plan):
    tl = win.timeline
    tl.set_zoom(0.1, 0)
    tl.scroll_to_card(plan[1]["d"])
    assert tl.card_rect(plan[1]["d"]).width() >= 18


def test_multi_select_move_keeps_offsets_and_is_one_undo_step(win, plan):
    path, ids = plan
    tl = win.timeline
    click(tl, centre(tl.card_rect(ids["a"])))
    click(tl, centre(tl.card_rect(ids["c"])), Qt.KeyboardModifier.ControlModifier)
    assert set(win.document.selection) == {ids["a"], ids["c"]}
    start = centre(tl.card_rect(ids["a"]))
    drag(tl, start, start + QPointF(5 * 10.0, 0))
    assert row(path, ids["a"])[:3] == ("2026-03-07", "2026-03-18", ids["lanes"][0])
    assert row(path, ids["c"])[:3] == ("2026-03-14", "2026-03-25", ids["lanes"][1])
    assert win.undo_stack.count() == 1


def test_undo_and_redo_restore_the_exact_rows(win, plan):
    path, ids = plan
    tl = win.timeline
    before = full_row(path, ids["b"])
    start = centre(tl.card_rect(ids["b"]))
    drag(tl, start, QPointF(start.x() - 30, tl.lane_rect(ids["lanes"][2]).center().y()))
    after = full_row(path, ids["b"])
    assert after != before
    win.undo_stack.undo()
    assert full_row(path, ids["b"]) == before
    win.undo_stack.redo()
    assert full_row(path, ids["b"]) == after


def test_keyboard_nudge_moves_by_the_snap_unit(win, plan, qtbot):
    path, ids = plan
    tl = win.timeline
    settings.put("snap_unit", "week")
    click(tl, centre(tl.card_rect(ids["a"])))
    qtbot.keyClick(tl, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    win.document.set_selection([ids["a"]])  # other rooms may reset it while they refresh
    qtbot.keyClick(tl, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert row(path, ids["a"])[:2] == ("2026-03-16", "2026-03-27")
    assert win.undo_stack.count() == 1  # repeated nudges of the same cards merge
    win.document.set_selection([ids["a"]])
    qtbot.keyClick(tl, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert row(path, ids["a"])[2] == ids["lanes"][1]
    win.undo_stack.undo()
    win.undo_stack.undo()
    assert row(path, ids["a"])[:3] == ("2026-03-02", "2026-03-13", ids["lanes"][0])


def test_arrows_select_the_neighbouring_card_and_enter_opens_it(win, plan, qtbot):
    ids = plan[1]
    tl = win.timeline
    click(tl, centre(tl.card_rect(ids["a"])))
    qtbot.keyClick(tl, Qt.Key.Key_Right)
    assert win.document.selection == (ids["b"],)
    qtbot.keyClick(tl, Qt.Key.Key_Down)
    assert win.document.selection == (ids["c"],)
    with qtbot.waitSignal(tl.card_activated) as blocker:
        qtbot.keyClick(tl, Qt.Key.Key_Return)
    assert blocker.args == [ids["c"]]


def test_delete_and_duplicate_from_the_keyboard(win, plan, qtbot):
    path, ids = plan
    tl = win.timeline
    click(tl, centre(tl.card_rect(ids["d"])))
    tl.setFocus()
    qtbot.keyClick(tl, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cards WHERE title = 'Card D'").fetchone()[0] == 2
    qtbot.keyClick(tl, Qt.Key.Key_Delete)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cards WHERE title = 'Card D'").fetchone()[0] == 1
    win.undo_stack.undo()
    win.undo_stack.undo()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cards WHERE title = 'Card D'").fetchone()[0] == 1


def wheel(view, pos: QPointF, delta: int, mods) -> None:
    vp = view.viewport()
    ev = QWheelEvent(pos, QPointF(vp.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, delta),
                     Qt.MouseButton.NoButton, mods, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)


def test_ctrl_wheel_zoom_keeps_the_date_under_the_cursor(win):
    tl = win.timeline
    x = tl.x_for_date(D(2026, 3, 17)) + 5  # the middle of a day at 10 px per day
    before = tl.time_scale.px_per_day
    wheel(tl, QPointF(x, 200), 240, Qt.KeyboardModifier.ControlModifier)
    assert tl.time_scale.px_per_day > before
    assert tl.date_at(x) == D(2026, 3, 17)
    wheel(tl, QPointF(x, 200), -480, Qt.KeyboardModifier.ControlModifier)
    assert tl.time_scale.px_per_day < before
    assert tl.date_at(x) == D(2026, 3, 17)


def test_ctrl_equals_and_ctrl_plus_zoom_in_ctrl_minus_out(win, qtbot):
    tl = win.timeline
    tl.setFocus()
    qtbot.waitUntil(tl.hasFocus)
    for key, mods in ((Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)):  # fmt: skip
        before = tl.time_scale.px_per_day
        qtbot.keyClick(tl, key, mods)
        assert tl.time_scale.px_per_day > before
    before = tl.time_scale.px_per_day
    qtbot.keyClick(tl, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert tl.time_scale.px_per_day < before


def test_shift_wheel_scrolls_sideways(win):
    tl = win.timeline
    x0 = tl.x_for_date(D(2026, 3, 1))
    wheel(tl, QPointF(300, 200), -120, Qt.KeyboardModifier.ShiftModifier)
    assert tl.x_for_date(D(2026, 3, 1)) < x0


def test_snapping_and_alt_turns_it_off(win, plan):
    path, ids = plan
    tl = win.timeline
    settings.put("snap_unit", "week")
    start = centre(tl.card_rect(ids["a"]))
    drag(tl, start, start + QPointF(3 * 10.0, 0), Qt.KeyboardModifier.AltModifier)
    assert row(path, ids["a"])[:2] == ("2026-03-05", "2026-03-16")  # exact, not snapped
    start = centre(tl.card_rect(ids["a"]))
    drag(tl, start, start + QPointF(2 * 10.0, 0))
    s, e = row(path, ids["a"])[:2]
    assert D.fromisoformat(s).weekday() == 0  # snapped to a Monday
    assert (D.fromisoformat(e) - D.fromisoformat(s)).days == 11  # duration kept


def test_a_dependency_created_by_dragging_from_the_edge_handle(win, plan):
    path, ids = plan
    tl = win.timeline
    rect = tl.card_rect(ids["a"])
    click(tl, centre(rect))
    handle = QPointF(rect.right() + 1 + 2 + 5, rect.center().y())
    drag(tl, handle, centre(tl.card_rect(ids["c"])))
    with sqlite3.connect(path) as conn:
        deps = conn.execute("SELECT before_id, after_id FROM dependencies").fetchall()
    assert deps == [(ids["a"], ids["c"])]
    assert row(path, ids["a"])[:2] == ("2026-03-02", "2026-03-13")  # the card did not move
    win.undo_stack.undo()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM dependencies").fetchone()[0] == 0


def test_milestones_drag_along_the_time_axis(win, plan):
    path, _ = plan
    tl = win.timeline
    scene = tl.timeline_scene
    (item,) = scene.milestone_items.values()
    p = tl.mapFromScene(item.mapToScene(QPointF(0, 9)))
    drag(tl, QPointF(p), QPointF(p) + QPointF(4 * 10.0, 0))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT date FROM milestones").fetchone()[0] == "2026-03-29"


def test_rubber_band_selects_cards(win, plan):
    ids = plan[1]
    tl = win.timeline
    a = tl.card_rect(ids["a"])
    c = tl.card_rect(ids["c"])
    drag(tl, QPointF(a.left() - 15, a.top() - 4), QPointF(c.left() + 20, c.bottom() + 2))
    assert set(win.document.selection) == {ids["a"], ids["c"]}


def test_an_edit_updates_items_without_rebuilding(win, plan):
    path, ids = plan
    tl = win.timeline
    items_before = dict(tl.timeline_scene.card_items)
    win.roadmap.move_card(ids["c"], D(2026, 3, 10), D(2026, 3, 21))
    assert tl.timeline_scene.card_items == items_before
    assert abs(tl.card_rect(ids["c"]).left() - tl.x_for_date(D(2026, 3, 10))) <= 1


def test_overlapping_cards_stack_and_the_lane_grows(win, plan):
    ids = plan[1]
    tl = win.timeline
    lane = ids["lanes"][0]
    h = tl.lane_rect(lane).height()
    win.roadmap.move_card(ids["b"], D(2026, 3, 5), D(2026, 3, 16))
    assert tl.lane_rect(lane).height() > h
    assert not tl.card_rect(ids["a"]).intersects(tl.card_rect(ids["b"]))


def test_double_click_on_empty_lane_space_creates_a_card(win, plan, qtbot):
    path, ids = plan
    tl = win.timeline
    lane = tl.lane_rect(ids["lanes"][2])
    x = tl.x_for_date(D(2026, 4, 15)) + 3
    pos = QPoint(x, lane.center().y())
    with qtbot.waitSignal(tl.card_activated):
        qtbot.mouseDClick(tl.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with sqlite3.connect(path) as conn:
        got = conn.execute(
            "SELECT start_date, lane_id FROM cards WHERE title = 'New card'"
        ).fetchall()
    assert got == [("2026-04-15", ids["lanes"][2])]


def test_a_drop_from_the_backlog_schedules_cards(win, plan, roadmap_path):
    path, ids = plan
    tl = win.timeline
    backlog = [win.roadmap.add_card("Later", kind="epic").id, win.roadmap.add_card("Story").id]
    mime = QMimeData()
    mime.setData("application/x-roadmap-card-ids", json.dumps(backlog).encode())
    lane = tl.lane_rect(ids["lanes"][1])
    pos = QPointF(tl.x_for_date(D(2026, 4, 6)) + 3, lane.center().y())
    ev = QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    tl.dropEvent(ev)
    assert row(path, backlog[0])[:3] == ("2026-04-06", "2026-05-17", ids["lanes"][1])
    assert row(path, backlog[1])[0] == "2026-04-06"
    assert win.undo_stack.count() == 1
    win.undo_stack.undo()
    assert row(path, backlog[0])[:3] == (None, None, None)


def test_lane_collapse_rename_and_reorder(win, plan, qtbot):
    ids = plan[1]
    tl = win.timeline
    names = tl.lane_names
    lane = ids["lanes"][0]
    top = tl.lane_rect(lane).top()
    qtbot.mouseClick(names, Qt.MouseButton.LeftButton, pos=QPoint(12, top + 10))
    assert win.roadmap.lane(lane).collapsed
    assert tl.card_rect(ids["a"]).isEmpty()
    qtbot.mouseClick(names, Qt.MouseButton.LeftButton, pos=QPoint(12, top + 10))
    assert not win.roadmap.lane(lane).collapsed
    qtbot.mouseDClick(names, Qt.MouseButton.LeftButton, pos=QPoint(80, top + 10))
    editor = names.findChild(type(names._editor), "lane_rename_editor")
    assert editor is not None
    editor.setText("Renamed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert win.roadmap.lane(lane).name == "Renamed"
    qtbot.mouseDClick(names, Qt.MouseButton.LeftButton, pos=QPoint(80, top + 10))
    names._editor.setText("Not this")
    qtbot.keyClick(names._editor, Qt.Key.Key_Escape)
    assert win.roadmap.lane(lane).name == "Renamed"
    assert win.undo_stack.count() == 3
    gamma = tl.lane_rect(ids["lanes"][2])
    drag(names, QPointF(80, top + 20), QPointF(80, gamma.bottom() - 2))
    assert [lane.id for lane in win.roadmap.lanes()] == [ids["lanes"][1], ids["lanes"][2], lane]


def test_read_only_blocks_every_edit(win, plan, qtbot):
    path, ids = plan
    tl = win.timeline
    tl.set_read_only(True)
    start = centre(tl.card_rect(ids["a"]))
    drag(tl, start, start + QPointF(50, 0))
    click(tl, start)
    qtbot.keyClick(tl, Qt.Key.Key_Delete)
    qtbot.keyClick(tl, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert row(path, ids["a"])[:2] == ("2026-03-02", "2026-03-13")
    assert win.undo_stack.count() == 0


def test_selection_made_elsewhere_is_reflected(win, plan):
    ids = plan[1]
    tl = win.timeline
    win.document.set_selection([ids["c"]], initiator=None)
    assert tl.selected_ids() == [ids["c"]]


def test_fit_today_presets_and_spotlight(win, plan):
    tl = win.timeline
    tl.fit()
    for key in ("a", "b", "c", "d"):
        assert not tl.card_rect(plan[1][key]).isEmpty()
    tl.zoom_to("year")
    assert tl.time_scale.px_per_day < 1
    tl.go_to_today()
    assert 0 < tl.x_for_date(dt.date.today()) < tl.viewport().width()
    tl.set_spotlight(plan[1]["lanes"][0])
    tl.set_highlight([plan[1]["a"]])
    tl.set_ghosts([(plan[1]["a"], plan[1]["lanes"][0], D(2026, 2, 2), D(2026, 2, 13))])
    tl.viewport().repaint()
    tl.set_spotlight(None)


def test_the_active_lens_hides_lanes_and_rounds_dates(win, plan):
    ids = plan[1]
    tl = win.timeline
    view = win.roadmap.add_view("Exec", lanes=[ids["lanes"][0], ids["lanes"][1]],
                                precision="month", color_by="status")
    win.document.set_active_view(view)
    assert tl.lane_rect(ids["lanes"][2]).isEmpty()
    assert tl.card_rect(ids["d"]).isEmpty()
    tl._scroll_left_to(tl.time_scale.x_for_date(D(2026, 2, 20)))
    rect = tl.card_rect(ids["a"])
    assert abs(rect.left() - tl.x_for_date(D(2026, 3, 1))) <= 1  # whole months at month precision
    assert abs(rect.right() + 1 - tl.x_for_date(D(2026, 4, 1))) <= 1
    win.document.set_active_view(None)
    assert not tl.lane_rect(ids["lanes"][2]).isEmpty()


def test_context_menu_move_to_backlog(win, plan):
    path, ids = plan
    tl = win.timeline
    click(tl, centre(tl.card_rect(ids["b"])))
    tl.backlog_action.trigger()
    assert row(path, ids["b"])[:2] == (None, None)
    assert tl.card_rect(ids["b"]).isEmpty()
    win.undo_stack.undo()
    assert row(path, ids["b"])[:2] == ("2026-03-23", "2026-04-03")


def test_lane_edits_update_items_without_rebuilding(win, plan):
    ids = plan[1]
    tl = win.timeline
    items = dict(tl.timeline_scene.card_items)
    win.roadmap.update_lane(ids["lanes"][0], color="#ff0000", name="Red")
    win.roadmap.move_lane(ids["lanes"][2], 0)
    assert tl.timeline_scene.card_items == items
    assert tl.timeline_scene.card_items[ids["a"]].color == "#ff0000"
    assert tl.lane_rect(ids["lanes"][2]).top() < tl.lane_rect(ids["lanes"][0]).top()
    assert tl.lane_rect(ids["lanes"][2]).contains(tl.card_rect(ids["d"]).center())
    new = win.roadmap.add_lane("Delta").id
    assert not tl.lane_rect(new).isEmpty()
    win.roadmap.delete_lane(ids["lanes"][1])
    assert tl.lane_rect(ids["lanes"][1]).isEmpty()
    assert not tl.card_rect(ids["c"]).isEmpty()  # now in the "No lane" band, still shown


def test_dragging_near_the_edge_scrolls_into_an_off_screen_lane(win, plan, qtbot):
    path, ids = plan
    extra = [win.roadmap.add_lane(f"Extra {i}").id for i in range(25)]
    tl = win.timeline
    vp = tl.viewport()
    bar = tl.verticalScrollBar()
    assert bar.maximum() > 0
    start = centre(tl.card_rect(ids["a"]))
    edge = QPointF(start.x(), vp.height() - 4)
    left = Qt.MouseButton.LeftButton
    send(vp, QMouseEvent.Type.MouseButtonPress, start, left)
    for i in range(1, 5):
        send(vp, QMouseEvent.Type.MouseMove, start + (edge - start) * (i / 4), left)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=15000)
    send(vp, QMouseEvent.Type.MouseButtonRelease, edge, Qt.MouseButton.NoButton)
    assert row(path, ids["a"])[2] == extra[-1]
    assert row(path, ids["a"])[:2] == ("2026-03-02", "2026-03-13")


def test_compare_marks_presentation_panning_and_zoom_steps(win, plan):
    ids = plan[1]
    tl = win.timeline
    tl.set_badges({ids["a"]: "added", ids["c"]: "changed"})
    tl.viewport().grab()
    before = tl.date_at(0)
    tl.pan_periods(1)
    assert tl.date_at(0) > before
    ppd = tl.time_scale.px_per_day
    tl.zoom_in()
    assert tl.time_scale.px_per_day > ppd
    tl.zoom_out()
    assert abs(tl.time_scale.px_per_day - ppd) < 1e-6


def test_lane_context_menu_offers_adding_and_lane_actions(win, plan):
    from PySide6.QtWidgets import QMenu

    path, ids = plan
    tl = win.timeline
    menu = QMenu(tl)
    tl._fill_lane_menu(menu, ids["lanes"][1], D(2026, 5, 4))
    actions = {a.text().replace("&", ""): a for a in menu.actions() if a.text()}
    assert {"Add Card Here", "Add Milestone Here", "Rename Lane…", "Collapse Lane",
            "Spotlight This Lane"} <= set(actions)
    actions["Add Milestone Here"].trigger()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT date, lane_id FROM milestones WHERE title = 'New milestone'"
                            ).fetchone() == ("2026-05-04", ids["lanes"][1])
    actions["Spotlight This Lane"].trigger()
    assert tl.timeline_scene.spotlight == ids["lanes"][1]
    tl.set_read_only(True)
    menu = QMenu(tl)
    tl._fill_lane_menu(menu, ids["lanes"][1], D(2026, 5, 4))
    assert not any("Add" in a.text() or "Rename" in a.text() for a in menu.actions())


def test_hovering_shows_the_dependency_handle_without_selecting(win, plan):
    path, ids = plan
    tl = win.timeline
    rect = tl.card_rect(ids["b"])
    vp = tl.viewport()
    send(vp, QMouseEvent.Type.MouseMove, centre(rect), Qt.MouseButton.NoButton)
    assert tl.timeline_scene.hover_id == ids["b"]
    handle = QPointF(rect.right() + 1 + 2 + 5, rect.center().y())
    send(vp, QMouseEvent.Type.MouseMove, handle, Qt.MouseButton.NoButton)
    assert tl.timeline_scene.hover_id == ids["b"]
    drag(tl, handle, centre(tl.card_rect(ids["c"])))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT before_id, after_id FROM dependencies").fetchall() == [
            (ids["b"], ids["c"])]


def test_an_empty_roadmap_invites_adding_a_lane(qtbot, roadmap_path):
    from ui.main_window import MainWindow

    Roadmap.create(roadmap_path, title="Empty").close()
    w = MainWindow(roadmap_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    tl = w.timeline
    tl.viewport().grab()
    lane_id = tl.add_lane()
    assert lane_id is not None and not tl.lane_rect(lane_id).isEmpty()
    editor = tl.lane_names._editor
    editor.setText("Growth")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert w.roadmap.lane(lane_id).name == "Growth"
    w.close()


def test_edits_go_on_the_undo_stack_of_the_plan_in_view(win, plan):
    from PySide6.QtGui import QUndoStack

    path, ids = plan
    tl = win.timeline
    other = QUndoStack(win.undo_group)
    win.undo_group.setActiveStack(other)
    start = centre(tl.card_rect(ids["a"]))
    drag(tl, start, start + QPointF(20.0, 0))
    assert other.count() == 1


def test_pinch_zooms_around_the_fingers(win):
    from PySide6.QtGui import QNativeGestureEvent, QPointingDevice

    tl = win.timeline
    x = tl.x_for_date(D(2026, 3, 17)) + 5
    before = tl.time_scale.px_per_day
    pos = QPointF(x, 200)
    ev = QNativeGestureEvent(Qt.NativeGestureType.ZoomNativeGesture,
                             QPointingDevice.primaryPointingDevice(), 2, pos, pos,
                             QPointF(tl.viewport().mapToGlobal(pos.toPoint())), 0.5,
                             QPointF(0, 0), 1)
    QApplication.sendEvent(tl.viewport(), ev)
    assert tl.time_scale.px_per_day == pytest.approx(before * 1.5)
    assert tl.date_at(x) == D(2026, 3, 17)
