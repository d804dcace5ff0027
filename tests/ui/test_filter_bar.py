"""The search and filter bar, and how the rooms are wired into the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from planner.search import NONE_ID


def test_typing_filters_and_publishes_on_the_document(qtbot, window):
    bar = window.filter_bar
    target = window.roadmap.cards()[0]
    word = target.title.split()[0]
    with qtbot.waitSignal(window.document.search_changed, timeout=2000) as blocker:
        qtbot.keyClicks(bar.search_line, word)
    search = blocker.args[0]
    assert search.text == word
    assert search.matches(target)
    shown = window.list_view.proxy.rowCount()
    assert 0 < shown < window.list_view.model.rowCount()
    assert bar.count_label.text().endswith("found")


def test_escape_clears_text_and_filters(qtbot, window):
    bar = window.filter_bar
    qtbot.keyClicks(bar.search_line, "calendar")
    bar.set_choice("statuses", "done", True)
    assert window.document.search.active
    qtbot.keyClick(bar.search_line, Qt.Key.Key_Escape)
    assert bar.search_line.text() == ""
    assert not window.document.search.active
    assert window.list_view.proxy.rowCount() == window.list_view.model.rowCount()


def test_filters_by_tag_status_lane_objective(window):
    bar = window.filter_bar
    cards = window.roadmap.cards()
    lane = window.roadmap.lanes()[0]
    bar.set_choice("lanes", lane.id, True)
    assert {c.lane_id for c in cards if window.document.search.matches(c)} == {lane.id}
    bar.set_choice("lanes", lane.id, False)
    bar.set_choice("statuses", "done", True)
    assert all(c.status == "done" for c in cards if window.document.search.matches(c))
    bar.set_choice("statuses", "done", False)
    tag = window.roadmap.tags()[0]
    bar.set_choice("tags", tag.casefold(), True)
    assert all(tag in c.tags for c in cards if window.document.search.matches(c))
    bar.clear()
    bar.set_choice("objectives", NONE_ID, True)
    assert all(c.objective_id is None for c in cards if window.document.search.matches(c))
    assert bar.buttons["objectives"].text().endswith("(1)")


def test_menus_offer_the_roadmap_values(window):
    bar = window.filter_bar
    labels = [label for label, _ in bar.options("lanes")]
    assert window.roadmap.lanes()[0].name in labels
    menu = bar.buttons["statuses"].menu()
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()][:2] == ["Idea", "Planned"]
    menu.actions()[1].setChecked(True)
    assert window.document.search.statuses == frozenset({"planned"})


def test_highlight_goes_to_the_timeline(qtbot, window, monkeypatch):
    seen = []
    monkeypatch.setattr(window.timeline, "set_highlight", lambda ids: seen.append(list(ids)),
                        raising=False)
    window.filter_bar.set_choice("statuses", "done", True)
    done = [c.id for c in window.roadmap.cards() if c.status == "done"]
    assert seen[-1] == done


def test_ctrl_f_focuses_the_search(window):
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.find_action in window.edit_menu.actions()
    window.find_action.trigger()
    assert window.focusWidget() is window.filter_bar.search_line or not window.isActiveWindow()


def test_rooms_are_wired(window):
    assert window.editor_dock.widget() is window.editor
    assert window.backlog_dock.widget() is window.backlog
    assert window.tabs.indexOf(window.list_view) >= 0
    assert window.tabs.tabText(window.tabs.indexOf(window.list_view)) == "List"
    texts = [a.text() for a in window.roadmap_menu.actions()]
    for wanted in ("&Objectives…", "&Lanes…", "&Tags…"):
        assert wanted in texts


def test_activating_a_card_focuses_the_editor_title(window):
    card = window.roadmap.cards()[1]
    window.activate_card(card.id)
    assert window.document.selection == (card.id,)
    assert window.editor.title_edit.text() == card.title
