"""The window's legend, patched from each edit's cards, equals a full recount after edits."""

from __future__ import annotations

import datetime as dt

import pytest

from ui import commands
from ui.legend import legend_items


def _settled(legend, qtbot) -> list[tuple[str, str]]:
    qtbot.waitUntil(lambda: not legend._refresh_timer.isActive())
    return legend.items


@pytest.mark.parametrize("color_by", ["lane", "status", "tag", "objective"])
def test_legend_after_edits_equals_a_full_recount(window, qtbot, color_by: str) -> None:
    roadmap, stack, legend = window.roadmap, window.undo_stack, window.legend
    view = commands.run(stack, commands.AddView(roadmap, f"By {color_by}", color_by=color_by))
    window.document.set_active_view(view)
    assert _settled(legend, qtbot) == legend_items(window.document)
    cards = [c for c in roadmap.cards() if c.start is not None]
    lane = roadmap.lanes()[-1]
    objective = roadmap.objectives()[0] if roadmap.objectives() else None
    a, b, c = cards[0], cards[1], cards[2]
    assert a.start is not None and a.end is not None
    edits = [
        commands.UpdateCards(roadmap, {a.id: {"tags": ("Brand new", "x")}, b.id: {"tags": ()}}),
        commands.UpdateCards(roadmap, {c.id: {"status": "done"}, a.id: {"status": "idea"}}),
        commands.MoveCards(roadmap, {a.id: (a.start + dt.timedelta(days=7),
                                            a.end + dt.timedelta(days=7), lane.id)}),
        commands.UpdateCards(roadmap, {b.id: {"objective_id": None}}),
        commands.DeleteCards(roadmap, [c.id]),
        commands.AddCards(roadmap, [{"title": "New", "lane_id": None, "tags": ["BRAND NEW"],
                                     "status": "dropped"}]),
    ]
    edits.append(commands.UpdateLane(roadmap, lane.id, name="Renamed lane", color="#123456"))
    if objective is not None:
        edits.append(commands.UpdateObjective(roadmap, objective.id, name="Renamed goal"))
        edits.append(commands.UpdateCards(roadmap, {a.id: {"objective_id": objective.id}}))
    before = _settled(legend, qtbot)
    for edit in edits:
        commands.run(stack, edit)
        assert _settled(legend, qtbot) == legend_items(window.document)
    if color_by == "tag":
        assert "Brand new" in {label for label, _ in legend.items}
    if color_by == "lane":
        assert ("Renamed lane", "#123456") in legend.items
    for _ in edits:
        stack.undo()
        assert _settled(legend, qtbot) == legend_items(window.document)
    assert legend.items == before
    for _ in edits:
        stack.redo()
        assert _settled(legend, qtbot) == legend_items(window.document)
    lane_id = roadmap.lanes()[0].id
    commands.run(stack, commands.DeleteLane(roadmap, lane_id))  # its cards lose their lane
    assert _settled(legend, qtbot) == legend_items(window.document)
    stack.undo()
    assert _settled(legend, qtbot) == legend_items(window.document)
