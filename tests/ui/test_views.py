"""Saved views: the toolbar switcher and the manager dialog; every edit in the file, undoable."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt

from planner import Roadmap


def _views(path) -> list[tuple[str, dict]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, settings FROM views ORDER BY position, id").fetchall()
    return [(name, json.loads(settings)) for name, settings in rows]


def test_switcher_lists_everything_and_the_saved_views(window) -> None:
    switcher = window.view_switcher
    names = [switcher.itemText(i) for i in range(switcher.count())]
    assert names[0] == "Everything"
    assert names[1:] == [v.name for v in window.roadmap.views()]
    assert window.document.active_view is None


def test_choosing_a_view_makes_it_active_and_follows_edits(window, qtbot) -> None:
    switcher = window.view_switcher
    exec_view = window.roadmap.view_named("Executive summary")
    with qtbot.waitSignal(window.document.view_changed):
        switcher.setCurrentIndex(switcher.findData(exec_view.id))
    assert window.document.active_view.name == "Executive summary"
    with qtbot.waitSignal(window.document.view_changed):
        window.roadmap.update_view(exec_view.id, color_by="status")
    assert window.document.active_view.settings["color_by"] == "status"
    with qtbot.waitSignal(window.document.view_changed):
        window.roadmap.delete_view(exec_view.id)
    assert window.document.active_view is None and switcher.currentIndex() == 0


def test_manager_creates_edits_duplicates_reorders_and_deletes(window, sample_path) -> None:
    window.open_views_manager()
    dialog = window.views_dialog
    before = len(_views(sample_path))

    dialog.new_button.click()
    assert len(_views(sample_path)) == before + 1
    dialog.name_edit.setText("Sales")
    dialog.name_edit.editingFinished.emit()
    assert _views(sample_path)[-1][0] == "Sales"

    lane_ids = [lane.id for lane in window.roadmap.lanes()]
    dialog.lanes.all_box.setChecked(False)  # every lane still ticked
    dialog.lanes.set_checked(lane_ids[0], False)
    assert _views(sample_path)[-1][1]["lanes"] == lane_ids[1:]
    dialog.statuses.all_box.setChecked(False)
    dialog.statuses.set_checked("idea", False)
    assert "idea" not in _views(sample_path)[-1][1]["statuses"]
    dialog.precision.setCurrentIndex(dialog.precision.findData("quarter"))
    dialog.precision.activated.emit(dialog.precision.currentIndex())
    dialog.color_by.setCurrentIndex(dialog.color_by.findData("tag"))
    dialog.color_by.activated.emit(dialog.color_by.currentIndex())
    dialog.hide_internal.setChecked(True)
    dialog.fields.set_checked("owner", True)
    dialog.date_from.box.setChecked(True)
    settings = _views(sample_path)[-1][1]
    assert settings["precision"] == "quarter" and settings["color_by"] == "tag"
    assert settings["hide_internal"] is True and "owner" in settings["fields"]
    assert settings["date_from"]

    dialog.duplicate_button.click()
    views = _views(sample_path)
    assert views[-1][0] == "Sales copy" and views[-1][1] == views[-2][1]

    dialog.up_button.click()
    assert [n for n, _ in _views(sample_path)][-2:] == ["Sales copy", "Sales"]

    dialog.delete_button.click()
    assert "Sales copy" not in [n for n, _ in _views(sample_path)]

    # Every one of those was its own undo step; undoing all restores the file.
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert len(_views(sample_path)) == before


def test_a_refused_edit_is_shown_not_raised(window, sample_path) -> None:
    window.open_views_manager()
    dialog = window.views_dialog
    dialog.select_view(window.roadmap.view_named("Engineering").id)
    dialog.name_edit.setText("   ")
    dialog.name_edit.editingFinished.emit()
    assert dialog.message.text()
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    assert "Engineering" in [n for n, _ in _views(sample_path)]


def test_the_lens_hides_internal_cards_from_the_board_and_legend(window, qtbot) -> None:
    roadmap = window.roadmap
    card = next(c for c in roadmap.cards() if c.lane_id is not None)
    only_card_lane = roadmap.add_lane("Secret lane", color="#123456")
    roadmap.update_card(card.id, internal=True, lane_id=only_card_lane.id)
    qtbot.waitUntil(lambda: ("Secret lane", "#123456") in window.legend.items)
    view = roadmap.add_view("Outside", hide_internal=True)
    window.document.set_active_view(view)
    qtbot.waitUntil(lambda: ("Secret lane", "#123456") not in window.legend.items)
    assert all(card.id not in ids for ids in window.board.shown_ids().values())


def test_views_api_round_trips_through_a_second_connection(sample_path, window) -> None:
    window.roadmap.add_view("Board meeting", precision="month", tags=["growth"])
    reopened = Roadmap.open(sample_path, read_only=True)
    try:
        view = reopened.view_named("Board meeting")
        assert view.settings == {"precision": "month", "tags": ["growth"]}
    finally:
        reopened.close()


def test_a_views_filters_change_what_the_timeline_shows(window, qtbot) -> None:
    roadmap = window.roadmap
    tl = window.timeline
    cards = [c for c in roadmap.cards() if c.scheduled]
    secret = cards[0]
    roadmap.update_card(secret.id, internal=True)
    tl.scroll_to_card(secret.id)
    assert not tl.card_rect(secret.id).isEmpty()
    lane = roadmap.lanes()[0]
    view = roadmap.add_view("Outside, one lane", hide_internal=True, lanes=[lane.id])
    window.view_switcher.setCurrentIndex(window.view_switcher.findData(view.id))
    assert tl.card_rect(secret.id).isEmpty()
    for card in roadmap.cards():
        if card.scheduled and card.lane_id != lane.id:
            assert tl.card_rect(card.id).isEmpty()
    shown = next(c for c in roadmap.cards()
                 if c.scheduled and c.lane_id == lane.id and not c.internal)  # fmt: skip
    tl.scroll_to_card(shown.id)
    assert not tl.card_rect(shown.id).isEmpty()
    window.view_switcher.setCurrentIndex(0)
    tl.scroll_to_card(secret.id)
    assert not tl.card_rect(secret.id).isEmpty()


def test_a_views_filters_change_what_an_exported_pdf_says(sample_path, tmp_path) -> None:
    import os
    import subprocess
    import sys

    with Roadmap.open(sample_path) as roadmap:
        # the longest bars, whose titles are never shortened on the page
        cards = sorted((c for c in roadmap.cards() if c.scheduled), key=lambda c: c.start - c.end)
        secret, other_lane = cards[0], next(c for c in cards if c.lane_id != cards[0].lane_id)
        roadmap.update_card(secret.id, internal=True, title="Secret acquisition talks")
        roadmap.add_view("Outside", hide_internal=True)
        roadmap.add_view("One lane", lanes=[secret.lane_id])
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip

    def text_of(*view: str) -> str:
        pdf = tmp_path / f"{len(view) and view[-1]}.pdf"
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from planner.cli import main; sys.exit(main())",
             "export", str(sample_path), str(pdf), "--fit", "tile", *view],
            env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip

    def has(text: str, title: str) -> bool:
        # a long title may be shortened on the bar; its first words are enough
        return " ".join(title.split()[:2])[:14] in " ".join(text.split())

    everything = text_of()
    assert has(everything, "Secret acquisition talks") and has(everything, other_lane.title)
    outside = text_of("--view", "Outside")
    assert not has(outside, "Secret acquisition talks") and "Secret" not in outside
    one_lane = text_of("--view", "One lane")
    assert has(one_lane, "Secret acquisition talks") and not has(one_lane, other_lane.title)
