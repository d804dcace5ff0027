"""What-if scenarios through the window: edit one, the plan stays; undo per plan; promote."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from planner import Roadmap
from ui import snapshots
from ui.commands import AddCards, UpdateCards, run

D = dt.date


@pytest.fixture
def plan(roadmap_path: Path):
    r = Roadmap.create(roadmap_path, title="Plan")
    lane = r.add_lane("Alpha").id
    a = r.add_card("Card A", lane, D(2026, 3, 2), D(2026, 3, 13), estimate=5).id
    b = r.add_card("Card B", lane, D(2026, 3, 23), D(2026, 4, 3)).id
    r.close()
    return roadmap_path, {"lane": lane, "a": a, "b": b}


@pytest.fixture
def win(qtbot, plan):
    from ui.main_window import MainWindow

    w = MainWindow(plan[0])
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if not w.roadmap.closed:
        w.close()


def rows(path: Path, plan_id: int) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT id, title, start_date, end_date, status, estimate FROM cards"
            " WHERE plan_id = ? ORDER BY id", (plan_id,)).fetchall()  # fmt: skip


def plans(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, kind, name FROM plans ORDER BY id").fetchall()


def menu_action(menu, text: str):
    menu.aboutToShow.emit()
    for action in menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no entry {text!r} in {[a.text() for a in menu.actions()]}")


def new_scenario(win, qtbot, name: str) -> None:
    room = win.snapshots
    menu_action(room.scenarios_menu, "&New Scenario…").trigger()
    dialog = room.name_dialog
    dialog.edit.setText(name)
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_a_scenario_edit_leaves_the_plan_and_undo_stays_in_each(win, plan, qtbot, monkeypatch):
    path, ids = plan
    room = win.snapshots
    plan_rows = rows(path, 1)
    plan_stack = win.undo_stack
    run(win.undo_stack, UpdateCards(win.roadmap, {ids["b"]: {"estimate": 2.0}}, "Plan edit"))
    plan_rows = rows(path, 1)

    new_scenario(win, qtbot, "Ship B first")
    scenario_id = win.roadmap.plan_id
    assert scenario_id != 1
    assert "Scenario: Ship B first" in win.windowTitle()
    assert win.document.plan_label() == "Scenario: Ship B first"
    assert win.undo_stack is not plan_stack and win.undo_stack.count() == 0
    assert not win.undo_action.isEnabled()

    # Edits made through a stack a room captured when the window opened still land in the
    # scenario's own history.
    run(plan_stack, UpdateCards(win.roadmap, {ids["a"]: {"start": D(2026, 4, 6),
                                                          "end": D(2026, 4, 17)}}, "Move A"))
    run(plan_stack, AddCards(win.roadmap, [{"title": "Only in the scenario"}]))
    assert win.undo_stack.count() == 2 and plan_stack.count() == 1
    assert rows(path, 1) == plan_rows
    assert len(rows(path, scenario_id)) == 3

    win.undo_action.trigger()
    assert len(rows(path, scenario_id)) == 2
    assert rows(path, 1) == plan_rows

    # Switch to the plan: its own history, and the plan as it was.
    menu_action(room.scenarios_menu, "The Plan").trigger()
    assert win.roadmap.plan_id == 1
    assert "Scenario" not in win.windowTitle()
    assert win.undo_stack is plan_stack and win.undo_stack.count() == 1
    assert win.undo_action.text().endswith("Plan edit")
    assert [c.start for c in win.roadmap.cards() if c.id == ids["a"]] == [D(2026, 3, 2)]

    # Back in the scenario, undo carries on where it was.
    menu_action(room.scenarios_menu, "Ship B first").trigger()
    assert win.undo_stack.count() == 2 and win.undo_stack.canRedo()

    # Compare the scenario with the plan: the same change list.
    menu_action(room.compare_menu, "The Plan").trigger()
    assert any("Card A" in r and "moved 5 weeks later" in r for r in room.panel.rows())
    assert "compared with the plan" in room.panel.heading.text()

    # Promote: the plan becomes the scenario, the old plan is kept as a snapshot.
    monkeypatch.setattr(snapshots, "confirm", lambda *a: True)
    scenario_rows = rows(path, scenario_id)
    menu_action(room.scenarios_menu, "&Promote Scenario to Plan…").trigger()
    assert win.roadmap.plan_id == 1
    assert rows(path, 1) == scenario_rows
    kept = [p for p in plans(path) if p[1] == "snapshot"]
    assert [p[2] for p in kept] == ["Plan before “Ship B first”"]
    assert rows(path, kept[0][0]) == plan_rows
    assert all(p[1] != "scenario" for p in plans(path))
    assert "Scenario" not in win.windowTitle()
    assert not room.dock.isVisible()  # it compared with the plan, which is now the scenario
    # The scenario's history carries on as the plan's.
    assert win.undo_stack.count() == 2
    win.undo_action.trigger()
    assert [r[2] for r in rows(path, 1) if r[0] == ids["a"]] == ["2026-03-02"]


def test_discard_a_scenario_and_branch_one_from_a_snapshot(win, plan, qtbot, monkeypatch):
    path, ids = plan
    room = win.snapshots
    snap = room.take_snapshot("Q1")
    run(win.undo_stack, UpdateCards(win.roadmap, {ids["a"]: {"status": "done"}}))
    plan_rows = rows(path, 1)

    dialog = room.open_dialog()
    dialog.scenario_button.click()
    room.name_dialog.edit.setText("Redo Q1")
    room.name_dialog.accept()
    assert win.roadmap.plan().name == "Redo Q1"
    assert rows(path, win.roadmap.plan_id) == rows(path, snap.id)
    assert win.roadmap.editable  # a scenario from a snapshot is editable; the snapshot is not
    run(win.undo_stack, UpdateCards(win.roadmap, {ids["b"]: {"title": "B again"}}))
    assert rows(path, 1) == plan_rows

    monkeypatch.setattr(snapshots, "confirm", lambda *a: False)
    menu_action(room.scenarios_menu, "&Discard Scenario…").trigger()
    assert win.roadmap.plan().name == "Redo Q1"

    monkeypatch.setattr(snapshots, "confirm", lambda *a: True)
    menu_action(room.scenarios_menu, "&Discard Scenario…").trigger()
    assert win.roadmap.plan_id == 1
    assert [p[1] for p in plans(path)] == ["plan", "snapshot"]
    assert rows(path, 1) == plan_rows
    assert "Scenario" not in win.windowTitle()
    assert not menu_action(room.scenarios_menu, "&Discard Scenario…").isEnabled()
    dialog.close()


def test_a_read_only_file_can_be_looked_at_but_not_branched(qtbot, plan):
    from ui.main_window import MainWindow

    path, _ids = plan
    with Roadmap.open(path) as r:
        r.take_snapshot("Q1")
    w = MainWindow(path, Roadmap.open(path, read_only=True))
    qtbot.addWidget(w)
    room = w.snapshots
    room.rebuild_menus()
    assert not room.new_scenario_action.isEnabled()
    menu_action(room.scenarios_menu, "Q1").trigger()
    assert w.document.plan_label() == "Snapshot: Q1"
    menu_action(room.compare_menu, "The Plan").trigger()
    assert room.panel.summary.text() == "No changes"
    w.close()


def test_the_toolbar_says_what_is_shown_and_switches(win, plan, qtbot):
    room = win.snapshots
    room.take_snapshot("Q1")
    room.create_scenario("Faster")
    box = room.switcher
    assert box.currentText() == "Scenario: Faster"
    assert [box.itemText(i) for i in range(box.count())] == [
        "The Plan", "Snapshot: Q1", "Scenario: Faster"]
    box.activated.emit(0)
    assert win.roadmap.plan_id == 1 and box.currentText() == "The Plan"
    box.activated.emit(1)
    assert win.roadmap.read_only and box.currentText() == "Snapshot: Q1"
    assert "Snapshot: Q1" in win.windowTitle() and "[read-only]" in win.windowTitle()
